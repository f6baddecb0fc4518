"""Published figures: every cited source exists, nothing unconfirmed is shown."""

from __future__ import annotations

from pathlib import Path

import yaml

import scleropath.protocol
from scleropath.analytics import literature

REFERENCES = Path(scleropath.protocol.__file__).parent / "data" / "uk-default" / "references.yaml"


def reference_ids() -> set[str]:
    return {r["id"] for r in yaml.safe_load(REFERENCES.read_text())["references"]}


def test_every_cited_id_is_in_the_references_file():
    missing = literature.cited_ids() - reference_ids()
    assert not missing


def test_every_published_figure_has_a_source_and_a_reference_section():
    for p in literature.PUBLISHED:
        assert p.cite, p.text
        assert p.section.split(".")[0] in {"6", "7"}, p.text


def test_no_published_figure_is_marked_unconfirmed():
    for p in literature.PUBLISHED:
        assert "unconfirmed" not in p.text.lower(), p.text


def test_every_key_names_a_figure_the_dashboard_has():
    from scleropath.protocol.loader import load_protocol

    protocol = load_protocol()
    procedures = {p.id for p in protocol.procedures.procedures}
    allowed = {"clearance", "agent_strength", "satisfaction", "retreatment", "vcss"}
    allowed |= {f"procedure:{p}" for p in procedures} | {f"event:{s}" for s in protocol.symptoms}
    assert {p.key for p in literature.PUBLISHED} | set(literature.NO_FIGURE) <= allowed
