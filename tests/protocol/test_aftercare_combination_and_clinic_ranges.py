"""How advice combines over several procedures, and how a clinic's one-sided range is read."""

from __future__ import annotations

from pathlib import Path

import yaml

from scleropath.protocol import Engine, load_clinic_protocol, load_protocol


def test_a_plans_citations_include_every_source_its_aftercare_uses(engine, assess):
    answer = engine.plan(assess({"diameter_mm": 0.5}, {"diameter_mm": 4, "reflux": False}))
    used = set(answer.aftercare.compression.citations)
    used |= {c for flag in answer.aftercare.red_flags for c in flag.citations}
    used |= {c for item in answer.aftercare.check_ins for c in item.citations}
    assert {"KERN2007", "BAYER2021"} <= used
    assert used <= set(answer.aftercare.citations)
    assert used <= set(answer.citations)


def test_an_activity_without_a_sourced_duration_for_one_procedure_stays_open_ended(engine):
    micro_only = engine.aftercare([("microsclerotherapy", "telangiectasia")], [])
    assert {a.activity: a.days for a in micro_only.avoid}["Strenuous exercise"] == [2, 3]
    with_foam = engine.aftercare(
        [("microsclerotherapy", "telangiectasia"), ("foam_sclerotherapy", "varicose")], []
    )
    combined = {a.activity: a for a in with_foam.avoid}["Strenuous exercise"]
    assert combined.days == [2, None]
    assert "2 weeks" in (combined.note or "")


def test_a_one_sided_clinic_range_keeps_the_labels_other_bound(tmp_path: Path, assess):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(
        yaml.safe_dump(
            {
                "format_version": 1,
                "base": {"id": "scleropath-uk-default", "version": "1.1.0"},
                "id": "one-sided",
                "version": "1",
                "title": "One-sided",
                "concentrations": [
                    {
                        "product": "aethoxysklerol",
                        "vessel_class": "telangiectasia",
                        "form": "liquid",
                        "percent": {"min": 0.5},
                    }
                ],
            }
        )
    )
    engine = Engine(load_clinic_protocol(clinic, load_protocol()))
    options = engine.plan(assess({"diameter_mm": 0.5})).findings[0].options
    aeth = next(o for o in options if o.product == "aethoxysklerol")
    assert aeth.concentration_percent == [0.5, 0.5]
    assert aeth.local_deviation is None
