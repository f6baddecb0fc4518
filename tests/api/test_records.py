"""Record endpoints: pages and filters, validation errors naming the field, writes through the same
services as the web pages (and visible there), the session limit refused until a clinician gives a
reason, and every read and write audited under the token's owner."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scleropath.accounts.access import scoped
from scleropath.assessments.models import Assessment
from scleropath.followup.models import AdverseEvent, FollowUp
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from tests.api.conftest import fields
from tests.pathway import Clinics, Pathway


def entries(obj, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk), action=action
    )


def register(clinics: Clinics, *names: str) -> None:
    for i, name in enumerate(names):
        patients.create_patient(
            clinics.rita, given_name=name, family_name="Test", date_of_birth=date(1980, 1, i + 1)
        )


# --- pages and filters ---------------------------------------------------------------------------


def test_a_list_pages_by_limit_and_offset_with_the_total_count(api, clinics: Clinics):
    register(clinics, "Ann", "Bea", "Cat", "Dot", "Eve")
    rita = api("rita")
    first = rita.get("patients", limit=2).json()
    assert (first["count"], first["limit"], first["offset"], len(first["items"])) == (5, 2, 0, 2)
    last = rita.get("patients", limit=2, offset=4).json()
    assert len(last["items"]) == 1
    seen = {
        p["id"] for offset in (0, 2, 4) for p in rita.get("patients", limit=2, offset=offset).json()["items"]
    }
    assert len(seen) == 5


def test_a_bad_page_or_filter_is_422_naming_the_parameter(api, clinics: Clinics):
    alice = api("alice")
    assert fields(alice.get("patients", limit=0)) == ["limit"]
    assert fields(alice.get("patients", limit=101)) == ["limit"]
    assert fields(alice.get("follow-ups", status="lost")) == ["status"]
    assert fields(alice.get("sessions", since="yesterday")) == ["since"]


def test_follow_ups_filter_by_status_and_due_date(api, treated: Pathway):
    alice = api("alice")
    everything = alice.get("follow-ups").json()
    assert everything["count"] >= 1
    first_due = date.fromisoformat(everything["items"][0]["due_on"])
    only_first_day = alice.get("follow-ups", since=first_due.isoformat(), until=first_due.isoformat()).json()
    assert only_first_day["count"] >= 1
    assert all(f["due_on"] == first_due.isoformat() for f in only_first_day["items"])
    assert alice.get("follow-ups", until=(first_due - timedelta(days=1)).isoformat()).json()["count"] == 0
    follow_up = FollowUp.objects.get(pk=everything["items"][0]["id"])
    alice.post(f"follow-ups/{follow_up.pk}/visit", {"notes": "Healing well"})
    done = alice.get("follow-ups", status="done").json()
    assert [f["id"] for f in done["items"]] == [follow_up.pk]
    assert alice.get("follow-ups", status="scheduled").json()["count"] == everything["count"] - 1


def test_plans_and_sessions_filter_by_status_and_patient(api, clinics: Clinics, treated: Pathway):
    alice = api("alice")
    assert alice.get("plans", status="approved").json()["count"] == 1
    assert alice.get("plans", status="draft").json()["count"] == 0
    assert alice.get("sessions", status="completed", patient=treated.patient.pk).json()["count"] == 1
    assert alice.get("sessions", status="open").json()["count"] == 0
    other = patients.create_patient(
        clinics.rita, given_name="Zoe", family_name="Ng", date_of_birth=date(1990, 1, 1)
    )
    assert alice.get("sessions", patient=other.pk).json()["count"] == 0


def test_stock_lots_filter_in_date_or_expired(api, pathway: Pathway):
    alice = api("alice")
    assert [lot["lot_number"] for lot in alice.get("stock-lots", status="expired").json()["items"]] == [
        "AE-OLD"
    ]
    assert [lot["lot_number"] for lot in alice.get("stock-lots", status="in_date").json()["items"]] == [
        "AE-301",
        "AE-303",
    ]


# --- patients and screening ----------------------------------------------------------------------


def test_a_patient_registered_over_the_api_is_on_the_web_chart(api, clinics: Clinics):
    response = api("rita").post(
        "patients",
        {
            "given_name": "Ivy",
            "family_name": "Hart",
            "date_of_birth": "1980-02-03",
            "nhs_number": "943 476 5919",
        },
    )
    assert response.status_code == 201
    patient = scoped(clinics.alice, Patient).get(pk=response.json()["id"])
    assert patient.nhs_number == "9434765919" and patient.created_by == clinics.rita
    web = Client()
    web.force_login(clinics.alice)
    assert "HART" in web.get(reverse("web:chart", args=[patient.pk])).content.decode()


def test_a_patient_with_bad_fields_is_422_naming_each(api, clinics: Clinics):
    response = api("rita").post(
        "patients",
        {
            "given_name": "Ivy",
            "family_name": "Hart",
            "date_of_birth": "1980-02-03",
            "nhs_number": "1234567890",
        },
    )
    assert response.status_code == 422
    assert fields(response) == ["nhs_number"]
    missing = api("rita").post("patients", {"given_name": "Ivy"})
    assert set(fields(missing)) == {"family_name", "date_of_birth"}


def test_screening_over_the_api_is_the_patients_current_screening(api, pathway: Pathway):
    response = api("nora").post(
        f"patients/{pathway.patient.pk}/screenings", {"conditions": ["history_vte"], "allergies": []}
    )
    assert response.status_code == 201
    current = pathway.patient.current_screening()
    assert current.pk == response.json()["id"] and current.number == 2
    assert current.conditions == ["history_vte"]
    assert response.json()["verdict"] == current.verdict


def test_an_unknown_screening_code_is_422_naming_it(api, pathway: Pathway):
    response = api("nora").post(
        f"patients/{pathway.patient.pk}/screenings", {"conditions": ["history_vte", "gout"]}
    )
    assert response.status_code == 422
    assert fields(response) == ["conditions[1]"]


# --- assessments and findings --------------------------------------------------------------------


def test_an_assessment_with_findings_is_classed_by_the_engine(api, pathway: Pathway):
    response = api("alice").post(
        f"patients/{pathway.patient.pk}/assessments",
        {
            "notes": "Second visit",
            "findings": [
                {"side": "left", "region": "thigh_lateral", "diameter_mm": 0.6, "depth": "intradermal"},
                {"side": "right", "region": "calf_medial", "diameter_mm": 4.5, "depth": "subcutaneous"},
            ],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assessment = Assessment.objects.get(pk=body["id"])
    assert [f.label for f in assessment.findings.all()] == ["L1", "R2"]
    assert [f["engine_class"] for f in body["findings"]] == [
        f.engine_class for f in assessment.findings.all()
    ]


def test_a_bad_finding_names_its_place_and_saves_nothing(api, pathway: Pathway):
    before = Assessment.objects.count()
    response = api("alice").post(
        f"patients/{pathway.patient.pk}/assessments",
        {
            "findings": [
                {"side": "left", "region": "thigh_lateral", "diameter_mm": 0.6},
                {"side": "left", "region": "moon", "diameter_mm": 0.6},
            ]
        },
    )
    assert response.status_code == 422
    assert fields(response) == ["findings[1].region"]
    assert Assessment.objects.count() == before
    out_of_range = api("alice").post(
        f"patients/{pathway.patient.pk}/assessments",
        {"findings": [{"side": "left", "region": "thigh_lateral", "x": 2}]},
    )
    assert fields(out_of_range) == ["findings[0].x"]


def test_a_class_override_needs_its_reason(api, pathway: Pathway):
    url = f"assessments/{pathway.assessment.pk}/findings"
    finding = {"side": "left", "region": "thigh_lateral", "diameter_mm": 0.6, "clinician_class": "reticular"}
    refused = api("alice").post(url, finding)
    assert refused.status_code == 422
    assert fields(refused) == ["override_reason"]
    accepted = api("alice").post(
        url, {**finding, "override_reason": "Bluish feeder seen on transillumination"}
    )
    assert accepted.status_code == 201
    assert accepted.json()["vessel_class"] == "reticular"


# --- injections and the session limits -----------------------------------------------------------


def inject(client, pathway: Pathway, volume: str, **extra):
    """3% foam at 1 + 1 into the varicose vein: 8 mL carries 120 mg of polidocanol (70 kg: 140 a day)."""
    body = {
        "lot": pathway.strong_lot.pk,
        "form": "foam",
        "foam_gas_parts": 1,
        "finding": pathway.varicose.pk,
        "volume_ml": volume,
        **extra,
    }
    return client.post(f"sessions/{pathway.session.pk}/injections", body)


def test_an_injection_past_a_limit_is_409_naming_the_limit_until_a_clinician_gives_a_reason(
    api, pathway: Pathway
):
    alice = api("alice")
    assert inject(alice, pathway, "8").status_code == 201
    refused = inject(alice, pathway, "2")
    assert refused.status_code == 409
    body = refused.json()
    assert fields(refused) == ["override_reason"]
    assert body["limits"] and all(limit["message"] for limit in body["limits"])
    assert any(limit["limit_id"] for limit in body["limits"])
    assert pathway.session.injections.count() == 1
    given = inject(alice, pathway, "2", override_reason="Large vein; benefit outweighs risk")
    assert given.status_code == 201
    assert given.json()["override_reason"] == "Large vein; benefit outweighs risk"
    assert given.json()["limit_check"]["within_limits"] is False


def test_a_nurse_cannot_pass_a_limit_even_with_a_reason(api, pathway: Pathway):
    nora = api("nora")
    inject(nora, pathway, "8")
    response = inject(nora, pathway, "2", override_reason="Because")
    assert response.status_code == 409
    assert "Only a clinician may pass a session limit" in response.json()["errors"][0]["message"]
    assert pathway.session.injections.count() == 1


def test_an_expired_or_unknown_lot_is_422_naming_the_lot(api, clinics: Clinics, pathway: Pathway):
    alice = api("alice")
    expired = inject(alice, pathway, "0.2", lot=pathway.expired_lot.pk)
    assert expired.status_code == 422 and fields(expired) == ["lot"]
    assert "expired" in expired.json()["errors"][0]["message"]
    assert fields(inject(alice, pathway, "0.2", lot=999_999)) == ["lot"]


def test_an_injection_into_a_completed_session_is_409(api, treated: Pathway):
    response = inject(api("alice"), treated, "0.1")
    assert response.status_code == 409
    assert "not open" in response.json()["errors"][0]["message"]


# --- after treatment -----------------------------------------------------------------------------


def test_an_adverse_event_is_triaged_and_on_the_patients_record(api, treated: Pathway):
    onset = date.today().isoformat()  # an onset in the future is refused
    response = api("nora").post(
        f"patients/{treated.patient.pk}/adverse-events",
        {"symptom": "bruising", "onset_on": onset, "severity": "mild"},
    )
    assert response.status_code == 201
    event = AdverseEvent.objects.get(pk=response.json()["id"])
    assert event.patient == treated.patient and event.session == treated.session
    assert response.json()["triage_level"] == event.triage_level == event.triage["level"]
    assert api("nora").get("adverse-events", status="open").json()["count"] == 1
    assert api("nora").get("adverse-events", status="resolved").json()["count"] == 0


def test_an_adverse_event_before_the_session_or_with_an_unknown_symptom_is_422(api, treated: Pathway):
    url = f"patients/{treated.patient.pk}/adverse-events"
    early = api("nora").post(url, {"symptom": "bruising", "onset_on": "2020-01-01", "severity": "mild"})
    assert fields(early) == ["onset_on"]
    unknown = api("nora").post(
        url, {"symptom": "hiccups", "onset_on": date.today().isoformat(), "severity": "mild"}
    )
    assert unknown.status_code == 422 and fields(unknown) == ["symptom"]
    assert fields(
        api("nora").post(url, {"symptom": "bruising", "onset_on": "2026-01-01", "severity": "awful"})
    ) == ["severity"]


def test_an_outcome_is_recorded_against_the_plan(api, treated: Pathway):
    response = api("alice").post(
        f"plans/{treated.plan.pk}/outcomes",
        {
            "area": "left lateral thigh",
            "clearance_percent": 80,
            "finding": treated.spider.pk,
            "satisfaction": 4,
        },
    )
    assert response.status_code == 201
    outcome = treated.plan.outcomes.get()
    assert (outcome.clearance_percent, outcome.finding, outcome.satisfaction) == (80, treated.spider, 4)
    assert api("alice").get("outcomes", patient=treated.patient.pk).json()["count"] == 1
    bad = api("alice").post(f"plans/{treated.plan.pk}/outcomes", {"area": "thigh", "clearance_percent": 101})
    assert fields(bad) == ["clearance_percent"]


# --- audit ---------------------------------------------------------------------------------------


def test_reading_a_record_over_the_api_is_audited_under_the_tokens_owner(
    api, clinics: Clinics, pathway: Pathway
):
    api("nora").get(f"patients/{pathway.patient.pk}")
    assert entries(pathway.patient, LogEntry.Action.ACCESS).get().actor == clinics.nora


def test_every_record_a_list_returns_is_audited(api, clinics: Clinics, treated: Pathway):
    api("alice").get("follow-ups", limit=2)
    for follow_up in FollowUp.objects.order_by("due_on", "id")[:2]:
        assert entries(follow_up, LogEntry.Action.ACCESS).get().actor == clinics.alice
    unread = FollowUp.objects.order_by("due_on", "id")[2:]
    assert all(not entries(f, LogEntry.Action.ACCESS).exists() for f in unread)


def test_a_write_over_the_api_is_audited_under_the_tokens_owner(api, clinics: Clinics):
    response = api("rita").post(
        "patients", {"given_name": "Ivy", "family_name": "Hart", "date_of_birth": "1980-02-03"}
    )
    patient = Patient.objects.get(pk=response.json()["id"])
    assert entries(patient, LogEntry.Action.CREATE).get().actor == clinics.rita


def test_an_adverse_event_is_resolved_over_the_api_and_not_before_its_onset(
    api, clinics: Clinics, treated: Pathway
):
    # The onset and the resolution are days after the session: read them from a week later, as
    # neither may be in the future.
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        alice = api("alice")
        onset = treated.session.started_at.date() + timedelta(days=2)
        event = alice.post(
            f"patients/{treated.patient.pk}/adverse-events",
            {
                "symptom": "bruising",
                "onset_on": onset.isoformat(),
                "severity": "mild",
                "session": treated.session.pk,
            },
        ).json()
        too_early = alice.post(
            f"adverse-events/{event['id']}/resolve", {"resolved_on": (onset - timedelta(days=1)).isoformat()}
        )
        assert too_early.status_code == 422
        assert fields(too_early) == ["resolved_on"]
        assert AdverseEvent.objects.get(pk=event["id"]).resolved_on is None

        done = alice.post(
            f"adverse-events/{event['id']}/resolve",
            {"resolved_on": (onset + timedelta(days=5)).isoformat(), "notes": "Faded"},
        )
        assert done.status_code == 200
        assert done.json()["resolved_on"] == (onset + timedelta(days=5)).isoformat()
        assert "Faded" in AdverseEvent.objects.get(pk=event["id"]).notes
        assert [e["id"] for e in alice.get("adverse-events", status="resolved").json()["items"]] == [
            event["id"]
        ]
        assert (
            api("rita")
            .post(f"adverse-events/{event['id']}/resolve", {"resolved_on": onset.isoformat()})
            .status_code
            == 403
        )
        assert (
            api("bob")
            .post(f"adverse-events/{event['id']}/resolve", {"resolved_on": onset.isoformat()})
            .status_code
            == 404
        )
