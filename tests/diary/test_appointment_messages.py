"""A booked appointment is confirmed once and reminded of once at each of the clinic's reminder
moments, by email and by text as the patient allows, however often the reminders run; a move
brings fresh messages and a cancellation stops them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from scleropath.diary import services as diary
from scleropath.diary.ical import appointment_ics
from scleropath.diary.models import Appointment
from scleropath.diary.reminders import send_appointment_messages
from scleropath.messaging import services as messaging
from scleropath.messaging.models import Message, MessageStatus
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from tests.diary.conftest import Diary
from tests.pathway import Clinics

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)
FRIDAY_10 = dt.datetime(2027, 1, 8, 10, 0, tzinfo=LONDON)
BROKEN = "tests.messaging.conftest.BrokenBackend"


@pytest.fixture
def bea(clinics: Clinics) -> Patient:
    return patients.create_patient(
        clinics.rita,
        given_name="Bea",
        family_name="Lowe",
        date_of_birth="1980-05-05",
        email="bea.lowe@example.com",
        phone="07700 900222",
    )


def book(clinics: Clinics, patient: Patient, rooms: Diary, at: dt.datetime = FRIDAY_10) -> Appointment:
    return diary.book(
        clinics.rita,
        patient=patient,
        practitioner=clinics.alice,
        kind="consultation",
        starts_at=at,
        room=rooms.room1,
    )


def run_at(moment: dt.datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return send_appointment_messages()


def subjects() -> list[str]:
    return [str(m.subject) for m in mail.outbox]


def test_one_confirmation_and_one_reminder_at_48_and_2_hours_per_channel(
    clinics: Clinics, bea: Patient, rooms: Diary, sms_outbox: list
):
    with time_machine.travel(MONDAY, tick=False):
        book(clinics, bea, rooms)
    timeline = [
        (MONDAY, {"confirmation": 2}),
        (MONDAY + dt.timedelta(minutes=5), {}),
        (FRIDAY_10 - dt.timedelta(hours=48, minutes=1), {}),
        (FRIDAY_10 - dt.timedelta(hours=48), {"first_reminder": 2}),
        (FRIDAY_10 - dt.timedelta(hours=47), {}),
        (FRIDAY_10 - dt.timedelta(hours=2), {"second_reminder": 2}),
        (FRIDAY_10 - dt.timedelta(minutes=1), {}),
        (FRIDAY_10 + dt.timedelta(minutes=30), {}),
    ]
    for moment, expected in timeline:
        sent = run_at(moment)
        assert {k: v for k, v in sent.items() if v} == expected, moment
    assert subjects() == [
        "Your consultation on Friday 8 January at 10:00",
        "Reminder: your consultation on Friday 8 January at 10:00",
        "Reminder: your consultation on Friday 8 January at 10:00",
    ]
    assert [m.to for m in sms_outbox] == ["+447700900222"] * 3
    assert sms_outbox[0].body.startswith(
        "Riverside Vein Clinic: your consultation is booked for Friday 8 January"
    )
    assert "call 020 7946 0000" in sms_outbox[0].body
    assert "Dear Bea" in mail.outbox[0].body and "with Alice" in mail.outbox[0].body


def test_the_confirmation_email_carries_the_appointment_as_a_calendar_file(
    clinics: Clinics, bea: Patient, rooms: Diary
):
    with time_machine.travel(MONDAY, tick=False):
        appointment = book(clinics, bea, rooms)
    run_at(MONDAY)
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event["uid"] == f"appointment-{appointment.pk}@127.0.0.1"
    assert event.decoded("dtstart") == FRIDAY_10
    assert event.decoded("dtend") == FRIDAY_10 + dt.timedelta(minutes=30)
    assert str(event["summary"]) == "Consultation at Riverside Vein Clinic"
    assert str(event["location"]) == "Riverside Vein Clinic, Room 1"


def test_a_moved_appointment_gets_a_fresh_confirmation_and_its_reminders_at_the_new_time(
    clinics: Clinics, bea: Patient, rooms: Diary, sms_outbox: list
):
    with time_machine.travel(MONDAY, tick=False):
        appointment = book(clinics, bea, rooms)
    run_at(MONDAY)
    later = FRIDAY_10 + dt.timedelta(days=2)
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        moved = diary.move(clinics.rita, appointment, expected_version=appointment.version, starts_at=later)
        assert send_appointment_messages() == {"confirmation": 2, "first_reminder": 0, "second_reminder": 0}
    assert run_at(FRIDAY_10 - dt.timedelta(hours=48))["first_reminder"] == 0  # the old time's moment
    assert run_at(later - dt.timedelta(hours=48))["first_reminder"] == 2
    assert subjects()[1] == "Your consultation on Sunday 10 January at 10:00"
    ics = Calendar.from_ical(mail.outbox[1].attachments[0][1]).walk("VEVENT")[0]
    assert (ics.decoded("dtstart"), ics.decoded("sequence")) == (later, moved.version - 1)


def test_a_cancelled_appointment_gets_no_reminders(
    clinics: Clinics, bea: Patient, rooms: Diary, sms_outbox: list
):
    with time_machine.travel(MONDAY, tick=False):
        appointment = book(clinics, bea, rooms)
    run_at(MONDAY)
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        diary.cancel(
            clinics.rita, appointment, expected_version=appointment.version, reason="Patient is away"
        )
    for hours in (48, 2):
        assert sum(run_at(FRIDAY_10 - dt.timedelta(hours=hours)).values()) == 0
    assert len(mail.outbox) == len(sms_outbox) == 1


def test_a_failed_text_is_sent_by_the_next_run_once(
    clinics: Clinics, bea: Patient, rooms: Diary, sms_outbox: list, settings: Any
):
    with time_machine.travel(MONDAY, tick=False):
        book(clinics, bea, rooms)
    settings.SMS_BACKEND = BROKEN
    assert run_at(MONDAY)["confirmation"] == 1  # the email
    failed = Message.objects.get(purpose="appointment_confirmation", channel="sms")
    assert (failed.status, sms_outbox) == (MessageStatus.FAILED, [])
    assert "provider unavailable" in failed.last_error
    settings.SMS_BACKEND = "scleropath.messaging.sms.OutboxBackend"
    assert run_at(MONDAY + dt.timedelta(minutes=5))["confirmation"] == 1
    assert run_at(MONDAY + dt.timedelta(minutes=10))["confirmation"] == 0
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, len(sms_outbox)) == (MessageStatus.SENT, 2, 1)


def test_a_stopped_channel_is_withheld_and_the_other_still_goes(
    clinics: Clinics, bea: Patient, rooms: Diary, sms_outbox: list
):
    messaging.set_channel(clinics.rita, bea, "sms", False, "Prefers email")
    with time_machine.travel(MONDAY, tick=False):
        book(clinics, bea, rooms)
    run_at(MONDAY)
    run_at(FRIDAY_10 - dt.timedelta(hours=48))
    assert sms_outbox == []
    assert len(mail.outbox) == 2
    withheld = Message.objects.filter(channel="sms").values_list("status", flat=True)
    assert list(withheld) == [MessageStatus.WITHHELD] * 2


def test_a_booking_inside_the_reminder_window_gets_its_confirmation_only(
    clinics: Clinics, bea: Patient, rooms: Diary, sms_outbox: list
):
    soon = FRIDAY_10 - dt.timedelta(hours=1)
    with time_machine.travel(soon, tick=False):
        book(clinics, bea, rooms)
        assert send_appointment_messages() == {"confirmation": 2, "first_reminder": 0, "second_reminder": 0}
    assert run_at(soon + dt.timedelta(minutes=30)) == {
        "confirmation": 0,
        "first_reminder": 0,
        "second_reminder": 0,
    }


def test_a_reminder_set_to_zero_hours_is_off(clinics: Clinics, bea: Patient, rooms: Diary):
    policy = diary.diary_settings(clinics.a)
    policy.first_reminder_hours = 0
    policy.save()
    with time_machine.travel(MONDAY, tick=False):
        book(clinics, bea, rooms)
    run_at(MONDAY)
    assert run_at(FRIDAY_10 - dt.timedelta(hours=48))["first_reminder"] == 0
    assert run_at(FRIDAY_10 - dt.timedelta(hours=2))["second_reminder"] == 2


def test_a_patient_with_a_landline_only_gets_email(
    clinics: Clinics, bea: Patient, rooms: Diary, sms_outbox: list
):
    Patient.objects.filter(pk=bea.pk).update(phone="+442079460001")
    bea.refresh_from_db()
    with time_machine.travel(MONDAY, tick=False):
        book(clinics, bea, rooms)
    assert run_at(MONDAY)["confirmation"] == 1
    assert sms_outbox == []


def test_the_command_sends_appointment_messages_and_counts_each_kind(
    clinics: Clinics, bea: Patient, rooms: Diary
):
    with time_machine.travel(MONDAY, tick=False):
        book(clinics, bea, rooms)
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
    assert "2 appointment confirmation(s)" in out.getvalue()
    assert "0 first and 0 second appointment reminder(s)" in out.getvalue()


def test_the_calendar_file_of_an_appointment_without_a_room_names_the_clinic(
    clinics: Clinics, bea: Patient, rooms: Diary
):
    with time_machine.travel(MONDAY, tick=False):
        appointment = diary.book(
            clinics.rita, patient=bea, practitioner=clinics.nora, kind="review", starts_at=FRIDAY_10
        )
    event = Calendar.from_ical(appointment_ics(appointment)).walk("VEVENT")[0]
    assert str(event["location"]) == "Riverside Vein Clinic"
    assert str(event["description"]) == "With Nora. To change it, call 020 7946 0000."


def test_a_run_with_nothing_new_to_send_reads_the_same_queries_however_many_appointments(
    clinics: Clinics, bea: Patient, rooms: Diary
):
    def quiet_run_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert sum(run_at(MONDAY + dt.timedelta(minutes=5)).values()) == 0
        return len(queries)

    with time_machine.travel(MONDAY, tick=False):
        book(clinics, bea, rooms)
    run_at(MONDAY)
    one = quiet_run_queries()
    with time_machine.travel(MONDAY, tick=False):
        for hour in (11, 12, 13):
            book(clinics, bea, rooms, at=FRIDAY_10.replace(hour=hour))
    run_at(MONDAY)
    assert quiet_run_queries() == one
