"""Assessments, vein findings, leg scores (CEAP, VCSS), treatment plans and consent as FHIR."""

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
from .common import Vocabulary, details, instant, quantity, ref, resource, rid, simple_ext

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
                },
                {"engine_answer": p.engine_answer, "overrides": p.overrides},
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
