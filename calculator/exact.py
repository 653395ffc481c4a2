"""Exact numbers as they are shown: cut or rounded up to 2 places, as plain decimals, as JSON numbers."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

#: Decimal places a score, points earned, a gain or the points needed are shown with.
SHOWN_PLACES = 2

_SCALE = 10**SHOWN_PLACES


def truncate(value: Fraction) -> Decimal:
    """``value`` cut (not rounded) to 2 decimals, so what is shown is never more than the value.

    Example:
        >>> truncate(Fraction(69996, 1000))
        Decimal('69.99')
    """
    return Decimal(math.floor(value * _SCALE)).scaleb(-SHOWN_PLACES)


def round_up(value: Fraction) -> Decimal:
    """``value`` rounded up to 2 decimals: enough points to actually reach a bound.

    Example:
        >>> round_up(Fraction(17416, 10000))
        Decimal('1.75')
    """
    return Decimal(math.ceil(value * _SCALE)).scaleb(-SHOWN_PLACES)


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros.

    Example:
        >>> plain(Decimal("7")), plain(Decimal("6.50")), plain(Decimal("1E+6"))
        ('7', '6.5', '1000000')
    """
    return format(value.normalize(), "f")


def json_number(value: Decimal | int) -> int | float:
    """A decimal as a JSON number with the same digits.

    Values here have at most a few decimal places and fit in 15 significant digits, so the
    shortest float repr that ``json`` writes is the decimal's own text: ``Decimal("87.50")``
    is written ``87.5``, ``Decimal("100.00")`` ``100``.

    Example:
        >>> json_number(Decimal("87.50")), json_number(Decimal("100.00"))
        (87.5, 100)
    """
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    assert Decimal(repr(number)) == value, f"{value} does not survive as a JSON number"
    return number
