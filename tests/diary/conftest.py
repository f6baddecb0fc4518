"""A clinic A diary: open 08:00–18:00 every day, Alice (clinician) in room 1 and Nora (nurse) in
room 2 all those hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import pytest

from scleropath.diary.models import OpeningHours, Room, WorkingHours
from tests.pathway import Clinics


@dataclass
class Diary:
    room1: Room
    room2: Room


def open_diary(clinics: Clinics) -> Diary:
    """Clinic A's rooms and hours (for test modules outside this folder, which cannot see ``rooms``)."""
    room1 = Room.objects.create(clinic=clinics.a, name="Room 1")
    room2 = Room.objects.create(clinic=clinics.a, name="Room 2")
    for weekday in range(7):
        OpeningHours.objects.create(clinic=clinics.a, weekday=weekday, opens=time(8), closes=time(18))
        WorkingHours.objects.create(
            practitioner=clinics.alice, weekday=weekday, starts=time(8), ends=time(18), room=room1
        )
        WorkingHours.objects.create(
            practitioner=clinics.nora, weekday=weekday, starts=time(8), ends=time(18), room=room2
        )
    return Diary(room1, room2)


@pytest.fixture
def rooms(clinics: Clinics) -> Diary:
    return open_diary(clinics)
