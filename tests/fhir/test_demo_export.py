"""The demo clinics exported: every resource is valid FHIR R4 for two independent libraries, two
patients' Bundles match the committed golden files, and every export imports back unchanged.

To regenerate the golden files after an intended change to the mapping or the demo:

    SCLEROPATH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/fhir/test_demo_export.py -k golden

then review the diff of tests/fhir/golden/ like any other change.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from fhirclient.models import (  # type: ignore[import-untyped]
    adverseevent,
    appointment,
    careplan,
    clinicalimpression,
    condition,
    consent,
    encounter,
    location,
    medication,
    medicationadministration,
    observation,
    patient,
    practitioner,
    procedure,
    questionnaireresponse,
    schedule,
    slot,
)

from scleropath.accounts.models import Clinic
from scleropath.fhir import codes
from scleropath.fhir.export import patient_bundle
from scleropath.fhir.importer import import_bundle
from scleropath.fhir.resources import RESOURCE_TYPES, problems
from scleropath.patients.models import Patient
from tests.fhir.conftest import golden_patients
from tests.fhir.normalise import normalise, renumber

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SCLEROPATH_REGENERATE_GOLDEN") == "1"
FHIRCLIENT = {
    "AdverseEvent": adverseevent.AdverseEvent,
    "Appointment": appointment.Appointment,
    "CarePlan": careplan.CarePlan,
    "ClinicalImpression": clinicalimpression.ClinicalImpression,
    "Condition": condition.Condition,
    "Consent": consent.Consent,
    "Encounter": encounter.Encounter,
    "Location": location.Location,
    "Medication": medication.Medication,
    "MedicationAdministration": medicationadministration.MedicationAdministration,
    "Observation": observation.Observation,
    "Patient": patient.Patient,
    "Practitioner": practitioner.Practitioner,
    "Procedure": procedure.Procedure,
    "QuestionnaireResponse": questionnaireresponse.QuestionnaireResponse,
    "Schedule": schedule.Schedule,
    "Slot": slot.Slot,
}
# Only in a whole clinic's export (the diary's rooms, working hours and free slots), or in a
# patient's when the demo books them into a room; tests/fhir/test_diary.py checks them.
CLINIC_ONLY = {"Location", "Schedule", "Slot"}


def exported(p: Patient) -> dict:
    """The Bundle as a client receives it (through JSON)."""
    return json.loads(json.dumps(patient_bundle(p, "https://clinic.example")))


def empty_clinic(slug: str) -> Clinic:
    return Clinic.objects.create(name=f"Clinic {slug}", slug=slug, screening_valid_days=90)


def systems_in(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["system"]} if "system" in node and "code" in node else set()
        return found.union(*(systems_in(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(systems_in(v) for v in node))
    return set()


def test_every_resource_of_every_demo_patient_parses_as_fhir_r4_in_both_libraries(demo):
    seen: set[str] = set()
    for p in Patient.objects.all():
        bundle = exported(p)
        assert systems_in(bundle) <= codes.OUR_CODE_SYSTEMS | codes.SHARED_SYSTEMS
        for entry in bundle["entry"]:
            r = entry["resource"]
            seen.add(r["resourceType"])
            FHIRCLIENT[r["resourceType"]](r, strict=True)
            assert problems(r) == [], r["id"]
    assert set(RESOURCE_TYPES) - CLINIC_ONLY <= seen <= set(RESOURCE_TYPES)


@pytest.mark.parametrize("name", ["checked-in", "treated-twice"])
def test_golden_bundles_of_two_demo_patients_are_unchanged(demo, name: str):
    bundle = normalise(exported(golden_patients()[name]))
    path = GOLDEN / f"{name}.json"
    if REGENERATE:
        path.write_text(
            json.dumps(bundle, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
    assert bundle == json.loads(path.read_text(encoding="utf-8"))


def test_every_demo_patient_imports_into_an_empty_clinic_and_exports_the_same(demo):
    for n, p in enumerate(Patient.objects.order_by("pk")):
        before = exported(p)
        result = import_bundle(before, empty_clinic(f"copy-{n}"))
        after = exported(Patient.objects.get(pk=result.patients[0]))
        assert normalise(after) == normalise(before), p


def test_a_whole_clinic_exported_as_ndjson_imports_back_the_same(demo, tmp_path: Path):
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("export_fhir", clinic="riverside", output=tmp_path / "first", **quiet)
    empty_clinic("copy")
    call_command("import_fhir", str(tmp_path / "first"), clinic="copy", **quiet)
    call_command("export_fhir", clinic="copy", output=tmp_path / "again", **quiet)
    first = sorted(f.name for f in (tmp_path / "first").iterdir())
    # Imported staff cannot sign in until an administrator lets them, so the copy's diary offers no
    # free slots yet; everything else, their working hours (Schedule) included, comes back the same.
    assert "Slot.ndjson" in first
    first.remove("Slot.ndjson")
    assert first == sorted(f.name for f in (tmp_path / "again").iterdir())
    for name in first:
        assert renumber((tmp_path / "again" / name).read_text()) == renumber(
            (tmp_path / "first" / name).read_text()
        )
