"""Numbers as people write them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def plain_decimal(value: Any) -> str:
    """``3``, ``0.5``, ``10``: no trailing zeros or exponent, whether the value was just assigned or
    read back from a decimal column (``Decimal("3.00")``)."""
    return format(Decimal(str(value)).normalize(), "f")
