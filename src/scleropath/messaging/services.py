"""Sending to patients once: every email and text message goes through :func:`send_once`.

The row comes first. ``send_once`` inserts the :class:`Message` under its unique ``dedupe_key``; a
second call with the same key (a cron run that overlaps another, a retry) finds that row instead of
making one. Then one caller claims it: a conditional UPDATE from queued or failed to sending, which
only one transaction can win (PostgreSQL's row lock makes a racing UPDATE wait and then see the
new status; SQLite's IMMEDIATE transactions run one writer at a time). The winner hands the message
to the backend outside any lock of its own and records sent, or failed with the error. So a sent
message is never sent again, a failed one is tried again by a later call or by
:func:`retry_failed` until its ``expires_at``, and a channel the patient stopped is withheld.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from scleropath.accounts.permissions import Action, require
from scleropath.core.validators import is_mobile

from .models import Channel, ChannelChoice, Message, MessageStatus
from .sms import send_sms

if TYPE_CHECKING:
    from scleropath.accounts.models import Clinic, User
    from scleropath.patients.models import Patient

# An attachment: file name, content and MIME type, as django.core.mail takes them.
Attachment = tuple[str, bytes, str]

SENDABLE = (MessageStatus.QUEUED, MessageStatus.FAILED)


# --- the patient's channels ---------------------------------------------------------------------


def channel_allowed(patient: Patient | None, channel: str) -> bool:
    """Whether the patient allows messages on ``channel`` (allowed unless they stopped it)."""
    if patient is None:
        return True
    return not ChannelChoice.objects.filter(patient=patient, channel=channel, allowed=False).exists()


def address_for(patient: Patient, channel: str) -> str:
    """Where a message on ``channel`` goes: the email address, or the phone number if it is a mobile;
    blank when the patient has none."""
    if channel == Channel.EMAIL:
        return patient.email.strip()
    phone = patient.phone.strip()
    return phone if phone and is_mobile(phone) else ""


def channels_for(patient: Patient) -> list[str]:
    """The channels a message can reach the patient on: allowed by them, with an address for it."""
    stopped = set(
        ChannelChoice.objects.filter(patient=patient, allowed=False).values_list("channel", flat=True)
    )
    return [c.value for c in Channel if c.value not in stopped and address_for(patient, c.value)]


def channel_choices(patient: Patient) -> dict[str, ChannelChoice | None]:
    """Each channel's recorded choice, None where the patient never chose (allowed)."""
    rows = {c.channel: c for c in ChannelChoice.objects.filter(patient=patient).select_related("changed_by")}
    return {c.value: rows.get(c.value) for c in Channel}


@transaction.atomic
def set_channel(by: User, patient: Patient, channel: str, allowed: bool, reason: str) -> ChannelChoice:
    """Record that the patient allows (or stopped) messages on ``channel``, who recorded it and why."""
    require(by, Action.EDIT_PATIENT)
    if channel not in Channel.values:
        raise ValidationError({"channel": f"Choose one of: {', '.join(Channel.values)}."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why, for example \u201cpatient asked on the phone\u201d."})
    if len(reason) > 300:
        raise ValidationError({"reason": "Keep the reason to 300 characters."})
    choice, created = ChannelChoice.objects.select_for_update().get_or_create(
        patient=patient,
        channel=channel,
        defaults={"clinic_id": patient.clinic_id, "allowed": allowed, "changed_by": by, "reason": reason},
    )
    if created:
        return choice
    choice.allowed, choice.changed_by, choice.changed_at, choice.reason = allowed, by, timezone.now(), reason
    choice.save()
    return choice


# --- sending ------------------------------------------------------------------------------------


def send_once(
    dedupe_key: str,
    *,
    clinic: Clinic | int,
    patient: Patient | None,
    channel: str,
    to: str,
    purpose: str,
    subject: str = "",
    body: str,
    attachments: Iterable[Attachment] = (),
    expires_at: datetime | None = None,
) -> Message:
    """Send a message unless the message with this key was sent already; returns its row.

    The first call records the message and sends it; a later call with the same key returns the same
    row, sending it only if it failed before and has not expired. A message on a channel the patient
    stopped is recorded as withheld and not sent.
    """
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    try:
        with transaction.atomic():
            message = Message.objects.create(
                dedupe_key=dedupe_key,
                clinic_id=clinic_id,
                patient=patient,
                channel=channel,
                to=to,
                purpose=purpose,
                subject=subject,
                body=body,
                attachments=[
                    {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
                    for name, content, mimetype in attachments
                ],
                expires_at=expires_at,
                status=MessageStatus.QUEUED if channel_allowed(patient, channel) else MessageStatus.WITHHELD,
            )
    except IntegrityError:
        message = Message.objects.get(dedupe_key=dedupe_key)
    return deliver(message)


def deliver(message: Message, now: datetime | None = None) -> Message:
    """Send a queued or failed message that has not expired, if this caller wins the claim on it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            Message.objects.filter(pk=message.pk, status__in=SENDABLE)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .update(status=MessageStatus.SENDING, attempts=F("attempts") + 1)
        )
    if not claimed:
        message.refresh_from_db()
        return message
    try:
        provider_id = _hand_over(message)
    except Exception as exc:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
    else:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), provider_id=provider_id[:100], last_error=""
        )
    message.refresh_from_db()
    message.just_sent = message.status == MessageStatus.SENT
    return message


def _hand_over(message: Message) -> str:
    if message.channel == Channel.SMS:
        return send_sms(message.to, message.body)
    email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    email.send()
    return ""


def retry_failed(now: datetime | None = None, exclude_purposes: Iterable[str] = ()) -> int:
    """Try each failed message again that has not expired, but those of ``exclude_purposes`` (whose
    own senders retry them while they still hold); returns how many went out."""
    now = now or timezone.now()
    failed = (
        Message.objects.filter(status=MessageStatus.FAILED)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .exclude(purpose__in=list(exclude_purposes))
    )
    return sum(deliver(m, now).status == MessageStatus.SENT for m in failed.order_by("id"))


def recent_messages(patient: Patient, limit: int = 10) -> list[Message]:
    """The patient's latest messages, newest first."""
    return list(Message.objects.filter(patient=patient).order_by("-created_at", "-id")[:limit])
