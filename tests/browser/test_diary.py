"""The diary in a real browser: reception opens it, books a treated patient's review at a free slot
inside the protocol's window in one click, and sees it in the day; then books a consultation from a
free cell, finding the patient by name in the form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from scleropath.diary.models import Appointment
from scleropath.followup.models import FollowUp
from tests.diary.conftest import rooms  # noqa: F401  (the fixture, used by name below)
from tests.pathway import PASSWORD, Clinics, Pathway

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rooms")]


def sign_in(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    return page


def test_reception_books_a_review_in_its_window_in_one_click_and_sees_it_in_the_day(
    browser: Any, live_server: Any, clinics: Clinics, treated: Pathway, axe: Any, shoot: Any
) -> None:
    follow_up = FollowUp.objects.filter(patient=treated.patient).order_by("due_on").first()
    assert follow_up is not None
    page = sign_in(browser, live_server, "rita")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.click("nav >> text=Diary")
    page.wait_for_selector("h1:has-text('Diary')")
    axe(page)
    page.click(f"a[href='/follow-ups/{follow_up.pk}/slots/']")
    page.wait_for_selector("h2:has-text('Free slots in the window')")
    axe(page)
    page.locator(".slot-list button").first.click()  # the one click
    page.wait_for_selector("text=Review booked for")
    booked = Appointment.objects.get(follow_up=follow_up)
    day = timezone.localdate(booked.starts_at)
    assert follow_up.due_on <= day
    if follow_up.window_end:
        assert day <= follow_up.window_end
    block = page.locator(f"a.appt[href='/appointments/{booked.pk}/']")
    assert "JONES, Ann" in block.inner_text() and "Review" in block.inner_text()
    shoot(page, "15-diary")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]


def test_reception_books_a_free_cell_finding_the_patient_by_name(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway, axe: Any
) -> None:
    page = sign_in(browser, live_server, "rita")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.goto(f"{live_server.url}/diary/?day={tomorrow.isoformat()}")
    page.click("td.free a[aria-label*='10:00 (Alice)']")
    page.wait_for_selector("h1:has-text('Book an appointment')")
    axe(page)
    page.fill("#id_q", "jones")
    page.click("button:has-text('Find')")
    page.check(f"input[name=patient][value='{pathway.patient.pk}']")
    page.fill("#id_reason", "Thread veins, first look")
    page.click("button:has-text('Book')")
    page.wait_for_selector("text=Booked: JONES, Ann at 10:00")
    appointment = Appointment.objects.get()
    assert appointment.practitioner == clinics.alice and appointment.reason == "Thread veins, first look"
    assert page.locator(f"a.appt[href='/appointments/{appointment.pk}/']").count() == 1
