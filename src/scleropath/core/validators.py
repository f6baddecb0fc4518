"""Input rules every door shares: the web forms, the models' validation and the JSON API's schemas
all check a date of birth, an event's date, a record's version and a decimal's bounds here, so a
value one door refuses is refused by every door with the same words.

Each check raises Django's ``ValidationError``; the API's schemas turn it into a pydantic error
(``api/schemas.py``), so the message reaches the caller under the field's name either way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

# Nobody alive was born before 1900; an earlier year is a typing slip (1850 for 1950).
EARLIEST_BIRTH = date(1900, 1, 1)

# The optimistic lock's version is a positive integer column; anything larger cannot have been read.
MAX_VERSION = 2**31 - 1

# Decimal bounds of what is typed, the same in the form, the model and the API. They are compared as
# Decimal: the float 0.01 is a hair above one hundredth, so ``Decimal("0.01") < 0.01`` and a float
# bound refused the documented minimum volume itself.
VOLUME_ML = (Decimal("0.01"), Decimal("100"))
DIAMETER_MM = (Decimal("0.1"), Decimal("60"))
WEIGHT_KG = (Decimal("1"), Decimal("400"))
FOAM_GAS_PARTS = (Decimal("0.5"), Decimal("20"))


def validate_date_of_birth(value: date) -> None:
    """A plausible date of birth: 1900 or later, and not in the future."""
    if value < EARLIEST_BIRTH:
        raise ValidationError(
            f"A date of birth must be on or after {EARLIEST_BIRTH:%d %b %Y}.", code="birth_too_early"
        )
    if value > timezone.localdate():
        raise ValidationError("A date of birth cannot be in the future.", code="birth_in_future")


def validate_past_date(value: date) -> None:
    """A day something happened: not in the future, and not before any living patient's birth."""
    if value > timezone.localdate():
        raise ValidationError("This date cannot be in the future.", code="in_future")
    if value < EARLIEST_BIRTH:
        raise ValidationError(f"This date must be on or after {EARLIEST_BIRTH:%d %b %Y}.", code="too_early")


def check_event_date(value: date, born: date | None, field: str, what: str) -> None:
    """An event in a patient's life (``what``: "The onset") is neither in the future nor before the
    patient's birth; raises a ValidationError on ``field`` otherwise."""
    if value > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future."})
    if born is not None and value < born:
        raise ValidationError({field: f"{what} cannot be before the patient's birth ({born:%d %b %Y})."})


def parse_version(raw: Any, field: str = "version") -> int:
    """The version a form says it read, as an integer; anything else is an error on ``field`` (not a
    crash: a hidden field can be edited, or cut short by a bad connection)."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            {field: "The record's version is missing or not a whole number: reload the page."}
        ) from None
    if not 1 <= value <= MAX_VERSION:
        raise ValidationError({field: "The record's version is not one it has had: reload the page."})
    return value


def as_decimal(value: Decimal | float | int | str) -> Decimal:
    """A number as Decimal through its shortest text, so the float 0.01 becomes Decimal("0.01")."""
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"{value!r} is not a number.", code="invalid") from None
    if not result.is_finite():
        raise ValidationError("Give a finite number.", code="invalid")
    return result


def decimal_bounds(bounds: tuple[Decimal, Decimal]) -> list[MinValueValidator | MaxValueValidator]:
    """Model or form validators for a Decimal range, compared as Decimal."""
    low, high = bounds
    return [MinValueValidator(low), MaxValueValidator(high)]
