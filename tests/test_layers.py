"""The apps form layers, and every import points down.

Each module under src/scleropath is parsed (not imported), and every import it makes (at module
level or inside a function, absolute or relative) is mapped to the app it reaches. A module may
import from its own app or from a lower layer; apps that share a layer must not import each other.
A function-level import is no excuse: it only hides a cycle from Python, not from the reader.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import scleropath

PACKAGE = "scleropath"
ROOT = Path(scleropath.__file__).parent

# Lowest first. Apps in the same set share a layer and must not import each other.
LAYERS: list[frozenset[str]] = [
    # Both are pure computation with no Django: the protocol engine, and measuring photographs.
    frozenset({"protocol", "imaging"}),
    frozenset({"accounts"}),
    frozenset({"core"}),
    frozenset({"patients"}),
    frozenset({"assessments"}),
    frozenset({"treatment"}),
    frozenset({"followup"}),
    frozenset({"messaging", "photos"}),
    frozenset({"diary"}),
    # Patients' own pages: check-ins after treatment, and booking online before the first visit.
    frozenset({"checkins", "booking"}),
    # The API's tokens (the ApiToken model and the functions that issue and check them) stay in
    # `api`, and the FHIR endpoint authenticates its callers with them, so `api` sits below the rest.
    frozenset({"api"}),
    frozenset({"fhir", "analytics", "synthetic"}),
    frozenset({"web"}),
    # settings.py, urls.py and wsgi.py, and the command line, sit on top of everything.
    frozenset({"project", "cli"}),
]
LAYER_OF = {app: index for index, layer in enumerate(LAYERS) for app in layer}

# Modules of the package itself rather than of an app.
PROJECT_MODULES = {"settings", "urls", "wsgi"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing file, relative to src/
    line: int
    target: str  # the dotted module reached


def module_name(path: Path, src: Path = ROOT.parent) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(dotted: str) -> str | None:
    """The app a dotted name belongs to; None for other libraries and the bare package's own names."""
    parts = dotted.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    if parts[1] in PROJECT_MODULES:
        return "project"
    if parts[1] in LAYER_OF or (ROOT / parts[1]).is_dir():
        return parts[1]
    return None  # `from scleropath import __version__`


def imports_of(path: Path, src: Path = ROOT.parent) -> list[Import]:
    """Every import in one file, relative ones resolved against its package."""
    name = module_name(path, src)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    source = str(path.relative_to(src))
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=source)):
        if isinstance(node, ast.Import):
            found += [Import(source, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from scleropath import analytics` reaches the app named, not just the package.
            found += [Import(source, node.lineno, f"{stem}.{alias.name}") for alias in node.names]
    return found


def all_imports() -> list[Import]:
    return [imp for path in sorted(ROOT.rglob("*.py")) for imp in imports_of(path)]


def wrong_imports() -> list[str]:
    """Each import against the layer order, as ``file:line (app) imports module (app)``."""
    wrong: list[str] = []
    for imp in all_imports():
        here, there = app_of(module_name(ROOT.parent / imp.source)), app_of(imp.target)
        if here is None or there is None or here == there:
            continue
        if LAYER_OF[there] >= LAYER_OF[here]:
            wrong.append(f"{imp.source}:{imp.line} ({here}) imports {imp.target} ({there})")
    return wrong


def test_every_app_is_placed_in_a_layer() -> None:
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps - LAYER_OF.keys() == set()


def test_the_import_reader_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    probe = tmp_path / PACKAGE / "core" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "from . import models\nfrom ..web.views import today\n"
        "def later():\n    from scleropath.followup import services\n"
    )
    targets = [imp.target for imp in imports_of(probe, src=tmp_path)]
    assert targets == ["scleropath.core.models", "scleropath.web.views.today", "scleropath.followup.services"]


def test_no_module_imports_a_higher_or_sibling_app() -> None:
    wrong = wrong_imports()
    assert wrong == [], "imports against the layer order:\n" + "\n".join(wrong)


def test_core_imports_no_app_but_protocol_and_accounts() -> None:
    wrong = sorted(
        f"{imp.source}:{imp.line} imports {imp.target}"
        for imp in all_imports()
        if imp.source.startswith(f"{PACKAGE}/core/")
        and app_of(imp.target) not in {None, "core", "protocol", "accounts"}
    )
    assert wrong == []
