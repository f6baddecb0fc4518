"""Readable names for the codes the figures are grouped by, from the clinic's protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scleropath.accounts.models import Clinic
from scleropath.core.engine import engine_for
from scleropath.core.numbers import plain_decimal
from scleropath.protocol.wording import words

UNATTRIBUTED = "No injection recorded"


@dataclass(frozen=True)
class Labels:
    procedures: dict[str, str]
    agents: dict[str, str]
    symptoms: dict[str, str]
    unattributed: str = UNATTRIBUTED

    def procedure(self, code: str | None) -> str:
        if not code:
            return self.unattributed
        return self.procedures.get(code, words(code, capital=True))

    def agent(self, code: str | None) -> str:
        if not code:
            return self.unattributed
        return self.agents.get(code, words(code, capital=True))

    def agent_strength(self, agent: str | None, strength: Any) -> str:
        if not agent:
            return self.unattributed
        return f"{self.agent(agent)} {strength_text(strength)}"

    def symptom(self, code: str) -> str:
        return self.symptoms.get(code, words(code, capital=True))

    @staticmethod
    def level(code: str) -> str:
        return words(code, capital=True)


def strength_text(value: Any) -> str:
    """A strength as the label prints it: 0.5%, 1%, 3%."""
    if value is None or value == "":
        return ""
    return f"{plain_decimal(value)}%"


def labels_for(clinic: Clinic) -> Labels:
    protocol = engine_for(clinic).protocol
    return Labels(
        procedures={p.id: p.display for p in protocol.procedures.procedures},
        agents={a.id: a.display.split(" (")[0] for a in protocol.agents.values()},
        symptoms={code: s.display for code, s in protocol.symptoms.items()},
    )
