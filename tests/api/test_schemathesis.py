"""The committed OpenAPI document, fuzzed with schemathesis against the app in process: for every
operation a few generated requests (valid and invalid), sent with a real token, must never cause a
server error, and every answer must match the document (status code, content type and body)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from scleropath.api.tokens import create_token
from scleropath.diary import services as diary
from scleropath.followup import services as followup
from scleropath.treatment import services as treatment
from tests.pathway import Clinics, Pathway

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
EXAMPLES_PER_OPERATION = 5  # small and derandomized, so the suite stays quick and stable in CI
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_path(OPENAPI)
OPERATIONS = [
    (method.upper(), path)
    for path, item in json.loads(OPENAPI.read_text())["paths"].items()
    for method in item
]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """Django's WSGI app, kept from closing the test's database connection after each request (as
    Django's own test client does), so every request sees the test's data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def records(clinics: Clinics, treated: Pathway) -> dict[str, int]:
    """Real ids for the path parameters, so generated bodies reach the services and their rules:
    a second, open session on the treated patient's plan, an adverse event, an outcome and an appointment."""
    alice = clinics.alice
    open_session = treatment.start_session(alice, treated.plan, off_plan_reason="Second session today")
    event = followup.log_adverse_event(
        alice, treated.patient, symptom="bruising", onset_on=date.today(), severity="mild"
    )
    outcome = followup.record_outcome(alice, treated.plan, clearance_percent=50, area="left thigh")
    appointment = diary.book(
        alice,
        patient=treated.patient,
        practitioner=alice,
        kind="review",
        starts_at=timezone.now() + timedelta(days=1),
        check_hours=False,
    )
    return {
        "patient_id": treated.patient.pk,
        "screening_id": treated.patient.current_screening().pk,
        "assessment_id": treated.assessment.pk,
        "plan_id": treated.plan.pk,
        "session_id": open_session.pk,
        "lot_id": treated.lot.pk,
        "aftercare_id": treated.session.aftercare.pk,
        "follow_up_id": treated.session.follow_ups.first().pk,
        "event_id": event.pk,
        "consent_id": treated.plan.consents.first().pk,
        "outcome_id": outcome.pk,
        "appointment_id": appointment.pk,
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_operation_errors_or_strays_from_the_document(
    method: str, path: str, mode: GenerationMode, clinics: Clinics, records: dict[str, int], wsgi_app: Any
):
    _, token = create_token(clinics.alice, "fuzzing")
    schema.app = wsgi_app
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {token}"}

    ids = {name: value for name, value in records.items() if "{" + name + "}" in path}

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=ids or None))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
