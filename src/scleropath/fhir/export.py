"""Gathering a patient's or a whole clinic's records as FHIR resources, streamed record by record.

Voided records (entered in error) are left out, with everything of a voided patient. Each
section walks one kind of record with ``QuerySet.iterator`` in primary-key order, so output is
stable and no whole clinic is held in memory (only the keys of the records written).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from scleropath.accounts.models import Clinic, User
from scleropath.assessments.models import Assessment, Consent, LegScore, TreatmentPlan, VeinFinding
from scleropath.checkins.models import CheckIn
from scleropath.core.engine import engine_for
from scleropath.core.models import ClinicalQuerySet
from scleropath.diary.models import Appointment, OpeningHours, Room, WorkingHours
from scleropath.diary.services import diary_settings, free_slots
from scleropath.followup.models import AdverseEvent, AftercarePlan, ClinicalNote, FollowUp, Outcome
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement
from scleropath.treatment.models import Injection, StockLot, TreatmentSession

from . import map_aftercare, map_assessments, map_diary, map_notes, map_people, map_treatment
from .common import Resource, Vocabulary, instant

CHUNK = 200


@dataclass(frozen=True)
class Scope:
    """Whose records: a clinic's, or one patient's within it."""

    clinic: Clinic
    patient_id: int | None = None


@dataclass
class Run:
    """One export: its scope, the protocol's names for our codes, and the keys of the records
    written so far by kind. Sections run parents first, so a record whose parent was left out
    (voided) is left out too, and an optional link to a left-out record is dropped: every
    reference in the output resolves."""

    scope: Scope
    vocabulary: Vocabulary
    written: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def records(self, qs: ClinicalQuerySet, patient: str | None) -> Iterator[Any]:
        """Live records of ``qs`` in scope, in key order; ``patient`` is the path to the patient."""
        qs = qs.active().filter(clinic_id=self.scope.clinic.pk)
        if patient is None:
            if self.scope.patient_id is not None:
                qs = qs.filter(pk=self.scope.patient_id)
        else:
            qs = qs.filter(**{f"{patient}__voided_at__isnull": True})
            if self.scope.patient_id is not None:
                qs = qs.filter(**{f"{patient}_id": self.scope.patient_id})
        return qs.order_by("pk").iterator(chunk_size=CHUNK)

    def has(self, kind: str, pk: int | None) -> bool:
        return pk is not None and pk in self.written[kind]

    def wrote(self, kind: str, pk: int) -> None:
        self.written[kind].add(pk)


def vocabulary(clinic: Clinic) -> Vocabulary:
    return Vocabulary.from_protocol(engine_for(clinic).protocol)


def patients(run: Run) -> Iterator[Resource]:
    for p in run.records(Patient.objects.all(), None):
        run.wrote("patient", p.pk)
        yield map_people.patient(p)


def staff(run: Run) -> Iterator[Resource]:
    """Everyone the records name; for a whole clinic, its staff as well."""
    ids = _staff_ids(run.scope)
    if run.scope.patient_id is None:
        ids |= set(User.objects.filter(clinic_id=run.scope.clinic.pk).values_list("pk", flat=True))
    for u in User.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=CHUNK):
        yield map_people.practitioner(u)


def lots(run: Run) -> Iterator[Resource]:
    """For a whole clinic its live lots, and for either scope every lot an injection used (a lot
    voided since is still the lot that was given)."""
    used = Injection.objects.active().filter(clinic_id=run.scope.clinic.pk)
    if run.scope.patient_id is not None:
        used = used.filter(session__patient_id=run.scope.patient_id)
    qs = StockLot.objects.filter(clinic_id=run.scope.clinic.pk)
    wanted = Q(pk__in=used.values("lot_id"))
    if run.scope.patient_id is None:
        wanted |= Q(voided_at__isnull=True)
    for s in qs.filter(wanted).order_by("pk").iterator(chunk_size=CHUNK):
        run.wrote("lot", s.pk)
        yield map_treatment.lot(s, run.vocabulary)


def weights(run: Run) -> Iterator[Resource]:
    for w in run.records(WeightMeasurement.objects.all(), "patient"):
        yield map_people.weight(w)


def screenings(run: Run) -> Iterator[Resource]:
    for s in run.records(ScreeningRecord.objects.all(), "patient"):
        yield map_people.screening(s, run.vocabulary)


def assessments(run: Run) -> Iterator[Resource]:
    qs = Assessment.objects.all().prefetch_related(
        Prefetch("findings", VeinFinding.objects.active().order_by("pk")),
        Prefetch("leg_scores", LegScore.objects.active().order_by("pk")),
    )
    for a in run.records(qs, "patient"):
        run.wrote("assessment", a.pk)
        yield map_assessments.assessment_encounter(a)
        for f in a.findings.all():
            run.wrote("finding", f.pk)
            yield from map_assessments.finding(f, a, run.vocabulary)
        for s in a.leg_scores.all():
            yield from map_assessments.leg_score(s, a, run.vocabulary)


def plans(run: Run) -> Iterator[Resource]:
    for p in run.records(TreatmentPlan.objects.all(), "patient"):
        if not run.has("assessment", p.assessment_id):
            continue
        labels = dict(
            VeinFinding.objects.active().filter(assessment_id=p.assessment_id).values_list("label", "pk")
        )
        run.wrote("plan", p.pk)
        yield map_assessments.treatment_plan(p, labels, run.vocabulary)


def consents(run: Run) -> Iterator[Resource]:
    for c in run.records(Consent.objects.all(), "patient"):
        if run.has("plan", c.plan_id):
            yield map_assessments.consent(c, run.vocabulary)


def _live_notes() -> Prefetch[Any]:
    return Prefetch("clinical_notes", ClinicalNote.objects.active().order_by("written_at", "pk"))


def sessions(run: Run) -> Iterator[Resource]:
    live = Injection.objects.active().select_related("finding", "session").order_by("pk")
    qs = TreatmentSession.objects.all().prefetch_related(Prefetch("injections", live), _live_notes())
    for s in run.records(qs, "patient"):
        if not run.has("plan", s.plan_id):
            continue
        injections = [i for i in s.injections.all() if run.has("lot", i.lot_id)]
        for i in injections:
            if i.finding_id is not None and not run.has("finding", i.finding_id):
                i.finding = None  # a finding voided since: the injection stands without it
        run.wrote("session", s.pk)
        yield from map_treatment.session(s, injections, run.vocabulary, list(s.clinical_notes.all()))
        for i in injections:
            run.wrote("injection", i.pk)
            yield map_treatment.injection(i, run.vocabulary)


def aftercare(run: Run) -> Iterator[Resource]:
    for a in run.records(AftercarePlan.objects.select_related("session"), "patient"):
        if run.has("session", a.session_id):
            yield map_aftercare.aftercare(a, a.session.plan_id)


def follow_ups(run: Run) -> Iterator[Resource]:
    for f in run.records(FollowUp.objects.all(), "patient"):
        if f.session_id is not None and not run.has("session", f.session_id):
            f.session = None
        run.wrote("followup", f.pk)
        yield map_aftercare.follow_up(f, run.vocabulary)


def adverse_events(run: Run) -> Iterator[Resource]:
    for e in run.records(AdverseEvent.objects.all(), "patient"):
        if e.session_id is not None and not run.has("session", e.session_id):
            e.session = None
        if e.injection_id is not None and not run.has("injection", e.injection_id):
            e.injection = None
        yield map_aftercare.adverse_event(e, run.vocabulary)


def outcomes(run: Run) -> Iterator[Resource]:
    for o in run.records(Outcome.objects.all(), "patient"):
        if not run.has("plan", o.plan_id):
            continue
        if o.finding_id is not None and not run.has("finding", o.finding_id):
            o.finding = None
        yield map_aftercare.outcome(o)


def check_ins(run: Run) -> Iterator[Resource]:
    for c in run.records(CheckIn.objects.all(), "patient"):
        if run.has("session", c.session_id):
            yield map_aftercare.check_in(c, run.vocabulary)


def notes(run: Run) -> Iterator[Resource]:
    """The notes of each assessment, then of each follow-up visit, that has live ones (a session's
    are on its Procedure)."""
    assessments = Assessment.objects.filter(
        clinical_notes__isnull=False, clinical_notes__voided_at__isnull=True
    ).prefetch_related(_live_notes())
    for a in run.records(assessments.distinct(), "patient"):
        live = list(a.clinical_notes.all())
        if live and run.has("assessment", a.pk):
            yield map_notes.assessment_impression(a, live)
    follow_ups = FollowUp.objects.filter(
        clinical_notes__isnull=False, clinical_notes__voided_at__isnull=True
    ).prefetch_related(_live_notes())
    for f in run.records(follow_ups.distinct(), "patient"):
        live = list(f.clinical_notes.all())
        if live and run.has("followup", f.pk):
            yield map_notes.follow_up_impression(f, live)


def rooms(run: Run) -> Iterator[Resource]:
    """For a whole clinic its rooms; for a patient, the rooms of their appointments."""
    qs = Room.objects.filter(clinic_id=run.scope.clinic.pk)
    if run.scope.patient_id is not None:
        booked = Appointment.objects.active().filter(patient_id=run.scope.patient_id)
        qs = qs.filter(pk__in=booked.values("room_id"))
    opening = list(OpeningHours.objects.filter(clinic_id=run.scope.clinic.pk).order_by("weekday", "opens"))
    for room in qs.order_by("pk").iterator(chunk_size=CHUNK):
        run.wrote("room", room.pk)
        yield map_diary.location(room, opening)


def appointments(run: Run) -> Iterator[Resource]:
    """The diary's appointments (a link to a record left out is dropped, as elsewhere)."""
    for a in run.records(Appointment.objects.all(), "patient"):
        if a.follow_up_id is not None and not run.has("followup", a.follow_up_id):
            a.follow_up = None
        if a.plan_id is not None and not run.has("plan", a.plan_id):
            a.plan = None
        if a.session_id is not None and not run.has("session", a.session_id):
            a.session = None
        yield map_diary.appointment(a)


def schedules(run: Run) -> Iterator[Resource]:
    """For a whole clinic only: each practitioner's working hours as a Schedule, and the free
    slots in it over the next ``FHIR_SCHEDULE_DAYS`` days, one per free cell of the diary's grid."""
    if run.scope.patient_id is not None:
        return
    clinic_id = run.scope.clinic.pk
    rows: dict[int, list[WorkingHours]] = defaultdict(list)
    for w in WorkingHours.objects.filter(practitioner__clinic_id=clinic_id).order_by(
        "practitioner_id", "weekday", "starts", "pk"
    ):
        rows[w.practitioner_id].append(w)
    if not rows:
        return
    first_day = timezone.localdate()
    last_day = first_day + timedelta(days=max(settings.FHIR_SCHEDULE_DAYS, 1) - 1)
    slots = free_slots(
        clinic_id,
        first_day=first_day,
        last_day=last_day,
        minutes=diary_settings(clinic_id).slot_minutes,
        practitioner_ids=list(rows),
    )
    for u in User.objects.filter(pk__in=rows).order_by("pk"):
        yield map_diary.schedule(u, rows[u.pk], first_day, last_day)
    for s in sorted(slots, key=lambda s: (s.practitioner_id, s.starts_at)):
        yield map_diary.slot(s)


def _staff_ids(scope: Scope) -> set[int]:
    """Every member of staff the live records in scope name."""

    def ids(qs: ClinicalQuerySet, patient: str, *fields: str) -> set[int]:
        qs = qs.active().filter(clinic_id=scope.clinic.pk)
        if scope.patient_id is not None:
            qs = qs.filter(**{f"{patient}_id": scope.patient_id})
        return {pk for row in qs.values_list(*fields).distinct() for pk in row if pk is not None}

    return (
        ids(Assessment.objects.all(), "patient", "clinician_id")
        | ids(TreatmentPlan.objects.all(), "patient", "approved_by_id")
        | ids(Consent.objects.all(), "patient", "taken_by_id")
        | ids(TreatmentSession.objects.all(), "patient", "practitioner_id")
        | ids(Injection.objects.all(), "session__patient", "given_by_id")
        | ids(FollowUp.objects.all(), "patient", "done_by_id")
        | ids(ClinicalNote.objects.all(), "patient", "author_id")
        | ids(Appointment.objects.all(), "patient", "practitioner_id")
    )


Section = Callable[[Run], Iterator[Resource]]
# Parents before children: everything a resource refers to is written before it.
SECTIONS: tuple[Section, ...] = (
    patients,
    staff,
    rooms,
    lots,
    weights,
    screenings,
    assessments,
    plans,
    consents,
    sessions,
    aftercare,
    follow_ups,
    adverse_events,
    outcomes,
    check_ins,
    notes,
    appointments,
    schedules,
)


def resources(scope: Scope) -> Iterator[Resource]:
    """Every resource in ``scope``, section by section."""
    run = Run(scope, vocabulary(scope.clinic))
    for section in SECTIONS:
        yield from section(run)


def full_url(base_url: str, r: Resource) -> str:
    return f"{base_url.rstrip('/')}/fhir/{r['resourceType']}/{r['id']}"


def bundle(items: Iterable[Resource], base_url: str) -> dict[str, Any]:
    """A ``searchset`` Bundle of ``items``, as ``Patient/$everything`` answers."""
    entries = [{"fullUrl": full_url(base_url, r), "resource": r, "search": {"mode": "match"}} for r in items]
    now = instant(timezone.now())
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": now},
        "type": "searchset",
        "timestamp": now,
        "total": len(entries),
        "entry": entries,
    }


def patient_bundle(patient: Patient, base_url: str) -> dict[str, Any]:
    """The patient's whole record as a Bundle."""
    return bundle(resources(Scope(patient.clinic, patient.pk)), base_url)
