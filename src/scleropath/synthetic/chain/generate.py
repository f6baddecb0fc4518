"""A synthetic clinic chain at scale, for measuring the analytics on a realistic volume of records.

The generator writes clinics, staff and stock through the ORM, then streams patients, assessments
(findings and leg scores), plans, sessions, injections, follow-ups, check-ins, adverse events and
outcomes in big batches (see ``bulk.py``). Every clinical value comes from the engine's loaded
protocol (``catalogue.py``): findings the engine classified and planned, injections the plan allows
within the session limits it sets, the aftercare's follow-ups and check-ins, triage of each symptom,
CEAP and VCSS scored by the engine. The only figures the generator chooses itself are the shape of
the workload (how sessions group into courses, how far apart courses are, how many appointments are
attended or answered), which are no clinical claim; outcome measures are drawn evenly over their
valid range for the same reason.

The same seed and end date give the same chain, row for row, in an empty database.
"""

from __future__ import annotations

import json
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments.models import Assessment, PlanStatus, TreatmentPlan, VeinFinding
from scleropath.checkins.models import CheckInStatus
from scleropath.core.engine import engine_for
from scleropath.followup.models import FollowUpStatus
from scleropath.patients.models import Patient
from scleropath.protocol import Engine
from scleropath.protocol.vocabulary import VCSS_ITEMS
from scleropath.synthetic.people import FAMILY, FEMALE_GIVEN, MALE_GIVEN, counted_nhs_numbers, mobile, place
from scleropath.treatment.models import SessionStatus, StockLot, TreatmentSession

from .bulk import BulkLoader
from .catalogue import Catalogue, Option, Template
from .columns import TABLES

SLUG_PREFIX = "chain-"
NAME_SUFFIX = " (generated)"
PATIENTS_PER_TRANSACTION = 2_000

# Workload shape, not clinical figures: how the chain's appointments turn out.
FOLLOW_UP_ATTENDED, FOLLOW_UP_MISSED = 0.85, 0.10  # the rest cancelled
CHECK_IN_ANSWERED = 0.70  # the rest missed
SESSIONS_PER_COURSE = (1, 4)
FINDINGS_PER_ASSESSMENT = (1, 6)
MONTHS_BETWEEN_COURSES = (0, 12)  # after the course's outcome review
SEVERITY_FOR_LEVEL = {
    "expected": "mild",
    "routine_review": "mild",
    "prompt_review": "moderate",
    "emergency": "severe",
}
SIGN_FOR_CLASS = {
    "telangiectasia": "telangiectasia",
    "reticular": "reticular_veins",
    "varicose": "varicose_veins",
    "truncal": "varicose_veins",
    "perforator": "varicose_veins",
    "recurrent_varicose": "recurrent_varicose_veins",
}


class ChainError(Exception):
    """The chain cannot be generated into this database or at these sizes."""


@dataclass(frozen=True)
class ChainSize:
    clinics: int = 10
    practitioners: int = 5  # per clinic: clinicians and nurses who inject
    patients: int = 100_000
    sessions: int = 1_000_000
    injections: int = 10_000_000
    years: int = 3

    def scaled(self, factor: float) -> ChainSize:
        """Patients, sessions and injections times ``factor``; clinics and staff stay."""
        return ChainSize(
            clinics=self.clinics,
            practitioners=self.practitioners,
            patients=max(1, round(self.patients * factor)),
            sessions=max(1, round(self.sessions * factor)),
            injections=max(1, round(self.injections * factor)),
            years=self.years,
        )

    def check(self) -> None:
        if min(self.clinics, self.practitioners, self.patients, self.years) < 1:
            raise ChainError("Clinics, practitioners, patients and years must each be at least 1.")
        if self.sessions < 0 or self.injections < self.sessions:
            raise ChainError("Every session has at least one injection: injections must be >= sessions.")


@dataclass
class ChainSummary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def is_generated(clinic: Clinic) -> bool:
    return clinic.slug.startswith(SLUG_PREFIX) and clinic.name.endswith(NAME_SUFFIX)


def real_clinics() -> list[Clinic]:
    """Clinics in the database that this generator did not make."""
    return [c for c in Clinic.objects.order_by("id") if not is_generated(c)]


@dataclass
class Staff:
    clinic_id: int
    practitioners: list[int]
    clinicians: list[int]
    reception: int
    manager: int
    house_product: str


@dataclass
class OpenSession:
    """A written session kept for a final top-up if the chain ends short of its injection count."""

    clinic_id: int
    session_id: int
    practitioner: int
    product: str
    budget: Any
    given: list[tuple[tuple[Any, ...], Option]]
    next_at: datetime
    year: int


class ChainGenerator:
    def __init__(
        self,
        size: ChainSize,
        *,
        seed: int,
        until: date,
        loader: BulkLoader,
        engine: Engine,
    ) -> None:
        size.check()
        self.size = size
        self.seed = seed
        self.until = until
        self.until_ord = until.toordinal()
        self.rng = random.Random(seed)
        self.loader = loader
        self.catalogue = Catalogue(engine, self.rng)
        self.protocol = engine.protocol
        self.product_ids = list(self.catalogue.products)
        self._midnights: dict[int, datetime] = {}
        self._json: dict[int, str] = {}
        self.lots: dict[tuple[int, str, float, int], int] = {}
        self.recent: deque[OpenSession] = deque(maxlen=5_000)
        self.nhs_numbers = counted_nhs_numbers()

    # --- helpers ------------------------------------------------------------------------------

    def day(self, ordinal: int) -> date:
        return date.fromordinal(ordinal)

    def at(self, ordinal: int, minutes: int) -> datetime:
        """A naive UTC datetime ``minutes`` after midnight of the day (the backends store UTC)."""
        base = self._midnights.get(ordinal)
        if base is None:
            base = self._midnights[ordinal] = datetime.combine(date.fromordinal(ordinal), datetime.min.time())
        return base + timedelta(minutes=minutes)

    def dumps(self, value: Any) -> str:
        """JSON text, shared between rows that store the same cached engine answer (only for
        values that live as long as the run: the cache is keyed by the object's identity)."""
        key = id(value)
        text = self._json.get(key)
        if text is None:
            text = self._json[key] = json.dumps(value, separators=(",", ":"))
        return text

    # --- clinics, staff, stock ------------------------------------------------------------------

    def clinics(self) -> list[Staff]:
        made: list[Staff] = []
        for n in range(1, self.size.clinics + 1):
            clinic = Clinic.objects.create(
                name=f"Chain clinic {n:02d}{NAME_SUFFIX}",
                slug=f"{SLUG_PREFIX}{n:02d}",
                screening_valid_days=90,
                nurses_may_inject=True,
                phone=f"020 7946 0{n:03d}",
            )
            users: list[User] = []
            clinicians = (self.size.practitioners + 1) // 2
            for i in range(self.size.practitioners):
                role = Role.CLINICIAN if i < clinicians else Role.NURSE
                users.append(self._user(clinic, f"{role.value}{i + 1}", role))
            users.append(self._user(clinic, "reception1", Role.RECEPTION))
            users.append(self._user(clinic, "manager1", Role.MANAGER))
            User.objects.bulk_create(users)
            ids = {u.username: u.id for u in User.objects.filter(clinic=clinic)}
            pract = [ids[u.username] for u in users[: self.size.practitioners]]
            made.append(
                Staff(
                    clinic_id=clinic.id,
                    practitioners=pract,
                    clinicians=pract[:clinicians],
                    reception=ids[users[-2].username],
                    manager=ids[users[-1].username],
                    house_product=self.product_ids[(n - 1) % len(self.product_ids)],
                )
            )
        return made

    def _user(self, clinic: Clinic, name: str, role: Role) -> User:
        return User(
            username=f"{clinic.slug}-{name}",
            password="!",  # unusable: generated staff never sign in with a password
            email=f"{name}@{clinic.slug}.example.com",
            clinic=clinic,
            role=role,
            first_name=name.rstrip("0123456789").capitalize(),
            last_name=f"Chain {clinic.slug[-2:]}",
            is_staff=role == Role.MANAGER,
        )

    def lot(self, clinic_id: int, product: str, conc: float, year: int) -> int:
        """The clinic's lot of a product strength for a year, received on 1 January and in date
        until the end of the next year, so every injection of that year uses an in-date lot."""
        key = (clinic_id, product, conc, year)
        lot_id = self.lots.get(key)
        if lot_id is None:
            lot_id = self.lots[key] = self.ids["lot"]
            self.ids["lot"] += 1
            agent = self.catalogue.products[product].agent
            self.t_lot.add(
                (
                    lot_id,
                    clinic_id,
                    datetime(year, 1, 1),
                    product,
                    agent,
                    conc,
                    f"{product[:2].upper()}{year}-{conc:g}".replace(".", ""),
                    date(year + 1, 12, 31),
                    100,
                    date(year, 1, 1),
                )
            )
        return lot_id

    # --- the run --------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            staff = self.clinics()
        self.open_tables()
        sessions_for = self.split(self.size.sessions, self.size.patients, spread=0.9)
        self.remaining_injections = self.size.injections
        self.remaining_sessions = self.size.sessions
        weights = [self.rng.uniform(0.5, 1.5) for _ in staff]
        for start in range(0, self.size.patients, PATIENTS_PER_TRANSACTION):
            with transaction.atomic():
                for i in range(start, min(start + PATIENTS_PER_TRANSACTION, self.size.patients)):
                    clinic = self.rng.choices(staff, weights)[0]
                    self.patient(clinic, sessions_for[i])
                self.flush()
        if self.remaining_injections:
            with transaction.atomic():
                self.top_up()
                self.flush()
        with transaction.atomic():
            self.loader.finish()
        return {t.model._meta.label: t.count for t in self.loader.tables.values()}

    def split(self, total: int, parts: int, spread: float) -> list[int]:
        """``total`` split over ``parts`` with about ``spread`` relative variation, summing exactly."""
        base, extra = divmod(total, parts)
        out = [base + (1 if i < extra else 0) for i in range(parts)]
        self.rng.shuffle(out)
        for i in range(0, parts - 1, 2):
            a, b = out[i], out[i + 1]
            move = self.rng.randint(0, int(min(a, b) * spread))
            out[i], out[i + 1] = a - move, b + move
        return out

    def open_tables(self) -> None:
        ld = self.loader
        self.ids = {
            "lot": ld.next_id(StockLot),
            "patient": ld.next_id(Patient),
            "assessment": ld.next_id(Assessment),
            "finding": ld.next_id(VeinFinding),
            "plan": ld.next_id(TreatmentPlan),
            "session": ld.next_id(TreatmentSession),
        }
        tables = {name: ld.table(model, columns) for name, (model, columns) in TABLES.items()}
        self.t_lot, self.t_patient = tables["lot"], tables["patient"]
        self.t_assessment, self.t_finding, self.t_leg = tables["assessment"], tables["finding"], tables["leg"]
        self.t_plan, self.t_session, self.t_injection = tables["plan"], tables["session"], tables["injection"]
        self.t_follow_up, self.t_check_in = tables["follow_up"], tables["check_in"]
        self.t_event, self.t_outcome = tables["event"], tables["outcome"]

    def flush(self) -> None:
        for table in self.loader.tables.values():
            table.flush()

    # --- one patient --------------------------------------------------------------------------------

    def patient(self, staff: Staff, sessions: int) -> None:
        rng = self.rng
        pid = self.ids["patient"]
        self.ids["patient"] += 1
        courses: list[int] = []
        left = sessions
        while left:
            n = min(left, rng.randint(*SESSIONS_PER_COURSE))
            courses.append(n)
            left -= n
        horizon = self.size.years * 365
        # Courses are laid out forward from day 0, then the whole history is moved to end before ``until``.
        plans = [self.course_plan(staff, n) for n in courses]
        offset = 0
        starts: list[int] = []
        for plan in plans:
            starts.append(offset)
            offset += plan["span"] + 30 * rng.randint(*MONTHS_BETWEEN_COURSES)
        span = starts[-1] + plans[-1]["span"] if plans else 0
        last_back = rng.randint(1, max(1, horizon - span))
        first_ord = self.until_ord - last_back - span
        registered = first_ord - rng.randint(0, 30)
        female = rng.random() < 0.5
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        family = rng.choice(FAMILY)
        born = self.day(registered - rng.randint(18 * 365, 85 * 365))
        self.t_patient.add(
            (
                pid,
                staff.clinic_id,
                self.at(registered, 8 * 60 + rng.randint(0, 540)),
                staff.reception,
                given,
                family,
                born,
                "female" if female else "male",
                next(self.nhs_numbers, ""),
                f"{given.lower()}.{family.lower()}.{pid}@example.com",
                mobile(rng.randint(0, 999)),
            )
        )
        weight = round(rng.uniform(45, 120), 1)
        number = 1
        treated_events: list[tuple[int, int, int]] = []  # session id, day, last check-in day
        for n, (plan, start) in enumerate(zip(plans, starts, strict=True)):
            # A course's review asks for retreatment exactly when the patient comes back for another.
            again = n < len(plans) - 1
            number = self.course(staff, pid, plan, first_ord + start, number, weight, treated_events, again)
        self.adverse_events(staff, pid, treated_events)

    def course_plan(self, staff: Staff, sessions: int) -> dict[str, Any]:
        """The findings of one course and the days of its sessions, before anything is written."""
        rng = self.rng
        templates = [
            rng.choice(self.catalogue.templates) for _ in range(rng.randint(*FINDINGS_PER_ASSESSMENT))
        ]
        products = [staff.house_product] + [p for p in self.product_ids if p != staff.house_product]
        product = next(
            (p for p in products if any(o.product == p for t in templates for o in t.options)), products[0]
        )
        interval = self.catalogue.interval_days(product)
        days = [0]
        for _ in range(sessions - 1):
            days.append(days[-1] + rng.randint(*interval))
        return {"templates": templates, "product": product, "days": days, "span": days[-1]}

    def course(
        self,
        staff: Staff,
        pid: int,
        plan: dict[str, Any],
        first_ord: int,
        number: int,
        weight: float,
        treated_events: list[tuple[int, int, int]],
        again: bool,
    ) -> int:
        rng = self.rng
        clinic = staff.clinic_id
        clinician = rng.choice(staff.clinicians)
        aid = self.ids["assessment"]
        self.ids["assessment"] += 1
        assessed = self.at(first_ord, 9 * 60 + 30)
        self.t_assessment.add((aid, clinic, assessed, clinician, pid, assessed, clinician))
        findings: list[tuple[tuple[Any, ...], Template]] = []
        per_side: dict[str, set[str]] = {"left": set(), "right": set()}
        for n, template in enumerate(plan["templates"], start=1):
            fid = self.ids["finding"]
            self.ids["finding"] += 1
            side = rng.choice(("left", "right"))
            spot = place(rng, side, template.region)
            own = template.side_free
            label = f"{side[0].upper()}{n}"
            self.t_finding.add(
                (
                    fid,
                    clinic,
                    assessed,
                    clinician,
                    aid,
                    label,
                    side,
                    template.region,
                    spot["view"],
                    spot["x"],
                    spot["y"],
                    own.get("diameter_mm"),
                    own.get("depth") or "",
                    own.get("named_vein") or "",
                    own.get("reflux"),
                    template.vessel_class,
                )
            )
            # What an injection of this finding carries: id, view, x, y, side; then its label,
            # class and region for the plan, the aftercare and the outcome.
            findings.append(
                (
                    (
                        fid,
                        spot["view"],
                        spot["x"],
                        spot["y"],
                        side,
                        label,
                        template.vessel_class,
                        template.region,
                    ),
                    template,
                )
            )
            per_side[side].add(template.vessel_class)
        for side in ("left", "right"):
            self.leg_score(clinic, clinician, aid, assessed, side, per_side[side])
        plan_id = self.ids["plan"]
        self.ids["plan"] += 1
        answer = {
            "protocol": {"id": self.protocol.id, "version": self.protocol.version},
            "findings": [
                {
                    "id": f[5],
                    "vessel_class": t.vessel_class,
                    "procedure": t.procedure,
                    "alternatives": list(t.alternatives),
                }
                for f, t in findings
            ],
        }
        planned = assessed + timedelta(minutes=30)
        last_ord = first_ord + plan["days"][-1]
        self.t_plan.add(
            (
                plan_id,
                clinic,
                planned,
                clinician,
                aid,
                pid,
                PlanStatus.COMPLETED if last_ord < self.until_ord - 30 else PlanStatus.APPROVED,
                json.dumps(answer, separators=(",", ":")),
                self.protocol.id,
                self.protocol.version,
                clinician,
                planned + timedelta(minutes=15),
            )
        )
        product = plan["product"]
        treatable = [
            (f, opts) for f, t in findings if (opts := [o for o in t.options if o.product == product])
        ]
        treated_findings: dict[int, str] = {}
        outcome_after: float | None = None
        for day in plan["days"]:
            ordinal = first_ord + day
            sid, aftercare, used = self.session(
                staff, pid, plan_id, ordinal, number, weight, product, treatable
            )
            number += 1
            window = max((c["day"] for c in aftercare.get("check_ins", [])), default=0)
            treated_events.append((sid, ordinal, window))
            for f, _ in used:
                treated_findings[f[0]] = f"{f[4]} {f[7].replace('_', ' ')}"
            outcome_after = next(
                (fu["after_days"] for fu in aftercare["follow_up"] if "outcome" in fu["id"]), None
            )
        if outcome_after is not None:
            assessed_on = last_ord + round(outcome_after)
            if assessed_on <= self.until_ord:
                for fid, area in treated_findings.items():
                    self.t_outcome.add(
                        (
                            clinic,
                            self.at(assessed_on, 14 * 60),
                            clinician,
                            pid,
                            plan_id,
                            fid,
                            area,
                            self.day(assessed_on),
                            rng.randint(0, 100),
                            rng.randint(1, 5),
                            False,
                            again,
                        )
                    )
                if rng.random() < CHECK_IN_ANSWERED:
                    # The patient's own satisfaction answer at the review, with no clearance figure.
                    self.t_outcome.add(
                        (
                            clinic,
                            self.at(assessed_on, 18 * 60),
                            None,
                            pid,
                            plan_id,
                            None,
                            "Treated areas (patient's view)",
                            self.day(assessed_on),
                            None,
                            rng.randint(1, 5),
                            True,
                            False,
                        )
                    )
        return number

    def leg_score(
        self, clinic: int, clinician: int, aid: int, when: datetime, side: str, classes: set[str]
    ) -> None:
        rng = self.rng
        signs = tuple(sorted({SIGN_FOR_CLASS[c] for c in classes if c in SIGN_FOR_CLASS}))
        ceap = self.catalogue.ceap(signs)
        items = dict.fromkeys(VCSS_ITEMS, 0)
        if classes & {"varicose", "truncal", "perforator", "recurrent_varicose"}:
            # Scored over the item's own 0-3 range: the generator makes no claim about symptoms.
            items["pain"] = rng.randint(0, 3)
            items["varicose_veins"] = rng.randint(1, 3)
        vcss = self.catalogue.vcss(tuple(items.items()))
        scored = {i["item"]: i["score"] for i in vcss["items"]}
        self.t_leg.add(
            (
                clinic,
                when,
                clinician,
                aid,
                side,
                json.dumps(list(signs)),
                json.dumps(ceap["c_classes"]),
                ceap["highest"],
                json.dumps(scored, separators=(",", ":")),
                vcss["total"],
            )
        )

    # --- sessions and injections ---------------------------------------------------------------------

    def session(
        self,
        staff: Staff,
        pid: int,
        plan_id: int,
        ordinal: int,
        number: int,
        weight: float,
        product: str,
        treatable: list[tuple[tuple[Any, ...], list[Option]]],
    ) -> tuple[int, dict[str, Any], list[tuple[tuple[Any, ...], Option]]]:
        rng = self.rng
        clinic = staff.clinic_id
        sid = self.ids["session"]
        self.ids["session"] += 1
        practitioner = rng.choice(staff.practitioners)
        started = self.at(ordinal, 8 * 60 + 15 * rng.randint(0, 36))
        budget = self.catalogue.budget(product, weight, number)
        self.remaining_sessions -= 1
        target = self.remaining_injections / (self.remaining_sessions + 1)
        want = max(1, round(target * rng.uniform(0.5, 1.5)))
        want = max(1, min(want, self.remaining_injections - self.remaining_sessions))
        given: list[tuple[tuple[Any, ...], Option]] = []
        at = started + timedelta(minutes=5)
        year = started.year
        # Every (finding, option) pair the plan allows; a pair that no longer fits the session's
        # limits even at its lowest strength and volume is dropped for the rest of the session.
        pairs = [(f, o) for f, options in treatable for o in options]
        while len(given) < want and pairs:
            k = rng.randrange(len(pairs))
            finding, option = pairs[k]
            if self.inject(clinic, sid, practitioner, finding, option, budget, at, year, exact=False):
                given.append((finding, option))
                at += timedelta(minutes=3)
            else:
                pairs[k] = pairs[-1]
                pairs.pop()
        if not given:
            raise ChainError(
                f"No treatment fits the limits of session {sid}; the protocol may be too narrow."
            )
        self.remaining_injections -= len(given)
        completed = at + timedelta(minutes=20)
        self.t_session.add(
            (
                sid,
                clinic,
                started,
                practitioner,
                plan_id,
                pid,
                number,
                started,
                completed,
                SessionStatus.COMPLETED,
                practitioner,
                weight,
            )
        )
        self.recent.append(OpenSession(clinic, sid, practitioner, product, budget, given, at, year))
        treated = tuple(sorted({(o.procedure, f[6]) for f, o in given}))
        aftercare = self.catalogue.aftercare(treated, (product,))
        self.follow_ups(staff, pid, sid, ordinal, aftercare)
        return sid, aftercare, given

    def inject(
        self,
        clinic: int,
        sid: int,
        practitioner: int,
        finding: tuple[Any, ...],
        option: Option,
        budget: Any,
        at: datetime,
        year: int,
        exact: bool,
    ) -> bool:
        """One injection the option allows at a random strength and volume, or at its lowest when
        the random one would pass a session limit; False if even that does not fit."""
        rng = self.rng
        foam = option.form == "foam"
        gas = rng.choice(self.catalogue.gas_parts) if foam and self.catalogue.gas_parts else None
        lo, hi = option.volume_ml
        conc = rng.choice(option.strengths)
        volume = round(rng.uniform(lo, hi), 2)
        if exact or not budget.fits(option.product, conc, option.form, volume, gas):
            conc, volume = option.strengths[0], lo
            if not budget.fits(option.product, conc, option.form, volume, gas):
                return False
        budget.add(option.product, conc, option.form, volume, gas)
        gauge = option.needle_gauge
        self.t_injection.add(
            (
                clinic,
                at,
                practitioner,
                sid,
                finding[0],
                finding[1],
                finding[2],
                finding[3],
                finding[4],
                option.procedure,
                option.agent,
                option.product,
                option.form,
                conc,
                volume,
                gas,
                rng.randint(*gauge) if gauge else None,
                self.lot(clinic, option.product, conc, year),
                at,
                practitioner,
            )
        )
        return True

    def top_up(self) -> None:
        """Give the injections still owed in the latest sessions, one more per session a round, at
        the lowest strength and volume of something the session already gave (so its aftercare
        still holds)."""
        while self.remaining_injections:
            added = 0
            for s in reversed(self.recent):
                for finding, option in s.given:
                    if self.inject(
                        s.clinic_id,
                        s.session_id,
                        s.practitioner,
                        finding,
                        option,
                        s.budget,
                        s.next_at,
                        s.year,
                        True,
                    ):
                        self.remaining_injections -= 1
                        s.next_at += timedelta(minutes=3)
                        added += 1
                        break
                if not self.remaining_injections:
                    return
            if not added:
                raise ChainError(
                    f"{self.remaining_injections:,} injections do not fit the protocol's session limits; "
                    "ask for fewer injections or more sessions."
                )

    # --- after the session ---------------------------------------------------------------------------

    def follow_ups(self, staff: Staff, pid: int, sid: int, ordinal: int, aftercare: dict[str, Any]) -> None:
        rng = self.rng
        clinic = staff.clinic_id
        nurse = rng.choice(staff.practitioners)
        booked = self.at(ordinal, 13 * 60)
        check_days: dict[int, str] = {c["day"]: c["purpose"] for c in aftercare.get("check_ins", [])}
        for fu in aftercare["follow_up"]:
            due = ordinal + round(fu["after_days"])
            window = fu.get("window_days")
            window_end = self.day(ordinal + round(window[1])) if window and window[1] else None
            done_at = done_by = None
            if due > self.until_ord:
                status = FollowUpStatus.SCHEDULED
            else:
                roll = rng.random()
                if roll < FOLLOW_UP_ATTENDED:
                    status, done_at, done_by = FollowUpStatus.DONE, self.at(due, 14 * 60), nurse
                elif roll < FOLLOW_UP_ATTENDED + FOLLOW_UP_MISSED:
                    status = FollowUpStatus.MISSED
                else:
                    status = FollowUpStatus.CANCELLED
            self.t_follow_up.add(
                (
                    clinic,
                    booked,
                    nurse,
                    pid,
                    sid,
                    fu["id"],
                    fu["purpose"],
                    self.day(due),
                    window_end,
                    status,
                    done_at,
                    done_by,
                )
            )
            before = round(fu["after_days"]) - 1
            if before > 0 and before not in check_days:
                check_days[before] = f"Before your review: {fu['purpose'].lower()}"
        for day, purpose in sorted(check_days.items()):
            due = ordinal + day
            answered = None
            if due > self.until_ord:
                check_status = CheckInStatus.SCHEDULED
            elif rng.random() < CHECK_IN_ANSWERED:
                check_status, answered = CheckInStatus.ANSWERED, self.at(due, 18 * 60)
            else:
                check_status = CheckInStatus.MISSED
            self.t_check_in.add(
                (clinic, booked, nurse, pid, sid, day, purpose, self.day(due), check_status, answered)
            )

    def adverse_events(self, staff: Staff, pid: int, sessions: list[tuple[int, int, int]]) -> None:
        """Each sourced symptom with its reported rate per treated patient, after one of their
        sessions, triaged by the engine for the days since it; the day falls within the last
        check-in day the protocol schedules, when such symptoms are looked for."""
        if not sessions:
            return
        rng = self.rng
        for symptom, rate in self.catalogue.symptoms.items():
            if rng.random() >= rate:
                continue
            sid, ordinal, window = rng.choice(sessions)
            days = rng.randint(0, window)
            onset = ordinal + days
            if onset > self.until_ord:
                continue
            triage = self.catalogue.triage(symptom, days)
            level = triage["level"]
            resolved = None
            lasts = self.protocol.symptoms[symptom].expected_resolution_days
            if lasts is not None and lasts.min is not None:
                end = onset + rng.randint(int(lasts.min), int(lasts.max or lasts.min))
                resolved = self.day(end) if end <= self.until_ord else None
            nurse = rng.choice(staff.practitioners)
            self.t_event.add(
                (
                    staff.clinic_id,
                    self.at(onset, 12 * 60),
                    nurse,
                    pid,
                    sid,
                    symptom,
                    self.day(onset),
                    SEVERITY_FOR_LEVEL.get(level, "moderate"),
                    level,
                    self.dumps(triage),
                    resolved,
                )
            )


def generate_chain(
    size: ChainSize,
    *,
    seed: int,
    until: date,
    force: bool = False,
    batch_size: int = 50_000,
    progress: Any = None,
    engine: Engine | None = None,
) -> dict[str, int]:
    """Fill the database with a generated chain; returns the rows written per model.

    Refuses a database holding a generated chain already, and one holding real clinics unless
    ``force``. The generated clinics have no clinic file, so their records follow the configured
    protocol (``engine_for(None)``) unless another ``engine`` is given.
    """
    if any(is_generated(c) for c in Clinic.objects.all()):
        raise ChainError("This database already holds a generated chain; generate into an empty database.")
    real = real_clinics()
    if real and not force:
        names = ", ".join(c.name for c in real[:3]) + (" ..." if len(real) > 3 else "")
        raise ChainError(
            f"This database holds {len(real)} real clinic(s) ({names}); generated records would mix "
            "with them. Use an empty database, or --force if that is really meant."
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache for the index inserts
    loader = BulkLoader(batch_size=batch_size, progress=progress)
    generator = ChainGenerator(size, seed=seed, until=until, loader=loader, engine=engine or engine_for(None))
    counts = generator.run()
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would soon gather them on a live database; SQLite gets
        # none, as a live SQLite database has none unless someone runs ANALYZE.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts
