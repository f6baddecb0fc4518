"""`scleropath plan` and `screen`: JSON in and out, readable text, the bundled example."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scleropath import __version__

PATIENT = {"weight_kg": 70, "conditions": [], "allergies": []}


def option(answer, finding_id, product):
    finding = next(f for f in answer["findings"] if f["id"] == finding_id)
    return finding, next(o for o in finding["options"] if o["product"] == product)


def test_the_example_plan_offers_microsclerotherapy_with_aethoxysklerol_0_25_to_0_5_percent_for_the_spider_vein(
    run,
):
    answer = run("plan", "--example").json()
    spider, aeth = option(answer, "L1", "aethoxysklerol")
    assert spider["vessel_class"] == "telangiectasia"
    assert spider["procedure"] == "microsclerotherapy"
    assert aeth["concentration_percent"] == [0.25, 0.5]
    assert aeth["needle_gauge"] == [26, 30]
    assert "AETH-DE" in aeth["citations"]


def test_the_example_refers_the_refluxing_great_saphenous_vein_under_nice(run):
    answer = run("plan", "--example").json()
    trunk = next(f for f in answer["findings"] if f["id"] == "R2")
    assert trunk["procedure"] == "referral"
    assert trunk["referral_for"] == "endothermal ablation"
    assert trunk["alternatives"] == ["ultrasound_guided_foam_sclerotherapy"]


def test_plan_text_shows_the_spider_vein_with_aethoxysklerol_0_25_to_0_5_percent(run):
    out = run("plan", "--example", "--format", "text").out
    assert "L1  left leg, outer thigh: telangiectasia (classed by diameter)" in out
    assert "procedure: Microsclerotherapy" in out
    assert "- Aethoxysklerol (polidocanol) liquid 0.25–0.5 %, 0.1–0.2 mL per site, needle 26–30 G" in out


def test_plan_text_lists_the_sources_of_every_citation_used(run):
    result = run("plan", "--example", "--format", "text")
    assert result.code == 0
    body, sources = result.out.split("\nSources\n")
    bracketed = {cid for group in re.findall(r"\[([A-Z0-9; -]+)\]", body) for cid in group.split("; ")}
    listed = set(re.findall(r"^  \[([A-Z0-9-]+)\] ", sources, flags=re.MULTILINE))
    assert bracketed, "the plan text shows citation ids"
    assert bracketed <= listed
    assert set(run("plan", "--example").json()["citations"]) <= listed
    assert "[NICE168] National Institute for Health and Care Excellence. Varicose veins" in sources
    assert "[KERN2007] Kern P" in sources  # cited only by the compression advice
    assert "[HV] healthy-veins.com, Kreussler patient information on aftercare. (weak source" in sources


def test_plan_text_gives_the_treatment_order_and_names_what_is_not_treated_here(run):
    out = run("plan", "--example", "--format", "text").out
    assert "Treatment order: R1, L2, L1" in out
    assert "Not treated here: R2 → Referral to a vascular service" in out
    assert out.index("\nR1  right leg") < out.index("\nL2  left leg") < out.index("\nR2  right leg")


def test_plan_text_offers_foam_for_a_referred_trunk_only_as_the_alternative(run):
    out = run("plan", "--example", "--format", "text").out
    referral = out[out.index("\nR2  right leg") :]
    assert "procedure: Referral to a vascular service for endothermal ablation" in referral
    assert "options if ultrasound-guided foam sclerotherapy is chosen instead:" in referral


def test_plan_text_shows_the_patients_limits_and_aftercare(run):
    out = run("plan", "--example", "--format", "text").out
    assert "polidocanol: at most 136 mg today" in out  # 68 kg x 2 mg/kg
    assert "foam: at most 10 mL this session" in out
    assert "compression: 5–21 days at 23–32 mmHg" in out
    assert "next session: after 7–14 days" in out
    assert "follow-up after 7 days: Early review for trapped blood" in out


def test_plan_text_shows_the_hormonal_therapy_warning_without_a_contraindication(run):
    out = run("plan", "--example", "--format", "text").out
    assert out.startswith("Plan — Protocol scleropath-uk-default 1.1.0\n")
    assert "Screening: no contraindication; 1 warning" in out
    assert "- warning: Hormonal therapy is a precaution" in out


def test_plan_reads_standard_input(run):
    request = {"patient": PATIENT, "findings": [{"id": "a", "side": "left", "diameter_mm": 2.0}]}
    answer = run("plan", "-", stdin=json.dumps(request)).json()
    assert answer["findings"][0]["vessel_class"] == "reticular"
    assert answer["findings"][0]["procedure"] == "microsclerotherapy"


def test_plan_needs_a_file_or_the_example_but_not_both(run, write_json):
    nothing = run("plan")
    assert nothing.code == 2
    assert "error: give a FILE (or - for standard input), or --example" in nothing.err
    both = run("plan", write_json({"patient": PATIENT}), "--example")
    assert both.code == 2
    assert "not both" in both.err


def test_screen_answers_the_verdict_for_a_planned_product_and_form(run, write_json):
    request = {
        "patient": {**PATIENT, "conditions": ["symptomatic_right_to_left_shunt"]},
        "planned": {"product": "fibrovein", "form": "foam"},
    }
    answer = run("screen", write_json(request)).json()
    assert answer["verdict"] == "absolute"
    assert answer["blocked"][0]["product"] == "fibrovein"


def test_screen_text_names_what_not_to_use_and_how_each_source_grades_it(run, write_json):
    request = {"patient": {**PATIENT, "conditions": ["symptomatic_right_to_left_shunt"]}}
    out = run("screen", write_json(request), "--format", "text").out
    assert out.startswith("Screening: ABSOLUTE CONTRAINDICATION")
    assert "NOT TO BE USED: Fibrovein (sodium tetradecyl sulfate) as foam" in out
    assert "NOT TO BE USED: Fibrovein (sodium tetradecyl sulfate) as liquid" not in out
    assert "graded by: UIP2023: relative; AETH-DE (aethoxysklerol, foam): absolute" in out


def test_version_prints_the_package_version(run, capsys):
    with pytest.raises(SystemExit) as exit_:
        run("--version")
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"scleropath {__version__}"


def test_the_installed_command_runs_as_a_program():
    program = Path(sys.executable).with_name("scleropath")
    assert program.exists(), "the console script is installed next to the interpreter"
    result = subprocess.run(
        [str(program), "plan", "--example", "--format", "text"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "procedure: Microsclerotherapy" in result.stdout
    module = subprocess.run(
        [sys.executable, "-m", "scleropath.cli.main", "ceap", "-"],
        input='{"signs": ["edema"]}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(module.stdout)["highest"] == "C3"
