"""A patient taken through the whole pathway over the API alone, each step by the role the web
pages allow, with the same refusals: stale versions, overrides without reasons, missing consent."""

from __future__ import annotations

from datetime import date, timedelta

from scleropath.assessments.models import TreatmentPlan
from scleropath.treatment.models import SessionStatus, TreatmentSession
from scleropath.treatment.services import add_stock_lot
from tests.api.conftest import fields
from tests.pathway import Clinics


def test_a_patient_goes_from_registration_to_aftercare_over_the_api(api, clinics: Clinics):
    rita, nora, alice = api("rita"), api("nora"), api("alice")
    lot = add_stock_lot(
        clinics.mark,
        product="aethoxysklerol",
        concentration_percent="0.5",  # the plan's strength for a thread vein
        lot_number="AE-050",
        expiry_date=date.today() + timedelta(days=100),
        quantity=5,
    )
    patient = rita.post(
        "patients", {"given_name": "Ivy", "family_name": "Hart", "date_of_birth": "1971-06-01"}
    )
    pid = patient.json()["id"]
    assert nora.post(f"patients/{pid}/weights", {"weight_kg": 64}).status_code == 201
    assert nora.post(f"patients/{pid}/screenings", {"conditions": [], "allergies": []}).status_code == 201
    assessment = alice.post(
        f"patients/{pid}/assessments",
        {
            "findings": [
                {"side": "left", "region": "thigh_lateral", "diameter_mm": 0.6, "depth": "intradermal"}
            ]
        },
    ).json()
    finding = assessment["findings"][0]

    assert nora.post(f"assessments/{assessment['id']}/plans", {}).status_code == 403
    plan = alice.post(f"assessments/{assessment['id']}/plans", {})
    assert plan.status_code == 201 and plan.json()["status"] == "draft"
    plan_id, version = plan.json()["id"], plan.json()["version"]

    no_reason = alice.post(
        f"plans/{plan_id}/approve",
        {"version": version, "overrides": {finding["label"]: {"procedure": "defer", "reason": ""}}},
    )
    assert no_reason.status_code == 422 and fields(no_reason) == ["overrides"]
    stale = alice.post(f"plans/{plan_id}/approve", {"version": version + 1})
    assert stale.status_code == 409
    approved = alice.post(f"plans/{plan_id}/approve", {"version": version})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    session = nora.post(f"plans/{plan_id}/sessions", {})
    assert session.status_code == 201
    sid = session.json()["id"]
    given = nora.post(
        f"sessions/{sid}/injections",
        {"lot": lot.pk, "form": "liquid", "volume_ml": 0.2, "finding": finding["id"]},
    )
    assert given.status_code == 201

    no_consent = nora.post(f"sessions/{sid}/complete", {"version": session.json()["version"]})
    assert no_consent.status_code == 409
    assert "Consent" in no_consent.json()["errors"][0]["message"]
    consent = nora.post(f"plans/{plan_id}/consent", {"patient_confirmed": True})
    assert consent.status_code == 201
    assert len(consent.json()["text_sha256"]) == 64
    assert nora.get(f"consents/{consent.json()['id']}").json()["text"] == consent.json()["text"]

    done = nora.post(f"sessions/{sid}/complete", {"version": session.json()["version"]})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert TreatmentSession.objects.get(pk=sid).status == SessionStatus.COMPLETED
    aftercare = nora.get("aftercare", patient=pid).json()
    assert aftercare["count"] == 1 and aftercare["items"][0]["session_id"] == sid
    assert nora.get("follow-ups", patient=pid).json()["count"] >= 1
    assert TreatmentPlan.objects.get(pk=plan_id).sessions.count() == 1


def test_consent_needs_the_patients_confirmation(api, clinics: Clinics, pathway):
    response = api("nora").post(f"plans/{pathway.plan.pk}/consent", {"patient_confirmed": False})
    assert response.status_code == 422 and fields(response) == ["patient_confirmed"]


def test_reception_and_managers_cannot_run_a_session(api, pathway):
    for persona in ("rita", "mark"):
        assert api(persona).post(f"plans/{pathway.plan.pk}/sessions", {}).status_code == 403
        assert api(persona).post(f"sessions/{pathway.session.pk}/complete", {"version": 1}).status_code == 403


def test_a_second_open_session_is_refused(api, pathway):
    response = api("alice").post(f"plans/{pathway.plan.pk}/sessions", {})
    assert response.status_code == 409
    assert "already has an open session" in response.json()["errors"][0]["message"]
