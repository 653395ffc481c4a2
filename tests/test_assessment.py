"""Reading assessments: every validation error, with its code, field and message."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from calculator.assessment import MAX_BYTES, MAX_DEPTH, parse_assessment
from calculator.errors import CODES, InvalidAssessment
from calculator.scheme import load_scheme
from tests.strategies import assessments, dumps


def problems(text: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(text)
    return [(p.code, p.pointer) for p in caught.value.problems]


def entry(answer: Any) -> str:
    return json.dumps({"indicators": {"repair": answer}})


INVALID = [
        ("", [("not_json", "")]),
        ("{", [("not_json", "")]),
        ("[1, 2]", [("not_object", "")]),
        ('"text"', [("not_object", "")]),
        ("null", [("not_object", "")]),
        ('{"totl": 80}', [("unknown_key", "/totl")]),
        ('{"total": 80, "total": 90}', [("duplicate_key", "/total")]),
        ('{"total": 80, "indicators": {}}', [("conflicting_keys", "")]),
        ('{"total": 100.01}', [("out_of_range", "/total")]),
        ('{"total": -0.01}', [("out_of_range", "/total")]),
        ('{"total": "80"}', [("not_a_number", "/total")]),
        ('{"total": ""}', [("required", "/total")]),
        ('{"total": true}', [("not_a_number", "/total")]),
        ('{"total": null}', [("not_a_number", "/total")]),
        ('{"total": NaN}', [("not_finite", "/total")]),
        ('{"total": Infinity}', [("not_finite", "/total")]),
        ('{"total": -Infinity}', [("not_finite", "/total")]),
        ('{"total": 1e999999999}', [("out_of_range", "/total")]),
        ('{"total": 80.0000001}', [("too_precise", "/total")]),
        ('{"special_deductions": -1}', [("out_of_range", "/special_deductions")]),
        ('{"special_deductions": 1.5}', [("not_whole", "/special_deductions")]),
        ('{"special_deductions": 101}', [("out_of_range", "/special_deductions")]),
        ('{"special_deductions": "2"}', [("not_a_number", "/special_deductions")]),
        ('{"special_deductions": false}', [("not_a_number", "/special_deductions")]),
        ('{"special_bonus": 1}', [("not_boolean", "/special_bonus")]),
        ('{"special_bonus": "true"}', [("not_boolean", "/special_bonus")]),
        ('{"indicators": []}', [("not_object", "/indicators")]),
        ('{"indicators": {"repairs": {"status": "conforms"}}}', [("unknown_indicator", "/indicators/repairs")]),
        (entry("conforms"), [("not_object", "/indicators/repair")]),
        (entry({}), [("missing_key", "/indicators/repair/status")]),
        (entry({"status": "ok"}), [("unknown_status", "/indicators/repair/status")]),
        (entry({"status": 1}), [("unknown_status", "/indicators/repair/status")]),
        (entry({"status": "conforms", "points": 3}), [("unknown_key", "/indicators/repair/points")]),
        (entry({"status": "scored"}), [("required", "/indicators/repair/points")]),
        (entry({"status": "scored", "points": 7.5}), [("out_of_range", "/indicators/repair/points")]),
        (entry({"status": "scored", "points": -1}), [("out_of_range", "/indicators/repair/points")]),
        (entry({"status": "scored", "points": "x"}), [("not_a_number", "/indicators/repair/points")]),
        (entry({"status": "sampled", "samples": 0, "nonconforming": 0}), [("out_of_range", "/indicators/repair/samples")]),
        (entry({"status": "sampled", "samples": 2.5, "nonconforming": 0}), [("not_whole", "/indicators/repair/samples")]),
        (entry({"status": "sampled", "samples": 3, "nonconforming": 4}), [("out_of_range", "/indicators/repair/nonconforming")]),
        (entry({"status": "sampled", "samples": 3, "nonconforming": -1}), [("out_of_range", "/indicators/repair/nonconforming")]),
        (entry({"status": "sampled", "samples": 3, "nonconforming": 0.5}), [("not_whole", "/indicators/repair/nonconforming")]),
        (entry({"status": "sampled", "samples": 3}), [("required", "/indicators/repair/nonconforming")]),
        (
            json.dumps({"indicators": {i.id: {"status": "excluded"} for i in load_scheme().indicators}}),
            [("all_excluded", "/indicators")],
        ),
]


@pytest.mark.parametrize(("text", "expected"), INVALID)
def test_each_invalid_input_is_named(text: str, expected: list[tuple[str, str]]) -> None:
    """Each kind of invalid input gives its stable code at the path of the offending field."""
    assert problems(text) == expected


def test_every_error_code_is_exercised() -> None:
    """The table above covers every documented code but too_large (tested on its own)."""
    tested = {code for _, expected in INVALID for code, _ in expected}
    assert tested | {"too_large"} == set(CODES)


def test_every_problem_is_reported_at_once() -> None:
    """All problems come back together, so the page can mark every field."""
    text = '{"total": "x", "special_deductions": -2, "special_bonus": 0, "extra": 1}'
    assert problems(text) == [
        ("unknown_key", "/extra"),
        ("out_of_range", "/special_deductions"),
        ("not_boolean", "/special_bonus"),
        ("not_a_number", "/total"),
    ]


def test_too_large_text_is_refused_before_reading() -> None:
    """Anything over 1 MB is refused with its size; 1 MB exactly is read."""
    padding = " " * (MAX_BYTES - len('{"total": 80}'))
    assert parse_assessment('{"total": 80}' + padding).total == 80
    assert problems('{"total": 80}' + padding + " ") == [("too_large", "")]


def test_bytes_that_are_not_utf8_are_not_json() -> None:
    """A binary file is refused as not JSON."""
    assert problems(b"\xff\xfe{}") == [("not_json", "")]


def test_deep_nesting_is_not_json() -> None:
    """Nesting too deep for the parser is reported, not raised."""
    assert problems("[" * 100_000) == [("not_json", "")]


def test_messages_name_the_field_and_the_allowed_values() -> None:
    """A message says which field, what is allowed and what was given, in English or Chinese."""
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(entry({"status": "scored", "points": 9}), load_scheme())
    problem = caught.value.problems[0]
    assert problem.message("en", load_scheme()) == (
        "The points for “Repair and maintenance” must be from 0 to 7, not 9."
    )
    assert problem.message("zh", load_scheme()) == "“维修”的得分必须在 0 到 7 之间，而不是 9。"
    assert problem.to_json("en")["params"] == {"min": "0", "max": "7", "got": "9"}


@pytest.mark.parametrize("code", sorted(set(CODES)))
def test_every_code_has_a_message_in_both_languages(code: str) -> None:
    """Every code renders in English and in Chinese with the params it is given."""
    from calculator.errors import Problem

    params = {"min": "0", "max": "7", "got": "x", "allowed": ["a", "b"], "detail": "d", "line": 1,
              "column": 2, "size": 2, "limit": 1, "places": 6}
    problem = Problem(code, ("indicators", "repair", "points"), params)
    english, chinese = problem.message("en"), problem.message("zh")
    assert english and english[0].isupper() and "{" not in english.replace("{...}", "")
    assert chinese and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_numbers_are_read_as_exact_decimals() -> None:
    """0.1 is one tenth, not the nearest binary float."""
    answer = parse_assessment(entry({"status": "scored", "points": 0.1})).answers["repair"]  # type: ignore[index]
    assert answer.points == Decimal("0.1")


def test_whole_numbers_may_be_written_with_a_zero_fraction() -> None:
    """3.0 samples are 3 samples."""
    answer = parse_assessment(entry({"status": "sampled", "samples": 3.0, "nonconforming": 1}))
    assert answer.answers["repair"].samples == 3  # type: ignore[index]


@settings(max_examples=300)
@given(assessments())
def test_assessment_json_round_trips(data: dict[str, Any]) -> None:
    """Writing an assessment to JSON and reading it back gives an equal assessment."""
    assessment = parse_assessment(dumps(data))
    assert parse_assessment(json.dumps(assessment.to_json())) == assessment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"total": 1e9999999999999999999}', [("out_of_range", "/total")]),
        ('{"total": -1e-9999999}', [("out_of_range", "/total")]),
        ('{"total": 1e-9999999}', [("too_precise", "/total")]),
        ('{"special_deductions": 1e-9999999}', [("not_whole", "/special_deductions")]),
        ('{"special_deductions": 1e+9999999}', [("out_of_range", "/special_deductions")]),
    ],
)
def test_numbers_beyond_every_scale_are_named_not_raised(text: str, expected: list[tuple[str, str]]) -> None:
    """A number whose exponent has more than six digits gets its field's message, the same on every
    platform (the decimal module cannot even hold such exponents on 32-bit builds such as Pyodide's,
    nor beyond about 1e18 on 64-bit ones), and is shown as typed."""
    assert problems(text) == expected
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(text)
    assert caught.value.problems[0].params["got"] == text.split(": ")[1].rstrip("}")


def test_zero_with_a_huge_exponent_is_zero() -> None:
    """``0e99999999999`` is zero, a valid total."""
    assert parse_assessment('{"total": 0e99999999999}').total == 0


def test_nesting_is_refused_past_its_limit_only() -> None:
    """Lists nested MAX_DEPTH deep are decoded (and refused as not an object); one level more is
    refused as not JSON before decoding, whose recursion would overflow the browser's stack."""
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert problems(deepest) == [("not_object", "")]
    deeper = "[" + deepest + "]"
    assert problems(deeper) == [("not_json", "")]
    assert problems('{"note": "' + "[" * 1000 + '", "total": 80}') == [("unknown_key", "/note")]
