"""The clinic's diary: rooms, opening hours, each practitioner's working hours and absences, the
diary's settings, and appointments.

No double booking is a database rule. On PostgreSQL two exclusion constraints (added by migration
0002, which needs the ``btree_gist`` extension) refuse two live appointments of one practitioner, or
of one room, whose times overlap. SQLite has no such constraint; there every booking runs in an
IMMEDIATE transaction (the project's SQLite setting), which holds the database's write lock from
its first statement, so the check for an overlap and the insert cannot interleave with another's.
``diary.services`` is the one place that books, moves and cancels.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from scleropath.assessments.models import TreatmentPlan
from scleropath.core.models import ClinicalQuerySet, ClinicalRecord, Versioned
from scleropath.followup.models import FollowUp
from scleropath.patients.models import Patient
from scleropath.treatment.models import TreatmentSession


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Room(models.Model):
    """A treatment or consulting room; a room holds one appointment at a time."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=80)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="room_name_unique")]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """When the clinic is open on a weekday; a weekday without a row is closed."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class WorkingHours(models.Model):
    """When a practitioner works on a weekday (several rows for a split day), and in which room."""

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["practitioner", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="working_ends_after_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Absence(models.Model):
    """A time a practitioner is away (leave, training, illness); nothing is offered or booked in it."""

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} away {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class DiarySettings(models.Model):
    """The clinic's diary policy. None of these is a clinical rule: they are how the clinic runs its day."""

    clinic = models.OneToOneField("accounts.Clinic", on_delete=models.PROTECT, related_name="diary_settings")
    slot_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="The diary's grid: appointments start on a multiple of this many minutes.",
    )
    consultation_minutes = models.PositiveSmallIntegerField(default=30, validators=[MinValueValidator(5)])
    treatment_minutes = models.PositiveSmallIntegerField(default=45, validators=[MinValueValidator(5)])
    review_minutes = models.PositiveSmallIntegerField(default=15, validators=[MinValueValidator(5)])
    phone_check_minutes = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(5)])
    first_reminder_hours = models.PositiveSmallIntegerField(
        default=48, help_text="Hours before an appointment that the first reminder goes out (0: none)."
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        default=2, help_text="Hours before an appointment that the second reminder goes out (0: none)."
    )
    online_booking = models.BooleanField(default=False, help_text="Patients may book a consultation online.")
    hold_minutes = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long an online booking holds its slot while the patient confirms by email.",
    )
    booking_days_ahead = models.PositiveSmallIntegerField(
        default=42, validators=[MinValueValidator(1)], help_text="How far ahead patients may book online."
    )

    class Meta:
        verbose_name_plural = "diary settings"

    def __str__(self) -> str:
        return f"Diary settings of {self.clinic}"

    def minutes_for(self, kind: str) -> int:
        """The default length of an appointment of ``kind``."""
        return {
            AppointmentKind.CONSULTATION: self.consultation_minutes,
            AppointmentKind.TREATMENT: self.treatment_minutes,
            AppointmentKind.REVIEW: self.review_minutes,
            AppointmentKind.PHONE_CHECK: self.phone_check_minutes,
        }[AppointmentKind(kind)]


class AppointmentKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    TREATMENT = "treatment", "Treatment session"
    REVIEW = "review", "Review"
    PHONE_CHECK = "phone_check", "Phone check"


class AppointmentStatus(models.TextChoices):
    HELD = "held", "Held while the patient confirms"
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


# An appointment in one of these statuses no longer takes its practitioner's or room's time.
FREEING_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.DID_NOT_ATTEND)


class AppointmentSource(models.TextChoices):
    STAFF = "staff", "Booked by staff"
    ONLINE = "online", "Booked online by the patient"


class AppointmentQuerySet(ClinicalQuerySet):
    """The clinical queryset (``restrict``, ``active``) with the diary's own questions."""

    def taking_time(self) -> AppointmentQuerySet:
        """Appointments that occupy their practitioner and room: live, not cancelled, attended or due."""
        return self.filter(voided_at__isnull=True).exclude(status__in=FREEING_STATUSES)

    def overlapping(self, starts_at: object, ends_at: object) -> AppointmentQuerySet:
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Appointment(ClinicalRecord, Versioned):
    """A patient's time with a practitioner (and usually a room).

    A hold (status ``held``) is an online booking waiting for the patient's emailed confirmation: it
    takes the time like a booking, may have no patient yet, and lapses at ``hold_expires_at``.
    """

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True, help_text="What the appointment is for, in a line.")
    source = models.CharField(
        max_length=10, choices=AppointmentSource.choices, default=AppointmentSource.STAFF
    )
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # What the appointment is for in the pathway, when it is for something already recorded.
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    session = models.OneToOneField(
        TreatmentSession, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)

    objects = AppointmentQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["clinic", "starts_at"]),
            models.Index(fields=["practitioner", "starts_at"]),
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_starts"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="appointment_cancel_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(patient__isnull=False) | Q(status__in=["held", "cancelled"]),
                name="appointment_has_patient_unless_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    @property
    def takes_time(self) -> bool:
        return self.voided_at is None and self.status not in FREEING_STATUSES


class RecallReason(models.TextChoices):
    RETREATMENT = "retreatment", "Retreatment advised at review"
    REVIEW_OVERDUE = "review_overdue", "Review overdue and not booked"


class Invitation(ClinicalRecord):
    """An invitation to a patient on the recall list to book; kept so the list shows who was asked
    when, and so a message can be sent from it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="diary_invitations")
    reason = models.CharField(max_length=20, choices=RecallReason.choices)
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "patient", "created_at"])]

    def __str__(self) -> str:
        return f"Invitation to book ({self.get_reason_display()}) of {self.created_at:%Y-%m-%d}"


class CalendarFeed(models.Model):
    """A practitioner's private calendar feed: a secret address their calendar program reads their
    appointments from. Only the secret's SHA-256 is stored; the address is shown once, when issued."""

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"Calendar feed of {self.practitioner} ({state})"
