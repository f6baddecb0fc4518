"""Managers keep staff, stock and settings of their own clinic in the admin; nothing is deleted."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client

from scleropath.treatment.models import StockLot
from tests.pathway import Clinics, Pathway


def test_a_manager_sees_only_their_own_clinics_lots_staff_and_settings(
    client: Client, clinics: Clinics, pathway: Pathway
):
    other = StockLot.objects.create(
        clinic=clinics.b,
        product="fibrovein",
        agent="sodium_tetradecyl_sulfate",
        concentration_percent=1,
        lot_number="HV-1",
        expiry_date=date.today(),
        quantity=1,
    )
    client.force_login(clinics.mark)
    lots = client.get("/admin/treatment/stocklot/").content.decode()
    assert "AE-301" in lots and "HV-1" not in lots
    assert client.get(f"/admin/treatment/stocklot/{other.pk}/change/").status_code in (302, 404)
    staff = client.get("/admin/accounts/user/").content.decode()
    assert "alice" in staff and "bob" not in staff
    clinics_page = client.get("/admin/accounts/clinic/").content.decode()
    assert "Riverside Vein Clinic" in clinics_page and "Hillview Vein Centre" not in clinics_page


def test_a_lot_added_by_a_manager_joins_their_clinic(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(
        "/admin/treatment/stocklot/add/",
        {
            "product": "fibrovein",
            "concentration_percent": "0.5",
            "lot_number": "FV-77",
            "expiry_date": (date.today() + timedelta(days=90)).isoformat(),
            "quantity": "5",
            "received_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    lot = StockLot.objects.get(lot_number="FV-77")
    assert (lot.clinic, lot.agent, lot.created_by) == (clinics.a, "sodium_tetradecyl_sulfate", clinics.mark)


def test_a_strength_the_product_does_not_come_in_is_refused(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(
        "/admin/treatment/stocklot/add/",
        {
            "product": "fibrovein",
            "concentration_percent": "2",
            "lot_number": "FV-78",
            "expiry_date": (date.today() + timedelta(days=90)).isoformat(),
            "quantity": "5",
            "received_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "comes in 0.2%, 0.5%, 1%, 3%" in response.content.decode()
    assert not StockLot.objects.filter(lot_number="FV-78").exists()


def test_clinical_staff_are_refused_the_stock_and_staff_admin(client: Client, clinics: Clinics):
    clinics.alice.is_staff = True
    clinics.alice.save()
    client.force_login(clinics.alice)
    assert client.get("/admin/treatment/stocklot/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403


def test_delete_is_never_offered_and_voiding_keeps_the_row_with_its_reason(
    client: Client, clinics: Clinics, pathway: Pathway
):
    clinics.alice.is_staff = True
    clinics.alice.save()
    client.force_login(clinics.alice)
    page = client.get("/admin/patients/patient/").content.decode()
    assert "delete_selected" not in page
    assert client.get(f"/admin/patients/patient/{pathway.patient.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/patients/patient/",
        {
            "action": "void_selected",
            "_selected_action": [pathway.patient.pk],
            "reason": "Registered twice by mistake",
        },
    )
    assert response.status_code == 302
    pathway.patient.refresh_from_db()
    assert pathway.patient.voided_at is not None
    assert pathway.patient.void_reason == "Registered twice by mistake"


def test_a_manager_cannot_move_staff_to_another_clinic_or_make_a_superuser(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    client.post(
        f"/admin/accounts/user/{clinics.nora.pk}/change/",
        {
            "username": "nora",
            "first_name": "Nora",
            "last_name": "",
            "email": "",
            "professional_registration": "",
            "clinic": clinics.b.pk,
            "role": "clinician",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    clinics.nora.refresh_from_db()
    assert clinics.nora.clinic == clinics.a
    assert not clinics.nora.is_superuser
    assert clinics.nora.role == "clinician"
