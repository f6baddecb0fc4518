"""Photo services: recording photo consent, adding a photo (checked, stripped, stored), voiding one."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from scleropath.accounts.permissions import Action, require
from scleropath.assessments.consent import text_hash
from scleropath.assessments.models import Assessment, Side
from scleropath.core.engine import engine_for
from scleropath.core.validators import check_event_date
from scleropath.followup.models import FollowUp
from scleropath.patients.models import Patient
from scleropath.treatment.models import TreatmentSession

from .consent import PHOTO_CONSENT_TEXT_VERSION, photo_consent_text
from .models import Photo, PhotoConsent, PhotoConsentTier, photo_storage
from .processing import ImageRefused, process_image

if TYPE_CHECKING:
    from scleropath.accounts.models import User


def _same_clinic(user: User, patient: Patient) -> None:
    if patient.clinic_id != user.clinic_id:
        raise PermissionDenied("This patient belongs to another clinic.")


def current_photo_consent(patient: Patient) -> PhotoConsent | None:
    """The patient's latest photo consent still in force, if any."""
    return patient.photo_consents.active().first()


@transaction.atomic
def record_photo_consent(
    user: User, patient: Patient, tier: str, *, patient_confirmed: bool, at: datetime | None = None
) -> PhotoConsent:
    """Record the patient's consent to photographs at ``tier``, with the exact text shown and its hash."""
    require(user, Action.TAKE_PHOTO)
    _same_clinic(user, patient)
    if tier not in PhotoConsentTier.values:
        raise ValidationError({"tier": "Choose what the photographs may be used for."})
    if not patient_confirmed:
        raise ValidationError({"patient_confirmed": "The patient must confirm their consent."})
    text = photo_consent_text(tier)
    return PhotoConsent.objects.create(
        clinic_id=patient.clinic_id,
        created_by=user,
        patient=patient,
        tier=tier,
        text_version=PHOTO_CONSENT_TEXT_VERSION,
        text=text,
        text_sha256=text_hash(text),
        consented_at=at or timezone.now(),
        taken_by=user,
    )


def _check_view(patient: Patient, view: str, side: str) -> None:
    views = engine_for(patient.clinic).protocol.photo_views
    if view not in views:
        raise ValidationError({"view": "Choose one of the clinic's standard views."})
    if side not in Side.values:
        raise ValidationError({"side": "Choose the left or the right leg."})
    if side not in views[view].sides:
        raise ValidationError(
            {"side": f"The {views[view].display.lower()} view is not taken on the {side} leg."}
        )


def _check_visit(
    patient: Patient,
    assessment: Assessment | None,
    session: TreatmentSession | None,
    follow_up: FollowUp | None,
) -> None:
    linked = [v for v in (assessment, session, follow_up) if v is not None]
    if len(linked) > 1:
        raise ValidationError("A photo belongs to at most one assessment, session or follow-up.")
    if linked and linked[0].patient_id != patient.pk:
        raise ValidationError("That visit belongs to another patient.")


@transaction.atomic
def add_photo(
    user: User,
    patient: Patient,
    upload: IO[bytes],
    view: str,
    side: str,
    *,
    taken_at: datetime | None = None,
    assessment: Assessment | None = None,
    session: TreatmentSession | None = None,
    follow_up: FollowUp | None = None,
) -> Photo:
    """Store a photo of ``patient`` in a standard view; refused without photo consent.

    The upload is checked and re-encoded before anything is written; the files are written inside
    the transaction and removed again if the row cannot be saved, so a refused or failed upload
    leaves neither a row nor a file behind.
    """
    require(user, Action.TAKE_PHOTO)
    _same_clinic(user, patient)
    consent = current_photo_consent(patient)
    if consent is None:
        raise ValidationError("Record the patient's photo consent before the first photo.")
    _check_view(patient, view, side)
    _check_visit(patient, assessment, session, follow_up)
    taken_at = taken_at or timezone.now()
    check_event_date(timezone.localdate(taken_at), patient.date_of_birth, "taken_at", "The photo's date")
    try:
        image = process_image(
            upload, max_bytes=settings.PHOTO_MAX_BYTES, max_pixels=settings.PHOTO_MAX_PIXELS
        )
    except ImageRefused as refused:
        raise ValidationError({"photo": str(refused)}) from None
    storage = photo_storage()
    stem = f"{patient.clinic_id}/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        written.append(storage.save(f"{stem}.{image.extension}", ContentFile(image.data)))
        written.append(storage.save(f"{stem}.thumb.jpg", ContentFile(image.thumbnail)))
        with transaction.atomic():
            return Photo.objects.create(
                clinic_id=patient.clinic_id,
                created_by=user,
                patient=patient,
                consent=consent,
                view=view,
                side=side,
                taken_at=taken_at,
                taken_by=user,
                assessment=assessment,
                session=session,
                follow_up=follow_up,
                file=written[0],
                thumbnail=written[1],
                sha256=image.sha256,
                content_type=image.content_type,
                width=image.width,
                height=image.height,
            )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise


@transaction.atomic
def void_photo(user: User, photo: Photo, reason: str) -> Photo:
    """Void a photo with a reason; the file stays, the photo leaves the gallery."""
    require(user, Action.VOID)
    _same_clinic(user, photo.patient)
    photo.void(user, reason)
    return photo
