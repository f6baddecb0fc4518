"""Assessments with their vein findings and leg scores, treatment plans and consent."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from scleropath.core.engine import name_of
from scleropath.core.models import ClinicalRecord, Versioned
from scleropath.core.numbers import plain_decimal
from scleropath.core.validators import DIAMETER_MM, decimal_bounds
from scleropath.patients.models import Patient

UNIT = [MinValueValidator(0), MaxValueValidator(1)]


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class LegView(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


class Assessment(ClinicalRecord):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    assessed_at = models.DateTimeField(default=timezone.now)
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_at"]
        indexes = [
            models.Index(fields=["clinic", "assessed_at"]),
            # A patient's live assessments in date order (each leg's first and last VCSS).
            models.Index(fields=["patient", "voided_at", "assessed_at"]),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.assessed_at:%Y-%m-%d} (patient {self.patient_id})"


class VeinFinding(ClinicalRecord):
    """One vein on the leg map, as measured, with the class the engine gave and any override."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="findings")
    label = models.CharField(max_length=20, help_text="Short id shown on the leg map, e.g. L1.")
    side = models.CharField(max_length=5, choices=Side.choices)
    region = models.CharField(max_length=30)
    view = models.CharField(max_length=5, choices=LegView.choices, default=LegView.FRONT)
    x = models.FloatField(validators=UNIT, help_text="0 left edge to 1 right edge of the named view")
    y = models.FloatField(validators=UNIT, help_text="0 top (groin) to 1 bottom (foot)")
    diameter_mm = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, validators=decimal_bounds(DIAMETER_MM)
    )
    depth = models.CharField(max_length=20, blank=True)
    named_vein = models.CharField(max_length=20, blank=True)
    reflux = models.BooleanField(null=True, blank=True)
    recurrent = models.BooleanField(default=False)
    visible = models.BooleanField(default=True)
    bleeding = models.BooleanField(default=False)
    engine_class = models.CharField(max_length=30, help_text="The class the engine derived")
    clinician_class = models.CharField(
        max_length=30, blank=True, help_text="The clinician's override, if any"
    )
    override_reason = models.TextField(blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The finding of the previous assessment this one was copied from, to be checked",
    )

    class Meta:
        ordering = ["assessment", "label"]
        constraints = [models.UniqueConstraint(fields=["assessment", "label"], name="finding_label_unique")]

    @property
    def vessel_class(self) -> str:
        return self.clinician_class or self.engine_class

    def __str__(self) -> str:
        where = name_of("region", self.region, capital=False) if self.region else "leg"
        size = f", {plain_decimal(self.diameter_mm)} mm" if self.diameter_mm is not None else ""
        return f"Finding {self.label}: {self.side} {where}{size}"


class LegScore(ClinicalRecord):
    """CEAP clinical classes and the revised VCSS for one leg at one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="leg_scores")
    side = models.CharField(max_length=5, choices=Side.choices)
    ceap_signs = models.JSONField(default=list)
    ceap_classes = models.JSONField(default=list)
    ceap_highest = models.CharField(max_length=5)
    vcss_items = models.JSONField(default=dict)
    vcss_total = models.PositiveSmallIntegerField(validators=[MaxValueValidator(30)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "side"], name="leg_score_unique")]

    def __str__(self) -> str:
        return f"{self.side.capitalize()} leg: {self.ceap_highest}, VCSS {self.vcss_total}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"
    COMPLETED = "completed", "Completed"


class TreatmentPlan(ClinicalRecord, Versioned):
    """The engine's plan for an assessment, frozen with the protocol it came from."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="plans")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    engine_answer = models.JSONField()
    protocol_id = models.CharField(max_length=100)
    protocol_version = models.CharField(max_length=30)
    clinic_protocol_id = models.CharField(max_length=100, blank=True)
    clinic_protocol_version = models.CharField(max_length=30, blank=True)
    overrides = models.JSONField(
        default=dict, help_text="Per finding label: the clinician's procedure and the reason."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "status"])]

    def procedures(self) -> list[str]:
        """The procedures this plan treats with (after any overrides)."""
        out: list[str] = []
        for f in self.engine_answer.get("findings", []):
            proc = self.overrides.get(f["id"], {}).get("procedure", f["procedure"])
            if proc not in out:
                out.append(proc)
        return out

    def __str__(self) -> str:
        return f"Plan {self.pk} ({self.status}) for patient {self.patient_id}"


class Consent(ClinicalRecord):
    """The patient's consent to a plan, with the exact text they were shown."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="consents")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    text_version = models.CharField(max_length=30)
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    procedures = models.JSONField(default=list)
    consented_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient_confirmed = models.BooleanField(default=True)

    class Meta:
        ordering = ["-consented_at"]

    def __str__(self) -> str:
        return f"Consent of {self.consented_at:%Y-%m-%d} to plan {self.plan_id}"
