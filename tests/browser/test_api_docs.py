"""The API's docs page renders in a browser under the strict Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_renders_its_operations_under_the_csp(browser: Any, live_server: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title:has-text('ScleroPath API')")
    page.wait_for_selector(".opblock-summary-path:has-text('/api/v1/patients')")
    assert not [line for line in console if "Content Security Policy" in line], console
    context.close()
