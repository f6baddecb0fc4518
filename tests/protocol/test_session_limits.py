"""Session limits and the running check of a session's injections."""

from __future__ import annotations

import pytest


def inj(volume, conc=1.0, form="liquid", agent="polidocanol", **extra):
    return {"agent": agent, "form": form, "concentration_percent": conc, "volume_ml": volume, **extra}


def check(engine, *injections, weight=70, **request):
    return engine.check_session(
        {
            "patient": {"weight_kg": weight, **request.pop("patient", {})},
            "injections": list(injections),
            **request,
        }
    )


@pytest.mark.parametrize(("weight", "max_mg"), [(50, 100), (70, 140), (100, 200)])
def test_polidocanol_is_limited_to_2_mg_per_kg_a_day(engine, assess, weight, max_mg):
    limits = engine.plan(assess({"diameter_mm": 0.5}, weight_kg=weight)).session_limits
    assert limits.polidocanol_max_mg == max_mg


def test_14_ml_of_1_percent_is_the_most_a_70_kg_patient_may_have(engine):
    assert check(engine, inj(14)).within_limits
    over = check(engine, inj(14), inj(0.1))
    assert not over.within_limits
    assert over.violations[0].code == "dose_limit_exceeded"
    assert over.violations[0].injection_index == 1


def test_aethoxysklerol_foam_is_limited_to_10_ml_a_session(engine):
    answer = check(
        engine, *[inj(2.5, form="foam", foam_gas_parts=4) for _ in range(5)], product="aethoxysklerol"
    )
    foam = next(s for s in answer.limits if s.id == "aethoxysklerol.foam_per_session")
    assert (foam.used, foam.within) == (12.5, False)
    assert answer.violations[0].injection_index == 4


def test_foam_counts_towards_the_dose_by_its_liquid_fraction(engine):
    answer = check(engine, inj(5, conc=3, form="foam", foam_gas_parts=4))
    assert answer.totals.polidocanol_mg == pytest.approx(30)


def test_foam_without_a_recorded_ratio_is_counted_at_the_richest_ratio_and_warned(engine):
    answer = check(engine, inj(4, conc=3, form="foam"))
    assert answer.totals.polidocanol_mg == pytest.approx(30)  # 4 mL of 1 + 3 foam holds 1 mL of liquid
    assert any("gas ratio was not recorded" in w for w in answer.warnings)


def test_fibrovein_3_percent_is_limited_to_4_ml_a_session(engine):
    answer = check(
        engine, *[inj(1, conc=3, agent="sodium_tetradecyl_sulfate") for _ in range(5)], product="fibrovein"
    )
    codes = {v.code for v in answer.violations}
    assert {"session_volume_exceeded", "injection_count_exceeded"} <= codes


def test_an_allergy_prone_patient_gets_a_single_aethoxysklerol_injection_at_the_first_session(engine):
    first = check(
        engine,
        inj(0.1),
        inj(0.1),
        product="aethoxysklerol",
        session_number=1,
        patient={"conditions": ["allergic_diathesis"]},
    )
    assert any(v.limit_id == "aethoxysklerol.first_session_allergy" for v in first.violations)
    second = check(
        engine,
        inj(0.1),
        inj(0.1),
        product="aethoxysklerol",
        session_number=2,
        patient={"conditions": ["allergic_diathesis"]},
    )
    assert second.within_limits


def test_an_injection_of_an_agent_the_patient_is_allergic_to_is_a_violation(engine):
    answer = check(engine, inj(0.2), patient={"allergies": ["polidocanol"]})
    assert answer.violations[0].code == "allergy_to_agent"


def test_the_binding_limit_is_the_one_with_least_headroom(engine):
    answer = check(engine, inj(9, form="foam", foam_gas_parts=4), product="aethoxysklerol")
    assert answer.binding_limit == "aethoxysklerol.foam_per_session"


def test_a_strength_the_product_does_not_come_in_is_warned(engine):
    answer = check(engine, inj(0.2, conc=0.75), product="aethoxysklerol")
    assert any("not a labelled liquid strength" in w for w in answer.warnings)


def test_asclera_warns_above_3_ml_without_refusing(engine):
    answer = check(engine, *[inj(0.3, conc=1) for _ in range(11)], product="asclera")
    assert any("allergic reactions" in w for w in answer.warnings)
    assert all(v.limit_id != "asclera.allergy_volume" for v in answer.violations)


def test_a_missing_weight_is_warned_and_the_dose_limit_is_not_checked(engine):
    answer = engine.check_session({"patient": {}, "injections": [inj(40)]})
    assert all(s.kind != "agent_dose_mg" for s in answer.limits)
    assert any("Weight is missing" in w for w in answer.warnings)
