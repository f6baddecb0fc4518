"""`check-session`, `triage`, `ceap` and `vcss` from the command line."""

from __future__ import annotations

from importlib.resources import files


def example(name: str) -> str:
    return str(files("scleropath") / "examples" / name)


def test_check_session_reports_totals_and_a_passed_limit(run, write_json):
    request = {
        "patient": {"weight_kg": 50},
        "injections": [
            {"agent": "polidocanol", "form": "liquid", "concentration_percent": 3, "volume_ml": 2},
            {"agent": "polidocanol", "form": "liquid", "concentration_percent": 3, "volume_ml": 2},
        ],
    }
    answer = run("check-session", write_json(request)).json()
    assert answer["totals"]["polidocanol_mg"] == 120
    assert answer["within_limits"] is False
    assert answer["violations"][0]["code"] == "dose_limit_exceeded"
    assert answer["violations"][0]["injection_index"] == 1


def test_check_session_text_flags_the_limit_that_is_over(run, write_json):
    request = {
        "patient": {"weight_kg": 50},
        "injections": [
            {"agent": "polidocanol", "form": "liquid", "concentration_percent": 3, "volume_ml": 4}
        ],
    }
    out = run("check-session", write_json(request), "--format", "text").out
    assert "LIMIT PASSED" in out
    assert "<-- over" in out


def test_triage_of_calf_swelling_on_day_five_is_a_prompt_review(run):
    answer = run("triage", example("triage.json")).json()
    assert answer["level"] == "prompt_review"
    assert answer["follow_up"]["purpose"].startswith("Same-day duplex")


def test_triage_text_shows_the_level_first(run, write_json):
    out = run(
        "triage", write_json({"symptom": "anaphylaxis", "days_since_treatment": 0}), "--format", "text"
    ).out
    assert out.startswith("EMERGENCY: Anaphylaxis")


def test_ceap_reports_every_class_highest_first(run):
    answer = run("ceap", example("ceap.json")).json()
    assert answer["c_classes"] == ["C4c", "C3", "C2", "C1"]
    assert answer["highest"] == "C4c"


def test_vcss_totals_scores_and_levels(run):
    answer = run("vcss", example("vcss.json")).json()
    assert answer["total"] == 5
    assert run("vcss", example("vcss.json"), "--format", "text").out.startswith("Revised VCSS: 5 / 30")
