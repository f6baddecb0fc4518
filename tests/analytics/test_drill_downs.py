"""The list behind each figure: the same records the figure counted, only of the user's clinic."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from scleropath.web.views import analytics as views
from tests.analytics.conftest import PERIOD, History
from tests.pathway import Clinics


def names(client: Client, figure: str, key: str = "", **extra: str) -> list[str]:
    response = client.get(reverse("analytics:drill", args=[figure]), {**PERIOD, "key": key, **extra})
    assert response.status_code == 200
    return [row.cells[0] for row in response.context["rows"]]


def test_the_sessions_behind_the_session_count(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    expected = {str(p) for p in (history.p1, history.p2, history.p3, history.p4)}
    assert set(names(client, "sessions")) == expected
    assert set(names(client, "patients")) == expected


def test_the_areas_behind_a_procedure_and_a_clearance_band(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    assert set(names(client, "procedure", "microsclerotherapy")) == {
        str(history.p1),
        str(history.p3),
        str(history.p5),
    }
    assert names(client, "procedure", "foam_sclerotherapy") == [str(history.p2)]
    assert set(names(client, "clearance", "3")) == {str(history.p1), str(history.p3)}
    assert names(client, "agent_strength", "sodium_tetradecyl_sulfate|1") == [str(history.p2)]
    assert names(client, "practitioner", str(clinics.nora.pk)) == [str(history.p3)]


def test_the_patients_behind_satisfaction_events_retreatment_and_vcss(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    assert names(client, "satisfaction", "5") == [str(history.p3)]
    assert set(names(client, "events", "bruising")) == {str(history.p1), str(history.p2)}
    assert names(client, "levels", "routine_review") == [str(history.p3)]
    assert set(names(client, "retreatment", "needing")) == {str(history.p1), str(history.p4)}
    assert set(names(client, "vcss", "left")) == {str(history.p1), str(history.p2), str(history.p4)}


def test_another_clinics_records_never_appear_in_a_drill_down(
    client: Client, clinics: Clinics, history: History
):
    client.force_login(clinics.alice)
    b_name = str(history.b_patient)
    for figure, key in [
        ("sessions", ""),
        ("patients", ""),
        ("clearance", ""),
        ("procedure", "microsclerotherapy"),
        ("satisfaction", ""),
        ("events", "bruising"),
        ("retreatment", ""),
        ("vcss", "left"),
    ]:
        assert b_name not in names(client, figure, key), figure


def test_clinic_b_sees_only_its_own_figures(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.bob)
    d = client.get(reverse("analytics:dashboard"), PERIOD).context["d"]
    assert (d.sessions, d.clearance.n, d.clearance.median) == (1, 1, 100.0)
    assert names(client, "sessions") == [str(history.b_patient)]
    assert str(history.p1) not in client.get(reverse("analytics:dashboard"), PERIOD).content.decode()


def test_drill_downs_are_paginated(client: Client, clinics: Clinics, history: History, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(clinics.alice)
    first = client.get(reverse("analytics:drill", args=["sessions"]), PERIOD)
    assert len(first.context["rows"]) == 2 and first.context["page"].paginator.count == 4
    second = client.get(reverse("analytics:drill", args=["sessions"]), {**PERIOD, "page": "2"})
    assert {r.cells[0] for r in first.context["rows"]} | {r.cells[0] for r in second.context["rows"]} == {
        str(p) for p in (history.p1, history.p2, history.p3, history.p4)
    }


def test_rows_link_to_the_patients_chart(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    html = client.get(
        reverse("analytics:drill", args=["retreatment"]), {**PERIOD, "key": "needing"}
    ).content.decode()
    assert reverse("web:chart", args=[history.p1.pk]) in html


def test_an_unknown_figure_or_key_is_not_found(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    for figure, key in [
        ("nonsense", ""),
        ("clearance", "9"),
        ("vcss", "middle"),
        ("practitioner", "x"),
        ("retreatment", "odd"),
    ]:
        assert (
            client.get(reverse("analytics:drill", args=[figure]), {**PERIOD, "key": key}).status_code == 404
        )


def test_a_drill_down_lists_as_csv(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    response = client.get(
        reverse("analytics:drill", args=["events"]), {**PERIOD, "key": "bruising", "format": "csv"}
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == "Patient,Type,Triage level,Session,Onset,Resolved"
    assert len(lines) == 3


def test_a_practitioners_list_is_titled_with_their_name(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    response = client.get(
        reverse("analytics:drill", args=["practitioner"]), {**PERIOD, "key": str(clinics.nora.pk)}
    )
    assert response.context["drill"].title == "Treated areas: Nora"


def test_another_clinics_practitioner_lists_nothing(client: Client, clinics: Clinics, history: History):
    client.force_login(clinics.alice)
    response = client.get(
        reverse("analytics:drill", args=["practitioner"]), {**PERIOD, "key": str(clinics.bob.pk)}
    )
    assert response.context["rows"] == []
    assert "Bob" not in response.content.decode()
