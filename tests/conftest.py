"""Suite-wide test configuration.

Tests that need a system part a newcomer may lack (a browser) skip with a clear message. CI sets
SCLEROPATH_STRICT_SKIPS=1 after installing those parts, and then any such skip fails the run
instead of hiding a missing install step.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from scleropath.messaging import sms

pytest_plugins = ["tests.pathway"]

STRICT_SKIPS = os.environ.get("SCLEROPATH_STRICT_SKIPS") == "1"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if STRICT_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under SCLEROPATH_STRICT_SKIPS=1: {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def sms_outbox(settings: Any) -> Generator[list[sms.SmsMessage], None, None]:
    """Text messages go to ``messaging.sms.outbox``, never to a provider; each test starts empty."""
    settings.SMS_BACKEND = "scleropath.messaging.sms.OutboxBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(scope="session", autouse=True)
def photos_in_memory() -> Generator[None, None, None]:
    """Photos any test stores (the demo's, a page test's) are kept in memory, not in var/media."""
    photos = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "photos": photos}):
        yield
