"""Photos are only ever sent by the photo views: to clinical staff of the photo's clinic, audited,
never cached; the chart shows them by view with the photo consent; the upload page refuses bad files
and keeps the view and leg chosen."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from scleropath.photos.models import Photo, PhotoConsent
from scleropath.photos.services import add_photo
from tests.pathway import Clinics, Pathway

from .conftest import jpeg_with_gps, stored_files


@pytest.fixture
def photo(clinics: Clinics, consented: Pathway) -> Photo:
    return add_photo(clinics.alice, consented.patient, jpeg_with_gps(), "thigh_outer", "left")


@pytest.mark.parametrize("name", ["web:photo_file", "web:photo_thumbnail"])
def test_a_clinician_of_the_clinic_gets_the_photo_privately_and_never_cached(
    client: Client, clinics: Clinics, photo: Photo, name: str
):
    client.force_login(clinics.nora)
    response = client.get(reverse(name, args=[photo.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert Image.open(io.BytesIO(body)).format == "JPEG"


def test_opening_a_photo_writes_an_access_entry_with_the_reader(
    client: Client, clinics: Clinics, photo: Photo
):
    client.force_login(clinics.alice)
    client.get(reverse("web:photo_file", args=[photo.pk]))
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Photo),
        object_pk=str(photo.pk),
        action=LogEntry.Action.ACCESS,
    )
    assert [e.actor for e in entries] == [clinics.alice]


@pytest.mark.parametrize("name", ["web:photo_file", "web:photo_thumbnail"])
def test_another_clinics_photo_is_a_404(client: Client, clinics: Clinics, photo: Photo, name: str):
    client.force_login(clinics.bob)
    assert client.get(reverse(name, args=[photo.pk])).status_code == 404


@pytest.mark.parametrize("name", ["web:photo_file", "web:photo_thumbnail"])
def test_reception_cannot_open_a_photo(client: Client, clinics: Clinics, photo: Photo, name: str):
    client.force_login(clinics.rita)
    assert client.get(reverse(name, args=[photo.pk])).status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in(client: Client, photo: Photo):
    response = client.get(reverse("web:photo_file", args=[photo.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_chart_shows_the_photos_by_view_and_the_consent(client: Client, clinics: Clinics, photo: Photo):
    client.force_login(clinics.alice)
    page = client.get(reverse("web:chart", args=[photo.patient_id])).content.decode()
    assert "Outer thigh" in page and reverse("web:photo_thumbnail", args=[photo.pk]) in page
    assert "Clinical record only" in page and "Take or upload a photo" in page


def test_reception_sees_no_photos_card_on_the_chart(client: Client, clinics: Clinics, photo: Photo):
    client.force_login(clinics.rita)
    page = client.get(reverse("web:chart", args=[photo.patient_id])).content.decode()
    assert 'id="photos-h"' not in page and reverse("web:photo_thumbnail", args=[photo.pk]) not in page


def test_the_chart_offers_the_photo_consent_form_before_the_first_photo(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    page = client.get(reverse("web:chart", args=[pathway.patient.pk])).content.decode()
    assert "No photo consent yet" in page and "Record photo consent" in page
    response = client.post(
        reverse("web:photo_consent", args=[pathway.patient.pk]),
        {"tier": "teaching", "patient_confirmed": "on"},
    )
    assert response.status_code == 302
    assert PhotoConsent.objects.get().tier == "teaching"


def test_photo_consent_without_the_patients_confirmation_is_refused_keeping_the_tier(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(reverse("web:photo_consent", args=[pathway.patient.pk]), {"tier": "publication"})
    assert response.status_code == 400
    assert "The patient must confirm their consent." in response.content.decode()
    assert re.search(r'value="publication"[^>]*checked', response.content.decode())
    assert not PhotoConsent.objects.exists()


def test_the_upload_page_opens_the_camera_on_a_phone(client: Client, clinics: Clinics, consented: Pathway):
    client.force_login(clinics.nora)
    page = client.get(reverse("web:photo_new", args=[consented.patient.pk])).content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page


def test_an_uploaded_photo_is_saved_and_the_chart_shows_it(
    client: Client, clinics: Clinics, consented: Pathway
):
    client.force_login(clinics.nora)
    upload = SimpleUploadedFile("leg.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg")
    response = client.post(
        reverse("web:photo_new", args=[consented.patient.pk]),
        {"photo": upload, "view": "back", "side": "right"},
    )
    assert response.status_code == 302
    assert Photo.objects.get().view == "back"


def test_a_refused_upload_keeps_the_view_and_leg_and_stores_nothing(
    client: Client, clinics: Clinics, consented: Pathway, photo_dir: Path
):
    client.force_login(clinics.nora)
    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 a letter", content_type="application/pdf")
    response = client.post(
        reverse("web:photo_new", args=[consented.patient.pk]),
        {"photo": upload, "view": "calf_outer", "side": "left"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file is not a JPEG, PNG or HEIC photo." in page
    assert '<option value="calf_outer" selected>' in page
    assert not Photo.objects.exists() and stored_files(photo_dir) == []


def test_reception_cannot_open_the_upload_page(client: Client, clinics: Clinics, consented: Pathway):
    client.force_login(clinics.rita)
    assert client.get(reverse("web:photo_new", args=[consented.patient.pk])).status_code == 403
