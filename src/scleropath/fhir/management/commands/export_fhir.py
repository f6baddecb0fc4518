"""``manage.py export_fhir --clinic <id or slug> --output DIR``: a clinic's records as FHIR NDJSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scleropath.accounts.models import Clinic
from scleropath.fhir.bulk import export_clinic, find_clinic


class Command(BaseCommand):
    help = "Write one <ResourceType>.ndjson file per FHIR resource type for a clinic's records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, help="the clinic's id or slug")
        parser.add_argument("--output", required=True, type=Path, help="directory for the .ndjson files")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            clinic = find_clinic(options["clinic"])
        except Clinic.DoesNotExist:
            raise CommandError(f"No clinic {options['clinic']!r} (give its id or slug).") from None
        output = Path(options["output"])
        if output.exists() and not output.is_dir():
            raise CommandError(f"{output} exists and is not a directory.")
        self.stderr.write(f"Exporting {clinic.name} to {output}/ ...")
        counts = export_clinic(clinic, output, self.stderr)
        for kind, n in sorted(counts.items()):
            self.stdout.write(f"{kind}.ndjson\t{n}")
        self.stderr.write(f"Done: {sum(counts.values())} resources in {len(counts)} files.")
