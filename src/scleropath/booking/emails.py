"""The one place online booking sends email from. Every message goes through :func:`send`, so
moving to another way of sending changes this module alone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send(to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """Send ``template`` rendered with ``context`` as a plain-text email to ``to``."""
    send_mail(subject, render_to_string(template, context), settings.DEFAULT_FROM_EMAIL, [to])
