"""The chart's leg map across visits: every finding and every injection of the patient on one map,
filtered by visit (an assessment or a session) and by kind, in two queries whatever the history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from scleropath.assessments.models import Assessment, VeinFinding
from scleropath.patients.models import Patient
from scleropath.protocol.wording import words
from scleropath.treatment.models import Injection, TreatmentSession

from .forms import VisitMapForm
from .legmap import Marker, marker, svg_context


def _day(when: date) -> str:
    return f"{when.day} {when:%b %Y}"


def _visits(assessments: list[Assessment], sessions: list[TreatmentSession]) -> list[tuple[str, str]]:
    """The visits to choose from, newest first."""
    dated = [
        (a.assessed_at, f"a{a.pk}", f"Assessment of {_day(timezone.localtime(a.assessed_at))}")
        for a in assessments
    ]
    dated += [
        (s.started_at, f"s{s.pk}", f"Session {s.number} of {_day(timezone.localtime(s.started_at))}")
        for s in sessions
    ]
    return [(value, label) for _, value, label in sorted(dated, key=lambda d: d[0], reverse=True)]


def _finding_marker(f: VeinFinding) -> Marker:
    size = f", {f.diameter_mm} mm" if f.diameter_mm else ""
    when = _day(timezone.localtime(f.assessment.assessed_at))
    return marker(
        f.label,
        f"m-{f.vessel_class}",
        f.view,
        f.x,
        f.y,
        f"{when}, assessment: {f.label} {words(f.vessel_class)}{size}",
        reverse("web:assessment", args=[f.assessment_id]),
        side=f.side,
        region=f.region,
    )


def _injection_marker(inj: Injection) -> Marker | None:
    """An injection where it was charted, else at the finding it went into; None if neither is known."""
    if inj.x is not None and inj.y is not None:
        view, x, y = inj.view or "front", inj.x, inj.y
    elif inj.finding is not None:
        view, x, y = inj.finding.view, inj.finding.x, inj.finding.y
    else:
        return None
    into = f" into {inj.finding.label}" if inj.finding is not None else ""
    when = _day(timezone.localtime(inj.given_at))
    return marker(
        f"S{inj.session.number}",
        "m-injection",
        view,
        x,
        y,
        f"Injection S{inj.session.number}, {when}: {inj}{into}",
        reverse("web:session", args=[inj.session_id]),
        side=inj.finding.side if inj.finding is not None else "",
        region=inj.finding.region if inj.finding is not None else "",
    )


def visit_map(
    params: QueryDict, patient: Patient, assessments: list[Assessment], sessions: list[TreatmentSession]
) -> dict[str, Any]:
    """The map's context: the filter form, the markers and what could not be placed."""
    form = VisitMapForm(_visits(assessments, sessions), params if {"visit", "show"} & set(params) else None)
    visit, show = "", "all"
    if form.is_bound and form.is_valid():
        visit, show = form.cleaned_data["visit"], form.cleaned_data["show"] or "all"
    markers: list[Marker] = []
    unplaced = 0
    if show in ("all", "findings") and not visit.startswith("s"):
        findings = VeinFinding.objects.active().filter(
            assessment__patient=patient, assessment__voided_at__isnull=True
        )
        if visit:
            findings = findings.filter(assessment_id=int(visit[1:]))
        markers += [_finding_marker(f) for f in findings.select_related("assessment").order_by("id")]
    if show in ("all", "injections") and not visit.startswith("a"):
        injections = Injection.objects.active().filter(
            session__patient=patient, session__voided_at__isnull=True
        )
        if visit:
            injections = injections.filter(session_id=int(visit[1:]))
        for inj in injections.select_related("session", "finding").order_by("given_at", "id"):
            m = _injection_marker(inj)
            if m is None:
                unplaced += 1
            else:
                markers.append(m)
    return {"visit_form": form, "visit_map": svg_context(markers), "visit_unplaced": unplaced}
