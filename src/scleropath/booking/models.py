"""Online bookings and the call-back requests that replace them when the engine finds an absolute
contraindication.

A booking keeps what the person typed (name, date of birth, contact, the questionnaire's answers)
apart from any patient record: the patient it is attached to on confirmation is provisional until
reception says whether it is someone the clinic already knows (``resolution``). The answers are a
screening draft; a clinician confirms them at the visit, which records the real screening.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scleropath.core.models import ClinicalRecord
from scleropath.core.validators import validate_date_of_birth
from scleropath.diary.models import Appointment
from scleropath.patients.models import Patient, ScreeningRecord
from scleropath.patients.nhs import validate_nhs_number


class Concern(models.TextChoices):
    THREAD_VEINS = "thread_veins", "Thread or spider veins"
    VARICOSE_VEINS = "varicose_veins", "Varicose veins"
    SYMPTOMS = "symptoms", "Aching, heavy or swollen legs"
    REVIEW = "review", "A review of earlier treatment"


class BookingStatus(models.TextChoices):
    AWAITING = "awaiting", "Waiting for the email confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    LAPSED = "lapsed", "Not confirmed in time"


class Resolution(models.TextChoices):
    UNRESOLVED = "", "Not yet checked"
    SAME_PERSON = "same_person", "A patient the clinic already knows"
    NEW_PATIENT = "new_patient", "A new patient"


class Person(models.Model):
    """Who asked, as they typed it; nothing here is checked against the clinic's patients."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    email = models.EmailField()
    phone = models.CharField(max_length=30)
    nhs_number = models.CharField(max_length=12, blank=True, validators=[validate_nhs_number])
    concern = models.CharField(max_length=20, choices=Concern.choices)
    answers = models.JSONField(
        default=dict, help_text="The questionnaire's answers in the engine's screening terms."
    )
    verdict = models.CharField(max_length=20, help_text="The engine's screening verdict on the answers.")
    result = models.JSONField(default=dict, help_text="The engine's screening answer, frozen.")

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class OnlineBooking(ClinicalRecord, Person):
    """A consultation a person booked online: held until they confirm by email, then booked."""

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="online_booking")
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.AWAITING)
    # Only the SHA-256 of the emailed confirmation token is kept.
    token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="online_bookings"
    )
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True, default="")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screening = models.OneToOneField(
        ScreeningRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="online_booking"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Online booking of {self.full_name} ({self.get_status_display()})"

    @property
    def flagged(self) -> bool:
        """A relative contraindication: booked, and flagged for the consultation."""
        return self.verdict == "relative"

    @property
    def provisional(self) -> bool:
        """The patient was made from the booking and reception has not yet said who it is."""
        return self.patient_id is not None and self.resolution == Resolution.UNRESOLVED


class CallbackRequest(ClinicalRecord, Person):
    """A person whose answers the engine screened as an absolute contraindication: nothing is
    booked, and the clinic calls them back to talk it through."""

    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "called_at"])]

    def __str__(self) -> str:
        return f"Call-back request of {self.full_name}"
