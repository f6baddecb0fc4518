"""`scleropath check-session`: totals and every limit of a session's injections."""

from __future__ import annotations

FOUR_ML_OF_3_PERCENT = {"agent": "polidocanol", "form": "liquid", "concentration_percent": 3, "volume_ml": 2}


def test_check_session_of_the_example_is_within_limits(example, run):
    answer = run("check-session", example("session.json")).json()
    assert answer["within_limits"] is True
    assert (
        answer["totals"]["polidocanol_mg"] == 12
    )  # 1 mg + 3 mg of liquid + 8 mg in 4 mL of 1 % foam made 1 + 4


def test_check_session_reports_the_injection_that_passed_the_daily_dose(run, write_json):
    request = {"patient": {"weight_kg": 50}, "injections": [FOUR_ML_OF_3_PERCENT, FOUR_ML_OF_3_PERCENT]}
    answer = run("check-session", write_json(request)).json()
    assert answer["totals"]["polidocanol_mg"] == 120
    assert answer["within_limits"] is False
    assert answer["violations"][0]["code"] == "dose_limit_exceeded"
    assert answer["violations"][0]["injection_index"] == 1


def test_check_session_text_shows_each_limit_used_of_its_maximum(example, run):
    out = run("check-session", example("session.json"), "--format", "text").out
    assert "Session check: within limits" in out
    assert "3 injections, 4.5 mL in all (0.5 mL liquid, 4 mL foam), polidocanol 12 mg" in out
    assert "by strength: Aethoxysklerol 0.5 %: 0.2 mL; Aethoxysklerol 1 %: 4.3 mL" in out
    assert "Polidocanol today: 12 of 136 mg [AETH-DE; AETH-CH]" in out
    # The product's and the consensus's foam limits are one row: the kind, with the binding flag.
    assert out.count("Foam this session:") == 1
    assert "Foam this session: 4 of 10 mL  (closest to its limit)" in out
    # Rule ids are for the JSON answer, not for the text a person reads.
    assert "agent.polidocanol.daily_max" not in out and "foam_per_session" not in out


def test_check_session_text_flags_the_limit_that_is_over(run, write_json):
    request = {"patient": {"weight_kg": 50}, "injections": [{**FOUR_ML_OF_3_PERCENT, "volume_ml": 4}]}
    out = run("check-session", write_json(request), "--format", "text").out
    assert "Session check: LIMIT PASSED" in out
    assert "Polidocanol today: 120 of 100 mg  OVER" in out
    assert "VIOLATION (dose limit exceeded)" in out


def test_check_session_text_shows_the_days_polidocanol_when_earlier_sessions_gave_some(run, write_json):
    request = {
        "patient": {"weight_kg": 50},
        "injections": [FOUR_ML_OF_3_PERCENT],
        "earlier_today": [FOUR_ML_OF_3_PERCENT],
    }
    out = run("check-session", write_json(request), "--format", "text").out
    assert "polidocanol 60 mg" in out
    assert "polidocanol today, with earlier sessions: 120 mg" in out
    assert "Session check: LIMIT PASSED" in out
    assert "Polidocanol today: 120 of 100 mg  OVER" in out


def test_check_session_text_of_an_sts_session_names_no_polidocanol(run, write_json):
    sts = {"agent": "sodium_tetradecyl_sulfate", "form": "liquid", "concentration_percent": 1, "volume_ml": 1}
    request = {"patient": {"weight_kg": 70}, "injections": [sts]}
    out = run("check-session", write_json(request), "--format", "text").out
    totals = out.splitlines()[3]
    assert totals.startswith("  1 injection, 1 mL in all") and "polidocanol" not in totals
    assert "Fibrovein 1 %: 1 mL" in out
