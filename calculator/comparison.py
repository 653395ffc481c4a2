"""Comparing an assessment with an earlier one: score and tier then and now, the change per
category, and which indicators got better or worse; only when both were made under one sheet.

The earlier assessment is read in the sheet it names in its ``scheme`` key; one that names none
was made under the published sheet (the page names the sheet only when it is another). Scores,
earned points and their changes are the values as shown (truncated to 2 places), so that a
change is always the difference of the two figures a reader sees; whether an indicator got
better or worse is decided on the exact points it earns.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from calculator.assessment import Assessment, named_scheme, parse_assessment
from calculator.exact import truncate
from calculator.scheme import Scheme, load_scheme
from calculator.scoring import CategoryResult, Result, earned, evaluate
from calculator.tiers import FAIL, TIERS

#: Tiers from the lowest (fail) to the highest: a tier change is a move along this order.
_TIER_ORDER = (FAIL, *TIERS)


@dataclass(frozen=True)
class CategoryChange:
    """One category then and now; ``change`` is the earned points as shown, now less then."""

    id: str
    earlier: CategoryResult
    now: CategoryResult

    @property
    def change(self) -> Decimal:
        return truncate(self.now.earned) - truncate(self.earlier.earned)


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator answered (and applicable) both times, whose points earned differ."""

    indicator: str
    category: str
    earlier_status: str
    now_status: str
    earlier_points: Fraction
    now_points: Fraction

    @property
    def change(self) -> Decimal:
        """The points earned as shown, now less then."""
        return truncate(self.now_points) - truncate(self.earlier_points)


@dataclass(frozen=True)
class Comparison:
    """An assessment set against an earlier one.

    ``scheme`` is the id of the sheet the earlier one was made under, ``same_scheme`` whether it
    is the sheet in use. ``earlier`` is None when that sheet is neither the sheet in use nor the
    published one (it cannot be scored here); ``now`` is None while the current assessment is
    invalid. Categories and indicators are compared only when both are full self-assessments
    under the same sheet.
    """

    scheme: str
    same_scheme: bool
    earlier: Result | None
    now: Result | None
    categories: tuple[CategoryChange, ...] = ()
    better: tuple[IndicatorChange, ...] = ()
    worse: tuple[IndicatorChange, ...] = ()

    @property
    def score_change(self) -> Decimal | None:
        """The score as shown, now less then; None without both results."""
        if self.earlier is None or self.now is None:
            return None
        return self.now.score - self.earlier.score

    @property
    def tier_change(self) -> str | None:
        """``"up"``, ``"down"`` or ``"same"``; None without both results."""
        if self.earlier is None or self.now is None:
            return None
        return _direction(_TIER_ORDER.index(self.now.tier) - _TIER_ORDER.index(self.earlier.tier))


def compare_text(
    earlier_text: str | bytes,
    now: Assessment | None,
    scheme: Scheme,
) -> Comparison:
    """Compare the assessment ``now`` (None while it is invalid), scored under ``scheme``, with
    an earlier one given as JSON text.

    Raises:
        InvalidAssessment: the earlier text is not a valid assessment under the sheet it names.

    Example:
        >>> from calculator import load_scheme, parse_assessment
        >>> scheme = load_scheme()
        >>> c = compare_text('{"total": 85}', parse_assessment('{"total": 91}'), scheme)
        >>> str(c.score_change), c.tier_change, c.same_scheme
        ('6.00', 'up', True)
    """
    published = load_scheme()
    named = named_scheme(earlier_text) or published.id
    if named == scheme.id:
        earlier_scheme: Scheme | None = scheme
    elif named == published.id:
        earlier_scheme = published
    else:
        earlier_scheme = None
    now_result = None if now is None else evaluate(now, scheme)
    if earlier_scheme is None:
        return Comparison(named, False, None, now_result)
    earlier = parse_assessment(earlier_text, earlier_scheme)
    earlier_result = evaluate(earlier, earlier_scheme)
    same = earlier_scheme is scheme
    if not same or now is None or now_result is None or earlier.answers is None or now.answers is None:
        return Comparison(named, same, earlier_result, now_result)
    categories = tuple(
        CategoryChange(then.id, then, current)
        for then, current in zip(earlier_result.categories, now_result.categories, strict=True)
    )
    changes = _indicator_changes(earlier, now, scheme)
    better = tuple(sorted((c for c in changes if c.now_points > c.earlier_points), key=_gain, reverse=True))
    worse = tuple(sorted((c for c in changes if c.now_points < c.earlier_points), key=_gain))
    return Comparison(named, True, earlier_result, now_result, categories, better, worse)


def _indicator_changes(earlier: Assessment, now: Assessment, scheme: Scheme) -> list[IndicatorChange]:
    """The indicators answered and applicable both times, in the scheme's order."""
    assert earlier.answers is not None and now.answers is not None
    found = []
    for category in scheme.categories:
        for indicator in category.indicators:
            then, current = earlier.answers.get(indicator.id), now.answers.get(indicator.id)
            if then is None or current is None or "excluded" in (then.status, current.status):
                continue
            found.append(
                IndicatorChange(
                    indicator.id,
                    category.id,
                    then.status,
                    current.status,
                    earned(indicator, then),
                    earned(indicator, current),
                )
            )
    return found


def _gain(change: IndicatorChange) -> Fraction:
    return change.now_points - change.earlier_points


def _direction(steps: int) -> str:
    return "up" if steps > 0 else "down" if steps < 0 else "same"

