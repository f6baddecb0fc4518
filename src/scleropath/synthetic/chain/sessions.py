"""A session of the chain and its injections: random strengths and volumes within the plan's
options and the engine's session limits, and a final top-up when the chain is short of injections."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from scleropath.treatment.models import SessionStatus

from .after_session import follow_ups
from .catalogue import Option
from .clinics import Staff, lot
from .state import Chain, ChainError, OpenSession


def session(
    chain: Chain,
    staff: Staff,
    pid: int,
    plan_id: int,
    ordinal: int,
    number: int,
    weight: float,
    product: str,
    treatable: list[tuple[tuple[Any, ...], list[Option]]],
) -> tuple[int, dict[str, Any], list[tuple[tuple[Any, ...], Option]]]:
    """One completed session of ``product``, with about its share of the injections still owed, as
    far as the session's limits allow, and the appointments its aftercare books; the session's id,
    its aftercare and the (finding, option) of each injection given."""
    rng = chain.rng
    clinic = staff.clinic_id
    sid = chain.ids["session"]
    chain.ids["session"] += 1
    practitioner = rng.choice(staff.practitioners)
    started = chain.at(ordinal, 8 * 60 + 15 * rng.randint(0, 36))
    budget = chain.catalogue.budget(product, weight, number)
    chain.remaining_sessions -= 1
    target = chain.remaining_injections / (chain.remaining_sessions + 1)
    want = max(1, round(target * rng.uniform(0.5, 1.5)))
    want = max(1, min(want, chain.remaining_injections - chain.remaining_sessions))
    given: list[tuple[tuple[Any, ...], Option]] = []
    at = started + timedelta(minutes=5)
    year = started.year
    # Every (finding, option) pair the plan allows; a pair that no longer fits the session's
    # limits even at its lowest strength and volume is dropped for the rest of the session.
    pairs = [(f, o) for f, options in treatable for o in options]
    while len(given) < want and pairs:
        k = rng.randrange(len(pairs))
        finding, option = pairs[k]
        if inject(chain, clinic, sid, practitioner, finding, option, budget, at, year, exact=False):
            given.append((finding, option))
            at += timedelta(minutes=3)
        else:
            pairs[k] = pairs[-1]
            pairs.pop()
    if not given:
        raise ChainError(f"No treatment fits the limits of session {sid}; the protocol may be too narrow.")
    chain.remaining_injections -= len(given)
    completed = at + timedelta(minutes=20)
    chain.t_session.add(
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
    chain.recent.append(OpenSession(clinic, sid, practitioner, product, budget, given, at, year))
    treated = tuple(sorted({(o.procedure, f[6]) for f, o in given}))
    aftercare = chain.catalogue.aftercare(treated, (product,))
    follow_ups(chain, staff, pid, sid, ordinal, aftercare)
    return sid, aftercare, given


def inject(
    chain: Chain,
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
    rng = chain.rng
    foam = option.form == "foam"
    gas = rng.choice(chain.catalogue.gas_parts) if foam and chain.catalogue.gas_parts else None
    lo, hi = option.volume_ml
    conc = rng.choice(option.strengths)
    volume = round(rng.uniform(lo, hi), 2)
    if exact or not budget.fits(option.product, conc, option.form, volume, gas):
        conc, volume = option.strengths[0], lo
        if not budget.fits(option.product, conc, option.form, volume, gas):
            return False
    budget.add(option.product, conc, option.form, volume, gas)
    gauge = option.needle_gauge
    chain.t_injection.add(
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
            lot(chain, clinic, option.product, conc, year),
            at,
            practitioner,
        )
    )
    return True


def top_up(chain: Chain) -> None:
    """Give the injections still owed in the latest sessions, one more per session a round, at
    the lowest strength and volume of something the session already gave (so its aftercare
    still holds)."""
    while chain.remaining_injections:
        added = 0
        for s in reversed(chain.recent):
            for finding, option in s.given:
                if inject(
                    chain,
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
                    chain.remaining_injections -= 1
                    s.next_at += timedelta(minutes=3)
                    added += 1
                    break
            if not chain.remaining_injections:
                return
        if not added:
            raise ChainError(
                f"{chain.remaining_injections:,} injections do not fit the protocol's session limits; "
                "ask for fewer injections or more sessions."
            )
