"""Patients, their weights and their screening answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field, StringConstraints

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action
from scleropath.patients.access import get_patient_for_user
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement
from scleropath.patients.services import create_patient, record_screening, record_weight

from .auth import caller
from .listing import ListQuery, listed
from .schemas import (
    ERRORS,
    WRITE_ERRORS,
    BirthDate,
    ClinicDate,
    Id,
    InputSchema,
    Name,
    Page,
    Phone,
    Text,
    Text50,
)

router = Router(tags=["patients"])

SexCode = Literal["female", "male", "other", "unknown"]
MobilityCode = Literal["ambulant", "reduced", "bedridden"]


class PatientOut(Schema):
    id: int
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    nhs_number: str
    email: str
    phone: str = Field(description="E.164, for example +447700900123; blank when not known.")
    address: str
    created_at: datetime
    voided_at: datetime | None
    void_reason: str


class PatientIn(InputSchema):
    given_name: Name
    family_name: Name
    date_of_birth: BirthDate
    sex: SexCode = "unknown"
    nhs_number: Text50 = Field("", description="Optional; 10 digits with a valid check digit.")
    email: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=254)] = ""
    phone: Phone = Field(
        "",
        description="Optional; a national number of the clinic's country or +country code; stored as E.164.",
    )
    address: Text = ""


class WeightOut(Schema):
    id: int
    patient_id: int
    weight_kg: float
    measured_on: date
    created_at: datetime
    voided_at: datetime | None


class WeightIn(InputSchema):
    weight_kg: float = Field(ge=1, le=400)
    measured_on: ClinicDate | None = Field(None, description="Today by default; never in the future.")
    confirmed: bool = Field(
        False,
        description="Set after checking a weight that the clinic's weight check refused as too far "
        "from the previous one.",
    )


class ScreeningOut(Schema):
    id: int
    patient_id: int
    number: int = Field(description="1 for the patient's first screening; each new answer set adds one.")
    conditions: list[str]
    allergies: list[str]
    pregnant: bool
    breastfeeding: bool
    mobility: str
    verdict: str
    result: dict[str, Any] = Field(description="The engine's screening answer, frozen when recorded.")
    protocol_id: str
    protocol_version: str
    screened_at: datetime
    voided_at: datetime | None


class ScreeningIn(InputSchema):
    conditions: list[Text50] = Field(default_factory=list, max_length=100)
    allergies: list[Text50] = Field(default_factory=list, max_length=100)
    pregnant: bool = False
    breastfeeding: bool = False
    mobility: MobilityCode = "ambulant"


@router.get("/patients", response={200: Page[PatientOut], **ERRORS}, summary="List patients")
def list_patients(request: HttpRequest, query: Query[ListQuery]) -> Any:
    """Patients of your clinic, newest registration first; the date range is the day registered."""
    return listed(
        request, Patient, query, by="created_at", order=("-created_at", "-id"), action=Action.VIEW_PATIENT
    )


@router.get("/patients/{patient_id}", response={200: PatientOut, **ERRORS}, summary="One patient")
def get_patient(request: HttpRequest, patient_id: Id) -> Any:
    return get_patient_for_user(caller(request), patient_id)


@router.post("/patients", response={201: PatientOut, **WRITE_ERRORS}, summary="Register a patient")
def post_patient(request: HttpRequest, body: PatientIn) -> Any:
    return Status(201, create_patient(caller(request), **body.model_dump()))


@router.get(
    "/patients/{patient_id}/weights", response={200: Page[WeightOut], **ERRORS}, summary="A patient's weights"
)
def list_weights(request: HttpRequest, query: Query[ListQuery], patient_id: Id) -> Any:
    patient = get_patient_for_user(caller(request), patient_id, Action.VIEW_CLINICAL)
    return listed(
        request, WeightMeasurement, query, by="measured_on", order=("-measured_on", "-id"), patient=patient
    )


@router.post(
    "/patients/{patient_id}/weights", response={201: WeightOut, **WRITE_ERRORS}, summary="Record a weight"
)
def post_weight(request: HttpRequest, body: WeightIn, patient_id: Id) -> Any:
    patient = get_patient_for_user(caller(request), patient_id, Action.SCREEN)
    return Status(
        201,
        record_weight(caller(request), patient, body.weight_kg, body.measured_on, confirmed=body.confirmed),
    )


@router.get("/screenings", response={200: Page[ScreeningOut], **ERRORS}, summary="List screenings")
def list_screenings(
    request: HttpRequest, query: Query[ListQuery], patient: Id | None = None, verdict: Text50 | None = None
) -> Any:
    """Screening versions, newest first; the date range is the day screened."""
    return listed(
        request,
        ScreeningRecord,
        query,
        by="screened_at",
        order=("-screened_at", "-id"),
        patient_id=patient,
        verdict=verdict or None,
    )


@router.get("/screenings/{screening_id}", response={200: ScreeningOut, **ERRORS}, summary="One screening")
def get_screening(request: HttpRequest, screening_id: Id) -> Any:
    return get_for_user(caller(request), ScreeningRecord, screening_id)


@router.post(
    "/patients/{patient_id}/screenings",
    response={201: ScreeningOut, **WRITE_ERRORS},
    summary="Record the patient's screening answers",
)
def post_screening(request: HttpRequest, body: ScreeningIn, patient_id: Id) -> Any:
    """A new screening version with the engine's verdict (the earlier versions are kept)."""
    patient = get_patient_for_user(caller(request), patient_id, Action.SCREEN)
    return Status(201, record_screening(caller(request), patient, **body.model_dump()))
