"""The diary's grid geometry (web/diary_grid.py), without a request: rows on the clinic's slot
grid within opening hours, closed and away time greyed, appointments drawn as blocks over their rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from scleropath.diary import services as diary
from scleropath.diary.models import Absence, DiarySettings
from scleropath.web.diary_grid import (
    BLOCK,
    CLOSED,
    COVERED,
    FREE,
    Column,
    build_grid,
    day_columns,
    week_columns,
)
from tests.diary.conftest import Diary
from tests.pathway import Clinics, Pathway

DAY = date(2030, 3, 4)  # a Monday


@dataclass
class Booked:
    starts_at: datetime
    ends_at: datetime


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return diary.local_datetime(day, time(hour, minute))


def states(grid, column: int = 0) -> list[str]:
    return [row[column].state for row in grid.rows]


def test_rows_run_on_the_slot_grid_from_opening_to_closing():
    column = Column(1, "Alice", DAY, [(time(9), time(11))])
    grid = build_grid([column], 30, [(time(9), time(11))])
    assert grid.times == [time(9), time(9, 30), time(10), time(10, 30)]
    assert states(grid) == [FREE] * 4


def test_outside_working_hours_is_closed_inside_opening_hours():
    alice = Column(1, "Alice", DAY, [(time(10), time(11))])
    nora = Column(2, "Nora", DAY, [(time(9), time(12))])
    grid = build_grid([alice, nora], 30, [(time(9), time(12))])
    assert states(grid, 0) == [CLOSED, CLOSED, FREE, FREE, CLOSED, CLOSED]
    assert states(grid, 1) == [FREE] * 6


def test_an_appointment_is_one_block_over_the_rows_it_reaches_into():
    column = Column(1, "Alice", DAY, [(time(9), time(12))], appointments=[Booked(at(9, 30), at(10, 15))])
    grid = build_grid([column], 15, [(time(9), time(12))])
    cells = [row[0] for row in grid.rows]
    assert cells[2].state == BLOCK and cells[2].rows == 3 and cells[2].starts_at == at(9, 30)
    assert [c.state for c in cells[3:5]] == [COVERED, COVERED]
    assert cells[5].state == FREE


def test_an_appointment_off_the_grid_starts_in_the_row_its_start_falls_in():
    column = Column(1, "Alice", DAY, [(time(9), time(11))], appointments=[Booked(at(9, 10), at(9, 40))])
    grid = build_grid([column], 30, [(time(9), time(11))])
    first = grid.rows[0][0]
    assert (first.state, first.rows) == (BLOCK, 2)


def test_an_appointment_outside_opening_hours_widens_the_grid_to_show_it():
    column = Column(1, "Alice", DAY, [(time(9), time(10))], appointments=[Booked(at(18), at(18, 30))])
    grid = build_grid([column], 30, [(time(9), time(10))])
    assert grid.times[0] == time(9) and grid.times[-1] == time(18)
    assert grid.rows[-1][0].state == BLOCK


def test_away_time_is_closed():
    column = Column(1, "Alice", DAY, [(time(9), time(11))], away=[(at(9, 30), at(10, 30))])
    grid = build_grid([column], 30, [(time(9), time(11))])
    assert states(grid) == [FREE, CLOSED, CLOSED, FREE]


def test_a_closed_day_with_nothing_booked_has_no_rows():
    assert build_grid([Column(1, "Alice", DAY, [])], 15, []).times == []


def test_the_clinics_day_has_a_column_per_practitioner_and_per_room(
    clinics: Clinics, pathway: Pathway, rooms: Diary
):
    DiarySettings.objects.update_or_create(clinic=clinics.a, defaults={"slot_minutes": 30})
    day = timezone.localdate() + timedelta(days=2)
    booked = diary.book(
        clinics.rita,
        patient=pathway.patient,
        practitioner=clinics.nora,
        kind="consultation",
        starts_at=diary.local_datetime(day, time(9)),
        room=rooms.room1,
    )
    Absence.objects.create(
        practitioner=clinics.alice,
        starts_at=diary.local_datetime(day, time(12)),
        ends_at=diary.local_datetime(day, time(13)),
    )
    grid = day_columns(clinics.a.pk, day)
    assert [c.label for c in grid.columns] == ["Alice", "Nora"]
    assert grid.times[0] == time(8) and grid.times[-1] == time(17, 30) and len(grid.times) == 20
    nine, noon = grid.times.index(time(9)), grid.times.index(time(12))
    assert grid.rows[nine][1].appointment == booked and grid.rows[nine][1].rows == 1
    assert grid.rows[noon][0].state == CLOSED and grid.rows[nine][0].state == FREE
    assert grid.columns[0].room_id == rooms.room1.pk  # a free cell books the practitioner's room
    by_room = day_columns(clinics.a.pk, day, "room")
    assert [c.label for c in by_room.columns] == ["Room 1", "Room 2"]
    assert by_room.rows[nine][0].appointment == booked and by_room.rows[nine][1].state == FREE
    week = week_columns(clinics.a.pk, clinics.nora, day - timedelta(days=day.weekday()))
    assert len(week.columns) == 7
    assert any(cell.appointment == booked for row in week.rows for cell in row)
