"""Each endpoint lets a persona do exactly what the web pages let them do, and another clinic's
records are 404 everywhere (never 403, never shown)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.pathway import Clinics, Pathway

ALL = ("alice", "nora", "rita", "mark")
CLINICAL = ("alice", "nora", "mark")  # reception sees demographics only


def reads(p: Pathway) -> list[tuple[str, tuple[str, ...]]]:
    """Each read, with the personas of clinic A allowed it (the others get 403)."""
    return [
        ("patients", ALL),
        (f"patients/{p.patient.pk}", ALL),
        (f"patients/{p.patient.pk}/weights", CLINICAL),
        ("screenings", CLINICAL),
        (f"screenings/{p.patient.current_screening().pk}", CLINICAL),
        ("assessments", CLINICAL),
        (f"assessments/{p.assessment.pk}", CLINICAL),
        (f"assessments/{p.assessment.pk}/findings", CLINICAL),
        ("plans", CLINICAL),
        (f"plans/{p.plan.pk}", CLINICAL),
        (f"consents/{p.plan.consents.first().pk}", CLINICAL),
        ("sessions", CLINICAL),
        (f"sessions/{p.session.pk}", CLINICAL),
        (f"sessions/{p.session.pk}/injections", CLINICAL),
        ("aftercare", CLINICAL),
        (f"aftercare/{p.session.aftercare.pk}", CLINICAL),
        ("follow-ups", CLINICAL),
        (f"follow-ups/{p.session.follow_ups.first().pk}", CLINICAL),
        ("adverse-events", CLINICAL),
        ("outcomes", CLINICAL),
        ("stock-lots", CLINICAL),
        (f"stock-lots/{p.lot.pk}", CLINICAL),
    ]


@pytest.mark.parametrize("persona", [*ALL, "bob"])
def test_each_read_is_allowed_by_role_and_another_clinics_record_is_404(
    api, clinics: Clinics, treated: Pathway, persona: str
):
    client = api(persona)
    for path, allowed in reads(treated):
        status = client.get(path).status_code
        if persona == "bob":  # top-level lists answer (empty); anything under a record is 404
            assert status == (200 if "/" not in path else 404), path
        else:
            assert status == (200 if persona in allowed else 403), (persona, path)


def test_another_clinics_lists_are_empty(api, treated: Pathway):
    bob = api("bob")
    for path in ("patients", "screenings", "assessments", "plans", "sessions", "follow-ups", "stock-lots"):
        body = bob.get(path).json()
        assert body["count"] == 0 and body["items"] == [], path


def writes(p: Pathway) -> list[tuple[str, dict, tuple[str, ...]]]:
    """Each write, with the personas of clinic A allowed it (nurses of clinic A may inject)."""
    today = date.today()
    return [
        ("patients", {"given_name": "Ivy", "family_name": "Hart", "date_of_birth": "1980-02-03"}, ("alice", "nora", "rita")),
        (f"patients/{p.patient.pk}/weights", {"weight_kg": 71}, ("alice", "nora")),
        (f"patients/{p.patient.pk}/screenings", {"conditions": [], "allergies": []}, ("alice", "nora")),
        (f"patients/{p.patient.pk}/assessments", {"notes": "review"}, ("alice",)),
        (f"assessments/{p.assessment.pk}/findings", {"side": "left", "region": "thigh_lateral", "diameter_mm": 0.5}, ("alice",)),
        (f"sessions/{p.session.pk}/injections", {"lot": p.lot.pk, "form": "liquid", "volume_ml": 0.1}, ("alice", "nora")),
        (f"patients/{p.patient.pk}/adverse-events", {"symptom": "bruising", "onset_on": today.isoformat(), "severity": "mild"}, ("alice", "nora")),
        (f"plans/{p.plan.pk}/outcomes", {"area": "left thigh", "clearance_percent": 70}, ("alice", "nora")),
        ("stock-lots", {"product": "aethoxysklerol", "concentration_percent": 1, "lot_number": "NEW-1", "expiry_date": (today + timedelta(days=90)).isoformat(), "quantity": 5}, ("mark",)),
    ]  # fmt: skip


@pytest.mark.parametrize("persona", ALL)
def test_each_write_is_allowed_by_role(api, clinics: Clinics, pathway: Pathway, persona: str):
    client = api(persona)
    for path, body, allowed in writes(pathway):
        response = client.post(path, body)
        assert response.status_code == (201 if persona in allowed else 403), (persona, path, response.json())


def test_another_clinic_cannot_write_to_clinic_a_records(api, pathway: Pathway):
    bob = api("bob")
    for path, body, _ in writes(pathway):
        if path in ("patients", "stock-lots"):
            continue  # these create in the caller's own clinic
        response = bob.post(path, body)
        assert response.status_code == 404, (path, response.json())


def test_a_nurse_of_a_clinic_where_nurses_do_not_inject_is_refused(api, clinics: Clinics, pathway: Pathway):
    clinics.a.nurses_may_inject = False
    clinics.a.save()
    response = api("nora").post(
        f"sessions/{pathway.session.pk}/injections",
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": 0.1},
    )
    assert response.status_code == 403
