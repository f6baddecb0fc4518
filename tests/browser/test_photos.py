"""A clinician records photo consent on the chart, takes a photo on the upload page, and sees its
thumbnail on the chart (served under the strict CSP); the card and the page pass axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.pathway import PASSWORD, Clinics, Pathway
from tests.photos.conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clinician_records_photo_consent_takes_a_photo_and_sees_it_on_the_chart(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway, axe: Any, tmp_path: Path
) -> None:
    photo = tmp_path / "leg.jpg"
    photo.write_bytes(jpeg_with_gps(300, 200).getvalue())
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    page.goto(f"{live_server.url}/patients/{pathway.patient.pk}/#photos")
    card = page.locator("#photos")
    assert "No photo consent yet" in card.inner_text()
    axe(page)
    card.get_by_label("Clinical record and teaching").check()
    card.get_by_label("The patient has read the text and agrees").check()
    card.get_by_role("button", name="Record photo consent").click()
    page.wait_for_selector("text=Photo consent recorded.")
    page.get_by_role("link", name="Take or upload a photo").click()
    page.wait_for_selector("h1:has-text('Photo')")
    axe(page)
    page.set_input_files("#id_photo", str(photo))
    page.select_option("#id_view", "calf_inner")
    page.get_by_label("Right").check()
    page.get_by_role("button", name="Save photo", exact=True).click()
    page.wait_for_selector("text=Photo saved.")
    thumbnail = page.locator("#photos img").first
    thumbnail.wait_for()
    # The thumbnail arrives through its own request after the page: wait for it to load.
    page.wait_for_function(
        "() => { const i = document.querySelector('#photos img'); return i && i.complete; }"
    )
    assert thumbnail.evaluate("img => img.naturalWidth") == 300
    assert "Inner calf" in page.locator("#photos").inner_text()
    axe(page)
    page.wait_for_load_state("networkidle")
    page.context.close()
