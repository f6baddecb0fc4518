"""Aftercare page and PDF leaflet; side effects triaged at once; follow-ups and outcomes."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from scleropath.followup.models import AdverseEvent, FollowUp, Outcome
from scleropath.web.pdf import LEAFLET_BASE, static_file_for
from tests.pathway import Clinics, Pathway


@pytest.fixture
def completed(treated: Pathway) -> Pathway:
    return treated


def test_the_pdf_leaflet_has_the_patients_aftercare(client: Client, clinics: Clinics, completed: Pathway):
    client.force_login(clinics.nora)
    response = client.get(reverse("web:aftercare_pdf", args=[completed.session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Aftercare after your vein treatment" in text
    assert "Ann Jones" in text
    assert "microsclerotherapy" in text
    assert "compression stockings for 2–21 days" in text
    assert "Walk for 10–20 minutes" in text
    assert "call 999 now" in text


def test_the_leaflet_may_fetch_only_our_static_files():
    assert static_file_for(LEAFLET_BASE + "static/scleropath/css/leaflet.css").name == "leaflet.css"
    with pytest.raises(ValueError, match="only ScleroPath's own static files"):
        static_file_for("https://fonts.example.com/font.woff2")
    with pytest.raises(ValueError, match="not a plain static file path"):
        static_file_for(LEAFLET_BASE + "static/../../settings.py")


def test_aftercare_before_completion_is_not_found(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    assert client.get(reverse("web:aftercare", args=[pathway.session.pk])).status_code == 404


def test_logging_a_side_effect_shows_its_triage_at_once(client: Client, clinics: Clinics, completed: Pathway):
    client.force_login(clinics.nora)
    preview = client.post(
        reverse("web:event_new", args=[completed.patient.pk]),
        {
            "symptom": "anaphylaxis",
            "onset_on": date.today().isoformat(),
            "severity": "severe",
            "preview": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert b"level-emergency" in preview.content
    assert not AdverseEvent.objects.exists()
    response = client.post(
        reverse("web:event_new", args=[completed.patient.pk]),
        {"symptom": "bruising", "onset_on": date.today().isoformat(), "severity": "mild"},
    )
    event = AdverseEvent.objects.get()
    assert response["Location"] == reverse("web:event", args=[event.pk])
    assert event.triage_level == "expected"
    page = client.get(response["Location"]).content.decode()
    assert "level-expected" in page and "fades over a few weeks" in page


def test_recording_resolution_of_an_event(client: Client, clinics: Clinics, completed: Pathway):
    client.force_login(clinics.alice)
    client.post(
        reverse("web:event_new", args=[completed.patient.pk]),
        {"symptom": "trapped_blood", "onset_on": date.today().isoformat(), "severity": "mild"},
    )
    event = AdverseEvent.objects.get()
    client.post(
        reverse("web:event", args=[event.pk]), {"resolved_on": date.today().isoformat(), "notes": "Drained"}
    )
    event.refresh_from_db()
    assert event.resolved_on == date.today()


def test_recording_a_follow_up_visit(client: Client, clinics: Clinics, completed: Pathway):
    follow_up = FollowUp.objects.filter(patient=completed.patient).first()
    client.force_login(clinics.nora)
    client.post(reverse("web:follow_up", args=[follow_up.pk]), {"notes": "Healing well"})
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert follow_up.done_by == clinics.nora


def test_recording_an_outcome_with_errors_beside_fields(client: Client, clinics: Clinics, completed: Pathway):
    client.force_login(clinics.alice)
    url = reverse("web:outcome", args=[completed.plan.pk])
    bad = client.post(url, {"area": "left thigh", "clearance_percent": "140"})
    assert bad.status_code == 400
    assert b"id_clearance_percent-errors" in bad.content
    client.post(
        url,
        {
            "area": "left thigh",
            "clearance_percent": "85",
            "satisfaction": "4",
            "finding": completed.spider.pk,
        },
    )
    outcome = Outcome.objects.get()
    assert (outcome.clearance_percent, outcome.satisfaction, outcome.finding) == (85, 4, completed.spider)


def test_the_side_effect_form_starts_blank_and_logs_nothing_until_chosen(
    client: Client, clinics: Clinics, completed: Pathway
):
    client.force_login(clinics.nora)
    url = reverse("web:event_new", args=[completed.patient.pk])
    page = client.get(url).content.decode()
    assert '<option value="" selected>Choose what the patient reports</option>' in page
    assert '<option value="" selected>Choose how severe</option>' in page
    response = client.post(url, {"onset_on": date.today().isoformat()})
    assert response.status_code == 400
    assert not AdverseEvent.objects.exists()
