"""Practitioners' private calendar feeds: the feed shows the practitioner's own appointments with
the patient's initials only, a revoked or unknown address is a 404, and the address is issued and
revoked by the practitioner on the API tokens page."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from scleropath.diary import feeds
from scleropath.diary import services as diary
from scleropath.diary.ical import feed_ics
from scleropath.diary.models import CalendarFeed
from tests.diary.conftest import Diary
from tests.pathway import Clinics, Pathway

TOMORROW = timezone.localdate() + timedelta(days=1)


def at(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return diary.local_datetime(day, time(hour, minute))


def events(ics: bytes) -> list[Any]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def book(clinics: Clinics, pathway: Pathway, start: datetime, practitioner: Any = None, **kwargs: Any):
    return diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=practitioner or clinics.alice,
        kind="consultation",
        starts_at=start,
        reason="Varicose veins, left leg; phone 07700 900123",
        **kwargs,
    )


def test_the_feed_shows_the_kind_and_initials_the_room_and_nothing_more_of_the_patient(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    appointment = book(clinics, pathway, at(10), room=rooms.room1)
    ics = feed_ics(clinics.alice)
    [event] = events(ics)
    assert str(event["summary"]) == "Consultation – A.J."
    assert str(event["location"]) == "Room 1"
    assert event.decoded("dtstart") == at(10)
    assert event.decoded("dtend") == at(10, 30)
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["uid"]) == f"appointment-{appointment.pk}@127.0.0.1"
    text = ics.decode()
    for personal in ("Ann", "Jones", "JONES", "07700", "Varicose", pathway.patient.nhs_number or "no-nhs"):
        assert personal not in text


def test_a_moved_appointment_keeps_its_uid_and_a_cancelled_one_is_sent_as_cancelled(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    first = book(clinics, pathway, at(9))
    second = book(clinics, pathway, at(11))
    before = {str(e["uid"]) for e in events(feed_ics(clinics.alice))}
    diary.move(clinics.rita, first, expected_version=first.version, starts_at=at(14))
    diary.cancel(clinics.rita, second, expected_version=second.version, reason="Unwell")
    after = {str(e["uid"]): e for e in events(feed_ics(clinics.alice))}
    assert set(after) == before
    moved = after[f"appointment-{first.pk}@127.0.0.1"]
    assert (moved.decoded("dtstart"), int(moved["sequence"])) == (at(14), 1)
    assert str(after[f"appointment-{second.pk}@127.0.0.1"]["status"]) == "CANCELLED"


def test_another_practitioners_and_out_of_range_appointments_are_left_out(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    mine = book(clinics, pathway, at(9))
    book(clinics, pathway, at(9), practitioner=clinics.nora)
    far = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=timezone.now() + timedelta(days=200),
        check_hours=False,
    )
    uids = [str(e["uid"]) for e in events(feed_ics(clinics.alice))]
    assert uids == [f"appointment-{mine.pk}@127.0.0.1"]
    assert f"appointment-{far.pk}@127.0.0.1" not in uids
    assert len(events(feed_ics(clinics.nora))) == 1


def test_the_feed_address_works_without_signing_in_and_stays_out_of_shared_caches(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    book(clinics, pathway, at(10), room=rooms.room1)
    _, secret = feeds.issue_feed(clinics.alice)
    response = Client().get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"].startswith("private")
    assert len(events(response.content)) == 1
    assert CalendarFeed.objects.get().secret_hash != secret  # only its hash is kept


def test_a_revoked_reissued_or_unknown_address_is_not_found(clinics: Clinics, pathway: Pathway, rooms: Diary):
    _, first = feeds.issue_feed(clinics.alice)
    _, second = feeds.issue_feed(clinics.alice)  # issuing again stops the first address
    client = Client()
    assert client.get(f"/calendar/{first}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200
    feeds.revoke_feed(clinics.alice)
    assert client.get(f"/calendar/{second}.ics").status_code == 404
    assert client.get("/calendar/not-a-secret.ics").status_code == 404


def test_feed_requests_are_rate_limited_per_address(clinics: Clinics, settings: Any):
    settings.CALENDAR_FEED_RATE = (3, 600)
    client = Client()
    codes = [client.get(f"/calendar/guess-{n}.ics").status_code for n in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_a_practitioner_issues_their_feed_on_the_tokens_page_sees_the_address_once_and_revokes_it(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    book(clinics, pathway, at(10))
    client = Client()
    client.force_login(clinics.alice)
    issued = client.post(reverse("api_tokens:issue_calendar"))
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"] or "no-cache" in issued["Cache-Control"]
    url = re.search(r'<code id="new-feed-url">([^<]+)</code>', issued.content.decode()).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert Client().get(f"/{path}").status_code == 200
    again = client.get(reverse("api_tokens:tokens")).content.decode()
    assert "Revoke the feed" in again and url not in again
    client.post(reverse("api_tokens:revoke_calendar"))
    assert Client().get(f"/{path}").status_code == 404


@pytest.mark.parametrize("name", ["rita", "mark"])
def test_staff_without_appointments_are_not_offered_a_feed(clinics: Clinics, name: str):
    client = Client()
    client.force_login(getattr(clinics, name))
    assert "calendar feed" not in client.get(reverse("api_tokens:tokens")).content.decode()
    client.post(reverse("api_tokens:issue_calendar"))
    assert not CalendarFeed.objects.exists()
