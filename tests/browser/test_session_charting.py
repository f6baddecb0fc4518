"""Charting injections in the browser: a finding's marker fills the form from the plan, and the next
injection is a site on the map and Record (what needs a browser: the marker script and htmx)."""

from __future__ import annotations

from typing import Any

from scleropath.treatment.models import Injection
from tests.pathway import PASSWORD, Clinics, Pathway


def test_two_injections_take_two_actions_each(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway, shoot: Any
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    page.goto(f"{live_server.url}/sessions/{pathway.session.pk}/")
    page.wait_for_load_state("networkidle")

    # One: the spider vein's marker. The form fills from the plan and the tally counts it.
    page.click(f'#legmap [data-finding="{pathway.spider.pk}"] circle')
    page.wait_for_selector("text=Filled from the plan for")
    page.wait_for_selector("#tally :text('with the injection being entered')")
    assert page.input_value("#id_volume_ml") == "0.1"
    assert page.input_value("#id_lot") == str(pathway.lot.pk)
    # Two: Record.
    page.click("button:has-text('Record injection')")
    page.wait_for_selector("text=Injection recorded.")

    # The next one: a site on the left leg (front view), then Record.
    page.wait_for_selector("text=Same as injection 1")
    leg = page.locator('polygon.leg-target[data-side="left"][data-view="front"]')
    box = leg.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.35)
    page.wait_for_load_state("networkidle")
    shoot(page, "session-same-again")
    page.click("button:has-text('Record injection')")
    page.wait_for_selector("text=Injection recorded.")

    first, second = Injection.objects.order_by("id")
    assert (second.finding, second.lot, second.volume_ml) == (first.finding, first.lot, first.volume_ml)
    assert second.x is not None and second.x != first.x
    context.close()
