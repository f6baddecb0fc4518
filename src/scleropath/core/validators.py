"""Input rules every door shares: the web forms, the models' validation and the JSON API's schemas
all check a date of birth, an event's date, a record's version, a decimal's bounds and a phone number
here, so a value one door refuses is refused by every door with the same words.

Each check raises Django's ``ValidationError``; the API's schemas turn it into a pydantic error
(``api/schemas.py``), so the message reaches the caller under the field's name either way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.conf import settings
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


# --- phone numbers ------------------------------------------------------------------------------

_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)

# Ofcom keeps these UK ranges for drama and examples, so no real person owns them; phonenumbers marks
# them invalid, but the demo data and the tests use them precisely because nobody can be reached.
# (E.164 prefix, whether it is a mobile range.)
_DRAMA_RANGES = (("+447700900", True), ("+441632960", False))


def _drama_range(number: phonenumbers.PhoneNumber) -> tuple[str, bool] | None:
    if not phonenumbers.is_possible_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return next(((p, m) for p, m in _DRAMA_RANGES if e164.startswith(p) and len(e164) == 13), None)


def _parse_phone(text: str, region: str | None = None) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(text, region or settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            f"{text!r} is not a phone number: give it with its area code (01632 960123) "
            "or in international form (+44 1632 960123).",
            code="invalid_phone",
        ) from None
    if not phonenumbers.is_valid_number(number) and _drama_range(number) is None:
        raise ValidationError(
            f"{text!r} is not a valid phone number: check the digits and the area code.",
            code="invalid_phone",
        )
    return number


def normalise_phone(text: str, region: str | None = None) -> str:
    """A phone number as typed, in the international E.164 form it is stored in (``+447700900123``);
    a number without a country code is read as one of ``region`` (the ``PHONE_REGION`` setting by
    default). Blank stays blank; anything that is not a valid number raises a ValidationError."""
    text = (text or "").strip()
    if not text:
        return ""
    return phonenumbers.format_number(_parse_phone(text, region), phonenumbers.PhoneNumberFormat.E164)


def is_mobile(text: str, region: str | None = None) -> bool:
    """Whether a number can take a text message (a mobile, or a number the plan does not tell apart)."""
    try:
        number = _parse_phone(text, region)
    except ValidationError:
        return False
    drama = _drama_range(number)
    return drama[1] if drama else phonenumbers.number_type(number) in _MOBILE_TYPES


def display_phone(text: str, region: str | None = None) -> str:
    """A stored number as people write it: national form for a number of ``region``
    (``07700 900123``), international form otherwise; an unparsable one as it is."""
    try:
        number = _parse_phone(text, region)
    except ValidationError:
        return text or ""
    home = number.country_code == phonenumbers.country_code_for_region(region or settings.PHONE_REGION)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
