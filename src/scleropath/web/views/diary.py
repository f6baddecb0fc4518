"""The diary: the day (a column per practitioner or per room) and one practitioner's week, booking
from a free cell, an appointment's page (move, cancel, its day's statuses, the session it opens),
a follow-up's free review slots and the recall list."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from scleropath.accounts.access import clinic_id_of, get_for_user
from scleropath.accounts.permissions import Action, can, require
from scleropath.core.models import RecordError
from scleropath.core.validators import parse_version
from scleropath.diary import services as diary
from scleropath.diary.models import Appointment, AppointmentKind, AppointmentStatus, RecallReason, Room
from scleropath.followup.models import FollowUp
from scleropath.patients.access import get_patient_for_user, record_listing
from scleropath.patients.models import Patient

from ..diary_grid import day_columns, week_columns
from ..forms import DIARY_YEARS, AppointmentForm, CancelForm, MoveForm
from ..shortcuts import add_service_errors, page, refusal_text, staff
from .patients import search_patients

# The buttons an appointment's page offers for its day, after the service's own transitions.
STATUS_BUTTONS = {
    AppointmentStatus.ARRIVED: "Arrived",
    AppointmentStatus.IN_PROGRESS: "In progress",
    AppointmentStatus.COMPLETED: "Completed",
    AppointmentStatus.DID_NOT_ATTEND: "Did not attend",
}


def _day(raw: str | None) -> date:
    """The day asked for, or today when it is missing, malformed or beyond the diary's years."""
    try:
        shown = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()
    return shown if DIARY_YEARS[0] <= shown.year <= DIARY_YEARS[1] else timezone.localdate()


def grid_patients(grid: Any) -> list[Any]:
    """The patients of the appointments drawn on a grid, for the listing's audit entry."""
    shown = []
    for row in grid.rows:
        for cell in row:
            if cell.state == "block":
                many = cell.appointment if isinstance(cell.appointment, list) else [cell.appointment]
                shown += [a.patient for a in many if a.patient is not None]
    return shown


@login_required
def day(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    require(user, Action.BOOK)
    shown = _day(request.GET.get("day"))
    by = "room" if request.GET.get("by") == "room" else "practitioner"
    grid = day_columns(clinic_id_of(user), shown, by)
    to_book = diary.reviews_to_book(user)
    record_listing(user, [*grid_patients(grid), *to_book], f"Diary, {shown.isoformat()}")
    return page(
        request,
        "web/diary.html",
        {
            "day": shown,
            "by": by,
            "grid": grid,
            "previous": shown - timedelta(days=1),
            "next": shown + timedelta(days=1),
            "today": timezone.localdate(),
            "to_book": to_book,
        },
    )


@login_required
def week(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    require(user, Action.BOOK)
    shown = _day(request.GET.get("day"))
    monday = shown - timedelta(days=shown.weekday())
    people = list(diary.practitioners(clinic_id_of(user)))
    wanted = request.GET.get("practitioner") or (user.pk if user in people else None)
    person = next((p for p in people if str(p.pk) == str(wanted)), people[0] if people else None)
    grid = week_columns(clinic_id_of(user), person, monday) if person else None
    if grid:
        record_listing(user, grid_patients(grid), f"Diary week of {monday.isoformat()}")
    return page(
        request,
        "web/diary_week.html",
        {
            "monday": monday,
            "person": person,
            "people": people,
            "grid": grid,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
        },
    )


def _appointment_form(user: Any, data: Any, initial: dict[str, Any]) -> AppointmentForm:
    clinic_id = clinic_id_of(user)
    base = Patient.objects.restrict(user, Action.VIEW_PATIENT)
    q = (data or {}).get("q", "") or ""
    chosen = (data or {}).get("patient") or initial.get("patient")
    matches = list(search_patients(base, q).values_list("pk", flat=True)[:20]) if q else []
    patients = base.filter(Q(pk__in=matches) | Q(pk=chosen if str(chosen or "").isdigit() else None))
    form = AppointmentForm(
        patients.order_by("family_name", "given_name"),
        diary.practitioners(clinic_id),
        Room.objects.filter(clinic_id=clinic_id, active=True),
        AppointmentKind.choices,
        data,
        initial=initial,
    )
    settings = diary.diary_settings(clinic_id)
    usual = ", ".join(
        f"{label.lower()} {settings.minutes_for(kind)}" for kind, label in AppointmentKind.choices
    )
    form.fields["minutes"].help_text = f"Empty: the clinic's usual length in minutes ({usual})."
    return form


@login_required
def appointment_new(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    require(user, Action.BOOK)
    get = request.GET
    initial: dict[str, Any] = {"kind": get.get("kind", AppointmentKind.CONSULTATION)}
    for key in ("practitioner", "room", "patient"):
        if get.get(key, "").isdigit():
            initial[key] = int(get[key])
    try:
        at = timezone.localtime(datetime.fromisoformat(get["at"])) if get.get("at") else None
    except (ValueError, OverflowError):
        at = None
    if at is not None:
        initial.update(day=at.date(), starts=at.time())
    data = request.POST if request.method == "POST" else None
    form = _appointment_form(user, data, initial)
    if data is not None and "find" not in data and form.is_valid():
        d = form.cleaned_data
        # A treatment is for the patient's approved plan, and lasts as long as the plan's sessions do.
        plan = diary.approved_plan(d["patient"]) if d["kind"] == AppointmentKind.TREATMENT else None
        try:
            appointment = diary.book(
                user,
                patient=d["patient"],
                practitioner=d["practitioner"],
                kind=d["kind"],
                starts_at=diary.local_datetime(d["day"], d["starts"]),
                minutes=d["minutes"] or (diary.treatment_minutes(plan) if plan else None),
                room=d["room"],
                reason=d["reason"],
                plan=plan,
            )
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Booked: {appointment.patient} at {timezone.localtime(appointment.starts_at):%H:%M}.",
            )
            return redirect(f"{_diary_url(appointment)}")
    errors = data is not None and "find" not in data and bool(form.errors)
    if data is not None and "find" in data:
        form.errors.clear()  # only finding the patient: nothing is checked until Book
    return page(
        request,
        "web/appointment_new.html",
        {"form": form},
        fragment="patients",
        status=400 if errors else 200,
    )


def _diary_url(appointment: Appointment) -> str:
    from django.urls import reverse

    return f"{reverse('web:diary')}?day={timezone.localdate(appointment.starts_at).isoformat()}"


def _get_appointment(user: Any, appointment_id: int) -> Appointment:
    appointment = get_for_user(user, Appointment, appointment_id, Action.BOOK)
    if appointment.voided_at is not None:
        raise Http404("No appointment")
    return appointment


def _appointment_page(
    request: HttpRequest,
    appointment: Appointment,
    move_form: MoveForm | None = None,
    cancel_form: CancelForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    user = staff(request)
    clinic_id = clinic_id_of(user)
    local = timezone.localtime(appointment.starts_at)
    move_form = move_form or MoveForm(
        diary.practitioners(clinic_id),
        Room.objects.filter(clinic_id=clinic_id, active=True),
        initial={
            "practitioner": appointment.practitioner_id,
            "room": appointment.room_id,
            "day": local.date(),
            "starts": local.time(),
            "minutes": appointment.minutes,
            "version": appointment.version,
        },
    )
    cancel_form = cancel_form or CancelForm(initial={"version": appointment.version})
    if appointment.patient:
        record_listing(user, [appointment.patient], f"Appointment {appointment.pk}")
    return page(
        request,
        "web/appointment.html",
        {
            "appointment": appointment,
            "move_form": move_form,
            "cancel_form": cancel_form,
            "error": error,
            "movable": appointment.status in (AppointmentStatus.BOOKED, AppointmentStatus.HELD),
            "cancellable": appointment.status
            in (AppointmentStatus.BOOKED, AppointmentStatus.HELD, AppointmentStatus.ARRIVED),
            "statuses": [
                (s, STATUS_BUTTONS[AppointmentStatus(s)])
                for s in diary.NEXT_STATUSES.get(appointment.status, ())
            ],
            "can_start": appointment.kind == AppointmentKind.TREATMENT
            and appointment.session_id is None
            and appointment.status in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)
            and can(user, Action.INJECT),
            "can_override": can(user, Action.OVERRIDE_LIMIT),
            "off_plan_reason": request.POST.get("off_plan_reason", ""),
        },
        status=status,
    )


@login_required
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = staff(request)
    return _appointment_page(request, _get_appointment(user, appointment_id))


@login_required
@require_POST
def appointment_move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = staff(request)
    obj = _get_appointment(user, appointment_id)
    clinic_id = clinic_id_of(user)
    form = MoveForm(
        diary.practitioners(clinic_id), Room.objects.filter(clinic_id=clinic_id, active=True), request.POST
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            diary.move(
                user,
                obj,
                expected_version=d["version"],
                starts_at=diary.local_datetime(d["day"], d["starts"]),
                minutes=d["minutes"],
                practitioner=d["practitioner"],
                room=d["room"],
            )
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Appointment moved.")
            return redirect(_diary_url(obj))
        obj = _get_appointment(user, appointment_id)
    return _appointment_page(request, obj, move_form=form, status=400)


@login_required
@require_POST
def appointment_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = staff(request)
    obj = _get_appointment(user, appointment_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            diary.cancel(
                user,
                obj,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["cancel_reason"],
            )
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Appointment cancelled; the time is free again.")
            return redirect(_diary_url(obj))
        obj = _get_appointment(user, appointment_id)
    return _appointment_page(request, obj, cancel_form=form, status=400)


@login_required
@require_POST
def appointment_status(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = staff(request)
    obj = _get_appointment(user, appointment_id)
    try:
        version = parse_version(request.POST.get("version"))
        if request.POST.get("status") not in STATUS_BUTTONS:
            raise RecordError("Choose one of the status buttons.")
        diary.set_status(user, obj, request.POST["status"], expected_version=version)
    except (ValidationError, RecordError) as exc:
        return _appointment_page(
            request, _get_appointment(user, appointment_id), status=400, error=refusal_text(exc)
        )
    messages.success(request, f"{obj.patient}: {obj.get_status_display().lower()}.")
    return redirect("web:appointment", obj.pk)


@login_required
@require_POST
def appointment_start(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = staff(request)
    obj = _get_appointment(user, appointment_id)
    try:
        require(user, Action.INJECT)
        session = diary.start_session_from(
            user,
            obj,
            expected_version=parse_version(request.POST.get("version")),
            off_plan_reason=request.POST.get("off_plan_reason", ""),
        )
    except (ValidationError, RecordError) as exc:
        return _appointment_page(
            request, _get_appointment(user, appointment_id), status=400, error=refusal_text(exc)
        )
    return redirect("web:session", session.pk)


@login_required
def follow_up_slots(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    user = staff(request)
    follow_up = get_for_user(user, FollowUp, follow_up_id, Action.BOOK)
    error = ""
    if request.method == "POST":
        try:
            people = {p.pk: p for p in diary.practitioners(clinic_id_of(user))}
            rooms = {r.pk: r for r in Room.objects.filter(clinic_id=clinic_id_of(user))}
            who = people.get(int(request.POST.get("practitioner", "0") or 0))
            if who is None:
                raise RecordError("Choose one of the slots listed.")
            starts_at = datetime.fromisoformat(request.POST.get("at", ""))
            if timezone.is_naive(starts_at):
                starts_at = timezone.make_aware(starts_at)
            room_id = request.POST.get("room", "")
            room = rooms.get(int(room_id)) if room_id.isdigit() else None
            booked = diary.book_follow_up(user, follow_up, practitioner=who, starts_at=starts_at, room=room)
        except ValueError:
            error = "That slot is not one of those listed. Choose again."
        except (ValidationError, RecordError) as exc:
            error = refusal_text(exc)
        else:
            messages.success(
                request, f"Review booked for {timezone.localtime(booked.starts_at):%a %d %b %H:%M}."
            )
            return redirect(_diary_url(booked))
    slots = diary.follow_up_slots(follow_up, limit=60)
    first, last = diary.follow_up_window(follow_up)
    people = {p.pk: p for p in diary.practitioners(follow_up.clinic_id)}
    rooms = {r.pk: r for r in Room.objects.filter(clinic_id=follow_up.clinic_id)}
    record_listing(user, [follow_up.patient], f"Follow-up {follow_up.pk} slots")
    return page(
        request,
        "web/follow_up_slots.html",
        {
            "follow_up": follow_up,
            "patient": follow_up.patient,
            "booked": follow_up.appointments.taking_time().order_by("starts_at").first(),
            "slots": [(s, people.get(s.practitioner_id), rooms.get(s.room_id or 0)) for s in slots],
            "first": first,
            "last": last,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def recall(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    rows = diary.recall_list(user)
    record_listing(user, [r.patient for r in rows], "Recall list")
    return page(request, "web/recall.html", {"rows": rows})


@login_required
@require_POST
def invite(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = staff(request)
    require(user, Action.BOOK)
    patient = get_patient_for_user(user, patient_id, Action.BOOK)
    reason = request.POST.get("reason", "")
    follow_up = None
    if request.POST.get("follow_up", "").isdigit():
        follow_up = get_for_user(user, FollowUp, request.POST["follow_up"], Action.BOOK)
    if reason not in RecallReason.values:
        messages.error(request, "Choose why the patient is invited.")
    else:
        diary.invite_to_book(user, patient, reason, follow_up)
        messages.success(request, f"{patient} invited to book.")
    return redirect("web:recall")
