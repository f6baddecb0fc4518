"""Clinical notes in FHIR: a session's on its Procedure's ``note``, an assessment's and a follow-up
visit's on a ClinicalImpression (R4's Encounter and Appointment have no ``note``), each an
Annotation with its author and time; voided notes left out; every resource valid in both libraries;
imported back with their authors and times."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fhirclient.models import clinicalimpression, procedure  # type: ignore[import-untyped]

from scleropath.accounts.models import Clinic
from scleropath.fhir.export import patient_bundle
from scleropath.fhir.importer import import_bundle
from scleropath.fhir.resources import problems
from scleropath.followup.models import ClinicalNote, FollowUp
from scleropath.followup.services import add_note, void_note
from scleropath.patients.models import Patient
from tests.fhir.normalise import normalise
from tests.pathway import Clinics, Pathway

WRITTEN = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)


def exported(patient: Patient) -> dict:
    return json.loads(json.dumps(patient_bundle(patient, "https://clinic.example")))


def resources(bundle: dict, resource_type: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


def with_notes(clinics: Clinics, treated: Pathway) -> FollowUp:
    follow_up = FollowUp.objects.filter(patient=treated.patient).order_by("pk")[0]
    treated.session.notes = "Session's own note"
    treated.session.save()
    add_note(clinics.alice, treated.assessment, "Keen to treat the thighs first.", at=WRITTEN)
    add_note(clinics.nora, treated.session, "Tolerated well.", at=WRITTEN)
    add_note(clinics.nora, follow_up, "Bruising fading.\nStockings worn.", at=WRITTEN)
    gone = add_note(clinics.alice, treated.session, "Entered on the wrong patient.", at=WRITTEN)
    void_note(clinics.alice, gone, "Wrong patient", gone.version)
    return follow_up


def test_a_sessions_notes_are_annotations_on_its_procedure_after_its_own_note(
    clinics: Clinics, treated: Pathway
):
    with_notes(clinics, treated)
    (proc,) = resources(exported(treated.patient), "Procedure")
    assert proc["note"] == [
        {"text": "Session's own note"},
        {
            "authorReference": {"reference": f"Practitioner/staff-{clinics.nora.pk}"},
            "time": "2026-05-04T10:30:00+00:00",
            "text": "Tolerated well.",
        },
    ]
    assert problems(proc) == []
    procedure.Procedure(proc, strict=True)


def test_an_assessments_and_a_visits_notes_are_on_clinical_impressions_pointing_at_them(
    clinics: Clinics, treated: Pathway
):
    follow_up = with_notes(clinics, treated)
    bundle = exported(treated.patient)
    impressions = {r["id"]: r for r in resources(bundle, "ClinicalImpression")}
    on_assessment = impressions[f"assessment-{treated.assessment.pk}"]
    on_visit = impressions[f"followup-{follow_up.pk}"]
    assert on_assessment["encounter"] == {"reference": f"Encounter/assessment-{treated.assessment.pk}"}
    assert [n["text"] for n in on_assessment["note"]] == ["Keen to treat the thighs first."]
    assert on_assessment["note"][0]["authorReference"] == {
        "reference": f"Practitioner/staff-{clinics.alice.pk}"
    }
    assert on_visit["supportingInfo"] == [{"reference": f"Appointment/followup-{follow_up.pk}"}]
    assert on_visit["note"][0]["text"] == "Bruising fading.\nStockings worn."
    staff = {r["id"] for r in resources(bundle, "Practitioner")}
    assert f"staff-{clinics.nora.pk}" in staff  # the notes' authors are in the bundle
    for r in impressions.values():
        assert problems(r) == []
        clinicalimpression.ClinicalImpression(r, strict=True)


def test_voided_notes_are_not_exported_nor_an_impression_with_only_voided_notes(
    clinics: Clinics, treated: Pathway
):
    with_notes(clinics, treated)
    only = add_note(clinics.alice, treated.assessment, "Second thoughts.", at=WRITTEN)
    for note in ClinicalNote.objects.filter(assessment=treated.assessment):
        void_note(clinics.alice, note, "Duplicate", note.version)
    text = json.dumps(exported(treated.patient))
    assert "Entered on the wrong patient." not in text
    assert only.text not in text
    assert f"ClinicalImpression/assessment-{treated.assessment.pk}" not in text
    assert '"ClinicalImpression"' in text  # the visit's still is


def test_notes_import_back_with_their_parents_authors_and_times(clinics: Clinics, treated: Pathway):
    with_notes(clinics, treated)
    before = exported(treated.patient)
    empty = Clinic.objects.create(name="New Street Clinic", slug="new-street", screening_valid_days=90)
    result = import_bundle(before, empty)
    assert result.counts["ClinicalNote"] == 3
    copied = ClinicalNote.objects.filter(clinic=empty)
    assert {(n.text, n.written_at, n.author.display_name) for n in copied} == {
        ("Keen to treat the thighs first.", WRITTEN, clinics.alice.display_name),
        ("Tolerated well.", WRITTEN, clinics.nora.display_name),
        ("Bruising fading.\nStockings worn.", WRITTEN, clinics.nora.display_name),
    }
    session_note = copied.get(text="Tolerated well.")
    assert session_note.session.notes == "Session's own note"
    assert copied.get(text__startswith="Bruising").follow_up.purpose
    after = exported(Patient.objects.get(pk=result.patients[0]))
    assert normalise(after) == normalise(before)
