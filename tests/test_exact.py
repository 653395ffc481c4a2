"""Exact numbers as shown: cut or rounded up to 2 places at every boundary, plain, and as JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator.exact import SHOWN_PLACES, json_number, plain, round_up, truncate

HAIR = Fraction(1, 10**12)


@pytest.mark.parametrize(("value", "text"), [("87.50", "87.5"), ("100.00", "100"), ("0.01", "0.01"), ("69.99", "69.99"), ("12.345678", "12.345678")])
def test_json_numbers_keep_their_decimal_digits(value: str, text: str) -> None:
    """A decimal written as a JSON number reads back as the same decimal."""
    assert json.dumps(json_number(Decimal(value))) == text


def test_whole_numbers_are_json_integers() -> None:
    """A whole decimal, or an int, is written without a fraction: 100, not 100.0."""
    assert json.dumps([json_number(Decimal("100.00")), json_number(7), json_number(Decimal("-0"))]) == "[100, 7, 0]"


@pytest.mark.parametrize(
    ("value", "cut", "up"),
    [
        (Fraction(6999, 100) - HAIR, "69.98", "69.99"),  # a hair below a shown step
        (Fraction(6999, 100), "69.99", "69.99"),  # exactly on it
        (Fraction(6999, 100) + HAIR, "69.99", "70.00"),  # a hair above
        (Fraction(69996, 1000), "69.99", "70.00"),
        (Fraction(70), "70.00", "70.00"),
        (Fraction(0), "0.00", "0.00"),
        (HAIR, "0.00", "0.01"),
        (Fraction(17416, 10000), "1.74", "1.75"),
    ],
)
def test_truncate_cuts_and_round_up_rounds_up(value: Fraction, cut: str, up: str) -> None:
    """A shown score is cut, never rounded up, so it never shows a tier not reached; points needed
    are rounded up, so they are enough. On a shown step, both give the value itself."""
    assert str(truncate(value)) == cut
    assert str(round_up(value)) == up


@given(st.fractions(min_value=0, max_value=100, max_denominator=10**6))
def test_shown_values_bracket_the_exact_one(value: Fraction) -> None:
    """The cut value is at most the exact one and the rounded-up value at least, each within one
    step of 2 places and written with exactly 2 places."""
    step = Fraction(1, 10**SHOWN_PLACES)
    low, high = truncate(value), round_up(value)
    assert value - step < Fraction(low) <= value <= Fraction(high) < value + step
    assert -low.as_tuple().exponent == -high.as_tuple().exponent == SHOWN_PLACES  # type: ignore[operator]


@pytest.mark.parametrize(("value", "text"), [("7", "7"), ("6.50", "6.5"), ("1E+6", "1000000"), ("0.000001", "0.000001")])
def test_plain_decimals_have_no_exponent_or_trailing_zeros(value: str, text: str) -> None:
    """A bound in a message is written plainly: 7, 6.5, 1000000."""
    assert plain(Decimal(value)) == text
