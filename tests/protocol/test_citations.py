"""Every part of every answer names the rules it applied and cites sources that resolve in the
protocol's references: a reader can always ask "why" and "says who"."""

from __future__ import annotations

from typing import Any

import pytest

from scleropath.protocol import Engine

from .support import AssessmentFactory, InjectionFactory, Json, SessionFactory, assert_cited

EVERY_KIND_OF_FINDING: list[Json] = [
    {"diameter_mm": 0.5, "region": "thigh_lateral", "depth": "subcutaneous"},
    {"diameter_mm": 1.0, "region": "knee_medial"},
    {"diameter_mm": 4, "region": "calf_medial", "reflux": False},
    {"diameter_mm": 4, "visible": False},
    {"diameter_mm": 5, "recurrent": True},
    {"diameter_mm": 5, "bleeding": True},
    {"named_vein": "gsv", "diameter_mm": 6, "reflux": True, "region": "thigh_medial"},
    {"named_vein": "ssv"},
    {"named_vein": "gsv", "reflux": False},
    {"named_vein": "perforator", "reflux": True},
    {"vessel": "venous_malformation"},
    {"diameter_mm": 0.8, "vessel": "reticular"},
]

PATIENTS: dict[str, dict[str, Any]] = {
    "nothing to screen": {},
    "thrombophilia": {"conditions": ["thrombophilia"]},
    "allergic to polidocanol": {"allergies": ["polidocanol", "latex"]},
    "allergic tendency": {"conditions": ["allergic_diathesis", "hormonal_therapy"]},
    "symptomatic shunt": {"conditions": ["symptomatic_right_to_left_shunt"]},
    "pregnant": {"pregnant": True, "breastfeeding": True},
    "bedridden without a weight": {"mobility": "bedridden", "weight_kg": None},
}


@pytest.mark.parametrize("patient", PATIENTS.values(), ids=list(PATIENTS))
def test_every_finding_plan_option_and_limit_of_a_plan_is_cited(
    engine: Engine, make_assessment: AssessmentFactory, patient: dict[str, Any]
) -> None:
    answer = engine.plan(make_assessment(*EVERY_KIND_OF_FINDING, **patient))
    protocol = engine.protocol
    assert_cited(answer, protocol, "the plan")
    for plan in answer.findings:
        assert_cited(plan, protocol, f"finding {plan.id}")
        assert_cited(plan.classification, protocol, f"classification of {plan.id}")
        for option in plan.options:
            assert_cited(option, protocol, f"option {option.product} {option.form} of {plan.id}")
    for limit in answer.session_limits.limits:
        assert_cited(limit, protocol, limit.id)
    for item in answer.screening.findings:
        if item.code in protocol.screening_items:  # the engine's own prompts cite no source
            assert_cited(item, protocol, item.code)
    assert answer.screening.findings or not any(patient.values())


def test_a_plans_citations_include_every_citation_of_its_parts(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(make_assessment(*EVERY_KIND_OF_FINDING, conditions=["hormonal_therapy"]))
    parts = [
        *answer.findings,
        *answer.session_limits.limits,
        *answer.screening.findings,
    ]
    assert {c for part in parts for c in part.citations} <= set(answer.citations)


def test_every_limit_and_violation_of_a_session_check_is_cited(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        make_session(
            *[make_injection(1, 3, agent="sodium_tetradecyl_sulfate") for _ in range(5)],
            make_injection(11, 1, form="foam"),
            make_injection(1, 1, agent="sodium_tetradecyl_sulfate", product="fibrovein"),
            allergies=["sts"],
            conditions=["allergic_diathesis"],
        )
    )
    assert answer.violations
    assert_cited(answer, engine.protocol)
    for status in answer.limits:
        assert_cited(status, engine.protocol, status.id)
    for violation in answer.violations:
        assert_cited(violation, engine.protocol, violation.code)


@pytest.mark.parametrize("days", [0, 10, 400])
def test_every_triage_answer_is_cited(engine: Engine, days: float) -> None:
    for symptom in engine.protocol.symptoms:
        answer = engine.triage({"symptom": symptom, "days_since_treatment": days})
        assert_cited(answer, engine.protocol, symptom)
        if answer.follow_up is not None:
            assert_cited(answer.follow_up, engine.protocol, f"{symptom} follow-up")
