"""The failed sign-in limit and the patient-link rate limit count in a cache every worker shares: the
database by default (its table made by migrate, so `scleropath serve` and `scleropath demo` have it),
Redis when REDIS_URL is set."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from tests.pathway import PASSWORD, Clinics

LOCAL_REDIS = "redis://127.0.0.1:6379/15"


def settings_in_a_fresh_interpreter(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    code = "import json; from scleropath import settings; print(json.dumps(settings.CACHES['default']))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"SCLEROPATH_DEV": "1"} | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_default_cache_is_the_database_shared_by_every_worker():
    cache = settings_in_a_fresh_interpreter()
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "scleropath_cache"
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 100_000


def test_redis_is_the_cache_when_redis_url_is_set():
    cache = settings_in_a_fresh_interpreter(REDIS_URL="redis://cache.example:6379/0")
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.example:6379/0",
    }


def test_migrating_a_new_database_makes_the_cache_table(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "SCLEROPATH_DEV": "1",
        "SCLEROPATH_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "scleropath.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    with sqlite3.connect(tmp_path / "scleropath.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "scleropath_cache" in tables


def test_failed_sign_ins_are_counted_in_the_database(client: Client, clinics: Clinics):
    caches["default"].clear()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "alice", "password": "wrong-password"})
    # What another worker reads: the rows in the database, not this process's memory.
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM scleropath_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("login_failed" in key for key in keys)
    caches["default"].clear()


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(
    not redis_reachable(), reason="Redis is not running on 127.0.0.1:6379 (CI starts it for this test)"
)
def test_failed_sign_ins_are_limited_through_redis(client: Client, clinics: Clinics):
    pytest.importorskip("redis", reason="the redis package is not installed (pip install -e '.[dev]')")
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": LOCAL_REDIS}
        }
    ):
        caches["default"].clear()
        for _ in range(5):
            client.post(reverse("account_login"), {"login": "alice", "password": "wrong-password"})
        locked = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
        assert locked.status_code == 429
        caches["default"].clear()
