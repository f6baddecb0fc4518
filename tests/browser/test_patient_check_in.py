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
) -> None:
    _, _, path = link
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(live_server.url + path)
    page.wait_for_selector("h1:has-text('Hello Ann')")
    shoot(page, "10-patient-link")
    page.click("text=report a problem")
    page.check("input[value=dvt_symptoms]")
    page.click("button:has-text('Send')")
    page.wait_for_selector("text=Please call the clinic today")
    shoot(page, "11-patient-told-what-to-do")
    assert Flag.objects.get().level == "prompt_review"
    context.close()
