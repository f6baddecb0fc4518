"""Assessments with their vein findings, and the treatment plans made from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scleropath.accounts.access import get_for_user
from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action
from scleropath.assessments.models import Assessment, Consent, TreatmentPlan, VeinFinding
from scleropath.assessments.services import (
    add_finding,
    approve_plan,
    create_assessment,
    plan_assessment,
    record_consent,
)
from scleropath.core.engine import engine_for
from scleropath.core.validators import DIAMETER_MM
from scleropath.patients.access import get_patient_for_user

from .auth import caller
from .listing import ListQuery, listed
from .schemas import ERRORS, WRITE_ERRORS, Id, InputSchema, Page, Text, Text20, Text30, Text50

router = Router(tags=["assessments"])


class FindingOut(Schema):
    id: int
    assessment_id: int
    label: str = Field(description="The short id shown on the leg map, e.g. L1.")
    side: str
    region: str
    view: str
    x: float
    y: float
    diameter_mm: float | None
    depth: str
    named_vein: str
    reflux: bool | None
    recurrent: bool
    visible: bool
    bleeding: bool
    engine_class: str = Field(description="The class the engine derived.")
    clinician_class: str = Field(description="The clinician's override of the class, if any.")
    override_reason: str
    vessel_class: str = Field(description="The class in use: the override if any, else the engine's.")
    created_at: datetime
    voided_at: datetime | None


class FindingIn(InputSchema):
    side: Literal["left", "right"]
    region: Text30 = Field(min_length=1, description="A region id of the protocol, e.g. thigh_lateral.")
    view: Literal["front", "back"] = "front"
    x: float = Field(0.5, ge=0, le=1, description="0 left edge to 1 right edge of the view.")
    y: float = Field(0.5, ge=0, le=1, description="0 top (groin) to 1 bottom (foot).")
    diameter_mm: float | None = Field(
        None,
        ge=float(DIAMETER_MM[0]),
        le=float(DIAMETER_MM[1]),
        description="Standing, to one decimal place.",
    )
    depth: Text20 = ""
    named_vein: Text20 = ""
    reflux: bool | None = None
    recurrent: bool = False
    visible: bool = True
    bleeding: bool = False
    clinician_class: Text30 = Field("", description="A class other than the engine's needs a reason.")
    override_reason: Text = ""


class AssessmentOut(Schema):
    id: int
    patient_id: int
    assessed_at: datetime
    clinician_id: int
    notes: str
    created_at: datetime
    voided_at: datetime | None


class AssessmentIn(InputSchema):
    notes: Text = ""
    findings: list[FindingIn] = Field(default_factory=list, max_length=100)


class AssessmentDetail(AssessmentOut):
    findings: list[FindingOut]


class PlanOut(Schema):
    id: int
    patient_id: int
    assessment_id: int
    status: str
    version: int = Field(description="Changes on every write; a stale write is refused.")
    engine_answer: dict[str, Any] = Field(description="The engine's plan, frozen with its protocol.")
    protocol_id: str
    protocol_version: str
    clinic_protocol_id: str
    clinic_protocol_version: str
    overrides: dict[str, Any]
    approved_by_id: int | None
    approved_at: datetime | None
    created_at: datetime
    voided_at: datetime | None


class OverrideIn(InputSchema):
    procedure: Text50 = Field(
        description="The procedure the clinician chooses instead, or referral or defer."
    )
    reason: Text = Field(description="Why the plan is overridden for this finding (required).")


class ApproveIn(InputSchema):
    version: int = Field(
        ge=1, le=2**31 - 1, description="The plan's version as read; a stale one is refused."
    )
    overrides: dict[Text20, OverrideIn] = Field(
        default_factory=dict, description="Per finding label (e.g. L1): the clinician's choice and reason."
    )


class ConsentIn(InputSchema):
    patient_confirmed: bool = Field(description="The patient confirmed their consent to the text shown.")


class ConsentOut(Schema):
    id: int
    plan_id: int
    patient_id: int
    text_version: str
    text: str = Field(description="The exact consent text the patient was shown.")
    text_sha256: str
    procedures: list[str]
    consented_at: datetime
    taken_by_id: int
    created_at: datetime
    voided_at: datetime | None


PlanStatusCode = Literal["draft", "approved", "superseded", "completed"]


def _detail(assessment: Assessment) -> dict[str, Any]:
    findings = list(assessment.findings.active())
    return {**{f: getattr(assessment, f) for f in AssessmentOut.model_fields}, "findings": findings}


@router.get("/assessments", response={200: Page[AssessmentOut], **ERRORS}, summary="List assessments")
def list_assessments(request: HttpRequest, query: Query[ListQuery], patient: Id | None = None) -> Any:
    """Assessments, newest first; the date range is the day assessed."""
    return listed(
        request, Assessment, query, by="assessed_at", order=("-assessed_at", "-id"), patient_id=patient
    )


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetail, **ERRORS},
    summary="One assessment with its findings",
)
def get_assessment(request: HttpRequest, assessment_id: Id) -> Any:
    return _detail(get_for_user(caller(request), Assessment, assessment_id))


@router.post(
    "/patients/{patient_id}/assessments",
    response={201: AssessmentDetail, **WRITE_ERRORS},
    summary="Record an assessment with its vein findings",
)
def post_assessment(request: HttpRequest, body: AssessmentIn, patient_id: Id) -> Any:
    """The assessment and every finding are saved together, or none is (an error names the finding,
    e.g. ``findings[1].diameter_mm``). The engine classes each finding as it is placed."""
    user = caller(request)
    patient = get_patient_for_user(user, patient_id, Action.ASSESS)
    with transaction.atomic():
        assessment = create_assessment(user, patient, notes=body.notes)
        for i, finding in enumerate(body.findings):
            try:
                _add_finding(user, assessment, finding)
            except ValidationError as exc:
                raise _prefixed(exc, f"findings[{i}].") from None
    return Status(201, _detail(assessment))


def _add_finding(user: User, assessment: Assessment, finding: FindingIn) -> VeinFinding:
    """Place one finding, with its region checked against the protocol as the leg-map form does."""
    regions = {r.id for r in engine_for(assessment.patient.clinic).protocol.procedures.regions}
    if finding.region not in regions:
        raise ValidationError(
            {"region": f"Unknown region {finding.region!r}; known: {', '.join(sorted(regions))}."}
        )
    return add_finding(user, assessment, **finding.model_dump())


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return ValidationError({prefix.rstrip("."): exc.messages})
    return ValidationError(
        {(prefix.rstrip(".") if k == "__all__" else prefix + k): v for k, v in exc.message_dict.items()}
    )


@router.get(
    "/assessments/{assessment_id}/findings",
    response={200: Page[FindingOut], **ERRORS},
    summary="An assessment's vein findings",
)
def list_findings(request: HttpRequest, query: Query[ListQuery], assessment_id: Id) -> Any:
    user = caller(request)
    assessment = get_for_user(user, Assessment, assessment_id)
    return listed(request, VeinFinding, query, by="created_at", order=("label", "id"), assessment=assessment)


@router.post(
    "/assessments/{assessment_id}/findings",
    response={201: FindingOut, **WRITE_ERRORS},
    summary="Place a vein finding on the leg map",
)
def post_finding(request: HttpRequest, body: FindingIn, assessment_id: Id) -> Any:
    user = caller(request)
    assessment = get_for_user(user, Assessment, assessment_id, Action.ASSESS)
    return Status(201, _add_finding(user, assessment, body))


@router.get("/plans", response={200: Page[PlanOut], **ERRORS}, summary="List treatment plans")
def list_plans(
    request: HttpRequest,
    query: Query[ListQuery],
    patient: Id | None = None,
    status: PlanStatusCode | None = None,
) -> Any:
    """Plans, newest first; the date range is the day the plan was made."""
    return listed(
        request,
        TreatmentPlan,
        query,
        by="created_at",
        order=("-created_at", "-id"),
        patient_id=patient,
        status=status,
    )


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="One treatment plan")
def get_plan(request: HttpRequest, plan_id: Id) -> Any:
    return get_for_user(caller(request), TreatmentPlan, plan_id)


@router.post(
    "/assessments/{assessment_id}/plans",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="Plan treatment for an assessment",
)
def post_plan(request: HttpRequest, assessment_id: Id) -> Any:
    """The engine's plan for the assessment's findings, frozen with its protocol as a draft (an
    earlier draft is superseded)."""
    user = caller(request)
    assessment = get_for_user(user, Assessment, assessment_id, Action.PLAN)
    return Status(201, plan_assessment(user, assessment))


@router.post(
    "/plans/{plan_id}/approve", response={200: PlanOut, **WRITE_ERRORS}, summary="Approve a draft plan"
)
def post_approval(request: HttpRequest, body: ApproveIn, plan_id: Id) -> Any:
    """Each override needs its reason; a plan changed since ``version`` was read is refused (409)."""
    user = caller(request)
    plan = get_for_user(user, TreatmentPlan, plan_id, Action.PLAN)
    overrides = {label: choice.model_dump() for label, choice in body.overrides.items()}
    return approve_plan(user, plan, body.version, overrides)


@router.post(
    "/plans/{plan_id}/consent",
    response={201: ConsentOut, **WRITE_ERRORS},
    summary="Record the patient's consent",
)
def post_consent(request: HttpRequest, body: ConsentIn, plan_id: Id) -> Any:
    """The exact text shown, built from the protocol for the plan's procedures, is kept with its hash."""
    user = caller(request)
    plan = get_for_user(user, TreatmentPlan, plan_id, Action.CONSENT)
    return Status(201, record_consent(user, plan, patient_confirmed=body.patient_confirmed))


@router.get("/consents/{consent_id}", response={200: ConsentOut, **ERRORS}, summary="One consent")
def get_consent(request: HttpRequest, consent_id: Id) -> Any:
    return get_for_user(caller(request), Consent, consent_id)
