"""The plan as text: screening, each finding in treatment order, session limits, aftercare, sources."""

from __future__ import annotations

from scleropath.protocol import Engine
from scleropath.protocol.answers import Aftercare, FindingPlan, Limit, Option, PlanAnswer, SessionLimits
from scleropath.protocol.wording import cites, span, words

from .text import protocol_line, screening_lines, sources, wrap

LIMIT_KINDS = {
    "agent_dose_mg": "dose",
    "foam_volume_ml": "foam",
    "total_volume_ml": "total volume",
    "injection_count": "injections",
    "injection_volume_ml": "volume per injection",
    "advisory_volume_ml": "volume (advisory)",
}


class Names:
    """Readable names for the protocol's codes; an unknown code is shown as its words."""

    def __init__(self, engine: Engine) -> None:
        p = engine.protocol
        self.regions: dict[str, str] = {r.id: r.display.lower() for r in p.procedures.regions}
        self.procedures: dict[str, str] = {d.id: d.display for d in p.procedures.procedures}
        self.products: dict[str, str] = {pid: prod.display for pid, prod in p.products.items()}

    def region(self, code: str | None) -> str:
        return self.regions.get(code, words(code)) if code else ""

    def procedure(self, code: str) -> str:
        return self.procedures.get(code, words(code))

    def product(self, code: str) -> str:
        return self.products.get(code, code)


def option_lines(names: Names, o: Option) -> list[str]:
    parts = [f"{names.product(o.product)} {o.form} {span(o.concentration_percent, '%')}"]
    if o.volume_per_site_ml:
        parts.append(f"{span(o.volume_per_site_ml, 'mL')} per site")
    if o.needle_gauge:
        parts.append(f"needle {span(o.needle_gauge, 'G')}")
    if o.depth:
        parts.append(o.depth)
    clinic = " (clinic's choice)" if o.local_choice and not o.local_deviation else ""
    lines = wrap(f"- {', '.join(parts)}{clinic}{cites(o.citations)}", 6)
    if o.local_deviation:
        lines += wrap(f"LOCAL DEVIATION FROM THE LABEL: {o.local_deviation}", 8)
    for note in o.notes:
        if not (o.local_deviation and o.local_deviation in note):  # already flagged above
            lines += wrap(note, 8)
    return lines


def options_lines(names: Names, f: FindingPlan) -> list[str]:
    lines: list[str] = []
    for procedure in dict.fromkeys(o.procedure for o in f.options):
        if procedure == f.procedure:
            lines.append("    options:")
        else:
            lines.append(f"    options if {names.procedure(procedure).lower()} is chosen instead:")
        for o in f.options:
            if o.procedure == procedure:
                lines += option_lines(names, o)
    return lines


def finding_lines(names: Names, f: FindingPlan) -> list[str]:
    c = f.classification
    where = ", ".join(x for x in (f"{f.side} leg", names.region(f.region)) if x)
    lines = ["", f"{f.id}  {where}: {words(f.vessel_class)} (classed by {words(c.basis)})"]
    lines += [line for w in f.warnings for line in wrap(f"! {w}", 4)]
    referral = f" for {f.referral_for}" if f.referral_for else ""
    lines.append(f"    procedure: {names.procedure(f.procedure)}{referral}")
    lines += wrap(f"why: {f.reason}", 4)
    if f.alternatives:
        lines.append(f"    alternatives: {', '.join(names.procedure(a) for a in f.alternatives)}")
    if f.prerequisites:
        lines.append(f"    before treatment: {', '.join(words(x) for x in f.prerequisites)}")
    return lines + options_lines(names, f)


def limit_line(names: Names, lim: Limit) -> list[str]:
    # A limit of no one product (the agent's daily dose, the consensus foam volume) goes by its id.
    whose = names.product(lim.product) if lim.product else lim.id
    at = f" at {lim.at_concentration_percent:g} %" if lim.at_concentration_percent else ""
    form = f" ({lim.form})" if lim.form and lim.kind != "foam_volume_ml" else ""
    word = "warn above" if lim.advisory else "at most"
    kind = LIMIT_KINDS.get(lim.kind, words(lim.kind))
    unit = "" if lim.unit == kind else f" {lim.unit}"
    lines = wrap(f"- {whose}: {kind}{form}{at} {word} {lim.max:g}{unit}{cites(lim.citations)}", 4)
    if lim.message:
        lines += wrap(lim.message, 6)
    return lines


def limits_lines(names: Names, answer: SessionLimits) -> list[str]:
    lines = ["", "Session limits for this patient"]
    if answer.polidocanol_max_mg is not None:
        lines.append(f"  polidocanol: at most {answer.polidocanol_max_mg:g} mg today")
    if answer.foam_max_ml is not None:
        lines.append(f"  foam: at most {answer.foam_max_ml:g} mL this session")
    if answer.max_injections is not None:
        lines.append(f"  injections: at most {answer.max_injections} this session")
    lines.append("  every limit that applies:")
    for lim in answer.limits:
        lines += limit_line(names, lim)
    lines += [line for w in answer.warnings for line in wrap(f"! {w}", 2)]
    return lines


def compression_lines(answer: Aftercare) -> list[str]:
    c = answer.compression
    if c is None:
        return []
    amounts = [span(r, unit) for r, unit in ((c.days, "days"), (c.pressure, c.pressure_unit)) if r]
    lines = wrap(f"compression: {' at '.join(amounts) or 'as the clinician advises'}{cites(c.citations)}", 2)
    lines += wrap(c.strength, 4)
    return lines + [line for n in c.notes for line in wrap(n, 4)]


def aftercare_lines(answer: Aftercare) -> list[str]:
    lines = ["", "Aftercare", *compression_lines(answer)]
    if answer.walk_minutes:
        lines.append(f"  walk: {span(answer.walk_minutes, 'minutes')} straight after the session")
    for a in answer.avoid:
        when = span(a.days, "days") if a.days else "as advised"
        note = f" ({a.note})" if a.note else ""
        lines += wrap(f"avoid {a.activity.lower()}: {when}{note}{cites(a.citations)}", 2)
    if answer.next_session_interval_days:
        lines.append(f"  next session: after {span(answer.next_session_interval_days, 'days')}")
    for fu in answer.follow_up:
        lines += wrap(f"follow-up after {fu.after_days:g} days: {fu.purpose}{cites(fu.citations)}", 2)
    if answer.red_flags:
        lines.append("  red flags to tell the patient:")
    for flag in answer.red_flags:
        lines += wrap(
            f"- {flag.symptom} → {flag.action} (contact: {words(flag.contact)}){cites(flag.citations)}", 4
        )
    if answer.check_ins:
        days = ", ".join(str(c.day) for c in answer.check_ins)
        ids = [cid for c in answer.check_ins for cid in c.citations]
        lines += wrap(f"check-ins on days {days} after treatment{cites(dict.fromkeys(ids))}", 2)
    if answer.normal_course:
        lines.append("  what is normal afterwards:")
    for c in answer.normal_course:
        lines += wrap(f"- {c.event}: {c.timing}{cites(c.citations)}", 4)
    return lines


def plan(engine: Engine, answer: PlanAnswer) -> str:
    names = Names(engine)
    lines = [f"Plan — {protocol_line(answer)}", "", *screening_lines(engine, answer.screening)]
    lines += [line for w in answer.warnings for line in wrap(f"! {w}", 0)]
    by_id = {f.id: f for f in answer.findings}
    ordered = [by_id[i] for i in answer.treatment_order]
    rest = [f for f in answer.findings if f.id not in answer.treatment_order]
    lines += ["", f"Treatment order: {', '.join(answer.treatment_order) or 'nothing to treat today'}"]
    if rest:
        referred = "; ".join(f"{f.id} → {names.procedure(f.procedure)}" for f in rest)
        lines += wrap(f"Not treated here: {referred}", 0)
    for f in ordered + rest:
        lines += finding_lines(names, f)
    lines += limits_lines(names, answer.session_limits)
    lines += aftercare_lines(answer.aftercare)
    return "\n".join([*lines, *sources(engine, answer)])
