"""Gathering a patient's or a whole clinic's records as FHIR resources, streamed record by record.

Voided records (entered in error) are left out. Each section walks one kind of record with
``QuerySet.iterator`` in primary-key order, so output is stable and no whole clinic is held in
memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from scleropath.accounts.models import Clinic, User
from scleropath.assessments.models import Assessment, Consent, LegScore, TreatmentPlan, VeinFinding
from scleropath.checkins.models import CheckIn
from scleropath.core.engine import engine_for
from scleropath.followup.models import AdverseEvent, AftercarePlan, FollowUp, Outcome
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement
from scleropath.treatment.models import Injection, StockLot, TreatmentSession

from . import map_aftercare, map_assessments, map_people, map_treatment
from .common import Vocabulary, instant

CHUNK = 200
Resource = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """Whose records: a clinic's, or one patient's within it."""

    clinic: Clinic
    patient_id: int | None = None

    def filter(self, qs: QuerySet[Any], patient_path: str) -> QuerySet[Any]:
        qs = qs.filter(clinic_id=self.clinic.pk, voided_at__isnull=True)
        if self.patient_id is not None:
            qs = qs.filter(**{patient_path: self.patient_id})
        return qs.order_by("pk")


def vocabulary(clinic: Clinic) -> Vocabulary:
    return Vocabulary.from_protocol(engine_for(clinic).protocol)


def _each(qs: QuerySet[Any]) -> Iterator[Any]:
    return qs.iterator(chunk_size=CHUNK)


def patients(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for p in _each(scope.filter(Patient.objects.all(), "pk")):
        yield map_people.patient(p)


def weights(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for w in _each(scope.filter(WeightMeasurement.objects.all(), "patient_id")):
        yield map_people.weight(w)


def screenings(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for s in _each(scope.filter(ScreeningRecord.objects.all(), "patient_id")):
        yield map_people.screening(s, v)


def assessments(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    qs = scope.filter(Assessment.objects.all(), "patient_id").prefetch_related(
        Prefetch("findings", VeinFinding.objects.filter(voided_at__isnull=True).order_by("pk")),
        Prefetch("leg_scores", LegScore.objects.filter(voided_at__isnull=True).order_by("pk")),
    )
    for a in _each(qs):
        yield map_assessments.assessment_encounter(a)
        for f in a.findings.all():
            yield from map_assessments.finding(f, a, v)
        for s in a.leg_scores.all():
            yield from map_assessments.leg_score(s, a, v)


def plans(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for p in _each(scope.filter(TreatmentPlan.objects.all(), "patient_id")):
        labels = dict(
            VeinFinding.objects.filter(assessment_id=p.assessment_id, voided_at__isnull=True).values_list(
                "label", "pk"
            )
        )
        yield map_assessments.treatment_plan(p, labels, v)


def consents(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for c in _each(scope.filter(Consent.objects.all(), "patient_id")):
        yield map_assessments.consent(c, v)


def sessions(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    active = (
        Injection.objects.filter(voided_at__isnull=True).select_related("finding", "session").order_by("pk")
    )
    qs = scope.filter(TreatmentSession.objects.all(), "patient_id").prefetch_related(
        Prefetch("injections", active)
    )
    for s in _each(qs):
        injections = list(s.injections.all())
        yield from map_treatment.session(s, injections, v)
        for i in injections:
            yield map_treatment.injection(i, v)


def aftercare(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for a in _each(scope.filter(AftercarePlan.objects.select_related("session"), "patient_id")):
        yield map_aftercare.aftercare(a, a.session.plan_id)


def follow_ups(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for f in _each(scope.filter(FollowUp.objects.all(), "patient_id")):
        yield map_aftercare.follow_up(f)


def adverse_events(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for e in _each(scope.filter(AdverseEvent.objects.all(), "patient_id")):
        yield map_aftercare.adverse_event(e, v)


def outcomes(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for o in _each(scope.filter(Outcome.objects.all(), "patient_id")):
        yield map_aftercare.outcome(o)


def check_ins(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    for c in _each(scope.filter(CheckIn.objects.all(), "patient_id")):
        yield map_aftercare.check_in(c, v)


def staff(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    """The clinic's staff, or for one patient the staff their records name."""
    qs = User.objects.filter(clinic_id=scope.clinic.pk)
    if scope.patient_id is not None:
        qs = User.objects.filter(pk__in=_staff_ids(scope.clinic.pk, scope.patient_id))
    for u in qs.order_by("pk").iterator(chunk_size=CHUNK):
        yield map_people.practitioner(u)


def lots(scope: Scope, v: Vocabulary) -> Iterator[Resource]:
    qs = StockLot.objects.filter(clinic_id=scope.clinic.pk, voided_at__isnull=True)
    if scope.patient_id is not None:
        used = Injection.objects.filter(session__patient_id=scope.patient_id, voided_at__isnull=True).values(
            "lot_id"
        )
        qs = qs.filter(pk__in=used)
    for s in qs.order_by("pk").iterator(chunk_size=CHUNK):
        yield map_treatment.lot(s, v)


def _staff_ids(clinic_id: int, patient_id: int) -> set[int]:
    def ids(qs: QuerySet[Any], *fields: str) -> set[int]:
        qs = qs.filter(clinic_id=clinic_id, voided_at__isnull=True)
        return {pk for row in qs.values_list(*fields) for pk in row if pk is not None}

    return (
        ids(Assessment.objects.filter(patient_id=patient_id), "clinician_id")
        | ids(TreatmentPlan.objects.filter(patient_id=patient_id), "approved_by_id")
        | ids(Consent.objects.filter(patient_id=patient_id), "taken_by_id")
        | ids(TreatmentSession.objects.filter(patient_id=patient_id), "practitioner_id")
        | ids(Injection.objects.filter(session__patient_id=patient_id), "given_by_id")
        | ids(FollowUp.objects.filter(patient_id=patient_id), "done_by_id")
    )


Section = Callable[[Scope, Vocabulary], Iterator[Resource]]
# In dependency order: everything a resource refers to comes before it.
SECTIONS: tuple[Section, ...] = (
    patients,
    staff,
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
)


def resources(scope: Scope) -> Iterator[Resource]:
    """Every resource in ``scope``, section by section."""
    v = vocabulary(scope.clinic)
    for section in SECTIONS:
        yield from section(scope, v)


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
