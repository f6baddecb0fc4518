"""Aftercare plans, follow-ups, adverse events, outcomes and check-ins as FHIR resources, and each
read back into its record."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from scleropath.checkins.models import CheckIn, CheckInStatus
from scleropath.followup.models import AdverseEvent, AftercarePlan, FollowUp, FollowUpStatus, Outcome

from . import codes
from .common import (
    Records,
    Resource,
    Vocabulary,
    answer,
    code,
    day,
    details,
    get,
    instant,
    maybe_on,
    maybe_when,
    need,
    on,
    opt,
    parts,
    quantity,
    question,
    ref,
    reference,
    resource,
    rid,
    status_from,
)

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
                    "content": content,
                },
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


def read_aftercare(r: Resource, records: Records) -> None:
    p = parts(r, "aftercare")
    a = AftercarePlan(
        session=records.obj(r.get("encounter"), "encounter"),
        patient=records.obj(r.get("subject"), "subject"),
        content=need(p, "content", "aftercare"),
        protocol_id=need(p, "protocol_id", "aftercare"),
        protocol_version=need(p, "protocol_version", "aftercare"),
        handed_over_at=maybe_when(p.get("handed_over_at"), "handed_over_at"),
    )
    records.save(r, a)


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


def read_follow_up(r: Resource, records: Records) -> None:
    """The Appointment's requested period gives the due day (or window); its participants, the
    patient and whoever saw them."""
    p = parts(r, "follow-up", required=False)
    follow_up_status = status_from(r.get("status"), APPOINTMENT_STATUS, "a follow-up")
    actors = [reference(get(x, "actor"), "participant") for x in r.get("participant", [])]
    patient = next((a for a in actors if a.startswith("Patient/")), None)
    staff = next((a for a in actors if a.startswith("Practitioner/")), None)
    f = FollowUp(
        patient=records.obj({"reference": patient} if patient else None, "participant (the patient)"),
        session=records.maybe_obj(opt(r, "supportingInformation", 0), "supportingInformation"),
        kind=code(opt(r, "serviceType", 0), codes.FOLLOW_UP, "serviceType"),
        purpose=r.get("description", ""),
        due_on=on(get(r, "requestedPeriod", 0, "start"), "requestedPeriod.start"),
        window_end=maybe_on(opt(r, "requestedPeriod", 0, "end"), "requestedPeriod.end"),
        status=follow_up_status,
        done_at=maybe_when(p.get("done_at"), "done_at"),
        done_by=records.maybe_obj({"reference": staff} if staff else None, "participant"),
        notes=r.get("comment", ""),
    )
    records.save(r, f)


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
                    "triage": e.triage,
                },
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


def read_adverse_event(r: Resource, records: Records) -> None:
    p = parts(r, "adverse-event")
    suspect = opt(r, "suspectEntity", 0, "instance")
    injection = None
    if suspect is not None and reference(suspect, "suspectEntity").startswith("MedicationAdministration/"):
        injection = records.obj(suspect, "suspectEntity")
    e = AdverseEvent(
        patient=records.obj(r.get("subject"), "subject"),
        session=records.maybe_obj(r.get("encounter"), "encounter"),
        injection=injection,
        symptom=code(r.get("event"), codes.SYMPTOM, "event"),
        onset_on=on(get(r, "date"), "date"),
        severity=code(r.get("severity"), codes.AE_SEVERITY, "severity"),
        triage_level=need(p, "triage_level", "adverse-event"),
        triage=need(p, "triage", "adverse-event"),
        management=p.get("management", ""),
        resolved_on=maybe_on(p.get("resolved_on"), "resolved_on"),
        is_draft=p.get("is_draft", False),
        notes=p.get("notes", ""),
    )
    records.save(r, e)


def _component(code: str, display: str, **value: Any) -> dict[str, Any]:
    return {"code": codes.concept(codes.OBSERVATION, code, display), **value}


def outcome(o: Outcome) -> dict[str, Any]:
    """A clinician's review as an Observation; the patient's own answers as a
    QuestionnaireResponse to the satisfaction questionnaire."""
    fields = {"area": o.area, "retreatment_needed": o.retreatment_needed}
    if o.reported_by_patient:
        items = [question("recurrence", [{"valueBoolean": o.recurrence}])]
        if o.satisfaction is not None:
            items.insert(0, question("satisfaction", [{"valueInteger": o.satisfaction}]))
        if o.notes:
            items.append(question("comment", [{"valueString": o.notes}]))
        return resource(
            "QuestionnaireResponse",
            rid("satisfaction", o.pk),
            extension=[details("outcome", fields)],
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
        extension=[details("outcome", fields)],
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


def read_outcome(r: Resource, records: Records) -> None:
    """A clinician's review, from its Observation's components."""
    p = parts(r, "outcome")
    values: dict[str, Any] = {}
    for c in r.get("component", []):
        name = codes.code_of(c.get("code"), codes.OBSERVATION)
        values[str(name)] = c.get("valueBoolean", c.get("valueInteger", opt(c, "valueQuantity", "value")))
    o = Outcome(
        patient=records.obj(r.get("subject"), "subject"),
        plan=records.obj(opt(r, "basedOn", 0), "basedOn"),
        finding=records.maybe_obj(opt(r, "focus", 0), "focus"),
        area=need(p, "area", "outcome"),
        assessed_on=on(get(r, "effectiveDateTime"), "effectiveDateTime"),
        clearance_percent=values.get("clearance"),
        reported_by_patient=False,
        satisfaction=values.get("satisfaction"),
        recurrence=bool(values.get("recurrence")),
        retreatment_needed=bool(need(p, "retreatment_needed", "outcome")),
        notes=opt(r, "note", 0, "text") or "",
    )
    records.save(r, o)


def read_satisfaction(r: Resource, records: Records) -> None:
    """The patient's own answers, from the satisfaction QuestionnaireResponse."""
    p = parts(r, "outcome")
    o = Outcome(
        patient=records.obj(r.get("subject"), "subject"),
        plan=records.obj(opt(r, "basedOn", 0), "basedOn"),
        area=need(p, "area", "outcome"),
        assessed_on=on(get(r, "authored"), "authored"),
        reported_by_patient=True,
        satisfaction=answer(r, "satisfaction", "valueInteger"),
        recurrence=bool(answer(r, "recurrence", "valueBoolean")),
        retreatment_needed=bool(need(p, "retreatment_needed", "outcome")),
        notes=answer(r, "comment", "valueString") or "",
    )
    records.save(r, o)


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
        items.append(question("symptoms", symptoms))
    if c.comment:
        items.append(question("comment", [{"valueString": c.comment}]))
    return resource(
        "QuestionnaireResponse",
        rid("checkin", c.pk),
        extension=[
            details(
                "check-in",
                {
                    "day": c.day,
                    "purpose": c.purpose,
                    "due_on": c.due_on,
                    "worst_level": c.worst_level,
                    "answers": c.answers,
                },
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


def read_check_in(r: Resource, records: Records) -> None:
    p = parts(r, "check-in")
    check_in_status = status_from(r.get("status"), CHECK_IN_STATUS, "a check-in")
    c = CheckIn(
        patient=records.obj(r.get("subject"), "subject"),
        session=records.obj(opt(r, "partOf", 0), "partOf"),
        day=need(p, "day", "check-in"),
        purpose=need(p, "purpose", "check-in"),
        due_on=on(need(p, "due_on", "check-in"), "due_on"),
        status=check_in_status,
        answered_at=maybe_when(r.get("authored"), "authored"),
        answers=p.get("answers", []),
        worst_level=p.get("worst_level", ""),
        comment=answer(r, "comment", "valueString") or "",
    )
    records.save(r, c)
