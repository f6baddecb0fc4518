"""`scleropath ceap` and `vcss`."""

from __future__ import annotations

from scleropath.protocol.vocabulary import VCSS_ITEMS

ALL_NONE = dict.fromkeys(VCSS_ITEMS, 0)


def test_ceap_reports_every_class_highest_first(example, run):
    answer = run("ceap", example("ceap.json")).json()
    assert answer["c_classes"] == ["C4c", "C3", "C2", "C1"]
    assert answer["highest"] == "C4c"


def test_ceap_text_names_each_class(example, run):
    out = run("ceap", example("ceap.json"), "--format", "text").out
    assert out.startswith("CEAP clinical class: C4c (all: C4c, C3, C2, C1)\n")
    assert "  C3: Oedema of venous origin" in out


def test_vcss_totals_scores_and_levels(example, run):
    answer = run("vcss", example("vcss.json")).json()
    assert answer["total"] == 5
    out = run("vcss", example("vcss.json"), "--format", "text").out
    assert out.startswith("Revised VCSS: 5 / 30\n")
    assert "  varicose veins: 2 (moderate: Confined to calf or thigh)" in out


def test_vcss_text_says_when_an_anchors_wording_is_not_confirmed(run, write_json):
    out = run("vcss", write_json({"items": {**ALL_NONE, "induration": 1}}), "--format", "text").out
    assert "  induration: 1 (mild: wording not confirmed)" in out
