"""Human-readable text for the engine's answers, for a clinician at a terminal.

Formatting only: every fact comes from the answer, and names come from the loaded protocol.
The plan, the longest answer, has its own module (:mod:`scleropath.cli.plan_text`).
"""

from __future__ import annotations

import textwrap
from typing import Any

from pydantic import BaseModel

from scleropath.protocol import Engine
from scleropath.protocol.answers import (
    CeapAnswer,
    GradingNote,
    Screening,
    SessionCheckAnswer,
    TriageAnswer,
    VcssAnswer,
)
from scleropath.protocol.wording import cites, name_of, span, words

WIDTH = 100


def wrap(text: str, indent: int, hanging: int = 2) -> list[str]:
    """``text`` wrapped to the terminal width, continuation lines indented a little further.

    Hyphens never break a line, so citation ids such as ``AETH-DE`` stay whole.
    """
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hanging),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [" " * indent]


def citation_ids(answer: BaseModel) -> list[str]:
    """Every citation id anywhere in the answer, the answer's own list first, without repeats.

    Walking the whole answer rather than trusting its top-level list means the Sources section
    covers every id printed in brackets, even one a nested part carries alone.
    """
    found: dict[str, None] = dict.fromkeys(getattr(answer, "citations", []))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "citations" and isinstance(value, list):
                    found.update(dict.fromkeys(str(v) for v in value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(answer.model_dump(mode="json"))
    return list(found)


def sources(engine: Engine, answer: BaseModel) -> list[str]:
    refs = engine.protocol.refs
    lines = ["", "Sources"]
    for cid in citation_ids(answer):
        ref = refs.get(cid)
        if ref is None:
            lines.append(f"  [{cid}] (not in this protocol's references)")
            continue
        weak = " (weak source: display text only)" if ref.weak else ""
        lines += wrap(f"[{cid}] {ref.citation}{weak}", 2, 4)
    return lines


def protocol_line(answer: Any) -> str:
    p = answer.protocol
    clinic = f", clinic protocol {p.clinic_id} {p.clinic_version}" if p.clinic_id else ""
    return f"Protocol {p.id} {p.version}{clinic}"


# --- screening ----------------------------------------------------------------------------------


def verdict(answer: Screening) -> str:
    if answer.verdict != "none":
        return f"{answer.verdict.upper()} CONTRAINDICATION"
    if answer.findings:
        n = len(answer.findings)
        return f"no contraindication; {n} warning{'s' if n != 1 else ''}"
    return "no contraindication found"


def grading(g: GradingNote) -> str:
    label = ", ".join([*([g.product] if g.product else []), *(g.forms if len(g.forms) == 1 else [])])
    return f"{g.source}{f' ({label})' if label else ''}: {g.severity}"


def screening_lines(engine: Engine, answer: Screening, gradings: bool = False) -> list[str]:
    lines = [f"Screening: {verdict(answer)}"]
    for f in answer.findings:
        form = "" if f.applies_to_form == "any" else f" ({f.applies_to_form} only)"
        lines += wrap(f"- {f.severity}: {f.message}{form}{cites(f.citations)}", 2)
        if f.precaution:
            lines += wrap(f"precaution: {f.precaution}", 4)
        if gradings and f.gradings:
            lines += wrap(f"graded by: {'; '.join(grading(g) for g in f.gradings)}", 4)
    for b in answer.blocked:
        display = (
            engine.protocol.products[b.product].display
            if b.product in engine.protocol.products
            else b.product
        )
        lines += wrap(f"NOT TO BE USED: {display} as {b.form} ({', '.join(words(c) for c in b.codes)})", 2)
    return lines


def screening(engine: Engine, answer: Screening) -> str:
    return "\n".join([*screening_lines(engine, answer, gradings=True), *sources(engine, answer)])


# --- session check ------------------------------------------------------------------------------


def session_check(engine: Engine, answer: SessionCheckAnswer) -> str:
    t = answer.totals
    injections = f"{t.injections} injection{'s' if t.injections != 1 else ''}"
    # Polidocanol is counted in milligrams; a session of another agent has no such total to show.
    polidocanol = "polidocanol" in answer.agents or t.polidocanol_mg_today > 0
    lines = [
        protocol_line(answer),
        "",
        f"Session check: {'within limits' if answer.within_limits else 'LIMIT PASSED'}",
        f"  {injections}, {t.volume_ml:g} mL in all ({t.liquid_volume_ml:g} mL liquid, "
        f"{t.foam_volume_ml:g} mL foam){f', polidocanol {t.polidocanol_mg:g} mg' if polidocanol else ''}",
    ]
    if t.polidocanol_mg_today != t.polidocanol_mg:
        lines.append(f"  polidocanol today, with earlier sessions: {t.polidocanol_mg_today:g} mg")
    if t.by_concentration:
        parts = []
        for key, ml in t.by_concentration.items():
            product, strength = key.split("@", 1)
            parts.append(f"{name_of(engine.protocol, 'product', product)} {strength} %: {ml:g} mL")
        lines += wrap("by strength: " + "; ".join(parts), 2)
    # One line per kind of limit, the binding one first, in words; the rule ids stay in the JSON.
    lines += ["", "  Limits (used of the maximum)"]
    for row in answer.rows:
        flag = "  OVER" if not row.within else ""
        flag += "  (closest to its limit)" if row.binding else ""
        advisory = " (warning level)" if row.advisory else ""
        lines.append(
            f"    {row.label}{advisory}: {row.used:g} of {row.max:g} {row.unit}{flag}{cites(row.citations)}"
        )
    for v in answer.violations:
        lines += wrap(f"VIOLATION ({words(v.code)}): {v.message}", 2)
    for w in answer.warnings:
        lines += wrap(f"! {w}", 2)
    return "\n".join([*lines, *sources(engine, answer)])


# --- triage and scores --------------------------------------------------------------------------


def triage(engine: Engine, answer: TriageAnswer) -> str:
    lines = [f"{words(answer.level).upper()}: {answer.display}"]
    lines += wrap(f"advice to the patient: {answer.advice}", 2)
    if answer.management:
        lines += wrap(f"management: {answer.management}", 2)
    if answer.onset:
        lines += wrap(f"onset: {answer.onset}", 2)
    expected = span(answer.expected_resolution_days, "days") if answer.expected_resolution_days else ""
    resolution = "; ".join(x for x in (answer.resolution, expected and f"expected in {expected}") if x)
    if resolution:
        lines += wrap(f"resolution: {resolution}", 2)
    if answer.follow_up:
        fu = answer.follow_up
        when = "the same day" if fu.after_days == 0 else f"after {fu.after_days:g} days"
        lines += wrap(f"follow-up {when}: {fu.purpose}{cites(fu.citations)}", 2)
    for r in answer.reasons:
        lines += wrap(f"- {r}", 2)
    lines += ["", protocol_line(answer)]
    return "\n".join([*lines, *sources(engine, answer)])


def ceap(engine: Engine, answer: CeapAnswer) -> str:
    lines = [f"CEAP clinical class: {answer.highest} (all: {', '.join(answer.c_classes)})"]
    lines.extend(f"  {code}: {answer.displays[code]}" for code in answer.c_classes)
    return "\n".join([*lines, *sources(engine, answer)])


def vcss(engine: Engine, answer: VcssAnswer) -> str:
    lines = [f"Revised VCSS: {answer.total} / {answer.maximum}"]
    for item in answer.items:
        anchor = item.anchor or "wording not confirmed"
        lines.append(f"  {words(item.item)}: {item.score} ({item.level}: {anchor})")
    lines += [line for m in answer.interpretation for line in wrap(m, 2)]
    return "\n".join([*lines, *sources(engine, answer)])
