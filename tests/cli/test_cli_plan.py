"""`scleropath plan` and `screen`: JSON in and out, readable text, the bundled example."""

from __future__ import annotations

import json
import subprocess
import sys

PATIENT = {"weight_kg": 70, "conditions": [], "allergies": []}


def test_the_example_plan_offers_microsclerotherapy_with_low_strength_polidocanol_for_the_spider_vein(run):
    answer = run("plan", "--example").json()
    spider = next(f for f in answer["findings"] if f["id"] == "L1")
    assert spider["vessel_class"] == "telangiectasia"
    assert spider["procedure"] == "microsclerotherapy"
    aeth = next(o for o in spider["options"] if o["product"] == "aethoxysklerol")
    assert aeth["concentration_percent"] == [0.25, 0.5]
    assert "AETH-DE" in aeth["citations"]


def test_the_example_refers_the_refluxing_great_saphenous_vein_under_nice(run):
    answer = run("plan", "--example").json()
    trunk = next(f for f in answer["findings"] if f["id"] == "R2")
    assert trunk["procedure"] == "referral"
    assert trunk["referral_for"] == "endothermal ablation"
    assert trunk["alternatives"] == ["ultrasound_guided_foam_sclerotherapy"]


def test_plan_text_lists_the_full_citation_of_every_source_used(run):
    result = run("plan", "--example", "--format", "text")
    assert result.code == 0
    assert "Sources" in result.out
    assert "[NICE168] National Institute for Health and Care Excellence. Varicose veins" in result.out
    assert "polidocanol at most 136 mg today" in result.out  # 68 kg x 2 mg/kg


def test_plan_reads_standard_input(run):
    request = {"patient": PATIENT, "findings": [{"id": "a", "side": "left", "diameter_mm": 2.0}]}
    answer = run("plan", "-", stdin=json.dumps(request)).json()
    assert answer["findings"][0]["vessel_class"] == "reticular"


def test_screen_answers_the_verdict_for_a_planned_product_and_form(run, write_json):
    request = {
        "patient": {**PATIENT, "conditions": ["symptomatic_right_to_left_shunt"]},
        "planned": {"product": "fibrovein", "form": "foam"},
    }
    answer = run("screen", write_json(request)).json()
    assert answer["verdict"] == "absolute"
    assert answer["blocked"][0]["product"] == "fibrovein"


def test_the_installed_command_runs_as_a_program():
    result = subprocess.run(
        [sys.executable, "-m", "scleropath.cli.main", "plan", "--example", "--format", "text"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "microsclerotherapy" in result.stdout
