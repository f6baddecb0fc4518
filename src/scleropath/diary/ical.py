"""Appointments as iCalendar (RFC 5545): one appointment as a file attached to its confirmation
email, so the patient can add it to their calendar, and a practitioner's appointments as the feed
their own calendar program subscribes to.

The feed leaves the clinic's systems, so it says as little as a glance at the day needs: the kind
of appointment and the patient's initials, the room, the times. No names, no reasons, no contact
details. Both use one UID per appointment, so a moved appointment moves in the calendar, and its
``SEQUENCE`` is the appointment's version. In the feed, appointments that no longer take the time
(cancelled, or not attended) are sent as ``STATUS:CANCELLED``, so calendars drop them rather than
keep a stale entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import FREEING_STATUSES, Appointment, AppointmentStatus

if TYPE_CHECKING:
    from scleropath.accounts.models import User
    from scleropath.patients.models import Patient

DAYS_BACK = 30
DAYS_AHEAD = 180
FEED_PRODID = "-//ScleroPath//Diary//EN"


def appointment_uid(appointment: Appointment) -> str:
    """The event's id: the same for every version of the appointment, so a calendar that took the
    first confirmation updates that event when a moved appointment's confirmation arrives."""
    host = urlsplit(settings.SCLEROPATH_BASE_URL).hostname or "scleropath"
    return f"appointment-{appointment.pk}@{host}"


def appointment_ics(appointment: Appointment) -> bytes:
    """The appointment as a one-event calendar: when, where, with whom, what for."""
    clinic = appointment.clinic
    calendar = Calendar()
    calendar.add("prodid", "-//ScleroPath//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    # Each move raises the version, so calendars replace the event rather than keep the old time.
    event.add("sequence", appointment.version - 1)
    event.add("summary", f"{appointment.get_kind_display()} at {clinic.name}")
    event.add(
        "location",
        ", ".join(p for p in (clinic.name, appointment.room.name if appointment.room else "") if p),
    )
    lines = [f"With {appointment.practitioner.display_name}."]
    if clinic.phone:
        lines.append(f"To change it, call {clinic.phone}.")
    event.add("description", " ".join(lines))
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics


# --- a practitioner's feed ---------------------------------------------------------------------


def initials(patient: Patient | None) -> str:
    """``A.J.`` for Ann Jones; empty for a hold that has no patient yet."""
    if patient is None:
        return ""
    letters = [name.strip()[:1].upper() for name in (patient.given_name, patient.family_name)]
    return "".join(f"{letter}." for letter in letters if letter)


def _status(appointment: Appointment) -> str:
    if appointment.status in FREEING_STATUSES:
        return "CANCELLED"
    if appointment.status == AppointmentStatus.HELD:
        return "TENTATIVE"
    return "CONFIRMED"


def _event(appointment: Appointment) -> Event:
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", appointment.status_changed_at or appointment.created_at)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    who = initials(appointment.patient)
    kind = appointment.get_kind_display()
    event.add("summary", f"{kind} – {who}" if who else kind)
    if appointment.room is not None:
        event.add("location", appointment.room.name)
    event.add("status", _status(appointment))
    event.add("sequence", appointment.version - 1)
    event.add("transp", "TRANSPARENT" if appointment.status in FREEING_STATUSES else "OPAQUE")
    return event


def feed_ics(practitioner: User, *, now: datetime | None = None) -> bytes:
    """The practitioner's live appointments from ``DAYS_BACK`` days ago to ``DAYS_AHEAD`` days ahead."""
    now = now or timezone.now()
    appointments = (
        Appointment.objects.active()
        .filter(
            practitioner=practitioner,
            starts_at__gte=now - timedelta(days=DAYS_BACK),
            starts_at__lt=now + timedelta(days=DAYS_AHEAD),
        )
        .select_related("patient", "room")
        .order_by("starts_at", "pk")
    )
    calendar = Calendar()
    calendar.add("prodid", FEED_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"ScleroPath: {practitioner.display_name}")
    for appointment in appointments:
        calendar.add_component(_event(appointment))
    ics: bytes = calendar.to_ical()
    return ics
