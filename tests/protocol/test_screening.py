"""Contraindication screening: guideline and label gradings, forms, allergies (reference 4.1; key facts,
contraindications)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scleropath.protocol import Engine, load_protocol
from scleropath.protocol.answers import Screening, ScreeningFinding

from .support import Json, assert_cited, copy_protocol, edit_protocol_file

IN_USE = {
    ("aethoxysklerol", "liquid"),
    ("aethoxysklerol", "foam"),
    ("fibrovein", "liquid"),
    ("fibrovein", "foam"),
}


def screen(engine: Engine, patient: Json, planned: Json | None = None, **fields: Any) -> Screening:
    request: Json = {"patient": {**patient, **fields}}
    if planned is not None:
        request["planned"] = planned
    return engine.screen(request)


def finding(answer: Screening, code: str) -> ScreeningFinding:
    found = [f for f in answer.findings if f.code == code]
    assert len(found) == 1, [f.code for f in answer.findings]
    return found[0]


def blocked(answer: Screening) -> set[tuple[str, str]]:
    return {(b.product, b.form) for b in answer.blocked}


def test_a_patient_with_nothing_to_screen_has_no_findings(engine: Engine, typical_patient: Json) -> None:
    answer = screen(engine, typical_patient)
    assert (answer.verdict, answer.findings, answer.blocked) == ("none", [], [])


@pytest.mark.parametrize(
    "code",
    ["acute_vte", "severe_systemic_illness", "critical_limb_ischaemia", "neuro_event_after_sclerotherapy"],
)
def test_a_condition_the_uip_consensus_grades_absolute_blocks_every_product_and_form(
    engine: Engine, typical_patient: Json, code: str
) -> None:
    answer = screen(engine, typical_patient, conditions=[code])
    assert answer.verdict == "absolute"
    assert blocked(answer) == IN_USE
    f = finding(answer, code)
    assert (f.severity, f.applies_to_form) == ("absolute", "any")
    assert "UIP2023" in f.citations
    assert_cited(f, engine.protocol)


def test_thrombophilia_is_absolute_under_the_strictest_policy_because_the_labels_say_so(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(engine, typical_patient, conditions=["thrombophilia"])
    f = finding(answer, "thrombophilia")
    assert f.severity == "absolute"
    assert blocked(answer) == IN_USE
    gradings = {(g.source, g.severity) for g in f.gradings}
    assert {("UIP2023", "relative"), ("AETH-DE", "absolute"), ("FIBR", "absolute")} <= gradings


def test_thrombophilia_is_relative_under_a_guideline_only_policy(
    tmp_path: Path, typical_patient: Json
) -> None:
    directory = copy_protocol(tmp_path / "protocol")
    edit_protocol_file(directory, "protocol.yaml", set={"policies.screening": "guideline_only"})
    answer = screen(Engine(load_protocol(directory)), typical_patient, conditions=["thrombophilia"])
    assert finding(answer, "thrombophilia").severity == "relative"
    assert (answer.verdict, answer.blocked) == ("relative", [])


def test_a_symptomatic_shunt_is_absolute_for_foam_but_not_for_liquid(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(engine, typical_patient, conditions=["symptomatic_right_to_left_shunt"])
    f = finding(answer, "symptomatic_right_to_left_shunt")
    assert (f.severity, f.applies_to_form) == ("absolute", "foam")
    assert blocked(answer) == {("aethoxysklerol", "foam"), ("fibrovein", "foam")}


def test_a_symptomatic_shunt_is_only_relative_when_liquid_is_planned(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(
        engine, typical_patient, {"form": "liquid"}, conditions=["symptomatic_right_to_left_shunt"]
    )
    assert finding(answer, "symptomatic_right_to_left_shunt").severity == "relative"
    assert answer.blocked == []


def test_hormonal_therapy_is_only_a_warning(engine: Engine, typical_patient: Json) -> None:
    answer = screen(engine, typical_patient, conditions=["hormonal_therapy"])
    assert answer.verdict == "none"
    assert finding(answer, "hormonal_therapy").severity == "warning"
    assert answer.blocked == []


def test_pregnancy_and_breastfeeding_are_relative_and_come_from_the_patient_fields(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(engine, typical_patient, pregnant=True, breastfeeding=True)
    assert finding(answer, "pregnancy").severity == "relative"
    assert finding(answer, "breastfeeding").severity == "relative"
    assert (answer.verdict, answer.blocked) == ("relative", [])


def test_a_bedridden_patient_is_absolute_and_reduced_mobility_relative(
    engine: Engine, typical_patient: Json
) -> None:
    assert finding(screen(engine, typical_patient, mobility="bedridden"), "immobility").severity == "absolute"
    assert (
        finding(screen(engine, typical_patient, mobility="reduced"), "reduced_mobility").severity
        == "relative"
    )


def test_an_allergic_tendency_blocks_fibrovein_whose_label_grades_it_absolute_but_not_aethoxysklerol(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(engine, typical_patient, conditions=["allergic_diathesis"])
    assert blocked(answer) == {("fibrovein", "liquid"), ("fibrovein", "foam")}
    assert finding(answer, "allergic_diathesis").precaution is not None


def test_an_allergy_to_polidocanol_blocks_only_the_polidocanol_product(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(engine, typical_patient, allergies=["polidocanol"])
    assert blocked(answer) == {("aethoxysklerol", "liquid"), ("aethoxysklerol", "foam")}
    f = finding(answer, "allergy_to_agent")
    assert f.products == ["aethoxysklerol"]
    assert "polidocanol" in f.message


@pytest.mark.parametrize("entry", ["Sodium Tetradecyl Sulfate", "STS", "fibrovein", " sts "])
def test_an_allergy_named_by_agent_product_or_abbreviation_counts_for_its_agent(
    engine: Engine, typical_patient: Json, entry: str
) -> None:
    answer = screen(engine, typical_patient, allergies=[entry])
    assert blocked(answer) == {("fibrovein", "liquid"), ("fibrovein", "foam")}


def test_a_free_text_allergy_is_kept_and_flagged_for_a_clinician(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(engine, typical_patient, allergies=["latex"])
    f = finding(answer, "allergy_unrecognised")
    assert f.severity == "warning"
    assert "'latex'" in f.message
    assert (answer.verdict, answer.blocked) == ("none", [])


def test_several_allergies_prompt_recording_an_allergic_tendency(
    engine: Engine, typical_patient: Json
) -> None:
    assert finding(
        screen(engine, typical_patient, allergies=["latex", "penicillin"]), "allergic_diathesis_prompt"
    )
    recorded = screen(
        engine, typical_patient, allergies=["latex", "penicillin"], conditions=["allergic_diathesis"]
    )
    assert all(f.code != "allergic_diathesis_prompt" for f in recorded.findings)


def test_a_condition_only_other_products_labels_grade_is_still_shown_as_a_warning(
    engine: Engine, typical_patient: Json
) -> None:
    answer = screen(engine, typical_patient, {"product": "aethoxysklerol"}, conditions=["history_vte"])
    assert finding(answer, "history_vte").severity == "warning"


def test_a_label_grading_counts_only_for_its_own_product(engine: Engine, typical_patient: Json) -> None:
    """Active cancer: absolute in the Fibrovein label, relative in UIP 2023, not in Aethoxysklerol's."""
    answer = screen(engine, typical_patient, conditions=["active_cancer"])
    assert blocked(answer) == {("fibrovein", "liquid"), ("fibrovein", "foam")}
    assert finding(answer, "active_cancer").severity == "absolute"
    aeth = screen(engine, typical_patient, {"product": "aethoxysklerol"}, conditions=["active_cancer"])
    assert finding(aeth, "active_cancer").severity == "relative"


def test_the_worst_finding_sets_the_verdict(engine: Engine, typical_patient: Json) -> None:
    answer = screen(engine, typical_patient, conditions=["hormonal_therapy", "migraine_after_foam"])
    assert answer.verdict == "relative"
    answer = screen(
        engine, typical_patient, conditions=["hormonal_therapy", "migraine_after_foam", "acute_vte"]
    )
    assert answer.verdict == "absolute"
