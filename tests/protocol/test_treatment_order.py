"""The order findings are treated in: larger veins and sources of reflux first, telangiectasias last;
within a class proximal before distal, the widest vein first (reference 2.4)."""

from __future__ import annotations

from collections.abc import Callable

from scleropath.protocol import Engine

from .support import AssessmentFactory


def test_trunk_then_varicose_then_reticular_then_telangiectasia(
    clinic_engine: Callable[..., Engine], make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(truncal_reflux="s2k_2020")  # so the trunk is treated here, not referred
    answer = engine.plan(
        make_assessment(
            {"id": "spider", "diameter_mm": 0.5, "region": "thigh_lateral"},
            {"id": "reticular", "diameter_mm": 2, "region": "thigh_lateral"},
            {"id": "varicose", "diameter_mm": 5, "region": "calf_medial", "reflux": False},
            {"id": "trunk", "named_vein": "gsv", "reflux": True, "region": "thigh_medial"},
        )
    )
    assert answer.treatment_order == ["trunk", "varicose", "reticular", "spider"]


def test_a_refluxing_perforator_comes_before_the_varicose_veins(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(
        make_assessment(
            {"id": "varicose", "diameter_mm": 5, "region": "thigh_medial", "reflux": False},
            {"id": "perforator", "named_vein": "perforator", "reflux": True, "region": "calf_medial"},
        )
    )
    assert answer.treatment_order == ["perforator", "varicose"]


def test_within_a_class_proximal_comes_before_distal(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(
        make_assessment(
            {"id": "ankle", "diameter_mm": 2, "region": "ankle_medial"},
            {"id": "calf", "diameter_mm": 2, "region": "calf_medial"},
            {"id": "groin", "diameter_mm": 2, "region": "groin"},
            {"id": "knee", "diameter_mm": 2, "region": "knee_medial"},
            {"id": "thigh", "diameter_mm": 2, "region": "thigh_medial"},
        )
    )
    assert answer.treatment_order == ["groin", "thigh", "knee", "calf", "ankle"]


def test_at_the_same_level_the_widest_vein_comes_first(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(
        make_assessment(
            {"id": "narrow", "diameter_mm": 1.2, "region": "thigh_lateral"},
            {"id": "wide", "diameter_mm": 2.8, "region": "thigh_medial"},
        )
    )
    assert answer.treatment_order == ["wide", "narrow"]


def test_the_class_comes_before_the_region(engine: Engine, make_assessment: AssessmentFactory) -> None:
    answer = engine.plan(
        make_assessment(
            {"id": "spider_groin", "diameter_mm": 0.5, "region": "groin"},
            {"id": "reticular_ankle", "diameter_mm": 2, "region": "ankle_lateral"},
        )
    )
    assert answer.treatment_order == ["reticular_ankle", "spider_groin"]


def test_findings_that_are_referred_or_deferred_are_left_out_of_the_order(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(
        make_assessment(
            {"id": "spider", "diameter_mm": 0.5},
            {"id": "trunk", "named_vein": "gsv", "reflux": True},
            {"id": "unmapped", "named_vein": "ssv"},
            {"id": "bleeding", "diameter_mm": 4, "bleeding": True},
        )
    )
    assert answer.treatment_order == ["spider"]


def test_a_plan_with_an_order_cites_the_order_rules(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(make_assessment({"diameter_mm": 0.5}, {"diameter_mm": 2}))
    assert {"order.large_to_small", "order.proximal_to_distal"} <= set(answer.rule_ids)
    assert "COLE2015" in answer.citations
