"""Clinical notes on an assessment, a session or a follow-up visit: listed, read, written and voided
through the same services as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action
from scleropath.assessments.models import Assessment
from scleropath.followup.models import ClinicalNote, FollowUp
from scleropath.followup.services import add_note, void_note
from scleropath.treatment.models import TreatmentSession

from .auth import caller
from .listing import ListQuery, listed
from .schemas import ERRORS, WRITE_ERRORS, Id, InputSchema, NoteText, Page, Reason

router = Router(tags=["notes"])


class NoteOut(Schema):
    id: int
    patient_id: int
    assessment_id: int | None = Field(description="Set when the note is on an assessment.")
    session_id: int | None = Field(description="Set when the note is on a treatment session.")
    follow_up_id: int | None = Field(description="Set when the note is on a follow-up visit.")
    author_id: int
    written_at: datetime
    text: str
    version: int = Field(description="Changes on every write; a stale void is refused.")
    created_at: datetime
    voided_at: datetime | None
    void_reason: str


class NoteIn(InputSchema):
    text: NoteText = Field(
        description="The note; blank space around it is dropped, and a blank note is refused."
    )


class VoidIn(InputSchema):
    reason: Reason
    version: int = Field(
        ge=1, le=2**31 - 1, description="The note's version as read; a stale one is refused."
    )


@router.get("/notes", response={200: Page[NoteOut], **ERRORS}, summary="List clinical notes")
def list_notes(
    request: HttpRequest,
    query: Query[ListQuery],
    patient: Id | None = None,
    assessment: Id | None = None,
    session: Id | None = None,
    follow_up: Id | None = None,
) -> Any:
    """Live notes, oldest first; the date range is the day written."""
    return listed(
        request,
        ClinicalNote,
        query,
        by="written_at",
        order=("written_at", "id"),
        patient_id=patient,
        assessment_id=assessment,
        session_id=session,
        follow_up_id=follow_up,
    )


@router.get("/notes/{note_id}", response={200: NoteOut, **ERRORS}, summary="One clinical note")
def get_note(request: HttpRequest, note_id: Id) -> Any:
    return get_for_user(caller(request), ClinicalNote, note_id)


@router.post(
    "/assessments/{assessment_id}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Write a note on an assessment",
)
def post_assessment_note(request: HttpRequest, body: NoteIn, assessment_id: Id) -> Any:
    user = caller(request)
    parent = get_for_user(user, Assessment, assessment_id, Action.WRITE_NOTE)
    return Status(201, add_note(user, parent, body.text))


@router.post(
    "/sessions/{session_id}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Write a note on a treatment session",
)
def post_session_note(request: HttpRequest, body: NoteIn, session_id: Id) -> Any:
    user = caller(request)
    parent = get_for_user(user, TreatmentSession, session_id, Action.WRITE_NOTE)
    return Status(201, add_note(user, parent, body.text))


@router.post(
    "/follow-ups/{follow_up_id}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Write a note on a follow-up visit",
)
def post_follow_up_note(request: HttpRequest, body: NoteIn, follow_up_id: Id) -> Any:
    user = caller(request)
    parent = get_for_user(user, FollowUp, follow_up_id, Action.WRITE_NOTE)
    return Status(201, add_note(user, parent, body.text))


@router.post("/notes/{note_id}/void", response={200: NoteOut, **WRITE_ERRORS}, summary="Void a clinical note")
def post_void_note(request: HttpRequest, body: VoidIn, note_id: Id) -> Any:
    """Its author, or anyone who may void records, with a reason; the note stays, voided."""
    user = caller(request)
    note = get_for_user(user, ClinicalNote, note_id)
    return void_note(user, note, body.reason, body.version)
