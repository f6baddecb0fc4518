"""Photos are written to a fresh folder per test, and made in memory with the metadata a phone adds."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from scleropath.photos.services import record_photo_consent
from tests.pathway import Clinics, Pathway

ORIENTATION = 0x0112
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def photo_dir(settings: Any, tmp_path: Path) -> Path:
    location = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


def stored_files(location: Path) -> list[Path]:
    return [p for p in location.rglob("*") if p.is_file()] if location.exists() else []


def jpeg_with_gps(width: int = 60, height: int = 40, orientation: int = 1) -> io.BytesIO:
    """A JPEG as a phone writes it: a camera make, a GPS position and an orientation tag.

    The left half is red and the right half blue, so a turn can be seen in the pixels.
    """
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    out.seek(0)
    out.name = "leg.jpg"
    return out


@pytest.fixture
def consented(clinics: Clinics, pathway: Pathway) -> Pathway:
    record_photo_consent(clinics.alice, pathway.patient, "record", patient_confirmed=True)
    return pathway
