"""Clinical notes as FHIR R4 ``Annotation``s on the resource that stands for the record they were
written on, and read back.

R4 has a ``note`` element on ``Procedure`` but none on ``Encounter`` or ``Appointment``. So a
session's notes go on its Procedure's ``note`` (beside the session's own notes, the one annotation
with no author), and the notes of an assessment (an Encounter) or a follow-up visit (an
Appointment) go on a ``ClinicalImpression``, R4's record of a clinical assessment, which points at
the assessment's Encounter (``encounter``) or the visit's Appointment (``supportingInfo``). One
ClinicalImpression per assessment or visit with live notes; voided notes are not exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scleropath.assessments.models import Assessment
from scleropath.followup.models import ClinicalNote, FollowUp
from scleropath.treatment.models import TreatmentSession

from .common import Bad, Records, Resource, get, instant, ref, resource, rid, when


def annotation(n: ClinicalNote) -> dict[str, Any]:
    return {
        "authorReference": ref("Practitioner", "staff", n.author_id),
        "time": instant(n.written_at),
        "text": n.text,
    }


def as_annotations(notes: Iterable[ClinicalNote]) -> list[dict[str, Any]]:
    return [annotation(n) for n in notes]


def is_clinical_note(a: Any) -> bool:
    """A note written by someone (ours always name their author), as opposed to the record's own
    notes field, which is exported as an annotation without an author."""
    return isinstance(a, dict) and "authorReference" in a


def assessment_impression(a: Assessment, notes: list[ClinicalNote]) -> dict[str, Any]:
    return resource(
        "ClinicalImpression",
        rid("assessment", a.pk),
        status="completed",
        description="Notes on the vein assessment",
        subject=ref("Patient", "patient", a.patient_id),
        encounter=ref("Encounter", "assessment", a.pk),
        note=as_annotations(notes),
    )


def follow_up_impression(f: FollowUp, notes: list[ClinicalNote]) -> dict[str, Any]:
    return resource(
        "ClinicalImpression",
        rid("followup", f.pk),
        status="completed",
        description=f"Notes on the follow-up: {f.purpose}" if f.purpose else "Notes on the follow-up",
        subject=ref("Patient", "patient", f.patient_id),
        supportingInfo=[ref("Appointment", "followup", f.pk)],
        note=as_annotations(notes),
    )


def read_notes(r: Resource, records: Records, parent: Assessment | TreatmentSession | FollowUp) -> None:
    """Each authored annotation of ``r`` as a note on ``parent``."""
    field = {Assessment: "assessment", TreatmentSession: "session", FollowUp: "follow_up"}[type(parent)]
    for n, a in enumerate(r.get("note", [])):
        if not is_clinical_note(a):
            continue
        note = ClinicalNote(
            patient_id=parent.patient_id,
            author=records.obj(a.get("authorReference"), f"note[{n}].authorReference"),
            written_at=when(get(a, "time"), f"note[{n}].time"),
            text=a.get("text", ""),
            **{field: parent},
        )
        records.save_part(note)


def read_impression(r: Resource, records: Records) -> None:
    """The notes of the assessment (``encounter``) or follow-up visit (``supportingInfo``)."""
    if r.get("encounter") is not None:
        parent = records.obj(r.get("encounter"), "encounter")
    else:
        parent = records.obj((r.get("supportingInfo") or [None])[0], "supportingInfo")
    if not isinstance(parent, Assessment | FollowUp):
        raise Bad("a ClinicalImpression must refer to an assessment Encounter or a follow-up Appointment")
    read_notes(r, records, parent)
