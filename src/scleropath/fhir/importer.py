"""Importing a Bundle that ScleroPath exported into an empty clinic.

The bundle is checked first (a FHIR R4 Bundle; every resource ours, by profile, code systems and
extensions; every reference inside the bundle) and the clinic must hold no clinical records.
Records are then written in one transaction, straight to the models rather than through the
services: the services would re-run the engine, and an import must restore each frozen engine
answer exactly as it was recorded. Anything refused is reported as a list of reasons and nothing
is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import transaction

from scleropath.accounts.models import Clinic, User
from scleropath.core.models import ClinicalRecord

from . import codes, map_aftercare, map_assessments, map_diary, map_notes, map_people, map_treatment
from .common import Bad, ImportResult, Records, Resource, key, kind_of
from .resources import bundle_problems, problems

BUNDLE_TYPES = ("searchset", "collection")
KNOWN_SYSTEMS = codes.OUR_CODE_SYSTEMS | codes.SHARED_SYSTEMS
MAX_REASONS = 50


class ImportRefused(Exception):
    """The bundle was not imported; ``reasons`` says why, one line each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _objects(node: Any, into_extensions: bool = True) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``node``, itself first; not below an ``extension`` key unless asked."""
    if isinstance(node, dict):
        yield node
        node = [v for k, v in node.items() if into_extensions or k != "extension"]
    if isinstance(node, list):
        for v in node:
            yield from _objects(v, into_extensions)


def _codings(r: Resource) -> Iterator[dict[str, Any]]:
    return (o for o in _objects(r) if "system" in o and "code" in o)


def _extension_urls(r: Resource) -> Iterator[str]:
    """The urls of the extensions on ``r`` and its elements (the parts inside an extension are
    named by the extension itself)."""
    for o in _objects(r, into_extensions=False):
        for e in o["extension"] if isinstance(o.get("extension"), list) else []:
            if isinstance(e, dict) and isinstance(e.get("url"), str):
                yield e["url"]


def _references(r: Resource) -> Iterator[str]:
    return (o["reference"] for o in _objects(r) if isinstance(o.get("reference"), str))


def check_bundle(bundle: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The bundle's resources and everything that makes it unimportable."""
    reasons = bundle_problems(bundle)
    if reasons:
        return [], reasons
    if bundle.get("type") not in BUNDLE_TYPES:
        reasons.append(f"Bundle.type is {bundle.get('type')!r}; expected one of {', '.join(BUNDLE_TYPES)}")
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        return [], [*reasons, "the Bundle has no entries"]
    found: list[dict[str, Any]] = []
    keys: set[str] = set()
    profile_of = codes.EXT + "/"
    for n, entry in enumerate(entries):
        r = entry.get("resource") if isinstance(entry, dict) else None
        where = f"entry[{n}]"
        if not isinstance(r, dict):
            reasons.append(f"{where} has no resource")
            continue
        where = f"{where} {r.get('resourceType')}/{r.get('id')}"
        bad = problems(r)
        if bad:
            reasons.extend(f"{where}: {b}" for b in bad)
            continue
        if f"{profile_of}{r['resourceType']}" not in (r.get("meta") or {}).get("profile", []):
            reasons.append(
                f"{where}: not exported by ScleroPath (no {profile_of}{r['resourceType']} profile)"
            )
        for c in _codings(r):
            if c["system"] not in KNOWN_SYSTEMS:
                reasons.append(f"{where}: unknown code system {c['system']}")
        for url in _extension_urls(r):
            if url.startswith(("http:", "https:", "urn:")) and not url.startswith(codes.EXT + "/"):
                reasons.append(f"{where}: unknown extension {url}")
        if key(r) in keys:
            reasons.append(f"{where}: appears twice")
        keys.add(key(r))
        found.append(r)
    for r in found:
        for target in _references(r):
            if target not in keys:
                reasons.append(f"{key(r)}: refers to {target}, which is not in the bundle")
    if found and not any(r["resourceType"] == "Patient" for r in found):
        reasons.append("the Bundle has no Patient")
    return found, list(dict.fromkeys(reasons))


def clinic_is_empty(clinic: Clinic) -> bool:
    clinical = [m for m in apps.get_models() if issubclass(m, ClinicalRecord)]
    return not any(m._default_manager.filter(clinic_id=clinic.pk).exists() for m in clinical)


def import_bundle(bundle: Any, clinic: Clinic, by: User | None = None) -> ImportResult:
    """Write the records of an exported Bundle into ``clinic``, which must have no clinical
    records; raises :class:`ImportRefused` with the reasons (and writes nothing) otherwise."""
    found, reasons = check_bundle(bundle)
    if not clinic_is_empty(clinic):
        reasons.append(f"{clinic.name} already has clinical records; import only into an empty clinic")
    if reasons:
        raise ImportRefused(reasons[:MAX_REASONS])
    with transaction.atomic():
        records = Records(clinic, by, found)
        reasons = _read(records)
        if reasons:
            transaction.set_rollback(True)
            raise ImportRefused(reasons[:MAX_REASONS])
    return records.result


Reader = Callable[[Resource, Records], None]


def _skip(r: Resource, records: Records) -> None:
    """For a resource read together with another (named beside its step)."""


# Each kind of resource, by :func:`kind_of`, and its reader, parents first: a reader turns a
# reference into the record already written for it.
STEPS: tuple[tuple[str, Reader], ...] = (
    ("Patient", map_people.read_patient),
    ("Practitioner", map_people.read_practitioner),
    ("Location", map_diary.read_location),
    ("Schedule", map_diary.read_schedule),
    ("Slot", _skip),  # worked out from the working hours and the diary, never stored
    ("Medication", map_treatment.read_lot),
    ("Observation:body-weight", map_people.read_weight),
    ("QuestionnaireResponse:screening", map_people.read_screening),
    ("Encounter:assessment", map_assessments.read_assessment),
    ("Observation:vein-diameter", _skip),  # read with its finding
    ("Condition:vein-finding", map_assessments.read_finding),
    ("Observation:ceap-clinical-class", _skip),  # read with the VCSS of its leg
    ("Observation:vcss-total", map_assessments.read_leg_score),
    ("Condition:leg-venous-disease", _skip),  # derived from the leg's CEAP
    ("CarePlan:treatment", map_assessments.read_treatment_plan),
    ("Consent", map_assessments.read_consent),
    ("Encounter:treatment-session", _skip),  # read with its Procedure
    ("Procedure", map_treatment.read_session),
    ("MedicationAdministration", map_treatment.read_injection),
    ("CarePlan:aftercare", map_aftercare.read_aftercare),
    ("Appointment", map_aftercare.read_follow_up),
    ("AdverseEvent", map_aftercare.read_adverse_event),
    ("Observation:treatment-outcome", map_aftercare.read_outcome),
    ("QuestionnaireResponse:satisfaction", map_aftercare.read_satisfaction),
    ("QuestionnaireResponse:check-in", map_aftercare.read_check_in),
    ("Appointment:diary", map_diary.read_appointment),
    ("ClinicalImpression", map_notes.read_impression),  # a session's notes are read with its Procedure
)


def _read(records: Records) -> list[str]:
    """Read the bundle's resources kind by kind in :data:`STEPS` order; what could not be read."""
    handled = {name for name, _ in STEPS}
    reasons = [
        f"{key(r)}: not a kind of resource ScleroPath exports"
        for r in records.found
        if kind_of(r) not in handled
    ]
    for name, read in STEPS:
        for r in records.found:
            if kind_of(r) != name:
                continue
            try:
                read(r, records)
            except Bad as exc:
                reasons.append(f"{key(r)}: {exc}")
    return reasons
