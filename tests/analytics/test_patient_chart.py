"""The patient chart shows CEAP and VCSS per leg over time and clearance per treated area."""

from __future__ import annotations

import re
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.analytics.builder import Builder
from tests.pathway import Clinics


def chart_page(client: Client, patient_id: int) -> str:
    response = client.get(reverse("web:chart", args=[patient_id]))
    assert response.status_code == 200
    return response.content.decode()


def scored_patient(clinics: Clinics):
    b = Builder(clinics.a, clinics.alice)
    patient, plan, finding, _session = b.treated(date(2026, 1, 10))
    b.leg(b.assessment(patient, date(2025, 12, 1)), "left", 8, ceap="C2")
    b.leg(b.assessment(patient, date(2026, 3, 1)), "left", 5, ceap="C1")
    b.outcome(plan, date(2026, 2, 1), finding=finding, area="left lateral thigh", clearance_percent=50)
    b.outcome(plan, date(2026, 3, 1), finding=finding, area="left lateral thigh", clearance_percent=85)
    return b, patient, plan


def test_the_chart_draws_vcss_over_time_labelled_with_ceap(client: Client, clinics: Clinics):
    _b, patient, _plan = scored_patient(clinics)
    client.force_login(clinics.alice)
    html = chart_page(client, patient.pk)
    desc = re.search(r'<desc id="chart-vcss-left-desc">(.*?)</desc>', html)
    assert desc is not None
    assert desc.group(1) == "01/12/25, CEAP C2: VCSS 8; 01/03/26, CEAP C1: VCSS 5"
    assert "chart-vcss-right" not in html  # no scores, no chart


def test_the_chart_draws_each_areas_latest_clearance(client: Client, clinics: Clinics):
    _b, patient, _plan = scored_patient(clinics)
    client.force_login(clinics.alice)
    html = chart_page(client, patient.pk)
    desc = re.search(r'<desc id="chart-area-clearance-desc">(.*?)</desc>', html)
    assert desc is not None and desc.group(1) == "left lateral thigh (01/03/26): 85"


def test_the_patient_charts_carry_no_css(client: Client, clinics: Clinics):
    _b, patient, _plan = scored_patient(clinics)
    client.force_login(clinics.alice)
    html = chart_page(client, patient.pk)
    assert " style=" not in html and "<style" not in html


def test_reception_sees_no_clinical_charts(client: Client, clinics: Clinics):
    _b, patient, _plan = scored_patient(clinics)
    client.force_login(clinics.rita)
    assert "<svg" not in chart_page(client, patient.pk)


def test_the_charts_add_no_query_per_score(client: Client, clinics: Clinics):
    b, patient, plan = scored_patient(clinics)
    client.force_login(clinics.alice)
    with CaptureQueriesContext(connection) as ctx:
        chart_page(client, patient.pk)
    before = len(ctx.captured_queries)
    for month in (4, 5, 6):
        b.leg(b.assessment(patient, date(2026, month, 1)), "right", month)
        b.outcome(plan, date(2026, month, 2), area=f"area {month}", clearance_percent=month * 10)
    with CaptureQueriesContext(connection) as ctx:
        chart_page(client, patient.pk)
    assert len(ctx.captured_queries) == before


def test_of_two_reviews_of_an_area_on_one_day_the_last_recorded_is_drawn(client: Client, clinics: Clinics):
    b, patient, plan = scored_patient(clinics)
    b.outcome(plan, date(2026, 3, 1), area="left lateral thigh", clearance_percent=70)
    client.force_login(clinics.alice)
    html = chart_page(client, patient.pk)
    assert '<desc id="chart-area-clearance-desc">left lateral thigh (01/03/26): 70</desc>' in html
