"""How the engine's values read as text, in one place: ranges, codes as words, citations, field paths.

The terminal (``scleropath`` CLI), the web pages (the ``span``, ``words`` and ``cites`` template
filters), the rendered protocol (``protocol show``) and the analytics labels all format through
these functions, so a range or a blank reads the same wherever a clinician meets it. Pure Python:
the engine package must not import Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .schema import NumRange

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
