"""Small helpers shared by the mappings: resource ids and references, FHIR dates and numbers,
extensions, and the display names of our codes (taken from the protocol)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from scleropath.protocol.model import Protocol

from . import codes


def rid(kind: str, pk: int) -> str:
    """A resource id: the record kind and its primary key, e.g. ``finding-12``."""
    return f"{kind}-{pk}"


def ref(resource_type: str, kind: str, pk: int) -> dict[str, str]:
    return {"reference": f"{resource_type}/{rid(kind, pk)}"}


def instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def day(value: date) -> str:
    return value.isoformat()


def number(value: Decimal | float | int) -> int | float:
    """A JSON number for a FHIR decimal: whole numbers as integers, others as floats."""
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def quantity(value: Decimal | float | int, unit: str, code: str | None = None) -> dict[str, Any]:
    return {"value": number(value), "unit": unit, "system": codes.UCUM, "code": code or unit}


def meta(resource_type: str) -> dict[str, Any]:
    return {"profile": [f"{codes.EXT}/{resource_type}"]}


def resource(resource_type: str, id_: str, **elements: Any) -> dict[str, Any]:
    """A resource dict with our profile, dropping empty elements so the JSON stays valid FHIR."""
    out: dict[str, Any] = {"resourceType": resource_type, "id": id_, "meta": meta(resource_type)}
    out.update({k: v for k, v in elements.items() if v not in (None, "", [], {})})
    return out


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


def complex_ext(url: str, parts: dict[str, Any], json_parts: dict[str, Any] | None = None) -> dict[str, Any]:
    """An extension whose sub-extensions are named after the record's fields.

    Empty strings and None are left out. ``json_parts`` are frozen engine answers and other
    structured values, written as JSON text so they come back exactly as they were.
    """
    subs = [{"url": k, **_value(v)} for k, v in parts.items() if v is not None and v != ""]
    for k, v in (json_parts or {}).items():
        subs.append({"url": k, "valueString": json.dumps(v, sort_keys=True, separators=(",", ":"))})
    return {"url": url, "extension": subs}


def details(kind: str, parts: dict[str, Any], json_parts: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one extension per record kind that carries what standard elements do not."""
    return complex_ext(codes.ext(kind), parts, json_parts)


def simple_ext(url: str, value: Any) -> dict[str, Any]:
    return {"url": url, **_value(value)}


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
