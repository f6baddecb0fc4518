"""Contraindication screening: guideline and label gradings, forms, allergies."""

from __future__ import annotations


def screen(engine, **patient):
    return engine.screen({"patient": {"weight_kg": 70, **patient}})


def finding(answer, code):
    return next(f for f in answer.findings if f.code == code)


def test_acute_vte_is_absolute_for_every_product_and_form(engine):
    answer = screen(engine, conditions=["acute_vte"])
    assert answer.verdict == "absolute"
    assert {(b.product, b.form) for b in answer.blocked} == {
        ("aethoxysklerol", "liquid"),
        ("aethoxysklerol", "foam"),
        ("fibrovein", "liquid"),
        ("fibrovein", "foam"),
    }


def test_thrombophilia_is_absolute_under_the_labels_though_the_consensus_says_relative(engine):
    f = finding(screen(engine, conditions=["thrombophilia"]), "thrombophilia")
    assert f.severity == "absolute"
    grades = {(g.source, g.severity) for g in f.gradings}
    assert ("UIP2023", "relative") in grades and ("AETH-DE", "absolute") in grades


def test_a_symptomatic_shunt_is_absolute_for_foam_only(engine):
    answer = screen(engine, conditions=["symptomatic_right_to_left_shunt"])
    f = finding(answer, "symptomatic_right_to_left_shunt")
    assert (f.severity, f.applies_to_form) == ("absolute", "foam")
    assert {b.form for b in answer.blocked} == {"foam"}


def test_hormonal_therapy_is_only_a_warning(engine):
    answer = screen(engine, conditions=["hormonal_therapy"])
    assert answer.verdict == "none"
    assert finding(answer, "hormonal_therapy").severity == "warning"


def test_pregnancy_and_breastfeeding_come_from_the_patient_fields(engine):
    answer = screen(engine, pregnant=True, breastfeeding=True)
    assert {f.code for f in answer.findings} >= {"pregnancy", "breastfeeding"}
    assert answer.verdict == "relative"


def test_bedridden_patients_are_screened_for_immobility(engine):
    assert finding(screen(engine, mobility="bedridden"), "immobility").severity == "absolute"
    assert finding(screen(engine, mobility="reduced"), "reduced_mobility").severity == "relative"


def test_an_allergy_to_one_agent_blocks_only_that_agents_products(engine):
    answer = screen(engine, allergies=["Sodium Tetradecyl Sulfate"])
    assert {b.product for b in answer.blocked} == {"fibrovein"}
    assert "sodium_tetradecyl_sulfate" in finding(answer, "allergy_to_agent").message


def test_an_allergy_named_by_product_counts_for_its_agent(engine):
    answer = screen(engine, allergies=["aethoxysklerol"])
    assert {b.product for b in answer.blocked} == {"aethoxysklerol"}


def test_a_free_text_allergy_is_kept_and_flagged_for_a_clinician(engine):
    answer = screen(engine, allergies=["latex"])
    assert finding(answer, "allergy_unrecognised").severity == "warning"
    assert "latex" in finding(answer, "allergy_unrecognised").message


def test_several_allergies_prompt_recording_an_allergic_tendency(engine):
    assert any(
        f.code == "allergic_diathesis_prompt"
        for f in screen(engine, allergies=["latex", "penicillin"]).findings
    )


def test_a_condition_only_other_labels_grade_is_still_shown_as_a_warning(engine):
    answer = engine.screen(
        {"patient": {"conditions": ["history_vte"]}, "planned": {"product": "aethoxysklerol"}}
    )
    assert finding(answer, "history_vte").severity == "warning"
