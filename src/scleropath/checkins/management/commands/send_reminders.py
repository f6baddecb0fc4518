"""``send_reminders``: safe to run every few minutes from cron or a systemd timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from scleropath.checkins.services import send_reminders


class Command(BaseCommand):
    help = "Mark missed check-ins and email check-in and appointment reminders (each is sent at most once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(
            f"{sent['check_in']} check-in reminder(s), {sent['follow_up']} appointment reminder(s) sent; "
            f"{sent['missed']} check-in(s) newly marked missed."
        )
