"""The diary in FHIR R4: rooms as Location, appointments as Appointment (in the patient's
$everything), working hours as Schedule and the free time as Slot (in the bulk export); every
resource valid for both libraries, and rooms, appointments and working hours importing back."""

from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from fhirclient.models import appointment, location, schedule, slot  # type: ignore[import-untyped]

from scleropath.accounts.models import Clinic
from scleropath.diary import services as diary
from scleropath.diary.models import Appointment, Room, WorkingHours
from scleropath.fhir import codes
from scleropath.fhir.export import patient_bundle
from scleropath.fhir.importer import import_bundle
from scleropath.fhir.map_diary import APPOINTMENT_STATUS
from scleropath.fhir.resources import problems
from scleropath.patients.models import Patient
from tests.diary.conftest import Diary, open_diary
from tests.fhir.normalise import normalise
from tests.pathway import Clinics, Pathway

FHIRCLIENT = {
    "Appointment": appointment.Appointment,
    "Location": location.Location,
    "Schedule": schedule.Schedule,
    "Slot": slot.Slot,
}
TOMORROW = timezone.localdate() + timedelta(days=1)


def at(hour: int, minute: int = 0, days: int = 1) -> datetime:
    return diary.local_datetime(timezone.localdate() + timedelta(days=days), time(hour, minute))


def exported(patient: Patient) -> dict:
    return json.loads(json.dumps(patient_bundle(patient, "https://clinic.example")))


def of_type(resources: list[dict], kind: str) -> list[dict]:
    return [r for r in resources if r["resourceType"] == kind]


def valid(r: dict) -> None:
    assert problems(r) == [], r["id"]
    if r["resourceType"] in FHIRCLIENT:
        FHIRCLIENT[r["resourceType"]](r, strict=True)


@pytest.fixture
def rooms(clinics: Clinics) -> Diary:
    return open_diary(clinics)


@pytest.fixture
def booked(clinics: Clinics, treated: Pathway, rooms: Diary) -> dict[str, Appointment]:
    """The treated patient's review with Alice in room 1 for their follow-up, a consultation with
    Nora since cancelled, and yesterday's completed treatment."""
    patient = treated.patient
    rita = clinics.rita
    review = diary.book(
        rita,
        patient=patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=at(10),
        room=rooms.room1,
        reason="Two-week review",
        follow_up=treated.session.follow_ups.first(),
        plan=treated.plan,
    )
    cancelled = diary.book(
        rita, patient=patient, practitioner=clinics.nora, kind="consultation", starts_at=at(11)
    )
    diary.cancel(rita, cancelled, expected_version=cancelled.version, reason="Patient phoned: unwell")
    done = diary.book(
        rita,
        patient=patient,
        practitioner=clinics.alice,
        kind="treatment",
        starts_at=at(9, days=-1),
        room=rooms.room2,
    )
    for status in ("arrived", "in_progress", "completed"):
        done = diary.set_status(rita, done, status, expected_version=done.version)
    return {"review": review, "cancelled": cancelled, "done": done}


def test_every_status_has_the_fhir_status_the_diary_means():
    assert APPOINTMENT_STATUS == {
        "held": "pending",
        "booked": "booked",
        "arrived": "arrived",
        "in_progress": "checked-in",
        "completed": "fulfilled",
        "cancelled": "cancelled",
        "did_not_attend": "noshow",
    }


def test_the_patients_everything_holds_their_appointments_with_practitioner_room_and_kind(
    clinics: Clinics, treated: Pathway, booked: dict[str, Appointment]
):
    resources = [e["resource"] for e in exported(treated.patient)["entry"]]
    ours = {r["id"]: r for r in of_type(resources, "Appointment") if "appointmentType" in r}
    assert set(ours) == {f"appointment-{a.pk}" for a in booked.values()}
    review = ours[f"appointment-{booked['review'].pk}"]
    assert review["status"] == "booked"
    assert review["appointmentType"]["coding"][0] == {
        "system": codes.APPOINTMENT_KIND,
        "code": "review",
        "display": "Review",
    }
    assert [p["actor"]["reference"] for p in review["participant"]] == [
        f"Patient/patient-{treated.patient.pk}",
        f"Practitioner/staff-{clinics.alice.pk}",
        f"Location/room-{booked['review'].room_id}",
    ]
    assert {s["reference"] for s in review["supportingInformation"]} == {
        f"Appointment/followup-{booked['review'].follow_up_id}",
        f"CarePlan/plan-{treated.plan.pk}",
    }
    cancelled = ours[f"appointment-{booked['cancelled'].pk}"]
    assert (cancelled["status"], cancelled["cancelationReason"]["text"]) == (
        "cancelled",
        "Patient phoned: unwell",
    )
    assert ours[f"appointment-{booked['done'].pk}"]["status"] == "fulfilled"
    assert {r["name"] for r in of_type(resources, "Location")} == {"Room 1", "Room 2"}
    assert f"staff-{clinics.nora.pk}" in {r["id"] for r in of_type(resources, "Practitioner")}
    assert not of_type(resources, "Schedule") and not of_type(resources, "Slot")
    for r in resources:
        valid(r)


def test_another_patients_appointments_are_not_in_the_bundle(
    clinics: Clinics, treated: Pathway, booked: dict[str, Appointment]
):
    other = Patient.objects.create(
        clinic=clinics.a, given_name="Bea", family_name="Other", date_of_birth="1970-01-01", sex="female"
    )
    diary.book(clinics.rita, patient=other, practitioner=clinics.nora, kind="review", starts_at=at(15))
    ids = {e["resource"]["id"] for e in exported(treated.patient)["entry"]}
    assert not any(
        i.startswith("appointment-") and int(i.split("-")[1]) not in {a.pk for a in booked.values()}
        for i in ids
    )


def test_appointments_and_rooms_import_back_and_export_the_same(
    clinics: Clinics, treated: Pathway, booked: dict[str, Appointment]
):
    before = exported(treated.patient)
    empty = Clinic.objects.create(name="New Street Clinic", slug="new-street", screening_valid_days=90)
    result = import_bundle(before, empty)
    assert result.counts["Appointment"] == 3
    assert result.counts["Room"] == 2
    copy = Appointment.objects.filter(clinic=empty)
    assert {a.status for a in copy} == {"booked", "cancelled", "completed"}
    assert copy.get(kind="review").follow_up.clinic_id == empty.pk
    after = exported(Patient.objects.get(pk=result.patients[0]))
    assert normalise(after) == normalise(before)


def test_the_bulk_export_offers_each_practitioners_working_hours_and_free_slots(
    clinics: Clinics, treated: Pathway, booked: dict[str, Appointment], tmp_path: Path, settings: Any
):
    settings.FHIR_SCHEDULE_DAYS = 3
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("export_fhir", clinic="riverside", output=tmp_path, **quiet)

    def read(kind: str) -> list[dict]:
        return [json.loads(line) for line in (tmp_path / f"{kind}.ndjson").read_text().splitlines()]

    schedules = {r["id"]: r for r in read("Schedule")}
    assert set(schedules) == {f"schedule-{clinics.alice.pk}", f"schedule-{clinics.nora.pk}"}
    assert "Monday 08:00–18:00 (Room 1)" in schedules[f"schedule-{clinics.alice.pk}"]["comment"]
    slots = read("Slot")
    assert {s["status"] for s in slots} == {"free"}
    assert {s["schedule"]["reference"] for s in slots} == {f"Schedule/{i}" for i in schedules}
    starts = {
        datetime.fromisoformat(s["start"])
        for s in slots
        if s["schedule"]["reference"].endswith(f"-{clinics.alice.pk}")
    }
    # the review takes 15 minutes
    assert at(10) not in starts, sorted(starts)[:60]
    assert at(10, 15) in starts
    last = timezone.localdate() + timedelta(days=2)
    assert (
        max(starts).date() == last and diary.local_datetime(last + timedelta(days=1), time(8)) not in starts
    )
    assert len(read("Location")) == 2
    for kind in ("Schedule", "Slot", "Location", "Appointment"):
        for r in read(kind):
            valid(r)


def test_working_hours_come_back_from_a_bulk_export_into_another_clinic(
    clinics: Clinics, treated: Pathway, rooms: Diary, tmp_path: Path, settings: Any
):
    settings.FHIR_SCHEDULE_DAYS = 1
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("export_fhir", clinic="riverside", output=tmp_path, **quiet)
    empty = Clinic.objects.create(name="New Street Clinic", slug="new-street", screening_valid_days=90)
    call_command("import_fhir", str(tmp_path), clinic="new-street", **quiet)
    copied = WorkingHours.objects.filter(practitioner__clinic=empty)
    assert copied.count() == 14
    assert {w.room.name for w in copied} == {"Room 1", "Room 2"}
    assert set(Room.objects.filter(clinic=empty).values_list("name", flat=True)) == {"Room 1", "Room 2"}
