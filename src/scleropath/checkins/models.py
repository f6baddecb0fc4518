"""The patient's own link after a session, their check-ins and the flags they raise. The reminders
sent for them are ``messaging.Message`` rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from scleropath.core.models import ClinicalRecord
from scleropath.patients.models import Patient
from scleropath.treatment.models import TreatmentSession


class PatientLink(ClinicalRecord):
    """A personal link to the patient's aftercare and check-ins.

    The link's token is this row's id and a random nonce, signed with the SECRET_KEY: it cannot be
    guessed or altered, it can be rebuilt for reminder emails, and it dies when revoked or expired.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="links")
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="links")
    nonce = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_to = models.EmailField(blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    def is_usable(self) -> bool:
        return self.revoked_at is None and self.voided_at is None and timezone.now() < self.expires_at

    def __str__(self) -> str:
        return f"Link for session {self.session_id}, until {self.expires_at:%Y-%m-%d}"


class CheckInStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    ANSWERED = "answered", "Answered"
    MISSED = "missed", "Missed"


class CheckIn(ClinicalRecord):
    """One scheduled check-in; the answers are triaged by the engine by the days since treatment."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="check_ins")
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="check_ins")
    day = models.PositiveSmallIntegerField(help_text="Days after the session")
    purpose = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=CheckInStatus.choices, default=CheckInStatus.SCHEDULED)
    answered_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=list, help_text="Each reported symptom with the engine's triage")
    worst_level = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    photo = models.FileField(upload_to="checkin-photos/%Y/%m/", blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["clinic", "status", "due_on"])]
        constraints = [models.UniqueConstraint(fields=["session", "day"], name="checkin_day_unique")]

    def __str__(self) -> str:
        return f"Day {self.day} check-in ({self.status})"


class FlagKind(models.TextChoices):
    ANSWER = "answer", "Check-in answer needs review"
    MISSED = "missed", "Missed check-in"


class Flag(ClinicalRecord):
    """Something a clinician must see and acknowledge with a note."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="flags")
    check_in = models.ForeignKey(CheckIn, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField(max_length=10, choices=FlagKind.choices)
    level = models.CharField(max_length=20, help_text="Triage level, or 'missed'")
    summary = models.CharField(max_length=300)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement = models.TextField(blank=True)

    class Meta:
        ordering = ["acknowledged_at", "-created_at"]
        indexes = [models.Index(fields=["clinic", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.kind} flag: {self.summary}"
