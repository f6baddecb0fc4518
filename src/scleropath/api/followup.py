"""After treatment: aftercare plans, follow-ups, adverse events and outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action
from scleropath.assessments.models import TreatmentPlan, VeinFinding
from scleropath.followup.models import AdverseEvent, AftercarePlan, FollowUp, Outcome
from scleropath.followup.services import (
    log_adverse_event,
    record_follow_up_visit,
    record_outcome,
    resolve_adverse_event,
)
from scleropath.patients.access import get_patient_for_user
from scleropath.treatment.models import TreatmentSession

from .auth import caller
from .listing import ListQuery, listed
from .schemas import ERRORS, WRITE_ERRORS, ClinicDate, Id, InputSchema, Name, Page, Text, Text50

router = Router(tags=["after treatment"])


class AftercareOut(Schema):
    id: int
    patient_id: int
    session_id: int
    content: dict[str, Any] = Field(description="The engine's aftercare, frozen when the session completed.")
    protocol_id: str
    protocol_version: str
    handed_over_at: datetime | None
    created_at: datetime
    voided_at: datetime | None


class FollowUpOut(Schema):
    id: int
    patient_id: int
    session_id: int | None
    kind: str = Field(description="The protocol's follow-up id, or 'manual'.")
    purpose: str
    due_on: date
    window_end: date | None
    status: str
    done_at: datetime | None
    done_by_id: int | None
    notes: str
    created_at: datetime
    voided_at: datetime | None


class VisitIn(InputSchema):
    notes: Text = ""


class AdverseEventOut(Schema):
    id: int
    patient_id: int
    session_id: int | None
    injection_id: int | None
    symptom: str
    onset_on: date
    severity: str
    triage_level: str
    triage: dict[str, Any] = Field(description="The engine's triage answer, frozen when logged.")
    management: str
    resolved_on: date | None
    is_draft: bool = Field(description="Drafted from the patient's own report, not yet confirmed.")
    notes: str
    created_at: datetime
    voided_at: datetime | None


class AdverseEventIn(InputSchema):
    symptom: Text50 = Field(description="A symptom code of the protocol, e.g. hyperpigmentation.")
    onset_on: ClinicDate
    severity: Literal["mild", "moderate", "severe"]
    session: Id | None = Field(None, description="The session it follows; the latest completed if empty.")
    notes: Text = ""


class OutcomeOut(Schema):
    id: int
    patient_id: int
    plan_id: int
    finding_id: int | None
    area: str
    assessed_on: date
    clearance_percent: int | None
    reported_by_patient: bool
    satisfaction: int | None
    recurrence: bool
    retreatment_needed: bool
    notes: str
    created_at: datetime
    voided_at: datetime | None


class OutcomeIn(InputSchema):
    area: Name = Field(description="The treated area, e.g. 'left lateral thigh'.")
    clearance_percent: int = Field(ge=0, le=100)
    finding: Id | None = None
    satisfaction: int | None = Field(None, ge=1, le=5)
    recurrence: bool = False
    retreatment_needed: bool = False
    assessed_on: ClinicDate | None = None
    notes: Text = ""


FollowUpStatusCode = Literal["scheduled", "done", "missed", "cancelled"]
EventStatusCode = Literal["open", "resolved", "draft"]


@router.get("/aftercare", response={200: Page[AftercareOut], **ERRORS}, summary="List aftercare plans")
def list_aftercare(request: HttpRequest, query: Query[ListQuery], patient: Id | None = None) -> Any:
    """Aftercare plans, newest first; the date range is the day the session completed."""
    return listed(
        request, AftercarePlan, query, by="created_at", order=("-created_at", "-id"), patient_id=patient
    )


@router.get("/aftercare/{aftercare_id}", response={200: AftercareOut, **ERRORS}, summary="One aftercare plan")
def get_aftercare(request: HttpRequest, aftercare_id: Id) -> Any:
    return get_for_user(caller(request), AftercarePlan, aftercare_id)


@router.get("/follow-ups", response={200: Page[FollowUpOut], **ERRORS}, summary="List follow-ups")
def list_follow_ups(
    request: HttpRequest,
    query: Query[ListQuery],
    patient: Id | None = None,
    status: FollowUpStatusCode | None = None,
) -> Any:
    """Follow-ups, soonest due first; the date range is the day due."""
    return listed(
        request, FollowUp, query, by="due_on", order=("due_on", "id"), patient_id=patient, status=status
    )


@router.get("/follow-ups/{follow_up_id}", response={200: FollowUpOut, **ERRORS}, summary="One follow-up")
def get_follow_up(request: HttpRequest, follow_up_id: Id) -> Any:
    return get_for_user(caller(request), FollowUp, follow_up_id)


@router.post(
    "/follow-ups/{follow_up_id}/visit",
    response={200: FollowUpOut, **WRITE_ERRORS},
    summary="Record the follow-up visit",
)
def post_visit(request: HttpRequest, body: VisitIn, follow_up_id: Id) -> Any:
    user = caller(request)
    follow_up = get_for_user(user, FollowUp, follow_up_id, Action.AFTERCARE)
    return record_follow_up_visit(user, follow_up, body.notes)


# What each ``status`` of the adverse-event list selects.
EVENT_STATUS: dict[str, dict[str, Any]] = {
    "open": {"resolved_on__isnull": True},
    "resolved": {"resolved_on__isnull": False},
    "draft": {"is_draft": True},
}


@router.get("/adverse-events", response={200: Page[AdverseEventOut], **ERRORS}, summary="List adverse events")
def list_adverse_events(
    request: HttpRequest,
    query: Query[ListQuery],
    patient: Id | None = None,
    status: EventStatusCode | None = None,
) -> Any:
    """Side effects and complications, latest onset first; the date range is the day of onset.
    ``open`` is unresolved, ``resolved`` has a resolution day, ``draft`` awaits a clinician."""
    return listed(
        request,
        AdverseEvent,
        query,
        by="onset_on",
        order=("-onset_on", "-id"),
        patient_id=patient,
        **EVENT_STATUS.get(status or "", {}),
    )


@router.get(
    "/adverse-events/{event_id}", response={200: AdverseEventOut, **ERRORS}, summary="One adverse event"
)
def get_adverse_event(request: HttpRequest, event_id: Id) -> Any:
    return get_for_user(caller(request), AdverseEvent, event_id)


@router.post(
    "/patients/{patient_id}/adverse-events",
    response={201: AdverseEventOut, **WRITE_ERRORS},
    summary="Log a side effect or complication",
)
def post_adverse_event(request: HttpRequest, body: AdverseEventIn, patient_id: Id) -> Any:
    """Triaged by the engine by the days since the session; any follow-up the triage implies is booked."""
    user = caller(request)
    patient = get_patient_for_user(user, patient_id, Action.AFTERCARE)
    session = None
    if body.session is not None:
        session = TreatmentSession.objects.active().filter(patient=patient, pk=body.session).first()
        if session is None:
            raise ValidationError({"session": f"No session {body.session} of this patient."})
    return Status(
        201,
        log_adverse_event(
            user,
            patient,
            symptom=body.symptom,
            onset_on=body.onset_on,
            severity=body.severity,
            session=session,
            notes=body.notes,
        ),
    )


class ResolveIn(InputSchema):
    resolved_on: ClinicDate
    notes: Text = ""


@router.post(
    "/adverse-events/{event_id}/resolve",
    response={200: AdverseEventOut, **WRITE_ERRORS},
    summary="Record that a side effect or complication has resolved",
)
def post_resolve(request: HttpRequest, body: ResolveIn, event_id: Id) -> Any:
    """The day it resolved (not before its onset); the notes are added to the event's own."""
    user = caller(request)
    event = get_for_user(user, AdverseEvent, event_id, Action.AFTERCARE)
    return resolve_adverse_event(user, event, body.resolved_on, body.notes)


@router.get("/outcomes", response={200: Page[OutcomeOut], **ERRORS}, summary="List outcomes")
def list_outcomes(request: HttpRequest, query: Query[ListQuery], patient: Id | None = None) -> Any:
    """Outcomes, latest review first; the date range is the day assessed."""
    return listed(
        request, Outcome, query, by="assessed_on", order=("-assessed_on", "-id"), patient_id=patient
    )


@router.get("/outcomes/{outcome_id}", response={200: OutcomeOut, **ERRORS}, summary="One outcome")
def get_outcome(request: HttpRequest, outcome_id: Id) -> Any:
    return get_for_user(caller(request), Outcome, outcome_id)


@router.post(
    "/plans/{plan_id}/outcomes", response={201: OutcomeOut, **WRITE_ERRORS}, summary="Record an outcome"
)
def post_outcome(request: HttpRequest, body: OutcomeIn, plan_id: Id) -> Any:
    user = caller(request)
    plan = get_for_user(user, TreatmentPlan, plan_id, Action.AFTERCARE)
    finding = None
    if body.finding is not None:
        finding = (
            VeinFinding.objects.active().filter(assessment_id=plan.assessment_id, pk=body.finding).first()
        )
        if finding is None:
            raise ValidationError({"finding": f"No finding {body.finding} in this plan."})
    fields = body.model_dump(exclude={"finding"})
    return Status(201, record_outcome(user, plan, finding=finding, **fields))
