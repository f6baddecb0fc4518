"""A manager sets up their clinic's diary in the admin (rooms, hours, absences, settings) and sees
its appointments read-only; another clinic's diary is out of sight."""

from __future__ import annotations

from datetime import time, timedelta

from django.test import Client
from django.utils import timezone

from scleropath.diary import services as diary
from scleropath.diary.models import OpeningHours, Room, WorkingHours
from tests.pathway import Clinics, Pathway


def test_a_manager_adds_a_room_and_opening_hours_to_their_own_clinic(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    assert client.post("/admin/diary/room/add/", {"name": "Room 3", "active": "on"}).status_code == 302
    assert Room.objects.get(name="Room 3").clinic == clinics.a
    response = client.post(
        "/admin/diary/openinghours/add/", {"weekday": 0, "opens": "08:00", "closes": "07:00"}
    )
    assert response.status_code == 200  # closing before opening is refused on the form
    assert not OpeningHours.objects.exists()
    assert (
        client.post(
            "/admin/diary/openinghours/add/", {"weekday": 0, "opens": "08:00", "closes": "18:00"}
        ).status_code
        == 302
    )
    assert OpeningHours.objects.get().clinic == clinics.a


def test_working_hours_list_only_the_managers_own_clinics_practitioners(client: Client, clinics: Clinics):
    WorkingHours.objects.create(practitioner=clinics.alice, weekday=0, starts=time(9), ends=time(17))
    WorkingHours.objects.create(practitioner=clinics.bob, weekday=0, starts=time(9), ends=time(17))
    client.force_login(clinics.mark)
    page = client.get("/admin/diary/workinghours/").content.decode()
    assert "alice" in page.lower() and "bob" not in page.lower()
    assert client.get("/admin/diary/diarysettings/").status_code == 200


def test_appointments_are_read_only_in_the_admin(client: Client, clinics: Clinics, pathway: Pathway):
    Room.objects.create(clinic=clinics.a, name="Room 1")
    for weekday in range(7):
        OpeningHours.objects.create(clinic=clinics.a, weekday=weekday, opens=time(8), closes=time(18))
        WorkingHours.objects.create(
            practitioner=clinics.alice, weekday=weekday, starts=time(8), ends=time(18)
        )
    a = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=diary.local_datetime(timezone.localdate() + timedelta(days=1), time(9)),
    )
    client.force_login(clinics.mark)
    assert client.get("/admin/diary/appointment/").status_code == 200
    assert client.get(f"/admin/diary/appointment/{a.pk}/change/").status_code == 200
    assert client.get("/admin/diary/appointment/add/").status_code == 403
