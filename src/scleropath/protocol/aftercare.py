"""Aftercare tailored to what was (or will be) done: the strictest advice over every procedure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .answers import (
    Aftercare,
    AvoidAdvice,
    CheckInAdvice,
    CompressionAdvice,
    CourseAdvice,
    FollowUpAdvice,
    Range,
    RedFlagAdvice,
)
from .model import Protocol
from .schema import AftercareRule, FollowUp, NumRange, ProductDef
from .vocabulary import TREATING_PROCEDURES


def strictest(ranges: Iterable[NumRange | None]) -> Range | None:
    """Combine ranges so the longest requirement wins: the largest minimum and the largest maximum."""
    present = [r for r in ranges if r is not None]
    if not present:
        return None
    mins = [r.min for r in present if r.min is not None]
    maxs = [r.max for r in present if r.max is not None]
    lo = max(mins) if mins else None
    hi = max(maxs) if maxs else None
    if lo is not None and hi is not None and lo > hi:
        hi = lo
    return [lo, hi]


def _open_ended_if_any_unsourced(days: Range | None, entries: list[Any]) -> Range | None:
    """Where one procedure done gives no sourced duration for avoiding an activity, another
    procedure's shorter one must not be read as the whole answer: keep its minimum, drop the maximum."""
    if days is not None and any(e[0] is None for e in entries):
        return [days[0], None]
    return days


def matching_rule(protocol: Protocol, procedure: str, vessel_class: str) -> AftercareRule | None:
    for rule in protocol.aftercare.rules:
        if procedure in rule.procedures and (
            rule.vessel_classes is None or vessel_class in rule.vessel_classes
        ):
            return rule
    return None


def follow_up_advice(fu: FollowUp) -> FollowUpAdvice:
    return FollowUpAdvice.model_construct(
        id=fu.id,
        purpose=fu.purpose,
        after_days=round(fu.after.approx_days(), 2),
        window_days=fu.window.as_list() if fu.window else None,
        rule_ids=[fu.id],
        citations=list(fu.cite),
    )


def aftercare_for(
    protocol: Protocol, treated: Iterable[tuple[str, str]], products: Iterable[ProductDef]
) -> Aftercare:
    """Aftercare for ``treated`` (procedure, vessel class) pairs using ``products``."""
    pairs = sorted({(p, v) for p, v in treated if p in TREATING_PROCEDURES})
    rules: list[AftercareRule] = []
    for procedure, vessel_class in pairs:
        rule = matching_rule(protocol, procedure, vessel_class)
        if rule is not None and rule not in rules:
            rules.append(rule)
    product_list = list(products) if pairs else []

    compression = None
    comps = [r.compression for r in rules if r.compression is not None]
    if comps:
        compression = CompressionAdvice.model_construct(
            recommended=any(c.recommended for c in comps),
            required=False,
            strength=" ".join(dict.fromkeys(c.strength for c in comps)),
            days=strictest(c.days for c in comps),
            pressure=strictest(c.pressure_mmhg for c in comps),
            pressure_unit="mmHg",
            notes=[c.note for c in comps if c.note],
            rule_ids=[f"{r.id}.compression" for r in rules if r.compression is not None],
            citations=protocol.cite_list(*(c.cite for c in comps)),
        )
    walks = [r.walk for r in rules if r.walk] + [p.walk for p in product_list if p.walk]
    avoid: dict[str, list[tuple[NumRange | None, list[str], str | None, str]]] = {}
    for r in rules:
        for item in r.avoid:
            avoid.setdefault(item.activity, []).append((item.days, list(item.cite), item.note, r.id))
    avoid_advice = [
        AvoidAdvice.model_construct(
            activity=activity,
            days=_open_ended_if_any_unsourced(strictest(e[0] for e in entries), entries),
            note=next((e[2] for e in entries if e[2]), None),
            rule_ids=list(dict.fromkeys(f"{e[3]}.avoid" for e in entries)),
            citations=protocol.cite_list(*(e[1] for e in entries)),
        )
        for activity, entries in avoid.items()
    ]
    intervals = [p.interval for p in product_list if p.interval]
    follow: dict[str, FollowUpAdvice] = {}
    for r in rules:
        for fu in r.follow_up:
            follow.setdefault(fu.id, follow_up_advice(fu))
    cites = protocol.cite_list(
        *(r.cite for r in rules),
        compression.citations if compression else [],
        *(w.cite for w in walks),
        *(i.cite for i in intervals),
        *(a.citations for a in avoid_advice),
        *(f.citations for f in follow.values()),
        *((c.cite for c in protocol.aftercare.normal_course) if pairs else ()),
        *((c.cite for c in protocol.aftercare.check_ins) if pairs else ()),
        *(f.cite for f in protocol.aftercare.red_flags),
    )
    return Aftercare.model_construct(
        procedures=list(dict.fromkeys(p for p, _ in pairs)),
        compression=compression,
        walk_minutes=strictest(w.minutes for w in walks),
        avoid=avoid_advice,
        next_session_interval_days=strictest(i.days for i in intervals),
        follow_up=sorted(follow.values(), key=lambda f: f.after_days),
        normal_course=[
            CourseAdvice.model_construct(
                event=c.event,
                timing=c.timing,
                rule_ids=[f"aftercare.normal_course[{i}]"],
                citations=list(c.cite),
            )
            for i, c in enumerate(protocol.aftercare.normal_course)
        ]
        if pairs
        else [],
        check_ins=[
            CheckInAdvice.model_construct(
                day=c.day,
                purpose=c.purpose,
                rule_ids=[f"aftercare.check_ins.day_{c.day}"],
                citations=list(c.cite),
            )
            for c in protocol.aftercare.check_ins
        ]
        if pairs
        else [],
        red_flags=[
            RedFlagAdvice.model_construct(
                id=f.id,
                symptom=f.symptom,
                action=f.action,
                contact=f.contact,
                rule_ids=[f"aftercare.red_flags.{f.id}"],
                citations=list(f.cite),
            )
            for f in protocol.aftercare.red_flags
        ],
        rule_ids=[r.id for r in rules]
        + [f"product.{p.id}.interval" for p in product_list if p.interval]
        + [f"product.{p.id}.walk" for p in product_list if p.walk],
        citations=cites,
    )
