"""Online booking on a phone-sized screen: a new patient books, answers the questionnaire and
confirms by the emailed link; a person with an absolute contraindication is asked to wait for a call
instead of getting a slot; reception finds the booking on the online bookings page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from scleropath.booking.models import CallbackRequest, OnlineBooking
from scleropath.booking.questions import QUESTIONS
from scleropath.diary.models import Appointment
from tests.booking.conftest import online  # noqa: F401  the clinics' diaries, open for booking online
from tests.browser.test_patient_check_in import small_targets
from tests.pathway import PASSWORD, Clinics

pytestmark = pytest.mark.django_db(transaction=True)


def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def book_up_to_the_details(
    page: Any, url: str, axe: Any, yes: frozenset[str] = frozenset(), shoot: Any = None
) -> None:
    page.goto(f"{url}/book/riverside/")
    page.wait_for_selector("h1:has-text('Book a consultation')")
    axe(page)
    assert small_targets(page) == [], "concern"
    page.check("input[value=thread_veins]")
    page.click("button:has-text('Next')")
    page.wait_for_selector("h1:has-text('Choose a time')")
    axe(page)
    assert small_targets(page) == [], "time"
    page.check("input[name=starts_at] >> nth=0")
    page.click("button:has-text('Next')")
    page.wait_for_selector("h1:has-text('Before your visit')")
    axe(page)
    assert small_targets(page) == [], "questions"
    for q in QUESTIONS:
        page.check(f"input[name={q.name}][value={'yes' if q.name in yes else 'no'}]")
    if shoot is not None:
        shoot(page, "16-online-booking-questions")
    page.click("button:has-text('Next')")
    page.wait_for_selector("h1:has-text('Your details')")
    axe(page)
    assert small_targets(page) == [], "details"
    page.fill("#id_given_name", "Ann")
    page.fill("#id_family_name", "Walker")
    page.fill("#id_date_of_birth", "1975-04-12")
    page.fill("#id_email", "ann@example.org")
    page.fill("#id_phone", "07700 900123")


def test_a_new_patient_books_on_a_phone_and_confirms_by_the_emailed_link(
    browser: Any,
    live_server: Any,
    online: Clinics,  # noqa: F811  the fixture imported above
    axe: Any,
) -> None:
    with override_settings(SCLEROPATH_BASE_URL=live_server.url):
        page = phone(browser)
        book_up_to_the_details(page, live_server.url, axe)
        page.click("button:has-text('Book and send me the email')")
        page.wait_for_selector("h1:has-text('Check your email')")
        axe(page)
        link = next(w for w in mail.outbox[-1].body.split() if "/book/confirm/" in w)
        page.goto(link)
        page.wait_for_selector("h1:has-text('Confirm your booking')")
        page.click("button:has-text('Confirm my booking')")
        page.wait_for_selector("h1:has-text('You are booked')")
        axe(page)
    booking = OnlineBooking.objects.get()
    assert booking.status == "confirmed" and booking.provisional
    assert Appointment.objects.get().patient == booking.patient
    page.context.close()


def test_a_person_with_an_absolute_contraindication_is_offered_a_call_back_not_a_slot(
    browser: Any,
    live_server: Any,
    online: Clinics,  # noqa: F811  the fixture imported above
    axe: Any,
) -> None:
    page = phone(browser)
    book_up_to_the_details(page, live_server.url, axe, yes=frozenset({"acute_vte"}))
    page.click("button:has-text('Book and send me the email')")
    page.wait_for_selector("h1:has-text('We will call you')")
    axe(page)
    assert CallbackRequest.objects.count() == 1
    assert not Appointment.objects.exists()
    page.context.close()


def test_reception_sees_the_booking_on_the_online_bookings_page_and_in_the_diary(
    browser: Any,
    live_server: Any,
    online: Clinics,  # noqa: F811  the fixture imported above
    axe: Any,
    shoot: Any,
) -> None:
    page = phone(browser)
    book_up_to_the_details(page, live_server.url, axe, shoot=shoot)
    page.click("button:has-text('Book and send me the email')")
    page.wait_for_selector("h1:has-text('Check your email')")
    page.context.close()
    desk = browser.new_context(viewport={"width": 1024, "height": 900}).new_page()
    desk.set_default_timeout(30_000)
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.fill("#id_login", "rita")
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.click("nav >> text=Online bookings")
    desk.wait_for_selector("h1:has-text('Online bookings')")
    assert desk.is_visible("text=Ann Walker")
    assert desk.is_visible("text=Waiting for the email confirmation")
    axe(desk)
    shoot(desk, "17-online-bookings")
    held = Appointment.objects.get()
    desk.goto(f"{live_server.url}/diary/?day={timezone.localdate(held.starts_at).isoformat()}")
    desk.wait_for_selector(f"a.appt[href='/appointments/{held.pk}/']")
    assert "Consultation" in desk.locator(f"a.appt[href='/appointments/{held.pk}/']").inner_text()
    desk.context.close()
