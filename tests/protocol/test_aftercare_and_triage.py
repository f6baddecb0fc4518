"""Aftercare tailored to what was done; triage of reported symptoms by the days since treatment."""

from __future__ import annotations

import pytest


def test_aftercare_after_spider_veins_is_2_to_21_days_of_23_to_32_mmhg(engine):
    care = engine.aftercare([("microsclerotherapy", "telangiectasia")], ["aethoxysklerol"])
    assert care.compression.days == [2, 21]
    assert care.compression.pressure == [23, 32]
    assert care.walk_minutes == [10, 20]
    assert {a.activity: a.days for a in care.avoid}["Strenuous exercise"] == [2, 3]
    assert care.next_session_interval_days == [7, 14]
    assert [f.after_days for f in care.follow_up] == [21, 42, 84, 182]


def test_aftercare_after_reticular_veins_asks_for_at_least_5_days(engine):
    assert engine.aftercare([("microsclerotherapy", "reticular")], ["asclera"]).compression.days == [5, 21]


def test_the_strictest_advice_wins_when_several_procedures_were_done(engine):
    care = engine.aftercare(
        [("microsclerotherapy", "telangiectasia"), ("microsclerotherapy", "reticular")], []
    )
    assert care.compression.days == [5, 21]


def test_after_foam_to_a_trunk_stockings_are_limited_to_the_first_week(engine):
    care = engine.aftercare([("ultrasound_guided_foam_sclerotherapy", "truncal")], ["aethoxysklerol"])
    assert care.compression.days == [None, 7]
    assert "followup.truncal_6w" in {f.id for f in care.follow_up}


def test_nothing_done_means_no_aftercare_but_the_red_flags(engine):
    care = engine.aftercare([("referral", "truncal")], ["aethoxysklerol"])
    assert care.compression is None and care.follow_up == [] and care.red_flags


@pytest.mark.parametrize(
    ("symptom", "level"),
    [
        ("bruising", "expected"),
        ("injection_site_wheals", "expected"),
        ("pain_tenderness", "expected"),
        ("hyperpigmentation", "routine_review"),
        ("matting", "routine_review"),
        ("trapped_blood", "routine_review"),
        ("skin_ulcer", "prompt_review"),
        ("dvt_symptoms", "prompt_review"),
        ("allergic_reaction", "prompt_review"),
        ("anaphylaxis", "emergency"),
        ("pe_symptoms", "emergency"),
        ("neurological_deficit", "emergency"),
        ("intra_arterial_injection", "emergency"),
    ],
)
def test_each_symptom_has_its_triage_level(engine, symptom, level):
    assert engine.triage({"symptom": symptom, "days_since_treatment": 2}).level == level


def test_tenderness_still_there_after_a_week_is_raised_to_routine_review(engine):
    assert engine.triage({"symptom": "pain_tenderness", "days_since_treatment": 7}).level == "expected"
    late = engine.triage({"symptom": "pain_tenderness", "days_since_treatment": 10})
    assert late.level == "routine_review"
    assert "triage.pain_tenderness.persisting" in late.rule_ids


def test_bruising_is_not_escalated_on_a_weak_sources_timeline(engine):
    assert engine.triage({"symptom": "bruising", "days_since_treatment": 40}).level == "expected"


def test_suspected_dvt_books_a_same_day_duplex(engine):
    answer = engine.triage({"symptom": "dvt_symptoms", "days_since_treatment": 5})
    assert answer.follow_up.after_days == 0
    assert "KULK2013" in answer.citations


def test_anaphylaxis_management_follows_resuscitation_council_uk(engine):
    answer = engine.triage({"symptom": "anaphylaxis", "days_since_treatment": 0})
    assert "500 micrograms" in answer.management
    assert "RCUK2021" in answer.citations


def test_trapped_blood_is_drained_one_to_three_weeks_after_injection(engine):
    answer = engine.triage({"symptom": "trapped_blood", "days_since_treatment": 10})
    assert answer.follow_up.window_days == [7, 21]


def test_aftercare_lists_the_cited_check_in_days(engine):
    care = engine.aftercare([("microsclerotherapy", "telangiectasia")], ["aethoxysklerol"])
    assert [c.day for c in care.check_ins] == [1, 7, 14, 28]
    assert all(c.citations for c in care.check_ins)
    assert "KULK2013" in care.check_ins[-1].citations


def test_a_patient_cannot_report_an_intra_arterial_injection_on_the_check_in_form(engine):
    reportable = {s.code for s in engine.protocol.complications.symptoms if s.reportable_by_patient}
    assert "intra_arterial_injection" not in reportable
    assert {"dvt_symptoms", "pe_symptoms", "neurological_deficit", "allergic_reaction"} <= reportable
