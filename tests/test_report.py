"""What the outside sees: the result, the scheme and problems as JSON, and the readable report."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from calculator import evaluate_text, load_scheme, parse_assessment
from calculator.comparison import compare_text
from calculator.errors import InvalidAssessment, Problem
from calculator.exact import plain
from calculator.languages import LANGUAGES
from calculator.report import (
    _WORDS,
    comparison_json,
    comparison_report,
    problem_json,
    result_json,
    scheme_json,
    text_report,
)
from calculator.tiers import PASS_MINIMUM, SPECIAL_DEDUCTIONS_FAIL
from tests.strategies import assessments, dumps

RESULT_KEYS = {
    "mode", "score", "tier", "passed", "fail_reason", "provisional", "best", "special_deductions",
    "special_bonus", "categories", "unanswered", "next_tier", "improvements", "indicators",
    "organisation", "assessor", "assessment_date",
}


def test_result_json_has_every_documented_field() -> None:
    """The JSON result carries score, tier, pass, provisional range, categories, next tier, advice."""
    data = result_json(evaluate_text('{"indicators": {"repair": {"status": "nonconforming"}}}'))
    assert set(data) == RESULT_KEYS
    assert set(data["best"]) == {"score", "tier"}
    assert set(data["categories"][0]) == {"id", "points", "applicable", "earned", "unanswered", "percent"}
    assert set(data["improvements"][0]) == {"indicator", "category", "status", "gain", "tier"}
    assert set(data["indicators"][0]) == {"indicator", "category", "status", "points", "earned"}
    json.dumps(data)


@settings(max_examples=200)
@given(assessments())
def test_result_json_round_trips(data: dict[str, Any]) -> None:
    """The result's JSON text reads back to the same data, every number with at most 2 decimals."""
    result = result_json(evaluate_text(dumps(data)))
    text = json.dumps(result)
    back = json.loads(text, parse_float=Decimal)
    assert json.loads(text) == result
    numbers = [back["score"], back["best"]["score"]] + [c["earned"] for c in back["categories"]]
    assert all(-Decimal(n).as_tuple().exponent <= 2 for n in numbers if isinstance(n, Decimal))


def test_scheme_json_has_the_documented_shape() -> None:
    """The JSON form lists categories with names, points and indicators, and the tier table."""
    data = scheme_json(load_scheme())
    assert data["id"] == "gbt-27922-2011"
    category = data["categories"][2]
    assert category["name"] == {"en": "Customer service", "zh": "顾客服务"}
    assert category["points"] == 25
    assert set(category["indicators"][0]) == {"id", "name", "description", "points"}
    assert [(t["id"], t["minimum"], t["stars"]) for t in data["tiers"]] == [
        ("fail", 0, 0),
        ("standard", 70, 0),
        ("three-star", 80, 3),
        ("four-star", 90, 4),
        ("five-star", 95, 5),
    ]
    assert data["special_deductions_fail"] == 5
    assert data["pass_minimum"] == 70


def test_problem_json_has_code_pointer_message_and_params() -> None:
    """A problem as JSON: its code, its field as a JSON Pointer, the message in the language asked
    for (with the scheme's names) and its params as given."""
    with pytest.raises(InvalidAssessment) as caught:
        evaluate_text('{"indicators": {"repair": {"status": "scored", "points": 9}}}')
    (problem,) = caught.value.problems
    assert problem_json(problem, "zh", load_scheme()) == {
        "code": "out_of_range",
        "path": "/indicators/repair/points",
        "message": "“维修”的得分必须在 0 到 7 之间，而不是 9。",
        "params": {"min": "0", "max": "7", "got": "9"},
    }
    whole = problem_json(Problem("not_object", (), {"got": "[1]"}), "fr")
    assert (whole["path"], whole["message"]) == ("", "The assessment must be a JSON object ({...}), not [1].")


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


def test_the_reasons_for_failing_come_from_the_tier_table() -> None:
    """Both reasons, in both languages, give the pass minimum and the special-deduction count of
    the tier table; an unknown language reads in English."""
    scheme = load_scheme()
    low, deducted = evaluate_text('{"total": 50}'), evaluate_text('{"total": 99, "special_deductions": 5}')
    for lang in LANGUAGES:
        assert plain(PASS_MINIMUM) in text_report(low, scheme, lang).splitlines()[2]
        assert str(SPECIAL_DEDUCTIONS_FAIL) in text_report(deducted, scheme, lang).splitlines()[2]
    assert text_report(low, scheme, "fr") == text_report(low, scheme)
    assert "得分低于 70 分" in text_report(low, scheme, "zh")


def test_the_report_has_every_word_in_every_language() -> None:
    """The report's words are given in each of the package's languages, the same words in each."""
    assert set(_WORDS) == set(LANGUAGES)
    assert all(set(words) == set(_WORDS[LANGUAGES[0]]) for words in _WORDS.values())


def test_comparison_json_has_every_documented_field() -> None:
    """The comparison: the earlier sheet and whether it is the one in use, the earlier result,
    the changes, per category then and now, and the indicators better and worse."""
    scheme = load_scheme()
    earlier = '{"indicators": {"repair": {"status": "sampled", "samples": 3, "nonconforming": 1}}}'
    now = parse_assessment('{"indicators": {"repair": {"status": "conforms"}}}')
    data = json.loads(json.dumps(comparison_json(compare_text(earlier, now, scheme))))
    assert set(data) == {"scheme", "same_scheme", "earlier", "score_change", "tier_change", "categories", "better", "worse"}
    assert data["earlier"] == {"mode": "full", "score": 4.66, "tier": "fail", "provisional": True}
    assert data["score_change"] == 2.34  # 7.00 now less 4.66 then (7 × 2/3 = 4.666…)
    commodity = data["categories"][1]
    assert commodity["earlier"] == {"earned": 4.66, "applicable": 35, "percent": 13.33}
    assert commodity["now"]["earned"] == 7 and commodity["change"] == 2.34
    assert data["better"] == [
        {
            "indicator": "repair",
            "category": "commodity-service",
            "earlier": {"status": "sampled", "points": 4.66},
            "now": {"status": "conforms", "points": 7},
            "change": 2.34,
        }
    ]
    assert data["worse"] == []


def test_comparison_report_in_both_languages() -> None:
    scheme = load_scheme()
    now = parse_assessment('{"indicators": {"repair": {"status": "nonconforming"}}}')
    c = compare_text('{"indicators": {"repair": {"status": "conforms"}}}', now, scheme)
    assert "  Repair and maintenance: 7.00 → 0.00 (-7.00)" in comparison_report(c, scheme).splitlines()
    assert "退步" in comparison_report(c, scheme, "zh")
    other = compare_text('{"scheme": "acme", "total": 80}', now, scheme)
    assert "“acme”, which is not loaded" in comparison_report(other, scheme)


def test_result_json_echoes_the_details_given() -> None:
    """Organisation, assessor and date come back as given (trimmed, the date as YYYY-MM-DD), and
    as null when not given."""
    given = result_json(evaluate_text(
        '{"organisation": " Acme ", "assessor": "李明", "assessment_date": "２０２６－０３－３１", "total": 80}'
    ))
    assert (given["organisation"], given["assessor"], given["assessment_date"]) == ("Acme", "李明", "2026-03-31")
    none = result_json(evaluate_text('{"total": 80}'))
    assert (none["organisation"], none["assessor"], none["assessment_date"]) == (None, None, None)


def test_result_json_gives_every_indicator_with_its_answer_and_points() -> None:
    """In the full form each indicator of the sheet is listed in the sheet's order with its
    answer, its points and what it earns (truncated; null when excluded or unanswered)."""
    data = result_json(evaluate_text(json.dumps({"indicators": {
        "repair": {"status": "sampled", "samples": 3, "nonconforming": 1},
        "delivery": {"status": "excluded"},
        "organisation": {"status": "conforms"},
    }})))
    scheme = load_scheme()
    assert [row["indicator"] for row in data["indicators"]] == [i.id for i in scheme.indicators]
    rows = {row["indicator"]: row for row in data["indicators"]}
    assert rows["repair"] == {"indicator": "repair", "category": rows["repair"]["category"], "status": "sampled",
                              "points": 7, "earned": 4.66}
    assert (rows["delivery"]["status"], rows["delivery"]["earned"]) == ("excluded", None)
    assert (rows["organisation"]["status"], rows["organisation"]["earned"]) == ("conforms", rows["organisation"]["points"])
    assert (rows["complaint-handling"]["status"], rows["complaint-handling"]["earned"]) == ("unanswered", None)
    assert result_json(evaluate_text('{"total": 80}'))["indicators"] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_report_gives_the_details_first(lang: str) -> None:
    """The report names the organisation, the assessor and the date under its title, each only
    when given."""
    text = '{"organisation": "Acme", "assessor": "李明", "assessment_date": "2026-03-31", "total": 80}'
    lines = text_report(evaluate_text(text), load_scheme(), lang).splitlines()
    words = _WORDS[lang]
    assert lines[1:4] == [f"{words['organisation']}: Acme", f"{words['assessor']}: 李明",
                          f"{words['assessment_date']}: 2026-03-31"]
    bare = text_report(evaluate_text('{"assessor": "李明", "total": 80}'), load_scheme(), lang).splitlines()
    assert bare[1] == f"{words['assessor']}: 李明" and bare[2].startswith(words["score"])
