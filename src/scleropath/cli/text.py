"""Human-readable text for the engine's answers, for a clinician at a terminal."""

from __future__ import annotations

from collections.abc import Iterable

from scleropath.protocol import Engine
from scleropath.protocol.answers import (
    Aftercare,
    CeapAnswer,
    PlanAnswer,
    Range,
    Screening,
    SessionCheckAnswer,
    SessionLimits,
    TriageAnswer,
    VcssAnswer,
)


def span(values: Range | None, unit: str = "") -> str:
    if not values:
        return "-"
    lo, hi = values[0], values[1]
    suffix = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        return f"{lo:g}{suffix}" if lo == hi else f"{lo:g}-{hi:g}{suffix}"
    if hi is not None:
        return f"up to {hi:g}{suffix}"
    if lo is not None:
        return f"at least {lo:g}{suffix}"
    return "-"


def words(code: str) -> str:
    return code.replace("_", " ")


def cites(ids: Iterable[str]) -> str:
    ids = list(ids)
    return f" [{'; '.join(ids)}]" if ids else ""


def sources(engine: Engine, ids: Iterable[str]) -> str:
    refs = engine.protocol.refs
    lines = ["", "Sources"]
    for cid in dict.fromkeys(ids):
        ref = refs.get(cid)
        if ref is not None:
            weak = " (weak source: display text only)" if ref.weak else ""
            lines.append(f"  [{cid}] {ref.citation}{weak}")
    return "\n".join(lines)


def screening(engine: Engine, answer: Screening, with_sources: bool = True) -> str:
    lines = [f"Screening: {answer.verdict.upper()}"]
    for f in answer.findings:
        form = "" if f.applies_to_form == "any" else f" ({f.applies_to_form} only)"
        lines.append(f"  - {f.severity}: {f.message}{form}{cites(f.citations)}")
        if f.precaution:
            lines.append(f"      precaution: {f.precaution}")
    for b in answer.blocked:
        lines.append(f"  blocked: {b.product} {b.form} ({', '.join(b.codes)})")
    if not answer.findings:
        lines.append("  no contraindications found")
    if with_sources:
        lines.append(sources(engine, answer.citations))
    return "\n".join(lines)


def limits(answer: SessionLimits) -> list[str]:
    lines = ["", "Session limits for this patient"]
    if answer.polidocanol_max_mg is not None:
        lines.append(f"  polidocanol at most {answer.polidocanol_max_mg:g} mg today")
    if answer.foam_max_ml is not None:
        lines.append(f"  foam at most {answer.foam_max_ml:g} mL this session")
    if answer.max_injections is not None:
        lines.append(f"  at most {answer.max_injections} injection(s) this session")
    for lim in answer.limits:
        at = f" at {lim.at_concentration_percent:g}%" if lim.at_concentration_percent else ""
        what = "warn above" if lim.advisory else "max"
        lines.append(f"  - {lim.id}: {what} {lim.max:g} {lim.unit}{at}{cites(lim.citations)}")
    lines.extend(f"  ! {w}" for w in answer.warnings)
    return lines


def aftercare(answer: Aftercare) -> list[str]:
    lines = ["", "Aftercare"]
    if answer.compression:
        c = answer.compression
        days = span(c.days, "days") if c.days else "as long as the clinician advises"
        pressure = f", {span(c.pressure, c.pressure_unit)}" if c.pressure else ""
        lines.append(f"  compression: {days}{pressure}{cites(c.citations)}")
    if answer.walk_minutes:
        lines.append(f"  walk {span(answer.walk_minutes, 'minutes')} straight after")
    for a in answer.avoid:
        when = span(a.days, "days") if a.days else (a.note or "")
        lines.append(f"  avoid {a.activity.lower()}: {when}{cites(a.citations)}")
    if answer.next_session_interval_days:
        lines.append(f"  next session after {span(answer.next_session_interval_days, 'days')}")
    for fu in answer.follow_up:
        lines.append(f"  follow-up after {fu.after_days:g} days: {fu.purpose}{cites(fu.citations)}")
    for flag in answer.red_flags:
        lines.append(f"  red flag: {flag.symptom} -> {flag.action} ({words(flag.contact)})")
    return lines


def plan(engine: Engine, answer: PlanAnswer) -> str:
    p = answer.protocol
    clinic = f" with {p.clinic_id} {p.clinic_version}" if p.clinic_id else ""
    lines = [
        f"Plan ({p.id} {p.version}{clinic})",
        "",
        screening(engine, answer.screening, with_sources=False),
    ]
    by_id = {f.id: f for f in answer.findings}
    order = [by_id[i] for i in answer.treatment_order] + [
        f for f in answer.findings if f.id not in answer.treatment_order
    ]
    lines += ["", "Findings (in treatment order)"]
    for f in order:
        lines.append("")
        where = f"{f.side} {words(f.region)}" if f.region else f.side
        lines.append(f"{f.id}  {where}: {words(f.vessel_class)} (by {words(f.classification.basis)})")
        for w in f.warnings:
            lines.append(f"    ! {w}")
        referral = f" for {f.referral_for}" if f.referral_for else ""
        lines.append(f"    procedure: {words(f.procedure)}{referral}")
        lines.append(f"    why: {f.reason}")
        if f.alternatives:
            lines.append(f"    alternatives: {', '.join(words(a) for a in f.alternatives)}")
        if f.prerequisites:
            lines.append(f"    before treatment: {', '.join(words(x) for x in f.prerequisites)}")
        for o in f.options:
            needle = f", needle {span(o.needle_gauge, 'G')}" if o.needle_gauge else ""
            volume = f", {span(o.volume_per_site_ml, 'mL')} a site" if o.volume_per_site_ml else ""
            depth = f", {o.depth}" if o.depth else ""
            lines.append(
                f"    option: {o.product} ({words(o.agent)}) {o.form} {span(o.concentration_percent, '%')}"
                f"{volume}{needle}{depth}{cites(o.citations)}"
            )
            for note in o.notes:
                lines.append(f"        {note}")
            if o.local_deviation:
                lines.append(f"        LOCAL DEVIATION: {o.local_deviation}")
    lines += limits(answer.session_limits)
    lines += aftercare(answer.aftercare)
    lines.extend(f"! {w}" for w in answer.warnings)
    lines.append(sources(engine, answer.citations))
    return "\n".join(lines)


def session_check(engine: Engine, answer: SessionCheckAnswer) -> str:
    t = answer.totals
    lines = [
        f"Session check: {'within limits' if answer.within_limits else 'LIMIT PASSED'}",
        f"  {t.injections} injection(s), {t.volume_ml:g} mL ({t.foam_volume_ml:g} mL foam), "
        f"polidocanol {t.polidocanol_mg:g} mg",
    ]
    for s in answer.limits:
        flag = "" if s.within else "  <-- over"
        binding = "  (closest)" if s.id == answer.binding_limit else ""
        lines.append(f"  {s.id}: {s.used:g} of {s.max:g} {s.unit}{flag}{binding}")
    for v in answer.violations:
        lines.append(f"  VIOLATION {v.code}: {v.message}")
    lines.extend(f"  ! {w}" for w in answer.warnings)
    lines.append(sources(engine, answer.citations))
    return "\n".join(lines)


def triage(engine: Engine, answer: TriageAnswer) -> str:
    lines = [f"{answer.level.upper().replace('_', ' ')}: {answer.display}", f"  advice: {answer.advice}"]
    if answer.management:
        lines.append(f"  management: {answer.management}")
    if answer.expected_resolution_days:
        lines.append(f"  usually settles: {span(answer.expected_resolution_days, 'days')}")
    if answer.follow_up:
        lines.append(f"  follow-up after {answer.follow_up.after_days:g} days: {answer.follow_up.purpose}")
    lines.extend(f"  - {r}" for r in answer.reasons)
    lines.append(sources(engine, answer.citations))
    return "\n".join(lines)


def ceap(engine: Engine, answer: CeapAnswer) -> str:
    lines = [f"CEAP clinical class: {answer.highest} (all: {', '.join(answer.c_classes)})"]
    lines.extend(f"  {code}: {answer.displays[code]}" for code in answer.c_classes)
    lines.append(sources(engine, answer.citations))
    return "\n".join(lines)


def vcss(engine: Engine, answer: VcssAnswer) -> str:
    lines = [f"Revised VCSS: {answer.total} / {answer.maximum}"]
    for item in answer.items:
        anchor = f": {item.anchor}" if item.anchor else ""
        lines.append(f"  {words(item.item)}: {item.score} ({item.level}{anchor})")
    lines.extend(f"  {m}" for m in answer.interpretation)
    lines.append(sources(engine, answer.citations))
    return "\n".join(lines)
