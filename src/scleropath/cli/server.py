"""``scleropath serve`` and ``scleropath demo``: the clinic app on this machine, on SQLite by default."""

from __future__ import annotations

import os
from typing import TextIO


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scleropath.settings")
    # The development server is for this machine only; production runs gunicorn with a real SECRET_KEY.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("SCLEROPATH_DEV", "1")
    import django

    django.setup()


def demo(out: TextIO) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=out)
    return 0


def serve(port: int, demo: bool, out: TextIO) -> int:
    _setup()
    from django.core.management import call_command

    from scleropath.accounts.models import Clinic

    out.write("Applying database migrations...\n")
    call_command("migrate", verbosity=0)
    if demo and not Clinic.objects.exists():
        call_command("load_demo", stdout=out)
    out.write(f"ScleroPath is running at http://127.0.0.1:{port}/  (Ctrl+C to stop)\n")
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
    return 0


def management(command: str, out: TextIO) -> int:
    """Run one of the app's management commands against the configured database."""
    _setup()
    from django.core.management import call_command

    call_command(command, stdout=out)
    return 0
