"""`scleropath protocol show` and `protocol check`, and clinic protocol files."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

import yaml

from scleropath.protocol import load_protocol
from scleropath.protocol.loader import DEFAULT_PROTOCOL_DIR


def test_protocol_show_renders_every_product_and_reference(run):
    result = run("protocol", "show")
    assert result.code == 0
    protocol = load_protocol()
    for pid in protocol.products:
        assert f"(`{pid}`)" in result.out
    for rid in protocol.refs:
        assert f"**[{rid}]**" in result.out
    assert "wording not confirmed" in result.out  # VCSS anchors whose wording the source did not confirm


def test_protocol_show_writes_a_file(run, tmp_path):
    target = tmp_path / "protocol.md"
    assert run("protocol", "show", "--output", str(target)).code == 0
    assert target.read_text().startswith("# Sclerotherapy and microsclerotherapy of leg veins")


def test_protocol_check_accepts_the_bundled_protocol(run):
    result = run("protocol", "check", str(DEFAULT_PROTOCOL_DIR))
    assert result.code == 0
    assert result.out.startswith("OK: scleropath-uk-default 1.1.0")


def test_protocol_check_names_the_file_and_entry_of_a_broken_citation(run, tmp_path):
    copy = tmp_path / "broken"
    shutil.copytree(DEFAULT_PROTOCOL_DIR, copy)
    formulary = copy / "formulary.yaml"
    formulary.write_text(
        formulary.read_text().replace("cite: [AETH-DE, AETH-CH]\n    uses:", "cite: [NOPE]\n    uses:", 1)
    )
    result = run("protocol", "check", str(copy))
    assert result.code == 2
    assert "formulary.yaml: products[0].cite[0]: citation id 'NOPE' is not in references.yaml" in result.err


def clinic_file(tmp_path: Path, **changes: object) -> str:
    data = yaml.safe_load((files("scleropath") / "examples" / "clinic.yaml").read_text())
    data.update(changes)
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_the_example_clinic_file_narrows_the_telangiectasia_strength(run):
    clinic = str(files("scleropath") / "examples" / "clinic.yaml")
    answer = run("plan", "--example", "--clinic", clinic).json()
    assert answer["protocol"]["clinic_id"] == "example-vein-clinic"
    spider = next(f for f in answer["findings"] if f["id"] == "L1")
    aeth = next(o for o in spider["options"] if o["product"] == "aethoxysklerol")
    assert aeth["concentration_percent"] == [0.5, 0.5]
    assert aeth["local_choice"] is True
    assert aeth["local_deviation"] is None


def test_a_clinic_strength_outside_the_label_is_refused_without_a_deviation(run, tmp_path):
    path = clinic_file(
        tmp_path,
        concentrations=[
            {
                "product": "aethoxysklerol",
                "vessel_class": "telangiectasia",
                "form": "liquid",
                "percent": {"min": 1, "max": 1},
            }
        ],
    )
    result = run("protocol", "check", path)
    assert result.code == 2
    assert "concentrations[0].percent: outside the label range 0.25-0.5%" in result.err


def test_a_recorded_deviation_loads_and_every_answer_using_it_says_so(run, tmp_path):
    path = clinic_file(
        tmp_path,
        concentrations=[
            {
                "product": "aethoxysklerol",
                "vessel_class": "telangiectasia",
                "form": "liquid",
                "percent": {"min": 1, "max": 1},
                "deviation": {
                    "reason": "Local audit of resistant spider veins",
                    "approved_by": "Clinical lead",
                },
            }
        ],
    )
    assert run("protocol", "check", path).code == 0
    answer = run("plan", "--example", "--clinic", path).json()
    spider = next(f for f in answer["findings"] if f["id"] == "L1")
    aeth = next(o for o in spider["options"] if o["product"] == "aethoxysklerol")
    assert "Local audit of resistant spider veins" in aeth["local_deviation"]
    shown = run("protocol", "show", "--clinic", path).out
    assert "LOCAL DEVIATION from the label: Local audit of resistant spider veins" in shown
