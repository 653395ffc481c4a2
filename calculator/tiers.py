"""The tiers a final score reaches, the special-deduction rule, and the one place both are decided."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from calculator.languages import LANGUAGES


@dataclass(frozen=True)
class Tier:
    """A result level: the lowest final score that reaches it (inclusive) and its star count."""

    id: str
    minimum: Decimal
    stars: int
    name: Mapping[str, str]


def _tier(tier_id: str, minimum: int, stars: int, *names: str) -> Tier:
    """A tier, named in each of LANGUAGES in turn."""
    name = MappingProxyType(dict(zip(LANGUAGES, names, strict=True)))
    return Tier(tier_id, Decimal(minimum), stars, name)


#: Below the lowest tier, or SPECIAL_DEDUCTIONS_FAIL special deduction items or more.
FAIL = _tier("fail", 0, 0, "Fail", "未通过")

#: The passing tiers in ascending order. Each ``minimum`` is an inclusive lower bound on the exact
#: final score: 70 is standard, 79.999 still standard, 80 three-star.
TIERS: tuple[Tier, ...] = (
    _tier("standard", 70, 0, "Standard", "达标级"),
    _tier("three-star", 80, 3, "Three-star", "三星级"),
    _tier("four-star", 90, 4, "Four-star", "四星级"),
    _tier("five-star", 95, 5, "Five-star", "五星级"),
)

#: The lowest final score that passes (inclusive): the lowest tier's minimum.
PASS_MINIMUM = TIERS[0].minimum

#: This many special deduction items or more fail the evaluation whatever the score (inclusive).
SPECIAL_DEDUCTIONS_FAIL = 5

_MINIMUMS = [Fraction(t.minimum) for t in TIERS]


def fails_on_deductions(special_deductions: int) -> bool:
    """True when this many special deduction items fail the evaluation whatever the score."""
    return special_deductions >= SPECIAL_DEDUCTIONS_FAIL


def tier_for(final: Fraction, special_deductions: int) -> Tier:
    """The tier of an exact final score, given the number of special deduction items.

    Example:
        >>> tier_for(Fraction(80), 0).id
        'three-star'
        >>> tier_for(Fraction(7999, 100), 0).id
        'standard'
        >>> tier_for(Fraction(99), 5).id
        'fail'
    """
    if fails_on_deductions(special_deductions):
        return FAIL
    index = bisect.bisect_right(_MINIMUMS, final)
    return TIERS[index - 1] if index else FAIL


def next_tier(final: Fraction) -> Tier | None:
    """The lowest tier whose minimum is above ``final``, or None at the top.

    Example:
        >>> next_tier(Fraction(80)).id
        'four-star'
        >>> next_tier(Fraction(95)) is None
        True
    """
    index = bisect.bisect_right(_MINIMUMS, final)
    return TIERS[index] if index < len(TIERS) else None
