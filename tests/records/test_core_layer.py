"""``core`` is the ground the clinical apps stand on (the record base, voiding, the clinic's engine),
so it may import only the engine and the accounts beneath it, never an app built on it."""

from __future__ import annotations

import ast
from pathlib import Path

import scleropath.core

BENEATH_CORE = {"protocol", "accounts", "core"}


def scleropath_apps_imported(path: Path) -> set[str]:
    """The scleropath packages a module imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {n.split(".")[1] for n in names if n.startswith("scleropath.") and n.count(".") >= 1}
    return found


def test_core_imports_no_app_above_the_accounts() -> None:
    root = Path(scleropath.core.__file__).parent
    modules = sorted(root.rglob("*.py"))
    assert modules
    above = {
        str(path.relative_to(root)): sorted(apps)
        for path in modules
        if (apps := scleropath_apps_imported(path) - BENEATH_CORE)
    }
    assert above == {}
