"""Making exported FHIR comparable: resource ids renumbered in order of first appearance (they
are database keys), and the bundle's own id and timestamps taken out; full URLs made relative (they name the server)."""

from __future__ import annotations

import json
import re
from typing import Any

KINDS = (
    "patient|staff|lot|weight|screening|assessment|finding|diameter|ceap|vcss|leg|plan|consent|"
    "session|injection|aftercare|followup|event|outcome|satisfaction|checkin|appointment|room|schedule"
)
RESOURCE_ID = re.compile(rf"\b({KINDS})-(\d+)\b")


def renumber(text: str) -> str:
    seen: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}

    def new(match: re.Match[str]) -> str:
        key = (match[1], match[2])
        if key not in seen:
            counters[match[1]] = counters.get(match[1], 0) + 1
            seen[key] = counters[match[1]]
        return f"{match[1]}-{seen[key]}"

    return RESOURCE_ID.sub(new, text)


def normalise(bundle: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``bundle`` that is the same for the same records wherever and whenever exported."""
    shell = {k: v for k, v in bundle.items() if k not in ("id", "meta", "timestamp")}
    shell["entry"] = [
        {**e, "fullUrl": "{resourceType}/{id}".format(**e["resource"])} for e in bundle.get("entry", [])
    ]
    return json.loads(renumber(json.dumps(shell, sort_keys=True)))
