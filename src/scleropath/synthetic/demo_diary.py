"""The demo clinics' diaries: rooms, opening and working hours, an absence, and a realistic week of
appointments around the day the demo is loaded (the last few days attended, completed or missed,
the coming days booked), with reviews booked for follow-ups in their windows and treatment
sessions for consented plans. Everything is booked through the diary's services, so no slot is
double booked and every time is inside the hours."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments.models import PlanStatus, TreatmentPlan
from scleropath.core.models import RecordError
from scleropath.diary import services as diary
from scleropath.diary.models import (
    Absence,
    AppointmentKind,
    AppointmentStatus,
    OpeningHours,
    RecallReason,
    Room,
    WorkingHours,
)
from scleropath.followup.models import FollowUp, FollowUpStatus
from scleropath.patients.models import Patient

# (weekday, opens, closes): weekdays for both clinics, and Saturday mornings at the first.
WEEKDAYS = [(d, time(8, 30), time(17, 30)) for d in range(5)]
SATURDAY = (5, time(9), time(13))
ROOMS = ["Treatment room 1", "Treatment room 2", "Consulting room"]
DAYS_BEFORE, DAYS_AFTER = 3, 4
# What a day's appointments are, roughly: consultations and treatments, some reviews and phone checks.
KINDS = (
    [AppointmentKind.CONSULTATION] * 3
    + [AppointmentKind.TREATMENT] * 3
    + [AppointmentKind.REVIEW] * 2
    + [AppointmentKind.PHONE_CHECK]
)
CANCEL_REASONS = ["Patient unwell, will rebook", "Clashes with work; asked for another day"]


def build_diary(clinic: Clinic, staff: dict[str, User], seed: int, now: datetime, saturdays: bool) -> None:
    """Set up ``clinic``'s diary and book its week around ``now``."""
    rng = random.Random(seed)
    today = timezone.localdate(now)
    rooms = [Room.objects.create(clinic=clinic, name=name) for name in ROOMS]
    hours = WEEKDAYS + ([SATURDAY] if saturdays else [])
    OpeningHours.objects.bulk_create(
        OpeningHours(clinic=clinic, weekday=d, opens=opens, closes=closes) for d, opens, closes in hours
    )
    clinician, nurse, reception = staff[Role.CLINICIAN], staff[Role.NURSE], staff[Role.RECEPTION]
    shifts = []
    for d, opens, closes in hours:
        if d < 5:
            shifts.append(
                WorkingHours(practitioner=clinician, weekday=d, starts=time(9), ends=time(17), room=rooms[0])
            )
        shifts.append(
            WorkingHours(
                practitioner=nurse, weekday=d, starts=opens, ends=min(closes, time(16, 30)), room=rooms[1]
            )
        )
    WorkingHours.objects.bulk_create(shifts)
    diary.diary_settings(clinic)
    away_day = next(d for d in (today + timedelta(days=n) for n in range(2, 9)) if d.weekday() < 5)
    Absence.objects.create(
        practitioner=nurse,
        starts_at=diary.local_datetime(away_day, time(13)),
        ends_at=diary.local_datetime(away_day, time(16, 30)),
        reason="Training",
        created_by=staff[Role.MANAGER],
    )
    patients = list(Patient.objects.filter(clinic=clinic).order_by("pk"))
    plans = {
        p.patient_id: p
        for p in TreatmentPlan.objects.active()
        .filter(clinic=clinic, status=PlanStatus.APPROVED)
        .order_by("pk")
    }
    _book_follow_ups(clinic, reception, today)
    for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
        day = today + timedelta(days=offset)
        for practitioner in (clinician, nurse):
            _book_day(rng, reception, practitioner, day, patients, plans, now)
    recall = diary.recall_list(reception, today)
    if recall:
        diary.invite_to_book(reception, recall[0].patient, recall[0].reason, recall[0].follow_up, send=False)
    else:
        diary.invite_to_book(reception, patients[0], RecallReason.REVIEW_OVERDUE, send=False)


def _book_follow_ups(clinic: Clinic, reception: User, today: date) -> None:
    """Book most scheduled reviews whose window is open, at the first free slot; leave some for the
    follow-up slots page to show."""
    follow_ups = (
        FollowUp.objects.active()
        .filter(clinic=clinic, status=FollowUpStatus.SCHEDULED)
        .order_by("due_on", "pk")
    )
    for n, follow_up in enumerate(follow_ups):
        if n % 3 == 2 or (follow_up.window_end or follow_up.due_on) < today:
            continue
        slots = diary.follow_up_slots(follow_up, limit=1)
        if not slots:
            continue
        slot = slots[0]
        try:
            diary.book_follow_up(
                reception,
                follow_up,
                practitioner=User.objects.get(pk=slot.practitioner_id),
                starts_at=slot.starts_at,
                room=Room.objects.filter(pk=slot.room_id).first() if slot.room_id else None,
            )
        except RecordError:
            continue


def _book_day(
    rng: random.Random,
    reception: User,
    practitioner: User,
    day: date,
    patients: list[Patient],
    plans: dict[int, TreatmentPlan],
    now: datetime,
) -> None:
    shifts = WorkingHours.objects.filter(practitioner=practitioner, weekday=day.weekday())
    for shift in shifts:
        at = diary.local_datetime(day, shift.starts)
        end = diary.local_datetime(day, shift.ends)
        while at < end:
            if rng.random() < 0.35:  # a gap in the day
                at += timedelta(minutes=15 * rng.choice((1, 2)))
                continue
            kind = rng.choice(KINDS)
            candidates = (
                [p for p in patients if p.pk in plans] if kind == AppointmentKind.TREATMENT else patients
            )
            patient = rng.choice(candidates or patients)
            minutes = diary.diary_settings(practitioner.clinic_id or 0).minutes_for(kind)
            try:
                appointment = diary.book(
                    reception,
                    patient=patient,
                    practitioner=practitioner,
                    kind=kind,
                    starts_at=at,
                    room=shift.room,
                    reason=_reason(kind),
                    plan=plans.get(patient.pk) if kind == AppointmentKind.TREATMENT else None,
                )
            except RecordError:
                at += timedelta(minutes=15)
                continue
            _move_along(rng, reception, appointment, now)
            at += timedelta(minutes=minutes)


def _reason(kind: str) -> str:
    return {
        AppointmentKind.CONSULTATION: "New patient: thread veins on the legs",
        AppointmentKind.TREATMENT: "Treatment session under the approved plan",
        AppointmentKind.REVIEW: "Review after treatment",
        AppointmentKind.PHONE_CHECK: "Phone check after treatment",
    }[AppointmentKind(kind)]


def _move_along(rng: random.Random, reception: User, appointment: Any, now: datetime) -> None:
    """Give an appointment the status its time implies: the past attended or missed, the present
    arrived, a few of the future cancelled."""
    roll = rng.random()
    if appointment.ends_at <= now:
        if roll < 0.08:
            diary.set_status(
                reception, appointment, AppointmentStatus.DID_NOT_ATTEND, expected_version=appointment.version
            )
            return
        diary.set_status(
            reception, appointment, AppointmentStatus.ARRIVED, expected_version=appointment.version
        )
        diary.set_status(
            reception, appointment, AppointmentStatus.COMPLETED, expected_version=appointment.version
        )
    elif appointment.starts_at <= now:
        diary.set_status(
            reception, appointment, AppointmentStatus.ARRIVED, expected_version=appointment.version
        )
    elif roll < 0.05:
        diary.cancel(
            reception, appointment, expected_version=appointment.version, reason=rng.choice(CANCEL_REASONS)
        )
