"""The engine is its own package: the CLI, the web app and the API share it, so it must not need Django."""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = """
import importlib, json, pkgutil, sys
import scleropath.protocol
from scleropath.protocol import Engine

modules = sorted(m.name for m in pkgutil.walk_packages(scleropath.protocol.__path__, "scleropath.protocol."))
for name in modules:
    importlib.import_module(name)
engine = Engine()
plan = engine.plan({
    "patient": {"weight_kg": 70},
    "findings": [{"id": "a", "side": "left", "diameter_mm": 0.5}, {"id": "b", "side": "left", "diameter_mm": 4}],
})
engine.check_session({"patient": {"weight_kg": 70}, "injections": [
    {"agent": "polidocanol", "form": "liquid", "concentration_percent": 0.5, "volume_ml": 0.2}]})
engine.triage({"symptom": "bruising", "days_since_treatment": 2})
print(json.dumps({
    "modules": modules,
    "procedures": [f.procedure for f in plan.findings],
    "django": sorted(m for m in sys.modules if m == "django" or m.startswith("django.")),
}))
"""


def test_the_engine_imports_and_plans_without_importing_django() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "scleropath.protocol.engine" in report["modules"]  # the walk really imported the package
    assert report["procedures"] == ["microsclerotherapy", "foam_sclerotherapy"]
    assert report["django"] == []
