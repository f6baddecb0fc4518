"""The engine over HTTP: the same requests and answers as the command line (docs/engine-contract.md)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from scleropath.core.engine import engine_for
from scleropath.protocol import Engine
from scleropath.protocol.answers import (
    CeapAnswer,
    PlanAnswer,
    Screening,
    SessionCheckAnswer,
    TriageAnswer,
    VcssAnswer,
)
from scleropath.protocol.inputs import Assessment, CeapRequest, SessionCheck, TriageRequest, VcssRequest

from .schemas import ERRORS

router = Router(tags=["engine"])


def _engine(request: HttpRequest) -> Engine:
    """The engine for the caller's clinic (its own protocol file, if it has one)."""
    return engine_for(getattr(request.user, "clinic", None))


@router.post("/plan", response={200: PlanAnswer, **ERRORS}, summary="Plan an assessment")
def plan(request: HttpRequest, body: Assessment) -> PlanAnswer:
    return _engine(request).plan(body)


@router.post("/screen", response={200: Screening, **ERRORS}, summary="Screen a patient for contraindications")
def screen(request: HttpRequest, body: Assessment) -> Screening:
    return _engine(request).screen(body)


@router.post(
    "/check-session",
    response={200: SessionCheckAnswer, **ERRORS},
    summary="Check a session's injections against every limit",
)
def check_session(request: HttpRequest, body: SessionCheck) -> SessionCheckAnswer:
    return _engine(request).check_session(body)


@router.post(
    "/triage", response={200: TriageAnswer, **ERRORS}, summary="Triage a reported side effect or complication"
)
def triage(request: HttpRequest, body: TriageRequest) -> TriageAnswer:
    return _engine(request).triage(body)


@router.post("/ceap", response={200: CeapAnswer, **ERRORS}, summary="CEAP 2020 clinical classes of one leg")
def ceap(request: HttpRequest, body: CeapRequest) -> CeapAnswer:
    return _engine(request).ceap(body)


@router.post("/vcss", response={200: VcssAnswer, **ERRORS}, summary="Revised Venous Clinical Severity Score")
def vcss(request: HttpRequest, body: VcssRequest) -> VcssAnswer:
    return _engine(request).vcss(body)
