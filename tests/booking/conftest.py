"""Both clinics take bookings online: open 08:00–18:00 every day, Alice seeing patients in clinic A's
room 1 and Bob in clinic B's room. Rate-limit counts start from nothing in every test."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from scleropath.diary import services as diary
from scleropath.diary.models import OpeningHours, Room, WorkingHours
from tests.pathway import Clinics

TOMORROW = timezone.localdate() + timedelta(days=1)

NO = frozenset[str]()


def at(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return diary.local_datetime(day, time(hour, minute))


def person(**changes: Any) -> dict[str, Any]:
    who = {
        "given_name": "Ann",
        "family_name": "Walker",
        "date_of_birth": date(1975, 4, 12),
        "email": "ann@example.org",
        "phone": "07700 900123",
        "nhs_number": "",
    }
    who.update(changes)
    return who


@pytest.fixture
def online(clinics: Clinics) -> Clinics:
    cache.clear()
    for clinic, practitioner in ((clinics.a, clinics.alice), (clinics.b, clinics.bob)):
        room = Room.objects.create(clinic=clinic, name="Room 1")
        settings = diary.diary_settings(clinic)
        settings.online_booking = True
        settings.booking_days_ahead = 7
        settings.save()
        for weekday in range(7):
            OpeningHours.objects.create(clinic=clinic, weekday=weekday, opens=time(8), closes=time(18))
            WorkingHours.objects.create(
                practitioner=practitioner, weekday=weekday, starts=time(8), ends=time(18), room=room
            )
    return clinics
