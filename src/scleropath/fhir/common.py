"""Small helpers shared by the mappings, each way: resource ids and references, FHIR dates and
numbers, our extensions, questionnaire answers and the display names of our codes (taken from the
protocol), each writer beside the reader that takes it back. Reading fails with :class:`Bad`
naming what is missing, so a refused import says why. :class:`Records` is one import's record
book, which the readers in the ``map_*`` modules write into.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from scleropath.accounts.models import Clinic, User
from scleropath.core.models import ClinicalRecord
from scleropath.protocol.model import Protocol

from . import codes

Resource = dict[str, Any]

# Sub-extensions that hold JSON text, per record kind: frozen engine answers and other structured
# values, written as JSON so they come back exactly as they were.
JSON_PARTS = {
    "screening": {"result"},
    "treatment-plan": {"engine_answer", "overrides"},
    "injection": {"limit_check"},
    "aftercare": {"content"},
    "adverse-event": {"triage"},
    "check-in": {"answers"},
}


class Bad(Exception):
    """One thing wrong with one resource."""


# --- ids and references -------------------------------------------------------------------


def rid(kind: str, pk: int) -> str:
    """A resource id: the record kind and its primary key, e.g. ``finding-12``."""
    return f"{kind}-{pk}"


def ref(resource_type: str, kind: str, pk: int) -> dict[str, str]:
    return {"reference": f"{resource_type}/{rid(kind, pk)}"}


def key(r: Resource) -> str:
    """What a reference to ``r`` says: ``Condition/finding-12``."""
    return f"{r['resourceType']}/{r.get('id')}"


def reference(element: Any, what: str) -> str:
    if not isinstance(element, dict) or not isinstance(element.get("reference"), str):
        raise Bad(f"{what} has no reference")
    return str(element["reference"])


def kind_of(r: Resource) -> str:
    """Which of our record kinds a resource is, from its standard elements."""
    t = r["resourceType"]
    if t == "Observation":
        return "Observation:" + (codes.code_of(r.get("code"), codes.OBSERVATION) or "?")
    if t == "QuestionnaireResponse":
        return "QuestionnaireResponse:" + str(r.get("questionnaire", "?")).rsplit("/", 1)[-1]
    if t == "Encounter":
        return "Encounter:" + (codes.code_of(opt(r, "type", 0), codes.ENCOUNTER) or "?")
    if t == "Condition":
        return "Condition:" + (codes.code_of(opt(r, "category", 0), codes.CONDITION) or "?")
    if t == "CarePlan":
        return "CarePlan:" + (codes.code_of(opt(r, "category", 0), codes.CARE_PLAN) or "?")
    if t == "Appointment" and codes.code_of(r.get("appointmentType"), codes.APPOINTMENT_KIND):
        return "Appointment:diary"  # a follow-up's Appointment has no appointmentType
    return str(t)


# --- elements -----------------------------------------------------------------------------


def resource(resource_type: str, id_: str, **elements: Any) -> Resource:
    """A resource dict with our profile, dropping empty elements so the JSON stays valid FHIR."""
    out: Resource = {"resourceType": resource_type, "id": id_, "meta": meta(resource_type)}
    out.update({k: v for k, v in elements.items() if v not in (None, "", [], {})})
    return out


def meta(resource_type: str) -> dict[str, Any]:
    return {"profile": [f"{codes.EXT}/{resource_type}"]}


def get(r: dict[str, Any], *path: str | int) -> Any:
    """The element at ``path`` (keys and list indexes); raises Bad naming the path if absent."""
    node: Any = r
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise Bad(f"{'.'.join(str(p) for p in path)} is missing") from None
    return node


def opt(r: dict[str, Any], *path: str | int) -> Any:
    try:
        return get(r, *path)
    except Bad:
        return None


def status_from(value: Any, statuses: dict[Any, str], record: str) -> Any:
    """The record's status for a resource's ``status``, from the map the writer used."""
    for ours, theirs in statuses.items():
        if theirs == str(value):
            return ours
    raise Bad(f"status {value!r} is not one {record} has")


# --- dates and numbers --------------------------------------------------------------------


def instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def when(value: Any, what: str) -> datetime:
    try:
        result = datetime.fromisoformat(str(value))
    except ValueError:
        raise Bad(f"{what} is not a date and time") from None
    if result.tzinfo is None:
        raise Bad(f"{what} has no time zone")
    return result


def maybe_when(value: Any, what: str) -> datetime | None:
    return None if value in (None, "") else when(value, what)


def day(value: date) -> str:
    return value.isoformat()


def on(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise Bad(f"{what} is not a date") from None


def maybe_on(value: Any, what: str) -> date | None:
    return None if value in (None, "") else on(value, what)


def number(value: Decimal | float | int) -> int | float:
    """A JSON number for a FHIR decimal: whole numbers as integers, others as floats."""
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise Bad(f"{what} is not a number")
    return Decimal(str(value))


def quantity(value: Decimal | float | int, unit: str, code: str | None = None) -> dict[str, Any]:
    return {"value": number(value), "unit": unit, "system": codes.UCUM, "code": code or unit}


# --- our extensions -----------------------------------------------------------------------


def _value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, Decimal | float):
        return {"valueDecimal": number(value)}
    if isinstance(value, datetime):
        return {"valueDateTime": instant(value)}
    if isinstance(value, date):
        return {"valueDate": day(value)}
    if isinstance(value, str):
        return {"valueString": value}
    if isinstance(value, dict) and "reference" in value:
        return {"valueReference": value}
    if isinstance(value, dict) and "code" in value:
        return {"valueCoding": value}
    raise TypeError(f"No FHIR value type for {type(value).__name__}")


def details(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The one extension per record kind that carries what standard elements do not, with a
    sub-extension per field, named after it. Empty strings and None are left out; the kind's
    :data:`JSON_PARTS` are written as JSON text, empty or not."""
    json_parts = JSON_PARTS.get(kind, set())
    subs: list[dict[str, Any]] = []
    for name, value in fields.items():
        if name in json_parts:
            subs.append(
                {"url": name, "valueString": json.dumps(value, sort_keys=True, separators=(",", ":"))}
            )
        elif value is not None and value != "":
            subs.append({"url": name, **_value(value)})
    return {"url": codes.ext(kind), "extension": subs}


def parts(r: dict[str, Any], kind: str, required: bool = True) -> dict[str, Any]:
    """The fields :func:`details` wrote for ``kind``, by name (JSON parts decoded)."""
    url = codes.ext(kind)
    for e in r.get("extension", []):
        if e.get("url") == url:
            out: dict[str, Any] = {}
            for sub in e.get("extension", []):
                name = sub.get("url")
                values = [v for k, v in sub.items() if k.startswith("value")]
                if not name or len(values) != 1:
                    raise Bad(f"extension {url} has a malformed part")
                value = values[0]
                if name in JSON_PARTS.get(kind, set()):
                    try:
                        value = json.loads(value)
                    except (TypeError, ValueError):
                        raise Bad(f"extension {url} part {name} is not JSON") from None
                out[name] = value
            return out
    if required:
        raise Bad(f"extension {url} is missing")
    return {}


def need(p: dict[str, Any], name: str, kind: str) -> Any:
    if name not in p:
        raise Bad(f"extension {codes.ext(kind)} has no {name}")
    return p[name]


def simple_ext(url: str, value: Any) -> dict[str, Any]:
    return {"url": url, **_value(value)}


# --- questionnaire answers ----------------------------------------------------------------


def question(link_id: str, answers: list[dict[str, Any]]) -> dict[str, Any]:
    """One item of a QuestionnaireResponse; an item nobody answered has no ``answer``."""
    out: dict[str, Any] = {"linkId": link_id}
    if answers:
        out["answer"] = answers
    return out


def answers(r: Resource, link_id: str) -> list[dict[str, Any]]:
    """The answers to one item of a QuestionnaireResponse (none if the item is absent)."""
    for i in r.get("item", []):
        if i.get("linkId") == link_id:
            return list(i.get("answer", []))
    return []


def answer(r: Resource, link_id: str, value_key: str) -> Any:
    found = answers(r, link_id)
    return found[0].get(value_key) if found else None


# --- codes --------------------------------------------------------------------------------


def code(concept: Any, system: str, what: str) -> str:
    found = codes.code_of(concept if isinstance(concept, dict) else None, system)
    if found is None:
        raise Bad(f"{what} has no code of {system}")
    return found


def codes_in(concepts: Any, system: str) -> list[str]:
    return [c for c in (codes.code_of(x, system) for x in concepts or []) if c is not None]


@dataclass
class Vocabulary:
    """Display names for our codes, from the protocol the clinic runs."""

    displays: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_protocol(cls, protocol: Protocol) -> Vocabulary:
        p = protocol
        follow_ups = {f.id: f.purpose for rule in p.aftercare.rules for f in rule.follow_up}
        follow_ups.update(
            {s.follow_up.id: s.follow_up.purpose for s in p.complications.symptoms if s.follow_up}
        )
        return cls(
            {
                codes.VESSEL_CLASS: {c.id: c.display for c in p.vessels.classes},
                codes.REGION: {r.id: r.display for r in p.procedures.regions},
                codes.PROCEDURE: {r.id: r.display for r in p.procedures.procedures},
                codes.PRODUCT: {r.id: r.display for r in p.formulary.products},
                codes.AGENT: {r.id: r.display for r in p.formulary.agents},
                codes.SYMPTOM: {s.code: s.display for s in p.complications.symptoms},
                codes.VCSS_ITEM: {i.id: i.display for i in p.vcss.items},
                codes.CEAP_CLASS: {c.code: c.display for c in [p.ceap.none_class, *p.ceap.classes]},
                codes.FOLLOW_UP: follow_ups,
                codes.SCREENING_CODE: {i.code: i.question for i in p.screening.items},
                codes.LATERALITY: {"left": "Left", "right": "Right"},
                codes.LEG_VIEW: {"front": "Front", "back": "Back"},
                codes.FORM: {"liquid": "Liquid", "foam": "Foam"},
                codes.TRIAGE_LEVEL: {
                    "expected": "Expected",
                    "routine_review": "Routine review",
                    "prompt_review": "Prompt review",
                    "emergency": "Emergency",
                },
            }
        )

    def coding(self, system: str, code: str) -> dict[str, Any]:
        return codes.coding(system, code, self.displays.get(system, {}).get(code))

    def concept(self, system: str, code: str) -> dict[str, Any]:
        return {"coding": [self.coding(system, code)]}


# --- reading back -------------------------------------------------------------------------


@dataclass
class ImportResult:
    counts: Counter[str] = field(default_factory=Counter)  # records written, by model
    patients: list[int] = field(default_factory=list)
    staff_added: list[str] = field(default_factory=list)


class Records:
    """One import's record book: the bundle's resources, and the records written so far by the
    key of the resource each came from, so a reader turns a reference into its record."""

    def __init__(self, clinic: Clinic, by: User | None, found: list[Resource]) -> None:
        self.clinic = clinic
        self.by = by
        self.found = found
        self.by_id = {key(r): r for r in found}
        self.made: dict[str, Any] = {}
        self.result = ImportResult()

    def obj(self, element: Any, what: str) -> Any:
        target = reference(element, what)
        if target not in self.made:
            raise Bad(f"{what} refers to {target}, which was not imported")
        return self.made[target]

    def maybe_obj(self, element: Any, what: str) -> Any:
        return None if element is None else self.obj(element, what)

    def save(self, r: Resource, record: models.Model) -> models.Model:
        """Validate and write the record read from ``r``, stamped with the clinic and importer."""
        self.save_part(record)
        self.made[key(r)] = record
        return record

    def save_part(self, record: models.Model) -> None:
        """Validate and write a record read from part of a resource (a note on it), which nothing
        refers to by the resource's key."""
        if isinstance(record, ClinicalRecord):
            record.clinic = self.clinic
            record.created_by = self.by
        try:
            # Empty JSON lists and dicts are valid records here; model validation would call them blank.
            json_fields = [f.name for f in record._meta.fields if isinstance(f, models.JSONField)]
            record.full_clean(exclude=json_fields, validate_unique=False)
        except ValidationError as exc:
            raise Bad("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        record.save()
        self.result.counts[type(record).__name__] += 1
