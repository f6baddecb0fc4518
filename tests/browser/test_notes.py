"""The Notes section in a real browser: htmx swaps the section in place when a note is added or
voided, under the strict Content-Security-Policy (nothing refused by it)."""

from __future__ import annotations

from typing import Any

import pytest

from scleropath.followup.models import ClinicalNote
from tests.pathway import PASSWORD, Clinics, Pathway

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_note_is_added_and_voided_in_place_without_leaving_the_session_page(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    page = browser.new_context(viewport={"width": 1024, "height": 900}).new_page()
    page.set_default_timeout(30_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")

    url = f"{live_server.url}/sessions/{pathway.session.pk}/"
    page.goto(url)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.fill("#notes textarea[name=text]", "   ")
    page.click("#notes button:has-text('Add note')")
    page.wait_for_selector("#notes .errorlist:has-text('Write the note before saving it.')")
    page.fill("#notes textarea[name=text]", "Tolerated well.")
    page.click("#notes button:has-text('Add note')")
    page.wait_for_selector("#notes article:has-text('Tolerated well.')")
    assert page.input_value("#notes textarea[name=text]") == ""

    page.click("#notes summary:has-text('Void this note')")
    page.fill("#notes input[name=reason]", "Written on the wrong session")
    page.click("#notes button:has-text('Void note')")
    page.wait_for_selector("#notes del:has-text('Tolerated well.')")
    assert navigations == []  # every step was swapped in by htmx
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert ClinicalNote.objects.get().void_reason == "Written on the wrong session"
