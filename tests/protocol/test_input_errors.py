"""Bad input is refused as InputError, naming the field at fault (docs/engine-contract.md)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scleropath.protocol import Engine, InputError

from .support import Json

FINDING: Json = {"id": "a", "side": "left", "diameter_mm": 1}
INJECTION: Json = {"agent": "polidocanol", "form": "liquid", "concentration_percent": 1, "volume_ml": 1}


def refused(call: Any, request: Any) -> list[dict[str, str]]:
    with pytest.raises(InputError) as raised:
        call(request)
    assert raised.value.errors, "an InputError names what is wrong"
    return raised.value.errors


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        pytest.param(
            {"patient": {}, "findings": [{**FINDING, "diameter_mm": -1}]},
            "findings[0].diameter_mm",
            id="negative diameter",
        ),
        pytest.param(
            {"patient": {}, "findings": [{**FINDING, "diameter_mm": 0}]},
            "findings[0].diameter_mm",
            id="zero diameter",
        ),
        pytest.param({"patient": {"weight_kg": 0}}, "patient.weight_kg", id="zero weight"),
        pytest.param({"patient": {"weight_kg": -70}}, "patient.weight_kg", id="negative weight"),
        pytest.param({"patient": {"weight_kg": "heavy"}}, "patient.weight_kg", id="weight as words"),
        pytest.param({"patient": {"age_years": -1}}, "patient.age_years", id="negative age"),
        pytest.param({"patient": {"conditions": ["gout"]}}, "patient.conditions[0]", id="unknown condition"),
        pytest.param(
            {"patient": {"conditions": "acute_vte"}}, "patient.conditions", id="conditions not a list"
        ),
        pytest.param({"patient": {"mobility": "running"}}, "patient.mobility", id="unknown mobility"),
        pytest.param({"patient": {"pregnant": "perhaps"}}, "patient.pregnant", id="pregnant not a boolean"),
        pytest.param(
            {"patient": {}, "findings": [{**FINDING, "side": "up"}]}, "findings[0].side", id="unknown side"
        ),
        pytest.param(
            {"patient": {}, "findings": [{**FINDING, "region": "elbow"}]},
            "findings[0].region",
            id="unknown region",
        ),
        pytest.param(
            {"patient": {}, "findings": [{**FINDING, "vessel": "spider"}]},
            "findings[0].vessel",
            id="unknown class",
        ),
        pytest.param(
            {"patient": {}, "findings": [{**FINDING, "depth": "deep"}]},
            "findings[0].depth",
            id="unknown depth",
        ),
        pytest.param(
            {"patient": {}, "findings": [{**FINDING, "named_vein": "femoral"}]},
            "findings[0].named_vein",
            id="unknown vein",
        ),
        pytest.param(
            {"patient": {}, "findings": [{"id": "a", "side": "left"}]},
            "findings[0]",
            id="nothing to classify",
        ),
        pytest.param({"patient": {}, "findings": [FINDING, FINDING]}, "", id="finding id used twice"),
        pytest.param(
            {"patient": {}, "planned": {"product": "nope"}}, "planned.product", id="unknown product"
        ),
        pytest.param(
            {"patient": {}, "planned": {"agent": "polidocanol", "product": "fibrovein"}},
            "planned.product",
            id="product without the agent",
        ),
        pytest.param(
            {"patient": {}, "planned": {"session_number": 0}}, "planned.session_number", id="session 0"
        ),
        pytest.param({"patient": {}, "unexpected": 1}, "unexpected", id="unknown key"),
        pytest.param({"findings": []}, "patient", id="no patient"),
    ],
)
def test_a_bad_plan_request_is_refused_naming_the_field(
    engine: Engine, request_body: Json, field: str
) -> None:
    assert refused(engine.plan, request_body)[0]["field"] == field


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"patient": {"weight_kg": None}}, "patient.weight_kg"),
        ({"patient": {}, "findings": [{**FINDING, "diameter_mm": None}]}, "findings[0].diameter_mm"),
        ({"patient": {"age_years": None}}, "patient.age_years"),
    ],
)
def test_true_or_false_is_not_read_as_a_number(
    engine: Engine, request_body: Json, field: str, value: bool
) -> None:
    """JSON true is not 1 mm or 1 kg: a boolean where a number belongs is refused, not guessed at."""
    body = copy.deepcopy(request_body)
    if field.startswith("findings"):
        body["findings"][0]["diameter_mm"] = value
    else:
        body["patient"][field.split(".")[1]] = value
    assert refused(engine.plan, body)[0]["field"] == field


@pytest.mark.parametrize("request_body", [None, [], "plan", 42, ["patient"]])
def test_a_request_that_is_not_an_object_is_refused(engine: Engine, request_body: Any) -> None:
    for call in (
        engine.plan,
        engine.screen,
        engine.classify,
        engine.check_session,
        engine.triage,
        engine.ceap,
        engine.vcss,
    ):
        assert refused(call, request_body) == [
            {"field": "", "message": f"expected a JSON object, got {type(request_body).__name__}"}
        ]


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"patient": {}, "product": "fibrovein", "injections": [INJECTION]}, "product"),
        ({"patient": {}, "product": "sclerovein", "injections": []}, "product"),
        ({"patient": {}, "injections": [{**INJECTION, "product": "sclerovein"}]}, "injections[0].product"),
        ({"patient": {}, "injections": [{**INJECTION, "volume_ml": 0}]}, "injections[0].volume_ml"),
        ({"patient": {}, "injections": [{**INJECTION, "volume_ml": -1}]}, "injections[0].volume_ml"),
        (
            {"patient": {}, "injections": [{**INJECTION, "concentration_percent": -1}]},
            "injections[0].concentration_percent",
        ),
        ({"patient": {}, "injections": [{**INJECTION, "form": "gel"}]}, "injections[0].form"),
        ({"patient": {}, "injections": [{**INJECTION, "agent": "saline"}]}, "injections[0].agent"),
        ({"patient": {}, "injections": [{**INJECTION, "foam_gas_parts": 0}]}, "injections[0].foam_gas_parts"),
        ({"patient": {"conditions": ["gout"]}, "injections": []}, "patient.conditions[0]"),
    ],
)
def test_a_bad_session_check_is_refused_naming_the_field(
    engine: Engine, request_body: Json, field: str
) -> None:
    assert refused(engine.check_session, request_body)[0]["field"] == field


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"symptom": "bruising", "days_since_treatment": -1}, "days_since_treatment"),
        ({"symptom": "itchy_feet", "days_since_treatment": 1}, "symptom"),
        ({"symptom": "bruising"}, "days_since_treatment"),
        ({"symptom": "bruising", "days_since_treatment": 1, "treatment": {"form": "gel"}}, "treatment.form"),
    ],
)
def test_a_bad_triage_request_is_refused_naming_the_field(
    engine: Engine, request_body: Json, field: str
) -> None:
    assert refused(engine.triage, request_body)[0]["field"] == field


def test_an_unknown_ceap_sign_is_refused(engine: Engine) -> None:
    assert refused(engine.ceap, {"signs": ["bulging"]})[0]["field"] == "signs[0]"


@pytest.mark.parametrize(("item", "value"), [("pain", 4), ("pain", -1), ("pain", "extreme"), ("itch", 1)])
def test_a_bad_vcss_score_or_item_is_refused(engine: Engine, item: str, value: Any) -> None:
    items: dict[str, Any] = {
        "pain": 0,
        "varicose_veins": 0,
        "venous_edema": 0,
        "skin_pigmentation": 0,
        "inflammation": 0,
        "induration": 0,
        "active_ulcer_number": 0,
        "active_ulcer_duration": 0,
        "active_ulcer_size": 0,
        "compression_therapy": 0,
        item: value,
    }
    assert refused(engine.vcss, {"items": items})[0]["field"].startswith("items.")


@pytest.mark.parametrize(
    ("treated", "products", "field"),
    [
        ([("microsclerotherapy", "telangiectasia")], ["sclerovein"], "products[0]"),
        ([("laser", "telangiectasia")], [], "treated[0]"),
        ([("microsclerotherapy", "spider")], [], "treated[0]"),
        ([("microsclerotherapy",)], [], "treated[0]"),
        ([1], [], "treated[0]"),
        ("microsclerotherapy", [], "treated"),
        ([], "aethoxysklerol", "products"),
        ([], [None], "products[0]"),
    ],
)
def test_bad_aftercare_input_is_refused_naming_the_field(
    engine: Engine, treated: Any, products: Any, field: str
) -> None:
    with pytest.raises(InputError) as raised:
        engine.aftercare(treated, products)
    assert raised.value.errors[0]["field"] == field


def test_aftercare_for_an_injection_charted_without_a_finding_has_no_vessel_class(engine: Engine) -> None:
    """The records app passes an empty class for such injections; only class-free rules match it."""
    care = engine.aftercare([("foam_sclerotherapy", "")], ["aethoxysklerol"])
    assert care.procedures == ["foam_sclerotherapy"]
