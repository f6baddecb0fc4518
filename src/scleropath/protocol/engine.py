"""The engine's front door: one object per protocol, taking models or plain JSON-like dicts.

Every method raises :class:`~scleropath.protocol.inputs.InputError` for bad input and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

from .aftercare import aftercare_for
from .answers import (
    Aftercare,
    CeapAnswer,
    CeapSuggestion,
    Classification,
    PlanAnswer,
    Screening,
    SessionCheckAnswer,
    SessionLimits,
    TriageAnswer,
    VcssAnswer,
)
from .classify import classify
from .inputs import (
    Assessment,
    CeapRequest,
    CeapSuggestionRequest,
    Finding,
    InputError,
    Patient,
    SessionCheck,
    TriageRequest,
    VcssRequest,
    parse,
)
from .loader import load_clinic_protocol, load_protocol
from .model import Protocol
from .planning import Planner
from .scoring import ceap, suggest_ceap_signs, vcss
from .screening import screen
from .session import EPSILON, check_session, session_limits
from .triage import triage
from .vocabulary import Procedure

Json = Mapping[str, Any]
PROCEDURES: frozenset[str] = frozenset(get_args(Procedure))


class Engine:
    #: How far a running total may pass a limit's ``max`` and still be within it (room for
    #: floating-point sums): ``check_session`` allows this much, so anyone counting a session
    #: against :meth:`session_limits` agrees with it.
    limit_tolerance: float = EPSILON

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

    def session_limits(
        self, patient: Patient | Json, product_id: str, session_number: int = 1
    ) -> SessionLimits:
        """The limits ``check_session`` holds a session of one product to, for this patient at this
        session: the same summary a plan gives for the products it may use."""
        p = parse(Patient, patient)
        product = self.protocol.products.get(product_id) if isinstance(product_id, str) else None
        if product is None:
            raise InputError.single("product", f"unknown product {product_id!r}")
        if isinstance(session_number, bool) or not isinstance(session_number, int) or session_number < 1:
            raise InputError.single("session_number", "expected a session number of 1 or more")
        return session_limits(self.protocol, p, [product], session_number)

    def triage(self, request: TriageRequest | Json) -> TriageAnswer:
        return triage(self.protocol, parse(TriageRequest, request))

    def ceap(self, request: CeapRequest | Json) -> CeapAnswer:
        return ceap(self.protocol, parse(CeapRequest, request))

    def suggest_ceap_signs(self, findings: list[Finding | Json]) -> CeapSuggestion:
        """The CEAP signs the findings imply, per leg, with the findings behind each: a proposal for
        the clinician to confirm on the leg-score form, never a score by itself."""
        if not isinstance(findings, list | tuple):
            raise InputError.single("findings", "expected a list of findings")
        return suggest_ceap_signs(self.protocol, parse(CeapSuggestionRequest, {"findings": list(findings)}))

    def vcss(self, request: VcssRequest | Json) -> VcssAnswer:
        return vcss(self.protocol, parse(VcssRequest, request))

    def aftercare(self, treated: list[tuple[str, str]], product_ids: list[str]) -> Aftercare:
        """Aftercare for what was done in a session: (procedure, vessel class) pairs and the products used.

        An empty vessel class stands for an injection charted without a finding; only rules that
        name no class match it.
        """
        if not isinstance(treated, list | tuple):
            raise InputError.single("treated", "expected a list of (procedure, vessel class) pairs")
        if not isinstance(product_ids, list | tuple):
            raise InputError.single("products", "expected a list of product ids")
        for i, pair in enumerate(treated):
            if not (
                isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
            ):
                raise InputError.single(f"treated[{i}]", "expected a (procedure, vessel class) pair")
            procedure, vessel_class = pair
            if procedure not in PROCEDURES:
                raise InputError.single(f"treated[{i}]", f"unknown procedure {procedure!r}")
            if vessel_class and vessel_class not in self.protocol.vessel_classes:
                raise InputError.single(f"treated[{i}]", f"unknown vessel class {vessel_class!r}")
        products = []
        for i, pid in enumerate(product_ids):
            if not isinstance(pid, str) or pid not in self.protocol.products:
                raise InputError.single(f"products[{i}]", f"unknown product {pid!r}")
            products.append(self.protocol.products[pid])
        return aftercare_for(self.protocol, [(p, v) for p, v in treated], products)
