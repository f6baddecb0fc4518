"""The one place that books, holds, moves, cancels and changes the status of appointments, and that
works out which slots are free.

Every write that takes time checks, inside one transaction, that the practitioner and the room are
free, then saves. On PostgreSQL the exclusion constraints of migration 0002 make that check binding
even when two requests race (the loser's insert fails and is reported as :class:`SlotTaken`); on
SQLite the transaction is IMMEDIATE and so holds the write lock from its start, and the check and
the save of two requests cannot interleave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from scleropath.accounts.access import clinic_id_of
from scleropath.accounts.models import Clinic, Role
from scleropath.accounts.permissions import Action, require
from scleropath.core.models import RecordError

from .models import (
    Absence,
    Appointment,
    AppointmentKind,
    AppointmentSource,
    AppointmentStatus,
    DiarySettings,
    OpeningHours,
    Room,
    WorkingHours,
)

if TYPE_CHECKING:
    from scleropath.accounts.models import User
    from scleropath.patients.models import Patient

PRACTITIONER_ROLES = (Role.CLINICIAN, Role.NURSE)


class SlotTaken(RecordError):
    """The practitioner or the room already has an appointment at that time."""


class OutsideHours(RecordError):
    """The time is outside the clinic's opening hours or the practitioner's working hours, or the
    practitioner is away."""


class HoldLapsed(RecordError):
    """An online booking's hold ran out before the patient confirmed, and its slot has gone since."""


class BadTransition(RecordError):
    """A status change that does not follow from the appointment's current status."""


def diary_settings(clinic: Clinic | int) -> DiarySettings:
    """The clinic's diary settings, created with the defaults the first time they are asked for."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    found, _ = DiarySettings.objects.get_or_create(clinic_id=clinic_id)
    return found


def practitioners(clinic: Clinic | int) -> Any:
    """The staff who see patients: clinicians and nurses of the clinic who can sign in."""
    from scleropath.accounts.models import User

    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    return User.objects.filter(clinic_id=clinic_id, role__in=PRACTITIONER_ROLES, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def local_datetime(day: date, at: time) -> datetime:
    """``day`` at ``at`` on the clinic's wall clock, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, at))


def _describe(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%a %d %b %H:%M}"


# --- checks -------------------------------------------------------------------------------------


def check_within_hours(practitioner: User, starts_at: datetime, ends_at: datetime) -> None:
    """Refuse a time outside the clinic's opening hours, outside the practitioner's working hours,
    or during one of their absences. An appointment must fit one opening and one working period."""
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = local_start.date()
    if local_end.date() != day and local_end.time() != time(0):
        raise OutsideHours("An appointment must start and end on the same day.")
    weekday = day.weekday()
    start_t, end_t = local_start.time(), local_end.time()
    opening = OpeningHours.objects.filter(clinic=practitioner.clinic, weekday=weekday)
    if not any(o.opens <= start_t and end_t <= o.closes for o in opening):
        hours = ", ".join(f"{o.opens:%H:%M}–{o.closes:%H:%M}" for o in opening) or "closed"
        raise OutsideHours(f"The clinic is not open then ({day:%A}: {hours}).")
    working = WorkingHours.objects.filter(practitioner=practitioner, weekday=weekday)
    if not any(w.starts <= start_t and end_t <= w.ends for w in working):
        hours = ", ".join(f"{w.starts:%H:%M}–{w.ends:%H:%M}" for w in working) or "not working"
        raise OutsideHours(f"{practitioner.display_name} is not working then ({day:%A}: {hours}).")
    away = Absence.objects.filter(
        practitioner=practitioner, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).first()
    if away is not None:
        why = f" ({away.reason})" if away.reason else ""
        raise OutsideHours(
            f"{practitioner.display_name} is away from {_describe(away.starts_at)} to {_describe(away.ends_at)}{why}."
        )


def check_free(
    practitioner_id: int,
    room_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    *,
    exclude: int | None = None,
) -> None:
    """Refuse a time when the practitioner or the room already has a live appointment."""
    clash = Q(practitioner_id=practitioner_id)
    if room_id is not None:
        clash |= Q(room_id=room_id)
    taken = Appointment.objects.taking_time().overlapping(starts_at, ends_at).filter(clash)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    other = taken.select_related("practitioner", "room").first()
    if other is None:
        return
    who = other.practitioner.display_name if other.practitioner_id == practitioner_id else str(other.room)
    raise SlotTaken(
        f"{who} already has an appointment from {_describe(other.starts_at)} to "
        f"{timezone.localtime(other.ends_at):%H:%M}. Choose another time."
    )


def release_expired_holds(
    now: datetime | None = None, *, overlapping: tuple[datetime, datetime] | None = None
) -> int:
    """Cancel the online holds whose time to confirm has run out, so their slots are free again."""
    now = now or timezone.now()
    lapsed = Appointment.objects.filter(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
    if overlapping is not None:
        lapsed = lapsed.overlapping(*overlapping)
    return lapsed.update(
        status=AppointmentStatus.CANCELLED,
        cancelled_at=now,
        cancel_reason="Not confirmed in time; the slot was released.",
        status_changed_at=now,
    )


def _save_if_free(appointment: Appointment, *, exclude: int | None = None, update: bool = False) -> None:
    """Check and save in one transaction; a race lost on PostgreSQL's constraint is a SlotTaken too."""
    try:
        with transaction.atomic():
            release_expired_holds(overlapping=(appointment.starts_at, appointment.ends_at))
            check_free(
                appointment.practitioner_id,
                appointment.room_id,
                appointment.starts_at,
                appointment.ends_at,
                exclude=exclude,
            )
            if update:
                appointment.save_checked(appointment.version)
            else:
                appointment.save()
    except IntegrityError as error:
        if "no_overlap" in str(error):
            raise SlotTaken(
                "That time was taken a moment ago by another booking. Choose another time."
            ) from None
        raise


def _same_clinic(clinic_id: int, *things: Any) -> None:
    for thing in things:
        if thing is not None and getattr(thing, "clinic_id", clinic_id) != clinic_id:
            raise RecordError(f"That {thing._meta.verbose_name} is not in your clinic.")


# --- writes -------------------------------------------------------------------------------------


def book(
    by: User,
    *,
    patient: Patient,
    practitioner: User,
    kind: str,
    starts_at: datetime,
    minutes: int | None = None,
    room: Room | None = None,
    reason: str = "",
    follow_up: Any = None,
    plan: Any = None,
    check_hours: bool = True,
) -> Appointment:
    """Book ``patient`` with ``practitioner`` (and ``room``) at ``starts_at`` for ``minutes`` (the
    clinic's default length for ``kind`` when not given). Refused with a clear message when the time
    is taken, outside hours, or the people and places are of another clinic."""
    require(by, Action.BOOK)
    clinic_id = clinic_id_of(by)
    _same_clinic(clinic_id, patient, practitioner, room, follow_up, plan)
    if practitioner.role not in PRACTITIONER_ROLES:
        raise RecordError(f"{practitioner.display_name} does not see patients.")
    kind = AppointmentKind(kind)
    minutes = minutes or diary_settings(clinic_id).minutes_for(kind)
    appointment = Appointment(
        clinic_id=clinic_id,
        created_by=by,
        patient=patient,
        practitioner=practitioner,
        room=room,
        kind=kind,
        status=AppointmentStatus.BOOKED,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        reason=reason.strip(),
        follow_up=follow_up,
        plan=plan,
        source=AppointmentSource.STAFF,
    )
    appointment.full_clean(exclude=["patient", "practitioner", "room", "follow_up", "plan", "session"])
    if check_hours:
        check_within_hours(practitioner, appointment.starts_at, appointment.ends_at)
    _save_if_free(appointment)
    return appointment


def hold(
    *,
    clinic: Clinic,
    practitioner: User,
    kind: str,
    starts_at: datetime,
    minutes: int | None = None,
    room: Room | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Hold a slot for an online booking while the patient confirms (no one is signed in)."""
    _same_clinic(clinic.pk, practitioner, room)
    settings = diary_settings(clinic)
    now = now or timezone.now()
    kind = AppointmentKind(kind)
    minutes = minutes or settings.minutes_for(kind)
    appointment = Appointment(
        clinic=clinic,
        patient=None,
        practitioner=practitioner,
        room=room,
        kind=kind,
        status=AppointmentStatus.HELD,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        reason=reason.strip(),
        source=AppointmentSource.ONLINE,
        hold_expires_at=now + timedelta(minutes=settings.hold_minutes),
    )
    if starts_at <= now:
        raise OutsideHours("That time has passed. Choose a later one.")
    check_within_hours(practitioner, appointment.starts_at, appointment.ends_at)
    _save_if_free(appointment)
    return appointment


def confirm_hold(appointment: Appointment, patient: Patient, *, now: datetime | None = None) -> Appointment:
    """Turn a hold into a booking for ``patient``. A hold confirmed late still books if its slot is
    still free; if someone else has taken it since, :class:`HoldLapsed`."""
    now = now or timezone.now()
    _same_clinic(appointment.clinic_id, patient)
    with transaction.atomic():
        current: Appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status == AppointmentStatus.BOOKED and current.patient_id == patient.pk:
            return current  # a second click on the same link
        if (
            current.status not in (AppointmentStatus.HELD, AppointmentStatus.CANCELLED)
            or current.source != "online"
        ):
            raise BadTransition("This booking can no longer be confirmed.")
        lapsed = current.status == AppointmentStatus.CANCELLED
        current.patient = patient
        current.status = AppointmentStatus.BOOKED
        current.hold_expires_at = None
        current.status_changed_at = now
        current.cancelled_at = None
        current.cancel_reason = ""
        if not lapsed:
            current.save_checked(current.version)
            return current
    try:
        _save_if_free(current, exclude=current.pk, update=True)
    except SlotTaken:
        raise HoldLapsed(
            "Sorry: the time you chose was held for you for a while, and it has been booked since. "
            "Please choose another time."
        ) from None
    return current


def move(
    by: User,
    appointment: Appointment,
    *,
    expected_version: int,
    starts_at: datetime,
    minutes: int | None = None,
    practitioner: User | None = None,
    room: Room | str | None = "keep",
    check_hours: bool = True,
) -> Appointment:
    """Move a booked appointment to another time, practitioner or room (``room=None`` clears it)."""
    require(by, Action.BOOK)
    clinic_id = clinic_id_of(by)
    _same_clinic(clinic_id, appointment, practitioner, None if isinstance(room, str) else room)
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.HELD):
        raise BadTransition(f"A {appointment.get_status_display().lower()} appointment cannot be moved.")
    if appointment.version != expected_version:
        raise RecordError(
            "This appointment was changed by someone else since you opened it. Reload the diary and try again."
        )
    duration = timedelta(minutes=minutes) if minutes else appointment.duration
    appointment.starts_at = starts_at
    appointment.ends_at = starts_at + duration
    if practitioner is not None:
        appointment.practitioner = practitioner
    if not isinstance(room, str):
        appointment.room = room
    if check_hours:
        check_within_hours(appointment.practitioner, appointment.starts_at, appointment.ends_at)
    _save_if_free(appointment, exclude=appointment.pk, update=True)
    return appointment


def cancel(by: User, appointment: Appointment, *, expected_version: int, reason: str) -> Appointment:
    """Cancel with who and why; the slot is free again at once."""
    require(by, Action.BOOK)
    _same_clinic(clinic_id_of(by), appointment)
    reason = reason.strip()
    if not reason:
        raise RecordError("Say why the appointment is cancelled.")
    if appointment.status not in (
        AppointmentStatus.BOOKED,
        AppointmentStatus.HELD,
        AppointmentStatus.ARRIVED,
    ):
        raise BadTransition(f"A {appointment.get_status_display().lower()} appointment cannot be cancelled.")
    now = timezone.now()
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = now
    appointment.cancelled_by = by
    appointment.cancel_reason = reason
    appointment.status_changed_at = now
    appointment.status_changed_by = by
    appointment.save_checked(expected_version)
    return appointment


# Which status may follow which; cancelling has its own function because it needs a reason.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    AppointmentStatus.BOOKED: (
        AppointmentStatus.ARRIVED,
        AppointmentStatus.IN_PROGRESS,
        AppointmentStatus.DID_NOT_ATTEND,
    ),
    AppointmentStatus.ARRIVED: (AppointmentStatus.IN_PROGRESS, AppointmentStatus.COMPLETED),
    AppointmentStatus.IN_PROGRESS: (AppointmentStatus.COMPLETED,),
}


def set_status(by: User, appointment: Appointment, status: str, *, expected_version: int) -> Appointment:
    """Move an appointment along its day: arrived, in progress, completed, or did not attend."""
    require(by, Action.BOOK)
    _same_clinic(clinic_id_of(by), appointment)
    status = AppointmentStatus(status)
    if status not in NEXT_STATUSES.get(appointment.status, ()):
        raise BadTransition(
            f"A {appointment.get_status_display().lower()} appointment cannot become {status.label.lower()}."
        )
    now = timezone.now()
    if status == AppointmentStatus.DID_NOT_ATTEND and appointment.starts_at > now:
        raise BadTransition("An appointment that has not started yet cannot be marked as not attended.")
    appointment.status = status
    appointment.status_changed_at = now
    appointment.status_changed_by = by
    appointment.save_checked(expected_version)
    return appointment


# --- free slots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FreeSlot:
    starts_at: datetime
    ends_at: datetime
    practitioner_id: int
    room_id: int | None


def _subtract(
    periods: list[tuple[datetime, datetime]], busy: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    for b_start, b_end in busy:
        remaining = []
        for start, end in periods:
            if b_end <= start or b_start >= end:
                remaining.append((start, end))
                continue
            if start < b_start:
                remaining.append((start, b_start))
            if b_end < end:
                remaining.append((b_end, end))
        periods = remaining
    return periods


def free_slots(
    clinic: Clinic | int,
    *,
    first_day: date,
    last_day: date,
    minutes: int,
    practitioner_ids: Iterable[int] | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[FreeSlot]:
    """Every start on the clinic's grid, from ``first_day`` to ``last_day`` inclusive, where a
    practitioner is working (inside opening hours, not away) and they and their room are free for
    ``minutes``; soonest first. Three queries whatever the range."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    settings = diary_settings(clinic_id)
    step = timedelta(minutes=settings.slot_minutes)
    length = timedelta(minutes=minutes)
    now = now or timezone.now()
    staff = list(practitioners(clinic_id).values_list("pk", flat=True))
    if practitioner_ids is not None:
        wanted = set(practitioner_ids)
        staff = [pk for pk in staff if pk in wanted]
    opening: dict[int, list[tuple[time, time]]] = {}
    for o in OpeningHours.objects.filter(clinic_id=clinic_id):
        opening.setdefault(o.weekday, []).append((o.opens, o.closes))
    working: dict[tuple[int, int], list[WorkingHours]] = {}
    for w in WorkingHours.objects.filter(practitioner_id__in=staff):
        working.setdefault((w.practitioner_id, w.weekday), []).append(w)
    range_start = local_datetime(first_day, time(0))
    range_end = local_datetime(last_day + timedelta(days=1), time(0))
    busy_by_practitioner: dict[int, list[tuple[datetime, datetime]]] = {}
    busy_by_room: dict[int, list[tuple[datetime, datetime]]] = {}
    appointments = (
        Appointment.objects.taking_time()
        .overlapping(range_start, range_end)
        .filter(Q(practitioner_id__in=staff) | Q(clinic_id=clinic_id, room__isnull=False))
        .exclude(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
        .values_list("practitioner_id", "room_id", "starts_at", "ends_at")
    )
    for practitioner_id, room_id, starts_at, ends_at in appointments:
        busy_by_practitioner.setdefault(practitioner_id, []).append((starts_at, ends_at))
        if room_id is not None:
            busy_by_room.setdefault(room_id, []).append((starts_at, ends_at))
    for a in Absence.objects.filter(
        practitioner_id__in=staff, starts_at__lt=range_end, ends_at__gt=range_start
    ):
        busy_by_practitioner.setdefault(a.practitioner_id, []).append((a.starts_at, a.ends_at))

    slots: list[FreeSlot] = []
    day = first_day
    while day <= last_day:
        weekday = day.weekday()
        for practitioner_id in staff:
            for shift in working.get((practitioner_id, weekday), []):
                periods = []
                for opens, closes in opening.get(weekday, []):
                    begins, finishes = max(opens, shift.starts), min(closes, shift.ends)
                    if begins < finishes:
                        periods.append((local_datetime(day, begins), local_datetime(day, finishes)))
                busy = busy_by_practitioner.get(practitioner_id, [])
                if shift.room_id is not None:
                    busy = busy + busy_by_room.get(shift.room_id, [])
                for start, end in _subtract(periods, busy):
                    midnight = local_datetime(day, time(0))
                    offset = (start - midnight) % step
                    t = start if not offset else start + (step - offset)
                    while t + length <= end:
                        if t > now:
                            slots.append(FreeSlot(t, t + length, practitioner_id, shift.room_id))
                        t += step
        day += timedelta(days=1)
    slots.sort(key=lambda s: (s.starts_at, s.practitioner_id))
    return slots[:limit] if limit is not None else slots


# --- from the pathway: sessions, follow-ups and the recall list --------------------------------


def treatment_minutes(plan: Any) -> int:
    """The default length of a treatment appointment under ``plan``. The protocol gives no time per
    site or area treated, so this is the clinic's setting for a treatment session whatever the plan."""
    return diary_settings(plan.clinic_id).treatment_minutes


def approved_plan(patient: Patient | None) -> Any:
    """The patient's latest approved plan, which a treatment appointment is for; None without one."""
    from scleropath.assessments.models import PlanStatus, TreatmentPlan

    if patient is None:
        return None
    return (
        TreatmentPlan.objects.active()
        .filter(patient=patient, status=PlanStatus.APPROVED)
        .order_by("-approved_at", "-pk")
        .first()
    )


def start_session_from(
    by: User, appointment: Appointment, *, expected_version: int, off_plan_reason: str = ""
) -> Any:
    """Open the treatment session of a treatment appointment under the patient's approved plan,
    link it to the appointment and set the appointment in progress, all or nothing."""
    from scleropath.assessments.models import PlanStatus
    from scleropath.treatment.services import start_session

    require(by, Action.BOOK)
    _same_clinic(clinic_id_of(by), appointment)
    if appointment.kind != AppointmentKind.TREATMENT:
        raise RecordError("Only a treatment appointment opens a session.")
    if appointment.session_id is not None:
        raise BadTransition("This appointment's session is already open.")
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
        raise BadTransition(
            f"A {appointment.get_status_display().lower()} appointment cannot start a session."
        )
    plan = appointment.plan
    if plan is None or plan.status != PlanStatus.APPROVED or plan.voided_at is not None:
        plan = approved_plan(appointment.patient)
    if plan is None:
        raise RecordError("The patient has no approved plan: a session needs one.")
    with transaction.atomic():
        session = start_session(by, plan, off_plan_reason=off_plan_reason)
        appointment.session = session
        appointment.plan = plan
        appointment.status = AppointmentStatus.IN_PROGRESS
        appointment.status_changed_at = timezone.now()
        appointment.status_changed_by = by
        appointment.save_checked(expected_version)
    return session


def follow_up_window(follow_up: Any, today: date | None = None) -> tuple[date, date]:
    """The days a follow-up's review may be booked on: from its due date to the end of the
    protocol's window, never before today. A follow-up the protocol gives no window keeps to the
    week from its due date (a search range for the diary, not a clinical rule)."""
    today = today or timezone.localdate()
    last = follow_up.window_end or follow_up.due_on + timedelta(days=6)
    return max(follow_up.due_on, today), max(last, today)


def follow_up_slots(follow_up: Any, *, limit: int | None = None) -> list[FreeSlot]:
    """Free review slots inside the follow-up's window, with any practitioner."""
    first, last = follow_up_window(follow_up)
    minutes = diary_settings(follow_up.clinic_id).review_minutes
    return free_slots(follow_up.clinic_id, first_day=first, last_day=last, minutes=minutes, limit=limit)


def book_follow_up(
    by: User, follow_up: Any, *, practitioner: User, starts_at: datetime, room: Room | None = None
) -> Appointment:
    """Book the review of a scheduled follow-up, linked to it, inside its window."""
    from scleropath.followup.models import FollowUpStatus

    if follow_up.status != FollowUpStatus.SCHEDULED or follow_up.voided_at is not None:
        raise RecordError("This follow-up is no longer scheduled.")
    if follow_up.appointments.taking_time().exists():
        raise RecordError("This follow-up is already booked.")
    first, last = follow_up_window(follow_up)
    if not first <= timezone.localdate(starts_at) <= last:
        raise OutsideHours(f"Book this review between {first:%d %b} and {last:%d %b %Y}, its window.")
    return book(
        by,
        patient=follow_up.patient,
        practitioner=practitioner,
        kind=AppointmentKind.REVIEW,
        starts_at=starts_at,
        room=room,
        reason=follow_up.purpose,
        follow_up=follow_up,
    )


@dataclass(frozen=True)
class Recall:
    patient: Any
    reason: str
    since: date
    follow_up: Any = None
    invited_at: datetime | None = None

    @property
    def reason_label(self) -> str:
        from .models import RecallReason

        return RecallReason(self.reason).label


def recall_list(by: User, today: date | None = None) -> list[Recall]:
    """Patients to invite to book: those whose latest outcome advised retreatment and who have no
    treatment booked since, and those whose scheduled review is past its window (or due date) with
    nothing booked for it; each with when they were last invited. Oldest first."""
    from scleropath.followup.models import FollowUp, FollowUpStatus, Outcome

    from .models import Invitation, RecallReason

    require(by, Action.BOOK)
    clinic_id = clinic_id_of(by)
    today = today or timezone.localdate()
    booked = Appointment.objects.taking_time().filter(clinic_id=clinic_id)
    rows: list[Recall] = []
    latest: dict[int, Any] = {}
    for outcome in (
        Outcome.objects.active()
        .filter(clinic_id=clinic_id)
        .select_related("patient")
        .order_by("assessed_on", "pk")
    ):
        latest[outcome.patient_id] = outcome
    treated_since = set(
        booked.filter(kind=AppointmentKind.TREATMENT, patient_id__in=list(latest)).values_list(
            "patient_id", "starts_at"
        )
    )
    for patient_id, outcome in latest.items():
        if not outcome.retreatment_needed:
            continue
        if any(p == patient_id and timezone.localdate(at) >= outcome.assessed_on for p, at in treated_since):
            continue
        rows.append(Recall(outcome.patient, RecallReason.RETREATMENT, outcome.assessed_on))
    overdue = (
        FollowUp.objects.active()
        .filter(clinic_id=clinic_id, status=FollowUpStatus.SCHEDULED)
        .filter(Q(window_end__lt=today) | Q(window_end__isnull=True, due_on__lt=today))
        .exclude(pk__in=booked.filter(follow_up__isnull=False).values("follow_up_id"))
        .select_related("patient")
    )
    rows += [Recall(f.patient, RecallReason.REVIEW_OVERDUE, f.window_end or f.due_on, f) for f in overdue]
    invited: dict[int, datetime] = {}
    for patient_id, at in (
        Invitation.objects.active()
        .filter(clinic_id=clinic_id, patient_id__in=[r.patient.pk for r in rows])
        .values_list("patient_id", "created_at")
    ):
        invited[patient_id] = max(at, invited.get(patient_id, at))
    rows = [Recall(r.patient, r.reason, r.since, r.follow_up, invited.get(r.patient.pk)) for r in rows]
    rows.sort(key=lambda r: (r.since, r.patient.family_name, r.patient.pk))
    return rows


def invite_to_book(
    by: User, patient: Patient, reason: str, follow_up: Any = None, *, send: bool = True
) -> Any:
    """Invite a patient on the recall list to book: record that they were asked, and send the
    invitation by email and text as they allow (``reminders.send_invitation``)."""
    from .models import Invitation, RecallReason
    from .reminders import send_invitation

    require(by, Action.BOOK)
    clinic_id = clinic_id_of(by)
    _same_clinic(clinic_id, patient, follow_up)
    invitation = Invitation(
        clinic_id=clinic_id, created_by=by, patient=patient, reason=RecallReason(reason), follow_up=follow_up
    )
    invitation.full_clean(exclude=["patient", "follow_up"])
    invitation.save()
    if send:  # the demo records invitations without sending them
        send_invitation(invitation)
    return invitation


def reviews_to_book(by: User, today: date | None = None, *, limit: int = 20) -> list[Any]:
    """Scheduled follow-ups whose window has not passed and with no review booked, soonest due
    first: what reception books next."""
    from scleropath.followup.models import FollowUp, FollowUpStatus

    require(by, Action.BOOK)
    today = today or timezone.localdate()
    booked = Appointment.objects.taking_time().filter(clinic_id=clinic_id_of(by), follow_up__isnull=False)
    return list(
        FollowUp.objects.active()
        .filter(clinic_id=clinic_id_of(by), status=FollowUpStatus.SCHEDULED)
        .filter(Q(window_end__gte=today) | Q(window_end__isnull=True, due_on__gte=today))
        .exclude(pk__in=booked.values("follow_up_id"))
        .select_related("patient")
        .order_by("due_on", "pk")[:limit]
    )


# --- the patient --------------------------------------------------------------------------------


def change_patient(
    by: User, appointment: Appointment, patient: Patient, *, expected_version: int
) -> Appointment:
    """Give a booked or held appointment to another patient of the clinic: an online booking made by
    someone reception finds the clinic already knows. The time, practitioner and room stay."""
    require(by, Action.BOOK)
    _same_clinic(clinic_id_of(by), appointment, patient)
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.HELD):
        raise BadTransition(
            f"A {appointment.get_status_display().lower()} appointment cannot change its patient."
        )
    appointment.patient = patient
    appointment.save_checked(expected_version)
    return appointment


def session_completed(by: User, session: Any) -> Appointment | None:
    """Once a session is completed, so is the appointment it was opened from (if it is still in
    progress or arrived): the diary shows what happened without a second click."""
    appointment: Appointment | None = Appointment.objects.filter(
        session=session, status__in=(AppointmentStatus.ARRIVED, AppointmentStatus.IN_PROGRESS)
    ).first()
    if appointment is None:
        return None
    appointment.status = AppointmentStatus.COMPLETED
    appointment.status_changed_at = timezone.now()
    appointment.status_changed_by = by
    appointment.save_checked(appointment.version)
    return appointment
