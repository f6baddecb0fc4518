"""`scleropath protocol show` and `protocol check`, and clinic protocol files."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from scleropath.protocol import load_protocol
from scleropath.protocol.loader import DEFAULT_PROTOCOL_DIR
from scleropath.protocol.schema import Cited

CLINIC_EXAMPLE = str(files("scleropath") / "examples" / "clinic.yaml")

SPIDER_VEINS_AT_1_PERCENT = {
    "product": "aethoxysklerol",
    "vessel_class": "telangiectasia",
    "form": "liquid",
    "percent": {"min": 1, "max": 1},
}


def cited_entries(node):
    """Every cited entry in a part of the protocol, however deeply nested."""
    if isinstance(node, Cited):
        yield node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from cited_entries(getattr(node, name))
    elif isinstance(node, list):
        for item in node:
            yield from cited_entries(item)


@pytest.fixture(scope="module")
def protocol():
    return load_protocol()


def test_protocol_show_renders_every_product_and_reference(run, protocol):
    result = run("protocol", "show")
    assert result.code == 0
    for pid in protocol.products:
        assert f"(`{pid}`)" in result.out
    for rid in protocol.refs:
        assert f"- **[{rid}]** " in result.out


def test_protocol_show_gives_every_entry_its_citation_ids_and_its_note(run, protocol):
    out = run("protocol", "show").out
    parts = [protocol.vessels, protocol.ceap, protocol.vcss, protocol.procedures, protocol.formulary]
    parts += [protocol.screening, protocol.aftercare, protocol.complications]
    entries = [entry for part in parts for entry in cited_entries(part)]
    assert len(entries) > 100
    for entry in entries:
        assert "; ".join(entry.cite) in out, entry
        if entry.note:
            assert entry.note in out, entry


def test_protocol_show_marks_weak_references_and_unconfirmed_wording(run):
    out = run("protocol", "show").out
    assert "- **[HV]** healthy-veins.com" in out
    assert "Grade C; read depth SEC. (weak: display text only)" in out
    assert "  - 1 mild: wording not confirmed" in out  # VCSS induration


def test_protocol_show_writes_ranges_and_limits_in_words(run):
    out = run("protocol", "show").out
    assert "| telangiectasia | liquid | 0.25–0.5 % | 0.1–0.2 mL | — | AETH-DE; AETH-CH |" in out
    assert "| truncal | foam | 1–3 % | ≤ 4 mL |" in out
    assert "- interval between sessions: ≥ 5 days [VARI]" in out
    assert "- limit `fibrovein.sites_at_3pct`: ≤ 4 injections at 3 % a session [FIBR06]" in out
    assert (
        "- limit `aethoxysklerol.first_session_allergy`: ≤ 1 injection at the first session "
        "when `allergic_diathesis` is present" in out
    )
    assert "{'" not in out


def test_protocol_show_lists_the_rules_in_order_with_their_conditions(run):
    out = run("protocol", "show").out
    assert (
        "2. `proc.truncal_reflux.nice` — when class truncal, reflux yes, truncal policy `nice_cg168`: "
        "**referral**" in out
    )
    assert "    - referral for: endothermal ablation" in out
    assert "| Inner calf | `calf_medial` | 3 |" in out  # regions decide the order within a class


def test_protocol_show_writes_a_file(run, tmp_path):
    target = tmp_path / "protocol.md"
    result = run("protocol", "show", "--output", str(target))
    assert result.code == 0
    assert result.out == f"Wrote {target}\n"
    assert target.read_text().startswith("# Sclerotherapy and microsclerotherapy of leg veins")


def test_protocol_show_cannot_write_into_a_missing_directory(run, tmp_path):
    result = run("protocol", "show", "--output", str(tmp_path / "nope" / "protocol.md"))
    assert result.code == 2
    assert "error: cannot write" in result.err


def test_protocol_check_accepts_the_bundled_protocol(run):
    result = run("protocol", "check", str(DEFAULT_PROTOCOL_DIR))
    assert result.code == 0
    assert result.out.startswith(
        "OK: scleropath-uk-default 1.1.0: 54 references, 5 products, 10 procedure rules"
    )


def test_protocol_check_names_the_file_and_entry_of_a_broken_citation(run, tmp_path):
    copy = tmp_path / "broken"
    shutil.copytree(DEFAULT_PROTOCOL_DIR, copy)
    formulary = copy / "formulary.yaml"
    formulary.write_text(
        formulary.read_text().replace("cite: [AETH-DE, AETH-CH]\n    uses:", "cite: [NOPE]\n    uses:", 1)
    )
    result = run("protocol", "check", str(copy))
    assert result.code == 2
    assert (
        "error: formulary.yaml: products[0].cite[0]: citation id 'NOPE' is not in references.yaml"
        in result.err
    )
    assert "Traceback" not in result.err


def test_protocol_check_of_a_path_that_does_not_exist_exits_2(run, tmp_path):
    result = run("protocol", "check", str(tmp_path / "missing"))
    assert result.code == 2
    assert "is neither a protocol directory nor a file" in result.err


def test_a_copied_protocol_directory_answers_like_the_bundled_one(run, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(DEFAULT_PROTOCOL_DIR, copy)
    assert run("plan", "--example", "--protocol", str(copy)).json() == run("plan", "--example").json()


def clinic_file(tmp_path: Path, **changes: object) -> str:
    data = yaml.safe_load(Path(CLINIC_EXAMPLE).read_text())
    data.update(changes)
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_the_example_clinic_file_narrows_the_spider_vein_strength_to_0_5_percent(run):
    assert run("protocol", "check", CLINIC_EXAMPLE).out.startswith(
        "OK: scleropath-uk-default 1.1.0 with example-vein-clinic 2026.1.0"
    )
    answer = run("plan", "--example", "--clinic", CLINIC_EXAMPLE).json()
    assert answer["protocol"]["clinic_id"] == "example-vein-clinic"
    spider = next(f for f in answer["findings"] if f["id"] == "L1")
    aeth = next(o for o in spider["options"] if o["product"] == "aethoxysklerol")
    assert aeth["concentration_percent"] == [0.5, 0.5]
    assert aeth["local_choice"] is True
    assert aeth["local_deviation"] is None
    text = run("plan", "--example", "--clinic", CLINIC_EXAMPLE, "--format", "text").out
    assert "clinic protocol example-vein-clinic 2026.1.0" in text
    assert "Aethoxysklerol (polidocanol) liquid 0.5 %, 0.1–0.2 mL per site" in text
    shown = run("protocol", "show", "--clinic", CLINIC_EXAMPLE).out
    assert (
        "- Local choice inside the label: aethoxysklerol liquid for telangiectasia: 0.5 % (label 0.25–0.5 %)"
        in shown
    )


def test_a_clinic_strength_outside_the_label_is_refused_without_a_deviation(run, tmp_path):
    path = clinic_file(tmp_path, concentrations=[SPIDER_VEINS_AT_1_PERCENT])
    result = run("protocol", "check", path)
    assert result.code == 2
    assert "error: clinic.yaml: concentrations[0].percent: outside the label range 0.25–0.5 %" in result.err
    assert run("plan", "--example", "--clinic", path).code == 2


def test_a_recorded_deviation_loads_and_every_answer_using_it_says_so(run, tmp_path):
    deviation = {"reason": "Local audit of resistant spider veins", "approved_by": "Clinical lead"}
    path = clinic_file(tmp_path, concentrations=[{**SPIDER_VEINS_AT_1_PERCENT, "deviation": deviation}])
    assert run("protocol", "check", path).code == 0
    answer = run("plan", "--example", "--clinic", path).json()
    spider = next(f for f in answer["findings"] if f["id"] == "L1")
    aeth = next(o for o in spider["options"] if o["product"] == "aethoxysklerol")
    assert aeth["concentration_percent"] == [1, 1]
    assert "Local audit of resistant spider veins" in aeth["local_deviation"]
    text = " ".join(run("plan", "--example", "--clinic", path, "--format", "text").out.split())
    assert "liquid 1 %, 0.1–0.2 mL per site" in text
    assert (
        "LOCAL DEVIATION FROM THE LABEL: Local audit of resistant spider veins (approved by Clinical lead)"
        in text
    )
    shown = run("protocol", "show", "--clinic", path).out
    assert "> **LOCAL DEVIATIONS FROM THE LABEL**" in shown
    assert (
        "> - **LOCAL DEVIATION**: aethoxysklerol liquid for telangiectasia: 1 % (label 0.25–0.5 %) — "
        "reason: Local audit of resistant spider veins; approved by Clinical lead" in shown
    )
    assert "**LOCAL DEVIATION: telangiectasia 1 %**" in shown  # also in the product's table
