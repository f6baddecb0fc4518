"""Staff pages fit a tablet's width: nothing pushes the page sideways (a findings table with its
actions once did at 1024 px)."""

from __future__ import annotations

from typing import Any

import pytest

from scleropath.assessments import services as assessments
from tests.pathway import PASSWORD, Clinics, Pathway, inject_spider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1024, 768])
def test_the_clinical_pages_fit_the_width_of_a_tablet(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway, width: int
) -> None:
    inject_spider(clinics.alice, pathway)
    # A re-assessment no plan rests on yet: its findings table has the change and remove actions.
    again = assessments.create_assessment(clinics.alice, pathway.patient, carry_forward=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    too_wide = {}
    for path in [
        "/",
        f"/patients/{pathway.patient.pk}/",
        f"/assessments/{pathway.assessment.pk}/",
        f"/assessments/{again.pk}/",
        f"/plans/{pathway.plan.pk}/",
        f"/sessions/{pathway.session.pk}/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[path] = scroll_width
    assert too_wide == {}, f"pages wider than {width} px: {too_wide}"
    context.close()
