"""Patients, their weights and their screening answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from scleropath.core.models import ClinicalRecord
from scleropath.core.validators import (
    WEIGHT_KG,
    check_event_date,
    decimal_bounds,
    normalise_phone,
    validate_date_of_birth,
)

from .nhs import normalise_nhs_number, validate_nhs_number


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Mobility(models.TextChoices):
    AMBULANT = "ambulant", "Walks normally"
    REDUCED = "reduced", "Reduced mobility"
    BEDRIDDEN = "bedridden", "Bedridden"


class Patient(ClinicalRecord):
    """A person treated at one clinic: the record every assessment, plan, session and follow-up hangs on.

    Registered by ``patients.services.create_patient`` in the registering user's clinic, and never
    moved to another: every query is scoped by clinic, and staff of another clinic get a 404. Like
    every clinical record it is voided with a reason, never deleted, and its reads are audited.

    What the engine needs of the person is not stored here but beside it, versioned: the weight
    (:class:`WeightMeasurement`, the latest on or before a day sets that day's dose limits) and the
    screening answers (:class:`ScreeningRecord`, the newest unvoided number is current).

    Invariants: an NHS number, when given, is stored normalised (digits only), passes the check digit
    and is unique within the clinic; a phone number, when given, is stored in E.164 (``+447700900123``).
    """

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    nhs_number = models.CharField(
        max_length=12, blank=True, validators=[validate_nhs_number], help_text="Optional; 10 digits."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(
        max_length=30, blank=True, help_text="Optional; with its area code, or +country code for abroad."
    )
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["clinic", "family_name", "given_name"]),
            models.Index(fields=["clinic", "date_of_birth"]),
            models.Index(fields=["clinic", "nhs_number"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "nhs_number"],
                condition=~models.Q(nhs_number=""),
                name="patient_nhs_number_unique_in_clinic",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_name}"

    def clean(self) -> None:
        self.nhs_number = normalise_nhs_number(self.nhs_number)
        try:
            self.phone = normalise_phone(self.phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
        if self.nhs_number and self.clinic_id is not None:
            others = Patient.objects.filter(clinic_id=self.clinic_id, nhs_number=self.nhs_number)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"nhs_number": "Another patient of this clinic already has this NHS number."}
                )

    def validate_constraints(self, exclude: Any = None) -> None:
        # clean() names the NHS number field for a duplicate; the constraint's own error names no
        # field. The constraint still guards the table against a write that races the check.
        super().validate_constraints(exclude={*(exclude or ()), "nhs_number"})

    def age_on(self, day: Any = None) -> int:
        day = day or timezone.localdate()
        born = self.date_of_birth
        years: int = day.year - born.year
        return years - int((day.month, day.day) < (born.month, born.day))

    def latest_weight(self, on: date | None = None) -> WeightMeasurement | None:
        """The latest weight measured on or before ``on`` (today by default): the one dose limits use."""
        return (
            self.weights.active()
            .filter(measured_on__lte=on or timezone.localdate())
            .order_by("-measured_on", "-id")
            .first()
        )

    def current_screening(self) -> ScreeningRecord | None:
        return self.screenings.active().order_by("-number").first()


class WeightMeasurement(ClinicalRecord):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="weights")
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1, validators=decimal_bounds(WEIGHT_KG))
    measured_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-measured_on"]

    def __str__(self) -> str:
        return f"{self.weight_kg} kg on {self.measured_on}"

    def clean(self) -> None:
        # A weight dated ahead would become the weight every later dose limit uses.
        if self.measured_on and self.measured_on > timezone.localdate():
            raise ValidationError({"measured_on": "A weight cannot be dated in the future."})
        if self.measured_on and self.patient_id is not None:
            check_event_date(self.measured_on, self.patient.date_of_birth, "measured_on", "A weight")


class ScreeningRecord(ClinicalRecord):
    """One version of a patient's screening answers, with the engine's verdict at that time.

    A new answer set makes a new record with the next number; earlier ones are kept.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    number = models.PositiveIntegerField()
    conditions = models.JSONField(default=list, help_text="Screening codes from the engine's vocabulary.")
    allergies = models.JSONField(default=list)
    pregnant = models.BooleanField(default=False)
    breastfeeding = models.BooleanField(default=False)
    mobility = models.CharField(max_length=20, choices=Mobility.choices, default=Mobility.AMBULANT)
    verdict = models.CharField(max_length=20)
    result = models.JSONField(help_text="The engine's screening answer, frozen.")
    protocol_id = models.CharField(max_length=100)
    protocol_version = models.CharField(max_length=30)
    screened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["patient", "number"], name="screening_number_unique")]

    def __str__(self) -> str:
        return f"Screening {self.number} of {self.screened_at:%Y-%m-%d}: {self.verdict}"
