"""The patient chart: its summary (what a clinician must see first) and its timeline, every record
of the pathway with what is still to come apart from what is done, in a fixed number of queries
whatever the history's length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import Assessment, Consent, LegScore, TreatmentPlan
from scleropath.checkins.models import CheckIn, CheckInStatus
from scleropath.core.engine import engine_for
from scleropath.followup.models import (
    AdverseEvent,
    AftercarePlan,
    ClinicalNote,
    FollowUp,
    FollowUpStatus,
    Outcome,
)
from scleropath.patients.models import Patient, ScreeningRecord
from scleropath.protocol.wording import name_of, words
from scleropath.treatment.models import TreatmentSession


@dataclass(frozen=True)
class Entry:
    when: datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    badge: str = ""
    badge_class: str = ""
    upcoming: bool = False


# How much of a note's first line the timeline shows (the note's page has the rest).
NOTE_LINE_CHARS = 120


def _note_url(n: ClinicalNote) -> str:
    """The Notes section of the page the note was written on."""
    if n.assessment_id is not None:
        return reverse("web:assessment", args=[n.assessment_id]) + "#notes"
    if n.session_id is not None:
        return reverse("web:session", args=[n.session_id]) + "#notes"
    return reverse("web:follow_up", args=[n.follow_up_id]) + "#notes"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def chart_context(user: User, patient: Patient) -> dict[str, Any]:
    clinical = can(user, Action.VIEW_CLINICAL)
    context: dict[str, Any] = {
        "patient": patient,
        "weight": patient.latest_weight(),
        "clinical": clinical,
        "can_assess": can(user, Action.ASSESS),
        "can_screen": can(user, Action.SCREEN),
    }
    if not clinical:
        return context
    live = {"voided_at__isnull": True}
    screening = patient.current_screening()
    protocol = engine_for(patient.clinic).protocol
    assessments = list(Assessment.objects.filter(patient=patient, **live).select_related("clinician"))
    plans = list(TreatmentPlan.objects.filter(patient=patient, **live))
    consents = list(Consent.objects.filter(patient=patient, **live).select_related("taken_by"))
    sessions = list(TreatmentSession.objects.filter(patient=patient, **live).select_related("practitioner"))
    aftercare = list(AftercarePlan.objects.filter(patient=patient, **live).select_related("session"))
    follow_ups = list(FollowUp.objects.filter(patient=patient, **live))
    check_ins = list(CheckIn.objects.filter(patient=patient, **live).select_related("session"))
    events = list(AdverseEvent.objects.filter(patient=patient, **live))
    outcomes = list(Outcome.objects.filter(patient=patient, **live))
    notes = list(ClinicalNote.objects.filter(patient=patient, **live).select_related("author"))
    scores = list(
        LegScore.objects.filter(assessment__patient=patient, **live)
        .select_related("assessment")
        .order_by("assessment__assessed_at")
    )
    entries: list[Entry] = []
    for a in assessments:
        entries.append(
            Entry(
                a.assessed_at,
                "assessment",
                "Assessment",
                f"by {a.clinician.display_name}",
                reverse("web:assessment", args=[a.pk]),
            )
        )
    for p in plans:
        entries.append(
            Entry(
                p.created_at,
                "plan",
                "Treatment plan",
                ", ".join(name_of(protocol, "procedure", x, capital=False) for x in p.procedures()),
                reverse("web:plan", args=[p.pk]),
                p.get_status_display(),
                "",
            )
        )
    for c in consents:
        entries.append(
            Entry(
                c.consented_at,
                "consent",
                "Consent recorded",
                f"taken by {c.taken_by.display_name}",
                reverse("web:consent", args=[c.plan_id]),
            )
        )
    for s in sessions:
        entries.append(
            Entry(
                s.started_at,
                "session",
                f"Treatment session {s.number}",
                f"{s.get_status_display()} · {s.practitioner.display_name}",
                reverse("web:session", args=[s.pk]),
            )
        )
    for ac in aftercare:
        entries.append(
            Entry(
                ac.created_at,
                "aftercare",
                "Aftercare given",
                f"after session {ac.session.number}",
                reverse("web:aftercare", args=[ac.session_id]),
            )
        )
    today = timezone.localdate()
    for f in follow_ups:
        entries.append(
            Entry(
                _at(f.due_on),
                "follow_up",
                f"Follow-up: {f.purpose}",
                f.get_status_display(),
                reverse("web:follow_up", args=[f.pk]),
                upcoming=f.status == FollowUpStatus.SCHEDULED and f.due_on >= today,
            )
        )
    for ci in check_ins:
        entries.append(
            Entry(
                _at(ci.due_on),
                "check_in",
                f"Day {ci.day} check-in after session {ci.session.number}",
                f"{ci.get_status_display()} · {ci.purpose}",
                badge=words(ci.worst_level) if ci.worst_level else "",
                badge_class=f"level-{ci.worst_level}" if ci.worst_level else "",
                upcoming=ci.status == CheckInStatus.SCHEDULED and ci.due_on >= today,
            )
        )
    for e in events:
        entries.append(
            Entry(
                _at(e.onset_on),
                "event",
                str(e.triage.get("display", e.symptom)),
                "resolved" if e.resolved_on else "not resolved",
                reverse("web:event", args=[e.pk]),
                words(e.triage_level),
                f"level-{e.triage_level}",
            )
        )
    for o in outcomes:
        entries.append(
            Entry(
                _at(o.assessed_on),
                "outcome",
                f"Outcome: {o.area}",
                f"{o.clearance_percent}% clearance"
                if o.clearance_percent is not None
                else "reported by the patient",
            )
        )
    for n in notes:
        entries.append(
            Entry(
                n.written_at,
                "note",
                "Note",
                f"{n.author.display_name}: {Truncator(n.first_line).chars(NOTE_LINE_CHARS)}",
                _note_url(n),
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    upcoming = sorted((e for e in entries if e.upcoming), key=lambda e: e.when)
    legs: dict[str, list[LegScore]] = {"left": [], "right": []}
    for score in scores:
        legs[score.side].append(score)
    context.update(
        screening=screening,
        timeline=[e for e in entries if not e.upcoming],
        upcoming=upcoming,
        today=today,
        next_review=next(
            (f for f in sorted(follow_ups, key=lambda f: f.due_on) if f.status == FollowUpStatus.SCHEDULED),
            None,
        ),
        flagged=_flagged(screening),
        legs=legs,
        outcomes=outcomes,
        open_plan=next((p for p in plans if p.status == "approved"), None),
        open_session=next((s for s in sessions if s.status == "open"), None),
        latest_assessment=assessments[0] if assessments else None,
        assessments=assessments,
        sessions=sessions,
    )
    return context


@dataclass(frozen=True)
class Flagged:
    """One item the current screening flagged, in words."""

    severity: str
    label: str
    what: str
    products: str


SEVERITY_WORDS = {
    "absolute": "Absolute contraindication",
    "relative": "Relative contraindication",
    "warning": "Take care",
}


def _flagged(screening: ScreeningRecord | None) -> list[Flagged]:
    """The current screening's flagged items, most serious first, from the answer frozen with it."""
    if screening is None:
        return []
    found = screening.result.get("findings", []) if isinstance(screening.result, dict) else []
    rank = {"absolute": 0, "relative": 1, "warning": 2}
    out = [
        Flagged(
            str(f.get("severity", "")),
            SEVERITY_WORDS.get(str(f.get("severity", "")), words(str(f.get("severity", "")), capital=True)),
            words(str(f.get("code", "")), capital=True),
            ", ".join(words(p) for p in f.get("products", [])),
        )
        for f in found
    ]
    return sorted(out, key=lambda f: rank.get(f.severity, 3))
