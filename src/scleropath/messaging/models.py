"""Every email and text message sent to a patient, and the patient's choice of channels.

A :class:`Message` row is written before the message goes out, under a unique ``dedupe_key`` that
names what it is for (``appointment-reminder:48h:17:2026-12-07T09:00``): a second attempt to send
the same thing finds the row and sends nothing new. ``messaging.services.send_once`` is the one
place that writes these rows and talks to the mail and SMS backends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from scleropath.patients.models import Patient


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Claimed by one sender and handed to the backend; a message left here was interrupted mid-send
    # and is not retried by itself, since it may have gone out.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    WITHHELD = "withheld", "Withheld: the patient stopped this channel"


class Message(models.Model):
    """One message to a patient on one channel, sent at most once."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254, help_text="An email address, or a mobile number in E.164.")
    purpose = models.CharField(
        max_length=40, help_text="What kind of message: check_in, appointment_reminder…"
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    attachments = models.JSONField(
        default=list, blank=True, help_text="Email attachments: filename, MIME type and base64 content."
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=100, blank=True, help_text="The SMS provider's id for it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Not sent, nor retried, from this moment on (a reminder's appointment).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Not stored: True on the row ``send_once`` returns when that very call sent the message.
    just_sent = False

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.purpose} to {self.to} ({self.status})"


class ChannelChoice(models.Model):
    """Whether a patient allows messages on a channel; a channel with no row is allowed.

    One row per patient and channel, changed in place; the audit log keeps every earlier choice,
    with who changed it and why.
    """

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="channel_choices")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    allowed = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["channel"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "channel"], name="channel_choice_once_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {'allowed' if self.allowed else 'stopped'} for patient {self.patient_id}"
