"""The dashboard makes the same, bounded number of queries however many records the clinic has."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scleropath.analytics import queries
from tests.analytics.conftest import END, PERIOD, START, History, add_clinic_a_patients
from tests.pathway import Clinics

MOST_QUERIES = 14


def count(clinics: Clinics) -> int:
    with CaptureQueriesContext(connection) as ctx:
        queries.dashboard(clinics.a, START, END)
    return len(ctx.captured_queries)


def test_the_figures_take_the_same_bounded_number_of_queries_for_more_records(
    clinics: Clinics, history: History, django_assert_max_num_queries
):
    small = count(clinics)
    add_clinic_a_patients(history, 30, clinics)
    with django_assert_max_num_queries(MOST_QUERIES):
        d = queries.dashboard(clinics.a, START, END)
    assert d.sessions == 34
    assert count(clinics) == small


def test_the_dashboard_page_does_not_query_per_row(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("analytics:dashboard"), PERIOD).status_code == 200
        return len(ctx.captured_queries)

    small = page_queries()
    add_clinic_a_patients(history, 12, clinics)
    assert page_queries() == small


def test_a_drill_down_page_does_not_query_per_row(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    for figure, key in [
        ("sessions", ""),
        ("clearance", ""),
        ("events", "matting"),
        ("vcss", "right"),
        ("retreatment", ""),
    ]:
        url = reverse("analytics:drill", args=[figure])
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {**PERIOD, "key": key})
        before = len(ctx.captured_queries)
        add_clinic_a_patients(history, 3, clinics)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {**PERIOD, "key": key})
        assert len(ctx.captured_queries) == before, figure
