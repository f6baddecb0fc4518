"""Every message is recorded before it goes, goes once however often or however concurrently it is
asked for, is retried after a failure until it expires, and is withheld on a channel the patient
stopped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from scleropath.messaging import services as messaging
from scleropath.messaging.models import ChannelChoice, Message, MessageStatus
from scleropath.patients.models import Patient
from tests.concurrency import at_once
from tests.pathway import Clinics

BROKEN = "tests.messaging.conftest.BrokenBackend"
SLOW = "tests.messaging.conftest.SlowBackend"


def text(patient: Patient, key: str = "test:1", **kwargs: Any) -> Message:
    kwargs.setdefault("expires_at", None)
    return messaging.send_once(
        key,
        clinic=patient.clinic_id,
        patient=patient,
        channel="sms",
        to=patient.phone,
        purpose="test",
        body="Your appointment is tomorrow at 10:00.",
        **kwargs,
    )


def test_a_text_message_is_recorded_and_sent(ann: Patient, sms_outbox: list):
    message = text(ann)
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1 and message.sent_at is not None
    assert [(m.to, m.body) for m in sms_outbox] == [
        ("+447700900123", "Your appointment is tomorrow at 10:00.")
    ]
    assert message.provider_id == sms_outbox[0].provider_id


def test_an_email_goes_with_its_attachment(ann: Patient):
    message = messaging.send_once(
        "email:1",
        clinic=ann.clinic_id,
        patient=ann,
        channel="email",
        to=ann.email,
        purpose="test",
        subject="Your appointment",
        body="See you soon.",
        attachments=[("appointment.ics", b"BEGIN:VCALENDAR", "text/calendar")],
    )
    assert message.status == MessageStatus.SENT
    (sent,) = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (
        ["ann.jones@example.com"],
        "Your appointment",
        "See you soon.",
    )
    assert sent.attachments[0][0] == "appointment.ics"
    assert sent.attachments[0][1] in (b"BEGIN:VCALENDAR", "BEGIN:VCALENDAR")


def test_a_second_call_with_the_same_key_sends_nothing_and_returns_the_same_row(
    ann: Patient, sms_outbox: list
):
    first, second = text(ann), text(ann)
    assert first.pk == second.pk
    assert len(sms_outbox) == 1
    assert Message.objects.count() == 1


def test_a_failure_is_recorded_and_the_next_call_sends_it_once(ann: Patient, sms_outbox: list, settings: Any):
    settings.SMS_BACKEND = BROKEN
    failed = text(ann)
    assert failed.status == MessageStatus.FAILED
    assert "provider unavailable (503)" in failed.last_error
    settings.SMS_BACKEND = "scleropath.messaging.sms.OutboxBackend"
    retried = text(ann)
    assert (retried.pk, retried.status, retried.attempts, retried.last_error) == (
        failed.pk,
        MessageStatus.SENT,
        2,
        "",
    )
    text(ann)
    assert len(sms_outbox) == 1


def test_retry_failed_sends_failed_messages_but_not_expired_ones(
    ann: Patient, sms_outbox: list, settings: Any
):
    settings.SMS_BACKEND = BROKEN
    soon = timezone.now() + timedelta(hours=1)
    text(ann, "keeps", expires_at=None)
    text(ann, "lapses", expires_at=soon)
    settings.SMS_BACKEND = "scleropath.messaging.sms.OutboxBackend"
    assert messaging.retry_failed(now=soon + timedelta(minutes=1)) == 1
    assert Message.objects.get(dedupe_key="keeps").status == MessageStatus.SENT
    lapsed = Message.objects.get(dedupe_key="lapses")
    assert (lapsed.status, lapsed.attempts) == (MessageStatus.FAILED, 1)
    assert messaging.retry_failed(now=soon + timedelta(minutes=2)) == 0
    assert len(sms_outbox) == 1


def test_a_message_past_its_expiry_is_not_sent(ann: Patient, sms_outbox: list):
    message = text(ann, expires_at=timezone.now() - timedelta(seconds=1))
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 0
    assert sms_outbox == []


def test_a_stopped_channel_withholds_the_message_and_the_other_still_goes(
    clinics: Clinics, ann: Patient, sms_outbox: list
):
    messaging.set_channel(clinics.rita, ann, "sms", False, "Asked on the phone: no texts")
    assert messaging.channels_for(ann) == ["email"]
    assert text(ann).status == MessageStatus.WITHHELD
    assert sms_outbox == []
    messaging.set_channel(clinics.rita, ann, "sms", True, "Changed her mind")
    assert text(ann, "test:2").status == MessageStatus.SENT
    assert ChannelChoice.objects.get(patient=ann, channel="sms").reason == "Changed her mind"


def test_channels_need_an_address_a_landline_takes_no_texts(clinics: Clinics, ann: Patient):
    assert messaging.channels_for(ann) == ["email", "sms"]
    ann.phone, ann.email = "+442079460000", ""
    assert messaging.channels_for(ann) == []


def test_a_channel_change_needs_a_reason_and_the_right_to_edit_the_patient(clinics: Clinics, ann: Patient):
    with pytest.raises(ValidationError, match="Say why"):
        messaging.set_channel(clinics.rita, ann, "email", False, "  ")
    with pytest.raises(ValidationError, match="Choose one of"):
        messaging.set_channel(clinics.rita, ann, "pigeon", False, "why not")
    with pytest.raises(PermissionDenied):
        messaging.set_channel(clinics.mark, ann, "email", False, "Manager may not")
    assert not ChannelChoice.objects.exists()


def test_a_channel_change_is_in_the_audit_log(clinics: Clinics, ann: Patient):
    from auditlog.models import LogEntry

    choice = messaging.set_channel(clinics.rita, ann, "email", False, "Bounced")
    messaging.set_channel(clinics.nora, ann, "email", True, "New address given")
    entries = LogEntry.objects.get_for_object(choice)
    assert entries.count() == 2


@pytest.mark.django_db(transaction=True)
def test_ten_senders_at_once_send_the_message_once(ann: Patient, sms_outbox: list, settings: Any):
    settings.SMS_BACKEND = SLOW
    results = at_once(10, lambda: text(ann, "raced"))
    assert all(isinstance(r, Message) for r in results), results
    assert len(sms_outbox) == 1
    message = Message.objects.get(dedupe_key="raced")
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_ten_retries_of_a_failed_message_at_once_send_it_once(ann: Patient, sms_outbox: list, settings: Any):
    settings.SMS_BACKEND = BROKEN
    text(ann, "raced")
    settings.SMS_BACKEND = SLOW
    at_once(10, lambda: text(ann, "raced"))
    assert len(sms_outbox) == 1
    assert Message.objects.get(dedupe_key="raced").attempts == 2
