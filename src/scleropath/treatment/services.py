"""Treatment services: stock, sessions, injections checked against the engine's limits, completion."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scleropath.accounts.access import clinic_id_of
from scleropath.accounts.permissions import Action, can, require
from scleropath.assessments.models import PlanStatus, TreatmentPlan, VeinFinding
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.core.services import validation_error_from
from scleropath.patients.models import Patient
from scleropath.patients.services import engine_patient
from scleropath.protocol import Engine, InputError

from .models import Injection, SessionStatus, StockLot, TreatmentSession

if TYPE_CHECKING:
    from scleropath.accounts.models import User
    from scleropath.protocol.answers import SessionCheckAnswer


class LimitRefused(RecordError):
    """An injection that would pass a session limit, refused for want of an override reason."""

    def __init__(self, check: SessionCheckAnswer) -> None:
        self.check = check
        messages = "; ".join(v.message for v in check.violations)
        super().__init__(f"Refused: {messages} A clinician may record an override reason to proceed.")


def check_lot_product(engine: Engine, product_id: str, concentration: Decimal | float | str) -> str:
    """The agent of a lot's product, after checking the product is in the formulary and comes in
    that strength; raises ValidationError naming the field otherwise."""
    product = engine.protocol.products.get(product_id or "")
    if product is None:
        raise ValidationError({"product": "Choose a product from the protocol's formulary."})
    if float(concentration) not in product.strengths_percent:
        strengths = ", ".join(f"{s:g}%" for s in product.strengths_percent)
        raise ValidationError({"concentration_percent": f"{product.display} comes in {strengths}."})
    return product.agent


@transaction.atomic
def add_stock_lot(user: User, **fields: Any) -> StockLot:
    require(user, Action.MANAGE_STOCK)
    conc = Decimal(str(fields.get("concentration_percent")))
    agent = check_lot_product(engine_for(user.clinic), fields.get("product", ""), conc)
    lot = StockLot(
        clinic_id=clinic_id_of(user),
        created_by=user,
        agent=agent,
        **{**fields, "concentration_percent": conc},
    )
    lot.full_clean()
    lot.save()
    return lot


def patients_given_lot(lot: StockLot) -> list[Patient]:
    """Every patient who received an injection from ``lot`` (for recalls); callers check access."""
    return list(
        Patient.objects.filter(
            clinic_id=lot.clinic_id,
            sessions__injections__lot=lot,
            sessions__injections__voided_at__isnull=True,
        ).distinct()
    )


def patients_for_lot(user: User, lot: StockLot) -> list[Patient]:
    """Every patient of the user's clinic who received an injection from ``lot``."""
    require(user, Action.VIEW_CLINICAL)
    if lot.clinic_id != user.clinic_id:
        raise RecordError("That lot is not in your clinic.")
    return patients_given_lot(lot)


@transaction.atomic
def start_session(user: User, plan: TreatmentPlan, at: datetime | None = None) -> TreatmentSession:
    """Open a treatment session under an approved plan, fixing the weight its limits use."""
    require(user, Action.INJECT)
    if plan.status != PlanStatus.APPROVED:
        raise RecordError("A session needs an approved plan.")
    weight = plan.patient.latest_weight()
    if weight is None:
        raise RecordError("Record the patient's weight first: the dose limits depend on it.")
    if TreatmentSession.objects.filter(
        patient=plan.patient, status=SessionStatus.OPEN, voided_at__isnull=True
    ).exists():
        raise RecordError("This patient already has an open session.")
    done = TreatmentSession.objects.filter(
        patient=plan.patient, status=SessionStatus.COMPLETED, voided_at__isnull=True
    ).count()
    return TreatmentSession.objects.create(
        clinic_id=plan.clinic_id,
        created_by=user,
        plan=plan,
        patient=plan.patient,
        number=done + 1,
        started_at=at or timezone.now(),
        practitioner=user,
        weight_kg=weight.weight_kg,
    )


def _engine_injection(inj: Injection) -> dict[str, Any]:
    out: dict[str, Any] = {
        "agent": inj.agent,
        "product": inj.product,
        "form": inj.form,
        "concentration_percent": float(inj.concentration_percent),
        "volume_ml": float(inj.volume_ml),
    }
    if inj.foam_gas_parts is not None:
        out["foam_gas_parts"] = float(inj.foam_gas_parts)
    return out


def planned_injection(
    lot: StockLot,
    form: str,
    volume_ml: Decimal | float | str,
    foam_gas_parts: Decimal | float | str | None = None,
) -> dict[str, Any]:
    """An injection not yet given, as the engine's session check takes it."""
    out: dict[str, Any] = {
        "agent": lot.agent,
        "product": lot.product,
        "form": form,
        "concentration_percent": float(lot.concentration_percent),
        "volume_ml": float(volume_ml),
    }
    if foam_gas_parts is not None:
        out["foam_gas_parts"] = float(foam_gas_parts)
    return out


def session_check(session: TreatmentSession, extra: list[dict[str, Any]] | None = None) -> SessionCheckAnswer:
    """The engine's running totals for the session (plus ``extra`` injections not yet saved)."""
    engine = engine_for(session.patient.clinic)
    patient = engine_patient(session.patient)
    patient["weight_kg"] = float(session.weight_kg)
    injections = [_engine_injection(i) for i in session.injections.filter(voided_at__isnull=True)]
    return engine.check_session(
        {"patient": patient, "session_number": session.number, "injections": injections + (extra or [])}
    )


def _procedure_for(session: TreatmentSession, finding: VeinFinding | None, form: str) -> str:
    """The procedure an injection belongs to: the plan's for its finding if the form fits, else the
    first alternative that uses this form, else plain liquid or foam sclerotherapy."""
    engine = engine_for(session.patient.clinic)
    forms = {p.id: p.forms for p in engine.protocol.procedures.procedures}
    if finding is not None:
        plan = session.plan
        for f in plan.engine_answer.get("findings", []):
            if f["id"] != finding.label:
                continue
            override = plan.overrides.get(finding.label)
            candidates = [override["procedure"]] if override else []
            candidates += [f["procedure"], *f.get("alternatives", [])]
            for proc in candidates:
                if form in forms.get(proc, []):
                    return str(proc)
    return "foam_sclerotherapy" if form == "foam" else "liquid_sclerotherapy"


@transaction.atomic
def record_injection(
    user: User,
    session: TreatmentSession,
    *,
    lot: StockLot,
    volume_ml: Decimal | float | str,
    form: str,
    finding: VeinFinding | None = None,
    foam_gas_parts: Decimal | float | str | None = None,
    needle_gauge: int | None = None,
    view: str = "",
    x: float | None = None,
    y: float | None = None,
    override_reason: str = "",
    at: datetime | None = None,
) -> Injection:
    """Record one injection, refused if the lot is expired, the patient is allergic, screening found
    an absolute contraindication for this product and form, or a session limit would be passed
    without a clinician's override reason."""
    require(user, Action.INJECT)
    session = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN or session.is_voided:
        raise RecordError("This session is not open.")
    if lot.clinic_id != session.clinic_id or lot.is_voided:
        raise ValidationError({"lot": "Choose a lot from this clinic's stock."})
    when = at or timezone.now()
    if lot.is_expired(timezone.localdate(when)):
        raise ValidationError({"lot": f"Lot {lot.lot_number} expired on {lot.expiry_date:%d %b %Y}."})
    if form not in ("liquid", "foam"):
        raise ValidationError({"form": "Choose liquid or foam."})
    if finding is not None and finding.assessment_id != session.plan.assessment_id:
        raise ValidationError({"finding": "That finding is not part of this session's plan."})
    engine = engine_for(session.patient.clinic)
    screening = session.patient.current_screening()
    if screening is None:
        raise RecordError("The patient has not been screened.")
    try:
        screen = engine.screen(
            {
                "patient": engine_patient(session.patient, screening),
                "planned": {"product": lot.product, "form": form},
            }
        )
    except InputError as exc:
        raise validation_error_from(exc) from None
    if any(b.product == lot.product and b.form == form for b in screen.blocked):
        codes = sorted({c for b in screen.blocked for c in b.codes})
        raise RecordError(
            f"Refused: screening found an absolute contraindication to {lot.product} {form} ({', '.join(codes)})."
        )
    try:
        check = session_check(session, [planned_injection(lot, form, volume_ml, foam_gas_parts)])
    except InputError as exc:
        raise validation_error_from(exc) from None
    hard = [v for v in check.violations if v.code == "allergy_to_agent"]
    if hard:
        raise RecordError(f"Refused: the patient is allergic to {lot.agent}.")
    reason = override_reason.strip()
    if check.violations:
        if not reason:
            raise LimitRefused(check)
        if not can(user, Action.OVERRIDE_LIMIT):
            raise RecordError("Only a clinician may pass a session limit with an override reason.")
    injection = Injection(
        clinic_id=session.clinic_id,
        created_by=user,
        session=session,
        finding=finding,
        side=finding.side if finding else "",
        view=view or (finding.view if finding else ""),
        x=x if x is not None else (finding.x if finding else None),
        y=y if y is not None else (finding.y if finding else None),
        procedure=_procedure_for(session, finding, form),
        agent=lot.agent,
        product=lot.product,
        form=form,
        concentration_percent=lot.concentration_percent,
        volume_ml=Decimal(str(volume_ml)),
        foam_gas_parts=Decimal(str(foam_gas_parts)) if foam_gas_parts is not None else None,
        needle_gauge=needle_gauge,
        lot=lot,
        given_at=when,
        given_by=user,
        override_reason=reason if check.violations else "",
        limit_check=check.model_dump(mode="json"),
    )
    injection.full_clean()
    injection.save()
    return injection


@transaction.atomic
def complete_session(
    user: User, session: TreatmentSession, expected_version: int, at: datetime | None = None
) -> TreatmentSession:
    """Close a session: needs consent for its plan and a recent enough screening; then the engine's
    aftercare for what was done is frozen and the follow-ups it schedules are booked."""
    from scleropath.followup.services import create_aftercare_and_follow_ups

    require(user, Action.INJECT)
    if session.status != SessionStatus.OPEN or session.is_voided:
        raise RecordError("This session is not open.")
    if not session.plan.consents.filter(voided_at__isnull=True).exists():
        raise RecordError("Consent for this plan must be recorded before the session is completed.")
    clinic = session.patient.clinic
    screening = session.patient.current_screening()
    when = at or timezone.now()
    if screening is None or screening.screened_at < when - timedelta(days=clinic.screening_valid_days):
        raise RecordError(
            f"Screening must be no older than {clinic.screening_valid_days} days when a session is completed; "
            "screen the patient again."
        )
    injections = list(session.injections.filter(voided_at__isnull=True).select_related("finding"))
    if not injections:
        raise RecordError("Record at least one injection, or void the session.")
    session.status = SessionStatus.COMPLETED
    session.completed_at = when
    session.save_checked(expected_version, update_fields=["status", "completed_at"])
    create_aftercare_and_follow_ups(user, session, injections, when)
    return session


def day_of(value: datetime) -> date:
    return timezone.localdate(value)
