"""The diary as FHIR R4: rooms as ``Location``, appointments as ``Appointment``, each
practitioner's weekly working hours as a ``Schedule``, and the free time in it as ``Slot``s, and
the first three read back.

A diary appointment is told from a follow-up (also an ``Appointment``, see ``map_aftercare``) by
its ``appointmentType``, coded in our appointment-kind system. Slots are not records: they are
worked out from the working hours and the appointments whenever the diary is exported, for the
next ``FHIR_SCHEDULE_DAYS`` days, one per free cell of the clinic's diary grid. So an import reads
rooms, appointments and working hours, and passes over slots.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from scleropath.accounts.models import User
from scleropath.assessments.models import TreatmentPlan
from scleropath.diary.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    OpeningHours,
    Room,
    Weekday,
    WorkingHours,
)
from scleropath.diary.services import FreeSlot
from scleropath.followup.models import FollowUp
from scleropath.treatment.models import TreatmentSession

from . import codes
from .common import (
    Bad,
    Records,
    Resource,
    code,
    details,
    get,
    instant,
    key,
    maybe_when,
    opt,
    parts,
    ref,
    reference,
    resource,
    rid,
    status_from,
    when,
)

APPOINTMENT_STATUS = {
    AppointmentStatus.HELD: "pending",
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.ARRIVED: "arrived",
    AppointmentStatus.IN_PROGRESS: "checked-in",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.DID_NOT_ATTEND: "noshow",
}
# Which record a ``supportingInformation`` reference stands for, by the resource's key prefix.
SUPPORTING = {"Appointment/followup-": "follow_up", "CarePlan/plan-": "plan", "Procedure/session-": "session"}


def kind_concept(kind: str) -> dict[str, Any]:
    return codes.concept(codes.APPOINTMENT_KIND, kind, AppointmentKind(kind).label)


# --- rooms --------------------------------------------------------------------------------------


# FHIR's days of the week, in the order of the diary's weekdays (Monday first).
DAYS_OF_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def location(room: Room, opening: Iterable[OpeningHours] = ()) -> Resource:
    """A room, available when its clinic is open: the clinic's opening hours travel with its rooms
    (``hoursOfOperation``), since the diary offers free slots only inside them."""
    hours = [
        {
            "daysOfWeek": [DAYS_OF_WEEK[o.weekday]],
            "openingTime": o.opens.isoformat(),
            "closingTime": o.closes.isoformat(),
        }
        for o in opening
    ]
    return resource(
        "Location",
        rid("room", room.pk),
        status="active" if room.active else "inactive",
        name=room.name,
        mode="instance",
        hoursOfOperation=hours or None,
    )


def read_location(r: Resource, records: Records) -> None:
    """The clinic's room of that name, made if it has none; the opening hours it carries are added
    to the clinic's where it has none the same."""
    name = str(get(r, "name")).strip()
    if not name:
        raise Bad("name is empty")
    room, made = Room.objects.get_or_create(
        clinic=records.clinic, name=name[:80], defaults={"active": r.get("status") != "inactive"}
    )
    if made:
        records.result.counts["Room"] += 1
    records.made[key(r)] = room
    for n, row in enumerate(r.get("hoursOfOperation", [])):
        try:
            opens = time.fromisoformat(str(get(row, "openingTime")))
            closes = time.fromisoformat(str(get(row, "closingTime")))
            weekdays = [DAYS_OF_WEEK.index(d) for d in row.get("daysOfWeek", [])]
        except ValueError:
            raise Bad(
                f"hoursOfOperation[{n}] is not a day of the week with opening and closing times"
            ) from None
        for weekday in weekdays:
            hours = OpeningHours(clinic=records.clinic, weekday=weekday, opens=opens, closes=closes)
            try:
                hours.full_clean()
            except ValidationError as exc:
                raise Bad(f"hoursOfOperation[{n}]: {' '.join(exc.messages)}") from None
            if not OpeningHours.objects.filter(
                clinic=records.clinic, weekday=weekday, opens=opens, closes=closes
            ).exists():
                hours.save()
                records.result.counts["OpeningHours"] += 1


# --- appointments -------------------------------------------------------------------------------


def appointment(a: Appointment) -> Resource:
    participants: list[dict[str, Any]] = []
    if a.patient_id is not None:
        participants.append({"actor": ref("Patient", "patient", a.patient_id), "status": "accepted"})
    participants.append({"actor": ref("Practitioner", "staff", a.practitioner_id), "status": "accepted"})
    if a.room_id is not None:
        participants.append({"actor": ref("Location", "room", a.room_id), "status": "accepted"})
    supporting = []
    if a.follow_up_id is not None:
        supporting.append(ref("Appointment", "followup", a.follow_up_id))
    if a.plan_id is not None:
        supporting.append(ref("CarePlan", "plan", a.plan_id))
    if a.session_id is not None:
        supporting.append(ref("Procedure", "session", a.session_id))
    extra = {
        "source": a.source,
        "hold_expires_at": a.hold_expires_at,
        "status_changed_at": a.status_changed_at,
        "cancelled_at": a.cancelled_at,
    }
    return resource(
        "Appointment",
        rid("appointment", a.pk),
        extension=[details("appointment", extra)],
        status=APPOINTMENT_STATUS[AppointmentStatus(a.status)],
        cancelationReason={"text": a.cancel_reason} if a.cancel_reason else None,
        appointmentType=kind_concept(a.kind),
        description=a.reason,
        supportingInformation=supporting,
        start=instant(a.starts_at),
        end=instant(a.ends_at),
        minutesDuration=a.minutes,
        participant=participants,
    )


def is_diary_appointment(r: Resource) -> bool:
    return codes.code_of(r.get("appointmentType"), codes.APPOINTMENT_KIND) is not None


def read_appointment(r: Resource, records: Records) -> None:
    p = parts(r, "appointment")
    actors = [reference(get(x, "actor"), "participant") for x in r.get("participant", [])]

    def actor(prefix: str) -> Any:
        found = next((a for a in actors if a.startswith(f"{prefix}/")), None)
        return records.maybe_obj({"reference": found} if found else None, f"participant ({prefix})")

    practitioner = actor("Practitioner")
    if not isinstance(practitioner, User):
        raise Bad("no practitioner among the participants")
    links: dict[str, Any] = {}
    for n, element in enumerate(r.get("supportingInformation", [])):
        target = reference(element, f"supportingInformation[{n}]")
        field = next((f for prefix, f in SUPPORTING.items() if target.startswith(prefix)), None)
        if field is None:
            raise Bad(f"supportingInformation[{n}] refers to {target}, which an appointment is never for")
        links[field] = records.obj(element, f"supportingInformation[{n}]")
    a = Appointment(
        patient=actor("Patient"),
        practitioner=practitioner,
        room=actor("Location"),
        kind=code(r.get("appointmentType"), codes.APPOINTMENT_KIND, "appointmentType"),
        status=status_from(r.get("status"), APPOINTMENT_STATUS, "an appointment"),
        starts_at=when(get(r, "start"), "start"),
        ends_at=when(get(r, "end"), "end"),
        reason=r.get("description", ""),
        source=p.get("source", "staff"),
        hold_expires_at=maybe_when(p.get("hold_expires_at"), "hold_expires_at"),
        status_changed_at=maybe_when(p.get("status_changed_at"), "status_changed_at"),
        cancelled_at=maybe_when(p.get("cancelled_at"), "cancelled_at"),
        cancel_reason=(opt(r, "cancelationReason", "text") or ""),
        **links,
    )
    for field, model in (("follow_up", FollowUp), ("plan", TreatmentPlan), ("session", TreatmentSession)):
        if field in links and not isinstance(links[field], model):
            raise Bad(f"supportingInformation for the {field.replace('_', ' ')} is not one")
    records.save(r, a)


# --- working hours and free slots ---------------------------------------------------------------


def _hours_text(rows: Iterable[WorkingHours]) -> str:
    return "; ".join(
        f"{Weekday(w.weekday).label} {w.starts:%H:%M}–{w.ends:%H:%M}" + (f" ({w.room})" if w.room else "")
        for w in rows
    )


def schedule(practitioner: User, rows: list[WorkingHours], first_day: date, last_day: date) -> Resource:
    """The practitioner's weekly working hours, each row a part of the working-hours extension
    (``<weekday> <HH:MM>-<HH:MM>``, and ``room-<id>`` when it has a room), over the days its slots
    cover."""
    hours = []
    for w in rows:
        value = f"{w.weekday} {w.starts:%H:%M}-{w.ends:%H:%M}"
        if w.room_id is not None:
            value += f" {rid('room', w.room_id)}"
        hours.append({"url": "hours", "valueString": value})
    actors = [ref("Practitioner", "staff", practitioner.pk)]
    actors += [ref("Location", "room", pk) for pk in dict.fromkeys(w.room_id for w in rows if w.room_id)]
    return resource(
        "Schedule",
        rid("schedule", practitioner.pk),
        extension=[{"url": codes.ext("working-hours"), "extension": hours}],
        active=True,
        actor=actors,
        planningHorizon={
            "start": instant(timezone.make_aware(datetime.combine(first_day, time(0)))),
            "end": instant(timezone.make_aware(datetime.combine(last_day, time(23, 59, 59)))),
        },
        comment=_hours_text(rows),
    )


def slot(s: FreeSlot) -> Resource:
    return resource(
        "Slot",
        f"slot-{s.practitioner_id}-{s.starts_at.astimezone(UTC):%Y%m%d%H%M}",
        schedule=ref("Schedule", "schedule", s.practitioner_id),
        status="free",
        start=instant(s.starts_at),
        end=instant(s.ends_at),
    )


def read_schedule(r: Resource, records: Records) -> None:
    """The practitioner's working hours, added where they have none the same."""
    practitioner = records.obj(opt(r, "actor", 0), "actor")
    url = codes.ext("working-hours")
    rows = next((e.get("extension", []) for e in r.get("extension", []) if e.get("url") == url), None)
    if rows is None:
        raise Bad(f"extension {url} is missing")
    for n, row in enumerate(rows):
        bits = str(row.get("valueString", "")).split()
        try:
            weekday = int(bits[0])
            starts, ends = (time.fromisoformat(t) for t in bits[1].split("-"))
        except (IndexError, ValueError):
            raise Bad(f"extension {url} part {n} is not '<weekday> <HH:MM>-<HH:MM>'") from None
        room = records.obj({"reference": f"Location/{bits[2]}"}, f"{url} part {n}") if len(bits) > 2 else None
        hours = WorkingHours(practitioner=practitioner, weekday=weekday, starts=starts, ends=ends, room=room)
        try:
            hours.full_clean()
        except ValidationError as exc:
            raise Bad(f"extension {url} part {n}: {' '.join(exc.messages)}") from None
        if not WorkingHours.objects.filter(
            practitioner=practitioner, weekday=weekday, starts=starts, ends=ends, room=room
        ).exists():
            hours.save()
            records.result.counts["WorkingHours"] += 1
