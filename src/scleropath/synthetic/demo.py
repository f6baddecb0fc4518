"""A deterministic synthetic demo: two clinics, their staff, and about 60 patients spread over every
stage of the pathway. Everything is created through the real services, so every record obeys the
same rules (and the same engine) as the clinic's own work. The people, their NHS and phone numbers
are made up (``people.py``).

The same seed gives the same clinics, people and records every time; dates are counted back from
the day the demo is loaded, so the demo is always current.
"""

from __future__ import annotations

import random
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments import services as assessments
from scleropath.assessments.models import TreatmentPlan, VeinFinding
from scleropath.booking import services as booking
from scleropath.checkins.services import issue_link, mark_missed_check_ins
from scleropath.core.models import RecordError
from scleropath.core.services import void_record
from scleropath.diary import services as diary
from scleropath.followup import services as followup
from scleropath.followup.models import AftercarePlan, FollowUp, FollowUpStatus
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from scleropath.photos import services as photos
from scleropath.protocol.vocabulary import TREATING_PROCEDURES, VCSS_ITEMS
from scleropath.treatment import services as treatment
from scleropath.treatment.models import SessionStatus, StockLot, TreatmentSession

from .demo_diary import build_diary
from .leg_photo import leg_photo
from .people import FAMILY, FEMALE_GIVEN, GIVEN, REGION_SPOTS, mobile, nhs_number, place

SEED = 20261124
DEMO_PASSWORD = "vein-demo-2026"
SIGN_IN_URL = "http://127.0.0.1:8000/"
OFF_PLAN_REASON = "Tributary beside the assessed veins, treated at the clinician's choice of strength"

# How far along the pathway each patient is: (stage, how many in clinic 1, how many in clinic 2).
STAGES = [
    ("registered", 3, 2),  # demographics only
    ("screened", 4, 2),  # screening answers and a weight
    ("assessed", 3, 2),  # findings on the leg map, CEAP and VCSS per leg
    ("planned", 3, 2),  # a draft plan from the engine
    ("consented", 3, 1),  # approved plan with consent, no session yet
    ("in_session", 2, 1),  # a session open now
    ("treated", 16, 7),  # one completed session, with follow-ups, side effects, outcomes
    ("treated_twice", 6, 3),  # two completed sessions
]
CLINICS = [
    # slug, name, phone, the sclerosant the clinic mostly uses
    ("riverside", "Riverside Vein Clinic", "020 7946 0123", "aethoxysklerol"),
    ("hillview", "Hillview Vein Centre", "0161 496 0456", "fibrovein"),
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
STOCK = {"aethoxysklerol": ("AE", (0.5, 1, 3)), "fibrovein": ("FV", (0.2, 0.5, 1, 3))}
# Side effects after a session, weighted roughly as they are seen: mostly expected or routine.
SYMPTOMS = (
    ["bruising"] * 6
    + ["injection_site_wheals"] * 3
    + ["pain_tenderness"] * 3
    + ["hyperpigmentation"] * 3
    + ["matting"] * 2
    + ["trapped_blood"] * 2
    + ["superficial_thrombophlebitis", "allergic_reaction", "skin_ulcer", "dvt_symptoms"]
    + ["visual_disturbance", "migraine"]
)


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass
class DemoSummary:
    """What the demo loaded, and who can sign in."""

    clinics: int = 0
    staff: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, clinic
    patients: int = 0
    sessions: int = 0
    injections: int = 0
    events: int = 0
    outcomes: int = 0
    seconds: float = 0.0
    patient_link: str = ""
    patient_link_for: str = ""


class DemoExists(Exception):
    """The database already has clinics or staff; the demo loads only into an empty one."""


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class DemoBuilder:
    """Walks each synthetic patient through the pathway with the clinic's own staff."""

    def __init__(self, out: Writer) -> None:
        self.rng = random.Random(SEED)
        self.out = out
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.summary = DemoSummary()
        self.names_used: set[tuple[str, str]] = set()
        self.override_shown = False  # one session in the demo passes a limit with a recorded reason
        self.visit_note_shown = False  # one follow-up visit in the demo has a clinical note

    # --- clinics, staff and stock --------------------------------------------------------------

    def clinic(self, slug: str, name: str, phone: str) -> tuple[Clinic, dict[str, User]]:
        clinic = Clinic.objects.create(
            name=name, slug=slug, screening_valid_days=90, nurses_may_inject=True, phone=phone
        )
        staff: dict[str, User] = {}
        for username, first, last, role in STAFF[slug]:
            staff[role] = User.objects.create_user(
                username,
                password=DEMO_PASSWORD,
                email=f"{username}@{slug}.example.com",
                clinic=clinic,
                role=role,
                first_name=first,
                last_name=last,
                is_staff=role == Role.MANAGER,  # managers keep staff, stock and settings in the admin
            )
            self.summary.staff.append((username, role.label, name))
        self.summary.clinics += 1
        return clinic, staff

    def online_booking(self, clinic: Clinic) -> None:
        """Patients may book a consultation on the clinic's public page (``/book/<slug>/``), in the
        hours the demo diary sets up."""
        policy = diary.diary_settings(clinic)
        policy.online_booking = True
        policy.save(update_fields=["online_booking"])

    def online_requests(self, clinic: Clinic) -> None:
        """One consultation booked online, held while the person confirms by email (it lapses if the
        demo is left), and one call-back request (the engine screened its answers as an absolute contraindication)."""
        times = booking.offered_times(clinic)
        if not times:
            return
        who = {
            "given_name": "Grace",
            "family_name": "Okafor",
            "date_of_birth": date(1982, 6, 3),
            "email": "grace.okafor@example.com",
            "phone": "07700 900461",
        }
        booking.request_booking(
            clinic, concern="thread_veins", starts_at=times[0], yes=set(), person=who, send=False
        )
        caller = {**who, "given_name": "Hugh", "family_name": "Bellamy", "email": "hugh.bellamy@example.com"}
        booking.request_booking(
            clinic,
            concern="varicose_veins",
            starts_at=times[-1],
            yes={"acute_vte"},
            person=caller,
            send=False,
        )

    def stock(self, manager: User, number: int) -> dict[tuple[str, float], StockLot]:
        """In-date lots of every strength the clinic uses, and one expired lot still on the list
        (the session page never offers it)."""
        lots = {}
        for product, (prefix, strengths) in STOCK.items():
            for conc in strengths:
                lots[product, float(conc)] = treatment.add_stock_lot(
                    manager,
                    product=product,
                    concentration_percent=str(conc),
                    lot_number=f"{prefix}{number}-{str(conc).replace('.', '')}-{self.rng.randint(100, 999)}",
                    expiry_date=self.today + timedelta(days=self.rng.randint(120, 540)),
                    quantity=self.rng.randint(5, 40),
                    received_on=self.today - timedelta(days=self.rng.randint(270, 300)),
                )
        treatment.add_stock_lot(
            manager,
            product="aethoxysklerol",
            concentration_percent="0.5",
            lot_number=f"AE{number}-05-EXPIRED",
            expiry_date=self.today - timedelta(days=20),
            quantity=2,
            received_on=self.today - timedelta(days=400),
        )
        return lots

    # --- patients through the pathway -----------------------------------------------------------

    def person(self, receptionist: User) -> Patient:
        while True:
            name = (self.rng.choice(GIVEN), self.rng.choice(FAMILY))
            if name not in self.names_used:
                self.names_used.add(name)
                break
        female = name[0] in FEMALE_GIVEN
        born = date(self.rng.randint(1945, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
        patient = patients.create_patient(
            receptionist,
            given_name=name[0],
            family_name=name[1],
            date_of_birth=born,
            sex="female" if female else "male",
            nhs_number=nhs_number(self.rng) if self.rng.random() < 0.85 else "",
            phone=mobile(self.rng.randint(100, 999)),
            email=f"{name[0].lower()}.{name[1].lower()}@example.com",
        )
        self.summary.patients += 1
        return patient

    def screen(self, user: User, patient: Patient, when: datetime, answers: str = "random") -> None:
        """Weight and screening answers: ``answers`` is "random" (mostly clear, some precautions and
        relative contraindications, a few allergies), "absolute" or "clear"."""
        day = timezone.localdate(when)
        patients.record_weight(user, patient, round(self.rng.uniform(52, 98), 1), measured_on=day)
        conditions: list[str] = []
        allergies: list[str] = []
        roll = self.rng.random()
        if answers == "absolute":
            conditions = [self.rng.choice(["acute_vte", "severe_systemic_illness", "local_infection"])]
        elif answers == "random":
            if roll < 0.15:
                conditions = ["hormonal_therapy"]  # a precaution only
            elif roll < 0.2:
                conditions = ["history_vte"]
            elif roll < 0.27:
                conditions = ["asymptomatic_right_to_left_shunt"]  # relative, for foam
            elif roll < 0.31:
                conditions = ["migraine_after_foam"]  # relative
            elif roll < 0.36:
                allergies = ["sodium tetradecyl sulfate"]  # rules out Fibrovein
            elif roll < 0.42:
                allergies = ["penicillin"]
        patients.record_screening(user, patient, conditions=conditions, allergies=allergies, at=when)

    def assess(self, user: User, patient: Patient, when: datetime) -> list[VeinFinding]:
        """One to six findings on the leg map, then CEAP signs and VCSS for each leg to match."""
        assessment = assessments.create_assessment(user, patient, at=when)
        found: list[VeinFinding] = []
        for _ in range(self.rng.randint(1, 6)):
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
                data = {
                    "diameter_mm": round(self.rng.uniform(*diameter), 1),
                    "depth": "intradermal" if kind == "spider" else "subcutaneous",
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

    def plan(self, user: User, patient: Patient, when: datetime, approve: bool) -> TreatmentPlan:
        """The engine's plan for the latest assessment; approved and consented if ``approve``."""
        assessment = patient.assessments.order_by("-assessed_at").first()
        assert assessment is not None
        plan = assessments.plan_assessment(user, assessment)
        # plan_assessment has no ``at``: the plan is dated by hand.
        TreatmentPlan.objects.filter(pk=plan.pk).update(created_at=when)
        if approve:
            plan = assessments.approve_plan(user, plan, plan.version, at=when + timedelta(minutes=15))
            if set(plan.procedures()) & TREATING_PROCEDURES:
                assessments.record_consent(
                    user, plan, patient_confirmed=True, at=when + timedelta(minutes=30)
                )
        return plan

    def inject_all(
        self,
        user: User,
        session: TreatmentSession,
        lots: dict[tuple[str, float], StockLot],
        start: datetime,
        preferred: str,
        override: bool = False,
    ) -> None:
        """Treat each finding the plan treats, with the preferred product where the plan offers it,
        stopping at a session limit; ``override`` passes one limit with a clinician's reason."""
        plan = session.plan
        findings = {f.label: f for f in VeinFinding.objects.filter(assessment_id=plan.assessment_id)}
        when = start
        for fplan in plan.engine_answer["findings"]:
            if fplan["procedure"] not in TREATING_PROCEDURES:
                continue  # referral or deferral
            options = [o for o in fplan["options"] if o["procedure"] == fplan["procedure"]]
            options.sort(key=lambda o: o["product"] != preferred)
            for option in options:
                lo, hi = option["concentration_percent"]
                strengths = sorted(c for p, c in lots if p == option["product"] and lo <= c <= hi)
                if not strengths:
                    continue
                # The lower strength when the range allows several, as the protocol advises.
                lot = lots[option["product"], strengths[0]]
                low, high = option["volume_per_site_ml"] or [None, None]
                form = option["form"]
                try:
                    for _ in range(self.rng.randint(1, 3)):
                        volume = (
                            round(self.rng.uniform(low or 0.1, high or 0.5), 2)
                            if form == "liquid"
                            else round(self.rng.uniform(1, 3), 1)
                        )
                        treatment.record_injection(
                            user,
                            session,
                            lot=lot,
                            volume_ml=volume,
                            form=form,
                            finding=findings[fplan["id"]],
                            foam_gas_parts=4 if form == "foam" else None,
                            needle_gauge=30 if fplan["procedure"] == "microsclerotherapy" else None,
                            at=when,
                        )
                        self.summary.injections += 1
                        when += timedelta(minutes=3)
                except treatment.LimitRefused:
                    pass  # the session's limit is reached: the rest waits for the next session
                except RecordError:
                    continue  # screening rules this product out for the patient: the next option
                break
        if override:
            self.pass_a_limit(user, session, lots["aethoxysklerol", 3.0], when)

    def pass_a_limit(self, user: User, session: TreatmentSession, lot: StockLot, when: datetime) -> None:
        """Inject 3% liquid until the next would pass a session limit, then give it with a reason.
        The plan offers no 3% liquid, so each injection is off-plan, with the clinician's reason."""
        while True:
            try:
                treatment.record_injection(
                    user,
                    session,
                    lot=lot,
                    volume_ml=1.5,
                    form="liquid",
                    at=when,
                    off_plan_reason=OFF_PLAN_REASON,
                )
            except treatment.LimitRefused:
                # The same injection again, now with the clinician's reason for passing the limit.
                treatment.record_injection(
                    user,
                    session,
                    lot=lot,
                    volume_ml=1.5,
                    form="liquid",
                    at=when,
                    override_reason="Large tortuous tributary; completing it today avoids a second "
                    "session (clinical judgement, patient informed)",
                    off_plan_reason=OFF_PLAN_REASON,
                )
                self.summary.injections += 1
                self.override_shown = True
                return
            self.summary.injections += 1
            when += timedelta(minutes=2)

    def treat(
        self,
        staff: dict[str, User],
        patient: Patient,
        plan: TreatmentPlan,
        lots: dict[tuple[str, float], StockLot],
        day: date,
        preferred: str,
        override: bool = False,
    ) -> TreatmentSession:
        clinician = staff[Role.CLINICIAN]
        session = treatment.start_session(clinician, plan, at=at(day, 11))
        self.inject_all(clinician, session, lots, at(day, 11, 5), preferred, override)
        session.refresh_from_db()
        if not session.injections.exists():
            void_record(clinician, session, "Nothing in the plan could be treated in this session")
            return session
        completed = at(day, 12)
        followup.complete_session(clinician, session, session.version, at=completed)
        # The aftercare service has no ``at``: its record is dated with the session by hand.
        AftercarePlan.objects.filter(session=session).update(created_at=completed)
        self.summary.sessions += 1
        self.after(staff[Role.NURSE], patient, session, day)
        return session

    def after(self, nurse: User, patient: Patient, session: TreatmentSession, day: date) -> None:
        """Side effects the patient reported, then the follow-ups that have come due: most seen,
        some missed, a few still waiting to be recorded."""
        for _ in range(self.rng.choice([0, 1, 1, 2])):
            symptom = self.rng.choice(SYMPTOMS)
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
        for fu in FollowUp.objects.filter(session=session, due_on__lt=self.today).order_by("due_on", "id"):
            roll = self.rng.random()
            if roll < 0.72:
                followup.record_follow_up_visit(
                    nurse, fu, "Reviewed; healing as expected.", at=at(fu.due_on, 14)
                )
                if not self.visit_note_shown:
                    self.visit_note_shown = True
                    followup.add_note(
                        nurse,
                        fu,
                        "Some bruising along the treated veins, fading.\nStockings worn as advised.",
                        at=at(fu.due_on, 14, 10),
                    )
            elif roll < 0.9:
                # No service marks a follow-up missed (the clinic pages leave it overdue).
                FollowUp.objects.filter(pk=fu.pk).update(status=FollowUpStatus.MISSED)

    def notes(self, clinician: User, patient: Patient, session: TreatmentSession, day: date) -> None:
        """Notes on one patient's assessment and session, so the pages show some."""
        assessment = patient.assessments.first()
        if assessment is not None:
            followup.add_note(
                clinician,
                assessment,
                "Wants the thighs treated before a summer holiday; explained that veins fade over weeks.",
                at=at(day, 9, 50),
            )
        if not session.is_voided:
            followup.add_note(
                clinician, session, "Tolerated well. Stockings fitted before leaving.", at=at(day, 12, 5)
            )

    def photos(self, clinician: User, patient: Patient, day: date) -> None:
        """Photo consent and two before photos on the assessment, so the chart's Photos card shows some."""
        assessment = patient.assessments.first()
        photos.record_photo_consent(clinician, patient, "teaching", patient_confirmed=True, at=at(day, 9, 40))
        for minute, view in ((45, "front"), (47, "calf_inner")):
            photos.add_photo(
                clinician,
                patient,
                # A generator of its own, so the demo's other records come out as before.
                leg_photo(random.Random(f"{patient.family_name}-{view}")),
                view,
                "left",
                taken_at=at(day, 9, minute),
                assessment=assessment,
            )

    def emergency(self, nurse: User, patient: Patient, session: TreatmentSession, day: date) -> None:
        """An anaphylactic reaction at the session, treated in the room and resolved."""
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
        self,
        stage: str,
        staff: dict[str, User],
        lots: dict[tuple[str, float], StockLot],
        index: int,
        house_product: str,
    ) -> None:
        """One new patient taken as far as ``stage``."""
        clinician, nurse = staff[Role.CLINICIAN], staff[Role.NURSE]
        patient = self.person(staff[Role.RECEPTION])
        if stage == "registered":
            return
        preferred = house_product if self.rng.random() < 0.8 else next(p for p in STOCK if p != house_product)
        override = stage == "treated" and not self.override_shown
        if stage == "in_session":
            # Screened, assessed and planned a few hours ago; the session is open now.
            self.screen(nurse, patient, self.now - timedelta(hours=3), answers="clear")
            self.assess(clinician, patient, self.now - timedelta(hours=2, minutes=45))
            plan = self.plan(clinician, patient, self.now - timedelta(hours=2, minutes=15), approve=True)
            if plan.consents.exists():
                session = treatment.start_session(clinician, plan, at=self.now - timedelta(hours=1))
                self.inject_all(clinician, session, lots, self.now - timedelta(minutes=55), preferred)
            return
        days_ago = {"screened": 10, "assessed": 20, "planned": 25, "consented": 30}.get(
            stage, self.rng.randint(50, 260)
        )
        if stage == "treated" and index < 3:
            days_ago = (3, 12, 20)[index]  # recent sessions, so check-ins and links are current
        day = self.today - timedelta(days=days_ago)
        answers = "absolute" if stage == "screened" and index == 0 else "clear" if override else "random"
        self.screen(nurse, patient, at(day, 9), answers)
        if stage == "screened":
            return
        self.assess(clinician, patient, at(day, 9, 30))
        if stage == "assessed":
            return
        plan = self.plan(clinician, patient, at(day, 10), approve=stage != "planned")
        if stage in ("planned", "consented") or not plan.consents.exists():
            return
        session = self.treat(staff, patient, plan, lots, day, preferred, override)
        if stage == "treated" and index == 0:
            self.notes(clinician, patient, session, day)
            self.photos(clinician, patient, day)
        if stage == "treated" and index == 2 and session.completed_at:
            self.emergency(nurse, patient, session, day)
        if stage == "treated_twice":
            second = day + timedelta(days=self.rng.randint(28, 42))
            if second < self.today:
                patients.record_screening(nurse, patient, conditions=[], allergies=[], at=at(second, 9))
                self.treat(staff, patient, plan, lots, second, preferred)
        self.outcomes(clinician, plan, day)

    def patient_links(self, nurse: User) -> None:
        """Links (not emailed) for the sessions of the last month, so their check-ins exist; the
        newest is printed so the patient's side can be tried."""
        recent = TreatmentSession.objects.filter(
            clinic=nurse.clinic,
            status=SessionStatus.COMPLETED,
            completed_at__gte=at(self.today - timedelta(days=30)),
        ).order_by("completed_at")
        for session in recent:
            _, url = issue_link(nurse, session, send=False)
            self.summary.patient_link, self.summary.patient_link_for = url, str(session.patient)

    def build(self) -> DemoSummary:
        admin = User.objects.create_superuser(
            "admin", email="admin@scleropath.example.com", password=DEMO_PASSWORD, role=Role.ADMIN
        )
        with set_actor(admin):
            for n, (slug, name, phone, house_product) in enumerate(CLINICS):
                started = clock.monotonic()
                clinic, staff = self.clinic(slug, name, phone)
                self.online_booking(clinic)
                lots = self.stock(staff[Role.MANAGER], n + 1)
                for stage, first, second in STAGES:
                    for index in range(first if n == 0 else second):
                        self.walk(stage, staff, lots, index, house_product)
                if n == 0:
                    self.patient_links(staff[Role.NURSE])
                build_diary(clinic, staff, SEED + n, self.now, saturdays=n == 0)
                if n == 0:
                    self.online_requests(clinic)
                count = Patient.objects.filter(clinic=clinic).count()
                self.out.write(
                    f"Clinic {n + 1}, {name}: {count} patients ... done ({clock.monotonic() - started:.1f} s)\n"
                )
            mark_missed_check_ins(self.today)
        self.summary.staff.append(("admin", Role.ADMIN.label, "all clinics (admin site only)"))
        return self.summary


def print_sign_in(summary: DemoSummary, out: Writer) -> None:
    """How to sign in to the demo: the address, each username with the shared password, the
    patient's own link."""
    out.write(f"\nSign in at {SIGN_IN_URL} (managers and admin also at {SIGN_IN_URL}admin/):\n")
    width = max(len(username) for username, _, _ in summary.staff)
    for username, role, clinic in summary.staff:
        out.write(f"  {username:<{width}} / {DEMO_PASSWORD}   {role}, {clinic}\n")
    if summary.patient_link:
        out.write(f"\nA patient's own link (check-ins after treatment), for {summary.patient_link_for}:\n")
        out.write(f"  {summary.patient_link}\n")


def load_demo(out: Writer) -> DemoSummary:
    """Load the demo into an empty database, printing progress and how to sign in; raises
    :class:`DemoExists` if any clinic or user exists already."""
    if Clinic.objects.exists() or User.objects.exists():
        raise DemoExists(
            "The database already has clinics or users; the demo loads only into an empty database "
            "(load_demo --reset wipes a development database first)."
        )
    started = clock.monotonic()
    out.write(f"Loading two demo clinics (synthetic patients, seed {SEED})...\n")
    with transaction.atomic():
        summary = DemoBuilder(out).build()
    summary.seconds = clock.monotonic() - started
    out.write(
        f"Loaded {summary.clinics} clinics, {summary.patients} patients, {summary.sessions} sessions, "
        f"{summary.injections} injections, {summary.events} side effects and {summary.outcomes} outcomes "
        f"in {summary.seconds:.1f} s.\n"
    )
    print_sign_in(summary, out)
    return summary
