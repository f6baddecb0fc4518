"""Sign-up is closed: staff accounts are made by a clinic's manager or the administrator, never by a
visitor to the sign-in pages."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from scleropath.accounts.models import User

NEWCOMER = {"username": "mallory", "password1": "a-long-enough-pass-7", "password2": "a-long-enough-pass-7"}


def test_the_sign_up_page_says_sign_up_is_closed(client: Client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Sign-up is closed" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()


def test_it_refuses_to_create_an_account_from_the_sign_up_form(client: Client, db):
    response = client.post(reverse("account_signup"), NEWCOMER)
    assert response.status_code == 200
    assert "Sign-up is closed" in response.content.decode()
    assert not User.objects.filter(username="mallory").exists()
    assert client.get(reverse("web:today")).status_code == 302  # still signed out
