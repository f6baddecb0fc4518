"""One patient's charts for the chart page: CEAP and VCSS per leg over time, clearance per area.

Drawn from the records the chart page has already loaded, so they add no query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.safestring import SafeString

from . import charts


def leg_charts(legs: Mapping[str, Sequence[Any]]) -> dict[str, SafeString]:
    """Per side with at least one score: its VCSS at each assessment, labelled with the CEAP class."""
    out: dict[str, SafeString] = {}
    for side, scores in legs.items():
        if not scores:
            continue
        points = [
            (f"{s.assessment.assessed_at:%d/%m/%y}\n{s.ceap_highest}", int(s.vcss_total)) for s in scores
        ]
        out[side] = charts.leg_scores_over_time(side, points)
    return out


def area_clearance(outcomes: Iterable[Any]) -> SafeString | None:
    """Each treated area's latest clearance measured by a clinician (none when there is none)."""
    latest: dict[str, tuple[Any, int, int]] = {}
    for o in outcomes:
        if o.clearance_percent is None or o.voided_at is not None:
            continue
        seen = latest.get(o.area)
        # The later review wins; of two on one day, the one recorded last.
        if seen is None or (o.assessed_on, o.pk) > seen[:2]:
            latest[o.area] = (o.assessed_on, o.pk, int(o.clearance_percent))
    if not latest:
        return None
    points = [(f"{area} ({day:%d/%m/%y})", value) for area, (day, _pk, value) in sorted(latest.items())]
    return charts.clearance_per_area(points)


def chart_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """What the patient chart adds to its context (after ``web.timeline.chart_context``)."""
    if not context.get("clinical"):
        return {}
    return {
        "leg_charts": leg_charts(context.get("legs", {})),
        "area_chart": area_clearance(context.get("outcomes", [])),
    }
