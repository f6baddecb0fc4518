"""Text messages through a small provider interface, like Django's email backends.

``send_sms(to, body)`` hands a message to the backend the ``SMS_BACKEND`` setting names and returns
the provider's id for it; a backend raises :class:`SmsError` (or any exception) when the provider
refuses. The backends:

- ``ConsoleBackend`` prints each message (the default: a dry run);
- ``OutboxBackend`` keeps each message in ``messaging.sms.outbox``, for tests (like
  ``django.core.mail.outbox``);
- ``FileBackend`` writes each message to a file in ``SMS_FILE_PATH``;
- ``TwilioBackend`` sends through Twilio, configured by ``TWILIO_ACCOUNT_SID``,
  ``TWILIO_AUTH_TOKEN`` and ``TWILIO_FROM`` (``messaging/checks.py`` refuses to start without them).
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The provider refused or could not take the message."""


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    provider_id: str


class BaseBackend:
    def send(self, to: str, body: str) -> str:
        """Send ``body`` to the E.164 number ``to``; return the provider's id for the message."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Prints each message instead of sending it."""

    def send(self, to: str, body: str) -> str:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        sys.stdout.write(f"SMS to {to} ({provider_id}):\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()
        return provider_id


# The messages the OutboxBackend has "sent", oldest first; tests clear it.
outbox: list[SmsMessage] = []


class OutboxBackend(BaseBackend):
    """Keeps each message in ``outbox`` in memory."""

    def send(self, to: str, body: str) -> str:
        message = SmsMessage(to, body, f"outbox-{len(outbox) + 1}")
        outbox.append(message)
        return message.provider_id


class FileBackend(BaseBackend):
    """Writes each message to its own file in the ``SMS_FILE_PATH`` folder."""

    def send(self, to: str, body: str) -> str:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        provider_id = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        (folder / f"{provider_id}.txt").write_text(f"To: {to}\n\n{body}\n", encoding="utf-8")
        return provider_id


class TwilioBackend(BaseBackend):
    """Sends through Twilio's Messages API. ``http_client`` lets tests answer for Twilio."""

    def __init__(self, http_client: Any = None) -> None:
        self.http_client = http_client

    def send(self, to: str, body: str) -> str:
        from twilio.base.exceptions import TwilioException
        from twilio.rest import Client

        client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=self.http_client)
        try:
            sent = client.messages.create(to=to, from_=settings.TWILIO_FROM, body=body)
        except TwilioException as exc:
            raise SmsError(f"Twilio refused the message: {exc}") from exc
        return str(sent.sid)


def backend() -> BaseBackend:
    """The backend the ``SMS_BACKEND`` setting names."""
    backend_class = import_string(settings.SMS_BACKEND)
    instance: BaseBackend = backend_class()
    return instance


def send_sms(to: str, body: str) -> str:
    """Send a text message through the configured backend; returns the provider's id for it."""
    return backend().send(to, body)
