"""``generate_chain``: a synthetic clinic chain at scale (see scleropath.synthetic.chain)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from scleropath.synthetic.chain import ChainError, ChainSize, generate_chain

DEFAULT = ChainSize()


class Command(BaseCommand):
    help = (
        "Fill an empty database with a generated clinic chain (by default 100,000 patients, "
        "1,000,000 sessions and 10,000,000 injections) for measuring the analytics. Every clinical "
        "value comes from the loaded protocol; progress goes to stderr."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinics", type=int, default=DEFAULT.clinics)
        parser.add_argument(
            "--practitioners",
            type=int,
            default=DEFAULT.practitioners,
            help="clinicians and nurses per clinic",
        )
        parser.add_argument("--patients", type=int, default=None, help=f"default {DEFAULT.patients:,}")
        parser.add_argument("--sessions", type=int, default=None, help=f"default {DEFAULT.sessions:,}")
        parser.add_argument("--injections", type=int, default=None, help=f"default {DEFAULT.injections:,}")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="multiply the default patients, sessions and injections (0.01 is a 1%% chain); "
            "explicit counts win",
        )
        parser.add_argument("--years", type=int, default=DEFAULT.years, help="how far back the history goes")
        parser.add_argument("--seed", type=int, default=20261130)
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            default=None,
            help="last day of the history (YYYY-MM-DD; default today). Same seed and day, same chain.",
        )
        parser.add_argument("--batch-size", type=int, default=50_000)
        parser.add_argument(
            "--force",
            action="store_true",
            help="generate even though the database holds real clinics (their records stay apart)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scaled = DEFAULT.scaled(options["scale"])
        size = ChainSize(
            clinics=options["clinics"],
            practitioners=options["practitioners"],
            patients=options["patients"] if options["patients"] is not None else scaled.patients,
            sessions=options["sessions"] if options["sessions"] is not None else scaled.sessions,
            injections=options["injections"] if options["injections"] is not None else scaled.injections,
            years=options["years"],
        )
        until = options["until"] or timezone.localdate()
        self.stderr.write(
            f"Generating {size.clinics} clinics, {size.patients:,} patients, {size.sessions:,} sessions, "
            f"{size.injections:,} injections (seed {options['seed']}, until {until}) "
            f"into {connection.vendor} {connection.settings_dict['NAME']}"
        )
        started = time.monotonic()
        try:
            counts = generate_chain(
                size,
                seed=options["seed"],
                until=until,
                force=options["force"],
                batch_size=options["batch_size"],
                progress=self.stderr,
            )
        except ChainError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.monotonic() - started
        total = sum(counts.values())
        self.stdout.write(
            f"Wrote {total:,} rows in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f} rows/s):"
        )
        for label, count in counts.items():
            self.stdout.write(f"  {label:<26} {count:>12,}")
