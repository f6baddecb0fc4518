"""Charts as SVG drawn on the server with matplotlib, safe to put inline under the strict CSP.

Each chart is its own ``matplotlib.figure.Figure`` (no pyplot, so no state shared between
threads). matplotlib writes colours as ``style`` attributes and a ``<style>`` element, which the
page's ``style-src 'self'`` would block; ``clean_svg`` turns them into SVG presentation attributes
and drops the element, so the markup carries no CSS at all. Every chart has a ``<title>`` and a
``<desc>`` and sits next to a table with the same numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure

from .queries import CLEARANCE_BANDS, Clearance, Dashboard, EventRate, Satisfaction, VcssChange

BLUE = "#1f5f99"
FONT = 8

_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)([")])')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_PROPERTY = re.compile(r"^[a-z-]+$")


def _as_attributes(match: re.Match[str]) -> str:
    out = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and _PROPERTY.match(name) and '"' not in value:
            out.append(f' {name}="{escape(value)}"')
    return "".join(out)


def clean_svg(svg: str, name: str, title: str, description: str) -> str:
    """matplotlib's SVG made embeddable: no CSS, ids prefixed with ``name``, a title and a
    description, and the image role for assistive technology."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTR.sub(_as_attributes, svg)
    # matplotlib's ids are salted hashes: number them in order so they are stable and unique on
    # a page that holds several charts.
    renamed: dict[str, str] = {}
    for old in _ID.findall(svg):
        renamed.setdefault(old, f"{name}-{len(renamed) + 1}")
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{renamed.get(m.group(2), m.group(2))}{m.group(3)}", svg)
    title_id, desc_id = f"{name}-title", f"{name}-desc"
    head = (
        f'<svg role="img" aria-labelledby="{title_id} {desc_id}" stroke-linejoin="round" '
        f'stroke-linecap="butt" class="chart"'
    )
    svg = svg.replace("<svg", head, 1)
    opening_end = svg.index(">") + 1
    svg = (
        svg[:opening_end]
        + f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
        + svg[opening_end:]
    )
    return svg.strip()


def _render(fig: Figure, name: str, title: str, description: str) -> SafeString:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return mark_safe(clean_svg(buffer.getvalue(), name, title, description))


def _figure(rows: int = 1, width: float = 5.2) -> Figure:
    height = max(1.6, 0.32 * rows + 0.9)
    fig = Figure(figsize=(width, height), dpi=72)
    fig.set_layout_engine("tight")  # as good here as "constrained", and twice as fast
    return fig


def _style_axes(ax: object) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)  # type: ignore[attr-defined]
    ax.tick_params(labelsize=FONT)  # type: ignore[attr-defined]


def horizontal_bars(
    name: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    axis_label: str,
    limit: float | None = None,
    description: str = "",
) -> SafeString:
    """One bar per label; a missing value draws no bar."""
    fig = _figure(len(labels))
    ax = fig.add_subplot()
    shown = [0.0 if v is None else float(v) for v in values]
    ax.barh(list(range(len(labels))), shown, color=BLUE)
    ax.set_yticks(list(range(len(labels))), labels=list(labels))
    ax.invert_yaxis()
    ax.set_xlabel(axis_label, fontsize=FONT)
    if limit is not None:
        ax.set_xlim(0, limit)
    _style_axes(ax)
    text = description or "; ".join(
        f"{label}: {'no data' if v is None else format(v, 'g')}"
        for label, v in zip(labels, values, strict=True)
    )
    return _render(fig, name, title, text)


def vertical_bars(
    name: str, title: str, labels: Sequence[str], values: Sequence[int], *, axis_label: str
) -> SafeString:
    fig = _figure(3, width=4.2)
    ax = fig.add_subplot()
    ax.bar(list(range(len(labels))), list(values), color=BLUE)
    ax.set_xticks(list(range(len(labels))), labels=list(labels))
    ax.set_ylabel(axis_label, fontsize=FONT)
    ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    _style_axes(ax)
    text = "; ".join(f"{label}: {v}" for label, v in zip(labels, values, strict=True))
    return _render(fig, name, title, text)


# --- the dashboard's charts ----------------------------------------------------------------------


def clearance_distribution(c: Clearance) -> SafeString:
    return vertical_bars(
        "chart-clearance",
        f"Clearance of treated areas (n = {c.n})",
        [label for label, *_ in CLEARANCE_BANDS],
        list(c.bands),
        axis_label="Treated areas",
    )


def clearance_medians(name: str, title: str, rows: Sequence[Clearance]) -> SafeString:
    return horizontal_bars(
        name,
        title,
        [f"{r.label} (n = {r.n})" for r in rows],
        [r.median for r in rows],
        axis_label="Median clearance (%)",
        limit=100,
    )


def satisfaction_chart(s: Satisfaction) -> SafeString:
    return vertical_bars(
        "chart-satisfaction",
        f"Satisfaction scores (n = {s.n})",
        ["1", "2", "3", "4", "5"],
        list(s.counts),
        axis_label="Answers",
    )


def event_chart(rows: Sequence[EventRate]) -> SafeString:
    return horizontal_bars(
        "chart-events",
        "Adverse events per 100 sessions",
        [f"{r.label} (n = {r.events})" for r in rows],
        [r.per_100_sessions for r in rows],
        axis_label="Events per 100 sessions",
    )


def vcss_chart(rows: Sequence[VcssChange]) -> SafeString:
    return horizontal_bars(
        "chart-vcss",
        "Mean change in VCSS per leg, first to last assessment",
        [f"{r.side.capitalize()} leg (n = {r.legs})" for r in rows],
        [r.mean_change for r in rows],
        axis_label="Change in VCSS (negative is better)",
    )


def dashboard_charts(d: Dashboard) -> dict[str, SafeString]:
    """Every chart of the dashboard, keyed by the figure it draws; empty figures get none."""
    charts: dict[str, SafeString] = {}
    if d.clearance.n:
        charts["clearance"] = clearance_distribution(d.clearance)
    if d.by_procedure:
        charts["procedure"] = clearance_medians(
            "chart-procedure", "Median clearance by procedure", d.by_procedure
        )
    if d.by_agent_strength:
        charts["agent_strength"] = clearance_medians(
            "chart-agent", "Median clearance by agent and strength", d.by_agent_strength
        )
    if d.by_practitioner:
        charts["practitioner"] = clearance_medians(
            "chart-practitioner", "Median clearance by practitioner", d.by_practitioner
        )
    if d.satisfaction.n:
        charts["satisfaction"] = satisfaction_chart(d.satisfaction)
    if d.events_by_symptom:
        charts["events"] = event_chart(d.events_by_symptom)
    if any(v.legs for v in d.vcss):
        charts["vcss"] = vcss_chart(d.vcss)
    return charts


# --- one patient's charts ------------------------------------------------------------------------


def leg_scores_over_time(side: str, points: Sequence[tuple[str, int]], name: str | None = None) -> SafeString:
    """A leg's VCSS at each assessment (dates as labels, in order)."""
    fig = _figure(3, width=4.2)
    ax = fig.add_subplot()
    xs = list(range(len(points)))
    ax.plot(xs, [v for _, v in points], marker="o", color=BLUE)
    ax.set_xticks(xs, labels=[d for d, _ in points])
    ax.set_ylabel("VCSS (0-30)", fontsize=FONT)
    ax.set_ylim(0, max(10, *(v for _, v in points)) + 1)
    ax.tick_params(axis="x", labelsize=FONT - 1)
    _style_axes(ax)
    text = "; ".join(f"{d.replace(chr(10), ', CEAP ')}: VCSS {v}" for d, v in points)
    title = f"{side.capitalize()} leg: VCSS over time, each point labelled with its CEAP class"
    return _render(fig, name or f"chart-vcss-{side}", title, text)


def clearance_per_area(points: Sequence[tuple[str, int]]) -> SafeString:
    return horizontal_bars(
        "chart-area-clearance",
        "Latest clearance per treated area",
        [label for label, _ in points],
        [v for _, v in points],
        axis_label="Clearance (%)",
        limit=100,
    )
