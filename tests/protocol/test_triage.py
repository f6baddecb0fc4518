"""Triage of a reported side effect or complication by the days since treatment (reference 5.4, 6.1, 6.2;
key facts, side effects needing urgent action)."""

from __future__ import annotations

import pytest

from scleropath.protocol import Engine, InputError
from scleropath.protocol.answers import TriageAnswer
from scleropath.protocol.vocabulary import TRIAGE_RANK

from .support import assert_cited


def triage(engine: Engine, symptom: str, days: float = 2) -> TriageAnswer:
    return engine.triage({"symptom": symptom, "days_since_treatment": days})


@pytest.mark.parametrize("symptom", ["bruising", "injection_site_wheals", "pain_tenderness"])
def test_an_expected_side_effect_is_triaged_as_expected(engine: Engine, symptom: str) -> None:
    assert triage(engine, symptom).level == "expected"


@pytest.mark.parametrize("symptom", ["hyperpigmentation", "matting", "trapped_blood"])
def test_staining_matting_and_trapped_blood_need_only_a_routine_review(engine: Engine, symptom: str) -> None:
    assert triage(engine, symptom, days=30).level == "routine_review"


@pytest.mark.parametrize(
    "symptom", ["pe_symptoms", "anaphylaxis", "neurological_deficit", "intra_arterial_injection"]
)
def test_an_emergency_is_triaged_as_an_emergency(engine: Engine, symptom: str) -> None:
    answer = triage(engine, symptom, days=0)
    assert answer.level == "emergency"
    assert_cited(answer, engine.protocol)


@pytest.mark.parametrize("symptom", ["dvt_symptoms", "skin_ulcer", "allergic_reaction", "visual_disturbance"])
def test_a_symptom_needing_prompt_assessment_is_triaged_for_prompt_review(
    engine: Engine, symptom: str
) -> None:
    assert triage(engine, symptom).level == "prompt_review"


def test_suspected_dvt_gets_a_prompt_review_with_a_same_day_duplex(engine: Engine) -> None:
    answer = triage(engine, "dvt_symptoms", days=5)
    assert answer.level == "prompt_review"
    assert answer.follow_up is not None
    assert (answer.follow_up.id, answer.follow_up.after_days) == ("followup.same_day_duplex", 0)
    assert "KULK2013" in answer.citations


def test_bruising_stays_expected_even_weeks_later(engine: Engine) -> None:
    """Its fading window comes from a weak patient leaflet, so it never escalates a symptom."""
    assert triage(engine, "bruising", days=40).level == "expected"


def test_tenderness_is_expected_up_to_day_7(engine: Engine) -> None:
    answer = triage(engine, "pain_tenderness", days=7)
    assert answer.level == "expected"
    assert "triage.pain_tenderness.persisting" not in answer.rule_ids


def test_tenderness_still_there_after_day_7_becomes_a_routine_review(engine: Engine) -> None:
    answer = triage(engine, "pain_tenderness", days=8)
    assert answer.level == "routine_review"
    assert "triage.pain_tenderness.persisting" in answer.rule_ids
    assert "VARI" in answer.citations
    assert any("day 8" in r for r in answer.reasons)


def test_trapped_blood_is_drained_one_to_three_weeks_after_injection(engine: Engine) -> None:
    answer = triage(engine, "trapped_blood", days=10)
    assert answer.follow_up is not None and answer.follow_up.window_days == [7, 21]
    assert "SCULT2003" in answer.citations


def test_anaphylaxis_management_is_intramuscular_adrenaline_as_resuscitation_council_uk_says(
    engine: Engine,
) -> None:
    answer = triage(engine, "anaphylaxis", days=0)
    assert answer.management is not None and "500 micrograms" in answer.management
    assert "intramuscularly" in answer.management
    assert "RCUK2021" in answer.citations


@pytest.mark.parametrize("days", [0, 3, 8, 30, 400])
def test_time_never_lowers_a_symptoms_level(engine: Engine, days: float) -> None:
    for symptom in engine.protocol.symptoms:
        assert (
            TRIAGE_RANK[triage(engine, symptom, days).level]
            >= TRIAGE_RANK[engine.protocol.symptoms[symptom].level]
        )


def test_every_triage_answer_names_its_rule_and_cites_sources(engine: Engine) -> None:
    for symptom in engine.protocol.symptoms:
        assert_cited(triage(engine, symptom, days=10), engine.protocol, symptom)


def test_a_patient_cannot_report_an_intra_arterial_injection_on_the_check_in_form(engine: Engine) -> None:
    reportable = {s.code for s in engine.protocol.complications.symptoms if s.reportable_by_patient}
    assert "intra_arterial_injection" not in reportable
    assert {"dvt_symptoms", "pe_symptoms", "neurological_deficit", "allergic_reaction"} <= reportable


def test_an_unknown_symptom_is_refused_naming_the_field(engine: Engine) -> None:
    with pytest.raises(InputError) as raised:
        triage(engine, "itchy_feet")
    assert raised.value.errors[0]["field"] == "symptom"
