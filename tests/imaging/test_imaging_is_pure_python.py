"""The measuring of photographs is its own package: a background task or a command can run it without Django."""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = """
import importlib, json, pkgutil, sys
import scleropath.imaging
from scleropath.imaging import measure_clearance
from scleropath.imaging.synthetic import make_pair

modules = sorted(m.name for m in pkgutil.walk_packages(scleropath.imaging.__path__, "scleropath.imaging."))
for name in modules:
    importlib.import_module(name)
pair = make_pair(1)
result = measure_clearance(pair.before, pair.after, pair.area)
print(json.dumps({
    "modules": modules,
    "quality": result.quality,
    "django": sorted(m for m in sys.modules if m == "django" or m.startswith("django.")),
    "scleropath": sorted(m for m in sys.modules if m.startswith("scleropath.") and not m.startswith("scleropath.imaging")),
}))
"""


def test_the_imaging_package_measures_without_importing_django_or_the_rest_of_the_project() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "scleropath.imaging.measure" in report["modules"]
    assert report["quality"] in {"ok", "no_vessels_before"}
    assert report["django"] == []
    assert report["scleropath"] == []
