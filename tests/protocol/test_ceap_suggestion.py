"""CEAP signs suggested from the vein findings of each leg (reference 1.1 and 1.2: C1 telangiectasia or
reticular veins, C2 varicose veins of 3 mm or more, C2r recurrent), for the clinician to confirm."""

from __future__ import annotations

import pytest

from scleropath.protocol import Engine, InputError
from scleropath.protocol.answers import CeapSuggestion

from .support import assert_cited


def test_a_varicose_finding_suggests_c2_varicose_veins_on_its_own_leg(engine: Engine) -> None:
    answer = engine.suggest_ceap_signs([{"id": "R2", "side": "right", "diameter_mm": 4.5}])
    [suggested] = answer.signs
    assert (suggested.side, suggested.sign, suggested.ceap_class) == ("right", "varicose_veins", "C2")
    assert suggested.findings == ["R2"]
    assert suggested.vessel_classes == ["varicose"]
    assert answer.for_side("left") == []
    assert "vessels.diameter_bands[2]" in suggested.rule_ids and "ceap.C2" in suggested.rule_ids
    assert {"CEAP2004", "CEAP2020"} <= set(suggested.citations)
    assert_cited(answer, engine.protocol)


@pytest.mark.parametrize(
    ("finding", "sign", "code"),
    [
        ({"diameter_mm": 0.5}, "telangiectasia", "C1"),
        ({"diameter_mm": 2.0}, "reticular_veins", "C1"),
        ({"diameter_mm": 5.0}, "varicose_veins", "C2"),
        ({"diameter_mm": 5.0, "recurrent": True}, "recurrent_varicose_veins", "C2r"),
        ({"named_vein": "gsv"}, "varicose_veins", "C2"),
    ],
)
def test_each_vessel_class_suggests_the_sign_its_protocol_entry_names(
    engine: Engine, finding: dict[str, object], sign: str, code: str
) -> None:
    [suggested] = engine.suggest_ceap_signs([{"id": "L1", "side": "left", **finding}]).signs
    assert (suggested.sign, suggested.ceap_class) == (sign, code)


def test_veins_with_no_ceap_sign_suggest_nothing(engine: Engine) -> None:
    answer = engine.suggest_ceap_signs(
        [
            {"id": "L1", "side": "left", "named_vein": "perforator"},
            {"id": "L2", "side": "left", "vessel": "venous_malformation"},
        ]
    )
    assert answer.signs == [] and answer.rule_ids == [] and answer.citations == []


def test_findings_of_one_sign_on_one_leg_are_suggested_once_naming_every_finding(engine: Engine) -> None:
    answer = engine.suggest_ceap_signs(
        [
            {"id": "L1", "side": "left", "diameter_mm": 0.4},
            {"id": "R1", "side": "right", "diameter_mm": 0.4},
            {"id": "L2", "side": "left", "diameter_mm": 6.0},
            {"id": "L3", "side": "left", "diameter_mm": 0.8},
        ]
    )
    assert [(s.side, s.sign, s.findings) for s in answer.signs] == [
        ("left", "telangiectasia", ["L1", "L3"]),
        ("left", "varicose_veins", ["L2"]),
        ("right", "telangiectasia", ["R1"]),
    ]


def test_the_clinicians_class_decides_the_suggested_sign(engine: Engine) -> None:
    # 2 mm is reticular by diameter; the clinician classed it varicose.
    [suggested] = engine.suggest_ceap_signs(
        [{"id": "L1", "side": "left", "diameter_mm": 2.0, "vessel": "varicose"}]
    ).signs
    assert suggested.sign == "varicose_veins"
    assert "vessels.clinician_class" in suggested.rule_ids


def test_no_findings_suggest_no_sign(engine: Engine) -> None:
    assert engine.suggest_ceap_signs([]).signs == []


def test_a_bad_finding_is_refused_naming_its_field(engine: Engine) -> None:
    with pytest.raises(InputError) as raised:
        engine.suggest_ceap_signs([{"id": "L1", "side": "left", "diameter_mm": -1}])
    assert raised.value.errors[0]["field"] == "findings[0].diameter_mm"
    with pytest.raises(InputError):
        engine.suggest_ceap_signs({"id": "L1"})  # type: ignore[arg-type]


def test_a_suggestion_survives_a_round_trip_through_validation(engine: Engine) -> None:
    answer = engine.suggest_ceap_signs([{"id": "L1", "side": "left", "diameter_mm": 0.5}])
    dumped = answer.model_dump(mode="json")
    assert CeapSuggestion.model_validate(dumped).model_dump(mode="json") == dumped
