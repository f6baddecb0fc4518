"""export_fhir and ``scleropath export-fhir``: one NDJSON file per resource type with one resource
per record of the clinic (and none of another clinic), with progress on stderr."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scleropath.assessments.models import VeinFinding
from scleropath.cli.main import main
from scleropath.followup.models import FollowUp
from scleropath.patients import services as patients
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement
from scleropath.treatment.models import Injection, StockLot
from tests.pathway import Clinics, Pathway


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def other_clinics_patient(clinics: Clinics) -> Patient:
    other = patients.create_patient(
        clinics.bob, given_name="Otto", family_name="Elsewhere", date_of_birth=date(1960, 2, 2)
    )
    patients.record_weight(clinics.bob, other, 90)
    return other


def test_it_writes_one_file_per_resource_type_with_a_resource_per_record(
    clinics: Clinics, treated: Pathway, other_clinics_patient: Patient, tmp_path: Path
):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_fhir", clinic="riverside", output=tmp_path, stdout=out, stderr=err)
    a = {"clinic": clinics.a, "voided_at__isnull": True}
    files = {p.name: lines(p) for p in tmp_path.glob("*.ndjson")}
    assert len(files["Patient.ndjson"]) == Patient.objects.filter(**a).count() == 1
    assert len(files["MedicationAdministration.ndjson"]) == Injection.objects.filter(**a).count()
    assert len(files["Medication.ndjson"]) == StockLot.objects.filter(**a).count()
    assert len(files["Appointment.ndjson"]) == FollowUp.objects.filter(**a).count()
    assert len(files["QuestionnaireResponse.ndjson"]) >= ScreeningRecord.objects.filter(**a).count()
    observations = [r["code"]["coding"][0]["code"] for r in files["Observation.ndjson"]]
    assert observations.count("body-weight") == WeightMeasurement.objects.filter(**a).count()
    assert observations.count("vein-diameter") == VeinFinding.objects.filter(**a).count()
    for name, resources in files.items():
        assert {r["resourceType"] for r in resources} == {name.removesuffix(".ndjson")}
    assert "Elsewhere" not in "".join(p.read_text() for p in tmp_path.glob("*.ndjson"))
    assert "Patient.ndjson\t1" in out.getvalue()
    assert "patients: 1 resources" in err.getvalue()
    assert "Done:" in err.getvalue()


def test_it_finds_the_clinic_by_id_and_refuses_an_unknown_one(clinics: Clinics, tmp_path: Path):
    call_command(
        "export_fhir", clinic=str(clinics.b.pk), output=tmp_path, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert [p.name for p in tmp_path.glob("*.ndjson")] == ["Practitioner.ndjson"]
    with pytest.raises(CommandError, match="No clinic 'nowhere'"):
        call_command("export_fhir", clinic="nowhere", output=tmp_path)


def test_the_scleropath_verbs_export_and_refuse_to_import_into_a_clinic_with_records(
    treated: Pathway, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = io.StringIO()
    assert main(["export-fhir", "--clinic", "riverside", "--output", str(tmp_path)], out=out) == 0
    assert (tmp_path / "Procedure.ndjson").exists()
    assert main(["import-fhir", str(tmp_path), "--clinic", "riverside"], out=out) == 1
    assert "already has clinical records" in capsys.readouterr().err


def test_the_export_writes_a_read_of_each_exported_patient_to_the_audit_log(
    clinics: Clinics, treated: Pathway, other_clinics_patient: Patient, tmp_path: Path
):
    from auditlog.models import LogEntry

    def reads(patient: Patient) -> int:
        return LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, object_pk=str(patient.pk), content_type__model="patient"
        ).count()

    before, other_before = reads(treated.patient), reads(other_clinics_patient)
    call_command(
        "export_fhir", clinic="riverside", output=tmp_path, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert reads(treated.patient) == before + 1
    assert reads(other_clinics_patient) == other_before
