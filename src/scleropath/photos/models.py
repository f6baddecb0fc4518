"""Photo consent and clinical photographs.

A photo's file lives in the photo storage (``storages["photos"]``: files on disk under MEDIA_ROOT
by default, an S3-compatible bucket when configured), never under a public URL; the row keeps the
SHA-256 of the stored bytes so a file changed behind the record's back can be told.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from scleropath.assessments.models import Assessment, Side
from scleropath.core.engine import name_of
from scleropath.core.models import ClinicalRecord
from scleropath.followup.models import FollowUp
from scleropath.patients.models import Patient
from scleropath.treatment.models import TreatmentSession


class _PhotoStorage(LazyObject):
    """``storages["photos"]``, looked up on first use and again after the STORAGES setting changes
    (a field's storage is fixed when the model loads, so the field holds this stand-in)."""

    def _setup(self) -> None:
        self._wrapped = storages["photos"]


_photo_files = _PhotoStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _photo_files._wrapped = empty  # type: ignore[assignment]


def photo_storage() -> Storage:
    """The storage photos are kept in."""
    return _photo_files  # type: ignore[return-value]


class PhotoConsentTier(models.TextChoices):
    RECORD = "record", "Clinical record only"
    TEACHING = "teaching", "Clinical record and teaching"
    PUBLICATION = "publication", "Clinical record, teaching and publication"


class PhotoConsent(ClinicalRecord):
    """The patient's consent to be photographed, at a tier, with the exact text they were shown."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photo_consents")
    tier = models.CharField(max_length=20, choices=PhotoConsentTier.choices)
    text_version = models.CharField(max_length=30)
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    consented_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-consented_at", "-pk"]

    def __str__(self) -> str:
        return f"Photo consent of {self.consented_at:%Y-%m-%d} ({self.get_tier_display()})"


class Photo(ClinicalRecord):
    """One clinical photograph in a standard view of one leg, taken under a photo consent."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photos")
    consent = models.ForeignKey(PhotoConsent, on_delete=models.PROTECT, related_name="photos")
    view = models.CharField(max_length=40)
    side = models.CharField(max_length=5, choices=Side.choices)
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="photos"
    )
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, null=True, blank=True, related_name="photos"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="photos"
    )
    file = models.FileField(storage=photo_storage, max_length=200)
    thumbnail = models.FileField(storage=photo_storage, max_length=200)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="photo_at_most_one_visit",
                condition=(
                    models.Q(assessment__isnull=True, session__isnull=True)
                    | models.Q(assessment__isnull=True, follow_up__isnull=True)
                    | models.Q(session__isnull=True, follow_up__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Photo of the {self.side} leg, {self.view_name.lower()}, {self.taken_at:%Y-%m-%d}"

    @property
    def view_name(self) -> str:
        return name_of("photo_view", self.view)
