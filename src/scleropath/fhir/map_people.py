"""Patients, staff, weights and screening as FHIR resources, and each read back into its record."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from scleropath.accounts.models import Role, User
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement

from . import codes
from .common import (
    Records,
    Resource,
    Vocabulary,
    answer,
    answers,
    code,
    day,
    decimal,
    details,
    get,
    instant,
    key,
    need,
    on,
    opt,
    parts,
    quantity,
    question,
    ref,
    resource,
    rid,
    when,
)

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


def read_patient(r: Resource, records: Records) -> None:
    name = get(r, "name", 0)
    telecom = {t.get("system"): t.get("value", "") for t in r.get("telecom", [])}
    nhs = [i["value"] for i in r.get("identifier", []) if i.get("system") == codes.NHS_NUMBER]
    p = Patient(
        given_name=" ".join(get(name, "given")),
        family_name=get(name, "family"),
        date_of_birth=on(get(r, "birthDate"), "birthDate"),
        sex=r.get("gender", "unknown"),
        nhs_number=nhs[0] if nhs else "",
        email=telecom.get("email", ""),
        phone=telecom.get("phone", ""),
        address=opt(r, "address", 0, "text") or "",
    )
    records.save(r, p)
    records.result.patients.append(p.pk)


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


def read_practitioner(r: Resource, records: Records) -> None:
    """Staff are matched to the clinic's by professional registration, then by name; anyone
    not found is added as an inactive account without a password, so records keep their author."""
    name = opt(r, "name", 0) or {}
    text = name.get("text") or " ".join([*name.get("given", []), name.get("family", "")]).strip()
    registration = next(
        (i["value"] for i in r.get("identifier", []) if i.get("system") == codes.STAFF_REGISTRATION), ""
    )
    clinic = records.clinic
    staff = list(User.objects.filter(clinic=clinic))
    match = next((u for u in staff if registration and u.professional_registration == registration), None)
    match = match or next((u for u in staff if u.display_name == text), None)
    if match is None:
        base = f"{clinic.slug}.{slugify(text) or 'staff'}"
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}-{n}"
        match = User(
            username=username,
            first_name=" ".join(name.get("given", [])),
            last_name=name.get("family", ""),
            clinic=clinic,
            role=Role.CLINICIAN,
            is_active=False,
            professional_registration=registration,
        )
        match.set_unusable_password()
        match.save()
        records.result.staff_added.append(username)
    records.made[key(r)] = match


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


def read_weight(r: Resource, records: Records) -> None:
    w = WeightMeasurement(
        patient=records.obj(r.get("subject"), "subject"),
        weight_kg=decimal(get(r, "valueQuantity", "value"), "valueQuantity"),
        measured_on=on(get(r, "effectiveDateTime"), "effectiveDateTime"),
    )
    records.save(r, w)


def screening(s: ScreeningRecord, v: Vocabulary) -> dict[str, Any]:
    items = [
        question("conditions", [{"valueCoding": v.coding(codes.SCREENING_CODE, c)} for c in s.conditions]),
        question("allergies", [{"valueString": a} for a in s.allergies]),
        question("pregnant", [{"valueBoolean": s.pregnant}]),
        question("breastfeeding", [{"valueBoolean": s.breastfeeding}]),
        question("mobility", [{"valueCoding": codes.coding(codes.MOBILITY, s.mobility)}]),
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
                    "result": s.result,
                },
            )
        ],
        questionnaire=codes.SCREENING_QUESTIONNAIRE,
        status="completed",
        subject=ref("Patient", "patient", s.patient_id),
        authored=instant(s.screened_at),
        source=ref("Patient", "patient", s.patient_id),
        item=items,
    )


def read_screening(r: Resource, records: Records) -> None:
    p = parts(r, "screening")
    s = ScreeningRecord(
        patient=records.obj(r.get("subject"), "subject"),
        number=need(p, "number", "screening"),
        conditions=[
            code({"coding": [a.get("valueCoding")]}, codes.SCREENING_CODE, "conditions")
            for a in answers(r, "conditions")
        ],
        allergies=[a.get("valueString", "") for a in answers(r, "allergies")],
        pregnant=bool(answer(r, "pregnant", "valueBoolean")),
        breastfeeding=bool(answer(r, "breastfeeding", "valueBoolean")),
        mobility=code({"coding": [answer(r, "mobility", "valueCoding")]}, codes.MOBILITY, "mobility"),
        verdict=need(p, "verdict", "screening"),
        result=need(p, "result", "screening"),
        protocol_id=need(p, "protocol_id", "screening"),
        protocol_version=need(p, "protocol_version", "screening"),
        screened_at=when(get(r, "authored"), "authored"),
    )
    records.save(r, s)
