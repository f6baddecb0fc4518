"""How DATABASE_URL becomes Django's database settings (read in a fresh interpreter, since the
settings module is read once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def database_settings(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DATABASE_URL": url,
        "SCLEROPATH_DEV": "1",
    }
    code = "import json; from scleropath import settings; print(json.dumps(settings.DATABASES['default']))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_postgresql_connections_run_without_jit():
    db = database_settings("postgres://clinic@db.example:5432/scleropath")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["OPTIONS"]["options"] == "-c jit=off"


def test_options_given_in_the_url_are_kept():
    db = database_settings("postgres://clinic@db.example:5432/scleropath?options=-c%20jit%3Don")
    assert db["OPTIONS"]["options"] == "-c jit=on"
