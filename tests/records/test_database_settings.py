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


def test_a_sqlite_database_url_gets_the_busy_timeout_immediate_transactions_and_wal(tmp_path):
    db = database_settings(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    assert db["OPTIONS"] == {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }


def test_a_sqlite_database_url_tests_on_a_file_beside_it_not_in_memory(tmp_path):
    db = database_settings(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    assert db["TEST"]["NAME"] == str(tmp_path / "test_clinic.sqlite3")


def test_the_default_sqlite_file_gets_the_same_options(tmp_path):
    from scleropath.settings import database_config

    db = database_config(None, tmp_path)
    assert db["NAME"] == str(tmp_path / "scleropath.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] == 20
    assert db["TEST"]["NAME"] == str(tmp_path / "test.sqlite3")


def test_a_connection_to_a_sqlite_database_url_runs_in_wal_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'clinic.sqlite3'}",
        "SCLEROPATH_DEV": "1",
        "DJANGO_SETTINGS_MODULE": "scleropath.settings",
    }
    code = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["wal", "20000"]
