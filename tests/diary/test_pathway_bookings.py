"""The diary's links to the pathway: a follow-up's window and its review, a session opened from its
appointment, the recall list and its invitations."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from scleropath.core.models import RecordError
from scleropath.diary import services as diary
from scleropath.diary.models import AppointmentStatus, Invitation, RecallReason
from scleropath.followup import services as followup
from scleropath.followup.models import FollowUp
from tests.diary.conftest import Diary
from tests.pathway import Clinics, Pathway

TODAY = timezone.localdate()


def first_follow_up(pathway: Pathway) -> FollowUp:
    found = FollowUp.objects.filter(patient=pathway.patient).order_by("due_on").first()
    assert found is not None
    return found


def test_a_follow_ups_window_runs_from_its_due_date_to_the_protocols_end_never_before_today(
    clinics: Clinics, treated: Pathway
):
    follow_up = first_follow_up(treated)
    follow_up.window_end = follow_up.due_on + timedelta(days=14)
    assert diary.follow_up_window(follow_up, TODAY) == (
        follow_up.due_on,
        follow_up.due_on + timedelta(days=14),
    )
    late = follow_up.due_on + timedelta(days=3)
    assert diary.follow_up_window(follow_up, late)[0] == late
    follow_up.window_end = None  # the protocol gives no window: the week from the due date
    assert diary.follow_up_window(follow_up, TODAY)[1] == follow_up.due_on + timedelta(days=6)


def test_a_follow_up_is_booked_once_and_only_inside_its_window(
    clinics: Clinics, treated: Pathway, rooms: Diary
):
    follow_up = first_follow_up(treated)
    first, last = diary.follow_up_window(follow_up)
    with pytest.raises(diary.OutsideHours, match="its window"):
        diary.book_follow_up(
            clinics.rita,
            follow_up,
            practitioner=clinics.alice,
            starts_at=diary.local_datetime(last + timedelta(days=1), time(10)),
        )
    booked = diary.book_follow_up(
        clinics.rita, follow_up, practitioner=clinics.alice, starts_at=diary.local_datetime(first, time(10))
    )
    assert (booked.kind, booked.follow_up, booked.reason) == ("review", follow_up, follow_up.purpose)
    with pytest.raises(RecordError, match="already booked"):
        diary.book_follow_up(
            clinics.rita,
            follow_up,
            practitioner=clinics.nora,
            starts_at=diary.local_datetime(first, time(11)),
        )
    assert follow_up not in diary.reviews_to_book(clinics.rita)


def test_a_session_is_not_opened_from_an_appointment_that_is_not_for_treatment_or_without_a_plan(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    review = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="review",
        starts_at=diary.local_datetime(TODAY + timedelta(days=1), time(9)),
    )
    with pytest.raises(RecordError, match="Only a treatment appointment"):
        diary.start_session_from(clinics.alice, review, expected_version=review.version)
    treatment = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.alice,
        kind="treatment",
        starts_at=diary.local_datetime(TODAY + timedelta(days=1), time(10)),
    )
    with pytest.raises(PermissionDenied):
        diary.start_session_from(clinics.rita, treatment, expected_version=treatment.version)
    # the patient's session of the pathway is still open: a second is refused and nothing changes
    with pytest.raises(RecordError, match="already has an open session"):
        diary.start_session_from(clinics.alice, treatment, expected_version=treatment.version)
    treatment.refresh_from_db()
    assert (treatment.status, treatment.session) == (AppointmentStatus.BOOKED, None)


def test_the_recall_list_has_patients_advised_retreatment_until_a_treatment_is_booked(
    clinics: Clinics, treated: Pathway, rooms: Diary
):
    followup.record_outcome(
        clinics.alice,
        treated.plan,
        area="left lateral thigh",
        clearance_percent=40,
        retreatment_needed=True,
        assessed_on=TODAY,
    )
    rows = diary.recall_list(clinics.rita)
    assert [(r.patient, r.reason) for r in rows] == [(treated.patient, RecallReason.RETREATMENT)]
    invitation = diary.invite_to_book(clinics.rita, treated.patient, RecallReason.RETREATMENT)
    assert Invitation.objects.get() == invitation and invitation.created_by == clinics.rita
    assert diary.recall_list(clinics.rita)[0].invited_at == invitation.created_at
    diary.book(
        clinics.rita,
        patient=treated.patient,
        practitioner=clinics.alice,
        kind="treatment",
        starts_at=diary.local_datetime(TODAY + timedelta(days=2), time(10)),
    )
    assert diary.recall_list(clinics.rita) == []
    assert diary.recall_list(clinics.bob) == []


def test_a_review_past_its_window_and_unbooked_is_recalled(clinics: Clinics, treated: Pathway):
    follow_up = first_follow_up(treated)
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=date(2020, 1, 1), window_end=date(2020, 1, 20))
    rows = diary.recall_list(clinics.rita)
    assert [(r.follow_up, r.reason, r.since) for r in rows] == [
        (follow_up, RecallReason.REVIEW_OVERDUE, date(2020, 1, 20))
    ]
    with pytest.raises(PermissionDenied):
        diary.recall_list(clinics.mark)
