"""Patient services: registration, weight, screening."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from scleropath.accounts.access import clinic_id_of
from scleropath.accounts.permissions import Action, require
from scleropath.core.engine import engine_for
from scleropath.core.numbers import plain_decimal
from scleropath.core.services import validation_error_from
from scleropath.protocol import InputError

from .models import Patient, ScreeningRecord, WeightMeasurement

if TYPE_CHECKING:
    from scleropath.accounts.models import User


@transaction.atomic
def create_patient(user: User, **fields: Any) -> Patient:
    require(user, Action.EDIT_PATIENT)
    patient = Patient(clinic_id=clinic_id_of(user), created_by=user, **fields)
    patient.full_clean()
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:
        # Another registration with the same NHS number committed between the check and the save.
        raise ValidationError(
            {"nhs_number": "Another patient of this clinic already has this NHS number."}
        ) from None
    return patient


class WeightNeedsConfirmation(ValidationError):
    """A weight far from the previous one, refused until the person entering it confirms it."""


@transaction.atomic
def record_weight(
    user: User,
    patient: Patient,
    weight_kg: Decimal | float | str,
    measured_on: date | None = None,
    *,
    confirmed: bool = False,
) -> WeightMeasurement:
    """Record a weight. Dose limits depend on it, so a weight dated in the future is refused and one
    that differs from the previous by more than the clinic's share must be confirmed."""
    require(user, Action.SCREEN)
    weight = WeightMeasurement(
        clinic_id=patient.clinic_id,
        created_by=user,
        patient=patient,
        weight_kg=Decimal(str(weight_kg)),
        measured_on=measured_on or timezone.localdate(),
    )
    weight.full_clean()
    previous = patient.latest_weight(on=weight.measured_on)
    if previous is not None and not confirmed:
        change = abs(weight.weight_kg - previous.weight_kg) / previous.weight_kg * 100
        if change > patient.clinic.weight_check_percent:
            raise WeightNeedsConfirmation(
                {
                    "weight_kg": f"{plain_decimal(weight.weight_kg)} kg differs from the previous weight, "
                    f"{plain_decimal(previous.weight_kg)} kg on {previous.measured_on:%d %b %Y}, by "
                    f"{change:.0f}%: check it and confirm to save it."
                }
            )
    weight.save()
    return weight


def engine_patient(patient: Patient, screening: ScreeningRecord | None = None) -> dict[str, Any]:
    """The engine's view of a patient: demographics, latest weight and screening answers."""
    weight = patient.latest_weight()
    screening = screening if screening is not None else patient.current_screening()
    data: dict[str, Any] = {
        "age_years": patient.age_on(),
        "sex": patient.sex,
        "weight_kg": float(weight.weight_kg) if weight else None,
    }
    if screening is not None:
        data.update(
            allergies=list(screening.allergies),
            conditions=list(screening.conditions),
            pregnant=screening.pregnant,
            breastfeeding=screening.breastfeeding,
            mobility=screening.mobility,
        )
    return data


@transaction.atomic
def record_screening(
    user: User,
    patient: Patient,
    *,
    conditions: list[str],
    allergies: list[str],
    pregnant: bool = False,
    breastfeeding: bool = False,
    mobility: str = "ambulant",
    at: Any = None,
) -> ScreeningRecord:
    """Record a new version of the patient's screening answers with the engine's verdict."""
    require(user, Action.SCREEN)
    engine = engine_for(patient.clinic)
    answers = {
        "conditions": list(conditions),
        "allergies": [a.strip() for a in allergies if a.strip()],
        "pregnant": pregnant,
        "breastfeeding": breastfeeding,
        "mobility": mobility,
    }
    person = engine_patient(patient)
    person.update(answers)
    try:
        result = engine.screen({"patient": person})
    except InputError as exc:
        raise validation_error_from(exc, strip="patient.") from None
    last = ScreeningRecord.objects.filter(patient=patient).aggregate(n=Max("number"))["n"] or 0
    record = ScreeningRecord(
        clinic_id=patient.clinic_id,
        created_by=user,
        patient=patient,
        number=last + 1,
        verdict=result.verdict,
        result=result.model_dump(mode="json"),
        protocol_id=engine.protocol.id,
        protocol_version=engine.protocol.version,
        screened_at=at or timezone.now(),
        **answers,
    )
    record.save()
    return record


@transaction.atomic
def create_patient_from_online_booking(
    clinic_id: int,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    email: str,
    phone: str,
) -> Patient:
    """Register the person who confirmed an online booking, with no one signed in.

    The record is provisional: the online booking that made it says so until reception decides
    whether it is a patient the clinic already has. No NHS number is taken from the public page,
    so this never clashes with, or silently joins, another patient's record."""
    patient = Patient(
        clinic_id=clinic_id,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        email=email.strip(),
        phone=phone.strip(),
    )
    patient.full_clean()
    patient.save()
    return patient
