"""Which procedure each finding gets (reference 2.2; key facts, truncal reflux)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scleropath.protocol import Engine
from scleropath.protocol.answers import FindingPlan
from scleropath.protocol.vocabulary import TREATING_PROCEDURES

from .support import AssessmentFactory, Json

FirstPlan = Callable[..., FindingPlan]
GSV_WITH_REFLUX: Json = {"named_vein": "gsv", "diameter_mm": 6, "reflux": True}


def test_a_telangiectasia_is_offered_microsclerotherapy_with_liquid_only(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 0.5})
    assert (plan.procedure, plan.alternatives) == ("microsclerotherapy", [])
    assert plan.options and {o.form for o in plan.options} == {"liquid"}
    assert "S2K" in plan.citations


def test_a_reticular_vein_is_offered_microsclerotherapy_with_liquid_only(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 2})
    assert plan.procedure == "microsclerotherapy"
    assert plan.options and {o.form for o in plan.options} == {"liquid"}


def test_a_visible_varicose_tributary_gets_foam_with_liquid_as_the_alternative_after_duplex(
    first_plan: FirstPlan,
) -> None:
    plan = first_plan({"diameter_mm": 4, "reflux": False})
    assert (plan.procedure, plan.alternatives) == ("foam_sclerotherapy", ["liquid_sclerotherapy"])
    assert plan.prerequisites == ["duplex_mapping"]
    assert {o.form for o in plan.options} == {"foam"}


def test_a_varicose_vein_seen_only_on_ultrasound_gets_ultrasound_guided_foam(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 4, "visible": False})
    assert plan.procedure == "ultrasound_guided_foam_sclerotherapy"
    assert plan.prerequisites == ["duplex_mapping"]
    assert plan.options and {o.form for o in plan.options} == {"foam"}


def test_a_recurrent_varicose_vein_gets_sclerotherapy_and_a_warning_about_more_recurrence(
    first_plan: FirstPlan,
) -> None:
    plan = first_plan({"diameter_mm": 4, "recurrent": True})
    assert plan.vessel_class == "recurrent_varicose"
    assert (plan.procedure, plan.alternatives) == ("foam_sclerotherapy", ["liquid_sclerotherapy"])
    assert "recurrence" in plan.reason


def test_truncal_reflux_under_the_default_nice_policy_is_referred_for_endothermal_ablation(
    first_plan: FirstPlan,
) -> None:
    plan = first_plan(GSV_WITH_REFLUX)
    assert plan.procedure == "referral"
    assert plan.referral_for == "endothermal ablation"
    assert plan.alternatives == ["ultrasound_guided_foam_sclerotherapy"]
    assert plan.options and {o.procedure for o in plan.options} == {"ultrasound_guided_foam_sclerotherapy"}
    assert "proc.truncal_reflux.nice" in plan.rule_ids
    assert "NICE168" in plan.citations


def test_truncal_reflux_under_a_clinic_choosing_s2k_gets_ultrasound_guided_foam_first(
    clinic_engine: Callable[..., Engine], make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(truncal_reflux="s2k_2020")
    plan = engine.plan(make_assessment(GSV_WITH_REFLUX)).findings[0]
    assert plan.procedure == "ultrasound_guided_foam_sclerotherapy"
    assert plan.alternatives == ["referral"]
    assert plan.referral_for == "endothermal ablation"
    assert "proc.truncal_reflux.s2k" in plan.rule_ids
    assert "S2K" in plan.citations


@pytest.mark.parametrize("vein", ["gsv", "ssv", "aasv", "pasv", "perforator"])
def test_a_trunk_or_perforator_whose_reflux_is_unknown_is_deferred_for_duplex(
    first_plan: FirstPlan, vein: str
) -> None:
    plan = first_plan({"named_vein": vein, "diameter_mm": 5})
    assert plan.procedure == "defer"
    assert plan.prerequisites == ["duplex_mapping"]
    assert plan.options == []


def test_a_refluxing_perforator_gets_ultrasound_guided_foam(first_plan: FirstPlan) -> None:
    plan = first_plan({"named_vein": "perforator", "diameter_mm": 4, "reflux": True})
    assert plan.procedure == "ultrasound_guided_foam_sclerotherapy"
    assert plan.alternatives == ["referral"]
    assert plan.referral_for == "endovenous thermal ablation"
    assert "VLU2014" in plan.citations


def test_a_bleeding_varix_is_referred_at_once(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 5, "bleeding": True})
    assert (plan.procedure, plan.alternatives, plan.options) == ("referral", [], [])
    assert plan.referral_for is not None and "bleeding" in plan.referral_for
    assert "NICE168" in plan.citations


def test_a_competent_trunk_matches_no_rule_and_is_left_to_the_clinician(first_plan: FirstPlan) -> None:
    plan = first_plan({"named_vein": "gsv", "diameter_mm": 5, "reflux": False})
    assert plan.procedure == "defer"
    assert "procedures.no_rule" in plan.rule_ids


def test_a_venous_malformation_is_deferred_to_the_clinician(first_plan: FirstPlan) -> None:
    plan = first_plan({"vessel": "venous_malformation"})
    assert plan.procedure == "defer"
    assert "procedures.no_rule" in plan.rule_ids


def test_pregnancy_defers_treatment_and_keeps_it_as_an_alternative(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 0.5}, pregnant=True)
    assert plan.procedure == "defer"
    assert plan.alternatives == ["microsclerotherapy"]
    assert "proc.pregnancy_defer" in plan.rule_ids
    assert "NICE168" in plan.citations


def test_pregnancy_does_not_turn_a_referral_into_a_deferral(first_plan: FirstPlan) -> None:
    assert first_plan({"diameter_mm": 5, "bleeding": True}, pregnant=True).procedure == "referral"


def test_acute_vte_rules_out_every_treatment_for_every_finding(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(
        make_assessment(
            {"diameter_mm": 0.5},
            {"diameter_mm": 2},
            {"diameter_mm": 4},
            {"diameter_mm": 4, "visible": False},
            GSV_WITH_REFLUX,
            {"named_vein": "perforator", "reflux": True},
            conditions=["acute_vte"],
        )
    )
    assert answer.screening.verdict == "absolute"
    for plan in answer.findings:
        assert plan.procedure in {"referral", "defer"}
        assert plan.options == []
        assert not set(plan.alternatives) & TREATING_PROCEDURES
    assert answer.treatment_order == []


def test_a_symptomatic_shunt_blocks_foam_so_a_varicose_vein_falls_back_to_liquid(
    first_plan: FirstPlan,
) -> None:
    plan = first_plan({"diameter_mm": 4}, conditions=["symptomatic_right_to_left_shunt"])
    assert (plan.procedure, plan.alternatives) == ("liquid_sclerotherapy", [])
    assert plan.options and {o.form for o in plan.options} == {"liquid"}
    assert any(w.startswith("Foam sclerotherapy not offered") for w in plan.warnings)


def test_a_symptomatic_shunt_leaves_microsclerotherapy_of_a_telangiectasia_as_it_is(
    first_plan: FirstPlan,
) -> None:
    plain = first_plan({"diameter_mm": 0.5})
    shunt = first_plan({"diameter_mm": 0.5}, conditions=["symptomatic_right_to_left_shunt"])
    assert shunt.procedure == plain.procedure == "microsclerotherapy"
    assert [(o.product, o.form) for o in shunt.options] == [(o.product, o.form) for o in plain.options]


def test_a_symptomatic_shunt_leaves_a_refluxing_trunk_with_referral_only(first_plan: FirstPlan) -> None:
    plan = first_plan(GSV_WITH_REFLUX, conditions=["symptomatic_right_to_left_shunt"])
    assert (plan.procedure, plan.alternatives, plan.options) == ("referral", [], [])
    assert any("not offered" in w for w in plan.warnings)
