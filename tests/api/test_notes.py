"""Clinical notes through the JSON API: written on each kind of parent, listed and filtered, bad text
a 422 naming the field, writes refused to roles that may not write notes, voided with a reason and
version, other clinics' notes not found, every read and write audited under the token's owner."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from scleropath.followup.models import NOTE_MAX_CHARS, ClinicalNote, FollowUp
from scleropath.followup.services import add_note
from tests.api.conftest import fields
from tests.pathway import Clinics, Pathway


def entries(obj, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk), action=action
    )


def test_a_note_on_each_parent_is_created_and_listed_by_parent(api, clinics: Clinics, treated: Pathway):
    follow_up = FollowUp.objects.filter(patient=treated.patient).order_by("pk")[0]
    nora = api("nora")
    made = {
        "assessment": nora.post(f"assessments/{treated.assessment.pk}/notes", {"text": "Ankle oedema."}),
        "session": nora.post(f"sessions/{treated.session.pk}/notes", {"text": "  Tolerated well.  "}),
        "follow_up": nora.post(f"follow-ups/{follow_up.pk}/notes", {"text": "Bruising settling."}),
    }
    assert {k: r.status_code for k, r in made.items()} == dict.fromkeys(made, 201)
    body = made["session"].json()
    assert body["text"] == "Tolerated well."
    assert (body["session_id"], body["assessment_id"], body["author_id"]) == (
        treated.session.pk,
        None,
        clinics.nora.pk,
    )
    listed = nora.get("notes", patient=treated.patient.pk).json()
    assert [n["text"] for n in listed["items"]] == ["Ankle oedema.", "Tolerated well.", "Bruising settling."]
    only = nora.get("notes", follow_up=follow_up.pk).json()
    assert [n["text"] for n in only["items"]] == ["Bruising settling."]


@pytest.mark.parametrize("text", ["", "   ", "z" * (NOTE_MAX_CHARS + 1), 12])
def test_blank_too_long_or_not_text_is_422_naming_the_text(api, treated: Pathway, text):
    response = api("alice").post(f"assessments/{treated.assessment.pk}/notes", {"text": text})
    assert response.status_code == 422
    assert fields(response) == ["text"]
    assert not ClinicalNote.objects.exists()


@pytest.mark.parametrize("persona", ["rita", "mark"])
def test_reception_and_managers_may_not_write_notes(api, treated: Pathway, persona: str):
    response = api(persona).post(f"sessions/{treated.session.pk}/notes", {"text": "Hello"})
    assert response.status_code == 403
    assert not ClinicalNote.objects.exists()


def test_another_clinics_notes_and_records_are_not_found(api, clinics: Clinics, treated: Pathway):
    note = add_note(clinics.alice, treated.assessment, "Seen.")
    bob = api("bob")
    assert bob.get(f"notes/{note.pk}").status_code == 404
    assert bob.get("notes").json()["count"] == 0
    assert bob.post(f"assessments/{treated.assessment.pk}/notes", {"text": "x"}).status_code == 404
    assert bob.post(f"notes/{note.pk}/void", {"reason": "x", "version": 1}).status_code == 404


def test_a_note_is_voided_with_a_reason_and_its_version_and_leaves_the_list(
    api, clinics: Clinics, treated: Pathway
):
    note = add_note(clinics.alice, treated.assessment, "Duplicate note.")
    alice = api("alice")
    stale = alice.post(f"notes/{note.pk}/void", {"reason": "Duplicate", "version": note.version + 1})
    assert stale.status_code == 409
    assert fields(alice.post(f"notes/{note.pk}/void", {"reason": "", "version": note.version})) == ["reason"]
    done = alice.post(f"notes/{note.pk}/void", {"reason": "Duplicate", "version": note.version})
    assert done.status_code == 200
    assert done.json()["void_reason"] == "Duplicate" and done.json()["voided_at"]
    assert alice.get("notes").json()["count"] == 0


def test_a_nurse_may_not_void_a_clinicians_note(api, clinics: Clinics, treated: Pathway):
    note = add_note(clinics.alice, treated.session, "Clinician's note.")
    response = api("nora").post(f"notes/{note.pk}/void", {"reason": "Mine now", "version": note.version})
    assert response.status_code == 403


def test_writing_and_reading_notes_are_audited_under_the_tokens_owner(
    api, clinics: Clinics, treated: Pathway
):
    nora = api("nora")
    created = nora.post(f"sessions/{treated.session.pk}/notes", {"text": "Tolerated well."}).json()
    note = ClinicalNote.objects.get(pk=created["id"])
    assert entries(note, LogEntry.Action.CREATE).get().actor == clinics.nora
    nora.get("notes")
    nora.get(f"notes/{note.pk}")
    reads = entries(note, LogEntry.Action.ACCESS)
    assert reads.count() == 2 and {e.actor for e in reads} == {clinics.nora}
