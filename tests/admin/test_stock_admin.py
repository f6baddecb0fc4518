"""Managers keep their own clinic's stock in the admin, with the stock service's product checks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client

from scleropath.accounts.models import User
from scleropath.treatment.models import StockLot
from tests.admin.conftest import staff
from tests.pathway import Clinics, Pathway

LOTS = "/admin/treatment/stocklot/"


def new_lot(**changes: str) -> dict[str, Any]:
    return {
        "product": "fibrovein",
        "concentration_percent": "0.5",
        "lot_number": "FV-77",
        "expiry_date": (date.today() + timedelta(days=90)).isoformat(),
        "quantity": "5",
        "received_on": date.today().isoformat(),
        **changes,
    }


def test_a_manager_sees_only_their_own_clinics_lots(
    client: Client, clinics: Clinics, pathway: Pathway, other_lot: StockLot
):
    client.force_login(clinics.mark)
    page = client.get(LOTS).content.decode()
    assert "AE-301" in page
    assert "HV-1" not in page


def test_a_manager_cannot_open_another_clinics_lot(client: Client, clinics: Clinics, other_lot: StockLot):
    client.force_login(clinics.mark)
    # Django's admin answers a row outside the queryset by going back to the list with a message.
    response = client.get(f"{LOTS}{other_lot.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(f"{LOTS}{other_lot.pk}/patients/").status_code == 404
    response = client.post(f"{LOTS}{other_lot.pk}/change/", new_lot(quantity="99"))
    other_lot.refresh_from_db()
    assert other_lot.quantity == 1


def test_a_lot_added_by_a_manager_joins_their_clinic(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(f"{LOTS}add/", new_lot())
    assert response.status_code == 302
    lot = StockLot.objects.get(lot_number="FV-77")
    assert (lot.clinic, lot.agent, lot.created_by) == (clinics.a, "sodium_tetradecyl_sulfate", clinics.mark)


def test_a_strength_the_product_does_not_come_in_is_refused_with_a_message(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(f"{LOTS}add/", new_lot(concentration_percent="2", lot_number="FV-78"))
    assert response.status_code == 200
    assert "comes in 0.2%, 0.5%, 1%, 3%" in response.content.decode()
    assert not StockLot.objects.filter(lot_number="FV-78").exists()


def test_a_product_outside_the_formulary_is_refused(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(f"{LOTS}add/", new_lot(product="snake-oil"))
    assert response.status_code == 200
    assert "Choose a product from the protocol" in response.content.decode()
    assert not StockLot.objects.exists()


def test_the_same_lot_number_twice_is_refused_with_a_message(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    assert client.post(f"{LOTS}add/", new_lot()).status_code == 302
    response = client.post(f"{LOTS}add/", new_lot(quantity="3"))
    assert response.status_code == 200
    assert "already in stock" in response.content.decode()
    assert StockLot.objects.filter(lot_number="FV-77").count() == 1


def test_the_same_lot_number_may_be_held_by_another_clinic(
    client: Client, clinics: Clinics, other_lot: StockLot
):
    client.force_login(clinics.mark)
    response = client.post(f"{LOTS}add/", new_lot(lot_number="HV-1", concentration_percent="1"))
    assert response.status_code == 302
    assert StockLot.objects.filter(lot_number="HV-1").count() == 2


def test_expired_lots_are_marked_and_can_be_listed_alone(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.mark)
    expired = client.get(LOTS, {"expired": "yes"}).content.decode()
    assert "AE-OLD" in expired
    assert "AE-301" not in expired
    in_date = client.get(LOTS, {"expired": "no"}).content.decode()
    assert "AE-301" in in_date
    assert "AE-OLD" not in in_date


def test_the_lot_lists_the_patients_who_received_it(client: Client, clinics: Clinics, treated: Pathway):
    client.force_login(clinics.mark)
    change = client.get(f"{LOTS}{treated.lot.pk}/change/").content.decode()
    assert "1 patient" in change
    page = client.get(f"{LOTS}{treated.lot.pk}/patients/").content.decode()
    assert "JONES, Ann" in page
    assert "943 476 5919" in page or "9434765919" in page
    unused = client.get(f"{LOTS}{treated.expired_lot.pk}/patients/").content.decode()
    assert "No patient has been given this lot." in unused


def test_what_a_lot_is_stays_fixed_once_it_has_been_given(client: Client, clinics: Clinics, treated: Pathway):
    client.force_login(clinics.mark)
    response = client.post(
        f"{LOTS}{treated.lot.pk}/change/",
        new_lot(product="fibrovein", concentration_percent="1", lot_number="CHANGED", quantity="7"),
    )
    assert response.status_code == 302
    treated.lot.refresh_from_db()
    assert (treated.lot.product, treated.lot.lot_number, treated.lot.quantity) == (
        "aethoxysklerol",
        "AE-301",
        7,
    )


def test_clinicians_and_nurses_are_refused_the_stock_admin(
    client: Client, clinics: Clinics, pathway: Pathway
):
    for user in (staff(clinics.alice), staff(clinics.nora)):
        client.force_login(user)
        assert client.get(LOTS).status_code == 403
        assert client.get(f"{LOTS}{pathway.lot.pk}/change/").status_code == 403
        assert client.get(f"{LOTS}{pathway.lot.pk}/patients/").status_code == 403
        assert client.post(f"{LOTS}add/", new_lot()).status_code == 403
    assert not StockLot.objects.filter(lot_number="FV-77").exists()


def test_a_platform_admin_adds_a_lot_to_the_clinic_they_choose(
    client: Client, clinics: Clinics, platform_admin: User
):
    client.force_login(platform_admin)
    response = client.post(f"{LOTS}add/", new_lot(clinic=str(clinics.b.pk)))
    assert response.status_code == 302
    assert StockLot.objects.get(lot_number="FV-77").clinic == clinics.b
