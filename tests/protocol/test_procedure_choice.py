"""Which procedure each finding gets, and when a patient's screening rules treatment out."""

from __future__ import annotations

from pathlib import Path

import yaml

from scleropath.protocol import Engine, load_clinic_protocol, load_protocol

TREATING = {
    "microsclerotherapy",
    "liquid_sclerotherapy",
    "foam_sclerotherapy",
    "ultrasound_guided_foam_sclerotherapy",
}


def plan_of(engine, request):
    return engine.plan(request).findings[0]


def test_a_telangiectasia_gets_microsclerotherapy(engine, assess):
    assert plan_of(engine, assess({"diameter_mm": 0.5})).procedure == "microsclerotherapy"


def test_a_reticular_vein_gets_microsclerotherapy_with_liquid_only(engine, assess):
    f = plan_of(engine, assess({"diameter_mm": 2}))
    assert f.procedure == "microsclerotherapy"
    assert {o.form for o in f.options} == {"liquid"}


def test_a_visible_varicose_tributary_gets_foam_with_liquid_as_the_alternative(engine, assess):
    f = plan_of(engine, assess({"diameter_mm": 4, "reflux": False}))
    assert f.procedure == "foam_sclerotherapy"
    assert f.alternatives == ["liquid_sclerotherapy"]
    assert "duplex_mapping" in f.prerequisites


def test_a_varicose_vein_seen_only_on_ultrasound_gets_ultrasound_guided_foam(engine, assess):
    assert (
        plan_of(engine, assess({"diameter_mm": 4, "visible": False})).procedure
        == "ultrasound_guided_foam_sclerotherapy"
    )


def test_truncal_reflux_is_referred_for_ablation_first_under_nice(engine, assess):
    f = plan_of(engine, assess({"named_vein": "gsv", "diameter_mm": 6, "reflux": True}))
    assert f.procedure == "referral"
    assert f.referral_for == "endothermal ablation"
    assert f.alternatives == ["ultrasound_guided_foam_sclerotherapy"]
    assert {o.procedure for o in f.options} == {"ultrasound_guided_foam_sclerotherapy"}
    assert "NICE168" in f.citations


def test_a_clinic_following_s2k_treats_truncal_reflux_with_ultrasound_guided_foam(assess, tmp_path: Path):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(
        yaml.safe_dump(
            {
                "format_version": 1,
                "base": {"id": "scleropath-uk-default", "version": "1.1.0"},
                "id": "s2k-clinic",
                "version": "1",
                "title": "S2k",
                "truncal_reflux": "s2k_2020",
            }
        )
    )
    engine = Engine(load_clinic_protocol(clinic, load_protocol()))
    f = plan_of(engine, assess({"named_vein": "gsv", "diameter_mm": 6, "reflux": True}))
    assert f.procedure == "ultrasound_guided_foam_sclerotherapy"
    assert f.alternatives == ["referral"]


def test_a_trunk_whose_reflux_is_not_yet_assessed_is_deferred_for_duplex(engine, assess):
    f = plan_of(engine, assess({"named_vein": "ssv", "diameter_mm": 5}))
    assert f.procedure == "defer"
    assert f.prerequisites == ["duplex_mapping"]


def test_a_refluxing_perforator_gets_ultrasound_guided_foam(engine, assess):
    f = plan_of(engine, assess({"named_vein": "perforator", "diameter_mm": 4, "reflux": True}))
    assert f.procedure == "ultrasound_guided_foam_sclerotherapy"
    assert "VLU2014" in f.citations


def test_a_bleeding_varix_is_referred(engine, assess):
    f = plan_of(engine, assess({"diameter_mm": 5, "bleeding": True}))
    assert f.procedure == "referral"
    assert "NICE168" in f.citations


def test_a_finding_no_rule_covers_is_deferred_to_the_clinician(engine, assess):
    f = plan_of(engine, assess({"vessel": "venous_malformation"}))
    assert f.procedure == "defer"
    assert f.rule_ids[-1] == "procedures.no_rule"


def test_pregnancy_defers_treatment_but_keeps_it_as_an_alternative_for_a_recorded_override(engine, assess):
    f = plan_of(engine, assess({"diameter_mm": 0.5}, pregnant=True))
    assert f.procedure == "defer"
    assert f.alternatives == ["microsclerotherapy"]
    assert "proc.pregnancy_defer" in f.rule_ids


def test_acute_vte_rules_out_every_treatment(engine, assess):
    answer = engine.plan(
        assess(
            {"diameter_mm": 0.5},
            {"diameter_mm": 4},
            {"named_vein": "gsv", "reflux": True},
            conditions=["acute_vte"],
        )
    )
    assert answer.screening.verdict == "absolute"
    for f in answer.findings:
        assert f.procedure in {"referral", "defer"}
        assert not f.options
        assert not set(f.alternatives) & TREATING


def test_a_symptomatic_shunt_blocks_foam_so_a_varicose_vein_falls_back_to_liquid(engine, assess):
    f = plan_of(engine, assess({"diameter_mm": 4}, conditions=["symptomatic_right_to_left_shunt"]))
    assert f.procedure == "liquid_sclerotherapy"
    assert {o.form for o in f.options} == {"liquid"}
    assert any("Foam sclerotherapy not offered" in w for w in f.warnings)


def test_an_allergy_to_polidocanol_leaves_only_sodium_tetradecyl_sulfate(engine, assess):
    f = plan_of(engine, assess({"diameter_mm": 0.5}, allergies=["polidocanol"]))
    assert {o.agent for o in f.options} == {"sodium_tetradecyl_sulfate"}


def test_a_planned_product_restricts_the_options_to_it(engine, assess):
    f = plan_of(engine, assess({"diameter_mm": 0.5}, planned={"product": "fibrovein"}))
    assert {o.product for o in f.options} == {"fibrovein"}


def test_treatment_order_is_trunks_then_varicose_then_reticular_then_spiders_proximal_first(engine, assess):
    answer = engine.plan(
        assess(
            {"diameter_mm": 0.5, "region": "thigh_lateral"},
            {"diameter_mm": 2, "region": "calf_lateral"},
            {"diameter_mm": 2, "region": "thigh_lateral"},
            {"diameter_mm": 5, "region": "calf_medial", "reflux": False},
            {"named_vein": "perforator", "reflux": True, "region": "calf_medial"},
        )
    )
    assert answer.treatment_order == ["f4", "f3", "f2", "f1", "f0"]
