"""Photo consent and photos: no photo without consent, a refused upload leaves nothing behind, the view
and side come from the clinic's protocol, and photos are voided, never deleted. Run on SQLite and on
PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from PIL import Image

from scleropath.core.models import RecordsAreNeverDeleted
from scleropath.photos.consent import photo_consent_text
from scleropath.photos.models import Photo, PhotoConsent
from scleropath.photos.services import add_photo, current_photo_consent, record_photo_consent, void_photo
from tests.pathway import Clinics, Pathway

from .conftest import jpeg_with_gps, stored_files


def test_photo_consent_keeps_the_text_shown_and_its_hash(clinics: Clinics, pathway: Pathway):
    consent = record_photo_consent(clinics.nora, pathway.patient, "teaching", patient_confirmed=True)
    assert consent.text == photo_consent_text("teaching")
    assert consent.text_sha256 == hashlib.sha256(consent.text.encode()).hexdigest()
    assert "teaching" in consent.text and current_photo_consent(pathway.patient) == consent


def test_photo_consent_needs_the_patient_to_confirm_and_a_known_tier(clinics: Clinics, pathway: Pathway):
    with pytest.raises(ValidationError, match="must confirm"):
        record_photo_consent(clinics.alice, pathway.patient, "record", patient_confirmed=False)
    with pytest.raises(ValidationError, match="used for"):
        record_photo_consent(clinics.alice, pathway.patient, "billboards", patient_confirmed=True)
    assert not PhotoConsent.objects.exists()


def test_no_photo_is_taken_without_photo_consent(clinics: Clinics, pathway: Pathway, photo_dir: Path):
    with pytest.raises(ValidationError, match="photo consent before the first photo"):
        add_photo(clinics.alice, pathway.patient, jpeg_with_gps(), "front", "left")
    assert not Photo.objects.exists() and stored_files(photo_dir) == []


def test_a_photo_is_stored_stripped_with_the_hash_of_the_stored_file(
    clinics: Clinics, consented: Pathway, photo_dir: Path
):
    photo = add_photo(
        clinics.nora,
        consented.patient,
        jpeg_with_gps(),
        "calf_inner",
        "right",
        assessment=consented.assessment,
    )
    stored = photo.file.read()
    assert hashlib.sha256(stored).hexdigest() == photo.sha256
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert (photo.width, photo.height, photo.content_type) == (60, 40, "image/jpeg")
    assert photo.view_name == "Inner calf" and photo.consent == current_photo_consent(consented.patient)
    assert len(stored_files(photo_dir)) == 2  # the photo and its thumbnail


@pytest.mark.parametrize(
    "upload",
    [io.BytesIO(b"%PDF-1.4 a letter"), io.BytesIO(b"\xff\xd8\xff" + b"\0" * 100)],
    ids=["pdf", "broken-jpeg"],
)
def test_a_non_image_upload_is_refused_and_nothing_is_stored(
    clinics: Clinics, consented: Pathway, photo_dir: Path, upload: io.BytesIO
):
    with pytest.raises(ValidationError) as refused:
        add_photo(clinics.alice, consented.patient, upload, "front", "left")
    assert "photo" in refused.value.message_dict
    assert not Photo.objects.exists() and stored_files(photo_dir) == []


def test_an_oversized_upload_is_refused_and_nothing_is_stored(
    clinics: Clinics, consented: Pathway, photo_dir: Path, settings
):
    settings.PHOTO_MAX_BYTES = 200
    with pytest.raises(ValidationError, match="larger than"):
        add_photo(clinics.alice, consented.patient, jpeg_with_gps(), "front", "left")
    assert not Photo.objects.exists() and stored_files(photo_dir) == []


def test_files_written_before_a_failed_save_are_removed(
    clinics: Clinics, consented: Pathway, photo_dir: Path
):
    with (
        mock.patch.object(Photo.objects, "create", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        add_photo(clinics.alice, consented.patient, jpeg_with_gps(), "front", "left")
    assert stored_files(photo_dir) == []


def test_a_view_the_protocol_does_not_have_is_refused(clinics: Clinics, consented: Pathway):
    with pytest.raises(ValidationError) as refused:
        add_photo(clinics.alice, consented.patient, jpeg_with_gps(), "face", "left")
    assert refused.value.message_dict == {"view": ["Choose one of the clinic's standard views."]}
    with pytest.raises(ValidationError, match="left or the right"):
        add_photo(clinics.alice, consented.patient, jpeg_with_gps(), "front", "middle")


def test_a_photo_links_to_at_most_one_visit_of_its_own_patient(clinics: Clinics, consented: Pathway):
    with pytest.raises(ValidationError, match="at most one"):
        add_photo(
            clinics.alice,
            consented.patient,
            jpeg_with_gps(),
            "front",
            "left",
            assessment=consented.assessment,
            session=consented.session,
        )
    assert not Photo.objects.exists()


@pytest.mark.parametrize("persona", ["rita", "mark"])
def test_reception_and_managers_may_not_take_photos_or_record_photo_consent(
    clinics: Clinics, consented: Pathway, persona: str
):
    user = getattr(clinics, persona)
    with pytest.raises(PermissionDenied):
        add_photo(user, consented.patient, jpeg_with_gps(), "front", "left")
    with pytest.raises(PermissionDenied):
        record_photo_consent(user, consented.patient, "record", patient_confirmed=True)


def test_another_clinics_clinician_may_not_photograph_this_clinics_patient(
    clinics: Clinics, consented: Pathway
):
    with pytest.raises(PermissionDenied):
        add_photo(clinics.bob, consented.patient, jpeg_with_gps(), "front", "left")
    assert not Photo.objects.exists()


def test_a_photo_is_voided_with_a_reason_and_never_deleted(
    clinics: Clinics, consented: Pathway, photo_dir: Path
):
    photo = add_photo(clinics.alice, consented.patient, jpeg_with_gps(), "back", "left")
    void_photo(clinics.alice, photo, "Wrong patient's leg in frame")
    photo.refresh_from_db()
    assert photo.is_voided and photo.void_reason == "Wrong patient's leg in frame"
    with pytest.raises(RecordsAreNeverDeleted):
        photo.delete()
    assert len(stored_files(photo_dir)) == 2
