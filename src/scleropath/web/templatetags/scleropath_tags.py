"""Small display helpers for the clinician pages."""

from __future__ import annotations

from typing import Any

from django import template

from scleropath.accounts.permissions import Action, can
from scleropath.core.engine import name_of
from scleropath.core.validators import display_phone
from scleropath.protocol import wording

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    """Whether the user may do the named action (an ``Action`` value), for showing a link or a button;
    the view checks again."""
    return can(user, Action(action))


@register.filter
def phone(number: str | None) -> str:
    """A stored E.164 number as people write it: ``+447700900123`` is ``07700 900123``."""
    return display_phone(number or "")


@register.filter
def percent_of(used: float, maximum: float) -> int:
    """How full a limit is, 0-100, for the tally bars."""
    if not maximum:
        return 100
    return max(0, min(100, round(100 * float(used) / float(maximum))))


@register.filter
def words(code: str | None) -> str:
    """``ultrasound_guided_foam_sclerotherapy`` as ``Ultrasound guided foam sclerotherapy``."""
    return wording.words(code, capital=True)


@register.filter
def named(code: str | None, kind: str) -> str:
    """A code by the protocol's name for it: ``{{ f.region|named:"region" }}`` is ``Inner thigh``.

    The argument is the kind (see ``wording.KINDS``), optionally followed by ``lower`` for the middle
    of a sentence and ``short`` to drop the name's parenthesis: ``{{ o.agent|named:"agent lower" }}``.
    Names come from the configured protocol, which names codes for every clinic alike
    (``core.engine.name_of`` says why); views that hold a clinic pass ``engine_for(clinic).protocol``
    to ``wording.name_of`` themselves.
    """
    name, *flags = kind.split()
    unknown = set(flags) - {"lower", "short"}
    if unknown:
        raise ValueError(f"named: unknown option {sorted(unknown)} after {name!r}")
    return name_of(name, code, capital="lower" not in flags, short="short" in flags)


@register.filter
def span(values: list[float | None] | None, unit: str = "") -> str:
    """A ``[min, max]`` range as text: ``0.25–0.5 %``, ``≤ 4 mL``, ``≥ 5 days``."""
    return wording.span(values, unit)


@register.filter
def cites(ids: list[str] | None) -> str:
    """Citation ids as a list to read: ``AETH-DE; AETH-CH``."""
    return wording.citation_list(ids or [])


LIMIT_LABELS = {
    "agent_dose_mg": "Drug dose today",
    "foam_volume_ml": "Foam this session",
    "total_volume_ml": "Volume this session",
    "injection_count": "Injections this session",
    "injection_volume_ml": "Largest single injection",
    "advisory_volume_ml": "Volume (warning level)",
}


@register.filter
def limit_label(kind: str) -> str:
    return LIMIT_LABELS.get(kind) or wording.words(kind, capital=True)
