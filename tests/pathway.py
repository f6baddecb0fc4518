"""Named fixtures shared by the web and browser tests: the personas and a patient walked through
the pathway with the real services (so every record obeys the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments import services as assessments
from scleropath.assessments.models import Assessment, TreatmentPlan, VeinFinding
from scleropath.checkins.services import issue_link
from scleropath.followup import services as followup
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from scleropath.protocol.vocabulary import VCSS_ITEMS
from scleropath.treatment import services as treatment
from scleropath.treatment.models import Injection, StockLot, TreatmentSession

PASSWORD = "correct-horse-battery-staple"
ZERO_VCSS = dict.fromkeys(VCSS_ITEMS, 0)


@dataclass
class Clinics:
    a: Clinic
    b: Clinic
    alice: User  # clinician, clinic A
    nora: User  # nurse, clinic A
    rita: User  # receptionist, clinic A
    mark: User  # manager, clinic A
    bob: User  # clinician, clinic B: must be refused everything of clinic A


@pytest.fixture
def clinics(db: Any) -> Clinics:
    a = Clinic.objects.create(
        name="Riverside Vein Clinic",
        slug="riverside",
        screening_valid_days=90,
        nurses_may_inject=True,
        phone="020 7946 0000",
    )
    b = Clinic.objects.create(name="Hillview Vein Centre", slug="hillview", screening_valid_days=90)

    def user(name: str, role: str, clinic: Clinic) -> User:
        return User.objects.create_user(
            name,
            password=PASSWORD,
            clinic=clinic,
            role=role,
            first_name=name.capitalize(),
            is_staff=role == Role.MANAGER,
        )

    return Clinics(
        a,
        b,
        user("alice", Role.CLINICIAN, a),
        user("nora", Role.NURSE, a),
        user("rita", Role.RECEPTION, a),
        user("mark", Role.MANAGER, a),
        user("bob", Role.CLINICIAN, b),
    )


@dataclass
class Pathway:
    patient: Patient
    assessment: Assessment
    spider: VeinFinding
    varicose: VeinFinding
    plan: TreatmentPlan
    lot: StockLot  # the strength the plan offers for the spider vein
    strong_lot: StockLot  # 3%: the plan offers it as foam for the varicose vein
    expired_lot: StockLot
    session: TreatmentSession


@pytest.fixture
def pathway(clinics: Clinics) -> Pathway:
    """A 70 kg patient of clinic A with an approved, consented plan and an open session."""
    alice = clinics.alice
    patient = patients.create_patient(
        alice,
        given_name="Ann",
        family_name="Jones",
        date_of_birth=date(1975, 3, 4),
        sex="female",
        nhs_number="9434765919",
    )
    patients.record_weight(alice, patient, 70)
    patients.record_screening(alice, patient, conditions=[], allergies=[])
    assessment = assessments.create_assessment(alice, patient)
    spider = assessments.add_finding(
        alice,
        assessment,
        side="left",
        region="thigh_lateral",
        view="front",
        x=0.7,
        y=0.3,
        diameter_mm=0.6,
        depth="intradermal",
    )
    varicose = assessments.add_finding(
        alice,
        assessment,
        side="right",
        region="calf_medial",
        view="front",
        x=0.35,
        y=0.6,
        diameter_mm=4.5,
        depth="subcutaneous",
        reflux=False,
    )
    assessments.score_leg(alice, assessment, "left", ["telangiectasia"], ZERO_VCSS)
    plan = assessments.plan_assessment(alice, assessment)
    plan = assessments.approve_plan(alice, plan, plan.version)
    assessments.record_consent(alice, plan, patient_confirmed=True)
    lot = treatment.add_stock_lot(
        clinics.mark,
        product="aethoxysklerol",
        concentration_percent="0.5",
        lot_number="AE-301",
        expiry_date=date.today() + timedelta(days=200),
        quantity=20,
    )
    strong = treatment.add_stock_lot(
        clinics.mark,
        product="aethoxysklerol",
        concentration_percent="3",
        lot_number="AE-303",
        expiry_date=date.today() + timedelta(days=200),
        quantity=20,
    )
    expired = StockLot.objects.create(
        clinic=clinics.a,
        product="aethoxysklerol",
        agent="polidocanol",
        concentration_percent=1,
        lot_number="AE-OLD",
        expiry_date=date.today() - timedelta(days=1),
        quantity=3,
    )
    session = treatment.start_session(alice, plan)
    return Pathway(patient, assessment, spider, varicose, plan, lot, strong, expired, session)


def inject_spider(
    user: Any,
    pathway: Pathway,
    *,
    session: TreatmentSession | None = None,
    lot: StockLot | None = None,
    volume_ml: str = "0.2",
    **kw: Any,
) -> Injection:
    """0.2 mL of liquid into the plan's spider vein, at the strength the plan offers unless ``lot``
    says otherwise: the common injection of these tests."""
    return treatment.record_injection(
        user,
        session or pathway.session,
        lot=lot or pathway.lot,
        volume_ml=volume_ml,
        form="liquid",
        finding=pathway.spider,
        **kw,
    )


@pytest.fixture
def treated(clinics: Clinics, pathway: Pathway) -> Pathway:
    """The pathway's session completed today with a spider vein treated."""
    inject_spider(clinics.alice, pathway)
    pathway.session.refresh_from_db()
    followup.complete_session(clinics.alice, pathway.session, pathway.session.version)
    patient = pathway.session.patient
    patient.email = "ann.jones@example.com"
    patient.save()
    pathway.patient.refresh_from_db()
    return pathway


@pytest.fixture
def link(clinics: Clinics, treated: Pathway) -> Any:
    """The patient's link, sent by email; returns (link, url, path)."""
    sent, url = issue_link(clinics.nora, treated.session)
    return sent, url, url.removeprefix("http://127.0.0.1:8000")
