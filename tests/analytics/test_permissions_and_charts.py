"""Who may view analytics, and the charts' SVG as the page embeds it."""

from __future__ import annotations

import pytest

from scleropath.accounts.permissions import Action, can
from scleropath.analytics import charts
from tests.pathway import Clinics


@pytest.mark.parametrize(
    ("persona", "allowed"), [("alice", True), ("mark", True), ("nora", False), ("rita", False), ("bob", True)]
)
def test_view_analytics_by_persona(clinics: Clinics, persona: str, allowed: bool):
    assert can(getattr(clinics, persona), Action.VIEW_ANALYTICS) is allowed


def test_a_chart_has_no_css_a_title_a_description_and_prefixed_ids():
    svg = str(charts.horizontal_bars("chart-x", "A <title>", ["one", "two"], [10, None], axis_label="n"))
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "style" not in svg
    assert '<title id="chart-x-title">A &lt;title&gt;</title>' in svg
    assert '<desc id="chart-x-desc">one: 10; two: no data</desc>' in svg
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert 'fill="#1f5f99"' in svg
    import re

    assert all(i.startswith("chart-x-") for i in re.findall(r'\bid="([^"]+)"', svg))
    assert all(ref.startswith("chart-x-") for ref in re.findall(r"url\(#([^)]+)\)", svg))


def test_the_same_chart_twice_is_the_same_svg():
    one = charts.vertical_bars("c", "T", ["a", "b"], [1, 2], axis_label="n")
    two = charts.vertical_bars("c", "T", ["a", "b"], [1, 2], axis_label="n")
    assert one == two
