"""CSV for every table and the quarterly PDF report."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from scleropath.analytics import literature
from scleropath.analytics.queries import dashboard
from scleropath.analytics.tables import tables
from tests.analytics.conftest import END, PERIOD, START, History
from tests.pathway import Clinics


def csv_rows(client: Client, name: str) -> list[list[str]]:
    response = client.get(reverse("analytics:table_csv", args=[name]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_dashboard_table_has_a_csv(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.mark)
    for table in tables(dashboard(clinics.a, START, END)):
        rows = csv_rows(client, table.name)
        assert rows[0][: len(table.headers)] == table.headers
        assert len(rows) == len(table.rows) + 1


def test_the_procedure_csv_has_the_figures_and_the_published_ones_with_sources(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    rows = {r[0]: r for r in csv_rows(client, "procedure")}
    assert rows["Microsclerotherapy"][1:3] == ["3", "80"]
    assert rows["Foam sclerotherapy"][1:3] == ["1", "40"]
    assert "[JIA2007]" in rows["Foam sclerotherapy"][-1]


def test_the_literature_csv_lists_every_published_figure(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    rows = csv_rows(client, "literature")
    assert len(rows) == len(literature.PUBLISHED) + 1


def test_an_unknown_table_is_not_found(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    assert client.get(reverse("analytics:table_csv", args=["nonsense"]), PERIOD).status_code == 404


def test_the_clinic_b_csv_holds_only_clinic_b(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.bob)
    rows = csv_rows(client, "clearance")
    assert rows[1][:2] == ["1", "100"]


@pytest.fixture
def report_text(client: Client, clinics: Clinics, history: History) -> str:
    client.force_login(clinics.mark)
    response = client.get(reverse("analytics:report_pdf"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "analytics-riverside-2026-01-01-2026-03-31.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_quarterly_report_has_every_table_with_its_figures(report_text: str):
    text = " ".join(report_text.split())
    assert "Riverside Vein Clinic" in text and "1 January 2026 to 31 March 2026" in text
    for title in [
        "Clearance by procedure",
        "Satisfaction",
        "Side effects and complications by type",
        "VCSS change per leg",
        "Retreatment",
    ]:
        assert title in text
    assert "Microsclerotherapy 3 80" in text
    assert "Bruising 2 4 50 2 12" in text
    assert "JIA2007" in text
    assert "No clearance success threshold is used" in text


def test_the_quarterly_report_draws_the_charts(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.mark)
    pdf = client.get(reverse("analytics:report_pdf"), PERIOD).content
    drawing = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages)
    # The bars' colour (#1f5f99) as a PDF fill: the SVG charts were drawn, not dropped.
    assert b"0.121569 0.372549 0.6 rg" in drawing


def test_the_quarterly_report_holds_nothing_of_another_clinic(report_text: str):
    assert "Hillview" not in report_text
