"""Managers keep the staff of their own clinic: no other clinic's, no superusers, no moves."""

from __future__ import annotations

from typing import Any

from django.test import Client

from scleropath.accounts.models import Role, User
from tests.admin.conftest import staff
from tests.pathway import Clinics

USERS = "/admin/accounts/user/"


def change(user: User, **changes: Any) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "professional_registration": user.professional_registration,
        "role": user.role,
        "is_active": "on",
        **changes,
    }


def test_a_manager_sees_only_the_staff_of_their_own_clinic(
    client: Client, clinics: Clinics, platform_admin: User
):
    client.force_login(clinics.mark)
    page = client.get(USERS).content.decode()
    assert all(name in page for name in ("alice", "nora", "rita", "mark"))
    assert "bob" not in page
    assert "root" not in page


def test_a_manager_cannot_open_staff_of_another_clinic(
    client: Client, clinics: Clinics, platform_admin: User
):
    client.force_login(clinics.mark)
    for user in (clinics.bob, platform_admin):
        assert client.get(f"{USERS}{user.pk}/change/").status_code == 302
        assert client.get(f"{USERS}{user.pk}/password/").status_code == 404
        client.post(
            f"{USERS}{user.pk}/password/", {"password1": "x-Long-enough-1", "password2": "x-Long-enough-1"}
        )
        user.refresh_from_db()
        assert not user.check_password("x-Long-enough-1")


def test_a_manager_adds_a_colleague_to_their_own_clinic_with_a_hashed_password(
    client: Client, clinics: Clinics
):
    client.force_login(clinics.mark)
    response = client.post(
        f"{USERS}add/",
        {
            "username": "neil",
            "password1": "a-long-Password-2026",
            "password2": "a-long-Password-2026",
            "first_name": "Neil",
            "last_name": "Hart",
            "email": "",
            "professional_registration": "NMC 12A3456B",
            "role": "nurse",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    neil = User.objects.get(username="neil")
    assert (neil.clinic, neil.role, neil.is_superuser) == (clinics.a, Role.NURSE, False)
    assert neil.password.startswith("argon2")
    assert neil.check_password("a-long-Password-2026")


def test_a_weak_password_is_refused_by_djangos_validators(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(
        f"{USERS}add/",
        {"username": "neil", "password1": "password", "password2": "password", "role": "nurse"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="neil").exists()


def test_a_manager_sets_a_colleagues_password_through_djangos_form(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(
        f"{USERS}{clinics.nora.pk}/password/",
        {"usable_password": "true", "password1": "a-new-Password-2026", "password2": "a-new-Password-2026"},
    )
    assert response.status_code == 302
    clinics.nora.refresh_from_db()
    assert clinics.nora.check_password("a-new-Password-2026")


def test_a_manager_cannot_move_staff_to_another_clinic_or_make_a_superuser(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(
        f"{USERS}{clinics.nora.pk}/change/",
        change(clinics.nora, clinic=clinics.b.pk, role="clinician", is_superuser="on", is_staff="on"),
    )
    assert response.status_code == 302
    clinics.nora.refresh_from_db()
    assert clinics.nora.clinic == clinics.a
    assert not clinics.nora.is_superuser
    assert clinics.nora.role == Role.CLINICIAN


def test_a_manager_cannot_make_a_platform_administrator(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    form = client.get(f"{USERS}{clinics.nora.pk}/change/").content.decode()
    assert 'value="admin"' not in form
    response = client.post(f"{USERS}{clinics.nora.pk}/change/", change(clinics.nora, role="admin"))
    assert response.status_code == 200
    clinics.nora.refresh_from_db()
    assert clinics.nora.role == Role.NURSE


def test_staff_are_never_deleted_only_made_inactive(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    assert "delete_selected" not in client.get(USERS).content.decode()
    assert client.get(f"{USERS}{clinics.nora.pk}/delete/").status_code == 403
    response = client.post(f"{USERS}{clinics.nora.pk}/change/", change(clinics.nora, is_active=""))
    assert response.status_code == 302
    clinics.nora.refresh_from_db()
    assert not clinics.nora.is_active


def test_clinical_staff_are_refused_the_staff_admin(client: Client, clinics: Clinics):
    for user in (staff(clinics.alice), staff(clinics.nora), staff(clinics.rita)):
        client.force_login(user)
        assert client.get(USERS).status_code == 403
        assert client.get(f"{USERS}{clinics.mark.pk}/change/").status_code == 403
        assert client.get(f"{USERS}add/").status_code == 403
