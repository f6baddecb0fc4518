"""The leg map in a real browser: a finding placed with the keyboard alone, a click that guesses the
region under it, and a map that fills a phone's width."""

from __future__ import annotations

from typing import Any

import pytest

from scleropath.assessments import services as assessments
from tests.pathway import PASSWORD, Clinics, Pathway

pytestmark = pytest.mark.django_db(transaction=True)


def open_assessment(browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    page.goto(f"{live_server.url}/assessments/{pathway.assessment.pk}/")
    page.wait_for_selector("#legmap")
    return page


def close(page: Any) -> None:
    """Let the page's last requests finish before the test ends: a request still running on the
    live server when the database is emptied for the next test would hold its locks (on PostgreSQL
    the two deadlock)."""
    page.wait_for_load_state("networkidle")
    page.context.close()


def add_findings(clinics: Clinics, pathway: Pathway) -> None:
    """A few more findings, two of them close together and one entered without the map."""
    for side, region, view, x, y, mm in [
        ("left", "thigh_medial", "front", 0.6, 0.31, 1.5),
        ("left", "thigh_medial", "front", 0.61, 0.33, 3.5),
        ("right", "popliteal_fossa", "front", 0.5, 0.5, 5.0),
        ("left", "calf_posterior", "back", 0.33, 0.66, 8.0),
        ("right", "ankle_medial", "front", 0.5, 0.5, 0.8),
    ]:
        assessments.add_finding(
            clinics.alice, pathway.assessment, side=side, region=region, view=view, x=x, y=y, diameter_mm=mm
        )


def test_a_finding_is_placed_with_the_keyboard_alone(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    page = open_assessment(browser, live_server, clinics, pathway, 1024)
    page.locator("#legmap").focus()
    status = page.locator("#legmap-status")
    assert status.inner_text() == "Front view, right leg, thigh anterior"
    assert page.locator("#legmap-help").is_visible()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert status.inner_text() == "Front view, right leg, thigh medial"
    page.keyboard.press("Enter")
    assert page.input_value("#id_view") == "front"
    assert page.input_value("#id_side") == "right"
    assert page.input_value("#id_region") == "thigh_medial"
    assert 0.35 < float(page.input_value("#id_x")) < 0.5
    assert 0.2 < float(page.input_value("#id_y")) < 0.35
    assert "Placed" in status.inner_text()
    # As after a click, the form's first measurement is next.
    assert page.evaluate("document.activeElement.id") == "id_diameter_mm"
    close(page)


def test_the_arrow_keys_carry_the_marker_into_the_back_view(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    page = open_assessment(browser, live_server, clinics, pathway, 1024)
    page.locator("#legmap").focus()
    for _ in range(17):
        page.keyboard.press("Shift+ArrowRight")
    assert page.locator("#legmap-status").inner_text() == "Back view, left leg, thigh posterior"
    page.keyboard.press("Enter")
    assert (page.input_value("#id_view"), page.input_value("#id_side")) == ("back", "left")
    close(page)


def test_enter_off_the_legs_fills_nothing(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    page = open_assessment(browser, live_server, clinics, pathway, 1024)
    page.locator("#legmap").focus()
    for _ in range(12):
        page.keyboard.press("Shift+ArrowUp")
    assert page.locator("#legmap-status").inner_text() == "Front view, not on a leg"
    page.keyboard.press("Enter")
    assert "Not on a leg" in page.locator("#legmap-status").inner_text()
    assert page.input_value("#id_x") == "0.5"
    close(page)


def test_a_click_on_the_inner_thigh_guesses_the_inner_thigh(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    page = open_assessment(browser, live_server, clinics, pathway, 1024)
    # The left leg in the front view is on the viewer's right; its inner edge faces the middle.
    box = page.locator('polygon.leg-target[data-side="left"][data-view="front"]').bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.12, box["y"] + box["height"] * 0.3)
    assert page.input_value("#id_side") == "left"
    assert page.input_value("#id_region") == "thigh_medial"
    back = page.locator('polygon.leg-target[data-side="right"][data-view="back"]')
    box = back.bounding_box()
    # Bring the back of the knee into the window before clicking it.
    page.evaluate(f"window.scrollBy(0, {box['y'] + box['height'] * 0.48 - 450})")
    box = back.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.48)
    assert (page.input_value("#id_view"), page.input_value("#id_region")) == ("back", "popliteal_fossa")
    close(page)


def test_the_map_reads_on_a_tablet_and_fills_a_phones_width(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway, shoot: Any
) -> None:
    add_findings(clinics, pathway)
    page = open_assessment(browser, live_server, clinics, pathway, 1024)
    assert page.locator(".legmap .marker").count() == 7
    page.locator("#legmap").screenshot(path=str(shoot(page, "legmap-1024").with_name("map-1024.png")))
    close(page)
    page = open_assessment(browser, live_server, clinics, pathway, 390)
    front = page.locator('svg.legmap-view[data-view="front"]').bounding_box()
    assert front["width"] >= 300
    # Markers keep their size on the phone, so labels stay readable.
    label = page.locator(".legmap .marker-label").first.bounding_box()
    assert label["height"] >= 12
    page.locator("#legmap").screenshot(path=str(shoot(page, "legmap-390").with_name("map-390.png")))
    close(page)
