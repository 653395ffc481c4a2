"""Errors: each problem's message names the field and what is allowed, in each language."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculator import errors, scheme
from calculator.assessment import parse_assessment
from calculator.errors import (
    _INDICATOR_LABELS,
    _LABELS,
    _MESSAGES,
    _TOP_LABELS,
    CODES,
    InvalidAssessment,
    Problem,
    field_label,
)
from calculator.languages import LANGUAGES
from calculator.report import problem_json
from calculator.scheme import load_scheme


def entry(answer: Any) -> str:
    return json.dumps({"indicators": {"repair": answer}})


def test_messages_name_the_field_and_the_allowed_values() -> None:
    """A message says which field, what is allowed and what was given, in English or Chinese."""
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(entry({"status": "scored", "points": 9}), load_scheme())
    problem = caught.value.problems[0]
    assert problem.message("en", load_scheme()) == (
        "The points for “Repair and maintenance” must be from 0 to 7, not 9."
    )
    assert problem.message("zh", load_scheme()) == "“维修”的得分必须在 0 到 7 之间，而不是 9。"
    assert problem_json(problem, "en")["params"] == {"min": "0", "max": "7", "got": "9"}


@pytest.mark.parametrize("code", sorted(set(CODES)))
def test_every_code_has_a_message_in_both_languages(code: str) -> None:
    """Every code renders in English and in Chinese with the params it is given."""
    params = {"min": "0", "max": "7", "got": "x", "allowed": ["a", "b"], "detail": "d", "line": 1,
              "column": 2, "size": 2, "limit": 1, "places": 6, "expected": "e", "length": 201}
    problem = Problem(code, ("indicators", "repair", "points"), params)
    english, chinese = problem.message("en"), problem.message("zh")
    assert english and english[0].isupper() and "{" not in english.replace("{...}", "")
    assert chinese and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_every_message_and_label_is_given_in_each_language() -> None:
    """Each message template and each field label is written in every language of the package,
    and in no other."""
    tables = [*_MESSAGES.values(), *_LABELS.values(), *_TOP_LABELS.values(), *_INDICATOR_LABELS.values()]
    assert all(set(table) == set(LANGUAGES) for table in tables)


FIELDS = [
    ((), "the assessment", "评估数据"),
    (("total",), "the total score", "总分"),
    (("scheme",), "the scoring sheet (“scheme”)", "评分表（“scheme”）"),
    (("other",), "“other”", "“other”"),
    (("indicators",), "the indicators", "指标"),
    (("indicators", "repair"), "the indicator “Repair and maintenance”", "指标“维修”"),
    (("indicators", "nope"), "the indicator “nope”", "指标“nope”"),
    (("indicators", "repair", "status"), "the answer for “Repair and maintenance”", "“维修”的评价结果"),
    (("indicators", "repair", "x"), "“x” of “Repair and maintenance”", "“维修”的“x”"),
    (("a", "b"), "a/b", "a/b"),
]


@pytest.mark.parametrize(("path", "english", "chinese"), FIELDS)
def test_each_field_has_a_readers_name(path: tuple[str, ...], english: str, chinese: str) -> None:
    """The whole document, a top-level field, an indicator and an indicator's field are each
    named for a reader, an indicator by its name in the scheme; an unknown language is English."""
    assert field_label(path, "en", load_scheme()) == english
    assert field_label(path, "zh", load_scheme()) == chinese
    assert field_label(path, "fr", load_scheme()) == english


def test_without_a_scheme_an_indicator_is_named_by_its_id() -> None:
    """With no scheme to look the name up in, an indicator is called by its id."""
    assert field_label(("indicators", "repair", "samples"), "zh") == "“repair”的抽样数"


def test_lists_are_joined_the_way_each_language_writes_them() -> None:
    """Allowed values are listed with a comma in English and an enumeration comma in Chinese."""
    problem = Problem("unknown_key", ("x",), {"allowed": ["a", "b"]})
    assert problem.message("en") == "“x” is not a known field here; allowed: a, b."
    assert problem.message("zh") == "“x”不是此处可用的字段；可用字段：a、b。"


@pytest.mark.parametrize(("limit", "megabytes"), [(1_000_000, "1"), (2_500_000, "2.5")])
def test_the_size_limit_is_also_given_in_megabytes(limit: int, megabytes: str) -> None:
    """A text over the limit is told the limit in bytes and in megabytes, both from the limit."""
    problem = Problem("too_large", (), {"size": limit + 1, "limit": limit})
    assert problem.message("en") == (
        f"The assessment is {limit + 1} bytes; at most {limit} bytes ({megabytes} MB) are accepted."
    )
    assert f"（{megabytes} MB）" in problem.message("zh")


def test_invalid_assessment_lists_every_problem_by_pointer() -> None:
    """The exception's text has a line per problem, its JSON Pointer first ("(document)" for the
    whole); messages() gives the same lines in another language."""
    failure = InvalidAssessment(
        [Problem("not_object", (), {"got": "[1]"}), Problem("not_boolean", ("special_bonus",), {"got": "1"})]
    )
    assert str(failure).splitlines() == [
        "(document): The assessment must be a JSON object ({...}), not [1].",
        "/special_bonus: The special bonus must be true or false, not 1.",
    ]
    assert failure.messages("zh")[1] == "/special_bonus: 特别加分项必须是 true（有）或 false（无），而不是 1。"


def test_scheme_errors_are_still_found_here() -> None:
    """SchemeError is at home in calculator.scheme and still importable from calculator.errors."""
    assert errors.SchemeError is scheme.SchemeError


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ('{"organisation": 12}', "The organisation must be text of at most 200 characters, not 12.",
         "受评组织必须是不超过 200 个字符的文字，而不是 12。"),
        ('{"assessor": "' + "x" * 201 + '"}', "The assessor has 201 characters; at most 200 are allowed.",
         "评估人有 201 个字符，最多只能有 200 个。"),
        ('{"assessment_date": "31/03/2026"}',
         'The assessment date must be a date written YYYY-MM-DD, such as 2026-03-31, not "31/03/2026".',
         "评估日期必须是按“年-月-日”（YYYY-MM-DD）书写的日期，例如 2026-03-31，而不是 \"31/03/2026\"。"),
    ],
)
def test_the_details_messages_name_the_field_and_what_is_allowed(text: str, english: str, chinese: str) -> None:
    """The organisation, the assessor and the date each have their own name in the message, with
    the limit or the form a date takes."""
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(text)
    assert [p.message("en") for p in caught.value.problems] == [english]
    assert [p.message("zh") for p in caught.value.problems] == [chinese]
