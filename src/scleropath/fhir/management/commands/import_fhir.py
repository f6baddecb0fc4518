"""``manage.py import_fhir --clinic <id or slug> FILE``: import an exported Bundle into an empty clinic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scleropath.accounts.models import Clinic, User
from scleropath.fhir.bulk import find_clinic
from scleropath.fhir.importer import ImportRefused, import_bundle


def read_bundle(path: Path) -> Any:
    """A Bundle from a JSON file, or a collection Bundle of every resource in a bulk export directory."""
    if not path.is_dir():
        return json.loads(path.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = []
    for file in sorted(path.glob("*.ndjson")):
        with file.open(encoding="utf-8") as lines:
            entries.extend({"resource": json.loads(line)} for line in lines if line.strip())
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


class Command(BaseCommand):
    help = "Import a FHIR Bundle exported by ScleroPath into a clinic that has no clinical records yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "bundle",
            type=Path,
            help="the Bundle's JSON file, or a directory of .ndjson files from export_fhir",
        )
        parser.add_argument("--clinic", required=True, help="the clinic's id or slug")
        parser.add_argument("--user", help="username recorded as the creator of the imported records")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            clinic = find_clinic(options["clinic"])
        except Clinic.DoesNotExist:
            raise CommandError(f"No clinic {options['clinic']!r} (give its id or slug).") from None
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            bundle = read_bundle(Path(options["bundle"]))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {options['bundle']}: {exc}") from None
        try:
            result = import_bundle(bundle, clinic, by)
        except ImportRefused as exc:
            for reason in exc.reasons:
                self.stderr.write(f"- {reason}")
            raise CommandError(f"Nothing was imported: {len(exc.reasons)} problem(s) listed above.") from None
        for model, n in sorted(result.counts.items()):
            self.stdout.write(f"{model}\t{n}")
        for username in result.staff_added:
            self.stdout.write(
                f"Added inactive staff account {username} (activate it in the admin if needed)."
            )
