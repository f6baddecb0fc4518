"""Appointment confirmations and reminders, by email and text message as the patient allows.

For each booked appointment still ahead, ``send_appointment_messages`` sends a confirmation (by
email with the appointment as an ``.ics`` file, and a short text), then a reminder at the clinic's
``first_reminder_hours`` and one at its ``second_reminder_hours`` before the start (0 turns one off).
It is safe to run as often as you like: every message goes through ``messaging.send_once`` under a
key of the appointment's id, its start and the channel, so each is sent once; a moved appointment
has new keys and so gets a fresh confirmation and fresh reminders, and a cancelled one gets none.
A reminder expires at the start: one not sent by then is never sent.

A reminder whose moment came before the patient was sent the confirmation is skipped (the
confirmation just told them), and so is the first reminder once the second is due.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from scleropath.messaging.models import Channel, Message, MessageStatus
from scleropath.messaging.services import address_for, send_once

from .ical import appointment_ics
from .models import Appointment, AppointmentStatus, DiarySettings, Invitation, RecallReason
from .services import diary_settings

CONFIRMATION = "appointment_confirmation"
REMINDER = "appointment_reminder"
# The purposes of the diary's messages: they are retried only by this module, for the appointment's
# current time, never by ``messaging.retry_failed`` (a failed one may be for a time since moved).
PURPOSES = (CONFIRMATION, REMINDER)


def _when(appointment: Appointment) -> str:
    local = timezone.localtime(appointment.starts_at)
    return f"{local:%A} {local.day} {local:%B at %H:%M}"


def _key(what: str, appointment: Appointment, channel: str) -> str:
    return f"{what}:{appointment.pk}:{appointment.starts_at.isoformat()}:{channel}"


def _confirm(appointment: Appointment, channel: str, to: str) -> Message:
    clinic, patient = appointment.clinic, appointment.patient
    kind = appointment.get_kind_display()
    if channel == Channel.EMAIL:
        context = {"patient": patient, "clinic": clinic, "appointment": appointment, "kind": kind}
        body: str = render_to_string("diary/email_confirmation.txt", {**context, "when": _when(appointment)})
        attachments = [("appointment.ics", appointment_ics(appointment), "text/calendar")]
    else:
        call = f" To change it call {clinic.phone}." if clinic.phone else ""
        body = f"{clinic.name}: your {kind.lower()} is booked for {_when(appointment)}.{call}"
        attachments = []
    return send_once(
        _key(CONFIRMATION, appointment, channel),
        clinic=appointment.clinic_id,
        patient=patient,
        channel=channel,
        to=to,
        purpose=CONFIRMATION,
        subject=f"Your {kind.lower()} on {_when(appointment)}",
        body=body,
        attachments=attachments,
        expires_at=appointment.starts_at,
    )


def _remind(appointment: Appointment, which: str, channel: str, to: str) -> Message:
    clinic, patient = appointment.clinic, appointment.patient
    kind = appointment.get_kind_display()
    if channel == Channel.EMAIL:
        context = {"patient": patient, "clinic": clinic, "appointment": appointment, "kind": kind}
        body: str = render_to_string("diary/email_reminder.txt", {**context, "when": _when(appointment)})
    else:
        call = f" To change it call {clinic.phone}." if clinic.phone else ""
        body = f"{clinic.name}: reminder of your {kind.lower()} on {_when(appointment)}.{call}"
    return send_once(
        _key(f"{REMINDER}:{which}", appointment, channel),
        clinic=appointment.clinic_id,
        patient=patient,
        channel=channel,
        to=to,
        purpose=REMINDER,
        subject=f"Reminder: your {kind.lower()} on {_when(appointment)}",
        body=body,
        expires_at=appointment.starts_at,
    )


def due_reminders(settings: DiarySettings, starts_at: datetime, now: datetime) -> list[tuple[str, datetime]]:
    """The reminders due at ``now`` for an appointment at ``starts_at``: ("first"|"second", moment);
    only the later of the two when both are."""
    due = [
        (which, starts_at - timedelta(hours=hours))
        for which, hours in (
            ("first", settings.first_reminder_hours),
            ("second", settings.second_reminder_hours),
        )
        if hours and starts_at - timedelta(hours=hours) <= now < starts_at
    ]
    return due[-1:] if len(due) == 2 and due[0][1] < due[1][1] else due


def send_appointment_messages(now: datetime | None = None) -> dict[str, int]:
    """Send every confirmation and reminder now due; returns how many of each kind went out."""
    now = now or timezone.now()
    sent = {"confirmation": 0, "first_reminder": 0, "second_reminder": 0}
    ahead: Iterable[Appointment] = (
        Appointment.objects.filter(
            voided_at__isnull=True, status=AppointmentStatus.BOOKED, patient__isnull=False, starts_at__gt=now
        )
        .select_related("patient", "clinic", "practitioner", "room")
        .order_by("starts_at", "pk")
    )
    # The messages already settled for appointments still ahead, read once, so a run that has nothing
    # new to send neither renders nor tries to insert them again.
    settled = {
        m.dedupe_key: m
        for m in Message.objects.filter(
            purpose__in=PURPOSES,
            status__in=(MessageStatus.SENT, MessageStatus.WITHHELD),
            expires_at__gt=now,
        ).only("dedupe_key", "status", "sent_at", "created_at")
    }
    policies: dict[int, DiarySettings] = {}
    for appointment in ahead:
        policy = policies.get(appointment.clinic_id) or diary_settings(appointment.clinic_id)
        policies[appointment.clinic_id] = policy
        assert appointment.patient is not None
        for channel in Channel.values:
            to = address_for(appointment.patient, channel)
            if not to:
                continue
            confirmation = settled.get(_key(CONFIRMATION, appointment, channel)) or _confirm(
                appointment, channel, to
            )
            sent["confirmation"] += confirmation.just_sent
            if confirmation.status not in (MessageStatus.SENT, MessageStatus.WITHHELD):
                continue  # no reminder before the confirmation has gone
            told = confirmation.sent_at or confirmation.created_at
            for which, moment in due_reminders(policy, appointment.starts_at, now):
                if moment <= told or _key(f"{REMINDER}:{which}", appointment, channel) in settled:
                    continue
                sent[f"{which}_reminder"] += _remind(appointment, which, channel, to).just_sent
    return sent


INVITATION = "recall_invitation"


def send_invitation(invitation: Invitation) -> dict[str, str]:
    """Send a recall invitation to book by email and text, as the patient allows and has an address;
    each channel once (the invitation's id is in the key). Returns each channel's message status."""
    patient, clinic = invitation.patient, invitation.clinic
    what = (
        "a review of your treatment"
        if invitation.reason == RecallReason.REVIEW_OVERDUE
        else "a further treatment, as advised at your review"
    )
    call = f"call the clinic on {clinic.phone}" if clinic.phone else "contact the clinic"
    statuses: dict[str, str] = {}
    for channel in Channel.values:
        to = address_for(patient, channel)
        if not to:
            continue
        if channel == Channel.EMAIL:
            body: str = render_to_string(
                "diary/email_invitation.txt",
                {"patient": patient, "clinic": clinic, "what": what, "call": call},
            )
        else:
            body = f"{clinic.name}: it is time to book {what}. Please {call}."
        statuses[channel] = send_once(
            f"{INVITATION}:{invitation.pk}:{channel}",
            clinic=clinic,
            patient=patient,
            channel=channel,
            to=to,
            purpose=INVITATION,
            subject=f"{clinic.name}: time to book {what}",
            body=body,
        ).status
    return statuses


def invitation_sent_by(invitation: Invitation) -> list[str]:
    """The channels an invitation went out on, by name ("email", "text message")."""
    sent = Message.objects.filter(
        dedupe_key__startswith=f"{INVITATION}:{invitation.pk}:", status=MessageStatus.SENT
    ).order_by("channel")
    return [Channel(m.channel).label.lower() for m in sent]
