"""List pages make a fixed number of queries, however many rows they show."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scleropath.patients import services as patients
from tests.pathway import Clinics, Pathway


def queries_for(client: Client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def add_patients(clinics: Clinics, n: int) -> None:
    for i in range(n):
        patients.create_patient(
            clinics.alice,
            given_name=f"Test{i}",
            family_name="Jones",
            date_of_birth=date(1980, 1, 1 + i % 28),
            sex="female",
        )


def test_the_patient_search_does_not_query_per_row(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    url = reverse("web:patients")
    few = queries_for(client, url, q="jones")
    add_patients(clinics, 15)
    assert queries_for(client, url, q="jones") == few


def test_today_does_not_query_per_row(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    url = reverse("web:today")
    few = queries_for(client, url)
    add_patients(clinics, 5)
    assert queries_for(client, url) == few


def test_the_chart_timeline_does_not_query_per_entry(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    url = reverse("web:chart", args=[pathway.patient.pk])
    few = queries_for(client, url)
    for _ in range(4):
        patients.record_weight(clinics.alice, pathway.patient, 70)
        patients.record_screening(clinics.alice, pathway.patient, conditions=[], allergies=[])
    assert queries_for(client, url) == few
