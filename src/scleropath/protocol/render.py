"""The whole protocol as a Markdown document a clinician can review, every entry with its sources."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Protocol
from .schema import FindingMatch, NumRange, ProductDef


def _cite(ids: Iterable[str]) -> str:
    ids = list(ids)
    return f" [{'; '.join(ids)}]" if ids else ""


def _range(r: NumRange | None, unit: str = "") -> str:
    if r is None:
        return "—"
    u = f" {unit}" if unit else ""
    if r.min is not None and r.max is not None:
        return f"{r.min:g}{u}" if r.min == r.max else f"{r.min:g}–{r.max:g}{u}"
    if r.max is not None:
        return f"≤ {r.max:g}{u}"
    return f"≥ {r.min:g}{u}"


def _words(code: str) -> str:
    return code.replace("_", " ")


def _note(note: str | None) -> str:
    return f" *{note}*" if note else ""


def _header(p: Protocol) -> list[str]:
    m = p.manifest
    lines = [
        f"# {m.title}",
        "",
        f"- Protocol: `{m.id}` version {m.version} (jurisdiction {m.jurisdiction})",
        f"- Truncal reflux policy: `{m.policies.truncal_reflux}`; screening policy: `{m.policies.screening}`",
        f"- Products in use: {', '.join(m.products_in_use)}; default per agent: "
        + ", ".join(f"{_words(a)} → {pid}" for a, pid in m.default_products.items()),
    ]
    if p.clinic_id:
        lines.append(f"- Clinic protocol: `{p.clinic_id}` version {p.clinic_version}")
        if p.preferred_agent:
            lines.append(f"- Preferred agent: {_words(p.preferred_agent)}")
        for (product, vessel, form), choice in p.local_choices.items():
            flag = (
                f" **LOCAL DEVIATION from the label: {choice.deviation_reason} (approved by {choice.approved_by})**"
                if choice.deviation_reason
                else ""
            )
            lines.append(
                f"- Local choice: {product} {form} for {_words(vessel)}: {_range(choice.percent, '%')}{flag}"
            )
    lines += [
        "",
        "Every number below carries the ids of its sources in brackets; the references are listed at the end.",
    ]
    return lines


def _vessels(p: Protocol) -> list[str]:
    lines = [
        "",
        "## Vessel classes",
        "",
        "| class | layer | CEAP | treated (rank) | sources |",
        "|---|---|---|---|---|",
    ]
    for c in p.vessels.classes:
        lines.append(
            f"| {c.display} | {c.layer or '—'} | {c.ceap or '—'} | {c.treatment_rank} | {'; '.join(c.cite)} |"
        )
    lines += ["", "Diameter bands (measured standing; the first band that holds the diameter decides):", ""]
    for b in p.vessels.diameter_bands:
        low = f"≥ {b.min_mm:g} mm" if b.min_mm is not None else ""
        high = f"< {b.below_mm:g} mm" if b.below_mm is not None else ""
        lines.append(
            f"- {_words(b.vessel_class)}: {' and '.join(x for x in (low, high) if x)}{_cite(b.cite)}{_note(b.note)}"
        )
    for r in p.vessels.named_veins:
        lines.append(f"- named veins {', '.join(r.named_veins)} → {_words(r.vessel_class)}{_cite(r.cite)}")
    for rec in p.vessels.recurrent:
        lines.append(f"- recurrent {_words(rec.from_class)} → {_words(rec.to_class)}{_cite(rec.cite)}")
    for lb in p.vessels.label_boundaries:
        lines.append(
            f"- label wording ({lb.product}): {_words(lb.vessel_class)} {_range(lb.diameter_mm, 'mm')}{_cite(lb.cite)}{_note(lb.note)}"
        )
    lines.append("- A class set by the clinician wins and is reported as an override.")
    return lines


def _scores(p: Protocol) -> list[str]:
    lines = ["", "## CEAP 2020 clinical classes", ""]
    for c in [p.ceap.none_class, *p.ceap.classes]:
        signs = f" (signs: {', '.join(_words(s) for s in c.signs)})" if c.signs else ""
        lines.append(f"- **{c.code}** {c.display}{signs}{_cite(c.cite)}")
    lines += ["", "## Revised Venous Clinical Severity Score", ""]
    for item in p.vcss.items:
        anchors = "; ".join(f"{a.score} {a.level}: {a.text or 'wording not confirmed'}" for a in item.anchors)
        lines.append(f"- **{item.display}**{_cite(item.cite)}: {anchors}")
    for i in p.vcss.interpretation:
        lines.append(f"- Total ≥ {i.min_total}: {i.meaning}{_cite(i.cite)}")
    return lines


def _when(w: FindingMatch) -> str:
    parts = []
    if w.vessel_class:
        parts.append("class " + "/".join(_words(c) for c in w.vessel_class))
    if w.reflux is not None:
        parts.append("reflux " + "/".join("unknown" if r is None else str(r).lower() for r in w.reflux))
    if w.visible is not None:
        parts.append("visible" if w.visible else "not visible")
    if w.bleeding:
        parts.append("bleeding")
    if w.named_vein:
        parts.append("named vein " + "/".join(w.named_vein))
    if w.truncal_policy:
        parts.append(f"policy {w.truncal_policy}")
    return ", ".join(parts) or "any finding"


def _procedures(p: Protocol) -> list[str]:
    lines = ["", "## Procedure choice (first matching rule decides)", ""]
    for r in p.procedures.rules:
        alt = f"; alternatives: {', '.join(_words(a) for a in r.alternatives)}" if r.alternatives else ""
        ref = f" ({r.referral_for})" if r.referral_for else ""
        pre = f"; before: {', '.join(_words(x) for x in r.prerequisites)}" if r.prerequisites else ""
        lines.append(
            f"- `{r.id}` — when {_when(r.when)}: **{_words(r.procedure)}**{ref}{alt}{pre}. {r.reason}{_cite(r.cite)}"
        )
    for pr in p.procedures.patient_rules:
        lines.append(
            f"- `{pr.id}` — when the patient is {pr.when_patient}: **{pr.procedure}**. {pr.reason}{_cite(pr.cite)}"
        )
    lines.append("- A finding no rule matches is deferred to the clinician.")
    lines += ["", "Treatment order:", ""]
    lines += [f"- {o.statement}{_cite(o.cite)}" for o in p.procedures.order]
    return lines


def _product(product: ProductDef) -> list[str]:
    forms = ", ".join(product.forms)
    foam = (
        f" (foam from {', '.join(f'{s:g}%' for s in product.foamable_strengths_percent)})"
        if product.foamable_strengths_percent
        else ""
    )
    lines = [
        "",
        f"### {product.display} (`{product.id}`)",
        "",
        f"{_words(product.agent).capitalize()}; labels of {', '.join(product.jurisdictions)}; strengths "
        f"{', '.join(f'{s:g}%' for s in product.strengths_percent)}; forms {forms}{foam}.{_cite(product.cite)}{_note(product.note)}",
        "",
        "| vessel classes | form | strength | volume a site | needle | sources | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for u in product.uses:
        lines.append(
            f"| {', '.join(_words(v) for v in u.vessel_classes)} | {u.form} | {_range(u.concentration_percent, '%')} | "
            f"{_range(u.volume_per_site_ml, 'mL')} | {_range(u.needle_gauge, 'G')} | {'; '.join(u.cite)} | {u.note or ''} |"
        )
    for lim in product.limits:
        detail = {
            k: v
            for k, v in lim.model_dump().items()
            if k not in ("id", "kind", "cite", "note") and v is not None
        }
        lines.append(f"- limit `{lim.id}` ({_words(lim.kind)}): {detail}{_cite(lim.cite)}{_note(lim.note)}")
    if product.interval:
        lines.append(
            f"- interval between sessions: {_range(product.interval.days, 'days')}{_cite(product.interval.cite)}"
        )
    if product.walk:
        lines.append(
            f"- walk after the session: {_range(product.walk.minutes, 'minutes')}{_cite(product.walk.cite)}"
        )
    return lines


def _formulary(p: Protocol) -> list[str]:
    f = p.formulary
    lines = ["", "## Formulary", ""]
    for a in f.agents:
        daily = (
            f"; at most {a.daily_max_mg_per_kg:g} mg per kg a day{_cite(a.daily_max_cite)}"
            if a.daily_max_mg_per_kg
            else ""
        )
        lines.append(
            f"- **{a.display}**: 1% = {a.mg_per_ml_per_percent:g} mg/mL{daily}{_cite(a.cite)}{_note(a.note)}"
        )
    lines.append(f"- {f.lower_when_unsure.note}{_cite(f.lower_when_unsure.cite)}")
    for product in f.products:
        lines += _product(product)
    lines += ["", "### Technique", ""]
    for t in f.techniques:
        lines.append(
            f"- **{_words(t.procedure)}**: needle {_range(t.needle_gauge, 'G')}. {t.injection}{_cite(t.cite)}{_note(t.note)}"
        )
    lines += ["", "### Foam preparation", ""]
    for m in f.foam_methods:
        within = f"; use within {m.use_within_seconds:g} s" if m.use_within_seconds else ""
        lines.append(
            f"- **{m.display}**: liquid {m.liquid_parts:g} + gas {_range(m.gas_parts)}{within}. {m.description}{_cite(m.cite)}"
        )
    for g in f.general_limits:
        lines.append(f"- general limit `{g.id}`: {_words(g.kind)} ≤ {g.max:g}{_cite(g.cite)}{_note(g.note)}")
    return lines


def _screening(p: Protocol) -> list[str]:
    lines = ["", "## Contraindication screening", ""]
    for item in p.screening.items:
        lines += [
            "",
            f"### `{item.code}` — {item.question}",
            "",
            f"{item.message}{_cite(item.cite)}{_note(item.note)}",
        ]
        if item.precaution:
            lines.append(f"Precaution: {item.precaution}")
        lines += ["", "| source | kind | product | severity | forms |", "|---|---|---|---|---|"]
        for g in item.gradings:
            lines.append(
                f"| {g.source} | {g.kind} | {g.product or '—'} | {g.severity} | {', '.join(g.forms)} |"
            )
    return lines


def _aftercare(p: Protocol) -> list[str]:
    lines = ["", "## Aftercare", ""]
    for r in p.aftercare.rules:
        classes = f" ({', '.join(_words(v) for v in r.vessel_classes)})" if r.vessel_classes else ""
        lines += ["", f"### `{r.id}` — {', '.join(_words(x) for x in r.procedures)}{classes}", ""]
        if r.compression:
            c = r.compression
            lines.append(
                f"- compression: {c.strength} Days {_range(c.days)}; pressure {_range(c.pressure_mmhg, 'mmHg')}{_cite(c.cite)}{_note(c.note)}"
            )
        if r.walk:
            lines.append(
                f"- walk: {_range(r.walk.minutes, 'minutes')}{_cite(r.walk.cite)}{_note(r.walk.note)}"
            )
        for a in r.avoid:
            lines.append(
                f"- avoid {a.activity.lower()}: {_range(a.days, 'days')}{_cite(a.cite)}{_note(a.note)}"
            )
        for fu in r.follow_up:
            lines.append(
                f"- follow-up `{fu.id}` after {fu.after.value:g} {fu.after.unit}: {fu.purpose}{_cite(fu.cite)}"
            )
    lines += ["", "### Check-ins (days after treatment)", ""]
    lines += [f"- day {c.day}: {c.purpose}{_cite(c.cite)}" for c in p.aftercare.check_ins]
    lines += ["", "### What is normal", ""]
    lines += [f"- {c.event}: {c.timing}{_cite(c.cite)}" for c in p.aftercare.normal_course]
    lines += ["", "### Red flags", ""]
    lines += [
        f"- {f.symptom} → {f.action} ({_words(f.contact)}){_cite(f.cite)}" for f in p.aftercare.red_flags
    ]
    return lines


def _complications(p: Protocol) -> list[str]:
    lines = ["", "## Side effects and complications (triage)", ""]
    for s in p.complications.symptoms:
        lines += ["", f"### `{s.code}` — {s.display}: **{_words(s.level)}**", ""]
        if s.onset:
            lines.append(f"- onset: {s.onset}")
        if s.resolution or s.expected_resolution_days:
            lines.append(
                f"- resolution: {s.resolution or ''} ({_range(s.expected_resolution_days, 'days')}){_cite(s.resolution_cite)}"
            )
        if s.escalate_after_resolution:
            lines.append("- still present after the expected resolution: raised to routine review")
        lines.append(f"- advice to the patient: {s.advice}")
        if s.management:
            lines.append(f"- management: {s.management}")
        if s.follow_up:
            lines.append(
                f"- follow-up: {s.follow_up.purpose} after {s.follow_up.after.value:g} {s.follow_up.after.unit}{_cite(s.follow_up.cite)}"
            )
        lines.append(f"- sources:{_cite(s.cite)}")
    return lines


def _references(p: Protocol) -> list[str]:
    lines = ["", "## References", ""]
    for r in p.references.references:
        weak = " (weak: display text only)" if r.weak else ""
        where = f" {r.where}." if r.where else ""
        lines.append(f"- **[{r.id}]** {r.citation}{where} Grade {r.grade}; read: {r.read}.{weak}")
    return lines


def render_markdown(protocol: Protocol) -> str:
    sections = [
        _header,
        _vessels,
        _scores,
        _procedures,
        _formulary,
        _screening,
        _aftercare,
        _complications,
        _references,
    ]
    lines: list[str] = []
    for section in sections:
        lines += section(protocol)
    return "\n".join(lines) + "\n"
