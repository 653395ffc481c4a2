"""Tiers: inclusive bounds decided on the exact final score, and the special-deduction rule."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest

from calculator.languages import LANGUAGES
from calculator.tiers import FAIL, PASS_MINIMUM, SPECIAL_DEDUCTIONS_FAIL, TIERS, next_tier, tier_for

HAIR = Fraction(1, 10**12)

BOUNDS = [(70, "fail", "standard"), (80, "standard", "three-star"), (90, "three-star", "four-star"), (95, "four-star", "five-star")]


@pytest.mark.parametrize(("bound", "below", "at"), BOUNDS)
def test_each_bound_is_inclusive(bound: int, below: str, at: str) -> None:
    """A hair below a bound is the lower tier; exactly on it and a hair above, the higher."""
    assert tier_for(bound - HAIR, 0).id == below
    assert tier_for(Fraction(bound), 0).id == at
    assert tier_for(bound + HAIR, 0).id == at


@pytest.mark.parametrize("score", [Fraction(0), Fraction(6999, 100), Fraction(100)])
def test_five_special_deductions_fail_whatever_the_score(score: Fraction) -> None:
    """5 or more special deduction items fail; 4 do not decide the tier."""
    assert tier_for(score, SPECIAL_DEDUCTIONS_FAIL).id == "fail"
    assert tier_for(score, SPECIAL_DEDUCTIONS_FAIL + 3).id == "fail"
    assert tier_for(score, SPECIAL_DEDUCTIONS_FAIL - 1) == tier_for(score, 0)


def test_tiers_are_ascending_with_their_stars() -> None:
    """Standard has no stars; then three, four and five stars, in that order."""
    assert [(t.id, t.stars) for t in TIERS] == [
        ("standard", 0), ("three-star", 3), ("four-star", 4), ("five-star", 5)
    ]
    assert [t.minimum for t in TIERS] == sorted(t.minimum for t in TIERS)


@pytest.mark.parametrize(
    ("score", "expected"),
    [(Fraction(0), "standard"), (Fraction(70), "three-star"), (89 + Fraction(99, 100), "four-star"), (Fraction(94), "five-star"), (Fraction(95), None)],
)
def test_next_tier(score: Fraction, expected: str | None) -> None:
    """The next tier is the lowest one above the score; none at five-star."""
    found = next_tier(score)
    assert (found.id if found else None) == expected


def test_the_tier_table_cannot_be_changed_by_a_caller() -> None:
    """Tiers are shared by every result: assigning to one raises, so no caller can move a bound."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        TIERS[0].minimum = Decimal(60)  # type: ignore[misc]
    assert tier_for(Fraction(6999, 100), 0).id == "fail"


def test_the_pass_minimum_is_the_lowest_tiers() -> None:
    """Passing starts at the standard tier's minimum, 70 (inclusive): a hair below fails."""
    assert PASS_MINIMUM == TIERS[0].minimum == 70
    assert tier_for(Fraction(PASS_MINIMUM), 0) is TIERS[0]
    assert tier_for(Fraction(PASS_MINIMUM) - HAIR, 0) is FAIL


def test_every_tier_is_named_in_each_language() -> None:
    """Each tier, fail included, has a name in every language of the package and in no other."""
    for tier in (FAIL, *TIERS):
        assert list(tier.name) == list(LANGUAGES)
        assert all(name.strip() for name in tier.name.values())
