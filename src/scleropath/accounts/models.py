"""Clinics and the people who work in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Clinic(models.Model):
    """A clinic. Every clinical record belongs to exactly one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    nurses_may_inject = models.BooleanField(
        default=False, help_text="Nurses may give injections under an approved plan."
    )
    require_mfa = models.BooleanField(
        default=False, help_text="Every member of staff must use two-factor sign-in."
    )
    screening_valid_days = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="Clinic policy: how old a screening may be when a session is completed.",
    )
    weight_check_percent = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Clinic policy: a weight that differs from the previous one by more than this share "
        "must be confirmed before it is saved (a check on typing, since dose limits depend on it).",
    )
    phone = models.CharField(max_length=30, blank=True, help_text="The number patients call with a concern.")
    emergency_number = models.CharField(
        max_length=20,
        default="999",
        help_text="The number patients are told to call in an emergency (UK: 999).",
    )
    clinic_protocol = models.TextField(
        blank=True, help_text="Path of this clinic's own protocol file (narrows the default protocol)."
    )

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    NURSE = "nurse", "Nurse"
    RECEPTION = "reception", "Reception"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    """A member of staff. Platform administrators have no clinic; everyone else has one."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RECEPTION)
    professional_registration = models.CharField(max_length=50, blank=True)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
