"""Patients, staff, weights and screening as FHIR resources."""

from __future__ import annotations

from typing import Any

from scleropath.accounts.models import User
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement

from . import codes
from .common import Vocabulary, day, details, instant, quantity, ref, resource, rid

GENDERS = {"female", "male", "other", "unknown"}


def patient(p: Patient) -> dict[str, Any]:
    name: dict[str, Any] = {"use": "official", "family": p.family_name, "given": [p.given_name]}
    telecom = []
    if p.email:
        telecom.append({"system": "email", "value": p.email})
    if p.phone:
        telecom.append({"system": "phone", "value": p.phone})
    return resource(
        "Patient",
        rid("patient", p.pk),
        identifier=[{"system": codes.NHS_NUMBER, "value": p.nhs_number}] if p.nhs_number else None,
        name=[name],
        gender=p.sex if p.sex in GENDERS else "unknown",
        birthDate=day(p.date_of_birth),
        telecom=telecom,
        address=[{"text": p.address}] if p.address else None,
    )


def practitioner(u: User) -> dict[str, Any]:
    name: dict[str, Any] = {"text": u.display_name}
    if u.last_name:
        name["family"] = u.last_name
    if u.first_name:
        name["given"] = [u.first_name]
    return resource(
        "Practitioner",
        rid("staff", u.pk),
        identifier=(
            [{"system": codes.STAFF_REGISTRATION, "value": u.professional_registration}]
            if u.professional_registration
            else None
        ),
        name=[name],
    )


def weight(w: WeightMeasurement) -> dict[str, Any]:
    return resource(
        "Observation",
        rid("weight", w.pk),
        status="final",
        category=[codes.concept(codes.OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")],
        code=codes.concept(codes.OBSERVATION, "body-weight", "Body weight"),
        subject=ref("Patient", "patient", w.patient_id),
        effectiveDateTime=day(w.measured_on),
        valueQuantity=quantity(w.weight_kg, "kg"),
    )


def _answer_item(link_id: str, answers: list[dict[str, Any]]) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id}
    if answers:
        item["answer"] = answers
    return item


def screening(s: ScreeningRecord, v: Vocabulary) -> dict[str, Any]:
    items = [
        _answer_item(
            "conditions", [{"valueCoding": v.coding(codes.SCREENING_CODE, c)} for c in s.conditions]
        ),
        _answer_item("allergies", [{"valueString": a} for a in s.allergies]),
        _answer_item("pregnant", [{"valueBoolean": s.pregnant}]),
        _answer_item("breastfeeding", [{"valueBoolean": s.breastfeeding}]),
        _answer_item("mobility", [{"valueCoding": codes.coding(codes.MOBILITY, s.mobility)}]),
    ]
    return resource(
        "QuestionnaireResponse",
        rid("screening", s.pk),
        extension=[
            details(
                "screening",
                {
                    "number": s.number,
                    "verdict": s.verdict,
                    "protocol_id": s.protocol_id,
                    "protocol_version": s.protocol_version,
                },
                {"result": s.result},
            )
        ],
        questionnaire=codes.SCREENING_QUESTIONNAIRE,
        status="completed",
        subject=ref("Patient", "patient", s.patient_id),
        authored=instant(s.screened_at),
        source=ref("Patient", "patient", s.patient_id),
        item=items,
    )
