"""Vessel classes by CEAP diameter, named veins, recurrence and the clinician's override."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("diameter", "expected"),
    [
        (0.2, "telangiectasia"),
        (0.9, "telangiectasia"),
        (1.0, "reticular"),
        (2.9, "reticular"),
        (3.0, "varicose"),
        (8.0, "varicose"),
    ],
)
def test_the_diameter_decides_the_class_at_the_ceap_boundaries(engine, diameter, expected):
    answer = engine.classify({"id": "a", "side": "left", "diameter_mm": diameter})
    assert answer.vessel_class == expected
    assert answer.basis == "diameter"
    assert "CEAP2004" in answer.citations


def test_a_recurrent_vein_of_varicose_size_is_recurrent_varicose(engine):
    answer = engine.classify({"id": "a", "side": "left", "diameter_mm": 4, "recurrent": True})
    assert answer.vessel_class == "recurrent_varicose"
    assert "CEAP2020" in answer.citations


def test_a_recurrent_small_vein_keeps_its_size_class(engine):
    assert (
        engine.classify({"id": "a", "side": "left", "diameter_mm": 0.5, "recurrent": True}).vessel_class
        == "telangiectasia"
    )


@pytest.mark.parametrize("vein", ["gsv", "ssv", "aasv", "pasv"])
def test_a_named_saphenous_trunk_is_truncal_whatever_its_diameter(engine, vein):
    answer = engine.classify({"id": "a", "side": "left", "diameter_mm": 2.5, "named_vein": vein})
    assert answer.vessel_class == "truncal"
    assert answer.basis == "named_vein"


def test_a_named_perforator_is_a_perforator(engine):
    assert (
        engine.classify({"id": "a", "side": "left", "named_vein": "perforator"}).vessel_class == "perforator"
    )


def test_the_clinicians_class_wins_and_the_override_is_reported(engine):
    answer = engine.classify({"id": "a", "side": "left", "diameter_mm": 0.8, "vessel": "reticular"})
    assert answer.vessel_class == "reticular"
    assert answer.basis == "clinician"
    assert answer.derived_class == "telangiectasia"
    assert any("overrides telangiectasia" in w for w in answer.warnings)


def test_a_depth_unusual_for_the_class_is_warned(engine):
    answer = engine.classify({"id": "a", "side": "left", "diameter_mm": 0.5, "depth": "subcutaneous"})
    assert answer.vessel_class == "telangiectasia"
    assert any("unusual" in w for w in answer.warnings)


def test_a_depth_that_fits_the_class_is_not_warned(engine):
    assert (
        engine.classify({"id": "a", "side": "left", "diameter_mm": 0.5, "depth": "intradermal"}).warnings
        == []
    )
