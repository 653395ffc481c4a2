"""The result as JSON and as a readable report."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from calculator import evaluate_text, load_scheme
from calculator.exact import json_number
from calculator.report import result_json, text_report

RESULT_KEYS = {
    "mode", "score", "tier", "passed", "fail_reason", "provisional", "best", "special_deductions",
    "special_bonus", "categories", "unanswered", "next_tier", "improvements",
}


def test_result_json_has_every_documented_field() -> None:
    """The JSON result carries score, tier, pass, provisional range, categories, next tier, advice."""
    data = result_json(evaluate_text('{"indicators": {"repair": {"status": "nonconforming"}}}'))
    assert set(data) == RESULT_KEYS
    assert set(data["best"]) == {"score", "tier"}
    assert set(data["categories"][0]) == {"id", "points", "applicable", "earned", "unanswered", "percent"}
    assert set(data["improvements"][0]) == {"indicator", "category", "status", "gain", "tier"}
    json.dumps(data)


@pytest.mark.parametrize(("value", "text"), [("87.50", "87.5"), ("100.00", "100"), ("0.01", "0.01"), ("69.99", "69.99"), ("12.345678", "12.345678")])
def test_json_numbers_keep_their_decimal_digits(value: str, text: str) -> None:
    """A decimal written as a JSON number reads back as the same decimal."""
    assert json.dumps(json_number(Decimal(value))) == text


def test_text_report_in_english() -> None:
    """The report states score, tier with stars, the range, the next tier and what to fix first."""
    text = text_report(
        evaluate_text('{"indicators": {"repair": {"status": "nonconforming"}}}'), load_scheme()
    )
    assert "Score: 0.00" in text
    assert "Tier: Fail (not passed: the score is below 70)" in text
    assert "between 0.00 (Fail) and 93.00 (Four-star)" in text
    assert "Next tier: Standard, 70.00 more points needed" in text
    assert "1. Complaint handling (unanswered): +13.00" in text
    assert "not a certification decision" in text


def test_text_report_in_chinese() -> None:
    """The same report reads in Chinese, with the tier names of the standard."""
    text = text_report(evaluate_text('{"total": 96, "special_bonus": true}'), load_scheme(), "zh")
    assert "得分: 97.00" in text
    assert "五星级 ★★★★★" in text
    assert "已达到最高等级" in text


def test_text_report_gives_the_special_deduction_reason() -> None:
    """A fail on special deductions says so, not that the score is low."""
    text = text_report(evaluate_text('{"total": 99, "special_deductions": 5}'), load_scheme())
    assert "5 or more special deduction items fail whatever the score" in text
