"""CEAP 2020 clinical classes of one leg (reference 1.2; key facts, CEAP 2020)."""

from __future__ import annotations

import pytest

from scleropath.protocol import Engine

from .support import assert_cited


def test_a_leg_without_signs_is_c0(engine: Engine) -> None:
    answer = engine.ceap({"signs": []})
    assert (answer.c_classes, answer.highest) == (["C0"], "C0")
    assert_cited(answer, engine.protocol)


def test_every_class_a_leg_meets_is_reported_highest_first(engine: Engine) -> None:
    answer = engine.ceap({"signs": ["reticular_veins", "active_ulcer", "varicose_veins", "pigmentation"]})
    assert answer.c_classes == ["C6", "C4a", "C2", "C1"]
    assert answer.highest == "C6"
    assert set(answer.displays) == set(answer.c_classes)


def test_signs_of_one_class_report_it_once(engine: Engine) -> None:
    assert engine.ceap({"signs": ["telangiectasia", "reticular_veins"]}).c_classes == ["C1"]


@pytest.mark.parametrize(
    ("sign", "code"),
    [
        ("telangiectasia", "C1"),
        ("reticular_veins", "C1"),
        ("varicose_veins", "C2"),
        ("recurrent_varicose_veins", "C2r"),
        ("edema", "C3"),
        ("pigmentation", "C4a"),
        ("eczema", "C4a"),
        ("lipodermatosclerosis", "C4b"),
        ("atrophie_blanche", "C4b"),
        ("corona_phlebectatica", "C4c"),
        ("healed_ulcer", "C5"),
        ("active_ulcer", "C6"),
        ("recurrent_active_ulcer", "C6r"),
    ],
)
def test_each_sign_maps_to_its_ceap_2020_class(engine: Engine, sign: str, code: str) -> None:
    answer = engine.ceap({"signs": [sign]})
    assert answer.c_classes == [code]
    assert_cited(answer, engine.protocol)


def test_the_classes_new_in_2020_cite_the_2020_revision(engine: Engine) -> None:
    for sign in ("corona_phlebectatica", "recurrent_varicose_veins", "recurrent_active_ulcer"):
        assert "CEAP2020" in engine.ceap({"signs": [sign]}).citations
