"""The standard photo views are protocol data: a clinic setting, listed for review, extendable by a clinic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scleropath.protocol import ProtocolError, load_clinic_protocol
from scleropath.protocol.model import Protocol
from scleropath.protocol.render import render_markdown

CLINIC = {
    "format_version": 1,
    "base": {"id": "scleropath-uk-default", "version": "1.1.0"},
    "id": "photo-clinic",
    "version": "1.0.0",
    "title": "A clinic with its own photo view",
}


def write_clinic(tmp_path: Path, **fields: object) -> Path:
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump({**CLINIC, **fields}), encoding="utf-8")
    return path


def test_the_bundled_views_cover_both_legs_front_back_thigh_calf_and_a_close_up(protocol: Protocol) -> None:
    views = protocol.photo_views
    assert list(views) == [
        "front",
        "back",
        "thigh_inner",
        "thigh_outer",
        "calf_inner",
        "calf_outer",
        "close_up",
    ]
    assert all(v.sides == ["left", "right"] for v in views.values())
    assert [c for c, v in views.items() if v.close_up] == ["close_up"]


def test_every_view_is_marked_a_clinic_setting_and_only_the_outcome_statement_is_cited(
    protocol: Protocol,
) -> None:
    assert {v.source for v in protocol.photography.views} == {"clinic_setting"}
    assert protocol.photography.outcome_measure.cite == ["ASCL", "KERN2007"]


def test_protocol_show_lists_the_views_for_review(protocol: Protocol) -> None:
    text = render_markdown(protocol)
    assert "## Clinical photographs" in text
    assert "| Inner calf | `calf_inner` | left, right | no |" in text


def test_a_clinic_may_add_its_own_view_after_the_protocols(protocol: Protocol, tmp_path: Path) -> None:
    path = write_clinic(
        tmp_path, photo_views=[{"code": "ankle_inner", "display": "Inner ankle", "sides": ["left"]}]
    )
    clinic = load_clinic_protocol(path, protocol)
    assert list(clinic.photo_views)[-1] == "ankle_inner"
    assert clinic.photo_views["ankle_inner"].sides == ["left"]
    assert clinic.names["photo_view"]["ankle_inner"] == "Inner ankle"
    assert "ankle_inner" not in protocol.photo_views


def test_a_clinic_view_listing_a_side_twice_is_refused(protocol: Protocol, tmp_path: Path) -> None:
    path = write_clinic(
        tmp_path, photo_views=[{"code": "shin", "display": "Shin", "sides": ["left", "left"]}]
    )
    with pytest.raises(ProtocolError, match=r"photo_views\[0\]\.sides: a side is listed twice"):
        load_clinic_protocol(path, protocol)
