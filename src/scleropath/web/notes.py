"""The Notes section of the assessment, session and follow-up pages (``web/_notes.html``): what the
include needs, built by one call in each page's view, and shared by the notes views that answer its
forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action, can
from scleropath.followup.models import ClinicalNote
from scleropath.followup.services import NoteParent, may_void_note

from .forms import NoteForm, VoidNoteForm

# Each kind of parent by its model name: the note's field for it, its page, the notes view that
# answers its form, and what the page calls it.
_KINDS = {
    "assessment": ("assessment", "web:assessment", "web:assessment_notes", "assessment"),
    "treatmentsession": ("session", "web:session", "web:session_notes", "treatment session"),
    "followup": ("follow_up", "web:follow_up", "web:follow_up_notes", "follow-up"),
}


@dataclass(frozen=True)
class NoteRow:
    note: ClinicalNote
    may_void: bool
    void_form: VoidNoteForm | None = None  # bound, with its errors, after a refused void


@dataclass
class NotesSection:
    """Everything ``web/_notes.html`` shows: the notes (voided ones only for those who may void
    records, struck through with the reason), the form to add one, and where each form posts."""

    parent: Any
    rows: list[NoteRow]
    form: NoteForm | None
    add_url: str
    page_url: str
    parent_name: str
    errors: list[str]  # a refused void of a note that no longer offers its form (voided meanwhile)


def parent_urls(parent: NoteParent) -> tuple[str, str]:
    """The parent's page and the URL its notes are added at."""
    _, page_name, notes_name, _ = _KINDS[parent._meta.model_name or ""]
    return reverse(page_name, args=[parent.pk]), reverse(notes_name, args=[parent.pk])


def notes_section(
    user: User,
    parent: NoteParent,
    form: NoteForm | None = None,
    failed_void: tuple[int, VoidNoteForm] | None = None,
) -> NotesSection:
    """The Notes section of ``parent``'s page for ``user``: one query for the notes, whatever their
    number. ``form`` is the add form as typed (a fresh one if None); ``failed_void`` is a note's
    void form with its errors."""
    fk, _, _, name = _KINDS[parent._meta.model_name or ""]
    may_see_voided = can(user, Action.VOID)
    notes = ClinicalNote.objects.filter(**{fk: parent}).select_related("author", "voided_by")
    if not may_see_voided:
        notes = notes.active()
    rows = [
        NoteRow(
            n,
            not n.is_voided and may_void_note(user, n),
            failed_void[1] if failed_void and failed_void[0] == n.pk else None,
        )
        for n in notes.order_by("written_at", "pk")
    ]
    errors: list[str] = []
    if failed_void and not any(r.void_form for r in rows if r.may_void):
        errors = [str(m) for messages in failed_void[1].errors.values() for m in messages]
    may_write = can(user, Action.WRITE_NOTE) and not parent.is_voided
    page_url, add_url = parent_urls(parent)
    return NotesSection(
        parent,
        rows,
        (form or NoteForm()) if may_write else None,
        add_url,
        page_url,
        name,
        errors,
    )
