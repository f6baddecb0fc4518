"""The diary: appointments (list, book, move, cancel, change status) and the free slots to book into.

Reading and writing the diary both need the right to book (reception, nurses and clinicians), as on
the diary's pages. A time already taken is refused with 409; a time outside the clinic's or the
practitioner's hours, or a status that does not follow, with 422; a stale ``version`` with 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, Field, StringConstraints, model_validator

from scleropath.accounts.access import clinic_id_of, get_for_user, scoped
from scleropath.accounts.permissions import Action, require
from scleropath.assessments.models import TreatmentPlan
from scleropath.diary import services as diary
from scleropath.diary.models import Appointment, AppointmentKind, Room
from scleropath.followup.models import FollowUp
from scleropath.patients.models import Patient

from .auth import caller
from .listing import ListQuery, listed
from .schemas import EARLIEST, ERRORS, LATEST, WRITE_ERRORS, ClinicDate, Id, InputSchema, Page

router = Router(tags=["diary"])

# The longest span one free-slot search covers: a month of a busy clinic is thousands of slots.
MAX_SLOT_DAYS = 31
MAX_MINUTES = 8 * 60

KindCode = Literal["consultation", "treatment", "review", "phone_check"]
StatusCode = Literal["held", "booked", "arrived", "in_progress", "completed", "cancelled", "did_not_attend"]
NextStatusCode = Literal["arrived", "in_progress", "completed", "did_not_attend"]
Line = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=300)]
# Stripped first, so a reason of spaces is refused here (422) like an empty one.
CancelReason = Annotated[
    str, StringConstraints(pattern=r"^[^\x00]*$", strip_whitespace=True, min_length=1, max_length=300)
]
Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The appointment's version as read.")]


def _clinic_time(value: datetime) -> datetime:
    """A time without an offset is read on the clinic's wall clock; years past the API's range are refused."""
    if not EARLIEST <= value.date() <= LATEST:
        raise ValueError(f"Give a time between {EARLIEST:%Y} and {LATEST:%Y}.")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


ClinicTime = Annotated[datetime, AfterValidator(_clinic_time)]


class AppointmentOut(Schema):
    id: int
    patient_id: int | None = Field(description="Empty only for an online hold not yet confirmed.")
    practitioner_id: int
    room_id: int | None
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    minutes: int
    reason: str
    source: str = Field(description="'staff', or 'online' when the patient booked it.")
    version: int = Field(description="Changes on every write; a stale write is refused.")
    hold_expires_at: datetime | None
    follow_up_id: int | None
    plan_id: int | None
    session_id: int | None
    status_changed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    created_at: datetime
    voided_at: datetime | None


class AppointmentIn(InputSchema):
    patient: Id
    practitioner: Id = Field(description="A clinician or nurse of the clinic.")
    kind: KindCode
    starts_at: ClinicTime = Field(description="On the clinic's wall clock when it has no offset.")
    minutes: int | None = Field(
        None, ge=5, le=MAX_MINUTES, description="The clinic's default length for the kind when empty."
    )
    room: Id | None = None
    reason: Line = ""
    follow_up: Id | None = Field(None, description="The patient's follow-up the appointment is for.")
    plan: Id | None = Field(None, description="The patient's treatment plan the appointment is for.")


class MoveIn(InputSchema):
    version: Version
    starts_at: ClinicTime
    minutes: int | None = Field(None, ge=5, le=MAX_MINUTES, description="The same length when empty.")
    practitioner: Id | None = Field(None, description="The same practitioner when empty.")
    room: Id | None = Field(None, description="Left out: the same room; null: no room.")


class CancelIn(InputSchema):
    version: Version
    reason: CancelReason


class StatusIn(InputSchema):
    version: Version
    status: NextStatusCode


class FreeSlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    practitioner_id: int
    room_id: int | None


class FreeSlotQuery(Schema):
    kind: KindCode
    practitioner: Id | None = Field(None, description="Only this practitioner's slots.")
    from_: ClinicDate = Field(alias="from", description="The first day searched.")
    to: ClinicDate = Field(
        description=f"The last day searched, at most {MAX_SLOT_DAYS} days after the first."
    )
    minutes: int | None = Field(
        None, ge=5, le=MAX_MINUTES, description="The clinic's default length for the kind when empty."
    )

    @model_validator(mode="after")
    def _a_sensible_range(self) -> FreeSlotQuery:
        if self.to < self.from_:
            raise ValueError("'to' is before 'from'.")
        if (self.to - self.from_).days >= MAX_SLOT_DAYS:
            raise ValueError(f"Search at most {MAX_SLOT_DAYS} days at once.")
        return self


def _one_of(queryset: QuerySet[Any], pk: int | None, field: str, what: str) -> Any:
    """The row ``pk`` of ``queryset`` (already scoped to the caller's clinic), or a 422 naming ``field``."""
    if pk is None:
        return None
    found: Model | None = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No {what} {pk} in your clinic."})
    return found


def _practitioner(user: Any, pk: int | None) -> Any:
    return _one_of(diary.practitioners(clinic_id_of(user)), pk, "practitioner", "practitioner")


def _room(user: Any, pk: int | None) -> Room | None:
    rooms = Room.objects.filter(clinic_id=clinic_id_of(user), active=True)
    room: Room | None = _one_of(rooms, pk, "room", "room")
    return room


@router.get("/appointments", response={200: Page[AppointmentOut], **ERRORS}, summary="List appointments")
def list_appointments(
    request: HttpRequest,
    query: Query[ListQuery],
    practitioner: Id | None = None,
    patient: Id | None = None,
    status: StatusCode | None = None,
) -> Any:
    """Appointments, soonest first; the date range is the day they start."""
    return listed(
        request,
        Appointment,
        query,
        by="starts_at",
        order=("starts_at", "id"),
        action=Action.BOOK,
        practitioner_id=practitioner,
        patient_id=patient,
        status=status,
    )


@router.get(
    "/appointments/{appointment_id}", response={200: AppointmentOut, **ERRORS}, summary="One appointment"
)
def get_appointment(request: HttpRequest, appointment_id: Id) -> Any:
    return get_for_user(caller(request), Appointment, appointment_id, Action.BOOK)


@router.post("/appointments", response={201: AppointmentOut, **WRITE_ERRORS}, summary="Book an appointment")
def post_appointment(request: HttpRequest, body: AppointmentIn) -> Any:
    """Books the time if the practitioner and room are free (409 if not) and it is inside the
    clinic's opening hours and the practitioner's working hours (422 if not)."""
    user = caller(request)
    require(user, Action.BOOK)
    patient = _one_of(scoped(user, Patient, Action.BOOK), body.patient, "patient", "patient")
    follow_ups = FollowUp.objects.restrict(user, Action.BOOK).filter(patient=patient)
    plans = TreatmentPlan.objects.restrict(user, Action.BOOK).filter(patient=patient)
    appointment = diary.book(
        user,
        patient=patient,
        practitioner=_practitioner(user, body.practitioner),
        kind=body.kind,
        starts_at=body.starts_at,
        minutes=body.minutes,
        room=_room(user, body.room),
        reason=body.reason,
        follow_up=_one_of(follow_ups, body.follow_up, "follow_up", "follow-up of this patient"),
        plan=_one_of(plans, body.plan, "plan", "treatment plan of this patient"),
    )
    return Status(201, appointment)


@router.post(
    "/appointments/{appointment_id}/move",
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Move an appointment",
)
def post_move(request: HttpRequest, body: MoveIn, appointment_id: Id) -> Any:
    """Another time, and optionally another practitioner or room, checked as a new booking is."""
    user = caller(request)
    appointment = get_for_user(user, Appointment, appointment_id, Action.BOOK)
    room: Room | str | None = _room(user, body.room) if "room" in body.model_fields_set else "keep"
    return diary.move(
        user,
        appointment,
        expected_version=body.version,
        starts_at=body.starts_at,
        minutes=body.minutes,
        practitioner=_practitioner(user, body.practitioner),
        room=room,
    )


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Cancel an appointment",
)
def post_cancel(request: HttpRequest, body: CancelIn, appointment_id: Id) -> Any:
    """The reason is kept with the appointment; its time is free again at once."""
    user = caller(request)
    appointment = get_for_user(user, Appointment, appointment_id, Action.BOOK)
    return diary.cancel(user, appointment, expected_version=body.version, reason=body.reason)


@router.post(
    "/appointments/{appointment_id}/status",
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Change an appointment's status",
)
def post_status(request: HttpRequest, body: StatusIn, appointment_id: Id) -> Any:
    """booked → arrived → in progress → completed, or booked → did not attend once it has started."""
    user = caller(request)
    appointment = get_for_user(user, Appointment, appointment_id, Action.BOOK)
    return diary.set_status(user, appointment, body.status, expected_version=body.version)


@router.get("/free-slots", response={200: list[FreeSlotOut], **ERRORS}, summary="Free slots")
def get_free_slots(request: HttpRequest, query: Query[FreeSlotQuery]) -> Any:
    """Every start on the clinic's grid from ``from`` to ``to`` where a practitioner is working and
    free, with their room free, for the kind's length (or ``minutes``); soonest first, none past."""
    user = caller(request)
    require(user, Action.BOOK)
    clinic_id = clinic_id_of(user)
    practitioner = _practitioner(user, query.practitioner)
    minutes = query.minutes or diary.diary_settings(clinic_id).minutes_for(AppointmentKind(query.kind))
    return diary.free_slots(
        clinic_id,
        first_day=query.from_,
        last_day=query.to,
        minutes=minutes,
        practitioner_ids=None if practitioner is None else [practitioner.pk],
    )
