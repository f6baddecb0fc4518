"""Every shipped protocol loads and validates; every deliberately broken one fails with its error."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from scleropath.protocol import ProtocolError, load_protocol
from scleropath.protocol.loader import DEFAULT_PROTOCOL_DIR, PART_FILES
from scleropath.protocol.vocabulary import VCSS_ITEMS, Agent, Procedure, VesselClass

from .support import copy_protocol, edit_protocol_file, grade_a_or_b

SHIPPED = sorted(p for p in DEFAULT_PROTOCOL_DIR.parent.iterdir() if p.is_dir())
FIXTURES = Path(__file__).parent.parent / "fixtures" / "broken_protocols"
BROKEN = sorted(FIXTURES.glob("*.yaml"))
EDIT_KEYS = {"set", "delete", "replace_text", "remove_file"}
CITE_KEYS = {"cite", "resolution_cite", "daily_max_cite"}


def cited_ids(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every citation id in a dumped protocol part, with where it was found."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key in CITE_KEYS:
                out.extend((where, cid) for cid in value)
            elif key == "source" and "kind" in node:  # a screening grading names its source
                out.append((where, value))
            else:
                out.extend(cited_ids(value, where))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            out.extend(cited_ids(item, f"{path}[{i}]"))
    return out


@pytest.mark.parametrize("directory", SHIPPED, ids=lambda p: p.name)
def test_a_shipped_protocol_loads_with_every_part_and_vocabulary_defined(directory: Path) -> None:
    protocol = load_protocol(directory)
    assert {p.name for p in directory.glob("*.yaml")} == set(PART_FILES)
    assert {c.id for c in protocol.vessels.classes} == set(get_args(VesselClass))
    assert {p.id for p in protocol.procedures.procedures} == set(get_args(Procedure))
    assert set(protocol.agents) == set(get_args(Agent))
    assert [i.id for i in protocol.vcss.items] == list(VCSS_ITEMS)
    assert protocol.ceap.none_class.code == "C0"
    assert protocol.manifest.products_in_use
    assert set(protocol.manifest.products_in_use) <= set(protocol.products)
    assert protocol.screening.items and protocol.complications.symptoms and protocol.aftercare.rules


@pytest.mark.parametrize("directory", SHIPPED, ids=lambda p: p.name)
def test_every_citation_id_in_a_shipped_protocol_resolves_in_its_references(directory: Path) -> None:
    protocol = load_protocol(directory)
    parts = [
        protocol.vessels,
        protocol.ceap,
        protocol.vcss,
        protocol.procedures,
        protocol.formulary,
        protocol.screening,
        protocol.aftercare,
        protocol.complications,
    ]
    found = [hit for part in parts for hit in cited_ids(part.model_dump())]
    assert len(found) > 100, "the walk found too few citations to be looking in the right places"
    assert [(where, cid) for where, cid in found if cid not in protocol.refs] == []


@pytest.mark.parametrize("directory", SHIPPED, ids=lambda p: p.name)
def test_every_product_use_and_session_limit_rests_on_a_grade_a_or_b_source(directory: Path) -> None:
    protocol = load_protocol(directory)
    for product in protocol.formulary.products:
        for entry in [*product.uses, *product.limits]:
            assert entry.cite, (product.id, entry)
            assert grade_a_or_b(protocol, entry.cite), (product.id, entry)


@pytest.mark.parametrize("directory", SHIPPED, ids=lambda p: p.name)
def test_every_procedure_rule_and_screening_item_cites_something(directory: Path) -> None:
    protocol = load_protocol(directory)
    rules = [(r.id, r.cite) for r in protocol.procedures.rules]
    rules += [(r.id, r.cite) for r in protocol.procedures.patient_rules]
    for rule_id, cite in rules:
        assert grade_a_or_b(protocol, cite), rule_id
    for item in protocol.screening.items:
        assert item.cite and {g.source for g in item.gradings} <= set(item.cite), item.code


def test_a_copy_of_the_bundled_protocol_written_back_unchanged_still_loads(tmp_path: Path) -> None:
    """The control for the broken fixtures: copying and re-dumping a file breaks nothing by itself."""
    directory = copy_protocol(tmp_path / "protocol")
    for file in PART_FILES:
        edit_protocol_file(directory, file, set={})
    assert load_protocol(directory).version == load_protocol().version


@pytest.mark.parametrize("fixture", BROKEN, ids=lambda p: p.name)
def test_a_broken_protocol_fails_to_load_with_the_error_its_fixture_names(
    fixture: Path, tmp_path: Path
) -> None:
    spec = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    directory = copy_protocol(tmp_path / "protocol")
    edit_protocol_file(
        directory,
        spec["file"],
        set=spec.get("set"),
        delete=spec.get("delete", ()),
        replace_text=spec.get("replace_text"),
        remove_file=spec.get("remove_file", False),
    )
    with pytest.raises(ProtocolError) as raised:
        load_protocol(directory)
    assert spec["error"] in str(raised.value)
    assert raised.value.file == spec["file"]


@pytest.mark.parametrize("fixture", BROKEN, ids=lambda p: p.name)
def test_each_broken_fixture_says_what_it_breaks_and_makes_one_edit(fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    assert text.startswith("# "), "the first line describes the break"
    spec = yaml.safe_load(text)
    assert set(spec) <= EDIT_KEYS | {"file", "error"}
    assert len(set(spec) & EDIT_KEYS) == 1
    assert len(spec.get("set") or {}) + len(spec.get("delete") or []) <= 1
    assert spec["error"].startswith(f"{spec['file']}: ")


def test_the_broken_fixtures_cover_every_file_of_the_protocol() -> None:
    files = {yaml.safe_load(f.read_text(encoding="utf-8"))["file"] for f in BROKEN}
    assert files == set(PART_FILES)
