"""A patient answers a check-in on a phone-sized screen and is told what to do."""

from __future__ import annotations

from typing import Any

import pytest

from scleropath.checkins.models import Flag

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_patient_reports_calf_pain_on_a_phone_and_is_told_to_call_today(
    browser: Any,
    live_server: Any,
    link: Any,
    shoot: Any,
    axe: Any,
) -> None:
    _, _, path = link
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(live_server.url + path)
    page.wait_for_selector("h1:has-text('Hello Ann')")
    shoot(page, "10-patient-link")
    axe(page)
    page.click("text=report a problem")
    page.wait_for_selector("input[value=dvt_symptoms]")
    axe(page)
    page.check("input[value=dvt_symptoms]")
    page.click("button:has-text('Send')")
    page.wait_for_selector("text=Please call the clinic today")
    shoot(page, "11-patient-told-what-to-do")
    axe(page)
    assert Flag.objects.get().level == "prompt_review"
    context.close()


TAP_TARGETS = "main a, main button, main .button, main .choices label, main input[type=file]"


def small_targets(page: Any) -> list[str]:
    """The visible buttons, links and choices on the page smaller than 44 x 44 px to tap."""
    small = []
    for element in page.query_selector_all(TAP_TARGETS):
        box = element.bounding_box()
        if box is not None and (box["width"] < 44 or box["height"] < 44):
            text = element.inner_text().strip()[:30]
            small.append(f"{text!r} {box['width']:.0f}x{box['height']:.0f}")
    return small


def test_every_button_link_and_choice_on_the_patients_pages_is_big_enough_to_tap(
    browser: Any, live_server: Any, link: Any, axe: Any
) -> None:
    _, _, path = link
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(live_server.url + path)
    page.wait_for_selector("h1:has-text('Hello Ann')")
    home = page.url
    assert small_targets(page) == [], "home"
    page.click("text=report a problem")
    page.wait_for_selector("input[value=dvt_symptoms]")
    assert small_targets(page) == [], "check-in"
    page.check("input[value=bruising]")
    page.click("button:has-text('Send')")
    page.wait_for_selector("h1:has-text('Thank you')")
    assert small_targets(page) == [], "answered"
    axe(page)
    page.goto(home)
    page.click("text=How did it go?")
    page.wait_for_selector("h1:has-text('How did it go?')")
    assert small_targets(page) == [], "satisfaction"
    axe(page)
    context.close()
