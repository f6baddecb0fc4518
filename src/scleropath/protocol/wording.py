"""How the engine's values read as text, in one place: ranges, codes as words, citations, field paths.

The terminal (``scleropath`` CLI), the web pages (the ``span``, ``words`` and ``cites`` template
filters), the rendered protocol (``protocol show``) and the analytics labels all format through
these functions, so a range or a blank reads the same wherever a clinician meets it. Pure Python:
the engine package must not import Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from .schema import NumRange

if TYPE_CHECKING:
    from .model import Protocol

EMPTY = "—"
"""What a missing value shows: a range not given, a blank table cell."""


def number(value: float) -> str:
    """A number without trailing zeros: ``0.5``, ``3``, ``12.5``."""
    return f"{value:g}"


def span(values: NumRange | Sequence[float | None] | None, unit: str = "") -> str:
    """A range as ``0.25–0.5 %``, ``≤ 4 mL`` or ``≥ 5 days``; one value when both ends agree.

    Takes a protocol :class:`NumRange` or an answer's ``[min, max]`` list (either end may be open);
    :data:`EMPTY` when there is no range.
    """
    if isinstance(values, NumRange):
        values = values.as_list()
    if not values:
        return EMPTY
    lo, hi = values[0], values[1]
    suffix = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        return f"{number(lo)}{suffix}" if lo == hi else f"{number(lo)}–{number(hi)}{suffix}"
    if hi is not None:
        return f"≤ {number(hi)}{suffix}"
    if lo is not None:
        return f"≥ {number(lo)}{suffix}"
    return EMPTY


def words(code: str | None, *, capital: bool = False) -> str:
    """A code as words: ``thigh_medial`` is ``thigh medial`` inside a sentence and ``Thigh medial``
    (``capital=True``) at the start of a label or a cell; empty for no code."""
    if not code:
        return ""
    text = str(code).replace("_", " ")
    return text.capitalize() if capital else text


# Names of the closed vocabularies the protocol data gives no display text for.
_FIXED_NAMES: dict[str, dict[str, str]] = {
    "form": {"liquid": "Liquid", "foam": "Foam", "any": "Liquid or foam"},
    "named_vein": {
        "gsv": "Great saphenous vein",
        "ssv": "Small saphenous vein",
        "aasv": "Anterior accessory saphenous vein",
        "pasv": "Posterior accessory saphenous vein",
        "perforator": "Perforating vein",
        "other": "Other named vein",
    },
    "contact": {
        "clinic": "The clinic",
        "same_day_clinic": "The clinic, the same day",
        "emergency_services": "Emergency services",
    },
    "prerequisite": {"duplex_mapping": "Duplex ultrasound mapping"},
    "verdict": {
        "none": "No contraindication",
        "relative": "Relative contraindication",
        "absolute": "Absolute contraindication",
    },
    "severity": {
        "warning": "Caution",
        "relative": "Relative contraindication",
        "absolute": "Absolute contraindication",
    },
}
# Kinds whose codes read well as words (``routine_review``, ``subcutaneous``).
_PLAIN_KINDS = frozenset({"depth", "side", "triage_level", "ceap_sign", "mobility"})
# Kinds named by the text before the display's parenthesis: a product by its brand
# ("Aethoxysklerol (polidocanol)" is "Aethoxysklerol"), an agent by its name.
_SHORT_KINDS = frozenset({"product", "agent"})
# Kinds whose names are proper nouns, never lower-cased inside a sentence.
_PROPER_KINDS = frozenset({"product", "foam_method"})
DATA_KINDS = frozenset(
    {
        "region",
        "product",
        "agent",
        "symptom",
        "procedure",
        "vessel_class",
        "screening",
        "vcss_item",
        "ceap_class",
        "foam_method",
        "red_flag",
        "photo_view",
    }
)
"""The kinds of code :func:`name_of` finds in the protocol's data (``Protocol.names``)."""
KINDS = DATA_KINDS | _FIXED_NAMES.keys() | _PLAIN_KINDS
"""Every kind :func:`name_of` knows."""


def name_of(
    protocol: Protocol | None,
    kind: str,
    code: str | None,
    *,
    capital: bool = True,
    short: bool = False,
) -> str:
    """A code as a person reads it, from the protocol's own display text.

    ``name_of(p, "region", "thigh_medial")`` is ``Inner thigh``; ``capital=False`` for the middle of
    a sentence (``inner thigh``; a brand keeps its capital). Products are named by brand and agents
    by name, without the display's parenthesis; ``short=True`` drops the parenthesis of any name
    (``Telangiectasia`` for ``Telangiectasia (spider or thread vein)``). A code the protocol does not
    know (an old record's, or ``protocol`` is ``None``) falls back to :func:`words`; an unknown
    ``kind`` is a programming error and raises ``ValueError``.
    """
    if kind not in KINDS:
        raise ValueError(f"no names for {kind!r}; the kinds are {', '.join(sorted(KINDS))}")
    if not code:
        return ""
    found = _FIXED_NAMES.get(kind, {}).get(code)
    if found is None and protocol is not None and kind in DATA_KINDS:
        found = protocol.names[kind].get(code)
    if found is None:
        return words(code, capital=capital)
    if short or kind in _SHORT_KINDS:
        found = found.split(" (", 1)[0]
    if not capital and kind not in _PROPER_KINDS and not found[1:2].isupper():
        found = found[:1].lower() + found[1:]
    return found


def citation_list(ids: Iterable[str]) -> str:
    """Citation ids as a list to read: ``AETH-DE; AETH-CH``."""
    return "; ".join(ids)


def cites(ids: Iterable[str]) -> str:
    """The sources of a statement, to put after it: `` [AETH-DE; AETH-CH]``, or nothing when it has none."""
    text = citation_list(ids)
    return f" [{text}]" if text else ""


def field_path(loc: Iterable[int | str], keep: Callable[[str], bool] | None = None) -> str:
    """A validation error's location as a field path: ``findings[2].diameter_mm``.

    ``keep`` decides which named parts belong to the path; a caller uses it to drop the tags
    pydantic adds for the member of a union it tried. Positions in a list are always kept.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif keep is None or keep(str(part)):
            out += ("." if out else "") + str(part)
    return out
