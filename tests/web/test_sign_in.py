"""Sign-in: Argon2 hashes, failed-attempt limits, two-factor where the clinic requires it."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.pathway import PASSWORD, Clinics


def test_passwords_are_hashed_with_argon2(clinics: Clinics):
    assert clinics.alice.password.startswith("argon2")


def test_signing_in_opens_today(client: Client, clinics: Clinics):
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:today")).status_code == 200


def test_repeated_failed_sign_ins_are_locked_out(client: Client, clinics: Clinics):
    cache.clear()
    pages = [
        client.post(reverse("account_login"), {"login": "alice", "password": "wrong-password"})
        for _ in range(6)
    ]
    assert pages[0].status_code == 200
    assert b"Too many failed login attempts" not in pages[0].content
    assert pages[-1].status_code == 429
    assert b"Too many failed login attempts" in pages[-1].content
    # Even the right password is refused while the limit holds.
    locked = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed login attempts" in locked.content
    assert client.get(reverse("web:today")).status_code == 302
    cache.clear()


def test_the_right_password_signs_in_again_once_the_window_has_passed(client: Client, clinics: Clinics):
    cache.clear()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(6):
            client.post(reverse("account_login"), {"login": "alice", "password": "wrong-password"})
        assert (
            client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD}).status_code == 429
        )
        clock.shift(timedelta(minutes=6))
        assert (
            client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD}).status_code == 302
        )
    cache.clear()


def test_the_admin_sign_in_goes_through_the_same_page_and_limit(client: Client, clinics: Clinics):
    cache.clear()
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Faccounts%2Fuser%2F"
    # A password posted to the admin's own address signs nobody in: it only sends to the sign-in page.
    for _ in range(30):
        client.post("/admin/login/", {"username": "mark", "password": "wrong-password"})
    posted = client.post("/admin/login/?next=/admin/", {"username": "mark", "password": PASSWORD})
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302
    # Wrong passwords on the sign-in page lock the admin's manager out there as anywhere.
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "mark", "password": "wrong-password"})
    locked = client.post(reverse("account_login") + "?next=/admin/", {"login": "mark", "password": PASSWORD})
    assert locked.status_code == 429
    assert client.get("/admin/").status_code == 302
    # Once the limit has passed, the right password there opens the admin.
    cache.clear()
    signed_in = client.post(
        reverse("account_login") + "?next=/admin/", {"login": "mark", "password": PASSWORD}
    )
    assert signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"
    cache.clear()


def test_a_signed_in_member_of_staff_without_admin_access_is_refused_not_looped(
    client: Client, clinics: Clinics
):
    client.force_login(clinics.alice)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_a_clinic_that_requires_two_factor_sends_staff_to_set_it_up(client: Client, clinics: Clinics):
    clinics.a.require_mfa = True
    clinics.a.save()
    cache.clear()
    client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    response = client.get(reverse("web:today"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Turning on two-factor asks for the password again first (allauth's reauthentication).
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert b"otpauth://" in setup.content or b"svg" in setup.content


def test_staff_of_a_clinic_without_the_requirement_are_not_redirected(client: Client, clinics: Clinics):
    client.force_login(clinics.bob)
    assert client.get(reverse("web:today")).status_code == 200


def test_signed_in_sessions_expire_after_thirty_minutes_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
