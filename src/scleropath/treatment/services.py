"""Treatment services: stock, sessions, injections checked against the engine's limits.

Completing a session freezes its aftercare, so it lives with the aftercare in ``followup.services``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from scleropath.accounts.access import clinic_id_of
from scleropath.accounts.permissions import Action, can, require
from scleropath.assessments.models import PlanStatus, TreatmentPlan, VeinFinding
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.core.numbers import plain_decimal
from scleropath.core.services import validation_error_from
from scleropath.patients.models import Patient
from scleropath.patients.services import engine_patient
from scleropath.protocol import Engine, InputError
from scleropath.protocol.wording import name_of

from .models import Injection, SessionStatus, StockLot, TreatmentSession

if TYPE_CHECKING:
    from scleropath.accounts.models import User
    from scleropath.protocol.answers import SessionCheckAnswer


# Violations no reason can pass: an allergy to the agent, a product and form screening rules out.
HARD_REFUSALS = frozenset({"allergy_to_agent", "contraindicated_on_screening"})


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


def lock_patient(patient_id: int) -> Patient:
    """Serialise the writes a per-patient limit depends on (opening a session, an injection).

    On PostgreSQL the patient's row stays locked until the transaction ends, so a second request for
    the same patient waits and then sees what the first wrote. SQLite's IMMEDIATE transactions hold
    the database's write lock from the start, which serialises them already.
    """
    patient: Patient = Patient.objects.select_for_update().get(pk=patient_id)
    return patient


class OffPlanRefused(RecordError):
    """Treatment the approved plan does not provide for, refused for want of a clinician's reason."""

    def __init__(self, departures: list[str]) -> None:
        self.departures = departures
        super().__init__(
            f"Off-plan: {' '.join(departures)} A clinician may record a reason to proceed off-plan."
        )


def _allow_off_plan(user: User, departures: list[str], reason: str) -> str:
    """The reason to keep with an off-plan record, or a refusal (a nurse never treats off-plan)."""
    if not departures:
        return ""
    if not reason:
        raise OffPlanRefused(departures)
    if not can(user, Action.OVERRIDE_LIMIT):
        raise RecordError(
            f"Off-plan: {' '.join(departures)} Only a clinician may treat off-plan, with a reason."
        )
    return reason


def early_session(plan: TreatmentPlan, patient: Patient, day: date) -> list[str]:
    """Why a session on ``day`` comes before the plan's interval after the patient's last session."""
    interval = (plan.engine_answer.get("aftercare") or {}).get("next_session_interval_days")
    if not interval or interval[0] is None:
        return []
    previous = (
        TreatmentSession.objects.active()
        .filter(patient=patient, status=SessionStatus.COMPLETED)
        .order_by("-started_at")
        .first()
    )
    if previous is None:
        return []
    gap = (day - timezone.localdate(previous.started_at)).days
    if gap >= interval[0]:
        return []
    upper = (
        f" to {plain_decimal(interval[1])}" if interval[1] is not None and interval[1] != interval[0] else ""
    )
    return [
        f"This session is {gap} day{'s' if gap != 1 else ''} after session {previous.number} "
        f"({timezone.localdate(previous.started_at):%d %b %Y}); the plan's interval between sessions is "
        f"{plain_decimal(interval[0])}{upper} days."
    ]


@transaction.atomic
def start_session(
    user: User, plan: TreatmentPlan, at: datetime | None = None, *, off_plan_reason: str = ""
) -> TreatmentSession:
    """Open a treatment session under an approved plan, fixing the weight its limits use.

    A patient has at most one open session (the database refuses a second). A session before the
    plan's interval after the last one is off-plan: a clinician may open it with a reason.
    """
    require(user, Action.INJECT)
    if plan.status != PlanStatus.APPROVED:
        raise RecordError("A session needs an approved plan.")
    patient = lock_patient(plan.patient_id)
    when = at or timezone.now()
    day = timezone.localdate(when)
    weight = patient.latest_weight(on=day)
    if weight is None:
        raise RecordError("Record the patient's weight first: the dose limits depend on it.")
    if TreatmentSession.objects.active().filter(patient=patient, status=SessionStatus.OPEN).exists():
        raise RecordError("This patient already has an open session.")
    departures = early_session(plan, patient, day)
    reason = _allow_off_plan(user, departures, off_plan_reason.strip())
    done = TreatmentSession.objects.active().filter(patient=patient, status=SessionStatus.COMPLETED).count()
    try:
        with transaction.atomic():
            return TreatmentSession.objects.create(
                clinic_id=plan.clinic_id,
                created_by=user,
                plan=plan,
                patient=patient,
                number=done + 1,
                started_at=when,
                practitioner=user,
                weight_kg=weight.weight_kg,
                off_plan=departures,
                off_plan_reason=reason,
            )
    except IntegrityError:
        # Only reachable if the lock above was bypassed; the constraint is the last word.
        raise RecordError("This patient already has an open session.") from None


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


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of ``day`` and of the next, in the clinic's time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def earlier_the_same_day(session: TreatmentSession, day: date) -> list[Injection]:
    """The patient's injections on ``day`` in their other sessions: the daily maximum counts them."""
    start, end = day_bounds(day)
    return list(
        Injection.objects.active()
        .filter(
            session__patient_id=session.patient_id,
            session__voided_at__isnull=True,
            given_at__gte=start,
            given_at__lt=end,
        )
        .exclude(session_id=session.pk)
    )


def plan_products(engine: Engine, plan: TreatmentPlan) -> list[str]:
    """The products the plan's options use, in the plan's order, that the clinic's protocol knows
    (a plan frozen under an older protocol may name one it no longer has)."""
    named = (o.get("product") for f in plan.engine_answer.get("findings", []) for o in f.get("options", []))
    return [p for p in dict.fromkeys(named) if p in engine.protocol.products]


def display_product(engine: Engine, product_id: str) -> str:
    """A product as people know it ("Aethoxysklerol"); its id in words if the protocol does not know it."""
    return name_of(engine.protocol, "product", product_id)


def session_check(
    session: TreatmentSession, extra: list[dict[str, Any]] | None = None, at: datetime | None = None
) -> SessionCheckAnswer:
    """The engine's running totals for the session (plus ``extra`` injections not yet saved), with
    the patient's injections earlier that day in other sessions counted against the daily maximum.

    The day is that of ``at``; by default today for an open session, its own day for a closed one.
    """
    engine = engine_for(session.patient.clinic)
    patient = engine_patient(session.patient)
    patient["weight_kg"] = float(session.weight_kg)
    if at is None and session.status != SessionStatus.OPEN:
        at = session.started_at
    day = timezone.localdate(at or timezone.now())
    injections = [_engine_injection(i) for i in session.injections.active()]
    request: dict[str, Any] = {
        "patient": patient,
        "planned_products": plan_products(engine, session.plan),
        "session_number": session.number,
        "injections": injections + (extra or []),
    }
    earlier = [_engine_injection(i) for i in earlier_the_same_day(session, day)]
    if earlier:
        request["earlier_today"] = earlier
    return engine.check_session(request)


def _forms_by_procedure(engine: Engine) -> dict[str, list[str]]:
    """The forms (liquid, foam) each procedure of the clinic's protocol gives its sclerosant in."""
    return {p.id: list(p.forms) for p in engine.protocol.procedures.procedures}


def off_plan_injection(
    engine: Engine,
    session: TreatmentSession,
    finding: VeinFinding | None,
    product: str,
    form: str,
    concentration: Decimal,
) -> list[str]:
    """How an injection departs from the approved plan: a product, form or strength the plan does not
    offer for its finding. A finding whose procedure the clinician overrode at approval takes any
    product in a form that procedure uses (the override and its reason are on the plan)."""
    plan = session.plan
    findings = plan.engine_answer.get("findings", [])
    if finding is not None:
        override = plan.overrides.get(finding.label)
        if override:
            if form in _forms_by_procedure(engine).get(override["procedure"], []):
                return []
            return [
                f"The plan's override for {finding.label} is "
                f"{name_of(engine.protocol, 'procedure', override['procedure'], capital=False)}, "
                f"which is not given as {form}."
            ]
        findings = [f for f in findings if f["id"] == finding.label]
    where = f"for {finding.label}" if finding is not None else "in this plan"
    brand = name_of(engine.protocol, "product", product)
    options = [o for f in findings for o in f.get("options", [])]
    if not options:
        return [f"The plan offers no injection {where}."]
    same_product = [o for o in options if o["product"] == product]
    if not same_product:
        return [f"The plan does not offer {brand} {where}."]
    same_form = [o for o in same_product if o["form"] == form]
    if not same_form:
        return [f"The plan does not offer {brand} as {form} {where}."]
    conc = Decimal(str(concentration))
    ranges = [
        (Decimal(str(o["concentration_percent"][0])), Decimal(str(o["concentration_percent"][1])))
        for o in same_form
    ]
    if any(lo <= conc <= hi for lo, hi in ranges):
        return []
    offered = ", ".join(
        f"{plain_decimal(lo)}%" if lo == hi else f"{plain_decimal(lo)}–{plain_decimal(hi)}%"
        for lo, hi in ranges
    )
    return [
        f"{plain_decimal(conc)}% is not a strength the plan offers for {brand} {form} {where} ({offered})."
    ]


def _procedure_for(engine: Engine, session: TreatmentSession, finding: VeinFinding | None, form: str) -> str:
    """The procedure an injection belongs to: the plan's for its finding if the form fits, else the
    first alternative that uses this form, else plain liquid or foam sclerotherapy."""
    forms = _forms_by_procedure(engine)
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
    off_plan_reason: str = "",
    at: datetime | None = None,
) -> Injection:
    """Record one injection, refused if the lot is expired, the patient is allergic, screening found
    an absolute contraindication for this product and form, a limit would be passed without a
    clinician's override reason, or the plan does not offer it without a clinician's off-plan reason.

    The limits count the patient's earlier injections the same day, in any session; writes for one
    patient are serialised so two at once never pass a limit that one could not."""
    require(user, Action.INJECT)
    lock_patient(session.patient_id)
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
        found = ", ".join(name_of(engine.protocol, "screening", c, capital=False) for c in codes)
        raise RecordError(
            "Refused: screening found an absolute contraindication to "
            f"{name_of(engine.protocol, 'product', lot.product)} {form} ({found})."
        )
    try:
        check = session_check(session, [planned_injection(lot, form, volume_ml, foam_gas_parts)], at=when)
    except InputError as exc:
        raise validation_error_from(exc) from None
    hard = [v for v in check.violations if v.code in HARD_REFUSALS]
    if hard:
        raise RecordError("Refused: " + " ".join(v.message for v in hard))
    reason = override_reason.strip()
    if check.violations:
        if not reason:
            raise LimitRefused(check)
        if not can(user, Action.OVERRIDE_LIMIT):
            raise RecordError("Only a clinician may pass a session limit with an override reason.")
    departures = off_plan_injection(engine, session, finding, lot.product, form, lot.concentration_percent)
    off_plan_reason = _allow_off_plan(user, departures, off_plan_reason.strip())
    injection = Injection(
        clinic_id=session.clinic_id,
        created_by=user,
        session=session,
        finding=finding,
        side=finding.side if finding else "",
        view=view or (finding.view if finding else ""),
        x=x if x is not None else (finding.x if finding else None),
        y=y if y is not None else (finding.y if finding else None),
        procedure=_procedure_for(engine, session, finding, form),
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
        off_plan=departures,
        off_plan_reason=off_plan_reason,
        limit_check=check.model_dump(mode="json"),
    )
    injection.full_clean()
    injection.save()
    return injection


def day_of(value: datetime) -> date:
    return timezone.localdate(value)
