"""Reading assessments: every validation error with its code and field, and writing one back."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.assessment import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_TEXT_LENGTH,
    Answer,
    Assessment,
    Details,
    check_assessment,
    named_scheme,
    parse_assessment,
    typed_number,
)
from calculator.errors import CODES, InvalidAssessment
from calculator.scheme import DEFAULT_SCHEME, load_scheme, parse_scheme
from tests.strategies import assessments, dumps, typed_numbers


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
        ('{"total": "80,5"}', [("not_a_number", "/total")]),
        ('{"total": "８０，５"}', [("not_a_number", "/total")]),
        ('{"total": "8 0"}', [("not_a_number", "/total")]),
        ('{"total": "80。"}', [("not_a_number", "/total")]),
        ('{"total": "。5"}', [("not_a_number", "/total")]),
        ('{"total": "++80"}', [("not_a_number", "/total")]),
        ('{"total": "\u3000"}', [("required", "/total")]),
        ('{"total": "１０１"}', [("out_of_range", "/total")]),
        ('{"total": "－１"}', [("out_of_range", "/total")]),
        ('{"total": "٨٠"}', [("not_a_number", "/total")]),
        ('{"organisation": 12}', [("not_text", "/organisation")]),
        ('{"assessor": null}', [("not_text", "/assessor")]),
        ('{"assessor": "' + "x" * (MAX_TEXT_LENGTH + 1) + '"}', [("too_long", "/assessor")]),
        ('{"assessment_date": "2026-02-29"}', [("not_a_date", "/assessment_date")]),
        ('{"assessment_date": "2026-3-31"}', [("not_a_date", "/assessment_date")]),
        ('{"assessment_date": "20260331"}', [("not_a_date", "/assessment_date")]),
        ('{"assessment_date": 2026}', [("not_a_date", "/assessment_date")]),
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
        ('{"special_deductions": "2 items"}', [("not_a_number", "/special_deductions")]),
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
        ('{"scheme": "acme-2025", "total": 80}', [("scheme_mismatch", "/scheme")]),
        ('{"scheme": 7, "total": 80}', [("scheme_mismatch", "/scheme")]),
        ('{"scheme": "", "total": 80}', [("scheme_mismatch", "/scheme")]),
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


def sized(size: int) -> str:
    """Assessment text of exactly ``size`` UTF-8 bytes but about half as many characters: a
    note of two-byte letters ("é") after a total of 80."""
    head, tail = '{"total": 80, "note": "', '"}'
    spare = size - len(head) - len(tail)
    text = head + " " * (spare % 2) + "é" * (spare // 2) + tail
    assert len(text.encode("utf-8")) == size and len(text) < size * 0.6
    return text


@pytest.mark.parametrize("as_bytes", [False, True])
def test_the_size_limit_is_1_000_000_utf8_bytes(as_bytes: bool) -> None:
    """The documented limit, 1,000,000 bytes, counts UTF-8 bytes, not characters, whether the
    text comes as str or bytes: one byte more is refused with its size, before reading; exactly
    the limit is read (and here finds only the unknown "note")."""
    at, over = sized(1_000_000), sized(1_000_001)
    if as_bytes:
        at, over = at.encode("utf-8"), over.encode("utf-8")  # type: ignore[assignment]
    assert problems(at) == [("unknown_key", "/note")]
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(over)
    (problem,) = caught.value.problems
    assert (problem.code, dict(problem.params)) == ("too_large", {"size": 1_000_001, "limit": 1_000_000})


def sampled(samples: Any, nonconforming: Any) -> str:
    return entry({"status": "sampled", "samples": samples, "nonconforming": nonconforming})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (sampled(1_000_000, 0), []),
        (sampled(1_000_000, 1_000_000), []),
        (sampled(1_000_001, 0), [("out_of_range", "/indicators/repair/samples")]),
        (sampled(1, 1), []),
        (sampled(1, 0), []),
        (sampled(3, 3), []),
        # With the samples unreadable, the nonconforming ones are held to the largest sample.
        (sampled("x", 1_000_000), [("not_a_number", "/indicators/repair/samples")]),
        (sampled("x", 1_000_001), [("not_a_number", "/indicators/repair/samples"),
                                   ("out_of_range", "/indicators/repair/nonconforming")]),
        ('{"special_deductions": 100}', []),
        ('{"special_deductions": 0}', []),
        ('{"total": 0}', []),
        ('{"total": 100}', []),
        (entry({"status": "scored", "points": 7}), []),
        (entry({"status": "scored", "points": 0}), []),
        ('{"total": 80.000001}', []),
        ('{"total": 0.000001}', []),
        ('{"total": 80.00000000}', []),  # trailing zeros are not places
        ('{"total": 8E+1}', []),
        ('{"total": 80.0000001}', [("too_precise", "/total")]),
        (entry({"status": "scored", "points": 6.1234567}), [("too_precise", "/indicators/repair/points")]),
    ],
)
def test_documented_limits_on_both_sides(text: str, expected: list[tuple[str, str]]) -> None:
    """Each documented limit, as the number the documentation gives: up to 1,000,000 samples
    (and as many nonconforming), up to 100 special deductions, a total from 0 to 100, points up
    to the indicator's, six decimal places (trailing zeros do not count)."""
    if expected:
        assert problems(text) == expected
    else:
        parse_assessment(text)


def test_a_utf8_byte_order_mark_is_allowed() -> None:
    """A file saved with a UTF-8 byte-order mark (as some Windows editors do) reads as without."""
    assert parse_assessment(b"\xef\xbb\xbf" + b'{"total": 80}').total == 80


def test_every_repeated_and_every_unknown_key_is_reported() -> None:
    """Not only the first: each key given twice (sorted), then each unknown key (in the text's
    order), at every level; an answer without a status still has its unknown keys named."""
    text = (
        '{"total": 80, "total": 81, "special_bonus": true, "special_bonus": false, "a": 1, "b": 2}'
    )
    assert problems(text) == [
        ("duplicate_key", "/special_bonus"),
        ("duplicate_key", "/total"),
        ("unknown_key", "/a"),
        ("unknown_key", "/b"),
    ]
    nested = json.dumps({"indicators": {
        "foo": {}, "bar": {},
        "repair": {"status": "conforms", "x": 1, "y": 2},
        "delivery": {"p": 1, "q": 2},
    }})
    assert problems(nested) == [
        ("unknown_indicator", "/indicators/foo"),
        ("unknown_indicator", "/indicators/bar"),
        ("missing_key", "/indicators/delivery/status"),
        ("unknown_key", "/indicators/delivery/p"),
        ("unknown_key", "/indicators/delivery/q"),
        ("unknown_key", "/indicators/repair/x"),
        ("unknown_key", "/indicators/repair/y"),
    ]


def test_special_items_and_answers_are_read_as_given() -> None:
    """The special items, and each answer's status and figures, are what the text says; missing
    ones default to none (0 deductions, no bonus), and indicators keep the sheet's order."""
    assessment = parse_assessment(json.dumps({
        "indicators": {
            "repair": {"status": "sampled", "samples": 9, "nonconforming": 2},
            "organisation": {"status": "scored", "points": 4.5},
            "delivery": {"status": "excluded"},
        },
        "special_deductions": 3,
        "special_bonus": True,
    }))
    assert (assessment.special_deductions, assessment.special_bonus, assessment.total) == (3, True, None)
    assert assessment.answers == {
        "organisation": Answer("scored", points=Decimal("4.5")),
        "delivery": Answer("excluded"),
        "repair": Answer("sampled", samples=9, nonconforming=2),
    }
    assert list(assessment.answers) == ["organisation", "delivery", "repair"]  # type: ignore[arg-type]
    empty = parse_assessment("{}")
    assert (empty.answers, empty.total, empty.special_deductions, empty.special_bonus) == ({}, None, 0, False)
    assert parse_assessment('{"special_bonus": false}').special_bonus is False


def test_an_assessment_built_in_code_has_no_special_items_by_default() -> None:
    """Assessment(...) without special items means none, as in the text format: no deduction,
    no bonus; a total alone equals the same total read from JSON."""
    built = Assessment(total=Decimal(80))
    assert (built.special_deductions, built.special_bonus, built.answers) == (0, False, None)
    assert built == parse_assessment('{"total": 80}')


def test_a_missing_number_gives_the_range_but_no_given_value() -> None:
    """"required" says what to enter (min and max) and, nothing having been given, no "got";
    every other number problem also says what was given."""
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(entry({"status": "sampled", "samples": "", "nonconforming": -1}))
    required, out_of_range = caught.value.problems
    assert (required.code, dict(required.params)) == ("required", {"min": "1", "max": "1000000"})
    assert (out_of_range.code, dict(out_of_range.params)) == (
        "out_of_range", {"min": "0", "max": "1000000", "got": "-1"}
    )


def test_answers_are_checked_against_the_scheme_given() -> None:
    """A certification body's own sheet is the one answers are read against: its indicators are
    known and their points are the bounds, the shipped sheet's are not."""
    data = json.loads(DEFAULT_SCHEME.read_text(encoding="utf-8"))
    data["categories"][1]["indicators"][3].update(id="repair-and-maintenance", points=5)
    data["categories"][1]["indicators"][0]["points"] = 7
    scheme = parse_scheme(json.loads(json.dumps(data), parse_float=Decimal, parse_int=Decimal))
    text = json.dumps({"indicators": {"repair-and-maintenance": {"status": "scored", "points": 5}}})
    assert parse_assessment(text, scheme).answers["repair-and-maintenance"].points == 5  # type: ignore[index]
    too_many = text.replace('"points": 5', '"points": 6')
    with pytest.raises(InvalidAssessment) as caught:
        check_assessment(json.loads(too_many, parse_float=Decimal, parse_int=Decimal), scheme)
    assert [(p.code, p.pointer) for p in caught.value.problems] == [
        ("out_of_range", "/indicators/repair-and-maintenance/points")
    ]
    assert problems(text) == [("unknown_indicator", "/indicators/repair-and-maintenance")]


@pytest.mark.parametrize("status", ["nonconforming", "conforms"])
def test_only_excluding_every_indicator_is_refused(status: str) -> None:
    """all_excluded is for every indicator excluded, not for every one answered: 15 answered
    alike (and 14 excluded with one left) are read."""
    ids = [i.id for i in load_scheme().indicators]
    parse_assessment(json.dumps({"indicators": {i: {"status": status} for i in ids}}))
    parse_assessment(json.dumps({"indicators": {i: {"status": "excluded"} for i in ids[1:]}}))


def test_assessments_cannot_be_changed_once_read() -> None:
    """A read assessment and its answers are frozen, and its answers cannot be replaced."""
    assessment = parse_assessment(entry({"status": "conforms"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        assessment.total = Decimal(100)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        assessment.answers["repair"].status = "excluded"  # type: ignore[index, misc]
    with pytest.raises(TypeError):
        assessment.answers["repair"] = Answer("excluded")  # type: ignore[index]


def where(text: str | bytes) -> tuple[int, int]:
    """The line and column a not_json problem points at."""
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(text)
    params = caught.value.problems[0].params
    return params["line"], params["column"]


def test_bytes_that_are_not_utf8_are_not_json() -> None:
    """A binary file is refused as not JSON, pointing at its start (line 1, column 1)."""
    assert problems(b"\xff\xfe{}") == [("not_json", "")]
    assert where(b"\xff\xfe{}") == (1, 1)


def test_deep_nesting_is_not_json() -> None:
    """Nesting too deep for the parser is reported, not raised, at the start of the text."""
    assert problems("[" * 100_000) == [("not_json", "")]
    assert where("[" * 100_000) == (1, 1)
    assert where('{"total":\n  8o}') == (2, 4)  # elsewhere, where the parser stopped: the o


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("x" * 38, '"' + "x" * 38 + '"'),  # 40 characters with the quotes: shown whole
        ("x" * 39, '"' + "x" * 38 + "…"),  # 41: cut to 39 and an ellipsis
        ("中" * 50, '"' + "中" * 38 + "…"),  # in characters, not bytes
    ],
)
def test_what_was_given_is_shown_at_most_40_characters_long(given: str, shown: str) -> None:
    """A message quotes the value given as JSON, cut to 40 characters (the last an ellipsis), so a
    long paste does not flood the page."""
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(json.dumps({"total": given}))
    assert caught.value.problems[0].params["got"] == shown


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


def test_the_sheet_named_is_the_one_in_use_or_none() -> None:
    """An assessment may name the sheet it was made under: the sheet in use is accepted, kept,
    and written back first; one that names none is read under whichever sheet is given."""
    scheme = load_scheme()
    named = parse_assessment(json.dumps({"scheme": scheme.id, "total": 80}))
    assert named.scheme == scheme.id
    assert list(named.to_json()) == ["scheme", "total", "special_deductions", "special_bonus"]
    assert parse_assessment(json.dumps(named.to_json())) == named
    assert parse_assessment('{"total": 80}').scheme is None
    assert "scheme" not in parse_assessment('{"total": 80}').to_json()


def test_a_sheet_named_wrongly_is_reported_with_both_ids() -> None:
    """The message names the field, the sheet the file names and the one in use, in each language."""
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment('{"scheme": "acme-2025", "total": 80}')
    (problem,) = caught.value.problems
    for lang in ("en", "zh"):
        message = problem.message(lang, load_scheme())
        assert "acme-2025" in message and "gbt-27922-2011" in message and "scheme" in message


def test_named_scheme_reads_only_the_key() -> None:
    """named_scheme gives the id a text names, None for none or for a value that is not text."""
    assert named_scheme('{"scheme": "acme", "indicators": {"nope": 1}}') == "acme"
    assert named_scheme('{"scheme": 3}') is None
    assert named_scheme("[1]") is None
    with pytest.raises(InvalidAssessment):
        named_scheme("{")


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("85.5", "85.5"),
        (" 85.5\t", "85.5"),
        ("\u3000８５．５\u3000", "85.5"),
        ("８５。５", "85.5"),
        ("＋７", "7"),
        ("+7", "7"),
        ("－０．５", "-0.5"),
        ("１e２", "1e2"),
        ("85,5", None),
        ("85。", None),
        ("0８5", None),
        ("8\u30005", None),
        ("８５．５分", None),
        ("+-5", None),
        ("٨٥", None),  # other scripts' digits are not what a Chinese input method types
        ("", None),
    ],
)
def test_typed_numbers_are_read_as_the_same_numbers(typed: str, number: str | None) -> None:
    """Full-width digits, full stop and signs, the ideographic full stop between digits and spaces
    around a number read as the ASCII number; anything else is not a number."""
    assert typed_number(typed) == number


def test_numbers_given_as_typed_text_are_read_exactly() -> None:
    """A number given as text (as the page sends what was typed) is the same exact number."""
    data = {
        "indicators": {"repair": {"status": "sampled", "samples": "１０", "nonconforming": " 3 "}},
        "special_deductions": "\u3000２",
    }
    typed = parse_assessment(json.dumps(data))
    plain = parse_assessment('{"indicators": {"repair": {"status": "sampled", "samples": 10,'
                             ' "nonconforming": 3}}, "special_deductions": 2}')
    assert typed == plain
    assert parse_assessment('{"total": "８５．５"}').total == Decimal("85.5")
    assert parse_assessment('{"total": "０．１"}').total == Decimal("0.1")


@settings(max_examples=200)
@given(st.data())
def test_an_assessment_typed_with_full_width_numbers_reads_the_same(data: st.DataObject) -> None:
    """Every number of any valid assessment, typed as a Chinese input method types it, reads as
    the same assessment."""
    assessment = data.draw(assessments())
    typed = typed_numbers(assessment, data.draw)
    assert parse_assessment(dumps(typed)) == parse_assessment(dumps(assessment))


def test_details_are_read_trimmed_and_written_back() -> None:
    """Organisation and assessor are trimmed text, the date a date; blank ones count as not given,
    and the assessment writes back only what was given."""
    text = json.dumps({
        "organisation": "\u3000Acme 服务有限公司 ", "assessor": "  ", "assessment_date": " ２０２６－０３－３１",
        "total": 80,
    })
    assessment = parse_assessment(text)
    assert assessment.details == Details("Acme 服务有限公司", None, date(2026, 3, 31))
    assert assessment.to_json() == {
        "organisation": "Acme 服务有限公司", "assessment_date": "2026-03-31",
        "total": 80, "special_deductions": 0, "special_bonus": False,
    }
    assert parse_assessment('{"total": 80}').details == Details()
    blank = parse_assessment('{"organisation": "", "assessor": "\\u3000", "assessment_date": " ", "total": 80}')
    assert blank.details == Details() and "assessment_date" not in blank.to_json()


@pytest.mark.parametrize(("length", "valid"), [(MAX_TEXT_LENGTH, True), (MAX_TEXT_LENGTH + 1, False)])
def test_the_text_limit_counts_characters_once_trimmed(length: int, valid: bool) -> None:
    """200 characters are allowed, 201 are not; spaces around them do not count."""
    text = json.dumps({"organisation": "  " + "售" * length + "  "})
    if valid:
        assert parse_assessment(text).details.organisation == "售" * length
    else:
        assert problems(text) == [("too_long", "/organisation")]


@pytest.mark.parametrize(("day", "valid"), [("2028-02-29", True), ("2026-02-29", False), ("2026-12-31", True),
                                            ("2026-13-01", False), ("0001-01-01", True), ("2026-04-31", False)])
def test_the_assessment_date_must_be_a_day_of_the_calendar(day: str, valid: bool) -> None:
    """A leap day is a date only in a leap year; months have their own lengths."""
    text = json.dumps({"assessment_date": day})
    if valid:
        assert parse_assessment(text).details.assessment_date == date.fromisoformat(day)
    else:
        assert problems(text) == [("not_a_date", "/assessment_date")]
