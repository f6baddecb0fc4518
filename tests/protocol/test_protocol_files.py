"""Every shipped protocol loads and validates; every deliberately broken one fails with its error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from scleropath.protocol import ProtocolError, load_clinic_protocol, load_protocol
from scleropath.protocol.loader import DEFAULT_PROTOCOL_DIR, load_directory

DATA = DEFAULT_PROTOCOL_DIR.parent
FIXTURES = Path(__file__).parent.parent / "fixtures"
BROKEN = sorted((FIXTURES / "broken_protocols").glob("*.yaml"))
BROKEN_CLINIC = sorted((FIXTURES / "broken_clinic_protocols").glob("*.yaml"))
STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [int(index) if index else key for key, index in STEP.findall(path)]


def _parent(doc: Any, path: str) -> tuple[Any, str | int]:
    steps = _steps(path)
    node = doc
    for step in steps[:-1]:
        node = node[step]
    return node, steps[-1]


def apply_break(directory: Path, spec: dict[str, Any]) -> None:
    target = directory / spec["file"]
    if spec.get("remove_file"):
        target.unlink()
        return
    if "replace_text" in spec:
        target.write_text(spec["replace_text"])
        return
    doc = yaml.safe_load(target.read_text())
    for path, value in (spec.get("set") or {}).items():
        parent, last = _parent(doc, path)
        parent[last] = value
    for path in spec.get("delete") or []:
        parent, last = _parent(doc, path)
        del parent[last]
    target.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


@pytest.mark.parametrize("directory", sorted(p for p in DATA.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_shipped_protocol_loads_and_every_citation_resolves(directory: Path):
    protocol = load_directory(directory)
    assert protocol.refs
    for product in protocol.formulary.products:
        for use in product.uses:
            assert use.cite and all(c in protocol.refs for c in use.cite)


@pytest.mark.parametrize("fixture", BROKEN, ids=lambda p: p.stem)
def test_a_broken_protocol_fails_to_load_with_its_error(fixture: Path, tmp_path: Path):
    spec = yaml.safe_load(fixture.read_text())
    copy = tmp_path / "protocol"
    shutil.copytree(DEFAULT_PROTOCOL_DIR, copy)
    apply_break(copy, spec)
    with pytest.raises(ProtocolError) as raised:
        load_directory(copy)
    assert spec["error"] in str(raised.value)


def test_the_broken_fixtures_cover_every_file_of_the_protocol():
    files = {yaml.safe_load(f.read_text())["file"] for f in BROKEN}
    assert files >= {
        "formulary.yaml",
        "screening.yaml",
        "vessels.yaml",
        "vcss.yaml",
        "ceap.yaml",
        "procedures.yaml",
        "aftercare.yaml",
        "complications.yaml",
        "protocol.yaml",
    }


@pytest.mark.parametrize("fixture", BROKEN_CLINIC, ids=lambda p: p.stem)
def test_a_broken_clinic_protocol_fails_to_load_with_its_error(fixture: Path):
    expected = fixture.read_text().splitlines()[0].removeprefix("# error: ")
    with pytest.raises(ProtocolError) as raised:
        load_clinic_protocol(fixture, load_protocol())
    assert f"{fixture.name}: {expected}" in str(raised.value)
