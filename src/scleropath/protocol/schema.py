"""Typed models of the protocol data files.

Every entry that carries a clinical number inherits :class:`Cited`, so it cannot load without
at least one citation id; :mod:`scleropath.protocol.loader` then checks that every id resolves
in ``references.yaml`` and that no rule rests on grade C sources alone.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .vocabulary import (
    Agent,
    CeapSign,
    Depth,
    Form,
    Grade,
    NamedVein,
    Procedure,
    Severity,
    TriageLevel,
    VcssItemId,
    VcssLevel,
    VesselClass,
)

FORMAT_VERSION = 1

CiteIds = Annotated[list[str], Field(min_length=1)]
Number = Annotated[float, Field(ge=0)]


class Strict(BaseModel):
    """Base for data models: unknown keys are errors, so a typo fails at load time."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(Strict):
    """An entry whose facts come from the cited sources."""

    cite: CiteIds
    note: str | None = None


class NumRange(Strict):
    """An inclusive range; either end may be open (``null``) where the source gives one bound only."""

    min: Number | None = None
    max: Number | None = None

    @model_validator(mode="after")
    def _ordered(self) -> NumRange:
        if self.min is None and self.max is None:
            raise ValueError("a range needs at least one bound")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    def as_list(self) -> list[float | None]:
        return [self.min, self.max]

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Duration(Strict):
    value: Number
    unit: Literal["minutes", "hours", "days", "weeks", "months"]

    def approx_days(self) -> float:
        """Whole days for scheduling; months are taken as 30 days (a calendar convention)."""
        factor = {"minutes": 1 / 1440, "hours": 1 / 24, "days": 1, "weeks": 7, "months": 30}[self.unit]
        return self.value * factor


# --- references -------------------------------------------------------------------------------


class Reference(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")]
    citation: str
    grade: Grade
    read: str = Field(description="how much of the source was read: TB, SEC, AB, RS, LBL")
    where: str | None = None
    weak: bool = False


class ReferencesFile(Strict):
    format_version: Literal[1]
    references: list[Reference]


# --- manifest ---------------------------------------------------------------------------------


class Policies(Strict):
    truncal_reflux: Literal["nice_cg168", "s2k_2020"]
    screening: Literal["strictest", "guideline_only"] = "strictest"


class Manifest(Strict):
    format_version: Literal[1]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: str
    jurisdiction: str
    policies: Policies
    default_products: dict[Agent, str]
    products_in_use: list[str]


# --- vessel classes ---------------------------------------------------------------------------


class VesselClassDef(Cited):
    id: VesselClass
    display: str
    layer: Depth | None = None
    ceap: str | None = Field(default=None, description="the CEAP clinical class a vein of this class shows")
    ceap_sign: CeapSign | None = Field(
        default=None, description="the CEAP sign it is recorded as, one of that class's signs"
    )
    treatment_rank: int = Field(ge=0, description="lower is treated first")


class DiameterBand(Cited):
    vessel_class: VesselClass
    min_mm: Number | None = Field(default=None, description="inclusive")
    below_mm: Number | None = Field(default=None, description="exclusive")


class NamedVeinRule(Cited):
    named_veins: list[NamedVein]
    vessel_class: VesselClass


class RecurrentRule(Cited):
    from_class: VesselClass
    to_class: VesselClass


class LabelBoundary(Cited):
    """A product label whose size wording differs from CEAP at a boundary; shown as a warning."""

    product: str
    vessel_class: VesselClass
    diameter_mm: NumRange


class VesselsFile(Strict):
    format_version: Literal[1]
    classes: list[VesselClassDef]
    diameter_bands: list[DiameterBand]
    named_veins: list[NamedVeinRule]
    recurrent: list[RecurrentRule]
    label_boundaries: list[LabelBoundary] = []


# --- CEAP and VCSS ----------------------------------------------------------------------------


class CeapClass(Cited):
    code: str
    display: str
    signs: list[CeapSign]


class CeapFile(Strict):
    format_version: Literal[1]
    classes: list[CeapClass] = Field(description="in ascending order of severity")
    none_class: CeapClass


class VcssAnchor(Strict):
    score: Annotated[int, Field(ge=0, le=3)]
    level: VcssLevel
    text: str | None = Field(default=None, description="null where the source wording is not confirmed")


class VcssItem(Cited):
    id: VcssItemId
    display: str
    anchors: list[VcssAnchor]


class VcssInterpretation(Cited):
    min_total: Annotated[int, Field(ge=0)]
    meaning: str


class VcssFile(Strict):
    format_version: Literal[1]
    items: list[VcssItem]
    interpretation: list[VcssInterpretation] = []


# --- procedure choice -------------------------------------------------------------------------


class ProcedureDef(Strict):
    id: Procedure
    display: str
    forms: list[Form]


class FindingMatch(Strict):
    vessel_class: list[VesselClass] | None = None
    reflux: list[bool | None] | None = None
    visible: bool | None = None
    bleeding: bool | None = None
    named_vein: list[NamedVein] | None = None
    truncal_policy: Literal["nice_cg168", "s2k_2020"] | None = None


class ProcedureRule(Cited):
    id: str
    when: FindingMatch
    procedure: Procedure
    alternatives: list[Procedure] = []
    referral_for: str | None = None
    prerequisites: list[str] = []
    reason: str


class PatientRule(Cited):
    """A patient-level rule that defers every treating procedure (e.g. pregnancy)."""

    id: str
    when_patient: Literal["pregnant"]
    procedure: Literal["defer"]
    reason: str


class OrderRule(Cited):
    id: str
    statement: str


class Region(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    display: str
    level: Annotated[int, Field(ge=0, description="0 is most proximal")]


class ProceduresFile(Strict):
    format_version: Literal[1]
    procedures: list[ProcedureDef]
    rules: list[ProcedureRule]
    patient_rules: list[PatientRule] = []
    order: list[OrderRule] = []
    regions: list[Region]


# --- formulary --------------------------------------------------------------------------------


class AgentDef(Cited):
    id: Agent
    display: str
    mg_per_ml_per_percent: Number = Field(description="1% w/v is 10 mg/mL")
    daily_max_mg_per_kg: Number | None = None
    daily_max_cite: list[str] = []
    synonyms: list[str] = Field(
        default=[], description="other names the agent is known by, matched in allergy entries"
    )


class ProductUse(Cited):
    """What a product's label allows for some vessel classes in one form."""

    vessel_classes: list[VesselClass]
    form: Form
    concentration_percent: NumRange
    volume_per_site_ml: NumRange | None = None
    needle_gauge: NumRange | None = None


class _Limit(Cited):
    id: str


class FoamVolumeLimit(_Limit):
    kind: Literal["foam_volume_ml"]
    max: Number


class TotalVolumeLimit(_Limit):
    kind: Literal["total_volume_ml"]
    max: Number
    at_concentration_percent: Number | None = None


class InjectionCountLimit(_Limit):
    kind: Literal["injection_count"]
    max: Annotated[int, Field(ge=1)]
    at_concentration_percent: Number | None = None
    first_session_only: bool = False
    when_condition: str | None = Field(default=None, description="screening code that triggers it")


class InjectionVolumeLimit(_Limit):
    kind: Literal["injection_volume_ml"]
    max: Number
    form: Form | None = None


class AdvisoryVolume(_Limit):
    """Not a hard limit: a volume above which the label warns (e.g. more allergic reactions)."""

    kind: Literal["advisory_volume_ml"]
    above: Number
    message: str


SessionLimit = Annotated[
    FoamVolumeLimit | TotalVolumeLimit | InjectionCountLimit | InjectionVolumeLimit | AdvisoryVolume,
    Field(discriminator="kind"),
]


class Interval(Cited):
    days: NumRange


class Walk(Cited):
    minutes: NumRange


class ProductDef(Cited):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    display: str
    agent: Agent
    jurisdictions: list[str]
    strengths_percent: list[Number]
    forms: list[Form]
    foamable_strengths_percent: list[Number] | None = None
    uses: list[ProductUse]
    limits: list[SessionLimit] = []
    interval: Interval | None = None
    walk: Walk | None = Field(default=None, description="walking straight after the session")


class TechniqueDef(Cited):
    procedure: Procedure
    needle_gauge: NumRange | None = None
    injection: str


class FoamMethod(Cited):
    id: str
    display: str
    liquid_parts: Number
    gas_parts: NumRange
    use_within_seconds: Number | None = None
    description: str


class GeneralLimit(Cited):
    """A limit that applies whatever the product, e.g. the consensus foam volume per session."""

    id: str
    kind: Literal["foam_volume_ml"]
    max: Number


class FormularyFile(Strict):
    format_version: Literal[1]
    agents: list[AgentDef]
    products: list[ProductDef]
    techniques: list[TechniqueDef]
    foam_methods: list[FoamMethod]
    general_limits: list[GeneralLimit] = []
    lower_when_unsure: Cited


# --- screening --------------------------------------------------------------------------------


class Grading(Strict):
    source: str = Field(description="citation id of the guideline or label")
    kind: Literal["guideline", "label"]
    product: str | None = None
    severity: Severity
    forms: list[Form] = ["liquid", "foam"]


class ScreeningItem(Cited):
    code: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    display: str = Field(description="the item's name in a list or a label, e.g. on a flag or in an audit")
    question: str
    source_field: Literal[
        "conditions", "allergy", "pregnant", "breastfeeding", "mobility_bedridden", "mobility_reduced"
    ] = "conditions"
    gradings: Annotated[list[Grading], Field(min_length=1)]
    message: str
    precaution: str | None = None
    caution_forms: list[Form] = Field(
        default=[],
        description="forms the item is a caution for although its gradings name both; a grading "
        "limited to one form makes it a caution for that form anyway",
    )

    @model_validator(mode="after")
    def _grading_sources_are_cited(self) -> ScreeningItem:
        missing = {g.source for g in self.gradings} - set(self.cite)
        if missing:
            raise ValueError(f"gradings name sources not in cite: {sorted(missing)}")
        return self


class ScreeningFile(Strict):
    format_version: Literal[1]
    items: list[ScreeningItem]


# --- aftercare and follow-up ------------------------------------------------------------------


class Compression(Cited):
    recommended: bool
    strength: str
    days: NumRange | None = None
    pressure_mmhg: NumRange | None = None


class AvoidItem(Cited):
    activity: str
    days: NumRange | None = None


class CourseItem(Cited):
    event: str
    timing: str


class RedFlag(Cited):
    id: str
    symptom: str
    action: str
    contact: Literal["clinic", "same_day_clinic", "emergency_services"]


class FollowUp(Cited):
    id: str
    purpose: str
    after: Duration
    window: NumRange | None = Field(default=None, description="days after treatment")


class AftercareRule(Cited):
    id: str
    procedures: list[Procedure]
    vessel_classes: list[VesselClass] | None = None
    compression: Compression | None = None
    walk: Walk | None = None
    avoid: list[AvoidItem] = []
    follow_up: list[FollowUp] = []


class CheckInDay(Cited):
    """A day after treatment on which the patient is asked how they are, and why that day."""

    day: Annotated[int, Field(ge=0, le=365)]
    purpose: str


class AftercareFile(Strict):
    format_version: Literal[1]
    rules: list[AftercareRule]
    normal_course: list[CourseItem]
    red_flags: list[RedFlag]
    check_ins: list[CheckInDay] = []


# --- side effects and complications -----------------------------------------------------------


class Symptom(Cited):
    code: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    display: str
    patient_wording: str
    level: TriageLevel
    onset: str | None = None
    resolution: str | None = None
    expected_resolution_days: NumRange | None = None
    resolution_cite: list[str] = []
    escalate_after_resolution: bool = Field(
        default=False,
        description="a symptom still present after the expected resolution window is reviewed",
    )
    advice: str
    management: str | None = None
    follow_up: FollowUp | None = None
    forms: list[Form] = ["liquid", "foam"]
    reportable_by_patient: bool = Field(default=True, description="offered on the patient's check-in form")


class ComplicationsFile(Strict):
    format_version: Literal[1]
    symptoms: list[Symptom]


# --- clinical photographs ---------------------------------------------------------------------

LegSide = Literal["left", "right"]


class PhotoView(Strict):
    """One standard view: what the clinician photographs, and on which legs it is taken.

    The views are a clinic setting, not a clinical rule: no source in the clinical reference
    standardises them, so they carry ``source: clinic_setting`` rather than citations.
    """

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    display: str = Field(min_length=1)
    sides: Annotated[list[LegSide], Field(min_length=1)] = ["left", "right"]
    close_up: bool = False
    source: Literal["clinic_setting"] = "clinic_setting"
    note: str | None = None


class PhotoOutcome(Cited):
    """Why the clinic photographs legs: the statement the citations support."""

    statement: str


class PhotographyFile(Strict):
    format_version: Literal[1]
    outcome_measure: PhotoOutcome
    views: Annotated[list[PhotoView], Field(min_length=1)]
