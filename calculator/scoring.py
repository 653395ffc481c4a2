"""The scoring rules: from an assessment to the final score, the tier and what to improve."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from calculator.assessment import Answer, Assessment, Details, parse_assessment
from calculator.exact import truncate
from calculator.scheme import TOTAL_POINTS, Indicator, Scheme, load_scheme
from calculator.tiers import FAIL, Tier, fails_on_deductions, next_tier, tier_for

#: Points each special deduction item takes off the final score.
SPECIAL_DEDUCTION_POINTS = 1

#: Points the special bonus item adds (there is at most one).
SPECIAL_BONUS_POINTS = 1

_TOTAL = Fraction(TOTAL_POINTS)


@dataclass(frozen=True)
class CategoryResult:
    """Points of one first-level indicator: earned, applicable (not excluded) and unanswered."""

    id: str
    points: Decimal
    applicable: Decimal
    earned: Fraction
    unanswered: Decimal

    @property
    def percent(self) -> Fraction | None:
        """Earned as a share of the applicable points, in percent; None when nothing applies."""
        return self.earned / Fraction(self.applicable) * 100 if self.applicable else None


@dataclass(frozen=True)
class IndicatorResult:
    """One second-level indicator as answered: its status (``unanswered`` when it has none), its
    points, and the points it earns (None when excluded or unanswered)."""

    id: str
    category: str
    status: str
    points: Decimal
    earned: Fraction | None


@dataclass(frozen=True)
class Improvement:
    """What bringing one indicator to full conformity would add to the (conservative) score."""

    indicator: str
    category: str
    status: str
    gain: Fraction
    tier: Tier


@dataclass(frozen=True)
class Result:
    """The outcome of an assessment. ``final`` and ``best_final`` are exact; ``score`` is shown."""

    mode: str
    final: Fraction
    tier: Tier
    best_final: Fraction
    best_tier: Tier
    special_deductions: int
    special_bonus: bool
    categories: tuple[CategoryResult, ...] = ()
    unanswered: tuple[str, ...] = ()
    improvements: tuple[Improvement, ...] = ()
    indicators: tuple[IndicatorResult, ...] = ()
    details: Details = Details()

    @property
    def score(self) -> Decimal:
        """The final score as shown: truncated, so 69.996 shows as 69.99."""
        return truncate(self.final)

    @property
    def best_score(self) -> Decimal:
        """The best-case score as shown, if every unanswered indicator conforms."""
        return truncate(self.best_final)

    @property
    def passed(self) -> bool:
        """True when the tier is standard or above."""
        return self.tier is not FAIL

    @property
    def provisional(self) -> bool:
        """True while some indicators are unanswered: the tier may still change."""
        return bool(self.unanswered)

    @property
    def fail_reason(self) -> str | None:
        """Why the assessment fails: ``special_deductions`` (SPECIAL_DEDUCTIONS_FAIL or more) or
        ``score``; else None."""
        if self.passed:
            return None
        return "special_deductions" if fails_on_deductions(self.special_deductions) else "score"

    @property
    def next_tier(self) -> Tier | None:
        """The next tier up, or None at the top tier or when special deductions fail it anyway."""
        if fails_on_deductions(self.special_deductions):
            return None
        return next_tier(self.final)

    @property
    def points_needed(self) -> Fraction | None:
        """Exact final-score points missing for the next tier, or None."""
        tier = self.next_tier
        return None if tier is None else Fraction(tier.minimum) - self.final


def final_score(base: Fraction, special_deductions: int, special_bonus: bool) -> Fraction:
    """The final score: the base less SPECIAL_DEDUCTION_POINTS per special deduction, plus
    SPECIAL_BONUS_POINTS for the bonus, kept within 0 and TOTAL_POINTS.

    Example:
        >>> final_score(Fraction(99), 0, True)
        Fraction(100, 1)
        >>> final_score(Fraction(72), 3, False)
        Fraction(69, 1)
    """
    value = (
        base
        - special_deductions * SPECIAL_DEDUCTION_POINTS
        + (SPECIAL_BONUS_POINTS if special_bonus else 0)
    )
    return min(max(value, Fraction(0)), _TOTAL)


def earned(indicator: Indicator, answer: Answer) -> Fraction:
    """Points an answered, applicable indicator earns.

    Conforms earns its points, nonconforming none, sampled its points times the share of
    conforming samples, scored the points given.
    """
    points = Fraction(indicator.points)
    if answer.status == "conforms":
        return points
    if answer.status == "sampled":
        assert answer.samples and answer.nonconforming is not None
        return points * (answer.samples - answer.nonconforming) / answer.samples
    if answer.status == "scored":
        assert answer.points is not None
        return Fraction(answer.points)
    return Fraction(0)


def evaluate_text(text: str | bytes, scheme: Scheme | None = None) -> Result:
    """Read an assessment in JSON and score it: what the command line and the page both do.

    Raises:
        InvalidAssessment: the text is not a valid assessment; its ``problems`` say why.

    Example:
        >>> evaluate_text('{"total": 91, "special_deductions": 1}').tier.id
        'four-star'
    """
    scheme = scheme or load_scheme()
    return evaluate(parse_assessment(text, scheme), scheme)


def evaluate(assessment: Assessment, scheme: Scheme) -> Result:
    """Score an assessment against a scheme.

    Example:
        >>> from calculator import load_scheme, parse_assessment
        >>> scheme = load_scheme()
        >>> result = evaluate(parse_assessment('{"total": 79.999}', scheme), scheme)
        >>> str(result.score), result.tier.id
        ('79.99', 'standard')
    """
    deductions, bonus = assessment.special_deductions, assessment.special_bonus

    def outcome(base: Fraction) -> tuple[Fraction, Tier]:
        final = final_score(base, deductions, bonus)
        return final, tier_for(final, deductions)

    if assessment.total is not None:
        final, tier = outcome(Fraction(assessment.total))
        return Result("quick", final, tier, final, tier, deductions, bonus, details=assessment.details)

    answers = assessment.answers or {}
    categories = []
    rows: list[IndicatorResult] = []
    unanswered: list[Indicator] = []
    shortfalls: list[tuple[Indicator, str, str, Fraction]] = []  # indicator, category id, status, missing
    for category in scheme.categories:
        applicable = open_points = Decimal(0)
        got = Fraction(0)
        for indicator in category.indicators:
            answer = answers.get(indicator.id)
            if answer is None or answer.status == "excluded":
                status = "unanswered" if answer is None else answer.status
                rows.append(IndicatorResult(indicator.id, category.id, status, indicator.points, None))
            if answer is not None and answer.status == "excluded":
                continue
            applicable += indicator.points
            if answer is None:
                open_points += indicator.points
                unanswered.append(indicator)
                shortfalls.append((indicator, category.id, "unanswered", Fraction(indicator.points)))
                continue
            points = earned(indicator, answer)
            rows.append(IndicatorResult(indicator.id, category.id, answer.status, indicator.points, points))
            got += points
            if points < indicator.points:
                shortfalls.append((indicator, category.id, answer.status, Fraction(indicator.points) - points))
        categories.append(CategoryResult(category.id, category.points, applicable, got, open_points))

    total_applicable = Fraction(sum((c.applicable for c in categories), Decimal(0)))
    total_earned = sum((c.earned for c in categories), Fraction(0))
    total_open = Fraction(sum((c.unanswered for c in categories), Decimal(0)))
    if not total_applicable:
        raise ValueError("every indicator is excluded")  # refused when the assessment is read

    def base(points: Fraction) -> Fraction:
        return points / total_applicable * _TOTAL

    final, tier = outcome(base(total_earned))
    best_final, best_tier = outcome(base(total_earned + total_open))
    improvements = []
    for indicator, category, status, missing in shortfalls:
        improved, improved_tier = outcome(base(total_earned + missing))
        if improved > final:
            improvements.append(
                Improvement(indicator.id, category, status, improved - final, improved_tier)
            )
    improvements.sort(key=lambda i: i.gain, reverse=True)  # stable: ties keep the scheme's order
    return Result(
        "full",
        final,
        tier,
        best_final,
        best_tier,
        deductions,
        bonus,
        tuple(categories),
        tuple(i.id for i in unanswered),
        tuple(improvements),
        tuple(rows),
        assessment.details,
    )
