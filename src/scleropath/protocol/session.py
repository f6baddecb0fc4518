"""Session limits for a patient and product, and checking a session's injections against them."""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from .answers import Limit, LimitRow, LimitStatus, SessionCheckAnswer, SessionLimits, Totals, Violation
from .inputs import Injection, InputError, Patient, SessionCheck
from .model import Protocol
from .schema import (
    AdvisoryVolume,
    FoamVolumeLimit,
    InjectionCountLimit,
    InjectionVolumeLimit,
    ProductDef,
    TotalVolumeLimit,
)
from .screening import allergy_agents, check_conditions, screen_products, unrecognised_allergy
from .vocabulary import Agent, Form, Mobility
from .wording import name_of

# Volumes and doses are sums of floats: a session that reaches a limit exactly must count as within it,
# not over by a rounding error, and a strength of 0.30000000000000004 % must be the labelled 0.3 %.
EPSILON = 1e-9


def limits_for(protocol: Protocol, patient: Patient, product: ProductDef, session_number: int) -> list[Limit]:
    """Every limit that applies to ``product`` for this patient at this session, including the
    general foam limits when the product can be foamed."""
    out: list[Limit] = []
    agent = protocol.agents[product.agent]
    if agent.daily_max_mg_per_kg is not None and patient.weight_kg is not None:
        out.append(
            Limit.model_construct(
                id=f"agent.{agent.id}.daily_max",
                kind="agent_dose_mg",
                max=round(agent.daily_max_mg_per_kg * patient.weight_kg, 3),
                unit="mg",
                product=None,
                at_concentration_percent=None,
                form=None,
                advisory=False,
                message=f"{agent.daily_max_mg_per_kg:g} mg per kg body weight per day",
                rule_ids=[f"agent.{agent.id}.daily_max"],
                citations=list(agent.daily_max_cite),
            )
        )
    # Only the conditions one of this product's limits names go into the cached call, so patients
    # with unrelated conditions share its cache entry.
    triggers = frozenset(
        c
        for c in patient.conditions
        if any(getattr(lim, "when_condition", None) == c for lim in product.limits)
    )
    out.extend(_product_limits(protocol, product.id, session_number == 1, triggers))
    if "foam" in product.forms:
        out.extend(general_limits(protocol))
    return out


@lru_cache(maxsize=64)
def general_limits(protocol: Protocol) -> tuple[Limit, ...]:
    """The formulary's limits that hold whatever the product: they count all the session's foam,
    on top of any product's own foam limit."""
    return tuple(
        Limit.model_construct(
            id=g.id,
            kind=g.kind,
            max=g.max,
            unit="mL",
            product=None,
            at_concentration_percent=None,
            form="foam",
            advisory=False,
            message=g.note,
            rule_ids=[g.id],
            citations=list(g.cite),
        )
        for g in protocol.formulary.general_limits
    )


@lru_cache(maxsize=4096)
def _product_limits(
    protocol: Protocol, product_id: str, first_session: bool, conditions: frozenset[str]
) -> tuple[Limit, ...]:
    """A product's own limits, which do not depend on weight.

    Cached per protocol object (protocols hash by identity) because the planner asks for them on
    every plan.
    """
    product = protocol.products[product_id]
    out: list[Limit] = []
    for lim in product.limits:
        if isinstance(lim, InjectionCountLimit):
            if lim.first_session_only and not first_session:
                continue
            if lim.when_condition is not None and lim.when_condition not in conditions:
                continue
        kind, unit, value, form, advisory, message = _describe(lim)
        out.append(
            Limit.model_construct(
                id=lim.id,
                kind=kind,
                max=value,
                unit=unit,
                product=product.id,
                at_concentration_percent=getattr(lim, "at_concentration_percent", None),
                form=cast(Form | None, form),
                advisory=advisory,
                message=message or lim.note,
                rule_ids=[lim.id],
                citations=list(lim.cite),
            )
        )
    return tuple(out)


def _describe(lim: object) -> tuple[str, str, float, str | None, bool, str | None]:
    if isinstance(lim, FoamVolumeLimit):
        return "foam_volume_ml", "mL", lim.max, "foam", False, None
    if isinstance(lim, TotalVolumeLimit):
        return "total_volume_ml", "mL", lim.max, None, False, None
    if isinstance(lim, InjectionCountLimit):
        return "injection_count", "injections", float(lim.max), None, False, None
    if isinstance(lim, InjectionVolumeLimit):
        return "injection_volume_ml", "mL", lim.max, lim.form, False, None
    if isinstance(lim, AdvisoryVolume):
        return "advisory_volume_ml", "mL", lim.above, None, True, lim.message
    raise TypeError(f"unknown limit {lim!r}")  # pragma: no cover - the schema's union is closed


def session_limits(
    protocol: Protocol, patient: Patient, products: list[ProductDef], session_number: int
) -> SessionLimits:
    """The plan's summary of limits over the products it may use."""
    limits: list[Limit] = []
    seen: set[str] = set()
    for product in products:
        for lim in limits_for(protocol, patient, product, session_number):
            if lim.id not in seen:
                seen.add(lim.id)
                limits.append(lim)
    warnings: list[str] = []
    if patient.weight_kg is None and any(protocol.agents[p.agent].daily_max_mg_per_kg for p in products):
        warnings.append("Weight is needed to compute the weight-based daily maximum dose.")
    pol = [
        lim.max for lim in limits if lim.kind == "agent_dose_mg" and lim.id.startswith("agent.polidocanol")
    ]
    foam = [lim.max for lim in limits if lim.kind == "foam_volume_ml"]
    # The summary figures are the strictest of each kind. A count capped at one strength bounds only
    # the injections at that strength, so it is not the session's maximum.
    count = [
        int(lim.max)
        for lim in limits
        if lim.kind == "injection_count" and lim.at_concentration_percent is None
    ]
    return SessionLimits.model_construct(
        polidocanol_max_mg=min(pol) if pol else None,
        foam_max_ml=min(foam) if foam else None,
        max_injections=min(count) if count else None,
        limits=limits,
        warnings=warnings,
        rule_ids=[lim.id for lim in limits],
        citations=protocol.cite_list(*(lim.citations for lim in limits)),
    )


def _liquid_ml(protocol: Protocol, inj: Injection) -> tuple[float, bool]:
    """Liquid sclerosant in an injection, and whether it was estimated.

    Foam's drug content is its liquid fraction. Where the gas ratio was not recorded, the richest
    ratio among the protocol's foam methods is assumed, which can only overestimate the dose.
    """
    if inj.form == "liquid":
        return inj.volume_ml, False
    if inj.foam_gas_parts is not None:
        return inj.volume_ml / (1 + inj.foam_gas_parts), False
    leanest_gas = min(
        (m.gas_parts.min for m in protocol.formulary.foam_methods if m.gas_parts.min is not None),
        default=None,
    )
    if leanest_gas is None:
        return inj.volume_ml, True
    return inj.volume_ml / (1 + leanest_gas), True


def _product_for(protocol: Protocol, default: str | None, inj: Injection, field_prefix: str) -> ProductDef:
    pid = inj.product or default
    if pid is None:
        pid = protocol.manifest.default_products[inj.agent]
    product = protocol.products.get(pid)
    # The field at fault is the one that named the product: the injection's own, or the session's.
    field = f"{field_prefix}.product" if inj.product else "product"
    if product is None:
        raise InputError.single(field, f"unknown product {pid!r}")
    if product.agent != inj.agent:
        raise InputError.single(field, f"{product.id} carries {product.agent}, not {inj.agent}")
    return product


def _polidocanol_mg(protocol: Protocol, inj: Injection) -> tuple[float, bool]:
    """Polidocanol in an injection (0 for another agent), and whether its foam ratio was guessed."""
    liquid, guessed = _liquid_ml(protocol, inj)
    if inj.agent != "polidocanol":
        return 0.0, guessed
    return liquid * inj.concentration_percent * protocol.agents[inj.agent].mg_per_ml_per_percent, guessed


def cap_strength(product: ProductDef, percent: float) -> float:
    """The labelled strength whose per-strength limits an injection at ``percent`` falls under.

    A labelled strength is its own; a strength between two labelled ones falls under the next one
    up (the stronger, whose caps are the stricter); one above every labelled strength falls under
    the highest.
    """
    strengths = sorted(product.strengths_percent)
    for s in strengths:
        if s >= percent - EPSILON:
            return s
    return strengths[-1]


def check_session(protocol: Protocol, request: SessionCheck) -> SessionCheckAnswer:
    """Running totals of a session's injections against every limit that applies.

    Injections given earlier the same day in other sessions count toward the daily dose limits
    only.
    """
    patient = request.patient
    check_conditions(protocol, patient)
    allergic, unknown_allergies = allergy_agents(protocol, patient)
    products: dict[str, ProductDef] = {}
    per_injection_product: list[ProductDef] = []
    for i, inj in enumerate(request.injections):
        product = _product_for(protocol, request.product, inj, f"injections[{i}]")
        products.setdefault(product.id, product)
        per_injection_product.append(product)
    # The session's product counts even before its first injection, so its limits can be shown
    # from the start.
    if request.product and request.product not in products:
        session_product = protocol.products.get(request.product)
        if session_product is None:
            raise InputError.single("product", f"unknown product {request.product!r}")
        products[session_product.id] = session_product
    # So do the products the plan may use: the tally shows their limits before the first injection.
    for i, pid in enumerate(request.planned_products):
        if pid in products:
            continue
        planned = protocol.products.get(pid)
        if planned is None:
            raise InputError.single(f"planned_products[{i}]", f"unknown product {pid!r}")
        products[planned.id] = planned

    warnings: list[str] = []
    violations: list[Violation] = []
    estimated = False
    earlier_mg = 0.0
    # Earlier sessions today count toward the daily dose only; their product is checked so that a
    # wrong id is reported rather than silently ignored.
    for i, inj in enumerate(request.earlier_today):
        if inj.product is not None:
            _product_for(protocol, None, inj, f"earlier_today[{i}]")
        mg, guessed = _polidocanol_mg(protocol, inj)
        earlier_mg += mg
        estimated = estimated or guessed
    blocked = _blocked(protocol, patient, list(products.values())) if request.injections else {}
    pol_mg = 0.0
    pol_mg_each: list[float] = []
    foam_ml = 0.0
    liquid_ml_total = 0.0
    by_conc: dict[str, float] = {}
    caps: list[float] = []
    for i, (inj, product) in enumerate(zip(request.injections, per_injection_product, strict=True)):
        mg, guessed = _polidocanol_mg(protocol, inj)
        estimated = estimated or guessed
        pol_mg += mg
        pol_mg_each.append(mg)
        if inj.form == "foam":
            foam_ml += inj.volume_ml
        else:
            liquid_ml_total += inj.volume_ml
        key = f"{product.id}@{inj.concentration_percent:g}"
        by_conc[key] = by_conc.get(key, 0.0) + inj.volume_ml
        if inj.agent in allergic:
            violations.append(
                Violation.model_construct(
                    code="allergy_to_agent",
                    message=f"Injection {i + 1}: the patient is allergic to {name_of(protocol, 'agent', inj.agent, capital=False)}.",
                    limit_id=None,
                    injection_index=i,
                    rule_ids=["screening.allergy_to_agent"],
                    citations=list(protocol.screening_items["allergy_to_agent"].cite),
                )
            )
        # An allergy is reported above with its own code; here only what else screening rules out.
        codes = [c for c in blocked.get((product.id, inj.form), []) if c != "allergy_to_agent"]
        if codes:
            items = [protocol.screening_items[c] for c in codes]
            violations.append(
                Violation.model_construct(
                    code="contraindicated_on_screening",
                    message=(
                        f"Injection {i + 1}: {product_name(product)} as {inj.form} is ruled out by screening: "
                        + " ".join(item.message for item in items)
                    ),
                    limit_id=None,
                    injection_index=i,
                    rule_ids=[f"screening.{c}" for c in codes],
                    citations=protocol.cite_list(*(item.cite for item in items)),
                )
            )
        cap = cap_strength(product, inj.concentration_percent)
        caps.append(cap)
        strengths = (
            product.foamable_strengths_percent
            if inj.form == "foam" and product.foamable_strengths_percent
            else product.strengths_percent
        )
        if inj.concentration_percent not in strengths:
            warning = (
                f"Injection {i + 1}: {inj.concentration_percent:g}% is not a labelled {inj.form} strength of "
                f"{product_name(product)} ({', '.join(f'{s:g}%' for s in strengths)})."
            )
            if abs(cap - inj.concentration_percent) > EPSILON and any(
                getattr(lim, "at_concentration_percent", None) is not None for lim in product.limits
            ):
                above = (
                    "the highest labelled strength"
                    if cap < inj.concentration_percent
                    else "the next labelled strength up"
                )
                warning += f" Its per-strength limits are those of {cap:g}%, {above}."
            warnings.append(warning)
        if inj.form not in product.forms:
            warnings.append(f"Injection {i + 1}: {product_name(product)} is not labelled for {inj.form}.")
    for entry in unknown_allergies:
        warnings.append(unrecognised_allergy(entry))
    if estimated:
        warnings.append(
            "The foam gas ratio was not recorded for some injections; their drug content was estimated "
            "from the richest foam ratio in the protocol, which can only overestimate it."
        )

    candidates: list[Limit] = []
    for product in products.values():
        candidates.extend(limits_for(protocol, patient, product, request.session_number))
    if foam_ml > 0:  # the general limits count foam only; without foam they would be noise
        candidates.extend(general_limits(protocol))
    statuses: list[LimitStatus] = []
    checked: list[Limit] = []
    seen: set[str] = set()
    for lim in candidates:
        if lim.id in seen:
            continue
        seen.add(lim.id)
        checked.append(lim)
        used, idx_over = _usage(lim, request.injections, per_injection_product, caps, pol_mg_each, earlier_mg)
        within = used <= lim.max + EPSILON
        statuses.append(
            LimitStatus.model_construct(
                id=lim.id,
                kind=lim.kind,
                max=lim.max,
                used=round(used, 4),
                remaining=round(lim.max - used, 4),
                unit=lim.unit,
                within=within,
                advisory=lim.advisory,
                rule_ids=lim.rule_ids,
                citations=lim.citations,
            )
        )
        if within:
            continue
        if lim.advisory:  # an advisory level warns; only the protocol's hard limits refuse
            warnings.append(f"{lim.message} ({used:g} {lim.unit} so far).")
            continue
        violations.append(
            Violation.model_construct(
                code=_violation_code(lim.kind),
                message=_violation_message(protocol, lim, used, idx_over, earlier_mg),
                limit_id=lim.id,
                injection_index=idx_over,
                rule_ids=lim.rule_ids,
                citations=lim.citations,
            )
        )
    agents = list(
        dict.fromkeys([*(i.agent for i in request.injections), *(p.agent for p in products.values())])
    )
    agents_today = {*agents, *(i.agent for i in request.earlier_today)}
    if patient.weight_kg is None and "polidocanol" in agents_today:
        warnings.append("Weight is missing: the weight-based polidocanol maximum could not be checked.")
    # The limit the session is closest to, by the share of it left, is the one to watch next.
    hard = [s for s in statuses if not s.advisory]
    binding = min(hard, key=lambda s: s.remaining / s.max if s.max else 0.0).id if hard else None
    all_limits_cites = protocol.cite_list(*(s.citations for s in statuses))
    return SessionCheckAnswer.model_construct(
        protocol=protocol.ref(),
        totals=Totals.model_construct(
            injections=len(request.injections),
            volume_ml=round(foam_ml + liquid_ml_total, 4),
            liquid_volume_ml=round(liquid_ml_total, 4),
            foam_volume_ml=round(foam_ml, 4),
            polidocanol_mg=round(pol_mg, 4),
            polidocanol_mg_today=round(earlier_mg + pol_mg, 4),
            by_concentration={k: round(v, 4) for k, v in by_conc.items()},
        ),
        limits=statuses,
        rows=limit_rows(protocol, checked, statuses, binding, several_products=len(products) > 1),
        agents=agents,
        binding_limit=binding,
        within_limits=not violations,
        violations=violations,
        warnings=warnings,
        rule_ids=[s.id for s in statuses],
        citations=all_limits_cites,
    )


def _blocked(
    protocol: Protocol, patient: Patient, products: list[ProductDef]
) -> dict[tuple[str, str], list[str]]:
    """The (product, form) pairs screening rules out for this patient, with the codes responsible."""
    return _blocked_by_screening(
        protocol,
        tuple(p.id for p in products),
        tuple(patient.conditions),
        tuple(patient.allergies),
        patient.pregnant,
        patient.breastfeeding,
        patient.mobility,
    )


@lru_cache(maxsize=1024)
def _blocked_by_screening(
    protocol: Protocol,
    product_ids: tuple[str, ...],
    conditions: tuple[str, ...],
    allergies: tuple[str, ...],
    pregnant: bool,
    breastfeeding: bool,
    mobility: Mobility,
) -> dict[tuple[str, str], list[str]]:
    """Cached by what screening reads of the patient: a session is checked again at each injection."""
    patient = Patient.model_construct(
        conditions=list(conditions),
        allergies=list(allergies),
        pregnant=pregnant,
        breastfeeding=breastfeeding,
        mobility=mobility,
    )
    products = [protocol.products[pid] for pid in product_ids]
    return {(b.product, b.form): b.codes for b in screen_products(protocol, patient, products).blocked}


def product_name(product: ProductDef) -> str:
    """A product's display name without its parenthesis: "Fibrovein"."""
    return product.display.split("(")[0].strip()


def _usage(
    lim: Limit,
    injections: list[Injection],
    products: list[ProductDef],
    caps: list[float],
    pol_mg_each: list[float],
    earlier_mg: float,
) -> tuple[float, int | None]:
    """How much of ``lim`` the session uses (a daily dose limit: the day), and the first injection
    of the session past it (if any)."""

    def mine(inj: Injection, product: ProductDef, cap: float) -> bool:
        if lim.product is not None and product.id != lim.product:
            return False
        if lim.at_concentration_percent is not None and abs(cap - lim.at_concentration_percent) > EPSILON:
            return False
        return lim.form is None or inj.form == lim.form

    if lim.kind == "agent_dose_mg":
        # The day's dose starts from earlier sessions; an injection with no polidocanol is never the
        # one blamed for passing it, even when the day was already over.
        running, first = earlier_mg, None
        for i, mg in enumerate(pol_mg_each):
            running += mg
            if mg > 0 and running > lim.max + EPSILON and first is None:
                first = i
        return running, first
    rows = zip(injections, products, caps, strict=True)
    if lim.kind == "injection_volume_ml":  # a per-injection limit: the largest one is what counts
        worst, first = 0.0, None
        for i, (inj, product, cap) in enumerate(rows):
            if mine(inj, product, cap):
                if inj.volume_ml > lim.max + EPSILON and first is None:
                    first = i
                worst = max(worst, inj.volume_ml)
        return worst, first
    running, first = 0.0, None
    for i, (inj, product, cap) in enumerate(rows):
        # A foam limit of no product (the consensus limit) counts every product's foam together.
        if lim.kind == "foam_volume_ml" and lim.product is None:
            counts = inj.form == "foam"
        else:
            counts = mine(inj, product, cap) and (lim.kind != "foam_volume_ml" or inj.form == "foam")
        if not counts:
            continue
        running += 1 if lim.kind == "injection_count" else inj.volume_ml
        if running > lim.max + EPSILON and first is None:
            first = i
    return running, first


def _violation_code(kind: str) -> str:
    return {
        "agent_dose_mg": "dose_limit_exceeded",
        "foam_volume_ml": "foam_volume_exceeded",
        "total_volume_ml": "session_volume_exceeded",
        "injection_count": "injection_count_exceeded",
        "injection_volume_ml": "injection_volume_exceeded",
    }[kind]


_WHAT = {
    "agent_dose_mg": "Daily dose",
    "foam_volume_ml": "Foam volume this session",
    "total_volume_ml": "Volume this session",
    "injection_count": "Number of injections this session",
    "injection_volume_ml": "Volume of one injection",
}


def _violation_message(
    protocol: Protocol, lim: Limit, used: float, index: int | None, earlier_mg: float
) -> str:
    """A violation in words for the people giving the injections (the rule ids are beside it)."""
    what = _WHAT[lim.kind]
    if lim.product is not None:
        of = product_name(protocol.products[lim.product])
        if lim.at_concentration_percent is not None:
            of += f" at {lim.at_concentration_percent:g}%"
        what += f" ({of})"
    elif lim.kind == "foam_volume_ml":
        what += " (all products together)"
    amount = f"{used:g} {lim.unit}"
    if lim.kind == "agent_dose_mg" and earlier_mg > 0:
        amount += f", {round(earlier_mg, 4):g} {lim.unit} of it in earlier sessions today,"
    at = f" (from injection {index + 1})" if index is not None else ""
    return f"{what} {amount} is over the limit of {lim.max:g} {lim.unit}{at}."


# The tally's rows, in the order a reader meets them after the binding one.
_ROW_LABELS = {
    "agent_dose_mg": "{agent} today",
    "foam_volume_ml": "Foam this session",
    "total_volume_ml": "Volume this session",
    "injection_count": "Injections this session",
    "injection_volume_ml": "Largest single injection",
    "advisory_volume_ml": "Volume this session, warning level",
}


def _headroom(member: tuple[Limit, LimitStatus]) -> tuple[float, float, bool]:
    """How much of a limit is left, as a share of it and then in its unit: less is tighter. Between
    equals, a limit over every product (the consensus foam limit) stands for the group."""
    lim, status = member
    return (status.remaining / status.max if status.max else 0.0, status.remaining, lim.product is not None)


def limit_rows(
    protocol: Protocol,
    limits: list[Limit],
    statuses: list[LimitStatus],
    binding: str | None,
    several_products: bool,
) -> list[LimitRow]:
    """The limits grouped for reading: one row per kind (a daily dose: per agent), shown by the
    limit of the group with the least headroom; the row of the session's binding limit first.

    Limits of one kind that count different things (per product, per strength, all foam together)
    become one row because the person giving the injections needs the tightest of them; the row's
    label names the strength a limit is held to, and its product when the session has several.
    """
    groups: dict[tuple[str, str | None], list[tuple[Limit, LimitStatus]]] = {}
    for lim, status in zip(limits, statuses, strict=True):
        agent = lim.id.split(".")[1] if lim.kind == "agent_dose_mg" else None
        groups.setdefault((lim.kind, agent), []).append((lim, status))
    order = list(_ROW_LABELS)
    rows: list[LimitRow] = []
    for (kind, agent), members in sorted(
        groups.items(), key=lambda g: order.index(g[0][0]) if g[0][0] in order else len(order)
    ):
        lim, shown = min(members, key=_headroom)
        label = _ROW_LABELS.get(kind, kind).format(
            agent=protocol.agents[agent].display.split("(")[0].strip() if agent in protocol.agents else ""
        )
        label += _qualifier(protocol, lim, members, several_products)
        rows.append(
            LimitRow.model_construct(
                label=label,
                kind=kind,
                agent=cast(Agent | None, agent),
                limit_id=shown.id,
                limit_ids=[m[1].id for m in members],
                max=shown.max,
                used=shown.used,
                remaining=shown.remaining,
                unit=shown.unit,
                within=all(m[1].within for m in members),
                advisory=shown.advisory,
                binding=any(m[1].id == binding for m in members),
                rule_ids=list(dict.fromkeys(r for m in members for r in m[1].rule_ids)),
                citations=protocol.cite_list(*(m[1].citations for m in members)),
            )
        )
    rows.sort(key=lambda r: not r.binding)
    return rows


def _qualifier(
    protocol: Protocol, lim: Limit, members: list[tuple[Limit, LimitStatus]], several_products: bool
) -> str:
    """What the shown limit counts, where its row could be misread without it: " (Fibrovein 3 %)"."""
    parts: list[str] = []
    mixed = len({m[0].product for m in members}) > 1
    if lim.product is not None and (several_products or mixed):
        parts.append(product_name(protocol.products[lim.product]))
    elif lim.product is None and mixed and len({(m[1].used, m[1].max) for m in members}) > 1:
        parts.append("all products together")
    if lim.at_concentration_percent is not None:
        parts.append(f"{lim.at_concentration_percent:g} %")
    # A foam limit's label says foam already; another kind's limit on one form says which.
    if lim.form is not None and lim.kind != "foam_volume_ml":
        parts.append(lim.form)
    return f" ({' '.join(parts)})" if parts else ""
