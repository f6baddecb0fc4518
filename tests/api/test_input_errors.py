"""Bad input over the API gets 422 in the one error body, naming the field, never a 500 and never a
record made of defaults; the rules are the web pages' own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scleropath.assessments import services as assessments
from scleropath.assessments.models import Assessment, PlanStatus
from scleropath.followup.models import AdverseEvent
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection, SessionStatus
from tests.api.conftest import fields
from tests.pathway import Clinics, Pathway

PATIENT = {"given_name": "Nell", "family_name": "Gwynne", "sex": "female"}


def messages(response) -> list[str]:
    return [e["message"] for e in response.json()["errors"]]


def test_it_refuses_a_plan_approval_whose_version_is_not_a_number(api, clinics: Clinics, pathway: Pathway):
    draft = assessments.plan_assessment(clinics.alice, pathway.assessment)
    response = api("alice").post(f"plans/{draft.pk}/approve", {"version": "abc"})
    assert response.status_code == 422
    assert fields(response) == ["version"]
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_it_refuses_completing_a_session_whose_version_is_not_a_number(api, pathway: Pathway):
    response = api("alice").post(f"sessions/{pathway.session.pk}/complete", {"version": "abc"})
    assert response.status_code == 422
    assert fields(response) == ["version"]
    pathway.session.refresh_from_db()
    assert pathway.session.status == SessionStatus.OPEN


@pytest.mark.parametrize("body", [[], [{"notes": "x"}], 5, "notes", True, None])
def test_it_refuses_a_body_that_is_not_an_object_and_saves_nothing(api, pathway: Pathway, body):
    before = Assessment.objects.count()
    response = api("alice").post(f"patients/{pathway.patient.pk}/assessments", body)
    assert response.status_code == 422, response.content
    assert "Send a JSON object" in " ".join(messages(response))
    assert Assessment.objects.count() == before


def test_it_refuses_a_list_body_on_every_write_that_takes_one(api, clinics: Clinics, treated: Pathway):
    alice = api("alice")
    follow_up = treated.session.follow_ups.first()
    for path in [
        "patients",
        f"patients/{treated.patient.pk}/weights",
        f"patients/{treated.patient.pk}/screenings",
        f"assessments/{treated.assessment.pk}/findings",
        f"plans/{treated.plan.pk}/approve",
        f"plans/{treated.plan.pk}/consent",
        "stock-lots",
        f"sessions/{treated.session.pk}/injections",
        f"sessions/{treated.session.pk}/complete",
        f"follow-ups/{follow_up.pk}/visit",
        f"patients/{treated.patient.pk}/adverse-events",
        f"plans/{treated.plan.pk}/outcomes",
    ]:
        response = alice.post(path, [])
        assert response.status_code == 422, (path, response.content)
        assert response.json()["errors"], path


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("1850-06-01", "A date of birth must be on or after 01 Jan 1900."),
        ("2200-01-01", "A date of birth cannot be in the future."),
        ((date.today() + timedelta(days=1)).isoformat(), "A date of birth cannot be in the future."),
    ],
)
def test_it_refuses_an_implausible_date_of_birth(api, clinics: Clinics, born: str, message: str):
    response = api("rita").post("patients", {**PATIENT, "date_of_birth": born})
    assert response.status_code == 422
    assert fields(response) == ["date_of_birth"]
    assert messages(response) == [message]
    assert not Patient.objects.exists()


def test_it_refuses_a_duplicate_nhs_number_on_that_field(api, pathway: Pathway):
    response = api("rita").post(
        "patients", {**PATIENT, "date_of_birth": "1960-02-03", "nhs_number": pathway.patient.nhs_number}
    )
    assert response.status_code == 422
    assert fields(response) == ["nhs_number"]
    assert Patient.objects.count() == 1


def test_it_refuses_a_side_effect_onset_in_the_future(api, treated: Pathway):
    onset = (date.today() + timedelta(days=3)).isoformat()
    response = api("alice").post(
        f"patients/{treated.patient.pk}/adverse-events",
        {"symptom": "hyperpigmentation", "onset_on": onset, "severity": "mild"},
    )
    assert response.status_code == 422
    assert fields(response) == ["onset_on"]
    assert messages(response) == ["The onset cannot be in the future."]
    assert not AdverseEvent.objects.exists()


def test_it_refuses_a_side_effect_onset_before_the_patients_birth(api, clinics: Clinics, pathway: Pathway):
    # No session yet, so only the birth stands before the onset.
    onset = (pathway.patient.date_of_birth - timedelta(days=1)).isoformat()
    response = api("alice").post(
        f"patients/{pathway.patient.pk}/adverse-events",
        {"symptom": "hyperpigmentation", "onset_on": onset, "severity": "mild"},
    )
    assert response.status_code == 422
    assert fields(response) == ["onset_on"]
    assert "before the patient's birth" in messages(response)[0]
    assert not AdverseEvent.objects.exists()


def test_it_accepts_an_injection_of_the_documented_minimum_volume(api, pathway: Pathway):
    response = api("alice").post(
        f"sessions/{pathway.session.pk}/injections",
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": 0.01, "finding": pathway.spider.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["volume_ml"] == 0.01
    assert str(Injection.objects.get().volume_ml) == "0.01"


def test_it_refuses_an_injection_below_the_minimum_volume_naming_the_field(api, pathway: Pathway):
    response = api("alice").post(
        f"sessions/{pathway.session.pk}/injections",
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": 0.009, "finding": pathway.spider.pk},
    )
    assert response.status_code == 422
    assert fields(response) == ["volume_ml"]
    assert not Injection.objects.exists()


def test_it_refuses_a_volume_with_more_places_than_are_kept(api, pathway: Pathway):
    response = api("alice").post(
        f"sessions/{pathway.session.pk}/injections",
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": 0.015, "finding": pathway.spider.pk},
    )
    assert response.status_code == 422
    assert fields(response) == ["volume_ml"]
    assert not Injection.objects.exists()


def test_it_refuses_a_phone_number_that_is_not_one_on_that_field(api, clinics: Clinics):
    response = api("rita").post("patients", {**PATIENT, "date_of_birth": "1960-02-03", "phone": "12345"})
    assert response.status_code == 422
    assert fields(response) == ["phone"]
    assert "not a valid phone number" in messages(response)[0]
    assert not Patient.objects.exists()


def test_it_stores_a_phone_number_in_e164(api, clinics: Clinics):
    response = api("rita").post(
        "patients", {**PATIENT, "date_of_birth": "1960-02-03", "phone": "07700 900 321"}
    )
    assert response.status_code == 201
    assert response.json()["phone"] == "+447700900321"
