"""How allauth's sign-in pages behave here: no sign-up, same-site redirects only, and a refused
sign-in past the failed-attempt limit answers 429."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .redirects import same_site_path


def too_many_sign_ins(request: HttpRequest) -> HttpResponse:
    return render(request, "account/too_many_sign_ins.html", status=429)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts are made by a clinic's manager or the administrator, never by a visitor.
        return False

    def is_safe_url(self, url: str) -> bool:
        return same_site_path(url) is not None

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Past the failed-attempt limit every try is refused, the right password too, until the
        window passes. allauth shows that as a form error; we answer 429 as well, so scripts and
        proxies see it for what it is."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if exc.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(too_many_sign_ins(request)) from exc
            raise
