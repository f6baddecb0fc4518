"""What the engine answers. Every answer part carries the ``rule_ids`` it applied and the
``citations`` those rules rest on, so a reader can always ask "why" and "says who".

Ranges are ``[min, max]`` lists; either end may be ``null`` where a source gives one bound only.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .vocabulary import (
    Agent,
    Depth,
    Form,
    FormOrAny,
    Procedure,
    Severity,
    TriageLevel,
    Verdict,
)

Range = list[float | None]

A = TypeVar("A", bound=BaseModel)


def build(cls: type[A], **values: Any) -> A:
    """An answer from values the engine already knows are valid, every field given.

    The planner builds one answer per finding on its hot path; pydantic's ``model_construct``
    spends most of its time on defaults this skips. A test round-trips answers through
    ``model_validate`` to prove they are complete and valid.
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class Explained(Answer):
    rule_ids: list[str] = []
    citations: list[str] = []


class ProtocolRef(Answer):
    id: str
    version: str
    clinic_id: str | None = None
    clinic_version: str | None = None


class GradingNote(Answer):
    source: str
    severity: Severity
    product: str | None = None
    forms: list[Form]


class ScreeningFinding(Explained):
    code: str
    severity: Severity
    message: str
    applies_to_form: FormOrAny
    products: list[str] = []
    precaution: str | None = None
    gradings: list[GradingNote] = []


class BlockedOption(Answer):
    product: str
    agent: Agent
    form: Form
    codes: list[str]


class Screening(Explained):
    verdict: Verdict
    findings: list[ScreeningFinding]
    blocked: list[BlockedOption] = []


class Classification(Explained):
    vessel_class: str
    basis: str
    derived_class: str | None = None
    warnings: list[str] = []


class Option(Explained):
    procedure: Procedure
    agent: Agent
    product: str
    form: Form
    concentration_percent: Range
    volume_per_site_ml: Range | None = None
    needle_gauge: Range | None = None
    depth: Depth | None = None
    technique: str | None = None
    notes: list[str] = []
    local_choice: bool = False
    local_deviation: str | None = None


class FindingPlan(Explained):
    id: str
    side: str
    region: str | None
    vessel_class: str
    classification: Classification
    procedure: Procedure
    alternatives: list[Procedure]
    referral_for: str | None = None
    prerequisites: list[str] = []
    reason: str
    options: list[Option]
    warnings: list[str] = []


class Limit(Explained):
    id: str
    kind: str
    max: float
    unit: str
    product: str | None = None
    at_concentration_percent: float | None = None
    form: Form | None = None
    advisory: bool = False
    message: str | None = None


class SessionLimits(Explained):
    polidocanol_max_mg: float | None = None
    foam_max_ml: float | None = None
    max_injections: int | None = None
    limits: list[Limit] = []
    warnings: list[str] = []


class CompressionAdvice(Explained):
    recommended: bool
    required: bool = False
    strength: str
    days: Range | None = None
    pressure: Range | None = None
    pressure_unit: str = "mmHg"
    notes: list[str] = []


class AvoidAdvice(Explained):
    activity: str
    days: Range | None = None
    note: str | None = None


class FollowUpAdvice(Explained):
    id: str
    purpose: str
    after_days: float
    window_days: Range | None = None


class CourseAdvice(Explained):
    event: str
    timing: str


class RedFlagAdvice(Explained):
    id: str
    symptom: str
    action: str
    contact: str


class CheckInAdvice(Explained):
    day: int
    purpose: str


class Aftercare(Explained):
    procedures: list[str]
    compression: CompressionAdvice | None = None
    walk_minutes: Range | None = None
    avoid: list[AvoidAdvice] = []
    next_session_interval_days: Range | None = None
    follow_up: list[FollowUpAdvice] = []
    normal_course: list[CourseAdvice] = []
    red_flags: list[RedFlagAdvice] = []
    check_ins: list[CheckInAdvice] = []


class PlanAnswer(Explained):
    protocol: ProtocolRef
    screening: Screening
    findings: list[FindingPlan]
    treatment_order: list[str]
    session_limits: SessionLimits
    aftercare: Aftercare
    warnings: list[str] = []


class Totals(Answer):
    injections: int
    volume_ml: float
    liquid_volume_ml: float
    foam_volume_ml: float
    polidocanol_mg: float
    polidocanol_mg_today: float = Field(
        description="polidocanol of the day: this session's and earlier sessions' of the same day"
    )
    by_concentration: dict[str, float]


class LimitStatus(Explained):
    id: str
    kind: str
    max: float
    used: float
    remaining: float
    unit: str
    within: bool
    advisory: bool = False


class LimitRow(Explained):
    """One line of the tally: the limits of one kind (a daily dose: of one agent) shown by the one
    with the least headroom left, which ``limit_id`` names; ``limit_ids`` lists the whole group and
    ``rule_ids``/``citations`` are the group's."""

    label: str = Field(description="what the row counts, in words: 'Polidocanol today'")
    kind: str
    agent: Agent | None = None
    limit_id: str
    limit_ids: list[str]
    max: float
    used: float
    remaining: float
    unit: str
    within: bool
    advisory: bool = False
    binding: bool = Field(default=False, description="the row of the session's binding limit")


class Violation(Explained):
    code: str
    message: str
    limit_id: str | None = None
    injection_index: int | None = None


class SessionCheckAnswer(Explained):
    protocol: ProtocolRef
    totals: Totals
    limits: list[LimitStatus]
    rows: list[LimitRow] = Field(
        default=[],
        description="the limits grouped for reading: one row per kind, the binding row first",
    )
    agents: list[Agent] = Field(default=[], description="the agents injected or planned, in that order")
    binding_limit: str | None
    within_limits: bool
    violations: list[Violation]
    warnings: list[str] = []


class TriageAnswer(Explained):
    protocol: ProtocolRef
    symptom: str
    display: str
    level: TriageLevel
    advice: str
    management: str | None
    expected_resolution_days: Range | None = None
    onset: str | None = None
    resolution: str | None = None
    follow_up: FollowUpAdvice | None = None
    reasons: list[str] = []


class CeapAnswer(Explained):
    protocol: ProtocolRef
    c_classes: list[str]
    highest: str
    displays: dict[str, str]


class SuggestedSign(Explained):
    """One CEAP sign the findings of one leg imply, and which findings imply it."""

    side: str
    sign: str
    ceap_class: str
    display: str = Field(description="the CEAP class's display text")
    findings: list[str] = Field(description="ids of the findings that show this sign, in input order")
    vessel_classes: list[str]


class CeapSuggestion(Explained):
    """The CEAP signs a set of findings implies, per leg, for the clinician to confirm."""

    protocol: ProtocolRef
    signs: list[SuggestedSign] = Field(description="left leg first, each leg's signs in CEAP order")

    def for_side(self, side: str) -> list[SuggestedSign]:
        return [s for s in self.signs if s.side == side]


class VcssItemScore(Answer):
    item: str
    score: int
    level: str
    anchor: str | None


class VcssAnswer(Explained):
    protocol: ProtocolRef
    items: list[VcssItemScore]
    total: int
    maximum: int
    interpretation: list[str] = []
