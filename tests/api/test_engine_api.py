"""The engine over HTTP answers exactly as the command line does; the contract file cannot drift."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from django.test import Client

from scleropath.api.management.commands.export_openapi import openapi_text
from scleropath.protocol import Engine
from tests.pathway import Clinics

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def example(name: str) -> dict:
    return json.loads((files("scleropath") / "examples" / name).read_text())


def post(client: Client, path: str, body: object):
    return client.post(f"/api/v1/engine/{path}", json.dumps(body), content_type="application/json")


def test_the_engine_api_needs_a_signed_in_user(client: Client, db):
    assert post(client, "plan", example("assessment.json")).status_code == 401


def test_plan_over_http_gives_the_same_answer_as_the_engine(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    response = post(client, "plan", example("assessment.json"))
    assert response.status_code == 200
    assert response.json() == Engine().plan(example("assessment.json")).model_dump(mode="json")


def test_triage_and_check_session_over_http(client: Client, clinics: Clinics):
    client.force_login(clinics.nora)
    assert post(client, "triage", example("triage.json")).json()["level"] == "prompt_review"
    answer = post(client, "check-session", example("session.json")).json()
    assert answer["within_limits"] is True
    assert answer["totals"]["polidocanol_mg"] > 0


def test_bad_input_answers_422_naming_the_field(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    body = {"patient": {"weight_kg": 70}, "findings": [{"id": "a", "side": "left", "diameter_mm": -1}]}
    response = post(client, "plan", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "findings[0].diameter_mm"


def test_an_unknown_screening_code_answers_422_naming_the_field(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    response = post(client, "screen", {"patient": {"conditions": ["gout"]}})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "patient.conditions[0]", "message": response.json()["errors"][0]["message"]}]
    }
    assert "unknown screening code 'gout'" in response.json()["errors"][0]["message"]


def test_the_committed_openapi_document_matches_the_code():
    assert OPENAPI.read_text() == openapi_text(), (
        "docs/openapi.json is out of date: run `python -m django export_openapi` and commit it"
    )
