"""The SMS backends and the start-up checks of their settings; nothing here reaches the network."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from twilio.http import HttpClient
from twilio.http.response import Response

from scleropath.messaging import sms


class FakeTwilio(HttpClient):  # type: ignore[misc]
    """Answers for Twilio's API the way it answers a created message, or refuses with ``status``."""

    def __init__(self, status: int = 201) -> None:
        super().__init__(logging.getLogger("twilio.http_client"), is_async=False)
        self.status = status
        self.requests: list[dict[str, Any]] = []

    def request(self, method: str, url: str, params: Any = None, data: Any = None, **kwargs: Any) -> Response:
        self.requests.append({"method": method, "url": url, "data": data})
        if self.status >= 400:
            return Response(self.status, json.dumps({"code": 21211, "message": "Invalid 'To' number"}))
        return Response(201, json.dumps({"sid": "SM0123456789abcdef", "status": "queued"}))


@pytest.fixture
def twilio(settings: Any) -> None:
    settings.SMS_BACKEND = "scleropath.messaging.sms.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "secret"
    settings.TWILIO_FROM = "+447700900001"


def messaging_errors() -> list[str]:
    return [e.id for e in run_checks() if e.id and e.id.startswith("messaging.")]


def test_the_twilio_backend_posts_the_message_and_returns_its_sid(twilio: None):
    client = FakeTwilio()
    assert sms.TwilioBackend(http_client=client).send("+447700900123", "Hello") == "SM0123456789abcdef"
    (request,) = client.requests
    assert request["method"] == "POST" and request["url"].endswith("/Messages.json")
    assert request["data"]["To"] == "+447700900123"
    assert request["data"]["From"] == "+447700900001"
    assert request["data"]["Body"] == "Hello"


def test_a_twilio_refusal_is_an_sms_error(twilio: None):
    with pytest.raises(sms.SmsError, match="Twilio refused"):
        sms.TwilioBackend(http_client=FakeTwilio(status=400)).send("+447700900123", "Hello")


def test_the_twilio_backend_without_its_settings_stops_the_app_at_start(twilio: None, settings: Any):
    assert messaging_errors() == []
    settings.TWILIO_AUTH_TOKEN = ""
    settings.TWILIO_FROM = ""
    (error,) = [e for e in run_checks() if e.id == "messaging.E002"]
    assert "TWILIO_AUTH_TOKEN, TWILIO_FROM are not set" in error.msg


def test_a_backend_that_cannot_be_imported_stops_the_app_at_start(settings: Any):
    settings.SMS_BACKEND = "scleropath.messaging.sms.PigeonBackend"
    assert messaging_errors() == ["messaging.E001"]


def test_the_file_backend_writes_one_file_per_message(settings: Any, tmp_path: Path):
    settings.SMS_BACKEND = "scleropath.messaging.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path
    provider_id = sms.send_sms("+447700900123", "Hello")
    assert (tmp_path / f"{provider_id}.txt").read_text() == "To: +447700900123\n\nHello\n"


def test_the_console_backend_prints_the_message(settings: Any, capsys: pytest.CaptureFixture[str]):
    settings.SMS_BACKEND = "scleropath.messaging.sms.ConsoleBackend"
    provider_id = sms.send_sms("+447700900123", "Hello")
    assert f"SMS to +447700900123 ({provider_id}):\nHello" in capsys.readouterr().out


def test_tests_send_to_the_outbox(sms_outbox: list[sms.SmsMessage]):
    sms.send_sms("+447700900123", "Hello")
    assert sms_outbox == [sms.SmsMessage("+447700900123", "Hello", "outbox-1")]
