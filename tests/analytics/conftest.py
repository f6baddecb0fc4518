"""A hand-made first quarter of 2026 in clinic A (and a little of clinic B), with every figure's
expected value worked out in the comments of ``history``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from scleropath.patients.models import Patient
from scleropath.treatment.models import SessionStatus
from tests.analytics.builder import Builder
from tests.pathway import Clinics

START, END = date(2026, 1, 1), date(2026, 3, 31)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@dataclass
class History:
    a: Builder
    b: Builder
    p1: Patient
    p2: Patient
    p3: Patient
    p4: Patient
    p5: Patient
    b_patient: Patient


@pytest.fixture
def history(clinics: Clinics) -> History:
    """Clinic A, first quarter of 2026.

    Sessions in the period (completed): P1, P2, P3, P4 (4 sessions, 4 patients); P5's session is
    before the period and P6's is still open.
    Clearance reviewed in the period: P1 80 (micro, pol 0.5%, alice), P2 40 (foam, STS 1%, alice,
    attributed through its plan), P3 90 (micro, pol 0.5%, nora), P4 20 (UGFS, pol 1%, alice),
    P5 60 (micro, pol 0.5%, alice); a voided 0 is ignored.
    Satisfaction: 4 from a clinician (P1), 5 from the patient (P3).
    Events: bruising after P1 (14 days) and P2 (10 days), matting after P3 (open); a draft and an
    event after P5's earlier session are left out.
    Retreatment: P1 (31 days after the first session) and P4 (33 days) of 5 reviewed patients.
    VCSS: left legs -3 (P1), +3 (P2), -3 (P4, last score in the period); right leg 0 (P1).
    """
    a = Builder(clinics.a, clinics.alice)
    p1, plan1, f1, s1 = a.treated(date(2026, 1, 10))
    a.outcome(
        plan1, date(2026, 2, 10), finding=f1, clearance_percent=80, satisfaction=4, retreatment_needed=True
    )
    a.event(s1, "bruising", date(2026, 1, 11), resolved=date(2026, 1, 25))
    a.leg(a.assessment(p1, date(2025, 12, 1)), "left", 8)
    later = a.assessment(p1, date(2026, 2, 1))
    a.leg(later, "left", 5)
    a.leg(later, "right", 4)
    a.leg(a.assessment(p1, date(2025, 12, 2)), "right", 4)

    p2, plan2, _f2, s2 = a.treated(
        date(2026, 1, 12), procedure="foam_sclerotherapy", agent="sodium_tetradecyl_sulfate", strength="1"
    )
    a.outcome(plan2, date(2026, 2, 11), clearance_percent=40)
    a.event(s2, "bruising", date(2026, 1, 13), resolved=date(2026, 1, 23))
    a.leg(a.assessment(p2, date(2026, 1, 5)), "left", 6)
    a.leg(a.assessment(p2, date(2026, 3, 10)), "left", 9)

    p3, plan3, f3, s3 = a.treated(date(2026, 2, 1), practitioner=clinics.nora)
    a.outcome(plan3, date(2026, 3, 1), finding=f3, clearance_percent=90)
    a.outcome(plan3, date(2026, 3, 5), reported_by_patient=True, satisfaction=5)
    a.event(s3, "matting", date(2026, 2, 20), level="routine_review")
    a.event(s3, "hyperpigmentation", date(2026, 2, 21), draft=True)
    a.leg(a.assessment(p3, date(2026, 2, 1)), "left", 3)

    p4, plan4, f4, _s4 = a.treated(
        date(2026, 2, 15), procedure="ultrasound_guided_foam_sclerotherapy", strength="1"
    )
    a.outcome(plan4, date(2026, 3, 20), finding=f4, clearance_percent=20, retreatment_needed=True)
    a.leg(a.assessment(p4, date(2025, 11, 1)), "left", 10)
    a.leg(a.assessment(p4, date(2026, 1, 15)), "left", 7)
    a.leg(a.assessment(p4, date(2026, 4, 15)), "left", 2)

    p5, plan5, f5, s5 = a.treated(date(2025, 12, 20))
    a.outcome(plan5, date(2026, 1, 20), finding=f5, clearance_percent=60)
    a.event(s5, "bruising", date(2025, 12, 21), resolved=date(2025, 12, 30))
    voided = a.outcome(plan5, date(2026, 1, 21), finding=f5, clearance_percent=0)
    voided.voided_at = timezone.now()
    voided.save()

    p6 = a.patient()
    plan6 = a.plan(a.assessment(p6, date(2026, 3, 1)))
    a.session(plan6, date(2026, 3, 2), status=SessionStatus.OPEN)

    b = Builder(clinics.b, clinics.bob)
    bp, bplan, bf, bs = b.treated(date(2026, 1, 20))
    b.outcome(
        bplan, date(2026, 2, 20), finding=bf, clearance_percent=100, satisfaction=1, retreatment_needed=True
    )
    b.event(bs, "bruising", date(2026, 1, 21), resolved=date(2026, 1, 22))
    b.leg(b.assessment(bp, date(2025, 10, 1)), "left", 20)
    b.leg(b.assessment(bp, date(2026, 2, 1)), "left", 1)
    return History(a, b, p1, p2, p3, p4, p5, bp)


def add_clinic_a_patients(history: History, n: int, clinics: Clinics) -> None:
    """``n`` more treated and reviewed patients in clinic A, for the query-count tests."""
    a = history.a
    for i in range(n):
        patient, plan, finding, session = a.treated(
            date(2026, 1, 1 + i % 28), practitioner=clinics.nora if i % 2 else clinics.alice
        )
        a.outcome(
            plan, date(2026, 3, 1), finding=finding, clearance_percent=10 * (i % 10), satisfaction=1 + i % 5
        )
        a.event(session, "matting", date(2026, 2, 1), resolved=date(2026, 2, 1 + i % 20))
        a.leg(a.assessment(patient, date(2025, 6, 1)), "right", 5)
        a.leg(a.assessment(patient, date(2026, 3, 2)), "right", 3)
