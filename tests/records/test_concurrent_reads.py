"""Reads while another connection writes: a read is answered even when its audit entry cannot be
written, and a read does not hold the database's write lock while it runs.

Real connections in parallel threads against the test database (a file on SQLite, so the threads
share it), on SQLite and, with DATABASE_URL pointing at it, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction

from scleropath.accounts import access
from scleropath.api.tokens import create_token
from scleropath.patients.access import get_patient_for_user
from scleropath.patients.models import Patient
from scleropath.patients.services import create_patient

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 30  # seconds a thread waits for the other before the test gives up


@contextmanager
def audit_log_locked() -> Iterator[None]:
    """Another connection, in its own thread, stops anyone writing to the audit log until the block
    ends: on SQLite it holds the database's write lock, on PostgreSQL an exclusive lock on the table."""
    held, release, errors = threading.Event(), threading.Event(), []

    def hold() -> None:
        try:
            with transaction.atomic():  # on SQLite, BEGIN IMMEDIATE: the write lock is taken here
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("LOCK TABLE auditlog_logentry IN EXCLUSIVE MODE")
                held.set()
                release.wait(WAIT)
        except Exception as exc:
            errors.append(exc)
            held.set()
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(WAIT)
    try:
        yield
    finally:
        release.set()
        thread.join(WAIT)
    assert not errors


@contextmanager
def short_lock_waits() -> Iterator[None]:
    """This thread's connection gives up on a lock after 0.3 s instead of the configured wait."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = '300ms'")
        else:
            cursor.execute("PRAGMA busy_timeout = 300")
    try:
        yield
    finally:
        connection.close()  # the next connection starts with the configured wait again


def register(clinics: Any, family_name: str = "Hughes") -> Patient:
    return create_patient(
        clinics.rita, given_name="Ann", family_name=family_name, date_of_birth=date(1970, 5, 1)
    )


def test_a_read_is_answered_when_its_audit_entry_cannot_be_written(clinics, caplog):
    patient = register(clinics)

    def read() -> tuple[Patient, int]:
        found = get_patient_for_user(clinics.alice, patient.pk)
        return found, Patient.objects.filter(clinic=clinics.a).count()

    with short_lock_waits(), audit_log_locked():
        if connection.vendor == "postgresql":
            # PostgreSQL refuses every statement of a transaction after one failed: the failed audit
            # write must not spoil the transaction the read runs in.
            with transaction.atomic():
                found, count = read()
        else:
            found, count = read()

    assert (found, count) == (patient, 1)
    assert f"patients.Patient {patient.pk}" in caplog.text
    assert "could not be written" in caplog.text
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(patient.pk)).exists()


def test_an_api_read_is_answered_while_another_connection_holds_the_lock(clinics, client):
    patient = register(clinics)
    _, token = create_token(clinics.alice, "chart reader")
    client.get("/api/v1/patients", headers={"authorization": f"Bearer {token}"})  # sets last_used_at now

    with short_lock_waits(), audit_log_locked():
        response = client.get(f"/api/v1/patients/{patient.pk}", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert response.json()["family_name"] == "Hughes"


def test_a_read_holds_no_write_lock_while_it_runs(clinics, client):
    """A writer commits while a page read is still running (on SQLite a read in a transaction held
    the one write lock from its first query to its last, so the writer waited or failed)."""
    patient = register(clinics)
    _, token = create_token(clinics.alice, "chart reader")
    reading, written = threading.Event(), threading.Event()
    writer_errors: list[Exception] = []

    def write() -> None:
        try:
            assert reading.wait(WAIT)
            with short_lock_waits():
                register(clinics, family_name="Okafor")
        except Exception as exc:
            writer_errors.append(exc)
        finally:
            written.set()
            connection.close()

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        found = get_patient_for_user(*args, **kwargs)
        reading.set()
        assert written.wait(WAIT)  # the read is still running while the other clinician saves
        return found

    writer = threading.Thread(target=write)
    writer.start()
    with mock.patch("scleropath.api.patients.get_patient_for_user", slow_read):
        response = client.get(f"/api/v1/patients/{patient.pk}", headers={"authorization": f"Bearer {token}"})
    writer.join(WAIT)

    assert response.status_code == 200
    assert writer_errors == []
    assert Patient.objects.filter(family_name="Okafor").exists()
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(patient.pk)).exists()


def test_reads_of_a_page_of_records_are_written_in_one_savepoint(clinics):
    patients = [register(clinics, family_name=name) for name in ("Hughes", "Okafor", "Price")]
    with mock.patch.object(transaction, "atomic", wraps=transaction.atomic) as atomic:
        access.record_access(*patients)
    assert atomic.call_count == 1
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 3
