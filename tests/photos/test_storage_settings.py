"""Where photos are kept: on disk under MEDIA_ROOT by default, a private S3-compatible bucket when
PHOTO_STORAGE=s3 (settings read in a fresh interpreter; nothing is sent to a bucket)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CODE = (
    "import json; from scleropath import settings; "
    "print(json.dumps(settings.STORAGES['photos'], default=str))"
)


def read_photo_storage(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PHOTO_"))}
    return subprocess.run(
        [sys.executable, "-c", CODE], env=base | {"SCLEROPATH_DEV": "1"} | env, capture_output=True, text=True
    )


def test_photos_are_kept_on_disk_under_media_root_with_no_public_url_by_default():
    storage = json.loads(read_photo_storage().stdout)
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"]["location"].endswith("media/photos")
    assert storage["OPTIONS"]["base_url"] is None


def test_photo_storage_s3_uses_a_private_bucket_with_signed_urls():
    started = read_photo_storage(
        PHOTO_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="clinic-photos", AWS_S3_ENDPOINT_URL="https://s3.example"
    )
    storage = json.loads(started.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("clinic-photos", "https://s3.example")
    assert options["default_acl"] == "private" and options["querystring_auth"] is True


def test_photo_storage_s3_without_a_bucket_refuses_to_start():
    started = read_photo_storage(PHOTO_STORAGE="s3")
    assert "PHOTO_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in started.stderr


def test_an_unknown_photo_storage_refuses_to_start():
    started = read_photo_storage(PHOTO_STORAGE="ftp")
    assert "PHOTO_STORAGE must be 'filesystem' or 's3'" in started.stderr
