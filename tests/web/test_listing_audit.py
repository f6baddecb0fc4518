"""Every list of patients writes one audit entry naming exactly the patients it showed (the page
shown, the search made), and a failed audit write never fails the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from scleropath.accounts.models import User
from scleropath.api.tokens import create_token
from scleropath.checkins.services import answer_check_in
from scleropath.patients import services as patients
from scleropath.patients.admin import PatientAdmin
from scleropath.patients.models import Patient
from scleropath.web.views import analytics as analytics_views
from tests.analytics.builder import Builder
from tests.pathway import Clinics, Pathway

QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}


def listings(user: User) -> list[LogEntry]:
    """The list entries written for ``user``, oldest first."""
    return list(
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk="", actor=user).order_by("pk")
    )


def shown(user: User) -> list[int]:
    """The patients named by the one list entry written for ``user``."""
    (entry,) = listings(user)
    assert entry.content_type.model_class() is Patient
    return list(entry.additional_data["patient_ids"])


def register(clinics: Clinics, given: str, family: str) -> Patient:
    return patients.create_patient(
        clinics.alice, given_name=given, family_name=family, date_of_birth=date(1980, 2, 3), sex="female"
    )


# --- patients list and search ----------------------------------------------------------------------


def test_a_patient_search_records_exactly_the_patients_it_found(
    client: Client, clinics: Clinics, pathway: Pathway
):
    other_jones = register(clinics, "Bea", "Jones")
    register(clinics, "Cy", "Smith")
    client.force_login(clinics.nora)
    response = client.get(reverse("web:patients"), {"q": "jones"})
    assert {p.pk for p in response.context["results"]} == {pathway.patient.pk, other_jones.pk}
    assert shown(clinics.nora) == [p.pk for p in response.context["results"]]
    (entry,) = listings(clinics.nora)
    assert "jones" in entry.additional_data["listing"]
    client.get(reverse("web:patients"), {"q": "nobody"})
    assert listings(clinics.nora) == [entry]  # a search that shows no one reads no one


def test_the_patient_list_records_only_the_newest_patients_it_showed(client: Client, clinics: Clinics):
    registered = [register(clinics, f"Pat{i}", "Lee") for i in range(22)]
    client.force_login(clinics.rita)
    results = client.get(reverse("web:patients")).context["results"]
    assert len(results) == 20
    assert shown(clinics.rita) == [p.pk for p in results]
    assert not {registered[0].pk, registered[1].pk} & set(shown(clinics.rita))


# --- Today and the flags -----------------------------------------------------------------------------


def test_today_records_the_patients_it_shows_and_no_others(
    client: Client, clinics: Clinics, pathway: Pathway
):
    register(clinics, "Dee", "Quiet")  # nothing of hers is due today
    client.force_login(clinics.alice)
    response = client.get(reverse("web:today"))
    assert [s.patient for s in response.context["open_sessions"]] == [pathway.patient]
    assert shown(clinics.alice) == [pathway.patient.pk]


def test_the_flags_page_records_the_patients_whose_flags_it_shows(
    client: Client, clinics: Clinics, link: Any
):
    sent, _, _ = link
    answer_check_in(sent, sent.session.check_ins.order_by("day").first(), ["skin_ulcer"])
    client.force_login(clinics.alice)
    response = client.get(reverse("web:flags"))
    assert response.context["flags"]
    assert shown(clinics.alice) == [sent.patient_id]


# --- analytics drill-downs and their CSV ---------------------------------------------------------


@pytest.fixture
def quarter(clinics: Clinics) -> list[Patient]:
    """Three patients of clinic A treated in the first quarter of 2026 (newest first), one treated
    before it, and one of clinic B."""
    a = Builder(clinics.a, clinics.alice)
    treated = [a.treated(date(2026, 1, day))[0] for day in (10, 20, 30)]
    a.treated(date(2025, 11, 1))
    Builder(clinics.b, clinics.bob).treated(date(2026, 1, 15))
    return list(reversed(treated))


def test_a_drill_down_records_the_patients_on_the_page_shown(
    client: Client, clinics: Clinics, quarter: list[Patient], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(analytics_views, "PAGE_SIZE", 2)
    client.force_login(clinics.alice)
    url = reverse("analytics:drill", args=["sessions"])
    client.get(url, {**QUARTER, "page": "2"})
    assert shown(clinics.alice) == [quarter[2].pk]
    client.get(url, QUARTER)
    assert listings(clinics.alice)[-1].additional_data["patient_ids"] == [quarter[0].pk, quarter[1].pk]


def test_a_drill_downs_csv_records_every_patient_it_lists(
    client: Client, clinics: Clinics, quarter: list[Patient]
):
    client.force_login(clinics.mark)
    response = client.get(reverse("analytics:drill", args=["sessions"]), {**QUARTER, "format": "csv"})
    assert len(response.content.decode().splitlines()) == 4
    assert shown(clinics.mark) == [p.pk for p in quarter]
    (entry,) = listings(clinics.mark)
    assert "CSV" in entry.additional_data["listing"]


# --- admin -----------------------------------------------------------------------------------------


def test_the_admin_patient_list_records_the_page_and_search_shown(
    client: Client, clinics: Clinics, pathway: Pathway, monkeypatch: pytest.MonkeyPatch
):
    register(clinics, "Bea", "Jones")
    register(clinics, "Cy", "Smith")
    monkeypatch.setattr(PatientAdmin, "list_per_page", 2)
    client.force_login(clinics.mark)
    response = client.get("/admin/patients/patient/", {"q": "smith"})
    assert shown(clinics.mark) == [p.pk for p in response.context["cl"].result_list]
    assert [str(p) for p in response.context["cl"].result_list] == ["SMITH, Cy"]
    assert "smith" in listings(clinics.mark)[0].additional_data["listing"]
    response = client.get("/admin/patients/patient/", {"p": "2"})
    page_two = [p.pk for p in response.context["cl"].result_list]
    assert len(page_two) == 1
    assert listings(clinics.mark)[-1].additional_data["patient_ids"] == page_two


def test_the_admin_injection_list_records_the_patients_injected(
    client: Client, clinics: Clinics, treated: Pathway
):
    client.force_login(clinics.mark)
    assert client.get("/admin/treatment/injection/").status_code == 200
    assert shown(clinics.mark) == [treated.patient.pk]


def test_the_lot_recall_page_records_the_patients_who_received_the_lot(
    client: Client, clinics: Clinics, treated: Pathway
):
    register(clinics, "Dee", "Untreated")
    client.force_login(clinics.mark)
    response = client.get(f"/admin/treatment/stocklot/{treated.lot.pk}/patients/")
    assert [p for p, _days in response.context["rows"]] == [treated.patient]
    assert shown(clinics.mark) == [treated.patient.pk]


# --- the JSON API ------------------------------------------------------------------------------------


def api_get(user: User, path: str, **params: Any) -> Any:
    _, token = create_token(user, "script")
    response = Client().get(f"/api/v1/{path}", params, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.json()


def test_an_api_patient_list_records_the_patients_on_the_page_returned(clinics: Clinics, pathway: Pathway):
    register(clinics, "Bea", "Jones")
    register(clinics, "Cy", "Smith")
    body = api_get(clinics.nora, "patients", limit=1, offset=1)
    assert shown(clinics.nora) == [item["id"] for item in body["items"]]
    assert len(body["items"]) == 1


def test_an_api_list_of_records_names_their_patients(clinics: Clinics, treated: Pathway):
    body = api_get(clinics.alice, "follow-ups")
    assert body["count"] >= 1
    assert shown(clinics.alice) == [treated.patient.pk]


# --- a failing audit write --------------------------------------------------------------------------


@pytest.fixture
def broken_list_audit() -> Iterator[None]:
    """Writing a list entry fails in the database (an error that, without a savepoint, would also
    break the request's transaction on PostgreSQL)."""

    def fail(sender: Any, instance: LogEntry, **kwargs: Any) -> None:
        if instance.object_pk == "":
            with connection.cursor() as cursor:
                cursor.execute("SELECT no_such_column FROM auditlog_logentry")

    pre_save.connect(fail, sender=LogEntry, dispatch_uid="broken-list-audit")
    yield
    pre_save.disconnect(sender=LogEntry, dispatch_uid="broken-list-audit")


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/patients/", {"q": "jones"}),
        ("/patients/", {}),
        ("/", {}),
        ("/admin/patients/patient/", {}),
        ("/admin/treatment/treatmentsession/", {}),
    ],
)
def test_a_failing_audit_write_does_not_fail_the_page(
    client: Client,
    clinics: Clinics,
    pathway: Pathway,
    broken_list_audit: None,
    url: str,
    params: dict[str, str],
    caplog: pytest.LogCaptureFixture,
):
    client.force_login(clinics.alice if "admin" not in url else clinics.mark)
    response = client.get(url, params)
    assert response.status_code == 200
    assert "jones" in response.content.decode().lower()
    assert listings(clinics.alice) == listings(clinics.mark) == []
    assert "audit entry of a list" in caplog.text


def test_a_failing_audit_write_does_not_fail_a_drill_down_or_its_csv(
    client: Client,
    clinics: Clinics,
    quarter: list[Patient],
    broken_list_audit: None,
    caplog: pytest.LogCaptureFixture,
):
    client.force_login(clinics.alice)
    url = reverse("analytics:drill", args=["sessions"])
    assert str(quarter[0]) in client.get(url, QUARTER).content.decode()
    assert str(quarter[0]) in client.get(url, {**QUARTER, "format": "csv"}).content.decode()
    assert listings(clinics.alice) == []
    assert caplog.text.count("audit entry of a list") == 2


def test_a_failing_audit_write_does_not_fail_the_recall_page_or_an_api_list(
    client: Client,
    clinics: Clinics,
    treated: Pathway,
    broken_list_audit: None,
    caplog: pytest.LogCaptureFixture,
):
    client.force_login(clinics.mark)
    response = client.get(f"/admin/treatment/stocklot/{treated.lot.pk}/patients/")
    assert "JONES, Ann" in response.content.decode()
    assert api_get(clinics.alice, "patients")["items"][0]["id"] == treated.patient.pk
    assert listings(clinics.alice) == listings(clinics.mark) == []
    assert caplog.text.count("audit entry of a list") == 2
