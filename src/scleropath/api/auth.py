"""How the JSON API knows who is calling: a personal bearer token, or the signed-in session (with
its CSRF token) for pages that call the API from the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from scleropath.accounts.models import User

from .tokens import user_for_request


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``. A token that is given but wrong, revoked or expired, or
    whose owner is inactive, is refused outright (401), even with a signed-in session."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_request(request)
        if user is None:
            raise AuthenticationError()
        return user


API_AUTH = [BearerToken(), django_auth]


def caller(request: HttpRequest) -> User:
    """The member of staff the request acts as (every record endpoint requires authentication)."""
    user = request.user
    assert isinstance(user, User)
    return user
