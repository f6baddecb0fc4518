"""The diary's grid: which rows a day or a week has, and what each cell of each column holds.

``build_grid`` is plain geometry over times and intervals (no database, no request), so the way
the diary is drawn is tested on its own. ``day_columns`` and ``week_columns`` read a clinic's
hours, absences and appointments into the columns it takes: one per practitioner or per room for a
day, one per day for one practitioner's week. A cell is free (a link to book it), closed (outside
opening or working hours, or the practitioner is away: greyed), the top of an appointment's block
(spanning its rows) or covered by a block above it (not drawn).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from scleropath.diary.models import Absence, Appointment, OpeningHours, Room, WorkingHours
from scleropath.diary.services import diary_settings, local_datetime, practitioners

FREE, CLOSED, BLOCK, COVERED = "free", "closed", "block", "covered"


@dataclass
class Column:
    """One column of the grid: a practitioner's or a room's day, or one day of a practitioner's week."""

    key: int
    label: str
    day: date
    bookable: list[tuple[time, time]]  # when the column may take an appointment, before absences
    away: list[tuple[datetime, datetime]] = field(default_factory=list)
    appointments: list[Any] = field(default_factory=list)  # anything with starts_at and ends_at
    practitioner_id: int | None = None
    room_id: int | None = None


@dataclass
class Cell:
    starts_at: datetime
    state: str
    appointment: Any = None
    rows: int = 1
    column: Column | None = None


@dataclass
class Grid:
    times: list[time]
    columns: list[Column]
    rows: list[list[Cell]]  # rows[i][j]: the cell at times[i] of columns[j]
    slot_minutes: int

    @property
    def row_pairs(self) -> list[tuple[time, list[Cell]]]:
        return list(zip(self.times, self.rows, strict=True))


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def grid_times(columns: list[Column], slot_minutes: int, opening: list[tuple[time, time]]) -> list[time]:
    """The rows: every slot from the earliest opening (or appointment) to the latest closing (or
    appointment end) of the columns' days, on the clinic's grid."""
    starts = [_minutes(o) for o, _ in opening] + [_minutes(s) for c in columns for s, _ in c.bookable]
    ends = [_minutes(c) for _, c in opening] + [_minutes(e) for c in columns for _, e in c.bookable]
    for column in columns:
        for a in column.appointments:
            start, end = timezone.localtime(a.starts_at), timezone.localtime(a.ends_at)
            starts.append(_minutes(start.time()) if start.date() == column.day else 0)
            ends.append(_minutes(end.time()) if end.date() == column.day else 24 * 60)
    if not starts:
        return []
    first = min(starts) - min(starts) % slot_minutes
    last = max(ends)
    return [_time(m) for m in range(first, min(last, 24 * 60), slot_minutes)]


def build_grid(
    columns: list[Column], slot_minutes: int, opening: list[tuple[time, time]] | None = None
) -> Grid:
    """Lay ``columns`` on a grid of ``slot_minutes`` rows. An appointment is drawn from the row its
    start falls in, over as many rows as it reaches into; a second appointment starting under a block
    (which the diary's rules prevent) is drawn in the block's cell rather than lost."""
    times = grid_times(columns, slot_minutes, opening or [])
    step = timedelta(minutes=slot_minutes)
    rows: list[list[Cell]] = [[] for _ in times]
    for column in columns:
        cells = [Cell(local_datetime(column.day, t), CLOSED, column=column) for t in times]
        for i, t in enumerate(times):
            cell = cells[i]
            end_t = (datetime.combine(column.day, t) + step).time()
            inside = any(s <= t and (end_t <= e or end_t == time(0)) for s, e in column.bookable)
            away = any(a < cell.starts_at + step and cell.starts_at < b for a, b in column.away)
            if inside and not away:
                cell.state = FREE
        top: Cell | None = None
        for a in sorted(column.appointments, key=lambda a: a.starts_at):
            index = next(
                (
                    i
                    for i in range(len(cells))
                    if cells[i].starts_at <= a.starts_at < cells[i].starts_at + step
                ),
                0 if cells and a.starts_at < cells[0].starts_at else None,
            )
            if index is None:
                continue
            if cells[index].state == COVERED and top is not None:
                top.appointment = [*_as_list(top.appointment), a]
                continue
            span = 1
            while index + span < len(cells) and cells[index + span].starts_at < a.ends_at:
                span += 1
            cells[index] = Cell(cells[index].starts_at, BLOCK, a, span, column)
            top = cells[index]
            for k in range(index + 1, index + span):
                cells[k] = Cell(cells[k].starts_at, COVERED, column=column)
        for i, cell in enumerate(cells):
            rows[i].append(cell)
    return Grid(times, columns, rows, slot_minutes)


def _as_list(found: Any) -> list[Any]:
    return found if isinstance(found, list) else [found]


def _overlap(a: list[tuple[time, time]], b: list[tuple[time, time]]) -> list[tuple[time, time]]:
    return [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if max(s1, s2) < min(e1, e2)]


# --- reading a clinic's diary -------------------------------------------------------------------


def _appointments(clinic_id: int, first: date, last: date) -> list[Appointment]:
    return list(
        Appointment.objects.taking_time()
        .filter(clinic_id=clinic_id)
        .overlapping(local_datetime(first, time(0)), local_datetime(last + timedelta(days=1), time(0)))
        .select_related("patient", "practitioner", "room")
    )


def _opening(clinic_id: int) -> dict[int, list[tuple[time, time]]]:
    opening: dict[int, list[tuple[time, time]]] = {}
    for o in OpeningHours.objects.filter(clinic_id=clinic_id):
        opening.setdefault(o.weekday, []).append((o.opens, o.closes))
    return opening


def day_columns(clinic_id: int, day: date, by: str = "practitioner") -> Grid:
    """The day's grid of the clinic: a column per practitioner (``by="practitioner"``) or per
    active room (``by="room"``). Six queries whatever the size of the day."""
    settings = diary_settings(clinic_id)
    opening = _opening(clinic_id).get(day.weekday(), [])
    appointments = _appointments(clinic_id, day, day)
    columns: list[Column] = []
    if by == "room":
        for room in Room.objects.filter(clinic_id=clinic_id, active=True):
            columns.append(
                Column(
                    room.pk,
                    room.name,
                    day,
                    list(opening),
                    appointments=[a for a in appointments if a.room_id == room.pk],
                    room_id=room.pk,
                )
            )
    else:
        staff = list(practitioners(clinic_id))
        working: dict[int, list[WorkingHours]] = {}
        for w in WorkingHours.objects.filter(practitioner__in=staff, weekday=day.weekday()):
            working.setdefault(w.practitioner_id, []).append(w)
        away: dict[int, list[tuple[datetime, datetime]]] = {}
        for absence in Absence.objects.filter(
            practitioner__in=staff,
            starts_at__lt=local_datetime(day + timedelta(days=1), time(0)),
            ends_at__gt=local_datetime(day, time(0)),
        ):
            away.setdefault(absence.practitioner_id, []).append((absence.starts_at, absence.ends_at))
        for person in staff:
            shifts = working.get(person.pk, [])
            columns.append(
                Column(
                    person.pk,
                    person.display_name,
                    day,
                    _overlap([(w.starts, w.ends) for w in shifts], opening),
                    away.get(person.pk, []),
                    [a for a in appointments if a.practitioner_id == person.pk],
                    practitioner_id=person.pk,
                    room_id=next((w.room_id for w in shifts if w.room_id), None),
                )
            )
    return build_grid(columns, settings.slot_minutes, opening)


def week_columns(clinic_id: int, practitioner: Any, monday: date) -> Grid:
    """One practitioner's week from ``monday``: a column per day."""
    settings = diary_settings(clinic_id)
    opening = _opening(clinic_id)
    sunday = monday + timedelta(days=6)
    appointments = [
        a for a in _appointments(clinic_id, monday, sunday) if a.practitioner_id == practitioner.pk
    ]
    working: dict[int, list[WorkingHours]] = {}
    for w in WorkingHours.objects.filter(practitioner=practitioner):
        working.setdefault(w.weekday, []).append(w)
    absences = list(
        Absence.objects.filter(
            practitioner=practitioner,
            starts_at__lt=local_datetime(sunday + timedelta(days=1), time(0)),
            ends_at__gt=local_datetime(monday, time(0)),
        ).values_list("starts_at", "ends_at")
    )
    columns = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        shifts = working.get(day.weekday(), [])
        columns.append(
            Column(
                offset,
                f"{day:%a} {day.day} {day:%b}",
                day,
                _overlap([(w.starts, w.ends) for w in shifts], opening.get(day.weekday(), [])),
                absences,
                [a for a in appointments if timezone.localdate(a.starts_at) == day],
                practitioner_id=practitioner.pk,
                room_id=next((w.room_id for w in shifts if w.room_id), None),
            )
        )
    all_opening = [span for spans in opening.values() for span in spans]
    return build_grid(columns, settings.slot_minutes, all_opening)
