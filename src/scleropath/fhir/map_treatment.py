"""Stock lots, treatment sessions and injections as FHIR resources, and each read back into its
record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scleropath.followup.models import ClinicalNote
from scleropath.treatment.models import Injection, SessionStatus, StockLot, TreatmentSession

from . import codes, map_notes
from .common import (
    Bad,
    Records,
    Resource,
    Vocabulary,
    code,
    day,
    decimal,
    details,
    get,
    instant,
    maybe_when,
    need,
    number,
    on,
    opt,
    parts,
    quantity,
    ref,
    reference,
    resource,
    rid,
    when,
)
from .map_assessments import AMBULATORY, body_site

# Sclerotherapy injects the sclerosant into the vein itself.
ROUTE = codes.coding(codes.ROUTE, "intravenous", "Into the vein")


def lot(s: StockLot, v: Vocabulary) -> dict[str, Any]:
    return resource(
        "Medication",
        rid("lot", s.pk),
        extension=[details("stock-lot", {"quantity": s.quantity, "received_on": s.received_on})],
        identifier=[{"system": codes.LOT_NUMBER, "value": f"{s.product}/{s.lot_number}"}],
        code=v.concept(codes.PRODUCT, s.product),
        status="active",
        ingredient=[
            {
                "itemCodeableConcept": v.concept(codes.AGENT, s.agent),
                "isActive": True,
                "strength": {
                    "numerator": quantity(s.concentration_percent, "%"),
                    "denominator": quantity(1, "1"),
                },
            }
        ],
        batch={"lotNumber": s.lot_number, "expirationDate": day(s.expiry_date)},
    )


def read_lot(r: Resource, records: Records) -> None:
    p = parts(r, "stock-lot")
    s = StockLot(
        product=code(r.get("code"), codes.PRODUCT, "code"),
        agent=code(opt(r, "ingredient", 0, "itemCodeableConcept"), codes.AGENT, "ingredient"),
        concentration_percent=decimal(
            get(r, "ingredient", 0, "strength", "numerator", "value"), "ingredient.strength"
        ),
        lot_number=get(r, "batch", "lotNumber"),
        expiry_date=on(get(r, "batch", "expirationDate"), "batch.expirationDate"),
        quantity=need(p, "quantity", "stock-lot"),
        received_on=on(need(p, "received_on", "stock-lot"), "received_on"),
    )
    records.save(r, s)


def _site(v: Vocabulary, i: Injection) -> dict[str, Any] | None:
    if i.finding is not None:
        return body_site(v, i.finding.side, i.finding.region)
    if i.side:
        return body_site(v, i.side, None)
    return None


def session(
    s: TreatmentSession, injections: list[Injection], v: Vocabulary, notes: Sequence[ClinicalNote] = ()
) -> list[dict[str, Any]]:
    """The visit as an Encounter and what was done in it as a Procedure, whose ``note`` holds the
    session's own notes (no author) and then the clinical notes written on it."""
    done = s.status == SessionStatus.COMPLETED
    period: dict[str, str] = {"start": instant(s.started_at)}
    if s.completed_at:
        period["end"] = instant(s.completed_at)
    encounter = resource(
        "Encounter",
        rid("session", s.pk),
        status="finished" if done else "in-progress",
        **{"class": AMBULATORY},
        type=[codes.concept(codes.ENCOUNTER, "treatment-session", "Sclerotherapy session")],
        subject=ref("Patient", "patient", s.patient_id),
        participant=[{"individual": ref("Practitioner", "staff", s.practitioner_id)}],
        period=period,
    )
    procedures: list[str] = []
    sites: list[dict[str, Any]] = []
    for i in injections:
        if i.procedure not in procedures:
            procedures.append(i.procedure)
        site = _site(v, i)
        if site is not None and site not in sites:
            sites.append(site)
    procedure = resource(
        "Procedure",
        rid("session", s.pk),
        extension=[
            details(
                "session",
                {"number": s.number, "scheduled_for": s.scheduled_for, "weight_kg": s.weight_kg},
            )
        ],
        basedOn=[ref("CarePlan", "plan", s.plan_id)],
        status="completed" if done else "in-progress",
        code={
            "coding": [v.coding(codes.PROCEDURE, p) for p in procedures] or None,
            "text": f"Sclerotherapy session {s.number}",
        },
        subject=ref("Patient", "patient", s.patient_id),
        encounter=ref("Encounter", "session", s.pk),
        performedPeriod=period,
        performer=[{"actor": ref("Practitioner", "staff", s.practitioner_id)}],
        bodySite=sites,
        note=([{"text": s.notes}] if s.notes else []) + map_notes.as_annotations(notes),
    )
    if not procedure["code"]["coding"]:
        del procedure["code"]["coding"]
    return [encounter, procedure]


def read_session(r: Resource, records: Records) -> None:
    """The Procedure, which stands for its Encounter too (the Encounter adds nothing to read)."""
    p = parts(r, "session")
    encounter = reference(r.get("encounter"), "encounter")
    if encounter not in records.by_id:
        raise Bad(f"encounter {encounter} is not in the bundle")
    s = TreatmentSession(
        plan=records.obj(opt(r, "basedOn", 0), "basedOn"),
        patient=records.obj(r.get("subject"), "subject"),
        number=need(p, "number", "session"),
        scheduled_for=maybe_when(p.get("scheduled_for"), "scheduled_for"),
        started_at=when(get(r, "performedPeriod", "start"), "performedPeriod.start"),
        completed_at=maybe_when(opt(r, "performedPeriod", "end"), "performedPeriod.end"),
        status=SessionStatus.COMPLETED if r.get("status") == "completed" else SessionStatus.OPEN,
        practitioner=records.obj(opt(r, "performer", 0, "actor"), "performer"),
        weight_kg=decimal(need(p, "weight_kg", "session"), "weight_kg"),
        notes=next((a.get("text", "") for a in r.get("note", []) if not map_notes.is_clinical_note(a)), ""),
    )
    records.save(r, s)
    records.made[encounter] = s
    map_notes.read_notes(r, records, s)


def injection(i: Injection, v: Vocabulary) -> dict[str, Any]:
    product = v.displays[codes.PRODUCT].get(i.product, i.product)
    dosage: dict[str, Any] = {
        "text": f"{number(i.volume_ml)} mL of {product} {number(i.concentration_percent)}% {i.form}",
        "route": {"coding": [ROUTE]},
        "method": v.concept(codes.FORM, i.form),
        "dose": quantity(i.volume_ml, "mL"),
    }
    site = _site(v, i)
    if site is not None:
        dosage["site"] = site
    return resource(
        "MedicationAdministration",
        rid("injection", i.pk),
        extension=[
            details(
                "injection",
                {
                    "procedure": i.procedure,
                    "agent": i.agent,
                    "product": i.product,
                    "concentration_percent": i.concentration_percent,
                    "foam_gas_parts": i.foam_gas_parts,
                    "needle_gauge": i.needle_gauge,
                    "side": i.side,
                    "view": i.view,
                    "x": i.x,
                    "y": i.y,
                    "override_reason": i.override_reason,
                    "limit_check": i.limit_check,
                },
            )
        ],
        partOf=[ref("Procedure", "session", i.session_id)],
        status="completed",
        category=v.concept(codes.PROCEDURE, i.procedure),
        medicationReference=ref("Medication", "lot", i.lot_id),
        subject=ref("Patient", "patient", i.session.patient_id),
        context=ref("Encounter", "session", i.session_id),
        effectiveDateTime=instant(i.given_at),
        performer=[{"actor": ref("Practitioner", "staff", i.given_by_id)}],
        reasonReference=[ref("Condition", "finding", i.finding_id)] if i.finding_id else None,
        dosage=dosage,
    )


def read_injection(r: Resource, records: Records) -> None:
    p = parts(r, "injection")
    i = Injection(
        session=records.obj(opt(r, "partOf", 0), "partOf"),
        finding=records.maybe_obj(opt(r, "reasonReference", 0), "reasonReference"),
        view=p.get("view", ""),
        x=p.get("x"),
        y=p.get("y"),
        side=p.get("side", ""),
        procedure=need(p, "procedure", "injection"),
        agent=need(p, "agent", "injection"),
        product=need(p, "product", "injection"),
        form=code(opt(r, "dosage", "method"), codes.FORM, "dosage.method"),
        concentration_percent=decimal(need(p, "concentration_percent", "injection"), "concentration_percent"),
        volume_ml=decimal(get(r, "dosage", "dose", "value"), "dosage.dose"),
        foam_gas_parts=None
        if p.get("foam_gas_parts") is None
        else decimal(p["foam_gas_parts"], "foam_gas_parts"),
        needle_gauge=p.get("needle_gauge"),
        lot=records.obj(r.get("medicationReference"), "medicationReference"),
        given_at=when(get(r, "effectiveDateTime"), "effectiveDateTime"),
        given_by=records.obj(opt(r, "performer", 0, "actor"), "performer"),
        override_reason=p.get("override_reason", ""),
        limit_check=p.get("limit_check", {}),
    )
    records.save(r, i)
