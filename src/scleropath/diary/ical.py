"""An appointment as an iCalendar file (RFC 5545), attached to its confirmation email so the
patient can add it to their calendar."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Appointment


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
