"""In a real browser, the analytics pages and the patient chart raise no Content-Security-Policy
violation and their charts are drawn."""

from __future__ import annotations

from typing import Any

import pytest

from tests.analytics.conftest import PERIOD, History, history  # noqa: F401  (the analytics' hand-made quarter)
from tests.pathway import PASSWORD, Clinics

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_the_analytics_pages_and_the_chart_keep_to_the_csp(
    browser: Any,
    live_server: Any,
    clinics: Clinics,
    history: History,  # noqa: F811
    shoot: Any,
    axe: Any,
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")

    query = f"start={PERIOD['start']}&end={PERIOD['end']}"
    for path, screenshot in [
        (f"/analytics/?{query}", "12-analytics"),
        (f"/analytics/figures/procedure/?{query}&key=microsclerotherapy", "13-analytics-drill-down"),
        (f"/patients/{history.p1.pk}/", None),
    ]:
        page.goto(base + path)
        page.wait_for_load_state("load")
        if screenshot:
            shoot(page, screenshot)
        assert page.evaluate("window.__violations") == [], path
        axe(page)
        for svg in page.query_selector_all("svg.chart"):
            box = svg.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 50, path
    assert page.query_selector_all("svg.chart")  # the chart page drew its leg chart
    assert not [m for m in console if "Content Security Policy" in m]
    context.close()
