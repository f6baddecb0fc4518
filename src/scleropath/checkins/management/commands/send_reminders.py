"""``send_reminders``: safe to run every few minutes from cron or a systemd timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from scleropath.checkins.services import send_reminders


class Command(BaseCommand):
    help = (
        "Mark missed check-ins; send check-in and follow-up reminders and the diary's appointment "
        "confirmations and reminders; retry failed messages. Each message is sent at most once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(
            f"{sent['check_in']} check-in reminder(s), {sent['follow_up']} follow-up reminder(s), "
            f"{sent['confirmation']} appointment confirmation(s), "
            f"{sent['first_reminder']} first and {sent['second_reminder']} second appointment reminder(s) "
            f"sent; {sent['retried']} failed message(s) sent on retry; "
            f"{sent['missed']} check-in(s) newly marked missed."
        )
