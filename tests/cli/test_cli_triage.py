"""`scleropath triage`: the level first, then advice, management and follow-up."""

from __future__ import annotations


def test_triage_of_calf_swelling_on_day_five_is_a_prompt_review(example, run):
    answer = run("triage", example("triage.json")).json()
    assert answer["level"] == "prompt_review"
    assert answer["follow_up"]["purpose"].startswith("Same-day duplex")


def test_triage_text_shows_the_level_in_capitals_first(run, write_json):
    out = run(
        "triage", write_json({"symptom": "anaphylaxis", "days_since_treatment": 0}), "--format", "text"
    ).out
    assert out.startswith("EMERGENCY: Anaphylaxis\n")
    assert "advice to the patient: Call emergency services now." in out
    assert "[RCUK2021] Resuscitation Council UK." in out


def test_triage_text_of_a_suspected_dvt_asks_for_a_scan_the_same_day(example, run):
    out = run("triage", example("triage.json"), "--format", "text").out
    assert out.startswith("PROMPT REVIEW: Suspected deep vein thrombosis\n")
    assert "follow-up the same day: Same-day duplex ultrasound for suspected DVT [KULK2013]" in out


def test_triage_text_of_bruising_says_when_it_should_settle(run, write_json):
    out = run(
        "triage", write_json({"symptom": "bruising", "days_since_treatment": 3}), "--format", "text"
    ).out
    assert out.startswith("EXPECTED: Bruising\n")
    assert "resolution: Fades over a few weeks; expected in 14–28 days" in out
