"""GET /fhir/Patient/<id>/$everything: the patient's record as a FHIR Bundle, for the patient's
clinic only, with the chart's rules for who sees what, audited like the chart."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from scleropath.accounts.models import User
from scleropath.api.tokens import create_token, revoke_token
from scleropath.patients.models import Patient
from tests.pathway import Clinics, Pathway


def url(patient_id: int) -> str:
    return f"/fhir/Patient/{patient_id}/$everything"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def resource_types(response) -> list[str]:
    return [e["resource"]["resourceType"] for e in json.loads(response.content)["entry"]]


@pytest.mark.parametrize("persona", ["alice", "nora", "mark"])
def test_staff_who_see_clinical_records_get_the_whole_record(treated: Pathway, persona: str):
    response = signed_in(persona).get(url(treated.patient.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "searchset"
    assert bundle["total"] == len(bundle["entry"])
    kinds = set(resource_types(response))
    assert {"Patient", "Condition", "Observation", "CarePlan", "Consent", "Procedure"} <= kinds
    assert {"MedicationAdministration", "Medication", "Encounter", "Appointment", "Practitioner"} <= kinds


def test_reception_gets_the_demographics_only_as_on_the_chart(treated: Pathway):
    response = signed_in("rita").get(url(treated.patient.pk))
    assert response.status_code == 200
    assert resource_types(response) == ["Patient"]


def test_a_patient_of_another_clinic_is_not_found(treated: Pathway):
    response = signed_in("bob").get(url(treated.patient.pk))
    assert response.status_code == 404
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"


def test_a_missing_patient_is_not_found_either(clinics: Clinics):
    assert signed_in("alice").get(url(999999)).status_code == 404


def test_a_voided_patient_is_gone(clinics: Clinics, treated: Pathway):
    treated.patient.void(clinics.alice, "Registered twice")
    response = signed_in("alice").get(url(treated.patient.pk))
    assert response.status_code == 410
    assert json.loads(response.content)["issue"][0]["code"] == "deleted"


def test_without_credentials_it_answers_401_not_a_sign_in_page(treated: Pathway):
    response = Client().get(url(treated.patient.pk))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert json.loads(response.content)["issue"][0]["code"] == "login"


def test_an_api_token_is_accepted(clinics: Clinics, treated: Pathway):
    _, token = create_token(clinics.nora, "export script")
    response = Client().get(url(treated.patient.pk), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "Condition" in resource_types(response)


def test_a_revoked_token_is_refused_even_with_a_session(clinics: Clinics, treated: Pathway):
    record, token = create_token(clinics.alice, "old script")
    revoke_token(clinics.alice, record)
    response = signed_in("alice").get(url(treated.patient.pk), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_another_clinics_token_finds_nothing(clinics: Clinics, treated: Pathway):
    _, token = create_token(clinics.bob, "bob's script")
    response = Client().get(url(treated.patient.pk), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404


def test_the_read_is_audited_with_the_reader(clinics: Clinics, treated: Pathway):
    signed_in("nora").get(url(treated.patient.pk))
    access = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Patient),
        object_pk=str(treated.patient.pk),
        action=LogEntry.Action.ACCESS,
    )
    assert [entry.actor for entry in access] == [clinics.nora]


def test_only_get_is_allowed(treated: Pathway):
    assert signed_in("alice").post(url(treated.patient.pk)).status_code == 405


def test_the_bundle_holds_nothing_of_another_patient(clinics: Clinics, treated: Pathway):
    from datetime import date

    from scleropath.patients import services as patients

    other = patients.create_patient(
        clinics.alice, given_name="Bea", family_name="Other", date_of_birth=date(1980, 1, 1)
    )
    patients.record_weight(clinics.alice, other, 80)
    bundle = json.loads(signed_in("alice").get(url(treated.patient.pk)).content)
    text = json.dumps(bundle)
    assert f'Patient/patient-{other.pk}"' not in text
    subjects = {
        e["resource"].get("subject", {}).get("reference")
        for e in bundle["entry"]
        if "subject" in e["resource"]
    }
    assert subjects == {f"Patient/patient-{treated.patient.pk}"}
