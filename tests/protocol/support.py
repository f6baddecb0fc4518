"""Helpers shared by the engine's tests: the request factories' shapes, property-test settings, editing a
protocol copy by path, and checking that answers cite resolvable sources."""

from __future__ import annotations

import os
import re
import shutil
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings

from scleropath.protocol.answers import Explained
from scleropath.protocol.loader import DEFAULT_PROTOCOL_DIR
from scleropath.protocol.model import Protocol

Json = dict[str, Any]

# Modest by default so the suite stays fast; raise it (e.g. SCLEROPATH_PROPERTY_EXAMPLES=5000) to hunt.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("SCLEROPATH_PROPERTY_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class AssessmentFactory(typing.Protocol):
    def __call__(self, *findings: Json, planned: Json | None = None, **patient: Any) -> Json: ...


class SessionFactory(typing.Protocol):
    def __call__(
        self, *injections: Json, product: str | None = None, session_number: int = 1, **patient: Any
    ) -> Json: ...


class InjectionFactory(typing.Protocol):
    def __call__(
        self,
        volume_ml: float,
        concentration_percent: float = 1.0,
        *,
        form: str = "liquid",
        agent: str = "polidocanol",
        **extra: Any,
    ) -> Json: ...


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_steps(path: str) -> list[str | int]:
    """``products[0].uses[1].cite`` as ``["products", 0, "uses", 1, "cite"]``."""
    steps: list[str | int] = [int(index) if index else key for key, index in _STEP.findall(path)]
    if not steps:
        raise ValueError(f"empty path {path!r}")
    return steps


def _parent(doc: Any, path: str) -> tuple[Any, str | int]:
    steps = path_steps(path)
    node = doc
    for step in steps[:-1]:
        node = node[step]
    return node, steps[-1]


def set_path(doc: Any, path: str, value: Any) -> None:
    """Set the value at ``path``; a new key may be added to a mapping, a list index must exist."""
    parent, last = _parent(doc, path)
    if isinstance(last, int) and not 0 <= last < len(parent):
        raise IndexError(f"{path}: no item {last}")
    parent[last] = value


def delete_path(doc: Any, path: str) -> None:
    """Delete the key or list item at ``path``, which must exist."""
    parent, last = _parent(doc, path)
    del parent[last]


def copy_protocol(destination: Path, source: Path = DEFAULT_PROTOCOL_DIR) -> Path:
    """A copy of a protocol directory that a test may edit."""
    shutil.copytree(source, destination)
    return destination


def edit_protocol_file(
    directory: Path,
    file: str,
    *,
    set: Mapping[str, Any] | None = None,
    delete: Iterable[str] = (),
    replace_text: Mapping[str, str] | None = None,
    remove_file: bool = False,
) -> None:
    """Apply one edit to ``directory/file``: set or delete values by path (the file is loaded,
    edited and written back with ``yaml.safe_dump``), replace a piece of its text, or remove it."""
    target = directory / file
    if remove_file:
        target.unlink()
        return
    if replace_text is not None:
        text = target.read_text(encoding="utf-8")
        old, new = replace_text["old"], replace_text["new"]
        if old not in text:
            raise AssertionError(f"{file} does not contain {old!r}; the edit would change nothing")
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        return
    doc = yaml.safe_load(target.read_text(encoding="utf-8"))
    for path, value in (set or {}).items():
        set_path(doc, path, value)
    for path in delete:
        delete_path(doc, path)
    target.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def assert_cited(part: Explained, protocol: Protocol, what: str = "") -> None:
    """``part`` names the rules it applied and cites sources that resolve in the protocol's references."""
    label = what or type(part).__name__
    assert part.rule_ids, f"{label} names no rule"
    assert part.citations, f"{label} cites nothing"
    unknown = [c for c in part.citations if c not in protocol.refs]
    assert not unknown, f"{label} cites ids missing from references.yaml: {unknown}"


def grade_a_or_b(protocol: Protocol, cite: Iterable[str]) -> bool:
    """Whether at least one of ``cite`` is a grade A or B source not marked weak."""
    refs = protocol.refs
    return any(refs[c].grade in ("A", "B") and not refs[c].weak for c in cite)
