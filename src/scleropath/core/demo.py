"""A deterministic synthetic demo: two clinics, their staff, and about 60 patients spread over every
stage of the pathway. Everything is created through the real services, so every record obeys the
same rules (and the same engine) as the clinic's own work. The names and numbers are made up."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments import services as assessments
from scleropath.assessments.models import TreatmentPlan, VeinFinding
from scleropath.checkins.services import issue_link, mark_missed_check_ins
from scleropath.followup import services as followup
from scleropath.followup.models import FollowUp, FollowUpStatus
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from scleropath.patients.nhs import check_digit
from scleropath.protocol.vocabulary import TREATING_PROCEDURES, VCSS_ITEMS
from scleropath.treatment import services as treatment
from scleropath.treatment.models import StockLot, TreatmentSession

SEED = 20261124
DEMO_PASSWORD = "vein-demo-2026"
FEMALE_GIVEN = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Emily",
    "Sophie",
    "Grace",
    "Mia",
    "Poppy",
    "Ella",
    "Lily",
    "Evie",
    "Jessica",
    "Ruby",
    "Chloe",
    "Sienna",
    "Freya",
    "Daisy",
    "Harriet",
    "Margaret",
    "Susan",
    "Linda",
    "Janet",
    "Helen",
    "Priya",
    "Aisha",
    "Fatima",
    "Zara",
]
MALE_GIVEN = [
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Thomas",
    "James",
    "David",
    "Robert",
    "Mohammed",
    "Arjun",
    "Sean",
    "Callum",
]
GIVEN = FEMALE_GIVEN + MALE_GIVEN
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodriguez",
    "Cox",
    "Alexander",
    "Morgan",
    "Bell",
    "Murphy",
    "Kelly",
    "Hughes",
    "Edwards",
    "Turner",
    "Cooper",
]
# (stage, how many in clinic 1, how many in clinic 2)
STAGES = [
    ("registered", 3, 2),
    ("screened", 4, 2),
    ("assessed", 3, 2),
    ("planned", 3, 2),
    ("consented", 3, 1),
    ("in_session", 2, 1),
    ("treated", 16, 7),
    ("treated_twice", 6, 3),
]
STAFF = {
    "riverside": [
        ("alice", "Alice", "Shaw", Role.CLINICIAN),
        ("nora", "Nora", "Quinn", Role.NURSE),
        ("rita", "Rita", "Bell", Role.RECEPTION),
        ("mark", "Mark", "Reid", Role.MANAGER),
    ],
    "hillview": [
        ("bob", "Bob", "Ellis", Role.CLINICIAN),
        ("nina", "Nina", "Park", Role.NURSE),
        ("ravi", "Ravi", "Shah", Role.RECEPTION),
        ("maya", "Maya", "Ford", Role.MANAGER),
    ],
}


@dataclass
class DemoSummary:
    clinics: int = 0
    staff: list[tuple[str, str, str]] = field(default_factory=list)
    patients: int = 0
    sessions: int = 0
    injections: int = 0
    events: int = 0
    outcomes: int = 0
    patient_link: str = ""
    patient_link_for: str = ""


class DemoExists(Exception):
    pass


def nhs_number(rng: random.Random) -> str:
    while True:
        first_nine = "".join(str(rng.randint(0, 9)) for _ in range(9))
        check = check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# Where on the map a finding in each region sits: (views, height range as a fraction of the leg).
REGION_SPOTS = {
    "thigh_lateral": ("front", (0.15, 0.38)),
    "thigh_medial": ("front", (0.15, 0.38)),
    "thigh_posterior": ("back", (0.15, 0.38)),
    "knee_medial": ("front", (0.45, 0.5)),
    "popliteal_fossa": ("back", (0.45, 0.5)),
    "calf_medial": ("front", (0.55, 0.82)),
    "calf_lateral": ("front", (0.55, 0.82)),
    "calf_posterior": ("back", (0.55, 0.82)),
    "ankle_medial": ("front", (0.88, 0.92)),
}


def place(rng: random.Random, side: str, region: str) -> dict[str, Any]:
    view, (top, bottom) = REGION_SPOTS[region]
    leg_centre = {
        ("front", "right"): 0.31,
        ("front", "left"): 0.69,
        ("back", "left"): 0.31,
        ("back", "right"): 0.69,
    }
    medial_dir = 1 if (view == "front") == (side == "right") else -1
    offset = 0.06 * (
        medial_dir if "medial" in region else -medial_dir if "lateral" in region else rng.uniform(-1, 1)
    )
    return {
        "view": view,
        "x": round(leg_centre[view, side] + offset, 3),
        "y": round(rng.uniform(top, bottom), 3),
    }


class DemoBuilder:
    def __init__(self, out: IO[str]) -> None:
        self.rng = random.Random(SEED)
        self.out = out
        self.today = timezone.localdate()
        self.summary = DemoSummary()
        self.names_used: set[tuple[str, str]] = set()
        self.override_shown = False  # one session in the demo passes a limit with a recorded reason

    # --- clinics and staff ---------------------------------------------------------------------

    def clinic(self, slug: str, name: str, phone: str) -> tuple[Clinic, dict[str, User]]:
        clinic = Clinic.objects.create(
            name=name, slug=slug, screening_valid_days=90, nurses_may_inject=True, phone=phone
        )
        staff: dict[str, User] = {}
        for username, first, last, role in STAFF[slug]:
            staff[role] = User.objects.create_user(
                username,
                password=DEMO_PASSWORD,
                clinic=clinic,
                role=role,
                first_name=first,
                last_name=last,
                is_staff=role == Role.MANAGER,
            )
            self.summary.staff.append((username, role.label, name))
        self.summary.clinics += 1
        return clinic, staff

    def stock(self, manager: User) -> dict[tuple[str, float], StockLot]:
        lots = {}
        for product, strengths, prefix in (
            ("aethoxysklerol", (0.5, 1, 3), "AE"),
            ("fibrovein", (0.2, 0.5, 1, 3), "FV"),
        ):
            for conc in strengths:
                lot = treatment.add_stock_lot(
                    manager,
                    product=product,
                    concentration_percent=str(conc),
                    lot_number=f"{prefix}{manager.clinic_id}-{str(conc).replace('.', '')}-{self.rng.randint(100, 999)}",
                    expiry_date=self.today + timedelta(days=self.rng.randint(120, 540)),
                    quantity=self.rng.randint(5, 40),
                )
                lots[product, float(conc)] = lot
        # One expired lot stays on the shelf list: the session page never offers it.
        assert manager.clinic is not None
        StockLot.objects.create(
            clinic=manager.clinic,
            created_by=manager,
            product="aethoxysklerol",
            agent="polidocanol",
            concentration_percent=Decimal("0.5"),
            lot_number="AE-EXPIRED-001",
            expiry_date=self.today - timedelta(days=20),
            quantity=2,
        )
        return lots

    # --- patients through the pathway -----------------------------------------------------------

    def person(self, clinician: User) -> Patient:
        while True:
            name = (self.rng.choice(GIVEN), self.rng.choice(FAMILY))
            if name not in self.names_used:
                self.names_used.add(name)
                break
        female = name[0] in FEMALE_GIVEN
        born = date(self.rng.randint(1945, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
        patient = patients.create_patient(
            clinician,
            given_name=name[0],
            family_name=name[1],
            date_of_birth=born,
            sex="female" if female else "male",
            nhs_number=nhs_number(self.rng) if self.rng.random() < 0.85 else "",
            phone=f"07700 900{self.rng.randint(100, 999)}",
            email=f"{name[0].lower()}.{name[1].lower()}@example.com",
        )
        self.summary.patients += 1
        return patient

    def screen(self, user: User, patient: Patient, day: date, contraindicated: bool = False) -> None:
        patients.record_weight(user, patient, round(self.rng.uniform(52, 98), 1), measured_on=day)
        conditions: list[str] = []
        allergies: list[str] = []
        roll = self.rng.random()
        if contraindicated:
            conditions = [self.rng.choice(["acute_vte", "severe_systemic_illness"])]
        elif roll < 0.2:
            conditions = ["hormonal_therapy"]
        elif roll < 0.28:
            conditions = ["asymptomatic_right_to_left_shunt"]
        elif roll < 0.33:
            allergies = ["sodium tetradecyl sulfate"]
        elif roll < 0.38:
            allergies = ["penicillin"]
        patients.record_screening(user, patient, conditions=conditions, allergies=allergies, at=at(day, 9))

    def assess(self, user: User, patient: Patient, day: date) -> list[VeinFinding]:
        assessment = assessments.create_assessment(user, patient, at=at(day, 9, 30))
        found: list[VeinFinding] = []
        for _ in range(self.rng.randint(1, 5)):
            side = self.rng.choice(["left", "right"])
            kind = self.rng.choices(["spider", "reticular", "varicose", "trunk"], weights=[5, 3, 2, 0.4])[0]
            if kind == "trunk":
                region = "thigh_medial"
                data = {
                    "named_vein": "gsv",
                    "diameter_mm": round(self.rng.uniform(4, 8), 1),
                    "reflux": True,
                    "depth": "subcutaneous",
                }
            else:
                region = self.rng.choice(list(REGION_SPOTS))
                diameter = {"spider": (0.3, 0.9), "reticular": (1.0, 2.8), "varicose": (3.2, 6.5)}[kind]
                depth = {"spider": "intradermal", "reticular": "subcutaneous", "varicose": "subcutaneous"}[
                    kind
                ]
                data = {
                    "diameter_mm": round(self.rng.uniform(*diameter), 1),
                    "depth": depth,
                    "reflux": False if kind == "varicose" else None,
                }
            found.append(
                assessments.add_finding(
                    user, assessment, side=side, region=region, **place(self.rng, side, region), **data
                )
            )
        for side in ("left", "right"):
            classes = {f.vessel_class for f in found if f.side == side}
            signs = (["telangiectasia"] if classes & {"telangiectasia", "reticular"} else []) + (
                ["varicose_veins"] if classes & {"varicose", "truncal"} else []
            )
            vcss = dict.fromkeys(VCSS_ITEMS, 0)
            if "varicose_veins" in signs:
                vcss |= {"pain": self.rng.randint(0, 2), "varicose_veins": self.rng.randint(1, 2)}
                if self.rng.random() < 0.3:
                    signs.append("edema")
                    vcss["venous_edema"] = 1
            assessments.score_leg(user, assessment, side, signs, vcss)
        return found

    def plan(self, user: User, patient: Patient, day: date, approve: bool) -> TreatmentPlan:
        assessment = patient.assessments.order_by("-assessed_at").first()
        assert assessment is not None
        plan = assessments.plan_assessment(user, assessment)
        TreatmentPlan.objects.filter(pk=plan.pk).update(created_at=at(day, 10))
        if approve:
            plan = assessments.approve_plan(user, plan, plan.version, at=at(day, 10, 15))
            if set(plan.procedures()) & TREATING_PROCEDURES:
                assessments.record_consent(user, plan, patient_confirmed=True, at=at(day, 10, 30))
        return plan

    def inject_all(
        self,
        user: User,
        session: TreatmentSession,
        lots: dict[tuple[str, float], StockLot],
        day: date,
        override: bool = False,
    ) -> None:
        plan = session.plan
        findings = {f.label: f for f in VeinFinding.objects.filter(assessment_id=plan.assessment_id)}
        minute = 5
        for fplan in plan.engine_answer["findings"]:
            if fplan["procedure"] not in TREATING_PROCEDURES:
                continue
            option = next((o for o in fplan["options"] if o["procedure"] == fplan["procedure"]), None)
            if option is None:
                continue
            lo, hi = option["concentration_percent"]
            strengths = sorted(c for p, c in lots if p == option["product"] and lo <= c <= hi)
            if not strengths:
                continue
            lot = lots[option["product"], strengths[0]]  # the lower strength when the range allows several
            low, high = option["volume_per_site_ml"] or [None, None]
            form = option["form"]
            for _ in range(self.rng.randint(1, 3)):
                volume = (
                    round(self.rng.uniform(low or 0.1, high or 0.5), 2)
                    if form == "liquid"
                    else round(self.rng.uniform(1, 3), 1)
                )
                try:
                    treatment.record_injection(
                        user,
                        session,
                        lot=lot,
                        volume_ml=volume,
                        form=form,
                        finding=findings[fplan["id"]],
                        foam_gas_parts=4 if form == "foam" else None,
                        needle_gauge=30 if fplan["procedure"] == "microsclerotherapy" else None,
                        at=at(day, 11, minute),
                    )
                    self.summary.injections += 1
                except treatment.LimitRefused:
                    break
                minute += 3
        if override:
            lot = lots["aethoxysklerol", 3.0]
            while True:
                try:
                    treatment.record_injection(
                        user, session, lot=lot, volume_ml=1.5, form="liquid", at=at(day, 11, minute)
                    )
                    self.summary.injections += 1
                    minute += 2
                except treatment.LimitRefused:
                    treatment.record_injection(
                        user,
                        session,
                        lot=lot,
                        volume_ml=1.0,
                        form="liquid",
                        at=at(day, 11, minute),
                        override_reason="Large tortuous tributary; completing it today avoids a second session "
                        "(clinical judgement, patient informed)",
                    )
                    self.summary.injections += 1
                    self.override_shown = True
                    break

    def treat(
        self,
        user: User,
        nurse: User,
        patient: Patient,
        plan: TreatmentPlan,
        lots: dict[tuple[str, float], StockLot],
        day: date,
        override: bool = False,
    ) -> TreatmentSession:
        session = treatment.start_session(user, plan, at=at(day, 11))
        self.inject_all(user, session, lots, day, override)
        session.refresh_from_db()
        if not session.injections.exists():
            session.void(user, "Nothing in the plan could be treated in this session")
            return session
        treatment.complete_session(user, session, session.version, at=at(day, 12))
        self.summary.sessions += 1
        self.after(nurse, patient, session, day)
        return session

    def after(self, nurse: User, patient: Patient, session: TreatmentSession, day: date) -> None:
        for fu in FollowUp.objects.filter(session=session).order_by("due_on"):
            if fu.due_on >= self.today:
                continue
            roll = self.rng.random()
            if roll < 0.72:
                followup.record_follow_up_visit(
                    nurse, fu, "Reviewed; healing as expected.", at=at(fu.due_on, 14)
                )
            elif roll < 0.9:
                FollowUp.objects.filter(pk=fu.pk).update(status=FollowUpStatus.MISSED)
        symptoms = (
            ["bruising"] * 6
            + ["injection_site_wheals"] * 3
            + ["pain_tenderness"] * 3
            + ["hyperpigmentation"] * 3
            + ["matting"] * 2
            + ["trapped_blood"] * 2
            + [
                "superficial_thrombophlebitis",
                "allergic_reaction",
                "skin_ulcer",
                "dvt_symptoms",
                "visual_disturbance",
                "migraine",
            ]
        )
        for _ in range(self.rng.choice([0, 1, 1, 2])):
            symptom = self.rng.choice(symptoms)
            onset = min(self.today, day + timedelta(days=self.rng.randint(0, 21)))
            event = followup.log_adverse_event(
                nurse,
                patient,
                symptom=symptom,
                onset_on=onset,
                session=session,
                severity=self.rng.choice(["mild", "mild", "moderate"]),
            )
            self.summary.events += 1
            if event.triage_level != "prompt_review" and self.rng.random() < 0.6:
                resolved = min(self.today, onset + timedelta(days=self.rng.randint(3, 40)))
                followup.resolve_adverse_event(nurse, event, resolved)

    def outcomes(self, user: User, plan: TreatmentPlan, day: date) -> None:
        assessed_on = day + timedelta(days=self.rng.randint(42, 90))
        if assessed_on > self.today:
            return
        treated = {i.finding_id for s in plan.sessions.all() for i in s.injections.all() if i.finding_id}
        for finding in VeinFinding.objects.filter(pk__in=treated):
            clearance = self.rng.choice([45, 60, 70, 75, 80, 85, 90, 95, 100])
            followup.record_outcome(
                user,
                plan,
                clearance_percent=clearance,
                finding=finding,
                area=f"{finding.side} {finding.region.replace('_', ' ')}",
                satisfaction=self.rng.choices([2, 3, 4, 5], weights=[1, 2, 4, 5])[0],
                recurrence=self.rng.random() < 0.12,
                retreatment_needed=clearance < 70,
                assessed_on=assessed_on,
            )
            self.summary.outcomes += 1

    def walk(
        self, stage: str, staff: dict[str, User], lots: dict[tuple[str, float], StockLot], index: int
    ) -> None:
        clinician, nurse = staff[Role.CLINICIAN], staff[Role.NURSE]
        patient = self.person(staff[Role.RECEPTION])
        if stage == "registered":
            return
        days_ago = {"screened": 10, "assessed": 20, "planned": 25, "consented": 30, "in_session": 35}.get(
            stage, self.rng.randint(50, 260)
        )
        if stage == "treated" and index < 3:
            days_ago = (3, 12, 20)[index]  # recent sessions, so check-ins and links are current
        day = self.today - timedelta(days=days_ago)
        self.screen(nurse, patient, day, contraindicated=stage == "screened" and index == 0)
        if stage == "screened":
            return
        self.assess(clinician, patient, day)
        if stage == "assessed":
            return
        plan = self.plan(clinician, patient, day, approve=stage != "planned")
        if stage in ("planned", "consented") or not plan.consents.exists():
            return
        if stage == "in_session":
            patients.record_screening(nurse, patient, conditions=[], allergies=[], at=at(self.today, 8, 30))
            session = treatment.start_session(clinician, plan, at=at(self.today, 9, 30))
            self.inject_all(clinician, session, lots, self.today)
            return
        session = self.treat(
            clinician,
            nurse,
            patient,
            plan,
            lots,
            day,
            override=stage == "treated" and not self.override_shown,
        )
        if stage == "treated" and index == 2 and session.completed_at:
            # One emergency in the history: an anaphylactic reaction at the session, treated and resolved.
            event = followup.log_adverse_event(
                nurse,
                patient,
                symptom="anaphylaxis",
                onset_on=day,
                session=session,
                severity="severe",
                notes="Treated in the room; observed until recovered.",
            )
            followup.resolve_adverse_event(nurse, event, day)
            self.summary.events += 1
        if stage == "treated_twice":
            second = day + timedelta(days=self.rng.randint(28, 42))
            if second < self.today:
                patients.record_screening(nurse, patient, conditions=[], allergies=[], at=at(second, 9))
                self.treat(clinician, nurse, patient, plan, lots, second)
        self.outcomes(clinician, plan, day)

    def patient_links(self, nurse: User) -> None:
        """Links (not emailed) for the sessions of the last month, so their check-ins exist; the
        newest is printed so the patient's side can be tried."""
        recent = TreatmentSession.objects.filter(
            clinic=nurse.clinic,
            status="completed",
            completed_at__gte=at(self.today - timedelta(days=30)),
        ).order_by("completed_at")
        for session in recent:
            _, url = issue_link(nurse, session, send=False)
            self.summary.patient_link, self.summary.patient_link_for = url, str(session.patient)

    def build(self) -> DemoSummary:
        clinics = [
            ("riverside", "Riverside Vein Clinic", "020 7946 0123"),
            ("hillview", "Hillview Vein Centre", "0161 496 0456"),
        ]
        admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, role=Role.ADMIN)
        self.summary.staff.append(("admin", "Administrator", "all clinics (admin site)"))
        with set_actor(admin):
            for n, (slug, name, phone) in enumerate(clinics):
                clinic, staff = self.clinic(slug, name, phone)
                lots = self.stock(staff[Role.MANAGER])
                for stage, first, second in STAGES:
                    for index in range(first if n == 0 else second):
                        self.walk(stage, staff, lots, index)
                count = Patient.objects.filter(clinic=clinic).count()
                self.out.write(f"{name}: {count} patients ... done\n")
                if n == 0:
                    self.patient_links(staff[Role.NURSE])
            mark_missed_check_ins(self.today)
        return self.summary


def load_demo(out: IO[str]) -> DemoSummary:
    """Load the demo into an empty database; refuse if any clinic exists already."""
    if Clinic.objects.exists() or User.objects.exists():
        raise DemoExists(
            "The database already has clinics or users; the demo loads only into an empty database."
        )
    with transaction.atomic():
        return DemoBuilder(out).build()
