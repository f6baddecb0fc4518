"""Assessment services: findings on the leg map, leg scores, planning through the engine, consent."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scleropath.accounts.permissions import Action, require
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.core.services import validation_error_from
from scleropath.patients.models import Patient
from scleropath.patients.services import engine_patient
from scleropath.protocol import InputError
from scleropath.protocol.vocabulary import TREATING_PROCEDURES

from .consent import CONSENT_TEXT_VERSION, consent_text, text_hash
from .models import Assessment, Consent, LegScore, PlanStatus, TreatmentPlan, VeinFinding

if TYPE_CHECKING:
    from scleropath.accounts.models import User


@transaction.atomic
def create_assessment(
    user: User,
    patient: Patient,
    notes: str = "",
    at: datetime | None = None,
    carry_forward: bool = False,
) -> Assessment:
    """A new assessment of ``patient``. With ``carry_forward`` it starts from the findings of the
    patient's last assessment, copied as new findings marked as carried from theirs, for the
    clinician to check, change or remove: re-assessing is not retyping.

    The patient's row is locked first (on PostgreSQL; SQLite's IMMEDIATE transaction already holds
    the write lock), so two assessments started at once each copy the last one into themselves,
    one after the other.
    """
    require(user, Action.ASSESS)
    previous: Assessment | None = None
    if carry_forward:
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        previous = Assessment.objects.active().filter(patient=patient).order_by("-assessed_at", "-id").first()
    assessment = Assessment.objects.create(
        clinic_id=patient.clinic_id,
        created_by=user,
        patient=patient,
        clinician=user,
        notes=notes,
        assessed_at=at or timezone.now(),
    )
    if previous is not None:
        for finding in previous.findings.active().order_by("id"):
            _carry(user, assessment, finding)
    return assessment


def _carry(user: User, assessment: Assessment, finding: VeinFinding) -> VeinFinding:
    """A copy of ``finding`` on ``assessment``, classified afresh by the engine of today."""
    data = finding_fields(finding)
    return add_finding(user, assessment, label=finding.label, carried_from=finding, **data)


def finding_fields(finding: VeinFinding) -> dict[str, Any]:
    """A finding's measurements and position as ``add_finding`` takes them."""
    return {
        "side": finding.side,
        "region": finding.region,
        "view": finding.view,
        "x": finding.x,
        "y": finding.y,
        "diameter_mm": finding.diameter_mm,
        "depth": finding.depth,
        "named_vein": finding.named_vein,
        "reflux": finding.reflux,
        "recurrent": finding.recurrent,
        "visible": finding.visible,
        "bleeding": finding.bleeding,
        "clinician_class": finding.clinician_class,
        "override_reason": finding.override_reason,
    }


def engine_finding(label: str, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": label, "side": data["side"]}
    for key in ("region", "depth", "named_vein"):
        if data.get(key):
            out[key] = data[key]
    if data.get("diameter_mm") is not None:
        out["diameter_mm"] = float(data["diameter_mm"])
    for key in ("reflux", "recurrent", "visible", "bleeding"):
        if key in data and data[key] is not None:
            out[key] = data[key]
    if data.get("clinician_class"):
        out["vessel"] = data["clinician_class"]
    return out


def finding_as_engine_input(finding: VeinFinding) -> dict[str, Any]:
    return engine_finding(
        finding.label,
        {
            "side": finding.side,
            "region": finding.region,
            "depth": finding.depth,
            "named_vein": finding.named_vein,
            "diameter_mm": finding.diameter_mm,
            "reflux": finding.reflux,
            "recurrent": finding.recurrent,
            "visible": finding.visible,
            "bleeding": finding.bleeding,
            "clinician_class": finding.clinician_class,
        },
    )


def next_label(assessment: Assessment, side: str) -> str:
    """The next free map label (L1, R2, ...), numbered across both legs of the assessment.

    The assessment row is locked first, so two findings added at once cannot take the same number.
    """
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    numbers = [
        int(label[1:]) for label in assessment.findings.values_list("label", flat=True) if label[1:].isdigit()
    ]
    return f"{'L' if side == 'left' else 'R'}{max(numbers, default=0) + 1}"


def _classified(assessment: Assessment, label: str, data: dict[str, Any]) -> tuple[str, str, str]:
    """The engine's class for a finding, the clinician's differing class (or "") and its reason.

    A class set by the clinician that differs from the engine's needs an override reason.
    """
    engine = engine_for(assessment.patient.clinic)
    try:
        derived = engine.classify(engine_finding(label, {**data, "clinician_class": None}))
    except InputError as exc:
        raise validation_error_from(exc) from None
    clinician_class = data.get("clinician_class") or ""
    reason = (data.get("override_reason") or "").strip()
    if clinician_class and clinician_class != derived.vessel_class and not reason:
        raise ValidationError(
            {"override_reason": "Give a reason for classing this vein differently from the engine."}
        )
    if clinician_class:
        try:
            engine.classify(engine_finding(label, data))
        except InputError as exc:
            raise validation_error_from(exc) from None
    if clinician_class == derived.vessel_class:
        return derived.vessel_class, "", ""
    return derived.vessel_class, clinician_class, reason if clinician_class else ""


def _set_measurements(finding: VeinFinding, data: dict[str, Any]) -> None:
    finding.side = data["side"]
    finding.region = data.get("region") or ""
    finding.view = data.get("view") or "front"
    finding.x = data.get("x", 0.5)
    finding.y = data.get("y", 0.5)
    diameter = data.get("diameter_mm")
    finding.diameter_mm = Decimal(str(diameter)) if diameter is not None else None
    finding.depth = data.get("depth") or ""
    finding.named_vein = data.get("named_vein") or ""
    finding.reflux = data.get("reflux")
    finding.recurrent = bool(data.get("recurrent", False))
    finding.visible = bool(data.get("visible", True))
    finding.bleeding = bool(data.get("bleeding", False))


@transaction.atomic
def add_finding(user: User, assessment: Assessment, **data: Any) -> VeinFinding:
    """Place a vein finding on the leg map; the engine classifies it at once.

    A class set by the clinician that differs from the engine's needs an override reason.
    """
    require(user, Action.ASSESS)
    carried_from = data.pop("carried_from", None)
    label = data.pop("label", None) or next_label(assessment, data.get("side", ""))
    engine_class, clinician_class, reason = _classified(assessment, label, data)
    finding = VeinFinding(
        clinic_id=assessment.clinic_id,
        created_by=user,
        assessment=assessment,
        label=label,
        engine_class=engine_class,
        clinician_class=clinician_class,
        override_reason=reason,
        carried_from=carried_from,
    )
    _set_measurements(finding, data)
    finding.full_clean()
    finding.save()
    return finding


def _check_open(finding: VeinFinding) -> None:
    """Findings are fixed once a plan rests on them; a new plan needs a new assessment."""
    if finding.is_voided:
        raise RecordError(f"Finding {finding.label} has been removed.")
    plans = TreatmentPlan.objects.active().filter(assessment_id=finding.assessment_id)
    if plans.exclude(status=PlanStatus.SUPERSEDED).exists():
        raise RecordError(
            f"Finding {finding.label} is part of a treatment plan and can no longer change; "
            "start a new assessment instead."
        )


@transaction.atomic
def change_finding(user: User, finding: VeinFinding, **data: Any) -> VeinFinding:
    """Correct a finding's measurements (a carried one, checked against the leg today); the engine
    classifies it again. Its label and its link to the finding it was carried from stay."""
    require(user, Action.ASSESS)
    _check_open(finding)
    engine_class, clinician_class, reason = _classified(finding.assessment, finding.label, data)
    _set_measurements(finding, data)
    finding.engine_class = engine_class
    finding.clinician_class = clinician_class
    finding.override_reason = reason
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def remove_finding(user: User, finding: VeinFinding, reason: str) -> None:
    """Take a finding off its assessment (voided with the reason, kept for the record)."""
    require(user, Action.ASSESS)
    _check_open(finding)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this finding is removed."})
    finding.void(user, reason)


@transaction.atomic
def score_leg(
    user: User, assessment: Assessment, side: str, ceap_signs: list[str], vcss_items: dict[str, Any]
) -> LegScore:
    """CEAP and revised VCSS for one leg, computed by the engine (replaces an earlier score)."""
    require(user, Action.ASSESS)
    engine = engine_for(assessment.patient.clinic)
    try:
        ceap = engine.ceap({"signs": ceap_signs})
        vcss = engine.vcss({"items": vcss_items})
    except InputError as exc:
        raise validation_error_from(exc) from None
    LegScore.objects.active().filter(assessment=assessment, side=side).update(
        voided_at=timezone.now(), voided_by=user, void_reason="Replaced by a new score"
    )
    # The unique (assessment, side) constraint covers voided rows too, so a rescore reuses the row.
    score, _ = LegScore.objects.update_or_create(
        assessment=assessment,
        side=side,
        defaults={
            "clinic_id": assessment.clinic_id,
            "created_by": user,
            "ceap_signs": list(ceap_signs),
            "ceap_classes": ceap.c_classes,
            "ceap_highest": ceap.highest,
            "vcss_items": {i.item: i.score for i in vcss.items},
            "vcss_total": vcss.total,
            "voided_at": None,
            "voided_by": None,
            "void_reason": "",
        },
    )
    return score


@transaction.atomic
def plan_assessment(
    user: User, assessment: Assessment, planned: dict[str, Any] | None = None
) -> TreatmentPlan:
    """Ask the engine for a plan and freeze it, with the protocol it came from, as a draft."""
    require(user, Action.PLAN)
    patient = assessment.patient
    engine = engine_for(patient.clinic)
    findings = list(assessment.findings.active())
    if not findings:
        raise RecordError("Add at least one vein finding before planning.")
    request: dict[str, Any] = {
        "patient": engine_patient(patient),
        "findings": [finding_as_engine_input(f) for f in findings],
    }
    if planned:
        request["planned"] = planned
    try:
        answer = engine.plan(request)
    except InputError as exc:
        raise validation_error_from(exc) from None
    TreatmentPlan.objects.filter(assessment=assessment, status=PlanStatus.DRAFT).update(
        status=PlanStatus.SUPERSEDED
    )
    protocol = engine.protocol
    return TreatmentPlan.objects.create(
        clinic_id=assessment.clinic_id,
        created_by=user,
        assessment=assessment,
        patient=patient,
        engine_answer=answer.model_dump(mode="json"),
        protocol_id=protocol.id,
        protocol_version=protocol.version,
        clinic_protocol_id=protocol.clinic_id or "",
        clinic_protocol_version=protocol.clinic_version or "",
    )


@transaction.atomic
def approve_plan(
    user: User,
    plan: TreatmentPlan,
    expected_version: int,
    overrides: dict[str, dict[str, str]] | None = None,
    at: datetime | None = None,
) -> TreatmentPlan:
    """Approve a draft plan, recording any per-finding procedure overrides and their reasons."""
    require(user, Action.PLAN)
    if plan.status != PlanStatus.DRAFT:
        raise RecordError(
            f"Only a draft plan can be approved; this one is {plan.get_status_display().lower()}."
        )
    labels = {f["id"] for f in plan.engine_answer.get("findings", [])}
    clean: dict[str, dict[str, str]] = {}
    for label, choice in (overrides or {}).items():
        if label not in labels:
            raise ValidationError({"overrides": f"No finding {label} in this plan."})
        reason = (choice.get("reason") or "").strip()
        procedure = choice.get("procedure") or ""
        if procedure not in TREATING_PROCEDURES | {"referral", "defer"}:
            raise ValidationError({"overrides": f"Unknown procedure {procedure!r} for {label}."})
        if not reason:
            raise ValidationError({"overrides": f"Give a reason for overriding the plan for {label}."})
        clean[label] = {"procedure": procedure, "reason": reason, "by": user.username}
    plan.overrides = clean
    plan.status = PlanStatus.APPROVED
    plan.approved_by = user
    plan.approved_at = at or timezone.now()
    plan.save_checked(expected_version, update_fields=["overrides", "status", "approved_by", "approved_at"])
    return plan


@transaction.atomic
def record_consent(
    user: User, plan: TreatmentPlan, patient_confirmed: bool, at: datetime | None = None
) -> Consent:
    """Record that the patient consented to the plan, storing the exact text shown and its hash."""
    require(user, Action.CONSENT)
    if plan.status != PlanStatus.APPROVED:
        raise RecordError("Consent is taken for an approved plan.")
    if not patient_confirmed:
        raise ValidationError({"patient_confirmed": "The patient must confirm their consent."})
    procedures = [p for p in plan.procedures() if p in TREATING_PROCEDURES]
    if not procedures:
        raise RecordError("This plan has no treatment to consent to.")
    text = consent_text(engine_for(plan.patient.clinic), procedures)
    return Consent.objects.create(
        clinic_id=plan.clinic_id,
        created_by=user,
        plan=plan,
        patient=plan.patient,
        text_version=CONSENT_TEXT_VERSION,
        text=text,
        text_sha256=text_hash(text),
        procedures=procedures,
        consented_at=at or timezone.now(),
        taken_by=user,
        patient_confirmed=True,
    )
