"""The dashboard page: who may see it, the period, every figure with its n, charts and sources."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from scleropath.web.views.analytics import last_quarter
from tests.analytics.conftest import PERIOD, History
from tests.pathway import Clinics

URL = "analytics:dashboard"


@pytest.mark.parametrize("persona", ["alice", "mark"])
def test_clinicians_and_managers_see_the_dashboard(
    client: Client, clinics: Clinics, history: History, persona
):
    client.force_login(getattr(clinics, persona))
    response = client.get(reverse(URL), PERIOD)
    assert response.status_code == 200
    assert b"Clearance by procedure" in response.content


@pytest.mark.parametrize("persona", ["nora", "rita"])
def test_nurses_and_reception_are_refused(client: Client, clinics: Clinics, persona):
    client.force_login(getattr(clinics, persona))
    for name, args in [
        (URL, []),
        ("analytics:report_pdf", []),
        ("analytics:table_csv", ["procedure"]),
        ("analytics:drill", ["sessions"]),
    ]:
        assert client.get(reverse(name, args=args), PERIOD).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, db):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_default_period_is_the_last_full_quarter(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    with time_machine.travel(date(2026, 5, 14)):
        response = client.get(reverse(URL))
    assert response.context["d"].start == date(2026, 1, 1)
    assert response.context["d"].end == date(2026, 3, 31)


def test_last_quarter_wraps_into_the_previous_year():
    assert last_quarter(date(2026, 2, 3)) == (date(2025, 10, 1), date(2025, 12, 31))


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    response = client.get(reverse(URL), {"start": "2026-03-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert b"The period must start before it ends." in response.content


def test_every_figure_shows_its_n_and_links_to_the_records_behind_it(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    html = client.get(reverse(URL), PERIOD).content.decode()
    assert "n (areas)" in html
    for figure in [
        "sessions",
        "patients",
        "clearance",
        "procedure",
        "agent_strength",
        "practitioner",
        "satisfaction",
        "events",
        "levels",
        "retreatment",
        "vcss",
    ]:
        assert reverse("analytics:drill", args=[figure]) in html, figure


def test_the_page_says_there_is_no_confirmed_success_threshold(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    html = client.get(reverse(URL), PERIOD).content.decode()
    assert "no confirmed threshold for a successful clearance" in html
    assert "success rate" in html  # only in the sentence saying none is shown


def test_published_figures_sit_beside_the_clinics_with_their_sources(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    html = client.get(reverse(URL), PERIOD).content.decode()
    assert "complete occlusion 87.0%" in html and "[JIA2007]" in html  # beside foam sclerotherapy
    assert "frequent (1% to under 10%)" in html  # S2k band beside matting


def test_charts_are_inline_svg_without_css_so_the_strict_csp_allows_them(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    response = client.get(reverse(URL), PERIOD)
    html = response.content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, re.DOTALL)
    assert len(svgs) >= 5
    for svg in svgs:
        assert "style=" not in svg and "<style" not in svg and "<script" not in svg
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert " style=" not in html  # no inline style anywhere on the page
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id on the page is unique"


def test_every_row_of_every_table_links_to_the_records_behind_it(clinics: Clinics, history: History):
    from scleropath.analytics.queries import dashboard
    from scleropath.analytics.tables import tables

    from .conftest import END, START

    for table in tables(dashboard(clinics.a, START, END)):
        for row in table.rows:
            assert row.drill is not None, (table.name, row.cells[0])
