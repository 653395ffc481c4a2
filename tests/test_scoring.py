"""Scoring rules: base score, exclusions, sampling, special items, provisional ranges, advice."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import evaluate_text
from calculator.assessment import parse_assessment
from calculator.errors import InvalidAssessment
from calculator.report import result_json
from calculator.scheme import load_scheme
from calculator.scoring import Result, evaluate
from calculator.tiers import FAIL, TIERS
from tests.strategies import INDICATORS, assessments, dumps, full_assessments

ALL = list(INDICATORS)
RANK = {t: n for n, t in enumerate(["fail", "standard", "three-star", "four-star", "five-star"])}


def score(data: dict[str, Any]) -> Result:
    return evaluate_text(dumps(data))


def full(special_deductions: int = 0, special_bonus: bool = False, **answers: Any) -> dict[str, Any]:
    """All indicators conform except those given (``None`` leaves one unanswered)."""
    indicators: dict[str, Any] = {i: {"status": "conforms"} for i in ALL}
    for key, answer in answers.items():
        key = key.replace("_", "-")
        if answer is None:
            del indicators[key]
        else:
            indicators[key] = answer
    return {"indicators": indicators, "special_deductions": special_deductions, "special_bonus": special_bonus}


HAIR = Decimal("0.000001")

# (threshold, tier below it, tier at it) for every bound.
THRESHOLDS = [(Decimal(t.minimum), below.id, t.id) for below, t in zip((FAIL, *TIERS), TIERS)]


@pytest.mark.parametrize(("bound", "below", "at"), THRESHOLDS)
@pytest.mark.parametrize("offset", [-HAIR, Decimal(0), HAIR])
def test_threshold_through_the_total(bound: Decimal, below: str, at: str, offset: Decimal) -> None:
    """A total a hair below a bound stays below; exactly on it or above reaches it."""
    result = score({"total": bound + offset})
    assert result.tier.id == (below if offset < 0 else at)
    assert result.passed == (result.tier.id != "fail")


@pytest.mark.parametrize(("bound", "below", "at"), THRESHOLDS)
@pytest.mark.parametrize("offset", [-HAIR, Decimal(0), HAIR])
@pytest.mark.parametrize("deductions", [1, 4])
def test_threshold_through_special_deductions(
    bound: Decimal, below: str, at: str, offset: Decimal, deductions: int
) -> None:
    """Each special deduction takes 1 point off; the bound is judged on what is left."""
    result = score({"total": bound + offset + deductions, "special_deductions": deductions})
    assert result.final == Fraction(bound + offset)
    assert result.tier.id == (below if offset < 0 else at)


@pytest.mark.parametrize(("bound", "below", "at"), THRESHOLDS)
@pytest.mark.parametrize("offset", [-HAIR, Decimal(0), HAIR])
def test_threshold_through_the_bonus(bound: Decimal, below: str, at: str, offset: Decimal) -> None:
    """The special bonus adds 1 point, which can lift a score over a bound."""
    result = score({"total": bound + offset - 1, "special_bonus": True})
    assert result.tier.id == (below if offset < 0 else at)
    assert score({"total": bound + offset - 1}).tier.id != at


def test_threshold_through_indicators() -> None:
    """70 exactly, reached through sampled indicators, is standard; a sample less is not."""
    exact = full(repair={"status": "nonconforming"}, quality_assurance={"status": "nonconforming"},
                 complaint_handling={"status": "nonconforming"},
                 customer_relations={"status": "sampled", "samples": 3, "nonconforming": 1})
    assert score(exact).final == 70 and score(exact).tier.id == "standard"
    exact["indicators"]["customer-relations"]["samples"] = 300
    exact["indicators"]["customer-relations"]["nonconforming"] = 101
    assert score(exact).final == 70 - Fraction(12, 300)
    assert score(exact).tier.id == "fail"


def test_shown_score_is_truncated_never_rounded_up() -> None:
    """69.996 shows as 69.99 and fails: a display never promises a tier not reached."""
    result = score({"total": Decimal("69.996")})
    assert str(result.score) == "69.99"
    assert result.tier.id == "fail"
    assert result_json(result)["next_tier"] == {"tier": "standard", "points_needed": 0.01}


def test_numbers_are_exact_decimals() -> None:
    """0.1 means one tenth: 79.9 + 0.1 of bonus arithmetic is exactly 80."""
    result = evaluate_text('{"total": 79.9, "special_deductions": 0, "special_bonus": false}')
    assert result.final == Fraction(799, 10)
    assert evaluate_text('{"indicators": {"repair": {"status": "scored", "points": 0.1}}}').final == Fraction(1, 10)


def test_final_score_stays_within_0_and_100() -> None:
    """The bonus cannot lift a score above 100, deductions cannot push it below 0."""
    assert score({"total": 100, "special_bonus": True}).final == 100
    assert score({"total": 2, "special_deductions": 4}).final == 0


def test_excluded_indicators_leave_the_applicable_total() -> None:
    """Excluded points leave both what is earned and what applies: score = E / A * 100."""
    result = score(full(delivery={"status": "excluded"}, take_back={"status": "excluded"},
                        organisation={"status": "nonconforming"}))
    assert result.final == Fraction(83, 89) * 100
    commodity = result.categories[1]
    assert (commodity.applicable, commodity.earned) == (24, 24)


def test_a_category_entirely_excluded_has_no_percentage() -> None:
    """When nothing in a category applies, its share is not a number, and it still scores."""
    result = score(full(customer_relations={"status": "excluded"}, complaint_handling={"status": "excluded"}))
    assert result.categories[2].percent is None
    assert result_json(result)["categories"][2]["percent"] is None
    assert result.final == 100


@pytest.mark.parametrize(("samples", "nonconforming", "earned"), [(10, 0, 7), (10, 2, Fraction(56, 10)), (3, 1, Fraction(14, 3)), (4, 4, 0)])
def test_sampled_indicators_lose_points_in_proportion(samples: int, nonconforming: int, earned: Fraction) -> None:
    """A sampled indicator earns its points times the share of conforming samples."""
    result = score(full(repair={"status": "sampled", "samples": samples, "nonconforming": nonconforming}))
    assert result.categories[1].earned == 28 + earned


def test_scored_indicators_earn_the_points_given() -> None:
    """An assessor's points for an indicator count as given."""
    result = score(full(complaint_handling={"status": "scored", "points": Decimal("6.5")}))
    assert result.final == Fraction(935, 10)


def test_nonconforming_loses_the_whole_indicator() -> None:
    """A qualitative nonconformity loses the indicator's full points."""
    assert score(full(complaint_handling={"status": "nonconforming"})).final == 87


def test_unanswered_indicators_make_a_provisional_range() -> None:
    """Unanswered count as 0 for the conservative score and as full points for the best case."""
    result = score(full(customer_relations=None, complaint_handling=None, special_bonus=True))
    assert result.provisional
    assert (result.final, result.tier.id) == (76, "standard")
    assert (result.best_final, result.best_tier.id) == (100, "five-star")
    assert result.unanswered == ("customer-relations", "complaint-handling")


def test_complete_assessment_is_not_provisional() -> None:
    """With every indicator answered, best equals the conservative result."""
    result = score(full(repair={"status": "nonconforming"}))
    assert not result.provisional
    assert (result.best_final, result.best_tier) == (result.final, result.tier)


def test_nothing_answered_is_a_valid_provisional_start() -> None:
    """An empty assessment scores 0 for now, and could still reach five-star."""
    result = evaluate_text("{}")
    assert (result.score, result.tier.id, result.provisional) == (0, "fail", True)
    assert result.best_tier.id == "five-star"


@pytest.mark.parametrize("total", [Decimal(100), Decimal(70)])
def test_five_special_deductions_fail_with_the_reason(total: Decimal) -> None:
    """5 special deduction items fail whatever the score, and the reason says so; 4 do not."""
    failed = score({"total": total + 5, "special_deductions": 5} if total < 95 else {"total": total, "special_deductions": 5})
    assert (failed.tier.id, failed.passed, failed.fail_reason) == ("fail", False, "special_deductions")
    assert failed.next_tier is None
    kept = score({"total": total, "special_deductions": 4})
    assert kept.fail_reason is None if kept.final >= 70 else kept.fail_reason == "score"


def test_low_score_fails_with_the_reason() -> None:
    """Below 70 with fewer than 5 deductions fails on the score."""
    result = score({"total": 50})
    assert (result.passed, result.fail_reason) == (False, "score")
    assert result_json(result)["next_tier"] == {"tier": "standard", "points_needed": 20}


def test_next_tier_points_are_rounded_up() -> None:
    """Points needed are enough to get there: 1.7416... becomes 1.75."""
    result = score(full(delivery={"status": "excluded"}, take_back={"status": "excluded"},
                        organisation={"status": "nonconforming"}))
    assert result_json(result)["next_tier"] == {"tier": "five-star", "points_needed": 1.75}
    assert result_json(score({"total": 95}))["next_tier"] is None


def test_improvements_rank_what_to_fix_first() -> None:
    """Indicators are ranked by the score they would add at full conformity, with the tier reached."""
    result = score(full(repair={"status": "sampled", "samples": 10, "nonconforming": 2},
                        take_back={"status": "nonconforming"}, delivery={"status": "excluded"}))
    ranked = [(i.indicator, i.gain, i.tier.id) for i in result.improvements]
    assert ranked == [
        ("take-back", Fraction(5, 94) * 100, "five-star"),
        ("repair", Fraction(14, 10) / 94 * 100, "four-star"),
    ]
    assert all(i.indicator != "delivery" for i in result.improvements)


def test_improvements_include_unanswered_indicators() -> None:
    """An unanswered indicator is a candidate too, marked as unanswered."""
    result = score(full(complaint_handling=None))
    assert [(i.indicator, i.status) for i in result.improvements] == [("complaint-handling", "unanswered")]


def test_improvements_stop_at_100() -> None:
    """No gain is promised above 100 points."""
    result = score(full(special_bonus=True, take_back={"status": "sampled", "samples": 10, "nonconforming": 1}))
    assert result.final == 100 and result.improvements == ()


def test_no_improvement_is_promised_while_deductions_hold_the_score_at_0() -> None:
    """With 100 special deductions every indicator at full points still scores 0: nothing would
    add anything, so nothing is advised (a gain of 0 is not a gain)."""
    result = score({"indicators": {i: {"status": "nonconforming"} for i in ALL}, "special_deductions": 100})
    assert (result.final, result.improvements) == (0, ())
    few = score({"indicators": {i: {"status": "nonconforming"} for i in ALL}, "special_deductions": 10})
    assert [(i.indicator, i.gain) for i in few.improvements] == [
        ("complaint-handling", 3), ("customer-relations", 2)
    ]


def test_quick_form_has_no_categories_or_advice() -> None:
    """A total alone scores, with no category bars and no indicator advice."""
    data = result_json(score({"total": 88}))
    assert (data["mode"], data["categories"], data["improvements"], data["unanswered"]) == ("quick", [], [], [])


@pytest.mark.parametrize(
    ("total", "deductions", "bonus", "final", "tier"),
    [
        (80, 1, True, 80, "three-star"),  # one point off, one on: still three-star
        (80, 1, False, 79, "standard"),
        (80, 2, True, 79, "standard"),
        (Decimal("69.5"), 0, True, Decimal("70.5"), "standard"),
        (95, 4, True, 92, "four-star"),
        (Decimal("0.5"), 1, True, Decimal("0.5"), "fail"),  # 0.5 - 1 + 1: the bound is on the sum
    ],
)
def test_bonus_and_deductions_on_the_same_assessment(
    total: Decimal, deductions: int, bonus: bool, final: Decimal, tier: str
) -> None:
    """With both, the final score is the total less 1 per special deduction plus 1 for the bonus,
    kept within 0..100 once, on the sum: 80 with one deduction and the bonus gives 80, three-star."""
    result = score({"total": total, "special_deductions": deductions, "special_bonus": bonus})
    assert (result.final, result.tier.id) == (Fraction(final), tier)


def test_an_improvements_gain_stops_at_100() -> None:
    """Supervision (5 points) scored 2 gives 97, plus the bonus 98. At full supervision the score
    would be 100 + 1, capped at 100: the gain promised is 2, not 3, and the tier five-star."""
    result = score(full(special_bonus=True, supervision={"status": "scored", "points": 2}))
    assert result.final == 98
    assert [(i.indicator, i.gain, i.tier.id) for i in result.improvements] == [("supervision", 2, "five-star")]


def test_improvements_with_equal_gains_keep_the_sheets_order() -> None:
    """Improvements are ranked by gain; equal gains keep the scoring sheet's order, whatever the
    order of the text: organisation, staffing (6 points each) before supervision (5)."""
    indicators = {i: {"status": "conforms"} for i in reversed(ALL)}
    for nonconforming in ("supervision", "staffing", "organisation"):
        indicators[nonconforming] = {"status": "nonconforming"}
    result = score({"indicators": indicators})
    assert result.final == 83
    assert [(i.indicator, i.gain) for i in result.improvements] == [
        ("organisation", 6), ("staffing", 6), ("supervision", 5)
    ]


def test_provisional_while_unanswered_even_when_the_range_is_closed() -> None:
    """Provisional means an indicator is unanswered, not that the range is open: take-back (5
    points) unanswered, the rest nonconforming and 5 special deductions put both ends at 0."""
    answers = {i: {"status": "nonconforming"} for i in ALL if i != "take-back"}
    result = score({"indicators": answers, "special_deductions": 5})
    assert (result.final, result.best_final) == (0, 0)
    assert result.provisional and result.unanswered == ("take-back",)
    assert result_json(result)["provisional"] is True


def test_evaluate_text_reads_then_scores() -> None:
    """JSON text, as str or as UTF-8 bytes, is read against the scheme given (the shipped one by
    default) and scored as the assessment read; text that is not an assessment raises
    InvalidAssessment with its problems."""
    scheme = load_scheme()
    text = '{"indicators": {"repair": {"status": "nonconforming"}}, "special_bonus": true}'
    assert evaluate_text(text) == evaluate_text(text.encode(), scheme) == evaluate(parse_assessment(text), scheme)
    with pytest.raises(InvalidAssessment) as caught:
        evaluate_text('{"total": 101}', scheme)
    assert [(p.code, p.pointer) for p in caught.value.problems] == [("out_of_range", "/total")]


def test_results_cannot_be_changed_after_scoring() -> None:
    """A result, its categories and its improvements are frozen: what was shown stays as scored."""
    result = score(full(take_back={"status": "nonconforming"}))
    for value, name in [(result, "final"), (result.categories[0], "earned"), (result.improvements[0], "gain")]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, Fraction(100))


# Properties -------------------------------------------------------------------------------


@settings(max_examples=300)
@given(assessments())
def test_score_is_always_within_0_and_100(data: dict[str, Any]) -> None:
    """Whatever valid assessment, the score and the best case stay within 0..100, best >= score."""
    result = score(data)
    assert 0 <= result.final <= result.best_final <= 100
    assert RANK[result.tier.id] <= RANK[result.best_tier.id]
    assert 0 <= result.score <= 100


def improved(indicator: str, answer: dict[str, Any] | None, step: int) -> dict[str, Any]:
    """The answer moved ``step`` towards conformity (0: all the way)."""
    if answer is not None and answer["status"] == "sampled" and step:
        return {**answer, "nonconforming": max(0, answer["nonconforming"] - step)}
    if answer is not None and answer["status"] == "scored" and step:
        return {**answer, "points": min(INDICATORS[indicator].points, answer["points"] + step)}
    return {"status": "conforms"}


@settings(max_examples=300)
@given(full_assessments(), st.sampled_from(ALL), st.integers(0, 3))
def test_improving_an_indicator_never_lowers_score_or_tier(data: dict[str, Any], indicator: str, how: int) -> None:
    """Bringing an indicator closer to conformity never lowers the score or the tier."""
    before = score(data)
    answer = data["indicators"].get(indicator)
    if answer is not None and answer["status"] == "excluded":
        return
    data = {**data, "indicators": {**data["indicators"], indicator: improved(indicator, answer, how)}}
    after = score(data)
    assert after.final >= before.final
    assert RANK[after.tier.id] >= RANK[before.tier.id]
    assert after.best_final >= before.final


@settings(max_examples=200)
@given(full_assessments(), st.randoms(use_true_random=False))
def test_order_of_indicators_never_matters(data: dict[str, Any], rnd: random.Random) -> None:
    """Listing the indicators in any order gives the same result."""
    items = list(data["indicators"].items())
    rnd.shuffle(items)
    shuffled = {**data, "indicators": dict(items)}
    assert result_json(score(shuffled)) == result_json(score(data))
