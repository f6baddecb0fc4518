"""Charting an injection in few actions: the injection form filled from the approved plan's option
for a finding, or from the session's last injection ("same again"), and the stock lots that fit.

Nothing here records anything or decides what is allowed: every injection still goes through
``services.record_injection`` with its limits, overrides and off-plan rules. What is filled in comes
from the plan the clinician approved (the engine's options, frozen with it) or from what was just
given; values a plan leaves as a range the clinician must narrow are filled only where the protocol
says how (strength: the lowest in stock, as the formulary advises when unsure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from scleropath.assessments.models import VeinFinding
from scleropath.core.engine import engine_for
from scleropath.core.numbers import plain_decimal
from scleropath.protocol import Engine
from scleropath.protocol.wording import span, words

from .models import Injection, StockLot, TreatmentSession
from .services import display_product


@dataclass(frozen=True)
class PlanChoice:
    """One of the plan's options for a finding, as a line to choose from."""

    index: int
    text: str


@dataclass
class Prefill:
    """What the injection form starts with, and what the page says about it."""

    initial: dict[str, Any] = field(default_factory=dict)
    # "plan" (from the plan's option for a finding), "again" (from the last injection) or "".
    source: str = ""
    note: str = ""
    finding: VeinFinding | None = None
    choices: list[PlanChoice] = field(default_factory=list)
    option_index: int | None = None
    # The lots that fit, the one to preselect first; None when nothing narrows the choice.
    lots: list[StockLot] | None = None
    lot_note: str = ""
    hints: dict[str, str] = field(default_factory=dict)


def usable_lots(session: TreatmentSession, day: date | None = None) -> Any:
    """The clinic's live lots in date on ``day`` (today): the only ones an injection may come from."""
    return StockLot.objects.active().filter(
        clinic_id=session.clinic_id, expiry_date__gte=day or timezone.localdate()
    )


def plan_options(engine: Engine, session: TreatmentSession, finding: VeinFinding) -> list[dict[str, Any]]:
    """The approved plan's options for ``finding``. Where the clinician overrode the finding's
    procedure at approval, the options of that procedure, else those in a form it uses."""
    plan = session.plan
    found = next((f for f in plan.engine_answer.get("findings", []) if f["id"] == finding.label), None)
    options: list[dict[str, Any]] = list(found.get("options", [])) if found else []
    override = plan.overrides.get(finding.label)
    if override:
        forms = next(
            (p.forms for p in engine.protocol.procedures.procedures if p.id == override["procedure"]), []
        )
        same = [o for o in options if o["procedure"] == override["procedure"]]
        options = same or [o for o in options if o["form"] in forms]
    return options


def _in_range(value: Decimal, bounds: list[float | None]) -> bool:
    lo, hi = bounds[0], bounds[1]
    return (lo is None or value >= Decimal(str(lo))) and (hi is None or value <= Decimal(str(hi)))


def fitting_lots(
    session: TreatmentSession, product: str, strengths: list[float | None], day: date | None = None
) -> list[StockLot]:
    """In-date, live lots in stock of ``product`` at a strength within ``strengths``: the lowest
    strength first (the formulary's advice when unsure between two), each the one expiring first."""
    lots = usable_lots(session, day).filter(product=product, quantity__gt=0)
    fitting = [lot for lot in lots if _in_range(lot.concentration_percent, strengths)]
    return sorted(fitting, key=lambda lot: (lot.concentration_percent, lot.expiry_date, lot.pk))


def option_text(engine: Engine, option: dict[str, Any]) -> str:
    """An option in words: "Aethoxysklerol 0.25–0.5 % liquid, 0.1–0.2 mL a site"."""
    text = f"{display_product(engine, option['product'])} {span(option['concentration_percent'], '%')} {option['form']}"
    if option.get("volume_per_site_ml"):
        text += f", {span(option['volume_per_site_ml'], 'mL')} a site"
    return text


def _point(bounds: list[float | None] | None) -> float | None:
    """The one value of a range whose ends agree."""
    if bounds and bounds[0] is not None and bounds[0] == bounds[1]:
        return bounds[0]
    return None


def from_plan(
    session: TreatmentSession, finding: VeinFinding, option_index: int | None = None, day: date | None = None
) -> Prefill:
    """The form filled from the plan's option for ``finding``: by default the first option with a
    lot in stock (else the first), or the one the clinician chose by its index."""
    engine = engine_for(session.patient.clinic)
    options = plan_options(engine, session, finding)
    prefill = Prefill(
        initial={"finding": finding.pk},
        source="plan",
        finding=finding,
        choices=[PlanChoice(i, option_text(engine, o)) for i, o in enumerate(options)],
    )
    if not options:
        prefill.note = f"The plan offers no injection for {finding.label}."
        prefill.lots = []
        return prefill
    stocked = [fitting_lots(session, o["product"], o["concentration_percent"], day) for o in options]
    if option_index is None or not 0 <= option_index < len(options):
        option_index = next((i for i, lots in enumerate(stocked) if lots), 0)
    option, lots = options[option_index], stocked[option_index]
    prefill.option_index = option_index
    prefill.note = f"Filled from the plan for {finding.label}: {option_text(engine, option)}."
    prefill.lots = lots
    prefill.initial["form"] = option["form"]
    if lots:
        prefill.initial["lot"] = lots[0].pk
    else:
        strength = span(option["concentration_percent"], "%")
        prefill.lot_note = (
            f"No in-date lot of {display_product(engine, option['product'])} {strength} in stock. "
            "Another lot may be chosen: it is off-plan here and needs a clinician's reason."
        )
    volume = option.get("volume_per_site_ml")
    if volume and volume[0] is not None:
        prefill.initial["volume_ml"] = plain_decimal(Decimal(str(volume[0])))
    if volume:
        prefill.hints["volume_ml"] = f"The plan: {span(volume, 'mL')} a site."
    needle = option.get("needle_gauge")
    if _point(needle) is not None:
        prefill.initial["needle_gauge"] = int(_point(needle) or 0)
    if needle:
        prefill.hints["needle_gauge"] = f"The plan: {span(needle, 'G')}."
    if option["form"] == "foam":
        methods = engine.protocol.formulary.foam_methods
        # The ratio is filled only where every foam method of the protocol gives the same one.
        ratios = {
            m.gas_parts.min / m.liquid_parts
            if m.gas_parts.min is not None and m.gas_parts.min == m.gas_parts.max
            else None
            for m in methods
        }
        if len(ratios) == 1 and None not in ratios:
            prefill.initial["foam_gas_parts"] = plain_decimal(Decimal(str(ratios.pop())))
        prefill.hints["foam_gas_parts"] = "The protocol's foam methods: " + "; ".join(
            f"{m.display}, {m.liquid_parts:g} + {span(m.gas_parts)}" for m in methods
        )
    return prefill


def last_injection(session: TreatmentSession) -> Injection | None:
    return session.injections.active().select_related("lot", "finding").order_by("-given_at", "-id").first()


def same_again(session: TreatmentSession, day: date | None = None) -> Prefill:
    """The form filled as the session's last injection (finding, lot, form, volume, needle, foam
    ratio) for another site; empty before the first injection."""
    last = last_injection(session)
    if last is None:
        return Prefill()
    count = session.injections.active().count()
    prefill = Prefill(
        initial={
            "finding": last.finding_id,
            "form": last.form,
            "volume_ml": plain_decimal(last.volume_ml),
            "needle_gauge": last.needle_gauge,
            "foam_gas_parts": plain_decimal(last.foam_gas_parts) if last.foam_gas_parts is not None else None,
        },
        source="again",
        finding=last.finding,
        note=f"Same as injection {count}: pick the new site on the map, then record.",
    )
    strength = float(last.concentration_percent)
    prefill.lots = fitting_lots(session, last.product, [strength, strength], day)
    if any(lot.pk == last.lot_id for lot in prefill.lots):
        prefill.initial["lot"] = last.lot_id
    else:
        engine = engine_for(session.patient.clinic)
        name = f"{display_product(engine, last.product)} {plain_decimal(last.concentration_percent)} %"
        prefill.lot_note = f"Lot {last.lot.lot_number} can no longer be used: choose another lot of {name}."
        if not prefill.lots:
            prefill.lot_note = f"No in-date lot of {name} in stock. Choose another lot."
    return prefill


def lots_for_finding(session: TreatmentSession, finding: VeinFinding | None) -> list[StockLot] | None:
    """The lots the plan's options for ``finding`` fit (all its options), to offer first when a form
    comes back with an error; None without a finding."""
    if finding is None:
        return None
    engine = engine_for(session.patient.clinic)
    seen: dict[int, StockLot] = {}
    for o in plan_options(engine, session, finding):
        for lot in fitting_lots(session, o["product"], o["concentration_percent"]):
            seen.setdefault(lot.pk, lot)
    return list(seen.values())


def lot_label(engine: Engine, lot: StockLot) -> str:
    """A lot as the lot list shows it: "Aethoxysklerol 0.5 % · lot AE-301 · expires 3 Mar 2026"."""
    return (
        f"{display_product(engine, lot.product)} {plain_decimal(lot.concentration_percent)} % · "
        f"lot {lot.lot_number} · expires {lot.expiry_date:%-d %b %Y}"
    )


def finding_title(finding: VeinFinding) -> str:
    """A finding as the map and the lists name it: "L1: telangiectasia"."""
    return f"{finding.label}: {words(finding.vessel_class)}"
