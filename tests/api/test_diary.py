"""The diary through the API: booking, moving, cancelling and the day's statuses, with the same
refusals as the diary's pages (a taken time is 409, a time outside hours 422), and free slots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from scleropath.diary import services as diary
from scleropath.diary.models import Absence, Appointment, AppointmentStatus
from tests.api.conftest import ApiClient, fields
from tests.concurrency import at_once
from tests.diary.conftest import Diary, open_diary
from tests.pathway import Clinics, Pathway

TOMORROW = timezone.localdate() + timedelta(days=1)


def at(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return diary.local_datetime(day, time(hour, minute))


@pytest.fixture
def rooms(clinics: Clinics) -> Diary:
    return open_diary(clinics)


def booking(clinics: Clinics, pathway: Pathway, start: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "patient": pathway.patient.pk,
        "practitioner": clinics.alice.pk,
        "kind": "consultation",
        "starts_at": start.isoformat(),
        **extra,
    }


def test_reception_books_an_appointment_and_reads_it_back(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    rita = api("rita")
    response = rita.post("appointments", booking(clinics, pathway, at(10), room=rooms.room1.pk))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["minutes"], body["room_id"], body["version"]) == (
        "booked",
        30,
        rooms.room1.pk,
        1,
    )
    assert rita.get(f"appointments/{body['id']}").json()["patient_id"] == pathway.patient.pk


def test_a_time_without_an_offset_is_read_on_the_clinics_clock(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    naive = f"{TOMORROW.isoformat()}T09:00:00"
    body = api("rita").post("appointments", booking(clinics, pathway, at(9)) | {"starts_at": naive}).json()
    assert Appointment.objects.get(pk=body["id"]).starts_at == at(9)


def test_a_taken_time_is_a_conflict_and_a_time_outside_hours_is_refused_as_invalid(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    rita = api("rita")
    assert rita.post("appointments", booking(clinics, pathway, at(10))).status_code == 201
    taken = rita.post("appointments", booking(clinics, pathway, at(10, 15)))
    assert taken.status_code == 409
    assert "already has an appointment" in taken.json()["errors"][0]["message"]
    late = rita.post("appointments", booking(clinics, pathway, at(17, 45)))
    assert late.status_code == 422
    assert "not open" in late.json()["errors"][0]["message"]
    Absence.objects.create(practitioner=clinics.alice, starts_at=at(12), ends_at=at(14), reason="Training")
    assert rita.post("appointments", booking(clinics, pathway, at(13))).status_code == 422
    assert Appointment.objects.count() == 1


def test_unknown_or_foreign_people_and_rooms_are_named_as_the_field_at_fault(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    rita = api("rita")
    response = rita.post("appointments", booking(clinics, pathway, at(10), practitioner=clinics.bob.pk))
    assert (response.status_code, fields(response)) == (422, ["practitioner"])
    response = rita.post("appointments", booking(clinics, pathway, at(10), practitioner=clinics.rita.pk))
    assert (response.status_code, fields(response)) == (422, ["practitioner"])
    response = rita.post("appointments", booking(clinics, pathway, at(10), room=999_999))
    assert (response.status_code, fields(response)) == (422, ["room"])
    response = rita.post("appointments", booking(clinics, pathway, at(10), kind="surgery"))
    assert (response.status_code, fields(response)) == (422, ["kind"])
    assert not Appointment.objects.exists()


def test_only_staff_who_may_book_see_or_change_the_diary_and_only_their_clinics(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    made = api("rita").post("appointments", booking(clinics, pathway, at(10))).json()
    manager = api("mark")
    assert manager.get("appointments").status_code == 403
    assert manager.post("appointments", booking(clinics, pathway, at(11))).status_code == 403
    other = api("bob")
    assert other.get(f"appointments/{made['id']}").status_code == 404
    assert other.get("appointments").json()["count"] == 0
    assert other.post(f"appointments/{made['id']}/cancel", {"version": 1, "reason": "x"}).status_code == 404
    assert api("nora").get("appointments").json()["count"] == 1


def test_the_list_filters_by_day_practitioner_patient_and_status(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    rita = api("rita")
    rita.post("appointments", booking(clinics, pathway, at(9)))
    rita.post("appointments", booking(clinics, pathway, at(9), practitioner=clinics.nora.pk))
    later = TOMORROW + timedelta(days=2)
    rita.post("appointments", booking(clinics, pathway, at(9, day=later)))
    assert rita.get("appointments").json()["count"] == 3
    assert rita.get("appointments", since=later.isoformat()).json()["count"] == 1
    assert rita.get("appointments", until=TOMORROW.isoformat()).json()["count"] == 2
    assert rita.get("appointments", practitioner=clinics.nora.pk).json()["count"] == 1
    assert rita.get("appointments", patient=pathway.patient.pk).json()["count"] == 3
    assert rita.get("appointments", status="cancelled").json()["count"] == 0
    starts = [a["starts_at"] for a in rita.get("appointments").json()["items"]]
    assert starts == sorted(starts)


def test_moving_checks_the_new_time_and_refuses_a_stale_version(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    rita = api("rita")
    first = rita.post("appointments", booking(clinics, pathway, at(9))).json()
    second = rita.post("appointments", booking(clinics, pathway, at(10), room=rooms.room1.pk)).json()
    taken = rita.post(f"appointments/{second['id']}/move", {"version": 1, "starts_at": at(9, 15).isoformat()})
    assert taken.status_code == 409
    moved = rita.post(
        f"appointments/{second['id']}/move", {"version": 1, "starts_at": at(14).isoformat(), "room": None}
    )
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["version"], moved.json()["room_id"], moved.json()["minutes"]) == (2, None, 30)
    stale = rita.post(f"appointments/{first['id']}/move", {"version": 7, "starts_at": at(15).isoformat()})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["errors"][0]["message"]
    outside = rita.post(f"appointments/{first['id']}/move", {"version": 1, "starts_at": at(7).isoformat()})
    assert outside.status_code == 422


def test_cancelling_needs_a_reason_frees_the_time_and_refuses_a_stale_version(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    rita = api("rita")
    made = rita.post("appointments", booking(clinics, pathway, at(9))).json()
    url = f"appointments/{made['id']}/cancel"
    assert fields(rita.post(url, {"version": 1, "reason": ""})) == ["reason"]
    assert fields(rita.post(url, {"version": 1, "reason": "   "})) == ["reason"]
    assert rita.post(url, {"version": 2, "reason": "Unwell"}).status_code == 409
    cancelled = rita.post(url, {"version": 1, "reason": "Unwell"})
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert cancelled.json()["cancel_reason"] == "Unwell"
    assert rita.post(url, {"version": 2, "reason": "Again"}).status_code == 422
    assert rita.post("appointments", booking(clinics, pathway, at(9))).status_code == 201


def test_statuses_follow_the_day_and_a_status_that_cannot_follow_is_refused(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    nora = api("nora")
    made = nora.post("appointments", booking(clinics, pathway, at(9))).json()
    url = f"appointments/{made['id']}/status"
    skipped = nora.post(url, {"version": 1, "status": "completed"})
    assert skipped.status_code == 422
    assert "cannot become completed" in skipped.json()["errors"][0]["message"]
    assert nora.post(url, {"version": 1, "status": "did_not_attend"}).status_code == 422
    arrived = nora.post(url, {"version": 1, "status": "arrived"})
    assert (arrived.json()["status"], arrived.json()["version"]) == ("arrived", 2)
    assert nora.post(url, {"version": 2, "status": "cancelled"}).status_code == 422
    assert Appointment.objects.get().status == AppointmentStatus.ARRIVED


def test_free_slots_leave_out_taken_times_and_search_a_bounded_range(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    rita = api("rita")
    rita.post("appointments", booking(clinics, pathway, at(8)))
    day = TOMORROW.isoformat()
    response = rita.get(
        "free-slots", kind="consultation", practitioner=clinics.alice.pk, **{"from": day, "to": day}
    )
    assert response.status_code == 200, response.json()
    slots = response.json()
    assert datetime.fromisoformat(slots[0]["starts_at"]) == at(8, 30)
    assert {s["practitioner_id"] for s in slots} == {clinics.alice.pk}
    assert all(s["room_id"] == rooms.room1.pk for s in slots)
    both = rita.get("free-slots", kind="review", **{"from": day, "to": day}).json()
    assert {s["practitioner_id"] for s in both} == {clinics.alice.pk, clinics.nora.pk}
    too_long = (TOMORROW + timedelta(days=40)).isoformat()
    assert rita.get("free-slots", kind="review", **{"from": day, "to": too_long}).status_code == 422
    assert rita.get("free-slots", kind="review", **{"from": too_long, "to": day}).status_code == 422
    far = rita.get("free-slots", kind="review", **{"from": "9999-12-30", "to": "9999-12-31"})
    assert (far.status_code, fields(far)) == (422, ["from", "to"])
    foreign = rita.get("free-slots", kind="review", practitioner=clinics.bob.pk, **{"from": day, "to": day})
    assert (foreign.status_code, fields(foreign)) == (422, ["practitioner"])


@pytest.mark.django_db(transaction=True)
def test_two_requests_booking_the_same_slot_at_once_book_one_and_refuse_the_other(
    api: Any, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    clients: list[ApiClient] = [api("rita"), api("nora")]
    body = booking(clinics, pathway, at(15), room=rooms.room1.pk)
    results = at_once(2, lambda: clients.pop().post("appointments", body).status_code)
    assert sorted(results) == [201, 409], results
    assert Appointment.objects.taking_time().filter(starts_at=at(15)).count() == 1
