"""Reminders go through a real SMTP server on 127.0.0.1, and are never sent twice."""

from __future__ import annotations

import datetime as dt
import io
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.core import mail
from django.core.management import call_command

from scleropath.checkins.models import CheckIn
from scleropath.checkins.services import send_reminders
from scleropath.messaging.models import Message, MessageStatus
from tests.pathway import Pathway


class Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


def test_the_check_in_reminder_arrives_by_smtp_on_its_day_with_the_patients_link(
    smtp: Inbox, treated: Pathway, link
):
    _, url, _ = link
    smtp.messages.clear()
    day_one = CheckIn.objects.get(session=treated.session, day=1).due_on
    with time_machine.travel(dt.datetime.combine(day_one, dt.time(8))):
        sent = send_reminders()
    assert sent["check_in"] == 1
    message = smtp.messages[-1]
    assert message["To"] == "ann.jones@example.com"
    assert message["Subject"] == "Day 1 check-in after your treatment"
    assert url in message.get_payload()


def test_running_the_reminders_again_and_again_sends_each_once(smtp: Inbox, treated: Pathway, link):
    smtp.messages.clear()
    day_one = CheckIn.objects.get(session=treated.session, day=1).due_on
    with time_machine.travel(dt.datetime.combine(day_one, dt.time(8))):
        for _ in range(3):
            send_reminders()
    with time_machine.travel(dt.datetime.combine(day_one, dt.time(17))):
        send_reminders()
    assert len([m for m in smtp.messages if "check-in" in m["Subject"]]) == 1
    assert Message.objects.filter(purpose="check_in", status=MessageStatus.SENT).count() == 1


def test_appointment_reminders_go_the_day_before(smtp: Inbox, treated: Pathway, link):
    smtp.messages.clear()
    follow_up = treated.session.follow_ups.order_by("due_on").first()
    with time_machine.travel(dt.datetime.combine(follow_up.due_on - dt.timedelta(days=2), dt.time(9))):
        assert send_reminders()["follow_up"] == 0
    with time_machine.travel(dt.datetime.combine(follow_up.due_on - dt.timedelta(days=1), dt.time(9))):
        assert send_reminders()["follow_up"] == 1
        assert send_reminders()["follow_up"] == 0
    assert smtp.messages[-1]["Subject"] == "Your appointment tomorrow"


def test_a_failed_send_is_recorded_as_failed_and_the_next_run_sends_it_once(
    settings: Any, treated: Pathway, link
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    day_one = CheckIn.objects.get(session=treated.session, day=1).due_on
    with time_machine.travel(dt.datetime.combine(day_one, dt.time(8))):
        assert send_reminders()["check_in"] == 0
    failed = Message.objects.get(purpose="check_in")
    assert failed.status == MessageStatus.FAILED
    assert "refused" in failed.last_error or "Connection" in failed.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(dt.datetime.combine(day_one, dt.time(9))):
        first, second = send_reminders(), send_reminders()
    assert (first["retried"] + first["check_in"], second["retried"] + second["check_in"]) == (1, 0)
    assert [m.subject for m in mail.outbox if "check-in after" in m.subject] == [
        "Day 1 check-in after your treatment"
    ]


def test_the_command_reports_what_it_did(treated: Pathway, link):
    out = io.StringIO()
    day_one = CheckIn.objects.get(session=treated.session, day=1).due_on
    with time_machine.travel(dt.datetime.combine(day_one, dt.time(8))):
        call_command("send_reminders", stdout=out)
    assert "1 check-in reminder(s)" in out.getvalue()
