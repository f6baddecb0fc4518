"""After treatment: aftercare handed over, follow-up appointments, adverse events and outcomes; and
the clinicians' free-text notes on an assessment, a session or a follow-up visit (here because this
is the lowest app that sees all three)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from scleropath.assessments.models import Assessment, TreatmentPlan, VeinFinding
from scleropath.core.models import ClinicalRecord, Versioned
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection, TreatmentSession


class AftercarePlan(ClinicalRecord):
    """The engine's aftercare for what was done in a session, frozen when the session completed."""

    session = models.OneToOneField(TreatmentSession, on_delete=models.PROTECT, related_name="aftercare")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="aftercare_plans")
    content = models.JSONField()
    protocol_id = models.CharField(max_length=100)
    protocol_version = models.CharField(max_length=30)
    handed_over_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Aftercare after session {self.session_id}"


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class FollowUp(ClinicalRecord):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="follow_ups")
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    kind = models.CharField(max_length=60, help_text="The protocol's follow-up id, or 'manual'")
    purpose = models.CharField(max_length=200)
    due_on = models.DateField()
    window_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.SCHEDULED)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["clinic", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.purpose} due {self.due_on} ({self.status})"


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class AdverseEvent(ClinicalRecord):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, null=True, blank=True, related_name="adverse_events"
    )
    injection = models.ForeignKey(
        Injection, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    symptom = models.CharField(max_length=50, help_text="Symptom code from the engine's vocabulary")
    onset_on = models.DateField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    triage_level = models.CharField(max_length=20)
    triage = models.JSONField(help_text="The engine's triage answer, frozen")
    management = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    is_draft = models.BooleanField(
        default=False, help_text="Created from a patient report, not yet confirmed"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-onset_on"]
        indexes = [
            models.Index(fields=["clinic", "symptom"]),
            models.Index(fields=["clinic", "triage_level"]),
        ]

    def __str__(self) -> str:
        return f"{self.symptom} from {self.onset_on} ({self.triage_level})"


class Outcome(ClinicalRecord):
    """How a treated area turned out at a review."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="outcomes")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="outcomes")
    finding = models.ForeignKey(
        VeinFinding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.CharField(max_length=100, help_text="The treated area, e.g. 'left lateral thigh'")
    assessed_on = models.DateField(default=timezone.localdate)
    clearance_percent = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Measured by the clinician; empty on the patient's own satisfaction report",
    )
    reported_by_patient = models.BooleanField(default=False)
    satisfaction = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (poor) to 5",
    )
    recurrence = models.BooleanField(default=False)
    retreatment_needed = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_on"]
        indexes = [
            models.Index(fields=["clinic", "assessed_on"]),
            # A patient's live outcomes of a period, asked per patient by the analytics' retreatment
            # figure; the clinic leads because those queries always name it.
            models.Index(fields=["clinic", "patient", "voided_at", "assessed_on"]),
        ]

    def __str__(self) -> str:
        return f"Outcome of {self.area} on {self.assessed_on}"


# A note is a paragraph or a few, not a letter: long enough for any visit's note, short enough to
# read on the page (a UI bound, not a clinical number).
NOTE_MAX_CHARS = 5000
NOTE_PARENTS = ("assessment", "session", "follow_up")


def validate_note_text(value: str) -> None:
    if not value.strip():
        raise ValidationError("Write the note before saving it.", code="blank")


class ClinicalNote(ClinicalRecord, Versioned):
    """A clinician's free-text note on exactly one of an assessment, a treatment session or a
    follow-up visit (the database refuses none or two). Voided with a reason, never edited: a
    correction is a new note."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="clinical_notes")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="clinical_notes"
    )
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, null=True, blank=True, related_name="clinical_notes"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="clinical_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(
        max_length=NOTE_MAX_CHARS,
        validators=[MaxLengthValidator(NOTE_MAX_CHARS), validate_note_text],
        error_messages={"blank": "Write the note before saving it."},
    )

    class Meta:
        ordering = ["written_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(assessment__isnull=False, session__isnull=True, follow_up__isnull=True)
                    | models.Q(assessment__isnull=True, session__isnull=False, follow_up__isnull=True)
                    | models.Q(assessment__isnull=True, session__isnull=True, follow_up__isnull=False)
                ),
                name="clinical_note_has_exactly_one_parent",
                violation_error_message="A note belongs to exactly one assessment, session or follow-up.",
            ),
        ]
        indexes = [
            # A patient's live notes in time order, for the chart's timeline.
            models.Index(fields=["patient", "voided_at", "written_at"]),
        ]

    def __str__(self) -> str:
        return f"Note of {self.written_at:%Y-%m-%d %H:%M} (patient {self.patient_id})"

    @property
    def parent(self) -> Assessment | TreatmentSession | FollowUp:
        """The record the note is written on."""
        found = self.assessment or self.session or self.follow_up
        assert found is not None  # the check constraint holds one
        return found

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")
