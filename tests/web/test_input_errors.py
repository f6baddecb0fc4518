"""Bad input on the pages gets a clear error, never a 500: the form comes back with status 400, the
field named in plain words and what was typed kept, and nothing is saved."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client
from django.urls import reverse

from scleropath.assessments import services as assessments
from scleropath.assessments.models import PlanStatus
from scleropath.followup.models import AdverseEvent
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection, SessionStatus
from tests.pathway import PASSWORD, Clinics, Pathway

REGISTRATION = {"given_name": "Nell", "family_name": "Gwynne", "sex": "female", "nhs_number": ""}


def test_it_refuses_a_plan_approval_whose_version_is_not_a_number_and_keeps_the_reason_typed(
    client: Client, clinics: Clinics, pathway: Pathway
):
    draft = assessments.plan_assessment(clinics.alice, pathway.assessment)
    client.force_login(clinics.alice)
    label = pathway.spider.label
    response = client.post(
        reverse("web:plan", args=[draft.pk]),
        {"version": "abc", f"override_{label}": "defer", f"reason_{label}": "Patient travelling"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "version is missing or not a whole number" in content
    assert 'value="Patient travelling"' in content
    assert '<option value="defer" selected>' in content
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_it_refuses_completing_a_session_whose_version_is_not_a_number(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(reverse("web:session_complete", args=[pathway.session.pk]), {"version": "abc"})
    assert response.status_code == 400
    assert b"version is missing or not a whole number" in response.content
    pathway.session.refresh_from_db()
    assert pathway.session.status == SessionStatus.OPEN


def test_it_follows_no_next_that_is_a_url_name(client: Client, clinics: Clinics):
    response = client.post(
        reverse("account_login"), {"login": "alice", "password": PASSWORD, "next": "web:chart"}
    )
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_live_tally_without_htmx_answers_the_whole_session_page_with_what_was_typed(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:tally", args=[pathway.session.pk]),
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": "0.35"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Record an injection" in content and "Dose tally" in content
    assert 'value="0.35"' in content
    assert "with the injection being entered" in content
    assert not Injection.objects.exists()


def test_the_live_tally_without_htmx_names_a_bad_field(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:tally", args=[pathway.session.pk]),
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": "lots"},
    )
    assert response.status_code == 400
    assert b'id="id_volume_ml-errors"' in response.content
    assert b'value="lots"' in response.content


def test_the_classify_preview_without_htmx_answers_the_whole_assessment_page(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:classify_preview", args=[pathway.assessment.pk]),
        {
            "side": "left",
            "region": "thigh_lateral",
            "view": "front",
            "x": "0.5",
            "y": "0.5",
            "diameter_mm": "0.7",
        },
    )
    assert response.status_code == 200
    assert b'value="0.7"' in response.content
    assert b"Leg map" in response.content or b"leg map" in response.content


def test_the_triage_preview_without_htmx_answers_the_whole_page(
    client: Client, clinics: Clinics, treated: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:event_new", args=[treated.patient.pk]),
        {
            "preview": "1",
            "symptom": "hyperpigmentation",
            "onset_on": date.today().isoformat(),
            "severity": "mild",
        },
    )
    assert response.status_code == 200
    assert b'name="symptom"' in response.content
    assert not AdverseEvent.objects.exists()


def test_it_refuses_a_date_of_birth_before_1900_keeping_what_was_typed(client: Client, clinics: Clinics):
    client.force_login(clinics.rita)
    response = client.post(reverse("web:patient_new"), {**REGISTRATION, "date_of_birth": "1850-06-01"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_date_of_birth-errors"' in content
    assert "A date of birth must be on or after 01 Jan 1900." in content
    assert 'value="Gwynne"' in content
    assert not Patient.objects.exists()


def test_it_refuses_a_date_of_birth_in_the_future(client: Client, clinics: Clinics):
    client.force_login(clinics.rita)
    for born in ("2200-01-01", (date.today() + timedelta(days=1)).isoformat()):
        response = client.post(reverse("web:patient_new"), {**REGISTRATION, "date_of_birth": born})
        assert response.status_code == 400, born
        assert b"A date of birth cannot be in the future." in response.content
    assert not Patient.objects.exists()


def test_it_refuses_a_duplicate_nhs_number_on_that_field(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.rita)
    nhs = pathway.patient.nhs_number
    response = client.post(
        reverse("web:patient_new"), {**REGISTRATION, "date_of_birth": "1960-02-03", "nhs_number": nhs}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_nhs_number-errors"' in content
    assert "Another patient of this clinic already has this NHS number." in content
    assert Patient.objects.count() == 1


def _event(client: Client, patient: Patient, onset: date):
    return client.post(
        reverse("web:event_new", args=[patient.pk]),
        {
            "symptom": "hyperpigmentation",
            "onset_on": onset.isoformat(),
            "severity": "mild",
            "notes": "Brown mark",
        },
    )


def test_it_refuses_a_side_effect_onset_in_the_future(client: Client, clinics: Clinics, treated: Pathway):
    client.force_login(clinics.alice)
    response = _event(client, treated.patient, date.today() + timedelta(days=3))
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_onset_on-errors"' in content and "The onset cannot be in the future." in content
    assert "Brown mark" in content
    assert not AdverseEvent.objects.exists()


def test_it_refuses_a_side_effect_onset_before_the_patients_birth(
    client: Client, clinics: Clinics, treated: Pathway
):
    client.force_login(clinics.alice)
    response = _event(client, treated.patient, treated.patient.date_of_birth - timedelta(days=1))
    assert response.status_code == 400
    assert b"The onset cannot be before the patient&#x27;s birth" in response.content
    assert not AdverseEvent.objects.exists()


def test_it_accepts_an_injection_of_the_documented_minimum_volume(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:session", args=[pathway.session.pk]),
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": "0.01", "finding": pathway.spider.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(Injection.objects.get().volume_ml) == "0.01"


def test_it_refuses_an_injection_below_the_minimum_volume_naming_the_field(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:session", args=[pathway.session.pk]),
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": "0.009", "finding": pathway.spider.pk},
    )
    assert response.status_code == 400
    assert b'id="id_volume_ml-errors"' in response.content
    assert not Injection.objects.exists()
