"""The FHIR code keeps to its boundaries: one module touches fhir.resources (and only its R4B
models), and every code system an export uses is ours or one of the shared ones we list."""

from __future__ import annotations

import re
from pathlib import Path

import scleropath
from scleropath.fhir import codes

SRC = Path(scleropath.__file__).parent
IMPORTS_FHIR_RESOURCES = re.compile(r"^\s*(from|import)\s+fhir\.resources", re.MULTILINE)


def test_only_the_resources_module_imports_fhir_resources_and_only_r4b():
    importers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if IMPORTS_FHIR_RESOURCES.search(path.read_text())
    )
    assert importers == ["fhir/resources.py"]
    imported = re.findall(
        r"^from (fhir\.resources\S*) import", (SRC / "fhir" / "resources.py").read_text(), re.M
    )
    assert imported
    assert all(name.startswith("fhir.resources.R4B.") for name in imported)


def test_our_code_systems_live_under_one_base_and_no_clinical_terminology_is_among_them():
    assert all(system.startswith(f"{codes.BASE}/CodeSystem/") for system in codes.OUR_CODE_SYSTEMS)
    assert not (codes.OUR_CODE_SYSTEMS | codes.SHARED_SYSTEMS) & codes.FOREIGN_CLINICAL_SYSTEMS
