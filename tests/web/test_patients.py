"""Patients: search by name, date of birth or NHS number; registration with errors beside fields."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from scleropath.patients.models import Patient
from tests.pathway import Clinics, Pathway


def test_search_finds_a_patient_by_name_date_of_birth_or_nhs_number(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.nora)
    for q in ("jones", "Ann Jones", "04/03/1975", "1975-03-04", "943 476 5919"):
        response = client.get(reverse("web:patients"), {"q": q})
        assert b"JONES, Ann" in response.content, q
    assert b"JONES, Ann" not in client.get(reverse("web:patients"), {"q": "smith"}).content


def test_search_never_shows_another_clinics_patients(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.bob)
    assert b"JONES" not in client.get(reverse("web:patients"), {"q": "jones"}).content


def test_an_htmx_search_returns_only_the_results_fragment(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    response = client.get(reverse("web:patients"), {"q": "jones"}, HTTP_HX_REQUEST="true")
    assert b'id="results"' in response.content
    assert b"<html" not in response.content


def test_registering_a_patient_opens_their_chart(client: Client, clinics: Clinics):
    client.force_login(clinics.rita)
    response = client.post(
        reverse("web:patient_new"),
        {
            "given_name": "Bea",
            "family_name": "Khan",
            "date_of_birth": "1990-01-31",
            "sex": "female",
            "nhs_number": "",
        },
    )
    patient = Patient.objects.get(family_name="Khan")
    assert response["Location"] == reverse("web:chart", args=[patient.pk])
    assert patient.clinic == clinics.a


def test_a_wrong_nhs_number_is_refused_beside_its_field_and_nothing_is_saved(
    client: Client, clinics: Clinics
):
    client.force_login(clinics.rita)
    response = client.post(
        reverse("web:patient_new"),
        {
            "given_name": "Bea",
            "family_name": "Khan",
            "date_of_birth": "1990-01-31",
            "sex": "female",
            "nhs_number": "9434765918",
        },
    )
    assert response.status_code == 400
    assert b"id_nhs_number-errors" in response.content
    assert b"not a valid NHS number" in response.content
    assert not Patient.objects.filter(family_name="Khan").exists()


def test_the_chart_records_a_weight(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.nora)
    client.post(reverse("web:chart", args=[pathway.patient.pk]), {"weight_kg": "72.5"})
    assert str(pathway.patient.latest_weight().weight_kg) == "72.5"


def test_the_chart_shows_ceap_and_vcss_per_leg_and_the_timeline(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    content = client.get(reverse("web:chart", args=[pathway.patient.pk])).content.decode()
    assert "Left leg" in content and "C1" in content and "0 / 30" in content
    assert "Treatment plan" in content and "Consent recorded" in content and "Treatment session 1" in content
