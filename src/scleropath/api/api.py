"""ScleroPath's JSON API, version 1. The OpenAPI document is exported to docs/openapi.json and a
test fails when the code and that file differ."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from scleropath.protocol import InputError

from . import engine

api = NinjaAPI(
    title="ScleroPath API",
    version="1",
    description='Decision support for sclerotherapy clinics. Errors are `{"errors": [{"field", "message"}]}`.',
    urls_namespace="api",
    auth=django_auth,
)
api.add_router("/engine", engine.router)


def _field(loc: list[Any]) -> str:
    """Ninja's error location as the contract's field path (its leading "body" parts dropped)."""
    while loc and loc[0] == "body":
        loc = loc[1:]
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field(list(e.get("loc", []))), "message": e.get("msg", "invalid")} for e in exc.errors
    ]
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(InputError)
def on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    return api.create_response(request, {"errors": exc.errors}, status=422)
