"""The engine's front door: one object per protocol, taking models or plain JSON-like dicts.

Every method raises :class:`~scleropath.protocol.inputs.InputError` for bad input and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .aftercare import aftercare_for
from .answers import (
    Aftercare,
    CeapAnswer,
    Classification,
    PlanAnswer,
    Screening,
    SessionCheckAnswer,
    TriageAnswer,
    VcssAnswer,
)
from .classify import classify
from .inputs import (
    Assessment,
    CeapRequest,
    Finding,
    InputError,
    SessionCheck,
    TriageRequest,
    VcssRequest,
    parse,
)
from .loader import load_clinic_protocol, load_protocol
from .model import Protocol
from .planning import Planner
from .scoring import ceap, vcss
from .screening import screen
from .session import check_session
from .triage import triage

Json = Mapping[str, Any]


class Engine:
    def __init__(self, protocol: Protocol | None = None) -> None:
        self.protocol = protocol or load_protocol()
        self._planner = Planner(self.protocol)

    @classmethod
    def from_files(
        cls, protocol_dir: Path | str | None = None, clinic_file: Path | str | None = None
    ) -> Engine:
        base = load_protocol(protocol_dir)
        return cls(load_clinic_protocol(clinic_file, base) if clinic_file else base)

    def classify(self, finding: Finding | Json) -> Classification:
        return classify(self.protocol, parse(Finding, finding))

    def screen(self, assessment: Assessment | Json) -> Screening:
        a = parse(Assessment, assessment)
        return screen(self.protocol, a.patient, a.planned)

    def plan(self, assessment: Assessment | Json) -> PlanAnswer:
        return self._planner.plan(parse(Assessment, assessment))

    def check_session(self, session: SessionCheck | Json) -> SessionCheckAnswer:
        return check_session(self.protocol, parse(SessionCheck, session))

    def triage(self, request: TriageRequest | Json) -> TriageAnswer:
        return triage(self.protocol, parse(TriageRequest, request))

    def ceap(self, request: CeapRequest | Json) -> CeapAnswer:
        return ceap(self.protocol, parse(CeapRequest, request))

    def vcss(self, request: VcssRequest | Json) -> VcssAnswer:
        return vcss(self.protocol, parse(VcssRequest, request))

    def aftercare(self, treated: list[tuple[str, str]], product_ids: list[str]) -> Aftercare:
        """Aftercare for what was done in a session: (procedure, vessel class) pairs and the products used."""
        products = []
        for i, pid in enumerate(product_ids):
            if pid not in self.protocol.products:
                raise InputError.single(f"products[{i}]", f"unknown product {pid!r}")
            products.append(self.protocol.products[pid])
        return aftercare_for(self.protocol, treated, products)
