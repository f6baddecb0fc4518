"""import_fhir: an exported Bundle goes into an empty clinic and comes out the same; anything
malformed, foreign, incomplete or aimed at a clinic with records is refused with its reasons,
and nothing at all is written."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scleropath.accounts.models import Clinic, User
from scleropath.checkins.services import answer_check_in, record_patient_satisfaction
from scleropath.fhir import codes
from scleropath.fhir.export import patient_bundle
from scleropath.fhir.importer import ImportRefused, import_bundle
from scleropath.patients.models import Patient
from tests.fhir.normalise import normalise
from tests.pathway import Clinics, Pathway


def exported(patient: Patient) -> dict:
    return json.loads(json.dumps(patient_bundle(patient, "https://clinic.example")))


@pytest.fixture
def bundle(treated: Pathway) -> dict:
    return exported(treated.patient)


@pytest.fixture
def empty(clinics: Clinics) -> Clinic:
    return Clinic.objects.create(name="New Street Clinic", slug="new-street", screening_valid_days=90)


def entries(bundle: dict, resource_type: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


def refused(bundle: object, clinic: Clinic) -> list[str]:
    before = (Patient.objects.count(), User.objects.count())
    with pytest.raises(ImportRefused) as caught:
        import_bundle(bundle, clinic)
    assert (Patient.objects.count(), User.objects.count()) == before
    return caught.value.reasons


def test_an_exported_bundle_imports_into_an_empty_clinic_and_exports_the_same(bundle: dict, empty: Clinic):
    result = import_bundle(bundle, empty)
    assert result.counts["Patient"] == 1
    assert result.counts["Injection"] == len(entries(bundle, "MedicationAdministration"))
    again = exported(Patient.objects.get(pk=result.patients[0]))
    assert normalise(again) == normalise(bundle)


def test_answered_check_ins_and_the_patients_own_satisfaction_survive_the_round_trip(
    link, treated: Pathway, empty: Clinic
):
    sent, _, _ = link
    check_in = sent.session.check_ins.order_by("day").first()
    answer_check_in(sent, check_in, ["bruising", "skin_ulcer"], comment="A sore patch on the calf")
    record_patient_satisfaction(sent, satisfaction=4, recurrence=False, comment="Happy so far")
    before = exported(treated.patient)
    kinds = {r.get("questionnaire") for r in entries(before, "QuestionnaireResponse")}
    assert {codes.CHECK_IN_QUESTIONNAIRE, codes.SATISFACTION_QUESTIONNAIRE} <= kinds
    result = import_bundle(before, empty)
    assert normalise(exported(Patient.objects.get(pk=result.patients[0]))) == normalise(before)


def test_staff_are_matched_by_name_and_anyone_unknown_is_added_inactive(
    clinics: Clinics, bundle: dict, empty: Clinic
):
    alice_here = User.objects.create_user(
        "alice.newstreet", clinic=empty, role="clinician", first_name="Alice"
    )
    result = import_bundle(bundle, empty)
    patient = Patient.objects.get(pk=result.patients[0])
    assert {a.clinician for a in patient.assessments.all()} == {alice_here}
    for username in result.staff_added:
        added = User.objects.get(username=username)
        assert added.clinic == empty
        assert not added.is_active
        assert not added.has_usable_password()


def test_it_refuses_a_clinic_that_already_has_records(clinics: Clinics, bundle: dict):
    reasons = refused(bundle, clinics.a)
    assert reasons == ["Riverside Vein Clinic already has clinical records; import only into an empty clinic"]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"resourceType": "Patient"}, "not a FHIR Bundle"),
        ([], "not a FHIR Bundle"),
        ({"resourceType": "Bundle", "type": "collection"}, "the Bundle has no entries"),
        ({"resourceType": "Bundle", "type": "no-such-type", "entry": []}, "Bundle.type"),
    ],
)
def test_it_refuses_what_is_not_a_bundle_of_entries(empty: Clinic, document: object, reason: str):
    assert any(reason in r for r in refused(document, empty))


def test_it_refuses_a_bundle_of_another_type(bundle: dict, empty: Clinic):
    bundle["type"] = "transaction"
    assert any("Bundle.type is 'transaction'" in r for r in refused(bundle, empty))


def test_it_refuses_resources_that_are_not_valid_fhir_naming_the_element(bundle: dict, empty: Clinic):
    weight = entries(bundle, "Observation")[0]
    weight["valueQuantity"]["value"] = "heavy"
    encounter = entries(bundle, "Encounter")[0]
    del encounter["status"]
    reasons = refused(bundle, empty)
    assert any(f"Observation/{weight['id']}: valueQuantity.value" in r for r in reasons)
    assert any(f"Encounter/{encounter['id']}" in r and "status" in r for r in reasons)


def test_it_refuses_foreign_codes_profiles_and_extensions_naming_each(bundle: dict, empty: Clinic):
    finding = entries(bundle, "Condition")[0]
    finding["code"]["coding"].append({"system": "http://snomed.info/sct", "code": "128060009"})
    entries(bundle, "Patient")[0]["meta"] = {"profile": ["http://example.org/StructureDefinition/Patient"]}
    entries(bundle, "Encounter")[0]["extension"] = [{"url": "http://example.org/x", "valueString": "y"}]
    reasons = refused(bundle, empty)
    assert any("unknown code system http://snomed.info/sct" in r for r in reasons)
    assert any("not exported by ScleroPath" in r for r in reasons)
    assert any("unknown extension http://example.org/x" in r for r in reasons)


def test_it_refuses_a_reference_to_a_resource_missing_from_the_bundle(bundle: dict, empty: Clinic):
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Medication"]
    reasons = refused(bundle, empty)
    assert any("refers to Medication/lot-" in r and "not in the bundle" in r for r in reasons)


def test_a_late_resource_missing_a_required_part_leaves_nothing_half_imported(bundle: dict, empty: Clinic):
    injection = entries(bundle, "MedicationAdministration")[0]
    del injection["extension"]
    reasons = refused(bundle, empty)
    assert reasons == [
        f"MedicationAdministration/{injection['id']}: extension {codes.ext('injection')} is missing"
    ]


def test_it_refuses_a_resource_of_a_kind_we_never_export(bundle: dict, empty: Clinic):
    other = copy.deepcopy(entries(bundle, "Observation")[0])
    other["id"] = "other-1"
    other["code"] = {"coding": [{"system": codes.OBSERVATION, "code": "blood-pressure"}]}
    bundle["entry"].append({"resource": other})
    assert "Observation/other-1: not a kind of resource ScleroPath exports" in refused(bundle, empty)


def test_the_command_lists_the_reasons_and_fails(bundle: dict, empty: Clinic, tmp_path: Path):
    bundle["type"] = "transaction"
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_fhir", str(path), clinic=empty.slug, stderr=err)
    assert "Bundle.type is 'transaction'" in err.getvalue()
    assert not Patient.objects.filter(clinic=empty).exists()


def test_the_command_imports_a_bundle_file(bundle: dict, empty: Clinic, tmp_path: Path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    out = io.StringIO()
    call_command("import_fhir", str(path), clinic=str(empty.pk), stdout=out)
    assert "Patient\t1" in out.getvalue()
    assert Patient.objects.filter(clinic=empty).count() == 1


def test_voided_records_are_left_out_and_what_still_points_at_them_imports(
    clinics: Clinics, treated: Pathway, empty: Clinic
):
    treated.spider.void(clinics.alice, "Charted on the wrong leg")
    treated.lot.void(clinics.mark, "Entered twice")
    bundle = exported(treated.patient)
    text = json.dumps(bundle)
    assert f"Condition/finding-{treated.spider.pk}" not in text
    assert f"Medication/lot-{treated.lot.pk}" in text  # the lot that was given, voided since
    injection = entries(bundle, "MedicationAdministration")[0]
    assert "reasonReference" not in injection
    result = import_bundle(bundle, empty)
    assert normalise(exported(Patient.objects.get(pk=result.patients[0]))) == normalise(bundle)
