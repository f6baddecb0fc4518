"""Aftercare plans, follow-ups, adverse events, outcomes and check-ins as FHIR resources."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from scleropath.checkins.models import CheckIn, CheckInStatus
from scleropath.followup.models import AdverseEvent, AftercarePlan, FollowUp, FollowUpStatus, Outcome

from . import codes
from .common import Vocabulary, day, details, instant, quantity, ref, resource, rid

APPOINTMENT_STATUS = {
    FollowUpStatus.SCHEDULED: "booked",
    FollowUpStatus.DONE: "fulfilled",
    FollowUpStatus.MISSED: "noshow",
    FollowUpStatus.CANCELLED: "cancelled",
}
CHECK_IN_STATUS = {
    CheckInStatus.SCHEDULED: "in-progress",
    CheckInStatus.ANSWERED: "completed",
    CheckInStatus.MISSED: "stopped",
}


def aftercare(a: AftercarePlan, plan_id: int) -> dict[str, Any]:
    content = a.content
    activities = []
    compression = content.get("compression") or {}
    if compression.get("strength"):
        activities.append(
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "status": "not-started",
                    "description": compression["strength"],
                }
            }
        )
    for item in content.get("follow_up", []):
        activities.append(
            {
                "detail": {
                    "kind": "Appointment",
                    "status": "not-started",
                    "description": item.get("purpose", ""),
                }
            }
        )
    return resource(
        "CarePlan",
        rid("aftercare", a.pk),
        extension=[
            details(
                "aftercare",
                {
                    "protocol_id": a.protocol_id,
                    "protocol_version": a.protocol_version,
                    "handed_over_at": a.handed_over_at,
                },
                {"content": content},
            )
        ],
        basedOn=[ref("CarePlan", "plan", plan_id)],
        status="active",
        intent="plan",
        category=[codes.concept(codes.CARE_PLAN, "aftercare", "Aftercare after sclerotherapy")],
        title="Aftercare",
        subject=ref("Patient", "patient", a.patient_id),
        encounter=ref("Encounter", "session", a.session_id),
        activity=activities,
    )


def _start_of(d: Any) -> str:
    return instant(timezone.make_aware(datetime.combine(d, time.min)))


def follow_up(f: FollowUp, v: Vocabulary) -> dict[str, Any]:
    """An Appointment. A follow-up is due on a day (or a window of days), not at a time, so the
    appointment spans those whole days in the clinic's time zone."""
    last = f.window_end or f.due_on
    requested: dict[str, str] = {"start": day(f.due_on)}
    if f.window_end:
        requested["end"] = day(f.window_end)
    participants: list[dict[str, Any]] = [
        {"actor": ref("Patient", "patient", f.patient_id), "status": "accepted"}
    ]
    if f.done_by_id:
        participants.append({"actor": ref("Practitioner", "staff", f.done_by_id), "status": "accepted"})
    return resource(
        "Appointment",
        rid("followup", f.pk),
        extension=[details("follow-up", {"done_at": f.done_at})] if f.done_at else None,
        status=APPOINTMENT_STATUS[FollowUpStatus(f.status)],
        serviceType=[v.concept(codes.FOLLOW_UP, f.kind)],
        description=f.purpose,
        supportingInformation=[ref("Procedure", "session", f.session_id)] if f.session_id else None,
        start=_start_of(f.due_on),
        end=_start_of(last + timedelta(days=1)),
        comment=f.notes,
        participant=participants,
        requestedPeriod=[requested],
    )


def adverse_event(e: AdverseEvent, v: Vocabulary) -> dict[str, Any]:
    suspect = None
    if e.injection_id:
        suspect = [{"instance": ref("MedicationAdministration", "injection", e.injection_id)}]
    elif e.session_id:
        suspect = [{"instance": ref("Procedure", "session", e.session_id)}]
    return resource(
        "AdverseEvent",
        rid("event", e.pk),
        extension=[
            details(
                "adverse-event",
                {
                    "triage_level": e.triage_level,
                    "management": e.management,
                    "resolved_on": e.resolved_on,
                    "is_draft": e.is_draft,
                    "notes": e.notes,
                },
                {"triage": e.triage},
            )
        ],
        actuality="actual",
        event=v.concept(codes.SYMPTOM, e.symptom),
        subject=ref("Patient", "patient", e.patient_id),
        encounter=ref("Encounter", "session", e.session_id) if e.session_id else None,
        date=day(e.onset_on),
        severity=codes.concept(codes.AE_SEVERITY, e.severity, e.severity.capitalize()),
        outcome=codes.concept(codes.AE_OUTCOME, "resolved", "Resolved")
        if e.resolved_on
        else codes.concept(codes.AE_OUTCOME, "ongoing", "Ongoing"),
        suspectEntity=suspect,
    )


def _component(code: str, display: str, **value: Any) -> dict[str, Any]:
    return {"code": codes.concept(codes.OBSERVATION, code, display), **value}


def outcome(o: Outcome) -> dict[str, Any]:
    """A clinician's review as an Observation; the patient's own answers as a
    QuestionnaireResponse to the satisfaction questionnaire."""
    parts = {"area": o.area, "retreatment_needed": o.retreatment_needed}
    if o.reported_by_patient:
        items = [
            {"linkId": "recurrence", "answer": [{"valueBoolean": o.recurrence}]},
        ]
        if o.satisfaction is not None:
            items.insert(0, {"linkId": "satisfaction", "answer": [{"valueInteger": o.satisfaction}]})
        if o.notes:
            items.append({"linkId": "comment", "answer": [{"valueString": o.notes}]})
        return resource(
            "QuestionnaireResponse",
            rid("satisfaction", o.pk),
            extension=[details("outcome", parts)],
            questionnaire=codes.SATISFACTION_QUESTIONNAIRE,
            basedOn=[ref("CarePlan", "plan", o.plan_id)],
            status="completed",
            subject=ref("Patient", "patient", o.patient_id),
            authored=day(o.assessed_on),
            source=ref("Patient", "patient", o.patient_id),
            item=items,
        )
    components = []
    if o.clearance_percent is not None:
        components.append(
            _component(
                "clearance", "Clearance of the treated area", valueQuantity=quantity(o.clearance_percent, "%")
            )
        )
    if o.satisfaction is not None:
        components.append(
            _component("satisfaction", "Satisfaction (1 poor to 5)", valueInteger=o.satisfaction)
        )
    components.append(_component("recurrence", "Recurrence", valueBoolean=o.recurrence))
    components.append(
        _component("retreatment-needed", "Retreatment needed", valueBoolean=o.retreatment_needed)
    )
    return resource(
        "Observation",
        rid("outcome", o.pk),
        extension=[details("outcome", parts)],
        basedOn=[ref("CarePlan", "plan", o.plan_id)],
        status="final",
        category=[codes.concept(codes.OBSERVATION_CATEGORY, "exam", "Exam")],
        code=codes.concept(codes.OBSERVATION, "treatment-outcome", "Outcome of a treated area"),
        subject=ref("Patient", "patient", o.patient_id),
        focus=[ref("Condition", "finding", o.finding_id)] if o.finding_id else None,
        effectiveDateTime=day(o.assessed_on),
        bodySite={"text": o.area} if o.area else None,
        note=[{"text": o.notes}] if o.notes else None,
        component=components,
    )


def check_in(c: CheckIn, v: Vocabulary) -> dict[str, Any]:
    items = []
    symptoms = [
        {
            "valueCoding": v.coding(codes.SYMPTOM, a["code"]),
            "item": [
                {
                    "linkId": "triage-level",
                    "answer": [{"valueCoding": v.coding(codes.TRIAGE_LEVEL, a["level"])}],
                }
            ],
        }
        for a in c.answers
    ]
    if c.status == CheckInStatus.ANSWERED:
        items.append({"linkId": "symptoms", **({"answer": symptoms} if symptoms else {})})
    if c.comment:
        items.append({"linkId": "comment", "answer": [{"valueString": c.comment}]})
    return resource(
        "QuestionnaireResponse",
        rid("checkin", c.pk),
        extension=[
            details(
                "check-in",
                {"day": c.day, "purpose": c.purpose, "due_on": c.due_on, "worst_level": c.worst_level},
                {"answers": c.answers},
            )
        ],
        questionnaire=codes.CHECK_IN_QUESTIONNAIRE,
        partOf=[ref("Procedure", "session", c.session_id)],
        status=CHECK_IN_STATUS[CheckInStatus(c.status)],
        subject=ref("Patient", "patient", c.patient_id),
        authored=instant(c.answered_at) if c.answered_at else None,
        source=ref("Patient", "patient", c.patient_id),
        item=items,
    )
