"""The one place online booking sends email from. Every message goes through :func:`send`, which
hands it to the messaging app's send-once path: it is recorded, sent at most once, retried by
``send-reminders`` if the mail server refused it, and dropped once it no longer matters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.template.loader import render_to_string

from scleropath.accounts.models import Clinic
from scleropath.messaging.models import Channel
from scleropath.messaging.services import send_once


def send(
    key: str,
    clinic: Clinic,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    *,
    expires_at: datetime | None = None,
) -> None:
    """Email ``template`` rendered with ``context`` to ``to``, once for ``key``. The person has no
    patient record yet, so no channel choice applies: they asked for this email themselves."""
    send_once(
        f"booking:{key}",
        clinic=clinic,
        patient=None,
        channel=Channel.EMAIL,
        to=to,
        purpose="online_booking",
        subject=subject,
        body=render_to_string(template, context),
        expires_at=expires_at,
    )
