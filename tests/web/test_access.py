"""Every page needs sign-in, and staff of another clinic get 404 for every record of this one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.pathway import Clinics, Pathway


def record_urls(p: Pathway) -> list[str]:
    return [
        reverse("web:chart", args=[p.patient.pk]),
        reverse("web:screening", args=[p.patient.pk]),
        reverse("web:event_new", args=[p.patient.pk]),
        reverse("web:assessment", args=[p.assessment.pk]),
        reverse("web:plan", args=[p.plan.pk]),
        reverse("web:consent", args=[p.plan.pk]),
        reverse("web:outcome", args=[p.plan.pk]),
        reverse("web:session", args=[p.session.pk]),
    ]


def test_every_page_sends_a_signed_out_visitor_to_sign_in(client: Client, pathway: Pathway):
    for url in [reverse("web:today"), reverse("web:patients"), *record_urls(pathway)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_a_clinician_of_another_clinic_gets_404_for_every_record(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.bob)
    for url in record_urls(pathway):
        assert client.get(url).status_code == 404, url


def test_a_clinician_of_another_clinic_cannot_post_to_a_record(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.bob)
    response = client.post(
        reverse("web:session", args=[pathway.session.pk]),
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": "0.5"},
    )
    assert response.status_code == 404
    assert pathway.session.injections.count() == 0


def test_the_clinician_of_the_clinic_opens_every_page(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    for url in record_urls(pathway):
        assert client.get(url).status_code == 200, url


def test_a_receptionist_sees_the_patient_but_not_clinical_pages(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.rita)
    chart = client.get(reverse("web:chart", args=[pathway.patient.pk]))
    assert chart.status_code == 200
    assert b"Timeline" not in chart.content
    assert client.get(reverse("web:plan", args=[pathway.plan.pk])).status_code == 403
    assert client.get(reverse("web:session", args=[pathway.session.pk])).status_code == 403


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    response = client.get(reverse("web:today"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content
    assert b' style="' not in response.content
