"""FHIR endpoints. ``Patient/<id>/$everything`` answers the patient's whole record as a Bundle.

Callers authenticate with a personal API token (``Authorization: Bearer``) or a signed-in staff
session. Errors are OperationOutcome resources: 401 without valid credentials, 404 for a patient
that is missing or belongs to another clinic (the two are indistinguishable), 410 for a patient
record voided as entered in error (voided records are never exported).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action, can
from scleropath.api.tokens import bearer_token, user_for_request
from scleropath.patients.access import get_patient_for_user

from .export import bundle, patient_bundle
from .map_people import patient as patient_resource

FHIR_JSON = "application/fhir+json"


def fhir_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=FHIR_JSON)


def outcome(status: int, code: str, text: str) -> HttpResponse:
    issue = {"severity": "error", "code": code, "diagnostics": text}
    return fhir_response({"resourceType": "OperationOutcome", "issue": [issue]}, status)


def _caller(request: HttpRequest) -> User | None:
    """The token's user when a bearer token is given (a wrong one is refused even with a session),
    else the signed-in member of staff."""
    if bearer_token(request) is not None:
        return user_for_request(request)
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


@require_GET
def everything(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The patient's record as a ``searchset`` Bundle. As on the patient chart, staff who may not
    see clinical records (reception) get the demographics only."""
    user = _caller(request)
    if user is None:
        response = outcome(401, "login", "Sign in, or send Authorization: Bearer <token>.")
        response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        patient = get_patient_for_user(user, patient_id)
    except Http404:
        return outcome(404, "not-found", f"No patient {patient_id}.")
    except PermissionDenied as exc:
        return outcome(403, "forbidden", str(exc))
    if patient.is_voided:
        return outcome(410, "deleted", f"Patient {patient_id} was entered in error and voided.")
    base = request.build_absolute_uri("/").rstrip("/")
    if can(user, Action.VIEW_CLINICAL):
        return fhir_response(patient_bundle(patient, base))
    return fhir_response(bundle([patient_resource(patient)], base))
