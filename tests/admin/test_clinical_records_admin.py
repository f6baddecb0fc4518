"""Clinical records are read in the admin, scoped to the clinic, voided with a reason and never
deleted; every admin page renders for a manager."""

from __future__ import annotations

import re

from auditlog.models import LogEntry
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scleropath.accounts.models import User
from scleropath.core.models import ClinicalRecord
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from scleropath.treatment import services as treatment
from tests.admin.conftest import staff
from tests.pathway import Clinics, Pathway

PATIENTS = "/admin/patients/patient/"


def clinical_admin_urls() -> list[str]:
    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
        if issubclass(model, ClinicalRecord)
    ]


def test_the_admin_sign_in_page_shows_to_a_signed_out_visitor(client: Client, db):
    assert client.get("/admin/").status_code == 302
    response = client.get("/admin/", follow=True)  # the one sign-in page, which returns to the admin
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert 'name="password"' in response.content.decode()


def test_every_admin_page_renders_for_a_manager(client: Client, clinics: Clinics, treated: Pathway):
    client.force_login(clinics.mark)
    index = client.get("/admin/").content.decode()
    lists = sorted(set(re.findall(r'href="(/admin/\w+/\w+/)"', index)))
    assert {*clinical_admin_urls(), "/admin/accounts/user/", "/admin/accounts/clinic/"} <= set(lists)
    for url in lists:
        page = client.get(url)
        assert page.status_code == 200, url
        rows = re.findall(rf'href="({url}\d+/change/)[^"]*"', page.content.decode())
        for row in rows[:2]:
            assert client.get(row).status_code == 200, row


def test_a_manager_reads_the_records_of_their_own_clinic_only(
    client: Client, clinics: Clinics, treated: Pathway
):
    theirs = patients.create_patient(
        clinics.bob, given_name="Zed", family_name="Quill", date_of_birth="1970-01-01", sex="male"
    )
    client.force_login(clinics.mark)
    page = client.get(PATIENTS).content.decode()
    assert "Jones" in page
    assert "Quill" not in page
    assert client.get(f"{PATIENTS}{theirs.pk}/change/").status_code == 302


def test_clinical_records_cannot_be_added_changed_or_deleted_in_the_admin(
    client: Client, clinics: Clinics, treated: Pathway
):
    client.force_login(staff(clinics.alice))
    for url in clinical_admin_urls():
        if url.endswith("/stocklot/"):
            continue  # stock is the manager's to keep
        page = client.get(url)
        assert page.status_code == 200, url
        assert "delete_selected" not in page.content.decode(), url
        assert client.get(f"{url}add/").status_code == 403, url
    response = client.post(f"{PATIENTS}{treated.patient.pk}/change/", {"family_name": "Changed"})
    assert response.status_code == 403
    assert client.get(f"{PATIENTS}{treated.patient.pk}/delete/").status_code == 403
    treated.patient.refresh_from_db()
    assert treated.patient.family_name == "Jones"


def test_voiding_asks_for_a_reason_first(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(staff(clinics.alice))
    response = client.post(PATIENTS, {"action": "void_selected", "_selected_action": [pathway.patient.pk]})
    assert response.status_code == 200
    assert "Reason for voiding" in response.content.decode()
    response = client.post(
        PATIENTS,
        {
            "action": "void_selected",
            "_selected_action": [pathway.patient.pk],
            "confirm_void": "1",
            "reason": " ",
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    pathway.patient.refresh_from_db()
    assert pathway.patient.voided_at is None


def test_voiding_keeps_the_row_with_its_reason(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(staff(clinics.alice))
    response = client.post(
        PATIENTS,
        {
            "action": "void_selected",
            "_selected_action": [pathway.patient.pk],
            "confirm_void": "1",
            "reason": "Registered twice by mistake",
        },
    )
    assert response.status_code == 302
    pathway.patient.refresh_from_db()
    assert pathway.patient.voided_at is not None
    assert (pathway.patient.void_reason, pathway.patient.voided_by) == (
        "Registered twice by mistake",
        clinics.alice,
    )
    assert Patient.objects.filter(pk=pathway.patient.pk).exists()
    voided = client.get(PATIENTS, {"voided": "yes"}).content.decode()
    assert "Jones" in voided


def test_a_manager_is_not_offered_the_void_action(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.mark)
    assert "void_selected" not in client.get(PATIENTS).content.decode()
    client.post(
        PATIENTS,
        {
            "action": "void_selected",
            "_selected_action": [pathway.patient.pk],
            "confirm_void": "1",
            "reason": "x",
        },
    )
    pathway.patient.refresh_from_db()
    assert pathway.patient.voided_at is None


def test_opening_a_record_in_the_admin_is_written_to_the_audit_log(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.mark)
    assert client.get(f"{PATIENTS}{pathway.patient.pk}/change/").status_code == 200
    read = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(pathway.patient.pk))
    assert read.filter(actor=clinics.mark).exists()


def test_staff_without_a_clinic_see_nothing(client: Client, clinicless: User, pathway: Pathway):
    client.force_login(clinicless)
    for url in [*clinical_admin_urls(), "/admin/accounts/user/", "/admin/accounts/clinic/"]:
        assert client.get(url).status_code == 403, url


def test_the_injection_list_does_not_query_per_row(client: Client, clinics: Clinics, treated: Pathway):
    client.force_login(clinics.mark)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/treatment/injection/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    session = treatment.start_session(clinics.alice, treated.plan, off_plan_reason="A second session today")
    for _ in range(5):
        treatment.record_injection(
            clinics.alice, session, lot=treated.lot, volume_ml="0.1", form="liquid", finding=treated.spider
        )
    assert queries() == few
