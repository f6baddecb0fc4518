"""``load_demo``: the synthetic demo clinics (see scleropath.synthetic.demo)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from scleropath.synthetic.demo import DemoExists, load_demo


class Command(BaseCommand):
    help = (
        "Load two synthetic demo clinics with staff and about 60 patients into an empty database, "
        "and print how to sign in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first wipe EVERY record in the database (development only; asks to confirm)",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="with --reset, do not ask for confirmation",
        )

    def handle(self, *args: Any, reset: bool = False, interactive: bool = True, **options: Any) -> None:
        if reset:
            self.wipe(interactive)
        try:
            load_demo(self.stdout)
        except DemoExists as exc:
            raise CommandError(str(exc)) from None

    def wipe(self, interactive: bool) -> None:
        """Empty the whole database. Clinical records cannot be deleted through the app, so this
        truncates every table (Django's ``flush``), and only on a development machine."""
        if not settings.DEVELOPMENT:
            raise CommandError(
                "--reset wipes the whole database, so it runs only in development (SCLEROPATH_DEV=1)."
            )
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"This deletes EVERY record in the database {name}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Reset cancelled; nothing was changed.")
        call_command("flush", interactive=False, verbosity=0)
        self.stdout.write(f"Emptied the database {name}.")
