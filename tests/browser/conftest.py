"""Browser tests drive Debian's chromium through Playwright (Playwright cannot download browsers
here). Without chromium they skip with a message; CI installs it and turns such skips into failures.
"""

from __future__ import annotations

import json
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
# axe-core, vendored unmodified (MPL-2.0) so the checks run offline: see vendor/axe-core/README.md.
AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# The impacts that fail a page; "moderate" and "minor" findings are left to review.
AXE_FAILING = ("critical", "serious")
# SCLEROPATH_AXE_LOG=<file> appends every violation found (any impact) as JSON lines, page by page;
# with SCLEROPATH_AXE_SOFT=1 as well, violations are only logged, to survey a branch's pages.
AXE_LOG = os.environ.get("SCLEROPATH_AXE_LOG")
AXE_SOFT = os.environ.get("SCLEROPATH_AXE_SOFT") == "1"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now, and return its violations (every impact).

    The script is evaluated through the browser's DevTools protocol, which the page's strict
    Content-Security-Policy does not govern, so nothing is added to the page's own sources.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as lines to read in a failure: rule, impact, help and the first nodes' targets."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} at {targets}")
    return "\n".join(lines)


@pytest.fixture
def axe() -> Any:
    """``axe(page)``: fail on any critical or serious accessibility violation axe-core finds on the
    page as it is now (call it once the page has loaded, and again after htmx swaps in content)."""

    def check(page: Any) -> None:
        violations = axe_violations(page)
        if AXE_LOG:
            with open(AXE_LOG, "a", encoding="utf-8") as log:
                for v in violations:
                    entry = {
                        "url": page.url,
                        "rule": v["id"],
                        "impact": v["impact"],
                        "nodes": len(v["nodes"]),
                        "targets": [" ".join(n["target"]) for n in v["nodes"]],
                        "summary": [n.get("failureSummary", "") for n in v["nodes"]],
                    }
                    log.write(json.dumps(entry) + "\n")
        failing = [v for v in violations if v["impact"] in AXE_FAILING]
        if failing and not AXE_SOFT:
            raise AssertionError(f"accessibility violations on {page.url}:\n{describe(failing)}")

    return check


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
