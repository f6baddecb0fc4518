"""``export_openapi``: write the API's OpenAPI document (docs/openapi.json is the committed copy)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from scleropath.api.api import api


def openapi_text() -> str:
    return json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of the JSON API."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default="docs/openapi.json")

    def handle(self, *args: Any, **options: Any) -> None:
        Path(options["output"]).write_text(openapi_text())
        self.stdout.write(f"Wrote {options['output']}")
