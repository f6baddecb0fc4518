"""A practitioner or a room holds one live appointment at a time, whoever books and however many
book at once; cancelled and not-attended appointments free their time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from scleropath.core.models import RecordError
from scleropath.diary import services as diary
from scleropath.diary.models import Absence, Appointment, AppointmentStatus
from tests.concurrency import at_once
from tests.diary.conftest import Diary
from tests.pathway import Clinics, Pathway

TOMORROW = timezone.localdate() + timedelta(days=1)


def at(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return diary.local_datetime(day, time(hour, minute))


def book(clinics: Clinics, pathway: Pathway, start: datetime, **kwargs):
    kwargs.setdefault("practitioner", clinics.alice)
    return diary.book(clinics.rita, patient=pathway.patient, kind="consultation", starts_at=start, **kwargs)


def test_reception_books_a_consultation_of_the_clinics_default_length(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    appointment = book(clinics, pathway, at(10), room=rooms.room1)
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.minutes == 30
    assert appointment.created_by == clinics.rita


def test_an_overlapping_booking_of_the_same_practitioner_is_refused(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    book(clinics, pathway, at(10))
    with pytest.raises(diary.SlotTaken, match="Alice already has an appointment"):
        book(clinics, pathway, at(10, 15))
    # back to back is fine: the times are half-open
    assert book(clinics, pathway, at(10, 30)).starts_at == at(10, 30)


def test_an_overlapping_booking_of_the_same_room_is_refused(clinics: Clinics, pathway: Pathway, rooms: Diary):
    book(clinics, pathway, at(11), room=rooms.room1)
    with pytest.raises(diary.SlotTaken, match="Room 1 already has"):
        book(clinics, pathway, at(11), practitioner=clinics.nora, room=rooms.room1)
    assert book(clinics, pathway, at(11), practitioner=clinics.nora, room=rooms.room2).room == rooms.room2


def test_a_cancelled_appointment_frees_its_time_and_keeps_who_and_why(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    first = book(clinics, pathway, at(9))
    with pytest.raises(RecordError, match="Say why"):
        diary.cancel(clinics.rita, first, expected_version=first.version, reason="  ")
    diary.cancel(clinics.rita, first, expected_version=first.version, reason="Patient phoned: unwell")
    first.refresh_from_db()
    assert (first.status, first.cancelled_by, first.cancel_reason) == (
        AppointmentStatus.CANCELLED,
        clinics.rita,
        "Patient phoned: unwell",
    )
    assert book(clinics, pathway, at(9)).status == AppointmentStatus.BOOKED


def test_times_outside_opening_or_working_hours_or_during_an_absence_are_refused(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    with pytest.raises(diary.OutsideHours, match="clinic is not open"):
        book(clinics, pathway, at(17, 45))
    Absence.objects.create(practitioner=clinics.alice, starts_at=at(12), ends_at=at(14), reason="Training")
    with pytest.raises(diary.OutsideHours, match=r"away .*\(Training\)"):
        book(clinics, pathway, at(13))


def test_only_staff_who_may_book_can_book_and_only_in_their_clinic(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    with pytest.raises(PermissionDenied, match="may not book"):
        diary.book(
            clinics.mark, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(9)
        )
    with pytest.raises(RecordError, match="not in your clinic"):
        diary.book(
            clinics.bob, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(9)
        )


def test_moving_checks_the_new_time_and_refuses_a_stale_version(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    first = book(clinics, pathway, at(9))
    second = book(clinics, pathway, at(10))
    with pytest.raises(diary.SlotTaken):
        diary.move(clinics.rita, second, expected_version=second.version, starts_at=at(9, 15))
    second.refresh_from_db()
    moved = diary.move(clinics.rita, second, expected_version=second.version, starts_at=at(14))
    assert (moved.starts_at, moved.minutes, moved.version) == (at(14), 30, 2)
    with pytest.raises(RecordError, match="changed by someone else"):
        diary.move(clinics.rita, first, expected_version=first.version + 5, starts_at=at(15))


def test_statuses_follow_the_day_and_did_not_attend_frees_the_time(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    past = timezone.now() - timedelta(hours=1)
    appointment = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=past,
        check_hours=False,
    )
    with pytest.raises(diary.BadTransition):
        diary.set_status(clinics.rita, appointment, "completed", expected_version=appointment.version)
    diary.set_status(clinics.rita, appointment, "did_not_attend", expected_version=appointment.version)
    again = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=past,
        check_hours=False,
    )
    assert again.takes_time


def test_free_slots_skip_taken_times_absences_and_the_past(clinics: Clinics, pathway: Pathway, rooms: Diary):
    book(clinics, pathway, at(8))  # 08:00–08:30
    slots = diary.free_slots(
        clinics.a, first_day=TOMORROW, last_day=TOMORROW, minutes=30, practitioner_ids=[clinics.alice.pk]
    )
    starts = [timezone.localtime(s.starts_at).time() for s in slots]
    assert starts[0] == time(8, 30)
    assert time(8, 15) not in starts and time(17, 30) in starts and time(17, 45) not in starts
    assert all(s.room_id == rooms.room1.pk for s in slots)


@pytest.mark.django_db(transaction=True)
def test_twenty_bookings_of_one_slot_at_once_book_exactly_one(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    results = at_once(20, lambda: book(clinics, pathway, at(15), room=rooms.room1))
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, diary.SlotTaken)]
    assert len(booked) == 1, results
    assert len(refused) == 19, results
    assert Appointment.objects.taking_time().filter(practitioner=clinics.alice, starts_at=at(15)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_holds_of_one_slot_at_once_hold_exactly_one(clinics: Clinics, rooms: Diary):
    results = at_once(
        20,
        lambda: diary.hold(
            clinic=clinics.a, practitioner=clinics.nora, kind="consultation", starts_at=at(16)
        ),
    )
    assert len([r for r in results if isinstance(r, Appointment)]) == 1, results
    assert len([r for r in results if isinstance(r, diary.SlotTaken)]) == 19, results


def test_an_overlap_written_past_the_services_is_refused_by_postgresql(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    """PostgreSQL's exclusion constraint refuses even a raw insert; SQLite has none, so there the
    rule lives in the services' serialised check alone (proven by the concurrent tests above)."""
    first = book(clinics, pathway, at(9))
    clash = Appointment(
        clinic=clinics.a,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=first.starts_at + timedelta(minutes=10),
        ends_at=first.ends_at + timedelta(minutes=10),
    )
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="appointment_practitioner_no_overlap"), transaction.atomic():
            clash.save()
    else:
        with pytest.raises(diary.SlotTaken):
            diary.check_free(clinics.alice.pk, None, clash.starts_at, clash.ends_at)


def test_an_expired_hold_is_released_when_someone_books_its_slot(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    held = diary.hold(clinic=clinics.a, practitioner=clinics.alice, kind="consultation", starts_at=at(12))
    Appointment.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    taken = book(clinics, pathway, at(12))
    held.refresh_from_db()
    assert held.status == AppointmentStatus.CANCELLED and taken.status == AppointmentStatus.BOOKED
    with pytest.raises(diary.HoldLapsed):
        diary.confirm_hold(held, pathway.patient)


def test_a_hold_confirmed_in_time_becomes_the_patients_booking(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    held = diary.hold(clinic=clinics.a, practitioner=clinics.alice, kind="consultation", starts_at=at(12))
    confirmed = diary.confirm_hold(held, pathway.patient)
    assert (confirmed.status, confirmed.patient, confirmed.hold_expires_at) == (
        AppointmentStatus.BOOKED,
        pathway.patient,
        None,
    )
    assert diary.confirm_hold(held, pathway.patient).pk == held.pk  # a second click changes nothing
