"""Aftercare tailored to what was done (reference 5.1-5.4; compression, walking, activities, follow-up)."""

from __future__ import annotations

from scleropath.protocol import Engine
from scleropath.protocol.answers import Aftercare

from .support import AssessmentFactory, assert_cited

MICRO_SPIDERS = ("microsclerotherapy", "telangiectasia")
MICRO_RETICULAR = ("microsclerotherapy", "reticular")
TRUNK_FOAM = ("ultrasound_guided_foam_sclerotherapy", "truncal")
TRIBUTARY_FOAM = ("foam_sclerotherapy", "varicose")


def avoid_days(care: Aftercare) -> dict[str, list[float | None] | None]:
    return {a.activity: a.days for a in care.avoid}


def test_after_microsclerotherapy_of_telangiectasias_stockings_are_2_to_21_days_at_23_to_32_mmhg(
    engine: Engine,
) -> None:
    care = engine.aftercare([MICRO_SPIDERS], ["aethoxysklerol"])
    assert care.compression is not None
    assert care.compression.recommended
    assert care.compression.days == [2, 21]  # Asclera 2-3 days; up to 3 weeks in the Kern trial
    assert care.compression.pressure == [23, 32]
    assert {"COMP2019", "KERN2007"} <= set(care.compression.citations)


def test_after_microsclerotherapy_the_patient_walks_10_to_20_minutes(engine: Engine) -> None:
    assert engine.aftercare([MICRO_SPIDERS], ["aethoxysklerol"]).walk_minutes == [10, 20]


def test_after_microsclerotherapy_the_patient_avoids_exercise_heat_sun_and_long_sitting_2_to_3_days(
    engine: Engine,
) -> None:
    days = avoid_days(engine.aftercare([MICRO_SPIDERS], ["aethoxysklerol"]))
    assert days == {
        "Strenuous exercise": [2, 3],
        "Hot baths, hot tubs and sauna": [2, 3],
        "Sunbathing and sunbeds": [2, 3],
        "Long flights or long periods of sitting": [2, 3],
    }


def test_after_microsclerotherapy_reviews_are_at_3_and_6_weeks_and_outcomes_at_12_and_26(
    engine: Engine,
) -> None:
    care = engine.aftercare([MICRO_SPIDERS], ["aethoxysklerol"])
    assert [f.after_days for f in care.follow_up] == [21, 42, 84, 182]


def test_the_next_session_follows_the_products_interval_of_one_to_two_weeks(engine: Engine) -> None:
    assert engine.aftercare([MICRO_SPIDERS], ["aethoxysklerol"]).next_session_interval_days == [7, 14]
    assert engine.aftercare([MICRO_SPIDERS], ["fibrovein"]).next_session_interval_days is None


def test_after_reticular_veins_stockings_are_worn_at_least_5_days(engine: Engine) -> None:
    care = engine.aftercare([MICRO_RETICULAR], ["asclera"])
    assert care.compression is not None and care.compression.days == [5, 21]


def test_the_strictest_advice_wins_when_several_procedures_were_done(engine: Engine) -> None:
    care = engine.aftercare([MICRO_SPIDERS, MICRO_RETICULAR], ["aethoxysklerol"])
    assert care.compression is not None and care.compression.days == [5, 21]


def test_a_products_own_walk_narrows_the_walk_to_its_longer_minimum(engine: Engine) -> None:
    """Asclera asks for 15-20 minutes; the general advice is 10-20: the longer requirement wins."""
    assert engine.aftercare([MICRO_SPIDERS], ["asclera"]).walk_minutes == [15, 20]


def test_after_foam_to_a_trunk_stockings_are_limited_to_the_first_week_and_duplex_reviews_follow(
    engine: Engine,
) -> None:
    care = engine.aftercare([TRUNK_FOAM], ["aethoxysklerol"])
    assert care.compression is not None
    assert care.compression.days == [None, 7]
    assert "ICC2018" in care.compression.citations
    assert {"followup.truncal_6w", "followup.truncal_3m", "followup.truncal_6m"} <= {
        f.id for f in care.follow_up
    }


def test_after_foam_to_a_tributary_activity_advice_carries_no_days_from_a_weak_source(engine: Engine) -> None:
    care = engine.aftercare([TRIBUTARY_FOAM], ["aethoxysklerol"])
    assert care.avoid
    for advice in care.avoid:
        assert advice.days is None
        assert advice.note is not None and "manufacturer's patient pages" in advice.note


def test_after_foam_an_early_review_looks_for_trapped_blood_and_dvt_in_days_7_to_21(engine: Engine) -> None:
    early = next(
        f for f in engine.aftercare([TRIBUTARY_FOAM], []).follow_up if f.id == "followup.foam_early_review"
    )
    assert early.window_days == [7, 21]


def test_an_activity_without_a_sourced_duration_for_one_procedure_stays_open_ended(engine: Engine) -> None:
    """Microsclerotherapy gives 2-3 days (Asclera); foam gives no sourced number, only a weak note."""
    combined = {a.activity: a for a in engine.aftercare([MICRO_SPIDERS, TRIBUTARY_FOAM], []).avoid}
    assert combined["Strenuous exercise"].days == [2, None]
    assert "2 weeks" in (combined["Strenuous exercise"].note or "")


def test_nothing_done_means_no_aftercare_but_the_red_flags(engine: Engine) -> None:
    care = engine.aftercare([("referral", "truncal"), ("defer", "varicose")], ["aethoxysklerol"])
    assert care.procedures == []
    assert (care.compression, care.walk_minutes, care.follow_up, care.check_ins) == (None, None, [], [])
    assert care.next_session_interval_days is None
    assert care.red_flags


def test_red_flags_send_chest_pain_to_emergency_services_and_calf_pain_for_a_same_day_scan(
    engine: Engine,
) -> None:
    flags = {f.id: f.contact for f in engine.aftercare([MICRO_SPIDERS], []).red_flags}
    assert flags["chest"] == flags["anaphylaxis"] == flags["neuro"] == "emergency_services"
    assert flags["calf"] == "same_day_clinic"


def test_the_patient_is_asked_how_they_are_on_the_cited_check_in_days(engine: Engine) -> None:
    care = engine.aftercare([MICRO_SPIDERS], ["aethoxysklerol"])
    assert [c.day for c in care.check_ins] == [1, 7, 14, 28]
    assert "KULK2013" in care.check_ins[-1].citations


def test_a_plans_aftercare_follows_the_findings_it_treats(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    care = engine.plan(make_assessment({"diameter_mm": 0.5}, {"named_vein": "gsv", "reflux": True})).aftercare
    assert care.procedures == ["microsclerotherapy"]  # the refluxing trunk is referred, not treated
    assert care.compression is not None and care.compression.days == [2, 21]


def test_a_plan_cites_every_source_its_aftercare_uses(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(make_assessment({"diameter_mm": 0.5}, {"diameter_mm": 4, "reflux": False}))
    care = answer.aftercare
    assert care.compression is not None
    parts = [
        care.compression,
        *care.avoid,
        *care.follow_up,
        *care.normal_course,
        *care.red_flags,
        *care.check_ins,
    ]
    used = {c for part in parts for c in part.citations}
    assert {"KERN2007", "BAYER2021"} <= used
    assert used <= set(care.citations) <= set(answer.citations)


def test_every_part_of_the_aftercare_names_its_rule_and_cites_sources(engine: Engine) -> None:
    care = engine.aftercare([MICRO_SPIDERS, TRUNK_FOAM, TRIBUTARY_FOAM], ["aethoxysklerol", "asclera"])
    assert care.compression is not None
    parts = [
        care,
        care.compression,
        *care.avoid,
        *care.follow_up,
        *care.normal_course,
        *care.red_flags,
        *care.check_ins,
    ]
    for part in parts:
        assert_cited(part, engine.protocol)
