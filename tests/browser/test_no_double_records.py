"""A submit while a live preview is still on its way records once. htmx queues a change that comes in
during a preview and sends it afterwards; if it took the clicked button's address, the finding or the
injection would be saved a second time."""

from __future__ import annotations

from typing import Any

import pytest

from scleropath.assessments import services as assessments
from scleropath.assessments.models import VeinFinding
from scleropath.treatment.models import Injection
from tests.pathway import PASSWORD, Clinics, Pathway

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    return page


def test_adding_a_finding_straight_after_a_change_saves_it_once(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    assessment = assessments.create_assessment(clinics.alice, pathway.patient)
    page = signed_in(browser, live_server)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.select_option("#id_side", "right")
    page.select_option("#id_region", "calf_lateral")
    page.fill("#id_diameter_mm", "4.5")
    page.select_option("#id_depth", "subcutaneous")
    # No wait for the preview: the click comes while it is on its way, and the select's change is
    # sent again when it loses focus, so one preview is queued behind the other.
    page.select_option("#id_reflux", "no")
    page.click("button:has-text('Add finding')")
    page.wait_for_selector("text=added: varicose")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert VeinFinding.objects.filter(assessment=assessment).count() == 1
    page.context.close()


def test_recording_an_injection_straight_after_a_change_saves_it_once(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    page = signed_in(browser, live_server)
    page.goto(f"{live_server.url}/sessions/{pathway.session.pk}/?finding={pathway.spider.pk}")
    page.wait_for_load_state("networkidle")
    page.fill("#id_volume_ml", "0.15")
    page.select_option("#id_form", "liquid")
    page.click("button:has-text('Record injection')")
    page.wait_for_selector("text=Injection recorded.")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert Injection.objects.filter(session=pathway.session).count() == 1
    page.context.close()
