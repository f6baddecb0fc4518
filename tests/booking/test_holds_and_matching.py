"""A booking holds its slot until the emailed link confirms it; a hold that ran out is refused
kindly once its time is taken; the person becomes a provisional patient whom reception joins to a
patient the clinic knows, or keeps as new; nothing is joined without reception's choice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection

from scleropath.booking import services
from scleropath.booking.models import BookingStatus, OnlineBooking, Resolution
from scleropath.checkins.services import send_reminders
from scleropath.core.models import RecordError
from scleropath.diary import services as diary
from scleropath.diary.models import Appointment, AppointmentStatus
from scleropath.messaging.models import Message, MessageStatus
from scleropath.patients.models import Patient
from tests.booking.conftest import NO, at, person
from tests.concurrency import at_once
from tests.pathway import Clinics


def ask(clinics: Clinics, **who) -> tuple[OnlineBooking, str]:
    booking = services.request_booking(
        clinics.a, concern="thread_veins", starts_at=at(11), yes=set(NO), person=person(**who)
    )
    assert isinstance(booking, OnlineBooking)
    return booking, mail.outbox[-1].body.split("/book/confirm/")[1].split("/")[0]


def expiry(booking: OnlineBooking) -> datetime:
    assert booking.appointment.hold_expires_at is not None
    return booking.appointment.hold_expires_at


def known_patient(clinics: Clinics, **fields) -> Patient:
    values = {"given_name": "Ann", "family_name": "Walker", "date_of_birth": date(1975, 4, 12)}
    values.update(fields)
    return Patient.objects.create(clinic=clinics.a, **values)


def test_the_emailed_link_books_the_held_slot_for_a_new_provisional_patient(online: Clinics):
    booking, token = ask(online)
    assert booking.appointment.hold_expires_at is not None
    confirmed = services.confirm(token)
    assert confirmed.status == BookingStatus.CONFIRMED
    assert confirmed.provisional
    patient = confirmed.patient
    assert (patient.given_name, patient.email, patient.phone) == ("Ann", "ann@example.org", "+447700900123")
    appointment = Appointment.objects.get(pk=booking.appointment_id)
    assert appointment.status == AppointmentStatus.BOOKED and appointment.patient == patient
    # the link used again changes nothing
    assert services.confirm(token).patient == patient
    assert Patient.objects.count() == 1


def test_a_made_up_link_confirms_nothing(online: Clinics):
    ask(online)
    with pytest.raises(services.UnknownLink):
        services.confirm("not-a-token")
    assert not Patient.objects.exists()


def test_a_hold_lapsed_and_taken_by_someone_else_is_refused_kindly_and_nothing_is_saved(online: Clinics):
    booking, token = ask(online)
    with time_machine.travel(expiry(booking) + timedelta(minutes=1)):
        ask(online, given_name="Beth", email="beth@example.org")
        with pytest.raises(diary.HoldLapsed, match="has been booked since"):
            services.confirm(token)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.LAPSED
    assert booking.patient is None
    assert not Patient.objects.exists()
    assert Appointment.objects.get(pk=booking.appointment_id).status == AppointmentStatus.CANCELLED


def test_a_hold_confirmed_late_still_books_while_its_time_is_free(online: Clinics):
    booking, token = ask(online)
    with time_machine.travel(expiry(booking) + timedelta(minutes=5)):
        assert services.confirm(token).status == BookingStatus.CONFIRMED


def test_a_lapsed_hold_frees_its_time_for_others(online: Clinics):
    booking, _ = ask(online)
    assert at(11) not in services.offered_times(online.a)
    later = expiry(booking) + timedelta(seconds=1)
    assert at(11) in services.offered_times(online.a, now=later)


def test_possible_matches_are_the_same_name_and_birth_date_or_the_nhs_number_in_the_same_clinic(
    online: Clinics,
):
    same = known_patient(online, given_name="ANN", family_name="walker")
    by_number = known_patient(online, given_name="Annie", nhs_number="9434765919")
    known_patient(online, date_of_birth=date(1976, 4, 12))  # another birthday
    Patient.objects.create(
        clinic=online.b, given_name="Ann", family_name="Walker", date_of_birth=date(1975, 4, 12)
    )
    booking, token = ask(online, nhs_number="943 476 5919")
    booking = services.confirm(token)
    assert booking.nhs_number == "9434765919"
    assert set(services.possible_matches(booking)) == {same, by_number}


def test_reception_says_same_person_and_the_appointment_moves_to_the_known_patient(online: Clinics):
    known = known_patient(online)
    booking, token = ask(online)
    booking = services.confirm(token)
    provisional = booking.patient
    services.same_person(online.rita, booking, known)
    appointment = Appointment.objects.get(pk=booking.appointment_id)
    assert appointment.patient == known
    provisional.refresh_from_db()
    assert provisional.is_voided and f"patient {known.pk}" in provisional.void_reason
    booking.refresh_from_db()
    assert booking.resolution == Resolution.SAME_PERSON and booking.resolved_by == online.rita
    with pytest.raises(RecordError, match="already settled"):
        services.new_patient(online.rita, booking)


def test_same_person_is_refused_for_a_patient_who_is_not_a_possible_match(online: Clinics):
    stranger = known_patient(online, given_name="Zoe")
    booking, token = ask(online)
    booking = services.confirm(token)
    with pytest.raises(RecordError, match="Choose one of the patients"):
        services.same_person(online.rita, booking, stranger)
    assert Appointment.objects.get(pk=booking.appointment_id).patient == booking.patient


def test_reception_keeps_a_new_patient_with_the_nhs_number_they_gave(online: Clinics):
    booking, token = ask(online, nhs_number="9434765919")
    booking = services.new_patient(online.rita, services.confirm(token))
    booking.patient.refresh_from_db()
    assert booking.patient.nhs_number == "9434765919"
    assert not booking.provisional


def test_another_clinics_staff_cannot_settle_a_booking(online: Clinics):
    booking, token = ask(online)
    booking = services.confirm(token)
    with pytest.raises(RecordError, match="not in your clinic"):
        services.new_patient(online.bob, booking)
    assert list(services.bookings_for(online.bob)) == []
    assert list(services.bookings_for(online.rita)) == [booking]


@pytest.mark.django_db(transaction=True)
def test_two_people_confirming_the_same_lapsed_slot_at_once_book_it_once(online: Clinics):
    """Two holds of one slot that both ran out: each was cancelled before the other was made. Both
    people click their links at the same moment; exactly one gets the time, the other is told kindly."""
    first, first_token = ask(online)
    expired = expiry(first) + timedelta(minutes=1)
    with time_machine.travel(expired):
        second, second_token = ask(online, given_name="Beth", email="beth@example.org")
    with time_machine.travel(expiry(second) + timedelta(minutes=1)):
        diary.release_expired_holds()
        assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 2
        tokens = iter([first_token, second_token])
        results = at_once(2, lambda: services.confirm(next(tokens)))
    booked = [r for r in results if isinstance(r, OnlineBooking)]
    refused = [r for r in results if isinstance(r, diary.HoldLapsed)]
    assert len(booked) == 1 and len(refused) == 1, (results, connection.vendor)
    assert Appointment.objects.taking_time().filter(starts_at=at(11)).count() == 1
    assert Patient.objects.count() == 1


def test_a_confirmation_email_the_mail_server_refused_is_sent_by_the_next_run_while_the_hold_lasts(
    online: Clinics, monkeypatch: pytest.MonkeyPatch
):
    def refuse(self, fail_silently: bool = False) -> int:
        raise SMTPException("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        booking = services.request_booking(
            online.a, concern="thread_veins", starts_at=at(11), yes=set(NO), person=person()
        )
    assert isinstance(booking, OnlineBooking)
    message = Message.objects.get(dedupe_key=f"booking:confirm:{booking.pk}")
    assert (message.status, message.to, len(mail.outbox)) == (MessageStatus.FAILED, "ann@example.org", 0)
    send_reminders()
    send_reminders()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [m.subject for m in mail.outbox] == [f"{online.a.name}: please confirm your consultation"]


def test_a_confirmation_email_is_not_retried_once_its_hold_has_run_out(
    online: Clinics, monkeypatch: pytest.MonkeyPatch
):
    def refuse(self, fail_silently: bool = False) -> int:
        raise SMTPException("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        booking = services.request_booking(
            online.a, concern="thread_veins", starts_at=at(11), yes=set(NO), person=person()
        )
    assert isinstance(booking, OnlineBooking)
    with time_machine.travel(expiry(booking) + timedelta(seconds=1)):
        send_reminders()
    assert Message.objects.get(dedupe_key=f"booking:confirm:{booking.pk}").status == MessageStatus.FAILED
    assert mail.outbox == []
