"""The clinic's public booking page, step by step, without signing in: only times are shown, bad
input is refused with what was typed kept, a program filling the hidden field gets nothing, and too
many requests from one address or for one email are refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings

from scleropath.booking.models import CallbackRequest, OnlineBooking
from scleropath.booking.questions import QUESTIONS
from scleropath.diary import services as diary
from scleropath.patients.models import Patient
from tests.booking.conftest import at
from tests.pathway import Clinics

DETAILS = {
    "given_name": "Ann",
    "family_name": "Walker",
    "date_of_birth": "1975-04-12",
    "email": "ann@example.org",
    "phone": "07700 900123",
    "nhs_number": "",
    "website": "",
}


def walk_to_details(
    client: Client, slug: str = "riverside", yes: set[str] | None = None, hour: int = 10
) -> None:
    assert client.post(f"/book/{slug}/", {"concern": "varicose_veins"}).status_code == 302
    response = client.get(f"/book/{slug}/time/?day={at(hour).date()}")
    assert response.status_code == 200
    assert client.post(f"/book/{slug}/time/", {"starts_at": at(hour).isoformat()}).status_code == 302
    answers = {q.name: "yes" if q.name in (yes or set()) else "no" for q in QUESTIONS}
    assert client.post(f"/book/{slug}/questions/", answers).status_code == 302


def send(client: Client, slug: str = "riverside", **changes: Any):
    return client.post(f"/book/{slug}/details/", {**DETAILS, **changes})


def test_a_visitor_books_in_four_steps_and_is_asked_to_confirm_by_email(online: Clinics):
    client = Client()
    walk_to_details(client)
    response = send(client)
    assert response.status_code == 200
    assert b"Check your email" in response.content
    booking = OnlineBooking.objects.get()
    assert booking.appointment.starts_at == at(10)
    assert booking.concern == "varicose_veins"
    link = mail.outbox[0].body.split("http://127.0.0.1:8000")[1].split()[0]
    page = client.get(link)
    assert b"Confirm my booking" in page.content
    assert client.post(link).status_code == 200
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_time_step_shows_times_only_never_who_has_the_other_appointments(online: Clinics, pathway: Any):
    diary.book(
        online.rita, patient=pathway.patient, practitioner=online.alice, kind="consultation", starts_at=at(9)
    )
    client = Client()
    client.post("/book/riverside/", {"concern": "thread_veins"})
    page = client.get(f"/book/riverside/time/?day={at(9).date()}").content.decode()
    assert "09:30" in page and ">\u00a009:00" not in page and 'value="' + at(9).isoformat() not in page
    assert pathway.patient.family_name not in page
    assert "Alice" not in page and "Room 1" not in page


def test_another_clinics_page_offers_its_own_times_and_never_this_clinics_booking(online: Clinics):
    client = Client()
    walk_to_details(client)
    send(client)
    other = Client()
    other.post("/book/hillview/", {"concern": "thread_veins"})
    page = other.get(f"/book/hillview/time/?day={at(10).date()}").content.decode()
    assert at(10).isoformat() in page  # Bob is free at ten: clinic A's booking does not touch clinic B
    assert "Ann" not in page and "Riverside" not in page


def test_a_clinic_that_does_not_book_online_and_an_unknown_clinic_look_the_same(online: Clinics):
    settings = diary.diary_settings(online.b)
    settings.online_booking = False
    settings.save()
    closed, unknown = Client().get("/book/hillview/"), Client().get("/book/nowhere/")
    assert closed.status_code == unknown.status_code == 404
    assert closed.content == unknown.content


def test_bad_details_are_refused_with_what_was_typed_kept_and_nothing_held(online: Clinics):
    client = Client()
    walk_to_details(client)
    response = send(client, date_of_birth="2999-01-01", email="not an email", nhs_number="1234567890")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Walker"' in page and 'value="07700 900123"' in page
    assert "future" in page.lower()
    assert not OnlineBooking.objects.exists() and not mail.outbox


def test_every_question_must_be_answered(online: Clinics):
    client = Client()
    client.post("/book/riverside/", {"concern": "review"})
    client.post("/book/riverside/time/", {"starts_at": at(10).isoformat()})
    response = client.post("/book/riverside/questions/", {QUESTIONS[0].name: "no"})
    assert response.status_code == 400
    assert b"Please answer every question" in response.content


def test_a_time_not_offered_is_refused(online: Clinics):
    client = Client()
    client.post("/book/riverside/", {"concern": "review"})
    response = client.post("/book/riverside/time/", {"starts_at": at(7).isoformat()})
    assert response.status_code == 400
    assert b"no longer free" in response.content


def test_an_absolute_contraindication_is_told_kindly_that_the_clinic_will_call(online: Clinics):
    client = Client()
    walk_to_details(client, yes={"acute_vte"})
    response = send(client)
    assert b"We will call you" in response.content
    assert b"We have not booked a time" in response.content
    assert CallbackRequest.objects.get().phone == "+447700900123"
    assert b"07700 900123" in response.content
    assert not OnlineBooking.objects.exists()


def test_a_time_taken_meanwhile_is_refused_kindly_with_the_details_kept(online: Clinics):
    client = Client()
    walk_to_details(client)
    diary.hold(clinic=online.a, practitioner=online.alice, kind="consultation", starts_at=at(10))
    response = send(client)
    assert response.status_code == 400
    assert b"has just been taken" in response.content and b'value="Walker"' in response.content
    assert OnlineBooking.objects.count() == 0


def test_a_program_filling_the_hidden_field_is_answered_as_if_it_worked_and_nothing_happens(online: Clinics):
    client = Client()
    walk_to_details(client)
    response = send(client, website="http://spam.example")
    assert response.status_code == 200 and b"Check your email" in response.content
    assert not OnlineBooking.objects.exists() and not CallbackRequest.objects.exists()
    assert not mail.outbox and not Patient.objects.exists()


@override_settings(ONLINE_BOOKING_EMAIL_RATE=(2, 3600))
def test_requests_for_one_email_address_are_limited_whatever_the_address_they_come_from(online: Clinics):
    for n in range(2):
        client = Client(REMOTE_ADDR=f"10.0.0.{n}")
        walk_to_details(client, hour=10 + n)
        assert b"Check your email" in send(client).content
    client = Client(REMOTE_ADDR="10.0.0.9")
    walk_to_details(client, hour=12)
    response = send(client, email="ANN@example.org ")
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert OnlineBooking.objects.count() == 2


@override_settings(ONLINE_BOOKING_PAGE_RATE=(5, 600))
def test_page_views_from_one_address_are_limited(online: Clinics):
    client = Client()
    codes = [client.get("/book/riverside/").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert Client(REMOTE_ADDR="10.9.9.9").get("/book/riverside/").status_code == 200


@override_settings(ONLINE_BOOKING_REQUEST_RATE=(1, 3600))
def test_booking_requests_from_one_address_are_limited(online: Clinics):
    client = Client()
    walk_to_details(client)
    assert send(client).status_code == 200
    walk_to_details(client, hour=11)
    response = send(client, email="other@example.org")
    assert response.status_code == 429
    assert OnlineBooking.objects.count() == 1


@pytest.mark.parametrize("path", ["/book/confirm/made-up/", "/book/confirm/x" + "a" * 40 + "/"])
def test_a_made_up_confirmation_link_shows_a_plain_page(online: Clinics, path: str):
    response = Client().get(path)
    assert response.status_code == 404
    assert b"not valid" in response.content


def test_a_lapsed_hold_whose_time_was_taken_is_refused_kindly_on_the_confirmation_page(online: Clinics):
    client = Client()
    walk_to_details(client)
    send(client)
    link = mail.outbox[0].body.split("http://127.0.0.1:8000")[1].split()[0]
    booking = OnlineBooking.objects.get()
    assert booking.appointment.hold_expires_at is not None
    with time_machine.travel(booking.appointment.hold_expires_at + timedelta(minutes=1)):
        diary.hold(clinic=online.a, practitioner=online.alice, kind="consultation", starts_at=at(10))
        response = client.post(link)
    assert response.status_code == 409
    assert b"Please choose another time" in response.content and b"Book again" in response.content
    assert not Patient.objects.exists()


def test_a_day_beyond_the_clinics_booking_horizon_offers_no_times(online: Clinics):
    client = Client()
    client.post("/book/riverside/", {"concern": "review"})
    far = at(10, day=at(10).date() + timedelta(days=30))
    response = client.post("/book/riverside/time/", {"starts_at": far.isoformat()})
    assert response.status_code == 400
