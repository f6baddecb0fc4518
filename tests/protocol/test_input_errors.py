"""Bad input is refused with the field named, as InputError and nothing else."""

from __future__ import annotations

import pytest

from scleropath.protocol import InputError


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        (
            {"patient": {}, "findings": [{"id": "a", "side": "left", "diameter_mm": -1}]},
            "findings[0].diameter_mm",
        ),
        ({"patient": {"weight_kg": 0}, "findings": []}, "patient.weight_kg"),
        ({"patient": {"conditions": ["gout"]}}, "patient.conditions[0]"),
        ({"patient": {}, "findings": [{"id": "a", "side": "up", "diameter_mm": 1}]}, "findings[0].side"),
        ({"patient": {}, "findings": [{"id": "a", "side": "left"}]}, "findings[0]"),
        ({"patient": {}, "findings": [{"id": "a", "side": "left", "diameter_mm": 1}] * 2}, ""),
        ({"patient": {}, "planned": {"product": "nope"}}, "planned.product"),
        ({"patient": {}, "unexpected": 1}, "unexpected"),
    ],
)
def test_a_bad_plan_request_names_the_field(engine, request_body, field):
    with pytest.raises(InputError) as raised:
        engine.plan(request_body)
    assert raised.value.errors[0]["field"] == field


def test_a_product_that_does_not_carry_the_injected_agent_is_refused(engine):
    with pytest.raises(InputError) as raised:
        engine.check_session(
            {
                "patient": {},
                "product": "fibrovein",
                "injections": [
                    {"agent": "polidocanol", "form": "liquid", "concentration_percent": 1, "volume_ml": 1}
                ],
            }
        )
    assert raised.value.errors[0]["field"] == "product"


def test_negative_days_since_treatment_are_refused(engine):
    with pytest.raises(InputError) as raised:
        engine.triage({"symptom": "bruising", "days_since_treatment": -1})
    assert raised.value.errors[0]["field"] == "days_since_treatment"
