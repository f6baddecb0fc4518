"""After a session of the chain: the follow-ups and check-ins its aftercare books, and the side
effects its patient reports, triaged by the engine."""

from __future__ import annotations

from typing import Any

from scleropath.checkins.models import CheckInStatus
from scleropath.followup.models import FollowUpStatus

from .clinics import Staff
from .state import Chain

# Workload shape, not clinical figures: how the chain's appointments turn out.
FOLLOW_UP_ATTENDED, FOLLOW_UP_MISSED = 0.85, 0.10  # the rest cancelled
CHECK_IN_ANSWERED = 0.70  # the rest missed
SEVERITY_FOR_LEVEL = {
    "expected": "mild",
    "routine_review": "mild",
    "prompt_review": "moderate",
    "emergency": "severe",
}


def follow_ups(
    chain: Chain, staff: Staff, pid: int, sid: int, ordinal: int, aftercare: dict[str, Any]
) -> None:
    """The follow-ups the session's aftercare books, and its check-ins (with one the day before each
    follow-up); those due by the chain's last day are attended or answered, missed or cancelled."""
    rng = chain.rng
    clinic = staff.clinic_id
    nurse = rng.choice(staff.practitioners)
    booked = chain.at(ordinal, 13 * 60)
    check_days: dict[int, str] = {c["day"]: c["purpose"] for c in aftercare.get("check_ins", [])}
    for fu in aftercare["follow_up"]:
        due = ordinal + round(fu["after_days"])
        window = fu.get("window_days")
        window_end = chain.day(ordinal + round(window[1])) if window and window[1] else None
        done_at = done_by = None
        if due > chain.until_ord:
            status = FollowUpStatus.SCHEDULED
        else:
            roll = rng.random()
            if roll < FOLLOW_UP_ATTENDED:
                status, done_at, done_by = FollowUpStatus.DONE, chain.at(due, 14 * 60), nurse
            elif roll < FOLLOW_UP_ATTENDED + FOLLOW_UP_MISSED:
                status = FollowUpStatus.MISSED
            else:
                status = FollowUpStatus.CANCELLED
        chain.t_follow_up.add(
            (
                clinic,
                booked,
                nurse,
                pid,
                sid,
                fu["id"],
                fu["purpose"],
                chain.day(due),
                window_end,
                status,
                done_at,
                done_by,
            )
        )
        before = round(fu["after_days"]) - 1
        if before > 0 and before not in check_days:
            check_days[before] = f"Before your review: {fu['purpose'].lower()}"
    for day, purpose in sorted(check_days.items()):
        due = ordinal + day
        answered = None
        if due > chain.until_ord:
            check_status = CheckInStatus.SCHEDULED
        elif rng.random() < CHECK_IN_ANSWERED:
            check_status, answered = CheckInStatus.ANSWERED, chain.at(due, 18 * 60)
        else:
            check_status = CheckInStatus.MISSED
        chain.t_check_in.add(
            (clinic, booked, nurse, pid, sid, day, purpose, chain.day(due), check_status, answered)
        )


def adverse_events(chain: Chain, staff: Staff, pid: int, sessions: list[tuple[int, int, int]]) -> None:
    """Each sourced symptom with its reported rate per treated patient, after one of their
    sessions, triaged by the engine for the days since it; the day falls within the last
    check-in day the protocol schedules, when such symptoms are looked for."""
    if not sessions:
        return
    rng = chain.rng
    for symptom, rate in chain.catalogue.symptoms.items():
        if rng.random() >= rate:
            continue
        sid, ordinal, window = rng.choice(sessions)
        days = rng.randint(0, window)
        onset = ordinal + days
        if onset > chain.until_ord:
            continue
        triage = chain.catalogue.triage(symptom, days)
        level = triage["level"]
        resolved = None
        lasts = chain.protocol.symptoms[symptom].expected_resolution_days
        if lasts is not None and lasts.min is not None:
            end = onset + rng.randint(int(lasts.min), int(lasts.max or lasts.min))
            resolved = chain.day(end) if end <= chain.until_ord else None
        nurse = rng.choice(staff.practitioners)
        chain.t_event.add(
            (
                staff.clinic_id,
                chain.at(onset, 12 * 60),
                nurse,
                pid,
                sid,
                symptom,
                chain.day(onset),
                SEVERITY_FOR_LEVEL.get(level, "moderate"),
                level,
                chain.dumps(triage),
                resolved,
            )
        )
