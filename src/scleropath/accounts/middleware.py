"""Enforce two-factor sign-in for clinics that require it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/")


class ClinicMfaMiddleware:
    """Send staff of a clinic with ``require_mfa`` to set up TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "clinic", None) is not None
            and user.clinic.require_mfa
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not _has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())
