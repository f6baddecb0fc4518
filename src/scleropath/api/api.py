"""ScleroPath's JSON API, version 1. The OpenAPI document is exported to docs/openapi.json and a
test fails when the code and that file differ.

Every error answers ``{"errors": [{"field", "message"}]}``: 401 without valid credentials, 403 when
the caller's role may not do it, 404 for a record that is missing or belongs to another clinic
(the two are indistinguishable), 409 when a clinical rule refuses a write, 422 for invalid input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from scleropath.core.models import RecordError
from scleropath.diary.services import BadTransition, OutsideHours
from scleropath.protocol import InputError
from scleropath.protocol.wording import field_path
from scleropath.treatment.services import LimitRefused

from . import assessments, diary, engine, followup, notes, patients, treatment
from .auth import API_AUTH

api = NinjaAPI(
    title="ScleroPath API",
    version="1",
    description=(
        "Decision support and clinical records for sclerotherapy clinics. Authenticate with "
        "`Authorization: Bearer <token>` (create a token under API tokens in the app). Errors are "
        '`{"errors": [{"field", "message"}]}`. See docs/api.md.'
    ),
    urls_namespace="api",
    auth=API_AUTH,
)
api.add_router("/engine", engine.router)
api.add_router("", patients.router)
api.add_router("", assessments.router)
api.add_router("", treatment.router)
api.add_router("", followup.router)
api.add_router("", notes.router)
api.add_router("", diary.router)

_LOCATIONS = ("body", "query", "path")


def _field(loc: list[Any]) -> str:
    """Ninja's error location as the contract's field path (its leading location parts dropped)."""
    while loc and loc[0] in _LOCATIONS:
        loc = loc[1:]
    return field_path(loc)


def errors(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"errors": [{"field": field, "message": message} for field, message in pairs]}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    pairs = [(_field(list(e.get("loc", []))), str(e.get("msg", "invalid"))) for e in exc.errors]
    return api.create_response(request, errors(*pairs), status=422)


@api.exception_handler(InputError)
def on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    return api.create_response(request, {"errors": exc.errors}, status=422)


@api.exception_handler(DjangoValidationError)
def on_record_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service's refusal of a field's value, named by the field."""
    if hasattr(exc, "error_dict"):
        pairs = [
            ("" if field == "__all__" else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        pairs = [("", message) for message in exc.messages]
    return api.create_response(request, errors(*pairs), status=422)


@api.exception_handler(LimitRefused)
def on_limit_refused(request: HttpRequest, exc: LimitRefused) -> HttpResponse:
    """An injection past a session limit: 409, naming each limit, until an override reason is given."""
    body = errors(("override_reason", str(exc)))
    body["limits"] = [
        {"code": v.code, "limit_id": v.limit_id, "message": v.message} for v in exc.check.violations
    ]
    return api.create_response(request, body, status=409)


@api.exception_handler(RecordError)
def on_refused(request: HttpRequest, exc: RecordError) -> HttpResponse:
    return api.create_response(request, errors(("", str(exc))), status=409)


@api.exception_handler(OutsideHours)
@api.exception_handler(BadTransition)
def on_diary_refused(request: HttpRequest, exc: RecordError) -> HttpResponse:
    """A time outside the clinic's or the practitioner's hours, or a status that cannot follow: the
    request itself is at fault (422), where a time taken by another booking is a conflict (409)."""
    return api.create_response(request, errors(("", str(exc))), status=422)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, errors(("", str(exc) or "Not allowed.")), status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, errors(("", str(exc) or "Not found.")), status=404)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals (a body that is not JSON, for one) in the same error body."""
    return api.create_response(request, errors(("", str(exc))), status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, errors(("", "Give a valid API token (Authorization: Bearer <token>).")), status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response
