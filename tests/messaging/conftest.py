"""A patient of clinic A with an email address and a mobile, and SMS backends that fail or dawdle."""

from __future__ import annotations

import time

import pytest

from scleropath.messaging import sms
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from tests.pathway import Clinics


@pytest.fixture
def ann(clinics: Clinics) -> Patient:
    return patients.create_patient(
        clinics.rita,
        given_name="Ann",
        family_name="Jones",
        date_of_birth="1970-01-01",
        email="ann.jones@example.com",
        phone="07700 900123",
    )


class BrokenBackend(sms.BaseBackend):
    """A provider that is down."""

    def send(self, to: str, body: str) -> str:
        raise sms.SmsError("provider unavailable (503)")


class SlowBackend(sms.OutboxBackend):
    """A provider that takes a moment, so racing senders overlap while one is sending."""

    def send(self, to: str, body: str) -> str:
        time.sleep(0.05)
        return super().send(to, body)
