"""What is stored is the pixels only: upright, without EXIF or GPS, within the limits; HEIC is read."""

from __future__ import annotations

import io

import pillow_heif
import pytest
from PIL import Image

from scleropath.photos.processing import ImageRefused, process_image

from .conftest import jpeg_with_gps

LIMITS = {"max_bytes": 5_000_000, "max_pixels": 10_000_000}


def test_exif_and_gps_are_gone_from_the_stored_photo_and_its_thumbnail():
    upload = jpeg_with_gps()
    assert Image.open(upload).getexif()  # the control: the upload carries them
    upload.seek(0)
    image = process_image(upload, **LIMITS)
    for data in (image.data, image.thumbnail):
        stored = Image.open(io.BytesIO(data))
        assert not stored.getexif()
        assert "exif" not in stored.info and "icc_profile" not in stored.info
        assert b"PhoneMaker" not in data


def test_the_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned a quarter; the viewer turns the image clockwise.
    image = process_image(jpeg_with_gps(60, 40, orientation=6), **LIMITS)
    assert (image.width, image.height) == (40, 60)
    stored = Image.open(io.BytesIO(image.data)).convert("RGB")
    top, bottom = stored.getpixel((20, 5)), stored.getpixel((20, 55))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # red, the left half, is now on top
    assert bottom[2] > 200 and bottom[0] < 60


def test_a_heic_photo_is_accepted_and_stored_as_jpeg():
    heif = pillow_heif.from_pillow(Image.new("RGB", (64, 48), (120, 60, 30)))
    upload = io.BytesIO()
    heif.save(upload, quality=90)
    upload.seek(0)
    image = process_image(upload, **LIMITS)
    assert (image.content_type, image.width, image.height) == ("image/jpeg", 64, 48)
    assert Image.open(io.BytesIO(image.data)).format == "JPEG"


def test_a_png_stays_a_png():
    upload = io.BytesIO()
    Image.new("RGB", (10, 10)).save(upload, "PNG")
    upload.seek(0)
    assert process_image(upload, **LIMITS).content_type == "image/png"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a photo", "not a JPEG, PNG or HEIC"),
        (b"GIF89a" + b"\0" * 40, "not a JPEG, PNG or HEIC"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_with_a_clear_message(data: bytes, message: str):
    with pytest.raises(ImageRefused, match=message):
        process_image(io.BytesIO(data), **LIMITS)


def test_a_gif_is_refused_even_though_pillow_reads_it():
    upload = io.BytesIO()
    Image.new("RGB", (10, 10)).save(upload, "GIF")
    upload.seek(0)
    with pytest.raises(ImageRefused, match="not a JPEG, PNG or HEIC"):
        process_image(upload, **LIMITS)


def test_a_photo_over_the_size_limit_is_refused():
    with pytest.raises(ImageRefused, match="larger than"):
        process_image(jpeg_with_gps(), max_bytes=100, max_pixels=10_000_000)


def test_a_photo_over_the_pixel_limit_is_refused_before_it_is_decoded():
    with pytest.raises(ImageRefused, match="60 × 40 pixels"):
        process_image(jpeg_with_gps(), max_bytes=5_000_000, max_pixels=1000)


def test_a_cut_short_jpeg_is_refused():
    data = jpeg_with_gps().getvalue()
    with pytest.raises(ImageRefused):
        process_image(io.BytesIO(data[: len(data) // 2]), **LIMITS)
