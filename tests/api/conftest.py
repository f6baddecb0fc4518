"""API test helpers: a token per persona and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from scleropath.api.tokens import create_token
from tests.pathway import Clinics


class ApiClient:
    """Calls /api/v1/ with a bearer token, as a program would."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.client = Client()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/{path}", params, headers=self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1/{path}", json.dumps(body), content_type="application/json", headers=self._headers()
        )


@pytest.fixture(autouse=True)
def quick_password_hashing(settings: Any) -> None:
    """The personas' passwords are never checked here; hashing them with Argon2 only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(clinics: Clinics) -> Any:
    """``api("alice")`` is a client acting as that persona through a fresh token."""

    def make(name: str) -> ApiClient:
        _, token = create_token(getattr(clinics, name), f"{name}'s script")
        return ApiClient(token)

    return make


def fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]
