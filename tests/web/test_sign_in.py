"""Sign-in: Argon2 hashes, failed-attempt limits, two-factor where the clinic requires it."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

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
        client.post(reverse("account_login"), {"login": "alice", "password": "wrong-password"}).content
        for _ in range(6)
    ]
    assert b"Too many failed login attempts" not in pages[0]
    assert b"Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    locked = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert locked.status_code == 200
    assert b"Too many failed login attempts" in locked.content
    assert client.get(reverse("web:today")).status_code == 302
    cache.clear()


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
