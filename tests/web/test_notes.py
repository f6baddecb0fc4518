"""The Notes section of the assessment, session and follow-up pages: adding a note with and without
htmx, bad input refused with the text kept, voiding with a reason, who sees voided notes, and
notes on the chart's timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scleropath.followup.models import NOTE_MAX_CHARS, ClinicalNote, FollowUp
from scleropath.followup.services import add_note, void_note
from tests.pathway import Clinics, Pathway


def parents(p: Pathway) -> dict[str, tuple[str, str, Any]]:
    """Each kind of parent: its page, its notes URL, the record."""
    follow_up = FollowUp.objects.filter(patient=p.patient).first()
    return {
        "assessment": (
            reverse("web:assessment", args=[p.assessment.pk]),
            reverse("web:assessment_notes", args=[p.assessment.pk]),
            p.assessment,
        ),
        "session": (
            reverse("web:session", args=[p.session.pk]),
            reverse("web:session_notes", args=[p.session.pk]),
            p.session,
        ),
        "follow_up": (
            reverse("web:follow_up", args=[follow_up.pk]),
            reverse("web:follow_up_notes", args=[follow_up.pk]),
            follow_up,
        ),
    }


@pytest.mark.parametrize("kind", ["assessment", "session", "follow_up"])
def test_a_note_added_without_scripts_goes_back_to_its_page_which_shows_it(
    client: Client, clinics: Clinics, treated: Pathway, kind: str
):
    page_url, notes_url, parent = parents(treated)[kind]
    client.force_login(clinics.nora)
    response = client.post(notes_url, {"text": "Legs elevated\nsecond line"})
    assert response.status_code == 302
    assert response["Location"] == page_url + "#notes"
    note = ClinicalNote.objects.get()
    assert note.parent == parent and note.author == clinics.nora
    page = client.get(page_url).content.decode()
    assert 'id="notes"' in page
    assert "Legs elevated<br>second line" in page
    assert "Nora" in page


def test_with_htmx_the_section_comes_back_with_the_new_note_and_an_empty_form(
    client: Client, clinics: Clinics, treated: Pathway
):
    _, notes_url, _ = parents(treated)["session"]
    client.force_login(clinics.alice)
    response = client.post(notes_url, {"text": "Tolerated well."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="notes"' in html and "Tolerated well." in html
    assert '<textarea name="text"' in html and "Tolerated well.</textarea>" not in html


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Write the note before saving it."), ("y" * (NOTE_MAX_CHARS + 1), "at most 5000 characters")],
)
def test_a_blank_or_too_long_note_is_refused_on_the_field_and_what_was_typed_is_kept(
    client: Client, clinics: Clinics, treated: Pathway, text: str, message: str
):
    _, notes_url, _ = parents(treated)["assessment"]
    client.force_login(clinics.alice)
    response = client.post(notes_url, {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="id_text-errors"' in html
    if text.strip():
        assert text in html  # the textarea keeps what was typed
    assert not ClinicalNote.objects.exists()
    htmx = client.post(notes_url, {"text": text}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and message in htmx.content.decode()


def test_reception_and_managers_cannot_write_notes_and_are_not_offered_the_form(
    client: Client, clinics: Clinics, treated: Pathway
):
    page_url, notes_url, _ = parents(treated)["assessment"]
    client.force_login(clinics.mark)
    assert 'action="' + notes_url not in client.get(page_url).content.decode()
    assert client.post(notes_url, {"text": "Manager note"}).status_code == 403
    client.force_login(clinics.rita)
    assert client.post(notes_url, {"text": "Reception note"}).status_code == 403
    assert not ClinicalNote.objects.exists()


def test_another_clinic_gets_404_for_the_notes_and_the_void(
    client: Client, clinics: Clinics, treated: Pathway
):
    note = add_note(clinics.alice, treated.assessment, "Seen.")
    _, notes_url, _ = parents(treated)["assessment"]
    client.force_login(clinics.bob)
    assert client.post(notes_url, {"text": "Intruder"}).status_code == 404
    void_url = reverse("web:note_void", args=[note.pk])
    assert client.post(void_url, {"reason": "x", "version": note.version}).status_code == 404
    assert ClinicalNote.objects.get().voided_at is None


def test_voiding_a_note_strikes_it_through_with_the_reason_for_a_clinician_and_hides_it_from_a_nurse(
    client: Client, clinics: Clinics, treated: Pathway
):
    page_url, _, parent = parents(treated)["session"]
    note = add_note(clinics.alice, parent, "Wrong leg recorded.")
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:note_void", args=[note.pk]), {"reason": "Entered in error", "version": note.version}
    )
    assert response.status_code == 302 and response["Location"] == page_url + "#notes"
    html = client.get(page_url).content.decode()
    assert "<del>Wrong leg recorded.</del>" in html and "Entered in error" in html
    client.force_login(clinics.nora)
    assert "Wrong leg recorded." not in client.get(page_url).content.decode()


def test_a_void_without_a_reason_is_refused_next_to_the_note(
    client: Client, clinics: Clinics, treated: Pathway
):
    note = add_note(clinics.alice, treated.assessment, "Seen.")
    client.force_login(clinics.alice)
    url = reverse("web:note_void", args=[note.pk])
    response = client.post(url, {"reason": " ", "version": note.version})
    assert response.status_code == 400
    assert "Give a reason for voiding the note." in response.content.decode()
    htmx = client.post(url, {"reason": "", "version": note.version}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "Give a reason for voiding the note." in htmx.content.decode()
    assert ClinicalNote.objects.get().voided_at is None


def test_a_void_of_a_note_changed_since_is_refused(client: Client, clinics: Clinics, treated: Pathway):
    note = add_note(clinics.alice, treated.assessment, "Seen.")
    client.force_login(clinics.alice)
    url = reverse("web:note_void", args=[note.pk])
    stale = client.post(url, {"reason": "Duplicate", "version": note.version + 1})
    assert stale.status_code == 400 and "changed by someone else" in stale.content.decode()
    garbled = client.post(url, {"reason": "Duplicate", "version": "two"})
    assert garbled.status_code == 400 and "reload the page" in garbled.content.decode()
    assert ClinicalNote.objects.get().voided_at is None


def test_a_nurse_is_offered_the_void_of_her_own_note_only(client: Client, clinics: Clinics, treated: Pathway):
    page_url, _, parent = parents(treated)["session"]
    hers = add_note(clinics.nora, parent, "Nurse's note.")
    alices = add_note(clinics.alice, parent, "Clinician's note.")
    client.force_login(clinics.nora)
    html = client.get(page_url).content.decode()
    assert reverse("web:note_void", args=[hers.pk]) in html
    assert reverse("web:note_void", args=[alices.pk]) not in html
    response = client.post(
        reverse("web:note_void", args=[alices.pk]), {"reason": "Not hers", "version": alices.version}
    )
    assert response.status_code == 403


def test_the_timeline_shows_each_live_note_with_its_author_and_first_line(
    client: Client, clinics: Clinics, treated: Pathway
):
    add_note(clinics.nora, treated.session, "\nBruising at L1, settling.\nReview in 2 weeks.")
    gone = add_note(clinics.alice, treated.assessment, "Voided note.")
    void_note(clinics.alice, gone, "Duplicate", gone.version)
    client.force_login(clinics.alice)
    html = client.get(reverse("web:chart", args=[treated.patient.pk])).content.decode()
    assert ">Note</a>" in html
    assert "Nora: Bruising at L1, settling." in html
    assert "Review in 2 weeks" not in html
    assert "Voided note." not in html
    assert reverse("web:session", args=[treated.session.pk]) + "#notes" in html


def test_notes_add_no_queries_per_note_to_the_chart_or_the_page(
    client: Client, clinics: Clinics, treated: Pathway
):
    client.force_login(clinics.alice)
    chart = reverse("web:chart", args=[treated.patient.pk])
    page = reverse("web:session", args=[treated.session.pk])
    add_note(clinics.alice, treated.session, "First.")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = (queries(chart), queries(page))
    for n in range(4):
        add_note(clinics.nora, treated.session, f"Note {n}.")
    assert (queries(chart), queries(page)) == few


def test_voiding_a_note_twice_says_it_is_already_void(client: Client, clinics: Clinics, treated: Pathway):
    note = add_note(clinics.alice, treated.assessment, "Seen.")
    client.force_login(clinics.alice)
    url = reverse("web:note_void", args=[note.pk])
    assert client.post(url, {"reason": "Duplicate", "version": note.version}).status_code == 302
    again = client.post(url, {"reason": "Duplicate", "version": note.version})
    assert again.status_code == 400 and "This note is already void." in again.content.decode()
