"""``load_demo``: the synthetic demo clinics (see scleropath.core.demo)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scleropath.core.demo import DEMO_PASSWORD, DemoExists, load_demo


class Command(BaseCommand):
    help = "Load two synthetic demo clinics with staff and about 60 patients into an empty database."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write("Loading the demo clinics (synthetic data)...")
        try:
            summary = load_demo(self.stdout)  # type: ignore[arg-type]  # OutputWrapper writes like a text stream
        except DemoExists as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Loaded {summary.clinics} clinics, {summary.patients} patients, {summary.sessions} sessions, "
            f"{summary.injections} injections, {summary.events} side effects, {summary.outcomes} outcomes "
            f"in {time.monotonic() - started:.1f} s."
        )
        self.stdout.write("")
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/ with the password " + DEMO_PASSWORD + " and one of:"
        )
        for username, role, clinic in summary.staff:
            self.stdout.write(f"  {username:<8} {role:<15} {clinic}")
        if summary.patient_link:
            self.stdout.write("")
            self.stdout.write(
                f"A patient's own link (check-ins after treatment), for {summary.patient_link_for}:"
            )
            self.stdout.write(f"  {summary.patient_link}")
