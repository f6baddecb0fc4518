"""The patients or sessions behind each figure, for the drill-down pages and their CSV.

Every list starts from the same querysets as the figure it explains (``queries``), so the rows
behind a figure are exactly the rows it counted, and they are scoped to the same clinic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse

from scleropath.accounts.models import Clinic, User
from scleropath.patients.models import Patient

from . import queries
from .labels import labels_for
from .queries import CLEARANCE_BANDS, SATISFACTION_SCORES, SIDES


@dataclass(frozen=True)
class DrillRow:
    cells: list[str]
    patient_id: int  # the patient the row is about; its first cell links to their chart
    record_url: str = ""

    @property
    def patient_url(self) -> str:
        return reverse("web:chart", args=[self.patient_id])


@dataclass(frozen=True)
class Drill:
    title: str
    headers: list[str]
    queryset: QuerySet[Any]
    row: Callable[[Any], DrillRow]


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _patient_row(p: Patient) -> DrillRow:
    return DrillRow([str(p), _day(p.date_of_birth)], p.pk)


def _outcome_row(o: Any) -> DrillRow:
    return DrillRow(
        [
            str(o.patient),
            o.area,
            _day(o.assessed_on),
            "" if o.clearance_percent is None else str(o.clearance_percent),
            "" if o.satisfaction is None else str(o.satisfaction),
            "patient" if o.reported_by_patient else "clinician",
            "yes" if o.retreatment_needed else "no",
        ],
        o.patient_id,
        reverse("web:plan", args=[o.plan_id]),
    )


OUTCOME_HEADERS = [
    "Patient",
    "Area",
    "Reviewed",
    "Clearance (%)",
    "Satisfaction",
    "Reported by",
    "Retreatment",
]


def _split(key: str) -> list[str]:
    return key.split("|")


def _outcomes(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.select_related("patient").order_by("-assessed_on", "pk")


def build(figure: str, key: str, clinic: Clinic, start: date, end: date) -> Drill:
    """The list behind ``figure``'s row ``key``; an unknown figure or key is a 404."""
    labels = labels_for(clinic)
    if figure == "sessions":
        sessions = (
            queries.sessions_in(clinic, start, end)
            .select_related("patient", "practitioner")
            .order_by("-started_at", "pk")
        )
        return Drill(
            "Sessions",
            ["Patient", "Session", "Started", "Practitioner"],
            sessions,
            lambda s: DrillRow(
                [str(s.patient), str(s.number), _day(s.started_at), s.practitioner.display_name],
                s.patient_id,
                reverse("web:session", args=[s.pk]),
            ),
        )
    if figure == "patients":
        treated = queries.sessions_in(clinic, start, end).filter(patient=OuterRef("pk"))
        patients = (
            Patient.objects.active()
            .filter(clinic=clinic)
            .filter(Exists(treated))
            .order_by("family_name", "given_name", "pk")
        )
        return Drill("Patients treated", ["Patient", "Born"], patients, _patient_row)
    if figure == "clearance":
        qs = queries.clearance_outcomes(clinic, start, end)
        title = "Treated areas with a clearance"
        if key:
            try:
                band, lo, hi = CLEARANCE_BANDS[int(key)]
            except (ValueError, IndexError):
                raise Http404("No such band") from None
            qs = qs.filter(clearance_percent__gte=lo, clearance_percent__lte=hi)
            title += f" of {band}"
        return Drill(title, OUTCOME_HEADERS, _outcomes(qs), _outcome_row)
    if figure in ("procedure", "agent_strength", "practitioner"):
        return _attributed(figure, key, clinic, start, end, labels)
    if figure == "satisfaction":
        qs = queries.outcomes_in(clinic, start, end).filter(satisfaction__isnull=False)
        title = "Satisfaction answers"
        if key:
            if key not in {str(s) for s in SATISFACTION_SCORES}:
                raise Http404("No such score")
            qs = qs.filter(satisfaction=int(key))
            title += f" scoring {key}"
        return Drill(title, OUTCOME_HEADERS, _outcomes(qs), _outcome_row)
    if figure in ("events", "levels"):
        column = "symptom" if figure == "events" else "triage_level"
        events = (
            queries.events_in(clinic, start, end)
            .filter(**{column: key})
            .select_related("patient", "session")
            .order_by("-onset_on", "pk")
        )
        label = labels.symptom(key) if figure == "events" else labels.level(key)
        return Drill(
            f"Adverse events: {label}",
            ["Patient", "Type", "Triage level", "Session", "Onset", "Resolved"],
            events,
            lambda e: DrillRow(
                [
                    str(e.patient),
                    labels.symptom(e.symptom),
                    labels.level(e.triage_level),
                    str(e.session.number),
                    _day(e.onset_on),
                    _day(e.resolved_on),
                ],
                e.patient_id,
                reverse("web:event", args=[e.pk]),
            ),
        )
    if figure == "retreatment":
        reviewed: QuerySet[Any] = queries.reviewed_patients(clinic, start, end)
        title = "Patients reviewed"
        if key == "needing":
            reviewed = reviewed.filter(needs_retreatment=True)
            title = "Patients needing retreatment"
        elif key:
            raise Http404("No such group")
        return Drill(
            title,
            ["Patient", "Born", "First treated", "Retreatment noted"],
            reviewed.order_by("family_name", "given_name", "pk"),
            lambda p: DrillRow(
                [str(p), _day(p.date_of_birth), _day(p.first_treated), _day(p.retreatment_on)],
                p.pk,
            ),
        )
    if figure == "vcss":
        if key not in SIDES:
            raise Http404("No such leg")
        legs = (
            queries.last_leg_scores(clinic, start, end)
            .filter(side=key)
            .select_related("assessment__patient")
            .order_by("assessment__patient__family_name", "pk")
        )
        return Drill(
            f"{key.capitalize()} legs with a VCSS change",
            ["Patient", "First VCSS", "Last VCSS", "Change", "Last scored"],
            legs,
            lambda s: DrillRow(
                [
                    str(s.assessment.patient),
                    str(s.first_vcss),
                    str(s.vcss_total),
                    str(s.vcss_change),
                    _day(s.assessment.assessed_at),
                ],
                s.assessment.patient_id,
                reverse("web:assessment", args=[s.assessment_id]),
            ),
        )
    raise Http404("No such figure")


def _attributed(figure: str, key: str, clinic: Clinic, start: date, end: date, labels: Any) -> Drill:
    base = queries.clearance_outcomes(clinic, start, end)
    parts = _split(key)
    if figure == "procedure":
        qs = queries.attributed(base, "procedure")
        qs = _match(qs, "attr_procedure", parts[0])
        title = labels.procedure(parts[0])
    elif figure == "agent_strength":
        if len(parts) != 2:
            raise Http404("No such agent and strength")
        qs = queries.attributed(base, "agent", "concentration_percent")
        qs = _match(qs, "attr_agent", parts[0])
        qs = _match(qs, "attr_concentration_percent", _decimal(parts[1]) if parts[1] else "")
        title = labels.agent_strength(parts[0], parts[1])
    else:
        qs = queries.attributed(base, "session__practitioner")
        practitioner = _int(parts[0]) if parts[0] else None
        qs = _match(qs, "attr_session_practitioner", "" if practitioner is None else practitioner)
        found = User.objects.filter(clinic=clinic, pk=practitioner).first() if practitioner else None
        title = found.display_name if found else labels.unattributed
    return Drill(f"Treated areas: {title}", OUTCOME_HEADERS, _outcomes(qs), _outcome_row)


def _match(qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
    if value == "":
        return qs.filter(**{f"{name}__isnull": True})
    return qs.filter(**{name: value})


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise Http404("No such strength") from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Http404("No such practitioner") from None
