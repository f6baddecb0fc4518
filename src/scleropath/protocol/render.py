"""The whole protocol as a Markdown document a clinician can review, every entry with its sources.

Pure formatting: it reads the loaded :class:`Protocol` and decides nothing. Every entry shows the
ids of its sources in brackets and its note in italics; the references are listed at the end.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import LocalChoice, Protocol
from .schema import (
    AdvisoryVolume,
    AftercareRule,
    Duration,
    FindingMatch,
    FoamVolumeLimit,
    InjectionCountLimit,
    InjectionVolumeLimit,
    ProductDef,
    ProductUse,
    ScreeningItem,
    SessionLimit,
    Symptom,
    TotalVolumeLimit,
)
from .screening import caution_forms
from .wording import EMPTY, citation_list, cites, span, words

REFERENCE_KEY = (
    "Grade: A guideline, consensus or product label; B peer-reviewed study or review; C textbook, "
    "clinic or patient page. Read depth: TB table, SEC sections, AB abstract, RS reproduction, LBL label text."
)

# --- small formatters (ranges, codes and citations are worded by .wording) ----------------------


def _note(note: str | None) -> str:
    return f" *{note}*" if note else ""


def _cell(text: str | None) -> str:
    """Text safe inside a Markdown table cell: a pipe or a line break would split the row."""
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _after(d: Duration) -> str:
    if d.value == 0:
        return "the same day"
    unit = d.unit[:-1] if d.value == 1 else d.unit
    return f"after {d.value:g} {unit}"


def _at(percent: float | None) -> str:
    return f" at {percent:g} %" if percent is not None else ""


def _limit(lim: SessionLimit) -> str:
    """One product limit in words, e.g. ``total volume ≤ 4 mL a session at 3 %``."""
    if isinstance(lim, FoamVolumeLimit):
        rule = f"foam ≤ {lim.max:g} mL a session"
    elif isinstance(lim, TotalVolumeLimit):
        rule = f"total volume ≤ {lim.max:g} mL a session{_at(lim.at_concentration_percent)}"
    elif isinstance(lim, InjectionCountLimit):
        rule = f"≤ {lim.max} injection{'s' if lim.max != 1 else ''}{_at(lim.at_concentration_percent)}"
        rule += " at the first session" if lim.first_session_only else " a session"
        if lim.when_condition:
            rule += f" when `{lim.when_condition}` is present"
    elif isinstance(lim, InjectionVolumeLimit):
        form = f" of {lim.form}" if lim.form else ""
        rule = f"≤ {lim.max:g} mL{form} an injection"
    else:
        assert isinstance(lim, AdvisoryVolume)
        rule = f"advisory above {lim.above:g} mL: {lim.message}"
    return f"- limit `{lim.id}`: {rule}{cites(lim.cite)}{_note(lim.note)}"


def _label_use(p: Protocol, product: str, vessel_class: str, form: str) -> ProductUse | None:
    return next(
        (u for u in p.products[product].uses if vessel_class in u.vessel_classes and u.form == form),
        None,
    )


# --- header -------------------------------------------------------------------------------------


def _local_choice(p: Protocol, key: tuple[str, str, str], choice: LocalChoice) -> str:
    product, vessel, form = key
    use = _label_use(p, product, vessel, form)
    label = f" (label {span(use.concentration_percent, '%')})" if use else ""
    text = f"{product} {form} for {words(vessel)}: {span(choice.percent, '%')}{label}"
    if choice.deviation_reason:
        text += f" — reason: {choice.deviation_reason}; approved by {choice.approved_by}"
    return text


def _clinic(p: Protocol) -> list[str]:
    lines = [f"- Clinic protocol: `{p.clinic_id}` version {p.clinic_version}, applied on top of the above"]
    if p.preferred_agent:
        lines.append(f"- Preferred agent: {words(p.preferred_agent)}")
    for key, choice in p.local_choices.items():
        if not choice.deviation_reason:
            lines.append(f"- Local choice inside the label: {_local_choice(p, key, choice)}")
    deviations = [(k, c) for k, c in p.local_choices.items() if c.deviation_reason]
    if deviations:
        lines += [
            "",
            "> **LOCAL DEVIATIONS FROM THE LABEL** — this clinic uses values outside a label's range:",
        ]
        lines += [f"> - **LOCAL DEVIATION**: {_local_choice(p, k, c)}" for k, c in deviations]
    return lines


def _header(p: Protocol) -> list[str]:
    m = p.manifest
    lines = [
        f"# {m.title}",
        "",
        f"- Protocol: `{m.id}` version {m.version}",
        f"- Jurisdiction: {m.jurisdiction}",
        f"- Truncal reflux policy: `{m.policies.truncal_reflux}`; screening policy: `{m.policies.screening}`",
        f"- Products in use: {', '.join(m.products_in_use)}; default per agent: "
        + ", ".join(f"{words(a)} → {pid}" for a, pid in m.default_products.items()),
    ]
    if p.clinic_id:
        lines += _clinic(p)
    lines += [
        "",
        "Every entry carries the ids of its sources in brackets and its note in italics; "
        "the references are listed at the end.",
    ]
    return lines


# --- sections -----------------------------------------------------------------------------------


def _vessels(p: Protocol) -> list[str]:
    lines = [
        "",
        "## Vessel classes",
        "",
        "| class | id | layer | CEAP | treatment rank (lower first) | sources | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in p.vessels.classes:
        lines.append(
            f"| {_cell(c.display)} | `{c.id}` | {c.layer or EMPTY} | {c.ceap or EMPTY} | {c.treatment_rank} "
            f"| {citation_list(c.cite)} | {_cell(c.note)} |"
        )
    lines += ["", "Diameter bands (measured standing; the first band that holds the diameter decides):", ""]
    for b in p.vessels.diameter_bands:
        low = f"≥ {b.min_mm:g} mm" if b.min_mm is not None else ""
        high = f"< {b.below_mm:g} mm" if b.below_mm is not None else ""
        bounds = " and ".join(x for x in (low, high) if x)
        lines.append(f"- {words(b.vessel_class)}: {bounds}{cites(b.cite)}{_note(b.note)}")
    for r in p.vessels.named_veins:
        lines.append(
            f"- named veins {', '.join(r.named_veins)} → {words(r.vessel_class)}{cites(r.cite)}{_note(r.note)}"
        )
    for rec in p.vessels.recurrent:
        lines.append(
            f"- recurrent {words(rec.from_class)} → {words(rec.to_class)}{cites(rec.cite)}{_note(rec.note)}"
        )
    for lb in p.vessels.label_boundaries:
        lines.append(
            f"- label wording ({lb.product}): {words(lb.vessel_class)} {span(lb.diameter_mm, 'mm')}"
            f"{cites(lb.cite)}{_note(lb.note)}"
        )
    lines.append("- A class set by the clinician wins and is reported as an override.")
    return lines


def _ceap(p: Protocol) -> list[str]:
    lines = ["", "## CEAP 2020 clinical classes", ""]
    for c in [p.ceap.none_class, *p.ceap.classes]:
        signs = f" (signs: {', '.join(words(s) for s in c.signs)})" if c.signs else ""
        lines.append(f"- **{c.code}** {c.display}{signs}{cites(c.cite)}{_note(c.note)}")
    return lines


def _vcss(p: Protocol) -> list[str]:
    lines = ["", "## Revised Venous Clinical Severity Score", ""]
    for item in p.vcss.items:
        lines.append(f"- **{item.display}** (`{item.id}`){cites(item.cite)}{_note(item.note)}")
        lines += [
            f"  - {a.score} {a.level}: {a.text or 'wording not confirmed'}"
            for a in sorted(item.anchors, key=lambda a: a.score)
        ]
    for i in p.vcss.interpretation:
        lines.append(f"- Total ≥ {i.min_total}: {i.meaning}{cites(i.cite)}{_note(i.note)}")
    return lines


def _when(w: FindingMatch) -> str:
    parts = []
    if w.vessel_class:
        parts.append("class " + " or ".join(words(c) for c in w.vessel_class))
    if w.reflux is not None:
        parts.append(
            "reflux " + " or ".join("unknown" if r is None else ("yes" if r else "no") for r in w.reflux)
        )
    if w.visible is not None:
        parts.append("visible" if w.visible else "not visible")
    if w.bleeding is not None:
        parts.append("bleeding" if w.bleeding else "not bleeding")
    if w.named_vein:
        parts.append("named vein " + " or ".join(w.named_vein))
    if w.truncal_policy:
        parts.append(f"truncal policy `{w.truncal_policy}`")
    return ", ".join(parts) or "any finding"


def _procedures(p: Protocol) -> list[str]:
    lines = ["", "## Procedures", ""]
    for d in p.procedures.procedures:
        forms = ", ".join(d.forms) if d.forms else "no sclerosant"
        lines.append(f"- **{d.display}** (`{d.id}`): {forms}")
    lines += ["", "### Procedure choice (rules in order; the first that matches decides)", ""]
    for i, r in enumerate(p.procedures.rules, start=1):
        lines.append(f"{i}. `{r.id}` — when {_when(r.when)}: **{words(r.procedure)}**")
        if r.referral_for:
            lines.append(f"    - referral for: {r.referral_for}")
        if r.alternatives:
            lines.append(f"    - alternatives: {', '.join(words(a) for a in r.alternatives)}")
        if r.prerequisites:
            lines.append(f"    - before treatment: {', '.join(words(x) for x in r.prerequisites)}")
        lines.append(f"    - reason: {r.reason}{cites(r.cite)}{_note(r.note)}")
    lines += ["", "Patient rules, applied after the finding's rule:", ""]
    for pr in p.procedures.patient_rules:
        lines.append(
            f"- `{pr.id}` — when the patient is {pr.when_patient}: **{pr.procedure}**. "
            f"{pr.reason}{cites(pr.cite)}{_note(pr.note)}"
        )
    lines.append("- A finding no rule matches is deferred to the clinician.")
    return lines


def _order(p: Protocol) -> list[str]:
    lines = ["", "## Treatment order", ""]
    lines += [f"- `{o.id}`: {o.statement}{cites(o.cite)}{_note(o.note)}" for o in p.procedures.order]
    lines += ["", "Regions, proximal (level 0) to distal:", "", "| region | id | level |", "|---|---|---|"]
    lines += [f"| {_cell(r.display)} | `{r.id}` | {r.level} |" for r in p.procedures.regions]
    return lines


def _use_row(p: Protocol, product: ProductDef, u: ProductUse) -> str:
    local = [
        f"**{'LOCAL DEVIATION' if c.deviation_reason else 'Clinic'}: {words(vessel)} {span(c.percent, '%')}**"
        for (pid, vessel, form), c in p.local_choices.items()
        if pid == product.id and form == u.form and vessel in u.vessel_classes
    ]
    notes = " ".join(x for x in [_cell(u.note), *local] if x)
    return (
        f"| {', '.join(words(v) for v in u.vessel_classes)} | {u.form} | {span(u.concentration_percent, '%')} "
        f"| {span(u.volume_per_site_ml, 'mL')} | {span(u.needle_gauge, 'G')} | {citation_list(u.cite)} | {notes} |"
    )


def _product(p: Protocol, product: ProductDef) -> list[str]:
    foamable = product.foamable_strengths_percent
    foam = f" (foam from {', '.join(f'{s:g} %' for s in foamable)})" if foamable else ""
    lines = [
        "",
        f"### {product.display} (`{product.id}`)",
        "",
        f"- agent: {words(product.agent)}; labels of {', '.join(product.jurisdictions)}"
        f"{cites(product.cite)}{_note(product.note)}",
        f"- strengths: {', '.join(f'{s:g} %' for s in product.strengths_percent)}",
        f"- forms: {', '.join(product.forms)}{foam}",
        "",
        "| vessel classes | form | concentration | volume per site | needle | sources | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [_use_row(p, product, u) for u in product.uses]
    lines.append("")
    lines += [_limit(lim) for lim in product.limits]
    if product.interval:
        i = product.interval
        lines.append(f"- interval between sessions: {span(i.days, 'days')}{cites(i.cite)}{_note(i.note)}")
    if product.walk:
        w = product.walk
        lines.append(f"- walk after the session: {span(w.minutes, 'minutes')}{cites(w.cite)}{_note(w.note)}")
    return lines


def _agents(p: Protocol) -> list[str]:
    f = p.formulary
    lines = ["", "## Formulary", "", "Strengths are % weight/volume.", ""]
    for a in f.agents:
        lines.append(f"- **{a.display}** (`{a.id}`): 1 % = {a.mg_per_ml_per_percent:g} mg/mL{cites(a.cite)}")
        if a.daily_max_mg_per_kg:
            lines.append(f"  - daily maximum: {a.daily_max_mg_per_kg:g} mg per kg{cites(a.daily_max_cite)}")
        else:
            lines.append("  - daily maximum: none by weight")
        if a.synonyms:
            lines.append(f"  - also known as (matched in allergy entries): {', '.join(a.synonyms)}")
        if a.note:
            lines.append(f"  - note:{_note(a.note)}")
    lines.append(f"- {f.lower_when_unsure.note}{cites(f.lower_when_unsure.cite)}")
    return lines


def _formulary(p: Protocol) -> list[str]:
    lines = _agents(p)
    for product in p.formulary.products:
        lines += _product(p, product)
    return lines


def _techniques(p: Protocol) -> list[str]:
    f = p.formulary
    lines = ["", "## Techniques", ""]
    for t in f.techniques:
        needle = f"needle {span(t.needle_gauge, 'G')}. " if t.needle_gauge else ""
        lines.append(f"- **{words(t.procedure)}**: {needle}{t.injection}{cites(t.cite)}{_note(t.note)}")
    lines += ["", "## Foam preparation", ""]
    for m in f.foam_methods:
        within = f"; use within {m.use_within_seconds:g} s" if m.use_within_seconds else ""
        lines.append(
            f"- **{m.display}** (`{m.id}`): liquid {m.liquid_parts:g} + gas {span(m.gas_parts)}{within}. "
            f"{m.description}{cites(m.cite)}{_note(m.note)}"
        )
    lines += ["", "## General limits (whatever the product)", ""]
    for g in f.general_limits:
        lines.append(f"- limit `{g.id}`: foam ≤ {g.max:g} mL a session{cites(g.cite)}{_note(g.note)}")
    return lines


def _screening_item(item: ScreeningItem) -> list[str]:
    lines = [
        "",
        f"### `{item.code}` — {item.display}",
        "",
        f"Asked as: {item.question}",
        "",
        f"{item.message}{cites(item.cite)}{_note(item.note)}",
    ]
    if item.precaution:
        lines += ["", f"**Precaution:** {item.precaution}"]
    forms = caution_forms(item)
    if forms:
        lines += ["", f"**Repeated on each finding planned with:** {', '.join(sorted(forms))}"]
    lines += ["", "| source | kind | product | severity | forms |", "|---|---|---|---|---|"]
    lines += [
        f"| {g.source} | {g.kind} | {g.product or EMPTY} | {g.severity} | {', '.join(g.forms)} |"
        for g in item.gradings
    ]
    return lines


def _screening(p: Protocol) -> list[str]:
    lines = ["", "## Contraindication screening"]
    for item in p.screening.items:
        lines += _screening_item(item)
    return lines


def _aftercare_rule(r: AftercareRule) -> list[str]:
    classes = f" ({', '.join(words(v) for v in r.vessel_classes)})" if r.vessel_classes else ""
    lines = [
        "",
        f"### `{r.id}` — {', '.join(words(x) for x in r.procedures)}{classes}",
        "",
        f"Sources of the rule:{cites(r.cite)}{_note(r.note)}",
        "",
    ]
    if r.compression:
        c = r.compression
        amounts = [span(x, unit) for x, unit in ((c.days, "days"), (c.pressure_mmhg, "mmHg")) if x]
        amount = f"{' at '.join(amounts)}. " if amounts else ""
        lines.append(f"- compression: {amount}{c.strength}{cites(c.cite)}{_note(c.note)}")
    if r.walk:
        lines.append(f"- walk: {span(r.walk.minutes, 'minutes')}{cites(r.walk.cite)}{_note(r.walk.note)}")
    lines += [
        f"- avoid {a.activity.lower()}: {span(a.days, 'days') if a.days else 'no number given'}"
        f"{cites(a.cite)}{_note(a.note)}"
        for a in r.avoid
    ]
    lines += [
        f"- follow-up `{fu.id}` {_after(fu.after)}: {fu.purpose}{cites(fu.cite)}{_note(fu.note)}"
        for fu in r.follow_up
    ]
    return lines


def _aftercare(p: Protocol) -> list[str]:
    lines = ["", "## Aftercare (the first rule matching the procedure and vessel class applies)"]
    for r in p.aftercare.rules:
        lines += _aftercare_rule(r)
    a = p.aftercare
    lines += ["", "### Check-ins (days after treatment)", ""]
    lines += [f"- day {c.day}: {c.purpose}{cites(c.cite)}{_note(c.note)}" for c in a.check_ins]
    lines += ["", "### Expected course", ""]
    lines += [f"- {c.event}: {c.timing}{cites(c.cite)}{_note(c.note)}" for c in a.normal_course]
    lines += ["", "### Red flags", ""]
    lines += [
        f"- {f.symptom} → {f.action} (contact: {words(f.contact)}){cites(f.cite)}{_note(f.note)}"
        for f in a.red_flags
    ]
    return lines


def _symptom(s: Symptom) -> list[str]:
    lines = [
        "",
        f"### `{s.code}` — {s.display}: **{words(s.level)}**",
        "",
        f"- patient's words: {s.patient_wording}",
    ]
    if s.onset:
        lines.append(f"- onset: {s.onset}")
    if s.resolution or s.expected_resolution_days:
        days = f"expected in {span(s.expected_resolution_days, 'days')}" if s.expected_resolution_days else ""
        text = "; ".join(x for x in (s.resolution, days) if x)
        lines.append(f"- resolution: {text}{cites(s.resolution_cite)}")
    if s.escalate_after_resolution:
        lines.append("- still present after the expected resolution: raised to routine review")
    lines.append(f"- advice to the patient: {s.advice}")
    if s.management:
        lines.append(f"- management: {s.management}")
    if s.follow_up:
        fu = s.follow_up
        lines.append(f"- follow-up {_after(fu.after)}: {fu.purpose}{cites(fu.cite)}{_note(fu.note)}")
    lines.append(f"- sources:{cites(s.cite)}{_note(s.note)}")
    return lines


def _complications(p: Protocol) -> list[str]:
    lines = ["", "## Side effects and complications (triage)"]
    for s in p.complications.symptoms:
        lines += _symptom(s)
    return lines


def _photography(p: Protocol) -> list[str]:
    o = p.photography.outcome_measure
    lines = ["", "## Clinical photographs", "", f"{o.statement}{cites(o.cite)}{_note(o.note)}", ""]
    lines += [
        "Standard views (a clinic setting: no cited source standardises the views themselves):",
        "",
        "| view | code | legs | close-up |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {_cell(v.display)} | `{v.code}` | {', '.join(v.sides)} | {'yes' if v.close_up else 'no'} |"
        for v in p.photography.views
    ]
    return lines


def _references(p: Protocol) -> list[str]:
    lines = ["", "## References", "", REFERENCE_KEY, ""]
    for r in p.references.references:
        weak = " (weak: display text only)" if r.weak else ""
        where = f" {r.where}." if r.where else ""
        lines.append(f"- **[{r.id}]** {r.citation}{where} Grade {r.grade}; read depth {r.read}.{weak}")
    return lines


SECTIONS: tuple[Callable[[Protocol], list[str]], ...] = (
    _header,
    _vessels,
    _ceap,
    _vcss,
    _procedures,
    _order,
    _formulary,
    _techniques,
    _screening,
    _aftercare,
    _complications,
    _photography,
    _references,
)


def render_markdown(protocol: Protocol) -> str:
    """The whole protocol as one Markdown document, in the order a reviewer reads it."""
    lines: list[str] = []
    for section in SECTIONS:
        lines += section(protocol)
    return "\n".join(lines) + "\n"
