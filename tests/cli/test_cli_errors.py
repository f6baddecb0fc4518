"""Bad input exits with status 2 and names the field, never a traceback."""

from __future__ import annotations

import pytest

FINDING = {"id": "a", "side": "left", "diameter_mm": 2.0}


@pytest.mark.parametrize(
    ("verb", "request_body", "field"),
    [
        ("plan", {"patient": {}, "findings": [{**FINDING, "diameter_mm": -1}]}, "findings[0].diameter_mm"),
        ("plan", {"patient": {"weight_kg": 0}, "findings": [FINDING]}, "patient.weight_kg"),
        ("plan", {"patient": {"conditions": ["gout"]}, "findings": [FINDING]}, "patient.conditions[0]"),
        ("plan", {"patient": {}, "findings": [{**FINDING, "region": "elbow"}]}, "findings[0].region"),
        ("triage", {"symptom": "bruising", "days_since_treatment": -3}, "days_since_treatment"),
        ("triage", {"symptom": "hiccups", "days_since_treatment": 3}, "symptom"),
        ("vcss", {"items": {"pain": 4}}, "items.pain"),
        (
            "check-session",
            {
                "patient": {},
                "injections": [
                    {"agent": "polidocanol", "form": "gel", "concentration_percent": 1, "volume_ml": 1}
                ],
            },
            "injections[0].form",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_field(run, write_json, verb, request_body, field):
    result = run(verb, write_json(request_body))
    assert result.code == 2
    assert f"error: {field}:" in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_invalid_json_exits_2_with_its_position(run, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"patient": ')
    result = run("plan", str(path))
    assert result.code == 2
    assert "is not valid JSON" in result.err


def test_a_missing_file_exits_2(run, tmp_path):
    result = run("plan", str(tmp_path / "nope.json"))
    assert result.code == 2
    assert "cannot read" in result.err


def test_a_request_that_is_not_an_object_exits_2(run, write_json):
    result = run("plan", write_json([1, 2, 3]))
    assert result.code == 2
    assert "expected a JSON object" in result.err
