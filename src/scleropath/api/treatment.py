"""Stock lots, treatment sessions and the injections given in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action
from scleropath.assessments.models import TreatmentPlan, VeinFinding
from scleropath.core.validators import VOLUME_ML
from scleropath.diary import services as diary
from scleropath.followup.services import complete_session
from scleropath.treatment.models import Injection, StockLot, TreatmentSession
from scleropath.treatment.services import add_stock_lot, record_injection, start_session

from .auth import caller
from .listing import ListQuery, listed
from .schemas import ERRORS, WRITE_ERRORS, ClinicDate, Id, InputSchema, Page, Text, Text50

router = Router(tags=["treatment"])


class StockLotOut(Schema):
    id: int
    product: str
    agent: str
    concentration_percent: float
    lot_number: str
    expiry_date: date
    quantity: int
    received_on: date
    created_at: datetime
    voided_at: datetime | None


class StockLotIn(InputSchema):
    product: Text50 = Field(description="A product id of the protocol's formulary, e.g. aethoxysklerol.")
    concentration_percent: float = Field(gt=0, le=100, description="One of the product's strengths.")
    lot_number: Text50 = Field(min_length=1)
    expiry_date: ClinicDate
    quantity: int = Field(ge=0, le=1_000_000)
    received_on: ClinicDate | None = None


class SessionOut(Schema):
    id: int
    patient_id: int
    plan_id: int
    number: int = Field(description="1 for the patient's first session.")
    status: str
    version: int
    started_at: datetime
    completed_at: datetime | None
    practitioner_id: int
    weight_kg: float = Field(description="The weight the session's dose limits use.")
    notes: str
    off_plan: list[str] = Field(
        description="How the session departs from its plan (e.g. before its interval)."
    )
    off_plan_reason: str = Field(description="The clinician's reason for departing from the plan.")
    created_at: datetime
    voided_at: datetime | None


class InjectionOut(Schema):
    id: int
    session_id: int
    finding_id: int | None
    lot_id: int
    side: str
    view: str
    x: float | None
    y: float | None
    procedure: str
    agent: str
    product: str
    form: str
    concentration_percent: float
    volume_ml: float
    foam_gas_parts: float | None
    needle_gauge: int | None
    given_at: datetime
    given_by_id: int
    override_reason: str = Field(description="Why a session limit was passed, if one was.")
    off_plan: list[str] = Field(description="How the injection departs from the approved plan, if it does.")
    off_plan_reason: str = Field(description="The clinician's reason for treating off-plan.")
    limit_check: dict[str, Any] = Field(description="The engine's session check after this injection.")
    created_at: datetime
    voided_at: datetime | None


class InjectionIn(InputSchema):
    lot: Id = Field(description="A stock lot of the clinic (not expired).")
    form: Literal["liquid", "foam"]
    volume_ml: float = Field(ge=float(VOLUME_ML[0]), le=float(VOLUME_ML[1]))
    finding: Id | None = Field(None, description="The vein finding treated, from the session's plan.")
    foam_gas_parts: float | None = Field(None, ge=0.5, le=20, description="Gas parts per liquid part.")
    needle_gauge: int | None = Field(None, ge=10, le=40)
    view: Literal["", "front", "back"] = ""
    x: float | None = Field(None, ge=0, le=1)
    y: float | None = Field(None, ge=0, le=1)
    override_reason: Text = Field(
        "",
        description="Needed, from a clinician, to give an injection past a session limit.",
    )
    off_plan_reason: Text = Field(
        "",
        description="Needed, from a clinician, to give a product, form or strength the approved plan "
        "does not offer for the finding.",
    )


class SessionIn(InputSchema):
    off_plan_reason: Text = Field(
        "",
        description="Needed, from a clinician, to open a session sooner after the last one than the "
        "plan's interval between sessions.",
    )


class CompleteIn(InputSchema):
    version: int = Field(
        ge=1, le=2**31 - 1, description="The session's version as read; a stale one is refused."
    )


SessionStatusCode = Literal["open", "completed"]


@router.get("/stock-lots", response={200: Page[StockLotOut], **ERRORS}, summary="List stock lots")
def list_stock_lots(
    request: HttpRequest, query: Query[ListQuery], status: Literal["in_date", "expired"] | None = None
) -> Any:
    """The clinic's lots, soonest expiry first; the date range is the day received."""
    today = timezone.localdate()
    expiry: dict[str, Any] = {
        "in_date": {"expiry_date__gte": today},
        "expired": {"expiry_date__lt": today},
    }.get(status or "", {})
    return listed(request, StockLot, query, by="received_on", order=("expiry_date", "id"), **expiry)


@router.get("/stock-lots/{lot_id}", response={200: StockLotOut, **ERRORS}, summary="One stock lot")
def get_stock_lot(request: HttpRequest, lot_id: Id) -> Any:
    return get_for_user(caller(request), StockLot, lot_id)


@router.post("/stock-lots", response={201: StockLotOut, **WRITE_ERRORS}, summary="Add a stock lot")
def post_stock_lot(request: HttpRequest, body: StockLotIn) -> Any:
    fields = body.model_dump(exclude_none=True)
    fields["concentration_percent"] = str(body.concentration_percent)
    return Status(201, add_stock_lot(caller(request), **fields))


@router.get("/sessions", response={200: Page[SessionOut], **ERRORS}, summary="List treatment sessions")
def list_sessions(
    request: HttpRequest,
    query: Query[ListQuery],
    patient: Id | None = None,
    status: SessionStatusCode | None = None,
) -> Any:
    """Sessions, newest first; the date range is the day started."""
    return listed(
        request,
        TreatmentSession,
        query,
        by="started_at",
        order=("-started_at", "-id"),
        patient_id=patient,
        status=status,
    )


@router.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="One treatment session")
def get_session(request: HttpRequest, session_id: Id) -> Any:
    return get_for_user(caller(request), TreatmentSession, session_id)


@router.get(
    "/sessions/{session_id}/injections",
    response={200: Page[InjectionOut], **ERRORS},
    summary="A session's injections",
)
def list_injections(request: HttpRequest, query: Query[ListQuery], session_id: Id) -> Any:
    user = caller(request)
    session = get_for_user(user, TreatmentSession, session_id)
    return listed(request, Injection, query, by="given_at", order=("given_at", "id"), session=session)


@router.post(
    "/sessions/{session_id}/injections",
    response={201: InjectionOut, **WRITE_ERRORS},
    summary="Record an injection in an open session",
)
def post_injection(request: HttpRequest, body: InjectionIn, session_id: Id) -> Any:
    """Checked exactly as on the session page: an expired lot, an allergy or a contraindication is
    refused (409), and an injection past a session limit is refused (409, each limit named under
    ``limits``) unless a clinician gives ``override_reason``."""
    user = caller(request)
    session = get_for_user(user, TreatmentSession, session_id, Action.INJECT)
    lot = StockLot.objects.active().filter(clinic_id=session.clinic_id, pk=body.lot).first()
    if lot is None:
        raise ValidationError({"lot": f"No lot {body.lot} in this clinic's stock."})
    finding = None
    if body.finding is not None:
        finding = (
            VeinFinding.objects.active()
            .filter(assessment_id=session.plan.assessment_id, pk=body.finding)
            .first()
        )
        if finding is None:
            raise ValidationError({"finding": f"No finding {body.finding} in this session's plan."})
    data = body.model_dump(exclude={"lot", "finding"})
    for key in ("volume_ml", "foam_gas_parts"):
        if data[key] is not None:
            data[key] = str(data[key])
    return Status(201, record_injection(user, session, lot=lot, finding=finding, **data))


@router.post(
    "/plans/{plan_id}/sessions",
    response={201: SessionOut, **WRITE_ERRORS},
    summary="Start a treatment session",
)
def post_session(request: HttpRequest, plan_id: Id, body: SessionIn | None = None) -> Any:
    """Under an approved plan; the patient's latest weight measured on or before today is fixed for
    the session's dose limits. A patient has one open session at a time (409 for a second)."""
    user = caller(request)
    plan = get_for_user(user, TreatmentPlan, plan_id, Action.INJECT)
    reason = body.off_plan_reason if body is not None else ""
    return Status(201, start_session(user, plan, off_plan_reason=reason))


@router.post(
    "/sessions/{session_id}/complete",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Complete a session",
)
def post_completion(request: HttpRequest, body: CompleteIn, session_id: Id) -> Any:
    """Needs consent and a recent enough screening (409 otherwise); the aftercare is frozen and the
    follow-ups it schedules are booked."""
    user = caller(request)
    session = get_for_user(user, TreatmentSession, session_id, Action.INJECT)
    completed = complete_session(user, session, body.version)
    diary.session_completed(user, session)
    return completed
