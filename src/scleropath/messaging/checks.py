"""Start-up checks of the SMS settings: a backend that cannot be imported, or the Twilio backend
without its account, stops the app with a message instead of failing at the first reminder."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

TWILIO = "scleropath.messaging.sms.TwilioBackend"


@register()
def check_sms_backend(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        import_string(settings.SMS_BACKEND)
    except ImportError:
        return [
            Error(
                f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported.",
                hint="Use scleropath.messaging.sms.ConsoleBackend, FileBackend, OutboxBackend or TwilioBackend.",
                id="messaging.E001",
            )
        ]
    if settings.SMS_BACKEND != TWILIO:
        return []
    missing = [
        name
        for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")
        if not getattr(settings, name)
    ]
    if missing:
        return [
            Error(
                f"SMS_BACKEND is the Twilio backend but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set.",
                hint="Set them in the environment, or choose another SMS_BACKEND.",
                id="messaging.E002",
            )
        ]
    return []
