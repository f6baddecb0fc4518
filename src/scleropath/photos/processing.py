"""Turning an upload into the bytes that are stored: checked, turned upright, stripped, re-encoded.

Only the pixels survive: the image is decoded, turned by its EXIF orientation, copied into a fresh
image (so no EXIF, GPS, XMP, ICC profile or comment can ride along) and encoded again. Anything
that is not a JPEG, PNG or HEIC image within the size and pixel limits is refused with a message
a person can act on, before a byte is written anywhere.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "HEIF": "HEIC"}
THUMBNAIL_SIZE = (320, 320)
JPEG_QUALITY = 90


class ImageRefused(ValueError):
    """The upload cannot be stored; the message says why, in words for the person uploading."""


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _read(upload: IO[bytes], max_bytes: int) -> bytes:
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRefused(
            f"The photo is larger than {_megabytes(max_bytes)}; take it at a lower resolution."
        )
    if not data:
        raise ImageRefused("The file is empty.")
    return data


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def process_image(upload: IO[bytes], *, max_bytes: int, max_pixels: int) -> ProcessedImage:
    """The stored form of ``upload``, or :class:`ImageRefused` with the reason."""
    data = _read(upload, max_bytes)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            kind = ACCEPTED.get(opened.format or "")
            if kind is None:
                raise ImageRefused("The file is not a JPEG, PNG or HEIC photo.")
            # Checked on the header, before the pixels are decoded: a small file can hold a huge image.
            if opened.width * opened.height > max_pixels:
                raise ImageRefused(
                    f"The photo has {opened.width} × {opened.height} pixels, more than the "
                    f"{max_pixels / 1_000_000:.0f} megapixels allowed."
                )
            upright = ImageOps.exif_transpose(opened)
            upright.load()
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ImageRefused("The file is not a JPEG, PNG or HEIC photo.") from None
    except (OSError, ValueError, SyntaxError):
        raise ImageRefused("The photo could not be read; it may be damaged or cut short.") from None
    fmt = "PNG" if kind == "PNG" else "JPEG"
    mode = ("RGBA" if "A" in upright.getbands() else "RGB") if fmt == "PNG" else "RGB"
    pixels = upright.convert(mode)
    # A fresh image from the raw pixels carries no metadata at all (no ``info``, no EXIF, no ICC).
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    stored = _encode(clean, fmt)
    thumb = clean.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    return ProcessedImage(
        data=stored,
        thumbnail=_encode(thumb, "JPEG"),
        content_type="image/png" if fmt == "PNG" else "image/jpeg",
        extension="png" if fmt == "PNG" else "jpg",
        width=clean.width,
        height=clean.height,
        sha256=hashlib.sha256(stored).hexdigest(),
    )
