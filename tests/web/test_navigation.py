"""The main navigation offers each role the places it may go."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.pathway import Clinics


@pytest.mark.parametrize(
    ("persona", "sees_analytics"), [("alice", True), ("mark", True), ("nora", False), ("rita", False)]
)
def test_the_analytics_link_shows_only_to_roles_that_may_open_it(
    client: Client, clinics: Clinics, persona: str, sees_analytics: bool
):
    client.force_login(getattr(clinics, persona))
    page = client.get(reverse("web:today")).content.decode()
    assert (f'href="{reverse("analytics:dashboard")}"' in page) is sees_analytics
    assert f'href="{reverse("api_tokens:tokens")}"' in page
