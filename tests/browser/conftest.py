"""Browser tests drive Debian's chromium through Playwright (Playwright cannot download browsers
here). Without chromium they skip with a message; CI installs it and turns such skips into failures.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = (
    os.environ.get("SCLEROPATH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM:
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary blocking calls, so Django's async guard is relaxed here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def shoot(tmp_path: Path) -> Any:
    """Save a screenshot: into docs/screenshots when SCLEROPATH_SCREENSHOTS=1, else into a temp folder."""
    folder = SCREENSHOTS if os.environ.get("SCLEROPATH_SCREENSHOTS") == "1" else tmp_path

    def take(page: Any, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
