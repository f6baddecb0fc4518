"""Clinical notes on an assessment, a session or a follow-up visit: added and voided from the Notes
section of those pages. With htmx the section is swapped in place; without it a note that saves
goes back to its page, and one refused shows the notes page with the error and what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from scleropath.accounts.access import get_for_user
from scleropath.assessments.models import Assessment
from scleropath.core.models import RecordError
from scleropath.followup.models import ClinicalNote, FollowUp
from scleropath.followup.services import NoteParent, add_note, void_note
from scleropath.treatment.models import TreatmentSession

from ..forms import NoteForm, VoidNoteForm
from ..notes import notes_section
from ..shortcuts import add_service_errors, staff


@login_required
def assessment_notes(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _notes(request, get_for_user(staff(request), Assessment, assessment_id))


@login_required
def session_notes(request: HttpRequest, session_id: int) -> HttpResponse:
    return _notes(request, get_for_user(staff(request), TreatmentSession, session_id))


@login_required
def follow_up_notes(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    return _notes(request, get_for_user(staff(request), FollowUp, follow_up_id))


def _notes(request: HttpRequest, parent: NoteParent) -> HttpResponse:
    """GET: the notes page (the section on its own); POST: add a note."""
    user = staff(request)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_note(user, parent, form.cleaned_data["text"])
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            if getattr(request, "htmx", False):
                return _section(request, parent)
            messages.success(request, "Note added.")
            section = notes_section(user, parent)
            return redirect(section.page_url + "#notes")
    return _section(request, parent, form=form, failed=bool(form.errors))


@login_required
@require_POST
def note_void(request: HttpRequest, note_id: int) -> HttpResponse:
    user = staff(request)
    note = get_for_user(user, ClinicalNote, note_id)
    parent = note.parent
    form = VoidNoteForm(request.POST)
    if form.is_valid():
        try:
            void_note(user, note, form.cleaned_data["reason"], form.cleaned_data["version"])
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            if getattr(request, "htmx", False):
                return _section(request, parent)
            messages.success(request, "Note voided; it stays in the record with your reason.")
            return redirect(notes_section(user, parent).page_url + "#notes")
    return _section(request, parent, failed_void=(note.pk, form), failed=True)


def _section(request: HttpRequest, parent: NoteParent, failed: bool = False, **kw: Any) -> HttpResponse:
    """The Notes section alone for htmx (200 even when refused, so htmx swaps the errors in), else
    the notes page, 400 when refused."""
    section = notes_section(staff(request), parent, **kw)
    context = {"notes": section, "patient": parent.patient, "parent": parent}
    if getattr(request, "htmx", False):
        return render(request, "web/_notes.html", context)
    return render(request, "web/notes.html", context, status=400 if failed else 200)
