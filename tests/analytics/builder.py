"""A small hand-made clinic history for the analytics tests: records written directly, so each
figure's expected value can be worked out by hand from the calls a test makes."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from scleropath.accounts.models import Clinic, User
from scleropath.assessments.models import Assessment, LegScore, PlanStatus, TreatmentPlan, VeinFinding
from scleropath.followup.models import AdverseEvent, Outcome
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection, SessionStatus, StockLot, TreatmentSession

_counter = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Builder:
    """Writes one clinic's records; every method returns what it made."""

    def __init__(self, clinic: Clinic, clinician: User) -> None:
        self.clinic = clinic
        self.clinician = clinician
        self.lots: dict[tuple[str, str], StockLot] = {}

    def patient(self, name: str = "") -> Patient:
        n = next(_counter)
        return Patient.objects.create(
            clinic=self.clinic,
            given_name=name or f"Pat{n}",
            family_name=f"Test{n}",
            date_of_birth=date(1970, 1, 1),
            sex="female",
        )

    def assessment(self, patient: Patient, day: date) -> Assessment:
        return Assessment.objects.create(
            clinic=self.clinic, patient=patient, assessed_at=at(day), clinician=self.clinician
        )

    def finding(self, assessment: Assessment, label: str = "") -> VeinFinding:
        return VeinFinding.objects.create(
            clinic=self.clinic,
            assessment=assessment,
            label=label or f"L{next(_counter)}",
            side="left",
            region="thigh_lateral",
            x=0.5,
            y=0.5,
            engine_class="telangiectasia",
        )

    def plan(self, assessment: Assessment) -> TreatmentPlan:
        return TreatmentPlan.objects.create(
            clinic=self.clinic,
            assessment=assessment,
            patient=assessment.patient,
            status=PlanStatus.APPROVED,
            engine_answer={"findings": []},
            protocol_id="uk-default",
            protocol_version="test",
        )

    def lot(self, agent: str, strength: str) -> StockLot:
        key = (agent, strength)
        if key not in self.lots:
            self.lots[key] = StockLot.objects.create(
                clinic=self.clinic,
                product="aethoxysklerol" if agent == "polidocanol" else "fibrovein",
                agent=agent,
                concentration_percent=Decimal(strength),
                lot_number=f"LOT-{next(_counter)}",
                expiry_date=date(2099, 1, 1),
                quantity=100,
            )
        return self.lots[key]

    def session(
        self,
        plan: TreatmentPlan,
        day: date,
        *,
        practitioner: User | None = None,
        status: str = SessionStatus.COMPLETED,
        number: int = 1,
    ) -> TreatmentSession:
        return TreatmentSession.objects.create(
            clinic=self.clinic,
            plan=plan,
            patient=plan.patient,
            number=number,
            started_at=at(day),
            completed_at=at(day, 11) if status == SessionStatus.COMPLETED else None,
            status=status,
            practitioner=practitioner or self.clinician,
            weight_kg=Decimal("70"),
        )

    def injection(
        self,
        session: TreatmentSession,
        *,
        finding: VeinFinding | None = None,
        procedure: str = "microsclerotherapy",
        agent: str = "polidocanol",
        strength: str = "0.5",
        minute: int = 0,
    ) -> Injection:
        return Injection.objects.create(
            clinic=self.clinic,
            session=session,
            finding=finding,
            procedure=procedure,
            agent=agent,
            product="aethoxysklerol" if agent == "polidocanol" else "fibrovein",
            form="foam" if "foam" in procedure else "liquid",
            concentration_percent=Decimal(strength),
            volume_ml=Decimal("0.5"),
            lot=self.lot(agent, strength),
            given_at=session.started_at + timedelta(minutes=minute),
            given_by=session.practitioner,
        )

    def outcome(self, plan: TreatmentPlan, day: date, **fields: Any) -> Outcome:
        fields.setdefault("area", "left thigh")
        return Outcome.objects.create(
            clinic=self.clinic, patient=plan.patient, plan=plan, assessed_on=day, **fields
        )

    def event(
        self,
        session: TreatmentSession,
        symptom: str,
        onset: date,
        *,
        resolved: date | None = None,
        level: str = "expected",
        draft: bool = False,
    ) -> AdverseEvent:
        return AdverseEvent.objects.create(
            clinic=self.clinic,
            patient=session.patient,
            session=session,
            symptom=symptom,
            onset_on=onset,
            severity="mild",
            triage_level=level,
            triage={"display": symptom},
            resolved_on=resolved,
            is_draft=draft,
        )

    def leg(self, assessment: Assessment, side: str, vcss: int, ceap: str = "C1") -> LegScore:
        return LegScore.objects.create(
            clinic=self.clinic,
            assessment=assessment,
            side=side,
            ceap_classes=[ceap],
            ceap_highest=ceap,
            vcss_total=vcss,
        )

    def treated(
        self,
        day: date,
        *,
        procedure: str = "microsclerotherapy",
        agent: str = "polidocanol",
        strength: str = "0.5",
        practitioner: User | None = None,
    ) -> tuple[Patient, TreatmentPlan, VeinFinding, TreatmentSession]:
        """A patient assessed and treated on ``day`` with one injection for one finding."""
        patient = self.patient()
        assessment = self.assessment(patient, day)
        finding = self.finding(assessment)
        plan = self.plan(assessment)
        session = self.session(plan, day, practitioner=practitioner)
        self.injection(session, finding=finding, procedure=procedure, agent=agent, strength=strength)
        return patient, plan, finding, session
