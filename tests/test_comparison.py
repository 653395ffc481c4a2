"""Comparing with an earlier assessment: score and tier then and now, categories, indicators
better or worse, and the same-sheet check."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from calculator.assessment import parse_assessment
from calculator.comparison import compare_text
from calculator.errors import InvalidAssessment
from calculator.scheme import load_scheme, read_scheme
from calculator.scoring import evaluate

SHEETS = Path(__file__).resolve().parent / "sheets"
PUBLISHED = load_scheme()
CUSTOM = read_scheme((SHEETS / "acme-2026.json").read_text(encoding="utf-8"))


def full(answers: dict[str, dict[str, object]], **top: object) -> str:
    return json.dumps({"indicators": answers, **top})


EARLIER = full(
    {
        "organisation": {"status": "conforms"},
        "staffing": {"status": "sampled", "samples": 3, "nonconforming": 1},
        "repair": {"status": "nonconforming"},
        "delivery": {"status": "scored", "points": 4.5},
        "take-back": {"status": "conforms"},
        "complaint-handling": {"status": "conforms"},
    }
)
NOW = full(
    {
        "organisation": {"status": "scored", "points": 5},
        "staffing": {"status": "sampled", "samples": 3, "nonconforming": 0},
        "repair": {"status": "conforms"},
        "delivery": {"status": "scored", "points": 4.5},
        "take-back": {"status": "excluded"},
        "resources": {"status": "conforms"},
        "complaint-handling": {"status": "conforms"},
    }
)


def compare(earlier: str, now: str, scheme=PUBLISHED):  # type: ignore[no-untyped-def]
    return compare_text(earlier, parse_assessment(now, scheme), scheme)


def test_scores_and_tiers_then_and_now_are_each_assessments_own() -> None:
    """The earlier and the current results are exactly what scoring each alone gives."""
    c = compare(EARLIER, NOW)
    assert c.earlier == evaluate(parse_assessment(EARLIER), PUBLISHED)
    assert c.now == evaluate(parse_assessment(NOW), PUBLISHED)
    assert c.same_scheme and c.scheme == PUBLISHED.id
    assert c.score_change == c.now.score - c.earlier.score


def test_the_score_change_is_the_difference_of_the_scores_shown() -> None:
    """69.996 shows as 69.99 and 70.004 as 70.00: the change shown is 0.01, the tier goes up."""
    c = compare('{"total": 69.996}', '{"total": 70.004}')
    assert c.score_change == Decimal("0.01")
    assert c.tier_change == "up"
    assert compare('{"total": 90}', '{"total": 94.99}').tier_change == "same"
    assert compare('{"total": 90}', '{"total": 89.999}').tier_change == "down"


def test_special_deductions_that_fail_count_as_a_tier_down() -> None:
    """Five special deductions fail whatever the score: from standard to fail is down."""
    c = compare('{"total": 75}', '{"total": 99, "special_deductions": 5}')
    assert c.now is not None and c.now.tier.id == "fail"
    assert c.tier_change == "down"


def test_indicators_better_and_worse_are_decided_on_exact_points() -> None:
    """Better: earns more now; worse: earns less; answered and applicable both times only, largest
    change first. Staffing: 4 then (6 × 2/3), 6 now; organisation 6 then, 5 now."""
    c = compare(EARLIER, NOW)
    assert [(i.indicator, i.earlier_points, i.now_points) for i in c.better] == [
        ("repair", Fraction(0), Fraction(7)),
        ("staffing", Fraction(4), Fraction(6)),
    ]
    assert [(i.indicator, i.change) for i in c.worse] == [("organisation", Decimal(-1))]
    moved = {i.indicator for i in (*c.better, *c.worse)}
    assert not moved & {"delivery", "take-back", "resources", "complaint-handling"}


def test_a_change_too_small_to_show_still_counts() -> None:
    """A third of a sample's worth: 7 × 299/300 earns less than 7, so repair is worse."""
    earlier = full({"repair": {"status": "conforms"}})
    now = full({"repair": {"status": "sampled", "samples": 300, "nonconforming": 1}})
    (worse,) = compare(earlier, now).worse
    assert worse.now_points == Fraction(7 * 299, 300)
    assert worse.change == Decimal("-0.03")  # 6.97 shown now, 7.00 then


def test_the_change_per_category_is_of_the_earned_points_shown() -> None:
    """Per category, earned then and now as scoring gives them, and the shown difference."""
    c = compare(EARLIER, NOW)
    assert [x.id for x in c.categories] == [x.id for x in PUBLISHED.categories]
    service = c.categories[0]
    assert (service.earlier.earned, service.now.earned) == (Fraction(10), Fraction(17))
    assert service.change == Decimal(7)
    commodity = c.categories[1]
    assert commodity.change == Decimal("2")  # 4.5 + 5 then, 4.5 + 7 now


def test_a_quick_form_compares_scores_and_tiers_only() -> None:
    """With a total on either side there are no categories or indicators to compare."""
    c = compare('{"total": 80}', NOW)
    assert c.earlier is not None and c.now is not None
    assert (c.categories, c.better, c.worse) == ((), (), ())


def test_an_invalid_current_assessment_still_shows_the_earlier_one() -> None:
    """While the current answers are invalid, the earlier result stands alone."""
    c = compare_text(EARLIER, None, PUBLISHED)
    assert c.now is None and c.earlier is not None
    assert c.score_change is None and c.tier_change is None


def test_an_invalid_earlier_assessment_is_refused_with_its_problems() -> None:
    with pytest.raises(InvalidAssessment) as caught:
        compare('{"total": 101}', NOW)
    assert caught.value.problems[0].pointer == "/total"


def test_a_file_without_a_sheet_was_made_under_the_published_one() -> None:
    """Under a custom sheet, an earlier file that names no sheet is scored under the published
    sheet: score and tier are compared, its indicators are not."""
    now = full({"spare-parts": {"status": "conforms"}, "supervision": {"status": "conforms"}})
    c = compare(EARLIER, now, CUSTOM)
    assert not c.same_scheme and c.scheme == PUBLISHED.id
    assert c.earlier == evaluate(parse_assessment(EARLIER), PUBLISHED)
    assert c.now == evaluate(parse_assessment(now, CUSTOM), CUSTOM)
    assert (c.categories, c.better, c.worse) == ((), (), ())


def test_a_file_made_under_the_same_custom_sheet_is_compared_in_full() -> None:
    earlier = full({"supervision": {"status": "nonconforming"}}, scheme=CUSTOM.id)
    now = full({"supervision": {"status": "conforms"}}, scheme=CUSTOM.id)
    c = compare(earlier, now, CUSTOM)
    assert c.same_scheme
    assert [(i.indicator, i.change) for i in c.better] == [("supervision", Decimal(10))]


def test_a_file_made_under_a_sheet_not_loaded_cannot_be_scored() -> None:
    """Named for a sheet that is neither in use nor published: said so, nothing compared."""
    c = compare(full({"x": {"status": "conforms"}}, scheme="other-body-2024"), NOW)
    assert (c.scheme, c.same_scheme, c.earlier) == ("other-body-2024", False, None)
    assert c.score_change is None and c.categories == ()
