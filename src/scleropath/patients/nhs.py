"""NHS number checking (modulus 11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def normalise_nhs_number(value: str) -> str:
    return "".join(ch for ch in value if not ch.isspace() and ch != "-")


def check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None where no number can end them (it would be 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number_is_valid(value: str) -> bool:
    """True for a 10-digit NHS number whose last digit is its modulus 11 check digit."""
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(value):
        raise ValidationError(
            "%(value)s is not a valid NHS number (10 digits with a correct check digit).",
            params={"value": value},
            code="invalid_nhs_number",
        )
