"""Readable names for the codes the figures are grouped by, from the clinic's protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scleropath.accounts.models import Clinic
from scleropath.core.engine import engine_for
from scleropath.core.numbers import plain_decimal
from scleropath.protocol.model import Protocol
from scleropath.protocol.wording import name_of

UNATTRIBUTED = "No injection recorded"


@dataclass(frozen=True)
class Labels:
    """The names of a clinic's codes, through the one formatter (``wording.name_of``)."""

    protocol: Protocol
    unattributed: str = UNATTRIBUTED

    def procedure(self, code: str | None) -> str:
        return name_of(self.protocol, "procedure", code) if code else self.unattributed

    def agent(self, code: str | None) -> str:
        return name_of(self.protocol, "agent", code) if code else self.unattributed

    def agent_strength(self, agent: str | None, strength: Any) -> str:
        if not agent:
            return self.unattributed
        return f"{self.agent(agent)} {strength_text(strength)}"

    def symptom(self, code: str) -> str:
        return name_of(self.protocol, "symptom", code)

    def level(self, code: str) -> str:
        return name_of(self.protocol, "triage_level", code)


def strength_text(value: Any) -> str:
    """A strength as the label prints it: 0.5%, 1%, 3%."""
    if value is None or value == "":
        return ""
    return f"{plain_decimal(value)}%"


def labels_for(clinic: Clinic) -> Labels:
    return Labels(engine_for(clinic).protocol)
