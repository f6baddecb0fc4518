"""Reading our resources back: elements, references, our extensions and our codes, each failing
with :class:`Bad` naming what is missing, so a refused import says why."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import codes

# Sub-extensions that hold JSON text, per record kind.
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


def reference(element: Any, what: str) -> str:
    if not isinstance(element, dict) or not isinstance(element.get("reference"), str):
        raise Bad(f"{what} has no reference")
    return str(element["reference"])


def code(concept: Any, system: str, what: str) -> str:
    found = codes.code_of(concept if isinstance(concept, dict) else None, system)
    if found is None:
        raise Bad(f"{what} has no code of {system}")
    return found


def codes_in(concepts: Any, system: str) -> list[str]:
    return [c for c in (codes.code_of(x, system) for x in concepts or []) if c is not None]


def parts(r: dict[str, Any], kind: str, required: bool = True) -> dict[str, Any]:
    """The sub-extensions of our extension for ``kind``, by field name (JSON parts decoded)."""
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


def on(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise Bad(f"{what} is not a date") from None


def maybe_on(value: Any, what: str) -> date | None:
    return None if value in (None, "") else on(value, what)


def decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise Bad(f"{what} is not a number")
    return Decimal(str(value))


def answers(r: dict[str, Any], link_id: str) -> list[dict[str, Any]]:
    """The answers to one item of a QuestionnaireResponse (none if the item is absent)."""
    for item in r.get("item", []):
        if item.get("linkId") == link_id:
            return list(item.get("answer", []))
    return []


def answer(r: dict[str, Any], link_id: str, value_key: str) -> Any:
    found = answers(r, link_id)
    return found[0].get(value_key) if found else None


def laterality(site: Any, what: str) -> str:
    """The side of a body site: our laterality extension on a region, or a laterality coding."""
    if isinstance(site, dict):
        for e in site.get("extension", []):
            side = codes.code_of({"coding": [e.get("valueCoding") or {}]}, codes.LATERALITY)
            if e.get("url") == codes.X_LATERALITY and side in ("left", "right"):
                return str(side)
        side = codes.code_of(site, codes.LATERALITY)
        if side in ("left", "right"):
            return str(side)
    raise Bad(f"{what} has no side")
