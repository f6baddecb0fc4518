"""A ``next`` address is followed only when it is a path on this site: the flag form, the sign-in
and sign-out pages and the admin's sign-in address all fall back to their own page otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from scleropath.checkins.models import Flag
from scleropath.checkins.services import mark_missed_check_ins
from tests.pathway import PASSWORD, Clinics, Pathway

UNSAFE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    "web:chart",  # a URL name, not a path
    "web:today",
    "patients/",
]


@pytest.fixture
def flag(clinics: Clinics, treated: Pathway, link) -> Flag:
    mark_missed_check_ins(dt.date.today() + dt.timedelta(days=2))
    return Flag.objects.get()


def acknowledge(client: Client, flag: Flag, next_url: str):
    Flag.objects.filter(pk=flag.pk).update(acknowledged_at=None, acknowledged_by=None)
    url = reverse("web:flag_acknowledge", args=[flag.pk])
    return client.post(url, {"note": "Phoned: she is well", "next": next_url})


def test_acknowledging_a_flag_refuses_to_follow_a_next_that_is_not_a_path_here(
    client: Client, clinics: Clinics, flag: Flag
):
    client.force_login(clinics.alice)
    for next_url in UNSAFE:
        response = acknowledge(client, flag, next_url)
        assert (response.status_code, response["Location"]) == (302, reverse("web:flags")), next_url
    # A path here, such as the page the flag was acknowledged on, is followed.
    assert acknowledge(client, flag, reverse("web:today"))["Location"] == reverse("web:today")


def test_signing_in_refuses_to_follow_a_next_that_is_not_a_path_here(client: Client, clinics: Clinics):
    for next_url in [*UNSAFE, "http://testserver/patients/"]:
        cache.clear()
        response = client.post(
            reverse("account_login"), {"login": "alice", "password": PASSWORD, "next": next_url}
        )
        assert (response.status_code, response["Location"]) == (302, "/"), next_url
        client.logout()
    cache.clear()
    response = client.post(
        reverse("account_login"), {"login": "alice", "password": PASSWORD, "next": "/patients/"}
    )
    assert response["Location"] == "/patients/"


def test_signing_out_refuses_to_follow_a_next_that_is_not_a_path_here(client: Client, clinics: Clinics):
    for next_url in [*UNSAFE, "http://testserver/patients/"]:
        client.force_login(clinics.alice)
        response = client.post(reverse("account_logout"), {"next": next_url})
        assert (response.status_code, response["Location"]) == (302, "/"), next_url


def test_the_admin_sign_in_address_passes_on_only_a_path_here(client: Client, db):
    for next_url in UNSAFE:
        response = client.get(reverse("admin:login"), {"next": next_url})
        assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F", next_url
