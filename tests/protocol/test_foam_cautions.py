"""A screening caution about foam is repeated on each finding the plan offers foam for."""

from __future__ import annotations

from scleropath.protocol import Engine

from .support import AssessmentFactory

TRIBUTARY = {"vessel": "varicose", "diameter_mm": 4}  # foam sclerotherapy, liquid as the alternative
SPIDER = {"vessel": "telangiectasia", "diameter_mm": 0.5}  # microsclerotherapy, liquid only


def test_a_foam_finding_repeats_the_shunt_caution_with_its_sources(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(make_assessment(TRIBUTARY, conditions=["asymptomatic_right_to_left_shunt"]))
    plan = answer.findings[0]
    assert plan.procedure == "foam_sclerotherapy"
    item = engine.protocol.screening_items["asymptomatic_right_to_left_shunt"]
    [caution] = [w for w in plan.warnings if "shunt" in w]
    assert caution.startswith("Foam with right-to-left shunt without symptoms on screening: ")
    assert item.precaution and item.precaution in caution
    assert caution.endswith("[UIP2023; AETH-AT; FIBR]")
    assert "screening.asymptomatic_right_to_left_shunt" in plan.rule_ids
    assert set(item.cite) <= set(plan.citations)


def test_migraine_after_foam_is_a_foam_caution_because_the_data_says_so(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    plan = engine.plan(make_assessment(TRIBUTARY, conditions=["migraine_after_foam"])).findings[0]
    assert any(w.startswith("Foam with migraine or visual disturbance") for w in plan.warnings)


def test_a_finding_treated_with_liquid_only_does_not_repeat_a_foam_caution(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(make_assessment(SPIDER, TRIBUTARY, conditions=["asymptomatic_right_to_left_shunt"]))
    spider, tributary = answer.findings
    assert {o.form for o in spider.options} == {"liquid"}
    assert not any("shunt" in w for w in spider.warnings)
    assert "screening.asymptomatic_right_to_left_shunt" not in spider.rule_ids
    assert any("shunt" in w for w in tributary.warnings)


def test_a_caution_that_concerns_every_form_is_not_repeated_on_the_findings(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    plan = engine.plan(make_assessment(TRIBUTARY, conditions=["hormonal_therapy"])).findings[0]
    assert any(o.form == "foam" for o in plan.options)
    assert not any("screening" in w for w in plan.warnings)


def test_foam_blocked_by_screening_leaves_no_foam_option_and_no_caution_to_repeat(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    plan = engine.plan(make_assessment(TRIBUTARY, conditions=["symptomatic_right_to_left_shunt"])).findings[0]
    assert {o.form for o in plan.options} == {"liquid"}
    assert not any(w.startswith("Foam with") for w in plan.warnings)
