"""Clinical notes: on exactly one assessment, session or follow-up; written by clinical staff only;
voided with a reason (by their author or whoever may void records), never deleted; stale voids
refused; every write audited with its actor."""

from __future__ import annotations

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.core.models import RecordError, RecordsAreNeverDeleted, StaleWrite
from scleropath.followup.models import NOTE_MAX_CHARS, ClinicalNote, FollowUp
from scleropath.followup.services import add_note, may_void_note, void_note
from tests.pathway import Clinics, Pathway


def entries(obj, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk), action=action
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("alice", True), ("nora", True), ("rita", False), ("mark", False), ("bob", True)],
)
def test_clinicians_and_nurses_may_write_notes_reception_and_managers_may_not(
    clinics: Clinics, persona: str, allowed: bool
):
    assert can(getattr(clinics, persona), Action.WRITE_NOTE) is allowed


@pytest.mark.parametrize("persona", ["rita", "mark"])
def test_reception_and_managers_are_refused_a_note(clinics: Clinics, pathway: Pathway, persona: str):
    with pytest.raises(PermissionDenied):
        add_note(getattr(clinics, persona), pathway.assessment, "Seen.")
    assert not ClinicalNote.objects.exists()


def test_a_note_on_each_kind_of_record_names_its_parent_patient_and_author(
    clinics: Clinics, treated: Pathway
):
    follow_up = FollowUp.objects.filter(patient=treated.patient).order_by("pk")[0]
    on_assessment = add_note(clinics.alice, treated.assessment, "  Mild oedema both ankles.\n")
    on_session = add_note(clinics.nora, treated.session, "Tolerated well.")
    on_visit = add_note(clinics.nora, follow_up, "Bruising settling.")
    assert on_assessment.text == "Mild oedema both ankles."
    assert (on_assessment.parent, on_session.parent, on_visit.parent) == (
        treated.assessment,
        treated.session,
        follow_up,
    )
    assert {n.patient_id for n in (on_assessment, on_session, on_visit)} == {treated.patient.pk}
    assert (on_assessment.author, on_session.author) == (clinics.alice, clinics.nora)
    assert on_session.clinic_id == clinics.a.pk


def test_the_database_refuses_a_note_with_no_parent_or_two(clinics: Clinics, pathway: Pathway):
    base = {
        "clinic": clinics.a,
        "patient": pathway.patient,
        "author": clinics.alice,
        "text": "Orphan",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicalNote.objects.create(**base)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicalNote.objects.create(**base, assessment=pathway.assessment, session=pathway.session)


@pytest.mark.parametrize("text", ["", "   \n  ", "x" * (NOTE_MAX_CHARS + 1)])
def test_blank_or_too_long_text_is_refused_naming_the_field(clinics: Clinics, pathway: Pathway, text: str):
    with pytest.raises(ValidationError) as refused:
        add_note(clinics.alice, pathway.assessment, text)
    assert list(refused.value.message_dict) == ["text"]
    assert not ClinicalNote.objects.exists()


def test_a_note_on_another_clinics_record_is_refused(clinics: Clinics, pathway: Pathway):
    with pytest.raises(RecordError):
        add_note(clinics.bob, pathway.assessment, "Not mine.")
    note = add_note(clinics.alice, pathway.assessment, "Mine.")
    with pytest.raises(Http404):
        get_for_user(clinics.bob, ClinicalNote, note.pk)


def test_a_note_cannot_be_added_to_a_voided_record(clinics: Clinics, pathway: Pathway):
    pathway.assessment.void(clinics.alice, "Wrong patient")
    with pytest.raises(RecordError, match="void"):
        add_note(clinics.alice, pathway.assessment, "Late note.")


def test_voiding_keeps_the_note_with_its_reason_and_it_leaves_the_live_records(
    clinics: Clinics, pathway: Pathway
):
    note = add_note(clinics.nora, pathway.session, "Wrong patient's note.")
    void_note(clinics.alice, note, "Written on the wrong record", note.version)
    note.refresh_from_db()
    assert note.is_voided and note.voided_by == clinics.alice
    assert note.void_reason == "Written on the wrong record"
    assert note.version == 2
    assert not ClinicalNote.objects.restrict(clinics.alice).filter(pk=note.pk).exists()
    with pytest.raises(RecordsAreNeverDeleted):
        note.delete()
    with pytest.raises(RecordError, match="already void"):
        void_note(clinics.alice, note, "Again", note.version)


def test_voiding_needs_a_reason(clinics: Clinics, pathway: Pathway):
    note = add_note(clinics.alice, pathway.assessment, "Seen.")
    with pytest.raises(ValidationError) as refused:
        void_note(clinics.alice, note, "  ", note.version)
    assert list(refused.value.message_dict) == ["reason"]
    note.refresh_from_db()
    assert not note.is_voided


def test_a_stale_void_is_refused(clinics: Clinics, pathway: Pathway):
    note = add_note(clinics.alice, pathway.assessment, "Seen.")
    with pytest.raises(StaleWrite):
        void_note(clinics.alice, note, "Duplicate", note.version + 1)
    note.refresh_from_db()
    assert not note.is_voided


def test_a_nurse_may_void_her_own_note_but_not_a_clinicians(clinics: Clinics, pathway: Pathway):
    hers = add_note(clinics.nora, pathway.session, "Typo-ridden note.")
    alices = add_note(clinics.alice, pathway.session, "Clinician's note.")
    assert may_void_note(clinics.nora, hers) and not may_void_note(clinics.nora, alices)
    assert may_void_note(clinics.alice, hers)
    with pytest.raises(PermissionDenied):
        void_note(clinics.nora, alices, "Not hers", alices.version)
    void_note(clinics.nora, hers, "Rewritten below", hers.version)
    assert ClinicalNote.objects.get(pk=hers.pk).is_voided


def test_writing_and_voiding_a_note_are_audited_with_the_actor(clinics: Clinics, pathway: Pathway):
    with set_actor(clinics.nora):
        note = add_note(clinics.nora, pathway.session, "Tolerated well.")
    with set_actor(clinics.alice):
        void_note(clinics.alice, note, "Duplicate", note.version)
        get_for_user(clinics.alice, ClinicalNote, note.pk)
    assert entries(note, LogEntry.Action.CREATE).get().actor == clinics.nora
    voided = entries(note, LogEntry.Action.UPDATE).get()
    assert voided.actor == clinics.alice
    assert "void_reason" in voided.changes_dict
    assert entries(note, LogEntry.Action.ACCESS).get().actor == clinics.alice
