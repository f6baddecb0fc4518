"""The demo clinics loaded once per module at a fixed moment, so every export of them is the same
on every run and database; and the two demo patients whose Bundles are kept as golden files."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import time_machine

from scleropath.patients.models import Patient
from scleropath.synthetic.demo import load_demo

# The demo is built relative to "now"; this fixes its dates.
DEMO_MOMENT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        with time_machine.travel(DEMO_MOMENT, tick=False):
            load_demo(io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_loaded, db):
    """The loaded demo (committed for the module); a test's own writes are rolled back."""


def golden_patients() -> dict[str, Patient]:
    """The two demo patients with golden Bundles: one checked in after a recent session, one
    treated twice with outcomes."""
    riverside = Patient.objects.filter(clinic__slug="riverside").order_by("family_name", "given_name", "pk")
    checked_in = next(p for p in riverside if p.check_ins.exists() and p.adverse_events.exists())
    twice = next(p for p in riverside if p.sessions.count() == 2 and p.outcomes.exists())
    return {"checked-in": checked_in, "treated-twice": twice}
