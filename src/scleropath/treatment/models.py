"""Sclerosant stock, treatment sessions and every injection given."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from scleropath.assessments.models import LegView, TreatmentPlan, VeinFinding
from scleropath.core.engine import name_of
from scleropath.core.models import ClinicalRecord, Versioned
from scleropath.core.numbers import plain_decimal
from scleropath.core.validators import FOAM_GAS_PARTS, VOLUME_ML, decimal_bounds
from scleropath.patients.models import Patient


class StockLot(ClinicalRecord):
    """A lot of a sclerosant product held by the clinic."""

    product = models.CharField(max_length=50, help_text="Product id in the protocol's formulary")
    agent = models.CharField(max_length=50)
    concentration_percent = models.DecimalField(max_digits=5, decimal_places=2)
    lot_number = models.CharField(max_length=50)
    expiry_date = models.DateField()
    quantity = models.PositiveIntegerField(help_text="Ampoules or vials in stock")
    received_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["expiry_date", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "product", "lot_number"], name="stock_lot_unique_in_clinic"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{name_of('product', self.product)} {plain_decimal(self.concentration_percent)}% "
            f"lot {self.lot_number} (exp {self.expiry_date})"
        )

    def is_expired(self, on: object = None) -> bool:
        return self.expiry_date < (on or timezone.localdate())  # type: ignore[operator]


class SessionStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"


class TreatmentSession(ClinicalRecord, Versioned):
    """One sitting in which a patient is injected under an approved plan.

    Life cycle, through ``treatment.services``: ``start_session`` opens it (status ``open``) and fixes
    the weight its dose limits use; ``record_injection`` adds :class:`Injection` rows while it is
    open, each checked by the engine against the session's limits and the patient's other injections
    that day; ``complete_session`` closes it (status ``completed``, needing consent for the plan and
    recent screening) and books the aftercare and follow-ups. A completed session is not reopened;
    a mistaken one is voided with a reason, never deleted.

    Invariants: at most one open, unvoided session per patient (a database constraint, and writes for
    one patient are serialised by locking the patient row); ``number`` is one more than the patient's completed
    sessions when it was opened; a session opened before the plan's interval has passed is
    off-plan, and then ``off_plan`` says how and ``off_plan_reason`` holds a clinician's reason.
    Changes state the ``version`` they read (:class:`Versioned`), so a stale write is refused.
    """

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="sessions")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField(help_text="1 for the first session of this patient")
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.OPEN)
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    weight_kg = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="Weight used for the dose limits"
    )
    notes = models.TextField(blank=True)
    off_plan = models.JSONField(
        default=list,
        blank=True,
        help_text="How this session departs from the plan (e.g. before its interval)",
    )
    off_plan_reason = models.TextField(
        blank=True, help_text="The clinician's reason for departing from the plan"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # The dose limits are per patient and day: two open sessions would each count only their own.
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="open", voided_at__isnull=True),
                name="treatment_one_open_session_per_patient",
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "started_at"]),
            models.Index(fields=["clinic", "status"]),
            # A patient's sessions in date order (the analytics' first treatment of each patient).
            models.Index(fields=["patient", "started_at"]),
        ]

    @property
    def is_off_plan(self) -> bool:
        return bool(self.off_plan)

    def __str__(self) -> str:
        return f"Session {self.number} of {self.started_at:%Y-%m-%d} ({self.status})"


class Injection(ClinicalRecord):
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="injections")
    finding = models.ForeignKey(
        VeinFinding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    view = models.CharField(max_length=5, choices=LegView.choices, blank=True)
    x = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1)])
    y = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1)])
    side = models.CharField(max_length=5, blank=True)
    procedure = models.CharField(max_length=50)
    agent = models.CharField(max_length=50)
    product = models.CharField(max_length=50)
    form = models.CharField(max_length=10)
    concentration_percent = models.DecimalField(max_digits=5, decimal_places=2)
    volume_ml = models.DecimalField(max_digits=5, decimal_places=2, validators=decimal_bounds(VOLUME_ML))
    foam_gas_parts = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, validators=decimal_bounds(FOAM_GAS_PARTS)
    )
    needle_gauge = models.PositiveSmallIntegerField(null=True, blank=True)
    lot = models.ForeignKey(StockLot, on_delete=models.PROTECT, related_name="injections")
    given_at = models.DateTimeField(default=timezone.now)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(blank=True, help_text="Why a session limit was passed, if it was")
    off_plan = models.JSONField(
        default=list, blank=True, help_text="How this injection departs from the approved plan, if it does"
    )
    off_plan_reason = models.TextField(blank=True, help_text="The clinician's reason for treating off-plan")
    limit_check = models.JSONField(default=dict, help_text="The engine's session check after this injection")

    class Meta:
        ordering = ["session", "given_at", "id"]
        indexes = [
            models.Index(fields=["clinic", "lot"]),
            # The first injection given for a finding (outcomes are attributed to it).
            models.Index(fields=["finding", "given_at"]),
        ]

    @property
    def is_off_plan(self) -> bool:
        return bool(self.off_plan)

    def __str__(self) -> str:
        return (
            f"{plain_decimal(self.volume_ml)} mL {name_of('product', self.product)} "
            f"{plain_decimal(self.concentration_percent)}% {self.form}"
        )
