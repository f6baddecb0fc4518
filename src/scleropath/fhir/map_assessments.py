"""Assessments, vein findings, leg scores (CEAP, VCSS), treatment plans and consent as FHIR, and
each read back into its record."""

from __future__ import annotations

import base64
from typing import Any

from scleropath.assessments.models import (
    Assessment,
    Consent,
    LegScore,
    PlanStatus,
    TreatmentPlan,
    VeinFinding,
)
from scleropath.protocol.vocabulary import VCSS_ITEMS

from . import codes
from .common import (
    Bad,
    Records,
    Resource,
    Vocabulary,
    code,
    codes_in,
    decimal,
    details,
    get,
    instant,
    key,
    kind_of,
    maybe_when,
    need,
    opt,
    parts,
    quantity,
    ref,
    reference,
    resource,
    rid,
    simple_ext,
    status_from,
    when,
)

AMBULATORY = codes.coding(codes.ACT_CODE, "AMB", "ambulatory")
PLAN_STATUS = {
    PlanStatus.DRAFT: "draft",
    PlanStatus.APPROVED: "active",
    PlanStatus.SUPERSEDED: "revoked",
    PlanStatus.COMPLETED: "completed",
}
ACTIVITY_STATUS = {
    "draft": "not-started",
    "active": "not-started",
    "revoked": "cancelled",
    "completed": "completed",
}
CONSENT_POLICY = f"{codes.BASE}/consent-text"


def body_site(v: Vocabulary, side: str, region: str | None) -> dict[str, Any]:
    """A body site: the protocol's region (when known) with the side as a laterality extension."""
    if region:
        site = v.concept(codes.REGION, region)
        site["extension"] = [simple_ext(codes.X_LATERALITY, v.coding(codes.LATERALITY, side))]
        return site
    return v.concept(codes.LATERALITY, side)


def leg(v: Vocabulary, side: str) -> dict[str, Any]:
    site = v.concept(codes.LATERALITY, side)
    site["text"] = f"{side.capitalize()} leg"
    return site


def laterality(site: Any, what: str) -> str:
    """The side of a :func:`body_site` or a :func:`leg`: our laterality extension on a region, or
    a laterality coding."""
    if isinstance(site, dict):
        for e in site.get("extension", []):
            side = codes.code_of({"coding": [e.get("valueCoding") or {}]}, codes.LATERALITY)
            if e.get("url") == codes.X_LATERALITY and side in ("left", "right"):
                return str(side)
        side = codes.code_of(site, codes.LATERALITY)
        if side in ("left", "right"):
            return str(side)
    raise Bad(f"{what} has no side")


def assessment_encounter(a: Assessment) -> dict[str, Any]:
    return resource(
        "Encounter",
        rid("assessment", a.pk),
        extension=[details("assessment", {"notes": a.notes})] if a.notes else None,
        status="finished",
        **{"class": AMBULATORY},
        type=[codes.concept(codes.ENCOUNTER, "assessment", "Vein assessment")],
        subject=ref("Patient", "patient", a.patient_id),
        participant=[{"individual": ref("Practitioner", "staff", a.clinician_id)}],
        period={"start": instant(a.assessed_at)},
    )


def read_assessment(r: Resource, records: Records) -> None:
    a = Assessment(
        patient=records.obj(r.get("subject"), "subject"),
        assessed_at=when(get(r, "period", "start"), "period.start"),
        clinician=records.obj(opt(r, "participant", 0, "individual"), "participant"),
        notes=parts(r, "assessment", required=False).get("notes", ""),
    )
    records.save(r, a)


def finding(f: VeinFinding, a: Assessment, v: Vocabulary) -> list[dict[str, Any]]:
    """The finding as a Condition, and its measured diameter as an Observation."""
    condition = resource(
        "Condition",
        rid("finding", f.pk),
        extension=[
            details(
                "vein-finding",
                {
                    "label": f.label,
                    "view": f.view,
                    "x": f.x,
                    "y": f.y,
                    "depth": f.depth,
                    "named_vein": f.named_vein,
                    "reflux": f.reflux,
                    "recurrent": f.recurrent,
                    "visible": f.visible,
                    "bleeding": f.bleeding,
                    "engine_class": f.engine_class,
                    "clinician_class": f.clinician_class,
                    "override_reason": f.override_reason,
                },
            )
        ],
        clinicalStatus=codes.concept(codes.CONDITION_CLINICAL, "active", "Active"),
        verificationStatus=codes.concept(codes.CONDITION_VERIFICATION, "confirmed", "Confirmed"),
        category=[codes.concept(codes.CONDITION, "vein-finding", "Vein finding")],
        code={**v.concept(codes.VESSEL_CLASS, f.vessel_class), "text": f.label},
        bodySite=[body_site(v, f.side, f.region)],
        subject=ref("Patient", "patient", a.patient_id),
        encounter=ref("Encounter", "assessment", a.pk),
        recordedDate=instant(a.assessed_at),
        recorder=ref("Practitioner", "staff", a.clinician_id),
        evidence=[{"detail": [ref("Observation", "diameter", f.pk)]}] if f.diameter_mm is not None else None,
    )
    out = [condition]
    if f.diameter_mm is not None:
        out.append(
            resource(
                "Observation",
                rid("diameter", f.pk),
                status="final",
                category=[codes.concept(codes.OBSERVATION_CATEGORY, "exam", "Exam")],
                code=codes.concept(codes.OBSERVATION, "vein-diameter", "Vein diameter"),
                subject=ref("Patient", "patient", a.patient_id),
                encounter=ref("Encounter", "assessment", a.pk),
                focus=[ref("Condition", "finding", f.pk)],
                effectiveDateTime=instant(a.assessed_at),
                bodySite=body_site(v, f.side, f.region),
                valueQuantity=quantity(f.diameter_mm, "mm"),
            )
        )
    return out


def read_finding(r: Resource, records: Records) -> None:
    """The Condition, with the diameter from the Observation its evidence names."""
    p = parts(r, "vein-finding")
    site = get(r, "bodySite", 0)
    diameter = None
    for detail in opt(r, "evidence", 0, "detail") or []:
        obs = records.by_id.get(reference(detail, "evidence"))
        if obs is not None and kind_of(obs) == "Observation:vein-diameter":
            diameter = decimal(get(obs, "valueQuantity", "value"), "diameter")
    f = VeinFinding(
        assessment=records.obj(r.get("encounter"), "encounter"),
        label=need(p, "label", "vein-finding"),
        side=laterality(site, "bodySite"),
        region=code(site, codes.REGION, "bodySite"),
        view=need(p, "view", "vein-finding"),
        x=need(p, "x", "vein-finding"),
        y=need(p, "y", "vein-finding"),
        diameter_mm=diameter,
        depth=p.get("depth", ""),
        named_vein=p.get("named_vein", ""),
        reflux=p.get("reflux"),
        recurrent=p.get("recurrent", False),
        visible=p.get("visible", True),
        bleeding=p.get("bleeding", False),
        engine_class=need(p, "engine_class", "vein-finding"),
        clinician_class=p.get("clinician_class", ""),
        override_reason=p.get("override_reason", ""),
    )
    records.save(r, f)


def leg_score(s: LegScore, a: Assessment, v: Vocabulary) -> list[dict[str, Any]]:
    """CEAP and VCSS for one leg as two Observations, and the leg's venous disease (when CEAP is
    above C0) as a Condition staged by its CEAP class."""
    common = {
        "status": "final",
        "category": [codes.concept(codes.OBSERVATION_CATEGORY, "survey", "Survey")],
        "subject": ref("Patient", "patient", a.patient_id),
        "encounter": ref("Encounter", "assessment", a.pk),
        "effectiveDateTime": instant(a.assessed_at),
        "performer": [ref("Practitioner", "staff", a.clinician_id)],
        "bodySite": leg(v, s.side),
    }
    ceap = resource(
        "Observation",
        rid("ceap", s.pk),
        **common,
        code=codes.concept(codes.OBSERVATION, "ceap-clinical-class", "CEAP clinical class"),
        valueCodeableConcept=v.concept(codes.CEAP_CLASS, s.ceap_highest),
        component=[
            {
                "code": codes.concept(codes.OBSERVATION, "ceap-class-present", "CEAP class present"),
                "valueCodeableConcept": v.concept(codes.CEAP_CLASS, c),
            }
            for c in s.ceap_classes
        ]
        + [
            {
                "code": codes.concept(codes.OBSERVATION, "ceap-sign", "CEAP clinical sign"),
                "valueCodeableConcept": codes.concept(codes.CEAP_SIGN, sign),
            }
            for sign in s.ceap_signs
        ],
    )
    vcss = resource(
        "Observation",
        rid("vcss", s.pk),
        **common,
        code=codes.concept(codes.OBSERVATION, "vcss-total", "Revised VCSS total"),
        valueInteger=s.vcss_total,
        component=[
            {"code": v.concept(codes.VCSS_ITEM, item), "valueInteger": s.vcss_items[item]}
            for item in _in_item_order(s.vcss_items)
        ],
    )
    out = [ceap, vcss]
    if s.ceap_highest != "C0":
        out.append(
            resource(
                "Condition",
                rid("leg", s.pk),
                clinicalStatus=codes.concept(codes.CONDITION_CLINICAL, "active", "Active"),
                verificationStatus=codes.concept(codes.CONDITION_VERIFICATION, "confirmed", "Confirmed"),
                category=[codes.concept(codes.CONDITION, "leg-venous-disease", "Venous disease of a leg")],
                code=codes.concept(codes.CONDITION, "chronic-venous-disease", "Chronic venous disease"),
                bodySite=[leg(v, s.side)],
                subject=ref("Patient", "patient", a.patient_id),
                encounter=ref("Encounter", "assessment", a.pk),
                recordedDate=instant(a.assessed_at),
                stage=[
                    {
                        "summary": v.concept(codes.CEAP_CLASS, s.ceap_highest),
                        "assessment": [ref("Observation", "ceap", s.pk)],
                        "type": codes.concept(
                            codes.OBSERVATION, "ceap-clinical-class", "CEAP clinical class"
                        ),
                    }
                ],
                evidence=[{"detail": [ref("Observation", "vcss", s.pk)]}],
            )
        )
    return out


def _in_item_order(items: dict[str, int]) -> list[str]:
    """VCSS item ids in the scale's order (PostgreSQL's JSON keeps keys in an order of its own)."""
    known = [i for i in VCSS_ITEMS if i in items]
    return known + sorted(set(items) - set(known))


def read_leg_score(vcss: Resource, records: Records) -> None:
    """The VCSS Observation, with the CEAP Observation of the same leg at the same assessment (the
    leg's Condition is derived from the CEAP class, so nothing is read from it)."""
    side = laterality(vcss.get("bodySite"), "bodySite")
    encounter = reference(vcss.get("encounter"), "encounter")
    ceap = next(
        (
            o
            for o in records.found
            if kind_of(o) == "Observation:ceap-clinical-class"
            and opt(o, "encounter", "reference") == encounter
            and laterality(o.get("bodySite"), "bodySite") == side
        ),
        None,
    )
    if ceap is None:
        raise Bad(f"no CEAP Observation for the {side} leg at {encounter}")
    components = ceap.get("component", [])

    def present(kind: str, system: str) -> list[str]:
        return [
            code(c.get("valueCodeableConcept"), system, "component")
            for c in components
            if codes.code_of(c.get("code"), codes.OBSERVATION) == kind
        ]

    s = LegScore(
        assessment=records.obj(vcss.get("encounter"), "encounter"),
        side=side,
        ceap_signs=present("ceap-sign", codes.CEAP_SIGN),
        ceap_classes=present("ceap-class-present", codes.CEAP_CLASS),
        ceap_highest=code(ceap.get("valueCodeableConcept"), codes.CEAP_CLASS, "valueCodeableConcept"),
        vcss_items={
            code(c.get("code"), codes.VCSS_ITEM, "component"): get(c, "valueInteger")
            for c in vcss.get("component", [])
        },
        vcss_total=get(vcss, "valueInteger"),
    )
    records.save(vcss, s)
    records.made[key(ceap)] = s


def treatment_plan(p: TreatmentPlan, findings_by_label: dict[str, int], v: Vocabulary) -> dict[str, Any]:
    status = PLAN_STATUS.get(PlanStatus(p.status), "unknown")
    activities = []
    addresses = []
    for item in p.engine_answer.get("findings", []):
        label = item["id"]
        procedure = p.overrides.get(label, {}).get("procedure", item["procedure"])
        detail: dict[str, Any] = {
            "kind": "ServiceRequest",
            "code": v.concept(codes.PROCEDURE, procedure),
            "status": ACTIVITY_STATUS[status],
            "description": f"{label}: {item.get('reason') or procedure}",
        }
        if label in findings_by_label:
            detail["reasonReference"] = [ref("Condition", "finding", findings_by_label[label])]
            addresses.append(ref("Condition", "finding", findings_by_label[label]))
        activities.append({"detail": detail})
    return resource(
        "CarePlan",
        rid("plan", p.pk),
        extension=[
            details(
                "treatment-plan",
                {
                    "protocol_id": p.protocol_id,
                    "protocol_version": p.protocol_version,
                    "clinic_protocol_id": p.clinic_protocol_id,
                    "clinic_protocol_version": p.clinic_protocol_version,
                    "approved_at": p.approved_at,
                    "engine_answer": p.engine_answer,
                    "overrides": p.overrides,
                },
            )
        ],
        status=status,
        intent="plan",
        category=[codes.concept(codes.CARE_PLAN, "treatment", "Sclerotherapy treatment plan")],
        title="Treatment plan",
        subject=ref("Patient", "patient", p.patient_id),
        encounter=ref("Encounter", "assessment", p.assessment_id),
        author=ref("Practitioner", "staff", p.approved_by_id) if p.approved_by_id else None,
        addresses=addresses,
        activity=activities,
    )


def read_treatment_plan(r: Resource, records: Records) -> None:
    p = parts(r, "treatment-plan")
    plan_status = status_from(r.get("status"), PLAN_STATUS, "a treatment plan")
    t = TreatmentPlan(
        assessment=records.obj(r.get("encounter"), "encounter"),
        patient=records.obj(r.get("subject"), "subject"),
        status=plan_status,
        engine_answer=need(p, "engine_answer", "treatment-plan"),
        protocol_id=need(p, "protocol_id", "treatment-plan"),
        protocol_version=need(p, "protocol_version", "treatment-plan"),
        clinic_protocol_id=p.get("clinic_protocol_id", ""),
        clinic_protocol_version=p.get("clinic_protocol_version", ""),
        overrides=p.get("overrides", {}),
        approved_by=records.maybe_obj(r.get("author"), "author"),
        approved_at=maybe_when(p.get("approved_at"), "approved_at"),
    )
    records.save(r, t)


def consent(c: Consent, v: Vocabulary) -> dict[str, Any]:
    return resource(
        "Consent",
        rid("consent", c.pk),
        extension=[
            details(
                "consent",
                {
                    "text_version": c.text_version,
                    "text_sha256": c.text_sha256,
                    "taken_by": ref("Practitioner", "staff", c.taken_by_id),
                },
            )
        ],
        status="active",
        scope=codes.concept(codes.CONSENT_SCOPE, "treatment", "Treatment"),
        category=[codes.concept(codes.CONSENT_CATEGORY, "sclerotherapy", "Consent to sclerotherapy")],
        patient=ref("Patient", "patient", c.patient_id),
        dateTime=instant(c.consented_at),
        performer=[ref("Patient", "patient", c.patient_id)],
        sourceAttachment={
            "contentType": "text/plain; charset=utf-8",
            "data": base64.b64encode(c.text.encode()).decode(),
            "title": f"Consent text version {c.text_version}",
        },
        policy=[{"uri": f"{CONSENT_POLICY}/{c.text_version}"}],
        verification=[
            {"verified": c.patient_confirmed, "verifiedWith": ref("Patient", "patient", c.patient_id)}
        ],
        provision={
            "type": "permit",
            "code": [v.concept(codes.PROCEDURE, p) for p in c.procedures],
            "data": [{"meaning": "related", "reference": ref("CarePlan", "plan", c.plan_id)}],
        },
    )


def read_consent(r: Resource, records: Records) -> None:
    p = parts(r, "consent")
    try:
        text = base64.b64decode(get(r, "sourceAttachment", "data"), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise Bad("sourceAttachment.data is not base64 UTF-8 text") from None
    c = Consent(
        plan=records.obj(opt(r, "provision", "data", 0, "reference"), "provision.data"),
        patient=records.obj(r.get("patient"), "patient"),
        text_version=need(p, "text_version", "consent"),
        text=text,
        text_sha256=need(p, "text_sha256", "consent"),
        procedures=codes_in(opt(r, "provision", "code"), codes.PROCEDURE),
        consented_at=when(get(r, "dateTime"), "dateTime"),
        taken_by=records.obj(need(p, "taken_by", "consent"), "taken_by"),
        patient_confirmed=bool(opt(r, "verification", 0, "verified")),
    )
    records.save(r, c)
