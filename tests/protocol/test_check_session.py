"""Checking a session's injections as they are given: running totals against every limit that
applies (reference 3.5, 3.6, 4.2; docs/engine-contract.md, check-session)."""

from __future__ import annotations

import pytest

from scleropath.protocol import Engine
from scleropath.protocol.answers import LimitStatus, SessionCheckAnswer

from .support import InjectionFactory, SessionFactory, assert_cited


def status(answer: SessionCheckAnswer, limit_id: str) -> LimitStatus:
    found = [s for s in answer.limits if s.id == limit_id]
    assert len(found) == 1, [s.id for s in answer.limits]
    return found[0]


def test_totals_run_over_every_injection(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        make_session(
            make_injection(0.2, 0.5),
            make_injection(0.3, 0.5),
            make_injection(5, 3, form="foam", foam_gas_parts=4),
            product="aethoxysklerol",
        )
    )
    totals = answer.totals
    assert totals.injections == 3
    assert totals.liquid_volume_ml == pytest.approx(0.5)
    assert totals.foam_volume_ml == pytest.approx(5)
    assert totals.volume_ml == pytest.approx(5.5)
    # 0.5 mL of 0.5 % is 2.5 mg; 5 mL of 1 + 4 foam holds 1 mL of 3 %, 30 mg (1 % is 10 mg/mL).
    assert totals.polidocanol_mg == pytest.approx(32.5)
    assert totals.by_concentration == {"aethoxysklerol@0.5": pytest.approx(0.5), "aethoxysklerol@3": 5}
    assert answer.within_limits


def test_14_ml_of_1_percent_is_the_most_polidocanol_a_70_kg_patient_may_have(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    """The Aethoxysklerol label's own example: 70 kg, 2 mg/kg, 140 mg = 14 mL of 1 %."""
    at_limit = engine.check_session(make_session(make_injection(7), make_injection(7)))
    assert at_limit.within_limits
    assert status(at_limit, "agent.polidocanol.daily_max").remaining == pytest.approx(0)
    over = engine.check_session(make_session(make_injection(7), make_injection(7), make_injection(0.1)))
    assert not over.within_limits
    [violation] = over.violations
    assert (violation.code, violation.limit_id, violation.injection_index) == (
        "dose_limit_exceeded",
        "agent.polidocanol.daily_max",
        2,
    )
    assert "from injection 3" in violation.message
    assert_cited(violation, engine.protocol)


def test_the_daily_maximum_of_3_percent_polidocanol_for_70_kg_is_about_4_7_ml(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    assert engine.check_session(make_session(make_injection(4.6, 3))).within_limits
    assert not engine.check_session(make_session(make_injection(4.7, 3))).within_limits


def test_aethoxysklerol_foam_is_limited_to_10_ml_a_session(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    foam = [make_injection(2.5, 0.5, form="foam", foam_gas_parts=4) for _ in range(5)]
    within = engine.check_session(make_session(*foam[:4], product="aethoxysklerol"))
    assert within.within_limits
    over = engine.check_session(make_session(*foam, product="aethoxysklerol"))
    limit = status(over, "aethoxysklerol.foam_per_session")
    assert (limit.max, limit.used, limit.within) == (10, 12.5, False)
    # The consensus limit of 10 mL a session is passed too, by the same injection.
    assert {(v.limit_id, v.code, v.injection_index) for v in over.violations} == {
        ("aethoxysklerol.foam_per_session", "foam_volume_exceeded", 4),
        ("consensus.foam_per_session", "foam_volume_exceeded", 4),
    }


def test_foam_without_a_recorded_gas_ratio_is_counted_at_the_richest_ratio_and_warned(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    unknown = engine.check_session(make_session(make_injection(4, 3, form="foam")))
    # The protocol's richest foam is Tessari 1 + 3: 4 mL holds 1 mL of 3 %, 30 mg.
    assert unknown.totals.polidocanol_mg == pytest.approx(30)
    assert any("gas ratio was not recorded" in w for w in unknown.warnings)
    known = engine.check_session(make_session(make_injection(4, 3, form="foam", foam_gas_parts=4)))
    assert known.totals.polidocanol_mg == pytest.approx(24)
    assert known.totals.polidocanol_mg < unknown.totals.polidocanol_mg
    assert not any("gas ratio" in w for w in known.warnings)


def test_fibrovein_3_percent_is_limited_to_4_ml_a_session(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    sts = [make_injection(1, 3, agent="sodium_tetradecyl_sulfate") for _ in range(4)]
    assert engine.check_session(make_session(*sts, product="fibrovein")).within_limits
    over = engine.check_session(
        make_session(*sts, make_injection(0.5, 3, agent="sodium_tetradecyl_sulfate"), product="fibrovein")
    )
    by_limit = {v.limit_id: v for v in over.violations}
    assert by_limit["fibrovein.volume_at_3pct"].code == "session_volume_exceeded"
    assert by_limit["fibrovein.volume_at_3pct"].injection_index == 4
    assert by_limit["fibrovein.sites_at_3pct"].code == "injection_count_exceeded"


def test_fibrovein_limits_at_3_percent_do_not_count_other_strengths(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        make_session(
            *[make_injection(1, 1, agent="sodium_tetradecyl_sulfate") for _ in range(6)],
            make_injection(1, 3, agent="sodium_tetradecyl_sulfate"),
            product="fibrovein",
        )
    )
    assert answer.within_limits
    assert status(answer, "fibrovein.volume_at_3pct").used == 1
    assert status(answer, "fibrovein.volume_at_1pct").used == 6


def test_more_than_1_ml_of_liquid_fibrovein_at_one_site_names_that_injection(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        make_session(
            make_injection(0.5, 1, agent="sodium_tetradecyl_sulfate"),
            make_injection(1.5, 1, agent="sodium_tetradecyl_sulfate"),
            product="fibrovein",
        )
    )
    [violation] = answer.violations
    assert (violation.code, violation.limit_id, violation.injection_index) == (
        "injection_volume_exceeded",
        "fibrovein.liquid_per_site",
        1,
    )


def test_an_allergy_prone_patient_gets_a_single_aethoxysklerol_injection_at_the_first_session_only(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    two = [make_injection(0.1, 0.5), make_injection(0.1, 0.5)]
    first = engine.check_session(
        make_session(*two, product="aethoxysklerol", conditions=["allergic_diathesis"])
    )
    [violation] = first.violations
    assert (violation.limit_id, violation.injection_index) == ("aethoxysklerol.first_session_allergy", 1)
    second = engine.check_session(
        make_session(*two, product="aethoxysklerol", session_number=2, conditions=["allergic_diathesis"])
    )
    assert second.within_limits
    assert engine.check_session(make_session(*two, product="aethoxysklerol")).within_limits


def test_an_injection_of_an_agent_the_patient_is_allergic_to_is_a_violation(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        make_session(make_injection(0.2, 0.2, agent="sodium_tetradecyl_sulfate"), allergies=["STS"])
    )
    [violation] = answer.violations
    assert (violation.code, violation.injection_index) == ("allergy_to_agent", 0)
    assert_cited(violation, engine.protocol)


def test_the_binding_limit_is_the_one_with_the_least_headroom(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    foam = engine.check_session(
        make_session(make_injection(9, 1, form="foam", foam_gas_parts=4), product="aethoxysklerol")
    )
    assert foam.binding_limit == "aethoxysklerol.foam_per_session"  # 1 of 10 mL left; 122 of 140 mg
    liquid = engine.check_session(make_session(make_injection(12, 1), product="aethoxysklerol"))
    assert liquid.binding_limit == "agent.polidocanol.daily_max"  # 20 of 140 mg left; no foam used


def test_every_limit_status_reports_used_and_remaining_against_its_maximum(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(make_session(make_injection(3, 1), product="aethoxysklerol"))
    for s in answer.limits:
        assert s.remaining == pytest.approx(s.max - s.used)
        assert s.within == (s.used <= s.max)
        assert_cited(s, engine.protocol, s.id)


def test_a_strength_the_product_is_not_made_in_is_warned(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(make_session(make_injection(0.2, 0.75), product="aethoxysklerol"))
    assert any("0.75% is not a labelled liquid strength" in w for w in answer.warnings)


def test_fibrovein_foam_from_a_strength_that_may_not_be_foamed_is_warned(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        make_session(
            make_injection(1, 0.5, form="foam", agent="sodium_tetradecyl_sulfate", foam_gas_parts=4),
            product="fibrovein",
        )
    )
    assert any("0.5% is not a labelled foam strength" in w for w in answer.warnings)


def test_asclera_warns_above_3_ml_without_refusing_the_session(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        make_session(*[make_injection(0.3, 1) for _ in range(11)], product="asclera")
    )
    assert any("allergic reactions" in w for w in answer.warnings)
    assert answer.within_limits
    assert status(answer, "asclera.allergy_volume").advisory


def test_varithena_allows_15_ml_of_foam_a_session_and_5_ml_an_injection_under_the_consensus_10_ml(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    foam = [make_injection(5, 1, form="foam", product="varithena") for _ in range(3)]
    assert engine.check_session(make_session(*foam[:2], weight_kg=70)).within_limits
    # The label's 15 mL is within Varithena's own limit, but the consensus 10 mL applies on top.
    at_label = engine.check_session(make_session(*foam, weight_kg=70))
    assert status(at_label, "varithena.per_session").within
    assert {v.limit_id for v in at_label.violations} == {"consensus.foam_per_session"}
    over = engine.check_session(
        make_session(*foam, make_injection(0.5, 1, form="foam", product="varithena"), weight_kg=70)
    )
    assert {v.limit_id for v in over.violations} == {"varithena.per_session", "consensus.foam_per_session"}
    big = engine.check_session(make_session(make_injection(6, 1, form="foam", product="varithena")))
    assert {v.limit_id for v in big.violations} == {"varithena.per_injection"}


def test_a_missing_weight_is_warned_and_the_dose_limit_is_not_checked(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(make_session(make_injection(0.2, 0.5), weight_kg=None))
    assert all(s.kind != "agent_dose_mg" for s in answer.limits)
    assert any("Weight is missing" in w for w in answer.warnings)


def test_an_injection_without_a_product_is_counted_against_the_default_product_of_its_agent(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(make_session(make_injection(0.2, 0.2, agent="sodium_tetradecyl_sulfate")))
    assert {s.id for s in answer.limits} >= {"fibrovein.volume_at_0_2pct", "fibrovein.sites_at_0_2pct"}
