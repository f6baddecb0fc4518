"""Each figure on the hand-made quarter, against the value worked out by hand in conftest."""

from __future__ import annotations

from scleropath.analytics import queries
from tests.analytics.conftest import END, START, History
from tests.pathway import Clinics


def figures(clinics: Clinics) -> queries.Dashboard:
    return queries.dashboard(clinics.a, START, END)


def test_it_counts_completed_sessions_and_patients_treated_in_the_period(clinics: Clinics, history: History):
    d = figures(clinics)
    assert (d.sessions, d.patients_treated) == (4, 4)


def test_clearance_is_a_median_and_a_distribution_of_clinician_measured_areas(clinics, history):
    c = figures(clinics).clearance
    assert (c.n, c.median, c.bands) == (5, 60.0, (1, 1, 1, 2))


def test_clearance_by_procedure_uses_each_areas_first_injection(clinics, history):
    rows = {r.key: (r.n, r.median, r.bands) for r in figures(clinics).by_procedure}
    assert rows == {
        "microsclerotherapy": (3, 80.0, (0, 0, 1, 2)),
        "foam_sclerotherapy": (1, 40.0, (0, 1, 0, 0)),
        "ultrasound_guided_foam_sclerotherapy": (1, 20.0, (1, 0, 0, 0)),
    }


def test_clearance_by_agent_and_strength(clinics, history):
    rows = {(r.key, r.label): (r.n, r.median) for r in figures(clinics).by_agent_strength}
    assert rows == {
        ("polidocanol|0.5", "Polidocanol 0.5%"): (3, 80.0),
        ("polidocanol|1", "Polidocanol 1%"): (1, 20.0),
        ("sodium_tetradecyl_sulfate|1", "Sodium tetradecyl sulfate 1%"): (1, 40.0),
    }


def test_clearance_by_practitioner_averages_the_two_middle_values_of_an_even_count(clinics, history):
    rows = {r.label: (r.n, r.median) for r in figures(clinics).by_practitioner}
    assert rows == {"Alice": (4, 50.0), "Nora": (1, 90.0)}


def test_satisfaction_counts_patient_and_clinician_answers_separately(clinics, history):
    s = figures(clinics).satisfaction
    assert s.n == 2
    assert s.by_clinician == (0, 0, 0, 1, 0)
    assert s.by_patient == (0, 0, 0, 0, 1)
    assert s.median == 4.5


def test_adverse_events_per_100_sessions_with_median_days_to_resolution(clinics, history):
    rows = {
        r.key: (r.events, r.per_100_sessions, r.resolved, r.median_days_to_resolution)
        for r in figures(clinics).events_by_symptom
    }
    assert rows == {"bruising": (2, 50.0, 2, 12.0), "matting": (1, 25.0, 0, None)}


def test_adverse_events_by_triage_level(clinics, history):
    rows = {r.key: (r.events, r.per_100_sessions) for r in figures(clinics).events_by_level}
    assert rows == {"expected": (2, 50.0), "routine_review": (1, 25.0)}


def test_retreatment_share_and_median_days_from_first_session(clinics, history):
    r = figures(clinics).retreatment
    assert (r.patients_reviewed, r.patients_needing, r.share_percent) == (5, 2, 40.0)
    assert (r.timed, r.median_days_to_retreatment) == (2, 32.0)


def test_vcss_change_per_leg_from_first_to_last_score_in_the_period(clinics, history):
    rows = {
        v.side: (v.legs, v.mean_change, v.median_change, v.improved, v.unchanged, v.worse)
        for v in figures(clinics).vcss
    }
    assert rows == {"left": (3, -1.0, -3.0, 2, 0, 1), "right": (1, 0.0, 0.0, 0, 1, 0)}


def test_an_empty_period_has_zero_counts_and_no_medians(clinics, history):
    from datetime import date

    d = queries.dashboard(clinics.a, date(2020, 1, 1), date(2020, 3, 31))
    assert (d.sessions, d.clearance.n, d.clearance.median, d.satisfaction.median) == (0, 0, None, None)
    assert d.by_procedure == [] and d.events_by_symptom == []
    assert d.retreatment.share_percent is None


def test_a_histograms_median_takes_the_middle_row_or_the_mean_of_the_two_middle_rows():
    assert queries.Histogram(((10, 1), (20, 1), (90, 1))).median() == 20
    assert queries.Histogram(((10, 2), (30, 2))).median() == 20
    assert queries.Histogram(((10, 3), (30, 1))).median() == 10
    assert queries.Histogram(((-3, 2), (0, 1), (3, 1))).mean() == -0.75
    assert queries.Histogram(()).median() is None
