"""Bulk export in the style of FHIR Bulk Data: one newline-delimited JSON file per resource type.

Resources are written as they are read (see :mod:`export`), so memory use does not grow with
the size of the clinic.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import IO, Protocol

from django.db import transaction

from scleropath.accounts.access import record_access
from scleropath.accounts.models import Clinic
from scleropath.patients.models import Patient

from .export import SECTIONS, Run, Scope, vocabulary

PROGRESS_EVERY = 500


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def find_clinic(value: str) -> Clinic:
    """A clinic by id or slug; raises Clinic.DoesNotExist."""
    if value.isdigit():
        return Clinic.objects.get(pk=int(value))
    return Clinic.objects.get(slug=value)


def export_clinic(clinic: Clinic, output: Path, progress: Writer) -> Counter[str]:
    """Write ``<ResourceType>.ndjson`` files for every record of ``clinic`` into ``output``;
    returns the number of resources of each type."""
    output.mkdir(parents=True, exist_ok=True)
    files: dict[str, IO[str]] = {}
    counts: Counter[str] = Counter()
    run = Run(Scope(clinic), vocabulary(clinic))
    try:
        for section in SECTIONS:
            name = section.__name__.replace("_", " ")
            before = sum(counts.values())
            for r in section(run):
                kind = r["resourceType"]
                if kind not in files:
                    files[kind] = (output / f"{kind}.ndjson").open("w", encoding="utf-8")
                files[kind].write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
                counts[kind] += 1
                if sum(counts.values()) % PROGRESS_EVERY == 0:
                    progress.write(f"  ... {sum(counts.values())} resources\n")
            progress.write(f"{name}: {sum(counts.values()) - before} resources\n")
    finally:
        for f in files.values():
            f.close()
    audit_export(clinic)
    return counts


def audit_export(clinic: Clinic) -> None:
    """A bulk export reads every live patient's record: each read goes into the audit log, as it
    would for a chart opened on the web (no actor: the command runs outside a request)."""
    with transaction.atomic():
        for patient in Patient.objects.active().filter(clinic=clinic).only("pk").iterator(chunk_size=2000):
            record_access(patient)
