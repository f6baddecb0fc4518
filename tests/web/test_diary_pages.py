"""The diary's pages: the day and week, booking from a free cell, an appointment's page (move,
cancel, statuses, the session it opens), a follow-up's slots and the recall list; tried by each
persona, with bad input and with two bookings of one cell at once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scleropath.diary import services as diary
from scleropath.diary.models import Appointment, AppointmentStatus, Invitation
from scleropath.followup import services as followup
from scleropath.followup.models import FollowUp
from scleropath.treatment.models import SessionStatus
from tests.concurrency import at_once
from tests.diary.conftest import Diary
from tests.pathway import Clinics, Pathway, inject_spider

TOMORROW = timezone.localdate() + timedelta(days=1)


def at(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return diary.local_datetime(day, time(hour, minute))


def booking(pathway: Pathway, clinics: Clinics, hour: int = 10, **extra: str) -> dict[str, str]:
    data = {
        "q": "Jones",
        "patient": str(pathway.patient.pk),
        "kind": "consultation",
        "practitioner": str(clinics.alice.pk),
        "room": "",
        "day": TOMORROW.isoformat(),
        "starts": f"{hour:02d}:00",
        "minutes": "",
        "reason": "Spider veins, first look",
    }
    data.update(extra)
    return data


def test_reception_books_from_a_free_cell_and_sees_it_in_the_day(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    client.force_login(clinics.rita)
    day = client.get(reverse("web:diary") + f"?day={TOMORROW.isoformat()}").content.decode()
    assert "Alice" in day and "Nora" in day
    cell = f"?at={quote(at(10).isoformat())}&amp;practitioner={clinics.alice.pk}&amp;room={rooms.room1.pk}"
    assert cell in day
    form = client.get(reverse("web:appointment_new") + cell.replace("&amp;", "&")).content.decode()
    assert 'value="10:00"' in form
    response = client.post(
        reverse("web:appointment_new"), booking(pathway, clinics, room=str(rooms.room1.pk))
    )
    assert response.status_code == 302, response.content.decode()
    appointment = Appointment.objects.get()
    assert (appointment.starts_at, appointment.minutes, appointment.created_by) == (at(10), 30, clinics.rita)
    day = client.get(response["Location"]).content.decode()
    assert "JONES, Ann" in day and reverse("web:appointment", args=[appointment.pk]) in day
    by_room = client.get(reverse("web:diary") + f"?day={TOMORROW.isoformat()}&by=room").content.decode()
    assert "Room 1" in by_room and "JONES, Ann" in by_room


def test_finding_a_patient_lists_the_matches_and_books_nothing(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    client.force_login(clinics.rita)
    data = booking(pathway, clinics, find="1")
    del data["patient"]
    response = client.post(reverse("web:appointment_new"), data)
    assert response.status_code == 200
    assert f'value="{pathway.patient.pk}"' in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_taken_cell_is_refused_in_the_form_keeping_what_was_typed(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    diary.book(
        clinics.rita, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(10)
    )
    client.force_login(clinics.rita)
    response = client.post(reverse("web:appointment_new"), booking(pathway, clinics, reason="Typed reason"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Alice already has an appointment" in page
    assert 'value="Typed reason"' in page and 'value="10:00"' in page
    assert Appointment.objects.count() == 1


def test_a_time_outside_the_hours_and_a_bad_time_are_errors_not_crashes(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    client.force_login(clinics.rita)
    response = client.post(reverse("web:appointment_new"), booking(pathway, clinics, hour=19))
    assert response.status_code == 400
    assert "The clinic is not open then" in response.content.decode()
    response = client.post(
        reverse("web:appointment_new"), booking(pathway, clinics, starts="25:99", minutes="x")
    )
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_a_mistyped_year_is_an_error_on_the_form_and_a_far_day_shows_today(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    client.force_login(clinics.rita)
    response = client.post(
        reverse("web:appointment_new"), booking(pathway, clinics, day="9999-12-31", starts="23:50")
    )
    assert response.status_code == 400 and "Choose a day between" in response.content.decode()
    assert not Appointment.objects.exists()
    far = client.get(reverse("web:diary") + "?day=9999-12-31")
    assert far.status_code == 200 and timezone.localdate().strftime("%B %Y") in far.content.decode()
    assert client.get(reverse("web:appointment_new") + "?at=9999-12-31T23:59:59-23:00").status_code == 200


def test_a_treatment_booked_for_a_patient_is_for_their_approved_plan(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    client.force_login(clinics.rita)
    response = client.post(reverse("web:appointment_new"), booking(pathway, clinics, kind="treatment"))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.plan == pathway.plan
    assert appointment.minutes == diary.treatment_minutes(pathway.plan)


def test_another_clinics_appointment_is_404_and_its_diary_shows_nothing_of_ours(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    mine = diary.book(
        clinics.rita, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(9)
    )
    client.force_login(clinics.bob)
    for name in ("appointment",):
        assert client.get(reverse(f"web:{name}", args=[mine.pk])).status_code == 404
    for name in ("appointment_move", "appointment_cancel", "appointment_status", "appointment_start"):
        assert client.post(reverse(f"web:{name}", args=[mine.pk]), {"cancel_reason": "x"}).status_code == 404
    day = client.get(reverse("web:diary") + f"?day={TOMORROW.isoformat()}").content.decode()
    assert "JONES, Ann" not in day
    mine.refresh_from_db()
    assert mine.status == AppointmentStatus.BOOKED


def test_a_manager_may_not_open_the_diary_and_has_no_link_to_it(
    client: Client, clinics: Clinics, rooms: Diary
):
    client.force_login(clinics.mark)
    assert client.get(reverse("web:diary")).status_code == 403
    assert reverse("web:diary") not in client.get(reverse("web:today")).content.decode()
    client.force_login(clinics.rita)
    assert reverse("web:diary") in client.get(reverse("web:today")).content.decode()


def test_moving_and_cancelling_from_the_appointment_page(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    a = diary.book(
        clinics.rita, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(9)
    )
    client.force_login(clinics.rita)
    url = reverse("web:appointment_move", args=[a.pk])
    move = {
        "practitioner": clinics.nora.pk,
        "room": "",
        "day": TOMORROW.isoformat(),
        "starts": "11:00",
        "minutes": "20",
        "version": a.version,
    }
    assert client.post(url, move).status_code == 302
    a.refresh_from_db()
    assert (a.practitioner, a.starts_at, a.minutes) == (clinics.nora, at(11), 20)
    # the same form again carries a version that is no longer the appointment's
    stale = client.post(url, move | {"starts": "12:00"})
    assert stale.status_code == 400
    assert "changed by someone else" in stale.content.decode()
    assert 'value="12:00"' in stale.content.decode()
    cancel = reverse("web:appointment_cancel", args=[a.pk])
    blank = client.post(cancel, {"cancel_reason": " ", "version": a.version})
    assert blank.status_code == 400 and "Say why the appointment is cancelled." in blank.content.decode()
    assert client.post(cancel, {"cancel_reason": "Patient unwell", "version": a.version}).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.cancel_reason, a.cancelled_by) == (
        AppointmentStatus.CANCELLED,
        "Patient unwell",
        clinics.rita,
    )


def test_status_buttons_move_the_appointment_along_its_day(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    a = diary.book(
        clinics.rita, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(9)
    )
    client.force_login(clinics.rita)
    url = reverse("web:appointment_status", args=[a.pk])
    assert client.post(url, {"status": "arrived", "version": a.version}).status_code == 302
    a.refresh_from_db()
    assert a.status == AppointmentStatus.ARRIVED
    refused = client.post(url, {"status": "did_not_attend", "version": a.version})
    assert refused.status_code == 400
    assert "cannot become did not attend" in refused.content.decode()
    assert client.post(url, {"status": "nonsense", "version": "x"}).status_code == 400


def test_start_session_opens_the_plans_session_from_a_treatment_appointment(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    inject_spider(clinics.alice, pathway)
    pathway.session.refresh_from_db()
    followup.complete_session(clinics.alice, pathway.session, pathway.session.version)
    today = timezone.localdate()
    a = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="treatment",
        starts_at=diary.local_datetime(today, time(8)),
        check_hours=False,
    )
    assert a.minutes == diary.treatment_minutes(pathway.plan)
    client.force_login(clinics.rita)
    page = client.get(reverse("web:appointment", args=[a.pk])).content.decode()
    assert "Start session" not in page  # reception does not treat
    client.force_login(clinics.alice)
    assert "Start session" in client.get(reverse("web:appointment", args=[a.pk])).content.decode()
    early = client.post(reverse("web:appointment_start", args=[a.pk]), {"version": a.version})
    # the last session was today: a session this soon is off-plan, and opens only with a reason
    assert early.status_code == 400
    assert "reason" in early.content.decode().lower()
    a.refresh_from_db()
    assert (a.status, a.session) == (AppointmentStatus.BOOKED, None)
    reason = "Patient travelling; agreed to treat early"
    response = client.post(
        reverse("web:appointment_start", args=[a.pk]), {"version": a.version, "off_plan_reason": reason}
    )
    assert response.status_code == 302, response.content.decode()
    a.refresh_from_db()
    assert a.status == AppointmentStatus.IN_PROGRESS
    assert a.session is not None and a.session.status == SessionStatus.OPEN and a.session.plan == pathway.plan
    assert response["Location"] == reverse("web:session", args=[a.session.pk])


def test_a_follow_ups_slots_lie_in_its_window_and_one_click_books_the_review(
    client: Client, clinics: Clinics, treated: Pathway, rooms: Diary
):
    follow_up = FollowUp.objects.filter(patient=treated.patient).order_by("due_on").first()
    assert follow_up is not None
    client.force_login(clinics.rita)
    page = client.get(reverse("web:follow_up_slots", args=[follow_up.pk])).content.decode()
    first, last = diary.follow_up_window(follow_up)
    slots = diary.follow_up_slots(follow_up)
    assert slots and all(first <= timezone.localdate(s.starts_at) <= last for s in slots)
    chosen = slots[0]
    local = timezone.localtime(chosen.starts_at)
    assert f"Book {local:%a %-d %b} at </span>{local:%H:%M} with" in page
    response = client.post(
        reverse("web:follow_up_slots", args=[follow_up.pk]),
        {
            "at": chosen.starts_at.isoformat(),
            "practitioner": chosen.practitioner_id,
            "room": chosen.room_id or "",
        },
    )
    assert response.status_code == 302
    booked = Appointment.objects.get(follow_up=follow_up)
    assert (booked.kind, booked.starts_at) == ("review", chosen.starts_at)
    again = client.get(reverse("web:follow_up_slots", args=[follow_up.pk])).content.decode()
    assert "Booked for" in again
    client.force_login(clinics.alice)
    shown = client.get(reverse("web:follow_up", args=[follow_up.pk])).content.decode()
    assert "Booked for" in shown
    chart = client.get(reverse("web:chart", args=[treated.patient.pk])).content.decode()
    assert f"booked for {timezone.localtime(chosen.starts_at):%-d %b %Y %H:%M}" in chart


def test_a_slot_outside_the_window_is_refused_on_the_page(
    client: Client, clinics: Clinics, treated: Pathway, rooms: Diary
):
    follow_up = FollowUp.objects.filter(patient=treated.patient).order_by("due_on").first()
    assert follow_up is not None
    _, last = diary.follow_up_window(follow_up)
    client.force_login(clinics.rita)
    late = diary.local_datetime(last + timedelta(days=3), time(10))
    response = client.post(
        reverse("web:follow_up_slots", args=[follow_up.pk]),
        {"at": late.isoformat(), "practitioner": clinics.alice.pk},
    )
    assert response.status_code == 400 and "its window" in response.content.decode()
    bad = client.post(
        reverse("web:follow_up_slots", args=[follow_up.pk]), {"at": "soon", "practitioner": "x"}
    )
    assert bad.status_code == 400
    assert not Appointment.objects.exists()


def test_the_recall_list_shows_an_overdue_unbooked_review_and_invite_records_it(
    client: Client, clinics: Clinics, treated: Pathway, rooms: Diary
):
    follow_up = FollowUp.objects.filter(patient=treated.patient).order_by("due_on").first()
    assert follow_up is not None
    FollowUp.objects.filter(pk=follow_up.pk).update(
        due_on=timezone.localdate() - timedelta(days=30), window_end=timezone.localdate() - timedelta(days=9)
    )
    client.force_login(clinics.rita)
    page = client.get(reverse("web:recall")).content.decode()
    assert "JONES, Ann" in page and "Review overdue" in page and "not yet" in page
    response = client.post(
        reverse("web:invite", args=[treated.patient.pk]),
        {"reason": "review_overdue", "follow_up": follow_up.pk},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.patient, invitation.created_by, invitation.follow_up) == (
        treated.patient,
        clinics.rita,
        follow_up,
    )
    assert "Invite again" in client.get(reverse("web:recall")).content.decode()
    client.force_login(clinics.bob)
    assert (
        client.post(reverse("web:invite", args=[treated.patient.pk]), {"reason": "retreatment"}).status_code
        == 404
    )
    assert "JONES, Ann" not in client.get(reverse("web:recall")).content.decode()


def test_today_starts_with_the_users_own_schedule(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    today = timezone.localdate()
    later = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=diary.local_datetime(today, time(17)),
        check_hours=False,
    )
    earlier = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="consultation",
        starts_at=diary.local_datetime(today, time(8)),
        check_hours=False,
    )
    client.force_login(clinics.alice)
    page = client.get(reverse("web:today")).content.decode()
    schedule = page[page.index("Your schedule") :]
    first, second = (reverse("web:appointment", args=[a.pk]) for a in (earlier, later))
    assert schedule.index(first) < schedule.index(second) < page.index("Needs attention") + len(page)
    assert page.index("Your schedule") < page.index("Needs attention")
    client.force_login(clinics.nora)
    assert first not in client.get(reverse("web:today")).content.decode()


def test_the_chart_shows_the_next_appointment_and_the_appointments_card(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    a = diary.book(
        clinics.rita, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(9)
    )
    client.force_login(clinics.rita)
    page = client.get(reverse("web:chart", args=[pathway.patient.pk])).content.decode()
    assert "Next appointment" in page and reverse("web:appointment", args=[a.pk]) in page
    assert 'id="appointments-h"' in page


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_one_cell_through_the_page_at_once_book_one_and_refuse_the_other(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    def post() -> int:
        client = Client()
        client.force_login(clinics.rita)
        response = client.post(reverse("web:appointment_new"), booking(pathway, clinics, hour=15))
        return response.status_code

    results = at_once(2, post)
    assert sorted(results) == [302, 400], results
    assert Appointment.objects.taking_time().filter(starts_at=at(15)).count() == 1


def test_the_day_week_and_recall_pages_do_not_query_per_appointment(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [
        reverse("web:diary") + f"?day={TOMORROW.isoformat()}",
        reverse("web:diary") + f"?day={TOMORROW.isoformat()}&by=room",
        reverse("web:diary_week") + f"?day={TOMORROW.isoformat()}&practitioner={clinics.alice.pk}",
        reverse("web:recall"),
    ]
    book = diary.book
    book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=at(9),
        room=rooms.room1,
    )
    client.force_login(clinics.rita)
    few = [queries(url) for url in urls]
    for hour in (10, 11, 12, 13):
        book(
            clinics.rita,
            patient=pathway.patient,
            practitioner=clinics.alice,
            kind="review",
            starts_at=at(hour),
            room=rooms.room1,
        )
        book(
            clinics.rita,
            patient=pathway.patient,
            practitioner=clinics.nora,
            kind="review",
            starts_at=at(hour),
            room=rooms.room2,
        )
    assert [queries(url) for url in urls] == few


def test_the_week_shows_one_practitioners_appointments_day_by_day(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    mine = diary.book(
        clinics.rita, patient=pathway.patient, practitioner=clinics.nora, kind="review", starts_at=at(9)
    )
    other = diary.book(
        clinics.rita, patient=pathway.patient, practitioner=clinics.alice, kind="review", starts_at=at(9)
    )
    client.force_login(clinics.nora)
    page = client.get(reverse("web:diary_week") + f"?day={TOMORROW.isoformat()}").content.decode()
    assert "Nora, week of" in page  # a practitioner's own week by default
    assert reverse("web:appointment", args=[mine.pk]) in page
    assert reverse("web:appointment", args=[other.pk]) not in page
    assert f"{TOMORROW:%a} {TOMORROW.day} {TOMORROW:%b}" in page


def test_completing_the_session_completes_the_appointment_it_was_opened_from(
    client: Client, clinics: Clinics, pathway: Pathway, rooms: Diary
):
    appointment = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="treatment",
        starts_at=diary.local_datetime(timezone.localdate(), time(8)),
        check_hours=False,
    )
    Appointment.objects.filter(pk=appointment.pk).update(
        session=pathway.session, status=AppointmentStatus.IN_PROGRESS
    )
    inject_spider(clinics.alice, pathway)
    pathway.session.refresh_from_db()
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:session_complete", args=[pathway.session.pk]), {"version": pathway.session.version}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.status_changed_by) == (AppointmentStatus.COMPLETED, clinics.alice)
