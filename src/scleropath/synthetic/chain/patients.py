"""One patient of the chain: registration, then each course of treatment (an assessment with its
findings and leg scores, the engine's plan, its sessions) and the outcome review that closes it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from scleropath.assessments.models import PlanStatus
from scleropath.protocol.vocabulary import VCSS_ITEMS
from scleropath.synthetic.people import FAMILY, FEMALE_GIVEN, MALE_GIVEN, mobile, place

from .after_session import CHECK_IN_ANSWERED, adverse_events
from .catalogue import Template
from .clinics import Staff
from .sessions import session
from .state import Chain

# Workload shape, not clinical figures: how the chain's treatment is spread.
SESSIONS_PER_COURSE = (1, 4)
FINDINGS_PER_ASSESSMENT = (1, 6)
MONTHS_BETWEEN_COURSES = (0, 12)  # after the course's outcome review
# The CEAP sign a leg is scored with for each class of vein found on it.
SIGN_FOR_CLASS = {
    "telangiectasia": "telangiectasia",
    "reticular": "reticular_veins",
    "varicose": "varicose_veins",
    "truncal": "varicose_veins",
    "perforator": "varicose_veins",
    "recurrent_varicose": "recurrent_varicose_veins",
}


def patient(chain: Chain, staff: Staff, sessions: int) -> None:
    """One patient of ``staff``'s clinic with ``sessions`` sessions, grouped into courses that end
    before the chain's last day, and the side effects reported after them."""
    rng = chain.rng
    pid = chain.ids["patient"]
    chain.ids["patient"] += 1
    courses: list[int] = []
    left = sessions
    while left:
        n = min(left, rng.randint(*SESSIONS_PER_COURSE))
        courses.append(n)
        left -= n
    horizon = chain.size.years * 365
    # Courses are laid out forward from day 0, then the whole history is moved to end before ``until``.
    plans = [course_plan(chain, staff, n) for n in courses]
    offset = 0
    starts: list[int] = []
    for plan in plans:
        starts.append(offset)
        offset += plan["span"] + 30 * rng.randint(*MONTHS_BETWEEN_COURSES)
    span = starts[-1] + plans[-1]["span"] if plans else 0
    last_back = rng.randint(1, max(1, horizon - span))
    first_ord = chain.until_ord - last_back - span
    registered = first_ord - rng.randint(0, 30)
    female = rng.random() < 0.5
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    family = rng.choice(FAMILY)
    born = chain.day(registered - rng.randint(18 * 365, 85 * 365))
    chain.t_patient.add(
        (
            pid,
            staff.clinic_id,
            chain.at(registered, 8 * 60 + rng.randint(0, 540)),
            staff.reception,
            given,
            family,
            born,
            "female" if female else "male",
            next(chain.nhs_numbers, ""),
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
        number = course(chain, staff, pid, plan, first_ord + start, number, weight, treated_events, again)
    adverse_events(chain, staff, pid, treated_events)


def course_plan(chain: Chain, staff: Staff, sessions: int) -> dict[str, Any]:
    """The findings of one course and the days of its sessions, before anything is written."""
    rng = chain.rng
    templates = [rng.choice(chain.catalogue.templates) for _ in range(rng.randint(*FINDINGS_PER_ASSESSMENT))]
    products = [staff.house_product] + [p for p in chain.product_ids if p != staff.house_product]
    product = next(
        (p for p in products if any(o.product == p for t in templates for o in t.options)), products[0]
    )
    interval = chain.catalogue.interval_days(product)
    days = [0]
    for _ in range(sessions - 1):
        days.append(days[-1] + rng.randint(*interval))
    return {"templates": templates, "product": product, "days": days, "span": days[-1]}


def course(
    chain: Chain,
    staff: Staff,
    pid: int,
    plan: dict[str, Any],
    first_ord: int,
    number: int,
    weight: float,
    treated_events: list[tuple[int, int, int]],
    again: bool,
) -> int:
    """Write one course laid out by ``course_plan``, from the assessment to the outcome review;
    the number the patient's next session will have."""
    rng = chain.rng
    clinic = staff.clinic_id
    clinician = rng.choice(staff.clinicians)
    aid = chain.ids["assessment"]
    chain.ids["assessment"] += 1
    assessed = chain.at(first_ord, 9 * 60 + 30)
    chain.t_assessment.add((aid, clinic, assessed, clinician, pid, assessed, clinician))
    findings: list[tuple[tuple[Any, ...], Template]] = []
    per_side: dict[str, set[str]] = {"left": set(), "right": set()}
    for n, template in enumerate(plan["templates"], start=1):
        fid = chain.ids["finding"]
        chain.ids["finding"] += 1
        side = rng.choice(("left", "right"))
        spot = place(rng, side, template.region)
        own = template.side_free
        label = f"{side[0].upper()}{n}"
        chain.t_finding.add(
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
        leg_score(chain, clinic, clinician, aid, assessed, side, per_side[side])
    plan_id = chain.ids["plan"]
    chain.ids["plan"] += 1
    answer = {
        "protocol": {"id": chain.protocol.id, "version": chain.protocol.version},
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
    chain.t_plan.add(
        (
            plan_id,
            clinic,
            planned,
            clinician,
            aid,
            pid,
            PlanStatus.COMPLETED if last_ord < chain.until_ord - 30 else PlanStatus.APPROVED,
            json.dumps(answer, separators=(",", ":")),
            chain.protocol.id,
            chain.protocol.version,
            clinician,
            planned + timedelta(minutes=15),
        )
    )
    product = plan["product"]
    treatable = [(f, opts) for f, t in findings if (opts := [o for o in t.options if o.product == product])]
    treated_findings: dict[int, str] = {}
    outcome_after: float | None = None
    for day in plan["days"]:
        ordinal = first_ord + day
        sid, aftercare, used = session(
            chain, staff, pid, plan_id, ordinal, number, weight, product, treatable
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
        if assessed_on <= chain.until_ord:
            for fid, area in treated_findings.items():
                chain.t_outcome.add(
                    (
                        clinic,
                        chain.at(assessed_on, 14 * 60),
                        clinician,
                        pid,
                        plan_id,
                        fid,
                        area,
                        chain.day(assessed_on),
                        rng.randint(0, 100),
                        rng.randint(1, 5),
                        False,
                        again,
                    )
                )
            if rng.random() < CHECK_IN_ANSWERED:
                # The patient's own satisfaction answer at the review, with no clearance figure.
                chain.t_outcome.add(
                    (
                        clinic,
                        chain.at(assessed_on, 18 * 60),
                        None,
                        pid,
                        plan_id,
                        None,
                        "Treated areas (patient's view)",
                        chain.day(assessed_on),
                        None,
                        rng.randint(1, 5),
                        True,
                        False,
                    )
                )
    return number


def leg_score(
    chain: Chain, clinic: int, clinician: int, aid: int, when: datetime, side: str, classes: set[str]
) -> None:
    rng = chain.rng
    signs = tuple(sorted({SIGN_FOR_CLASS[c] for c in classes if c in SIGN_FOR_CLASS}))
    ceap = chain.catalogue.ceap(signs)
    items = dict.fromkeys(VCSS_ITEMS, 0)
    if classes & {"varicose", "truncal", "perforator", "recurrent_varicose"}:
        # Scored over the item's own 0-3 range: the generator makes no claim about symptoms.
        items["pain"] = rng.randint(0, 3)
        items["varicose_veins"] = rng.randint(1, 3)
    vcss = chain.catalogue.vcss(tuple(items.items()))
    scored = {i["item"]: i["score"] for i in vcss["items"]}
    chain.t_leg.add(
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
