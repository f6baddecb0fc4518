"""The clinic's figures for a period, computed by the database.

Every figure is one grouped query (two for the adverse events, retreatment and the practitioners'
names), so ``dashboard`` makes at most 14 queries however many records there are. Figures on a small integer scale
(clearance 0-100, satisfaction 1-5, a change in VCSS) are counted per value by the database, and the
n, median, mean and bands follow from those few (value, count) pairs; medians of open-ended values
(days to resolution or to retreatment) use window functions (ROW_NUMBER and COUNT over a
partition) that SQLite and PostgreSQL both run, fetching only the one or two middle rows of each
group. No row is ever looped over in Python.

Attribution: an outcome has a plan and, usually, the finding it reviews, but no injection. It is
attributed to the first live injection given for its finding or, if it names no finding, to the
first live injection given under its plan; that injection supplies the procedure, agent, strength
and (through its session) the practitioner.

Columns the queries filter and group on (for the indexes):

- ``treatment_treatmentsession``: clinic_id, status, voided_at, started_at (range); patient_id,
  plan_id (joins); practitioner_id (group).
- ``treatment_injection``: finding_id and session_id (correlated look-ups), voided_at, given_at, id
  (order); procedure, agent, concentration_percent (group).
- ``followup_outcome``: clinic_id, voided_at, reported_by_patient, assessed_on (range);
  patient_id, plan_id, finding_id (joins); clearance_percent (order for the median), satisfaction
  (group), retreatment_needed (filter).
- ``followup_adverseevent``: clinic_id, voided_at, is_draft, session_id (join to the session's
  started_at range); symptom, triage_level (group); onset_on, resolved_on (resolution time).
- ``assessments_legscore``: clinic_id, voided_at, side, assessment_id (join to
  ``assessments_assessment``: patient_id, assessed_at, voided_at).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from scleropath.accounts.models import Clinic, User
from scleropath.assessments.models import LegScore
from scleropath.followup.models import AdverseEvent, Outcome
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection, SessionStatus, TreatmentSession

from .labels import Labels, labels_for

# Display bands for the clearance distribution: equal quarters of the 0-100 scale. They are not a
# clinical success threshold (the clinical reference gives none that is confirmed).
CLEARANCE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-24%", 0, 24),
    ("25-49%", 25, 49),
    ("50-74%", 50, 74),
    ("75-100%", 75, 100),
)
SATISFACTION_SCORES = (1, 2, 3, 4, 5)
SIDES = ("left", "right")


# --- the figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clearance:
    """Clearance of the outcomes in one group: how many, the median and the count in each band."""

    key: str
    label: str
    n: int
    median: float | None
    bands: tuple[int, ...]


@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction scores 1-5 given in the period, by who gave them."""

    n: int
    counts: tuple[int, ...]  # for scores 1..5
    by_patient: tuple[int, ...]
    by_clinician: tuple[int, ...]
    median: float | None


@dataclass(frozen=True)
class EventRate:
    """Confirmed adverse events of one kind, against the sessions of the period."""

    key: str
    label: str
    events: int
    sessions: int
    per_100_sessions: float | None
    resolved: int
    median_days_to_resolution: float | None


@dataclass(frozen=True)
class Retreatment:
    patients_reviewed: int
    patients_needing: int
    share_percent: float | None
    timed: int  # patients needing retreatment with a completed session before it
    median_days_to_retreatment: float | None


@dataclass(frozen=True)
class VcssChange:
    """Change in the revised VCSS per leg, from its first to its last score (last in the period)."""

    side: str
    legs: int
    mean_change: float | None
    median_change: float | None
    improved: int
    unchanged: int
    worse: int


@dataclass
class Dashboard:
    clinic: Clinic
    start: date
    end: date
    sessions: int
    patients_treated: int
    clearance: Clearance
    by_procedure: list[Clearance]
    by_agent_strength: list[Clearance]
    by_practitioner: list[Clearance]
    satisfaction: Satisfaction
    events_by_symptom: list[EventRate]
    events_by_level: list[EventRate]
    retreatment: Retreatment
    vcss: list[VcssChange]
    labels: Labels = field(repr=False)


# --- the period and the base querysets -----------------------------------------------------------


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first instant and the instant after its last day, in the clinic's time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def sessions_in(clinic: Clinic, start: date, end: date) -> QuerySet[TreatmentSession]:
    """Completed, live sessions of ``clinic`` started in the period."""
    lo, hi = period_bounds(start, end)
    return TreatmentSession.objects.active().filter(
        clinic=clinic, status=SessionStatus.COMPLETED, started_at__gte=lo, started_at__lt=hi
    )


def outcomes_in(clinic: Clinic, start: date, end: date) -> QuerySet[Outcome]:
    """Live outcomes of ``clinic`` assessed in the period (clinician- and patient-reported)."""
    return Outcome.objects.active().filter(clinic=clinic, assessed_on__gte=start, assessed_on__lte=end)


def clearance_outcomes(clinic: Clinic, start: date, end: date) -> QuerySet[Outcome]:
    """Outcomes of the period with a clearance measured by a clinician."""
    return outcomes_in(clinic, start, end).filter(reported_by_patient=False, clearance_percent__isnull=False)


def _first_injection_value(column: str) -> Coalesce:
    """The ``column`` of the injection an outcome is attributed to (see the module docstring)."""
    live = Injection.objects.active().filter(session__voided_at__isnull=True).order_by("given_at", "id")
    by_finding = live.filter(finding=OuterRef("finding")).values(column)[:1]
    by_plan = live.filter(session__plan=OuterRef("plan")).values(column)[:1]
    return Coalesce(Subquery(by_finding), Subquery(by_plan))


def attributed(qs: QuerySet[Outcome], *columns: str) -> QuerySet[Outcome]:
    """``qs`` with ``attr_<column>`` for each injection column (``session__practitioner`` allowed)."""
    return qs.annotate(**{f"attr_{c.replace('__', '_')}": _first_injection_value(c) for c in columns})


def events_in(clinic: Clinic, start: date, end: date) -> QuerySet[AdverseEvent]:
    """Confirmed, live adverse events recorded against the sessions of the period."""
    lo, hi = period_bounds(start, end)
    return AdverseEvent.objects.active().filter(
        clinic=clinic,
        is_draft=False,
        session__voided_at__isnull=True,
        session__status=SessionStatus.COMPLETED,
        session__started_at__gte=lo,
        session__started_at__lt=hi,
    )


def days_to_resolution() -> ExpressionWrapper[Any]:
    return ExpressionWrapper(F("resolved_on") - F("onset_on"), output_field=DurationField())


def reviewed_patients(clinic: Clinic, start: date, end: date) -> QuerySet[Patient]:
    """Patients with a clinician's outcome in the period, annotated for the retreatment figure."""
    reviewed = clearance_or_review(clinic, start, end).filter(patient=OuterRef("pk"))
    needing = reviewed.filter(retreatment_needed=True)
    first_session = (
        TreatmentSession.objects.active()
        .filter(patient=OuterRef("pk"), status=SessionStatus.COMPLETED)
        .order_by("started_at")
        .annotate(day=TruncDate("started_at"))
        .values("day")[:1]
    )
    first_needing = needing.order_by("assessed_on").values("assessed_on")[:1]
    patients: QuerySet[Patient] = (
        Patient.objects.active()
        .filter(clinic=clinic)
        .filter(Exists(reviewed))
        .annotate(
            needs_retreatment=Exists(needing),
            first_treated=Subquery(first_session, output_field=DateField()),
            retreatment_on=Subquery(first_needing, output_field=DateField()),
        )
        .annotate(
            days_to_retreatment=ExpressionWrapper(
                F("retreatment_on") - F("first_treated"), output_field=DurationField()
            )
        )
    )
    return patients


def clearance_or_review(clinic: Clinic, start: date, end: date) -> QuerySet[Outcome]:
    """A clinician's outcomes of the period (with or without a clearance figure)."""
    return outcomes_in(clinic, start, end).filter(reported_by_patient=False)


def last_leg_scores(clinic: Clinic, start: date, end: date) -> QuerySet[LegScore]:
    """Each leg's last live score up to the period's end, if it falls in the period and the leg has
    an earlier one; annotated with the first score and the change."""
    lo, hi = period_bounds(start, end)
    live = LegScore.objects.active().filter(clinic=clinic, assessment__voided_at__isnull=True)
    same_leg = live.filter(assessment__patient=OuterRef("assessment__patient"), side=OuterRef("side"))
    later = same_leg.filter(
        assessment__assessed_at__lt=hi, assessment__assessed_at__gt=OuterRef("assessment__assessed_at")
    )
    first = same_leg.order_by("assessment__assessed_at", "id")
    scores: QuerySet[LegScore] = (
        live.filter(assessment__assessed_at__gte=lo, assessment__assessed_at__lt=hi)
        .filter(~Exists(later))
        .annotate(
            first_id=Subquery(first.values("id")[:1]),
            first_vcss=Subquery(first.values("vcss_total")[:1], output_field=IntegerField()),
        )
        .exclude(first_id=F("id"))
        .annotate(
            vcss_change=ExpressionWrapper(F("vcss_total") - F("first_vcss"), output_field=IntegerField())
        )
    )
    return scores


# --- medians --------------------------------------------------------------------------------------


def medians(qs: QuerySet[Any], value: str, group: Sequence[str] = ()) -> dict[tuple[Any, ...], Any]:
    """The median of ``value`` per ``group`` (``()`` for the whole queryset), in one query.

    Rows are ranked within their group; only the middle row (odd count) or the two middle rows (even
    count) are fetched, and the median is their mean.
    """
    partition = [F(g) for g in group] or None
    ranked = (
        qs.filter(**{f"{value}__isnull": False})
        .annotate(
            _rank=Window(RowNumber(), partition_by=partition, order_by=[F(value).asc(), F("pk").asc()]),
            _count=Window(Count("pk"), partition_by=partition),
        )
        .filter(_rank__gte=(F("_count") + 1) / 2, _rank__lte=(F("_count") + 2) / 2)
        .values_list(*group, value)
    )
    middle: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for *key, v in ranked:
        middle[tuple(key)].append(v)
    return {key: _mean(values) for key, values in middle.items()}


def _mean(values: list[Any]) -> Any:
    if isinstance(values[0], timedelta):
        return sum(values, timedelta()) / len(values)
    return sum(float(v) for v in values) / len(values)


def _days(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


@dataclass(frozen=True)
class Histogram:
    """How many rows had each value of a small integer scale (clearance 0-100, satisfaction 1-5,
    a VCSS change of -30..30), as counted by the database. The n, median, mean and band counts
    follow from at most a hundred or so (value, count) pairs, never from the rows themselves."""

    counts: tuple[tuple[int, int], ...]  # (value, count), values ascending

    @property
    def n(self) -> int:
        return sum(c for _v, c in self.counts)

    def median(self) -> float | None:
        n = self.n
        if not n:
            return None
        wanted = {(n + 1) // 2, (n + 2) // 2}  # 1-based positions of the middle row(s)
        found: list[int] = []
        seen = 0
        for value, count in self.counts:
            found += [value for position in wanted if seen < position <= seen + count]
            seen += count
        return sum(found) / len(found)

    def mean(self) -> float | None:
        n = self.n
        return sum(v * c for v, c in self.counts) / n if n else None

    def between(self, lo: int, hi: int) -> int:
        return sum(c for v, c in self.counts if lo <= v <= hi)


def histograms(qs: QuerySet[Any], value: str, group: Sequence[str] = ()) -> dict[tuple[Any, ...], Histogram]:
    """One query: the count of each ``value`` per ``group``, as a :class:`Histogram` per group."""
    rows = qs.values(*group, value).annotate(_n=Count("pk")).order_by(*group, value)
    pairs: dict[tuple[Any, ...], list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        if row[value] is not None:
            pairs[tuple(row[g] for g in group)].append((int(row[value]), int(row["_n"])))
    return {key: Histogram(tuple(values)) for key, values in pairs.items()}


# --- the figures, each from the database ---------------------------------------------------------


def _bands(h: Histogram) -> tuple[int, ...]:
    return tuple(h.between(lo, hi) for _label, lo, hi in CLEARANCE_BANDS)


def clearance_overall(clinic: Clinic, start: date, end: date) -> Clearance:
    h = histograms(clearance_outcomes(clinic, start, end), "clearance_percent").get((), Histogram(()))
    return Clearance("all", "All treated areas", h.n, h.median(), _bands(h))


def clearance_by(
    clinic: Clinic, start: date, end: date, columns: Sequence[str]
) -> list[tuple[tuple[Any, ...], int, float | None, tuple[int, ...]]]:
    """Clearance grouped by the attributed injection's ``columns``: (key, n, median, bands)."""
    names = [f"attr_{c.replace('__', '_')}" for c in columns]
    qs = attributed(clearance_outcomes(clinic, start, end), *columns)
    groups = histograms(qs, "clearance_percent", names)
    return [(key, h.n, h.median(), _bands(h)) for key, h in groups.items()]


def clearance_by_procedure(clinic: Clinic, start: date, end: date, labels: Labels) -> list[Clearance]:
    return [
        Clearance(_key(key), labels.procedure(key[0]), n, med, bands)
        for key, n, med, bands in clearance_by(clinic, start, end, ["procedure"])
    ]


def clearance_by_agent_strength(clinic: Clinic, start: date, end: date, labels: Labels) -> list[Clearance]:
    return [
        Clearance(_key(key), labels.agent_strength(key[0], key[1]), n, med, bands)
        for key, n, med, bands in clearance_by(clinic, start, end, ["agent", "concentration_percent"])
    ]


def clearance_by_practitioner(clinic: Clinic, start: date, end: date, labels: Labels) -> list[Clearance]:
    rows = clearance_by(clinic, start, end, ["session__practitioner"])
    ids = [key[0] for key, *_ in rows if key[0] is not None]
    full = {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)}
    return [
        Clearance(_key(key), full.get(key[0], labels.unattributed), n, med, bands)
        for key, n, med, bands in rows
    ]


def _key(key: Iterable[Any]) -> str:
    """A group's key as it travels in a URL: the values joined by '|' (empty for none)."""
    return "|".join("" if v is None else _plain(v) for v in key)


def _plain(v: Any) -> str:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return str(v)


def satisfaction(clinic: Clinic, start: date, end: date) -> Satisfaction:
    qs = outcomes_in(clinic, start, end).filter(satisfaction__isnull=False)
    by_reporter = histograms(qs, "satisfaction", ["reported_by_patient"])
    empty = Histogram(())
    patient, clinician = by_reporter.get((True,), empty), by_reporter.get((False,), empty)
    by_patient = tuple(patient.between(s, s) for s in SATISFACTION_SCORES)
    by_clinician = tuple(clinician.between(s, s) for s in SATISFACTION_SCORES)
    everyone = Histogram(tuple(sorted((v, c) for h in (patient, clinician) for v, c in h.counts)))
    return Satisfaction(
        n=everyone.n,
        counts=tuple(p + c for p, c in zip(by_patient, by_clinician, strict=True)),
        by_patient=by_patient,
        by_clinician=by_clinician,
        median=everyone.median(),
    )


def session_counts(clinic: Clinic, start: date, end: date) -> tuple[int, int]:
    row = sessions_in(clinic, start, end).aggregate(
        sessions=Count("pk"), patients=Count("patient", distinct=True)
    )
    return int(row["sessions"]), int(row["patients"])


def event_rates(
    clinic: Clinic, start: date, end: date, column: str, sessions: int, label: Any
) -> list[EventRate]:
    """Adverse events of the period's sessions grouped by ``column`` (symptom or triage_level)."""
    qs = events_in(clinic, start, end).annotate(resolution=days_to_resolution())
    rows = (
        qs.values(column)
        .annotate(events=Count("pk"), resolved=Count("pk", filter=Q(resolved_on__isnull=False)))
        .order_by(column)
    )
    mids = medians(qs, "resolution", [column])
    out = [
        EventRate(
            key=row[column],
            label=label(row[column]),
            events=int(row["events"]),
            sessions=sessions,
            per_100_sessions=round(100 * row["events"] / sessions, 1) if sessions else None,
            resolved=int(row["resolved"]),
            median_days_to_resolution=_days(mids.get((row[column],))),
        )
        for row in rows
    ]
    return sorted(out, key=lambda r: (-r.events, r.label))


def retreatment(clinic: Clinic, start: date, end: date) -> Retreatment:
    qs = reviewed_patients(clinic, start, end)
    row = qs.aggregate(
        n=Count("pk"),
        needing=Count("pk", filter=Q(needs_retreatment=True)),
        timed=Count("pk", filter=Q(needs_retreatment=True, days_to_retreatment__isnull=False)),
    )
    n, needing = int(row["n"]), int(row["needing"])
    needing_qs = qs.filter(needs_retreatment=True)  # type: ignore[misc]
    median = medians(needing_qs, "days_to_retreatment").get(())
    return Retreatment(
        patients_reviewed=n,
        patients_needing=needing,
        share_percent=round(100 * needing / n, 1) if n else None,
        timed=int(row["timed"]),
        median_days_to_retreatment=_days(median),
    )


def vcss_change(clinic: Clinic, start: date, end: date) -> list[VcssChange]:
    by_side = histograms(last_leg_scores(clinic, start, end), "vcss_change", ["side"])
    out = []
    for side in SIDES:
        h = by_side.get((side,), Histogram(()))
        mean = h.mean()
        out.append(
            VcssChange(
                side=side,
                legs=h.n,
                mean_change=None if mean is None else round(mean, 2),
                median_change=h.median(),
                improved=h.between(-30, -1),
                unchanged=h.between(0, 0),
                worse=h.between(1, 30),
            )
        )
    return out


def dashboard(clinic: Clinic, start: date, end: date) -> Dashboard:
    """Every figure of ``clinic`` for the period ``start``..``end`` (both days included)."""
    labels = labels_for(clinic)
    sessions, patients = session_counts(clinic, start, end)
    return Dashboard(
        clinic=clinic,
        start=start,
        end=end,
        sessions=sessions,
        patients_treated=patients,
        clearance=clearance_overall(clinic, start, end),
        by_procedure=clearance_by_procedure(clinic, start, end, labels),
        by_agent_strength=clearance_by_agent_strength(clinic, start, end, labels),
        by_practitioner=clearance_by_practitioner(clinic, start, end, labels),
        satisfaction=satisfaction(clinic, start, end),
        events_by_symptom=event_rates(clinic, start, end, "symptom", sessions, labels.symptom),
        events_by_level=event_rates(clinic, start, end, "triage_level", sessions, labels.level),
        retreatment=retreatment(clinic, start, end),
        vcss=vcss_change(clinic, start, end),
        labels=labels,
    )
