"""Check-ins triaged by the engine, flags for the clinic until acknowledged, drafts of adverse events."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from scleropath.checkins.models import CheckIn, Flag
from scleropath.checkins.services import acknowledge_flag, mark_missed_check_ins
from scleropath.followup.models import AdverseEvent
from tests.pathway import Clinics, Pathway

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def check_in_url(path: str, day: int, treated: Pathway) -> str:
    item = CheckIn.objects.get(session=treated.session, day=day)
    return f"{path}check-in/{item.pk}/"


def test_calf_pain_on_day_five_tells_the_patient_to_call_today_and_flags_the_clinic(
    client: Client, clinics: Clinics, treated: Pathway, link
):
    _, _, path = link
    with time_machine.travel(dt.date.today() + dt.timedelta(days=5)):
        response = client.post(check_in_url(path, 1, treated), {"symptoms": ["dvt_symptoms"]})
    page = response.content.decode()
    assert "Please call the clinic today" in page and "020 7946 0000" in page
    assert '<a href="tel:02079460000">020 7946 0000</a>' in page, "the number is a tap-to-call link"
    flag = Flag.objects.get()
    assert (flag.level, flag.kind) == ("prompt_review", "answer")
    draft = AdverseEvent.objects.get()
    assert draft.is_draft and draft.symptom == "dvt_symptoms" and draft.triage_level == "prompt_review"
    client.force_login(clinics.alice)
    assert (
        "Day 1 check-in: Suspected deep vein thrombosis" in client.get(reverse("web:today")).content.decode()
    )


def test_an_emergency_answer_tells_the_patient_to_call_999_now(client: Client, treated: Pathway, link):
    _, _, path = link
    response = client.post(check_in_url(path, 1, treated), {"symptoms": ["pe_symptoms"]})
    assert 'Call <a href="tel:999">999</a> now.' in response.content.decode()
    assert Flag.objects.get().level == "emergency"


def test_an_expected_answer_says_when_it_should_settle_and_raises_no_flag(
    client: Client, treated: Pathway, link
):
    _, _, path = link
    response = client.post(check_in_url(path, 1, treated), {"symptoms": ["bruising"]})
    page = response.content.decode()
    assert "This is expected after treatment" in page
    assert "14–28 days" in page
    assert not Flag.objects.exists() and not AdverseEvent.objects.exists()


def test_tenderness_still_there_at_day_ten_is_reviewed_not_expected(client: Client, treated: Pathway, link):
    _, _, path = link
    with time_machine.travel(dt.date.today() + dt.timedelta(days=10)):
        client.post(check_in_url(path, 7, treated), {"symptoms": ["pain_tenderness"]})
    item = CheckIn.objects.get(session=treated.session, day=7)
    assert item.worst_level == "routine_review"
    assert AdverseEvent.objects.get().is_draft


def test_a_photo_is_kept_with_the_answer_and_other_files_are_refused(
    client: Client, treated: Pathway, link, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _, _, path = link
    bad = client.post(check_in_url(path, 1, treated), {"photo": SimpleUploadedFile("x.txt", b"hello")})
    assert bad.status_code == 400
    assert "JPEG or PNG" in bad.content.decode()
    client.post(check_in_url(path, 1, treated), {"photo": SimpleUploadedFile("leg.png", PNG, "image/png")})
    assert CheckIn.objects.get(session=treated.session, day=1).photo.name.endswith(".png")


def test_a_check_in_cannot_be_answered_twice(client: Client, treated: Pathway, link):
    _, _, path = link
    url = check_in_url(path, 1, treated)
    client.post(url, {"symptoms": ["bruising"]})
    client.post(url, {"symptoms": ["anaphylaxis"]})
    assert CheckIn.objects.get(session=treated.session, day=1).answers[0]["code"] == "bruising"
    assert not Flag.objects.exists()


def test_missed_check_ins_are_flagged_once(treated: Pathway, link):
    today = dt.date.today()
    assert mark_missed_check_ins(today + dt.timedelta(days=2)) == 1
    assert mark_missed_check_ins(today + dt.timedelta(days=2)) == 0
    flag = Flag.objects.get()
    assert (flag.kind, flag.level) == ("missed", "missed")


def test_a_flag_stays_until_a_clinician_acknowledges_it_with_a_note(
    client: Client, clinics: Clinics, treated: Pathway, link
):
    mark_missed_check_ins(dt.date.today() + dt.timedelta(days=2))
    flag = Flag.objects.get()
    client.force_login(clinics.alice)
    assert "Day 1 check-in not answered" in client.get(reverse("web:today")).content.decode()
    client.post(reverse("web:flag_acknowledge", args=[flag.pk]), {"note": ""})
    flag.refresh_from_db()
    assert flag.acknowledged_at is None
    client.post(
        reverse("web:flag_acknowledge", args=[flag.pk]), {"note": "Phoned: she is well, forgot to answer"}
    )
    flag.refresh_from_db()
    assert flag.acknowledged_by == clinics.alice
    assert (
        reverse("web:flag_acknowledge", args=[flag.pk])
        not in client.get(reverse("web:today")).content.decode()
    )


def test_another_clinic_cannot_acknowledge_a_flag(client: Client, clinics: Clinics, treated: Pathway, link):
    mark_missed_check_ins(dt.date.today() + dt.timedelta(days=2))
    flag = Flag.objects.get()
    client.force_login(clinics.bob)
    assert client.post(reverse("web:flag_acknowledge", args=[flag.pk]), {"note": "x"}).status_code == 404


def test_acknowledgements_are_audited(clinics: Clinics, treated: Pathway, link):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    mark_missed_check_ins(dt.date.today() + dt.timedelta(days=2))
    flag = Flag.objects.get()
    with set_actor(clinics.alice):
        acknowledge_flag(clinics.alice, flag, "Called the patient")
    from django.contrib.contenttypes.models import ContentType

    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Flag),
        object_pk=str(flag.pk),
        action=LogEntry.Action.UPDATE,
    ).get()
    assert entry.actor == clinics.alice and "acknowledgement" in entry.changes_dict


def test_satisfaction_answers_land_in_the_outcome_record(client: Client, treated: Pathway, link):
    _, _, path = link
    client.post(f"{path}satisfaction/", {"satisfaction": "4", "recurrence": "yes", "comment": "Much better"})
    outcome = treated.plan.outcomes.get()
    assert (outcome.satisfaction, outcome.recurrence, outcome.reported_by_patient) == (4, True, True)
    assert outcome.clearance_percent is None
