"""Hypothesis strategies for assessments, shared by the property tests."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from calculator.exact import json_number
from calculator.scheme import load_scheme

SCHEME = load_scheme()
INDICATORS = {i.id: i for i in SCHEME.indicators}


def decimals(minimum: Decimal | int, maximum: Decimal | int, places: int = 3) -> st.SearchStrategy[Decimal]:
    """Exact decimals within bounds (inclusive), with at most ``places`` decimal places."""
    return st.decimals(min_value=minimum, max_value=maximum, places=places, allow_nan=False)


@st.composite
def answers(draw: st.DrawFn, indicator_id: str, allow_excluded: bool = True) -> dict[str, Any]:
    """A valid answer for one indicator, in the assessment's JSON form (numbers as Decimal)."""
    statuses = ["conforms", "nonconforming", "sampled", "scored"]
    if allow_excluded:
        statuses.append("excluded")
    status = draw(st.sampled_from(statuses))
    if status == "sampled":
        samples = draw(st.integers(1, 50))
        return {"status": status, "samples": samples, "nonconforming": draw(st.integers(0, samples))}
    if status == "scored":
        return {"status": status, "points": draw(decimals(0, INDICATORS[indicator_id].points))}
    return {"status": status}


@st.composite
def full_assessments(draw: st.DrawFn) -> dict[str, Any]:
    """A valid full assessment: any subset of indicators answered, at least one not excluded."""
    chosen = draw(st.lists(st.sampled_from(list(INDICATORS)), unique=True))
    indicators = {i: draw(answers(i)) for i in chosen}
    if len(indicators) == len(INDICATORS) and all(a["status"] == "excluded" for a in indicators.values()):
        indicators[chosen[0]] = {"status": "conforms"}
    return {
        "indicators": indicators,
        "special_deductions": draw(st.integers(0, 7)),
        "special_bonus": draw(st.booleans()),
    }


@st.composite
def quick_assessments(draw: st.DrawFn) -> dict[str, Any]:
    """A valid quick assessment: a total, special deductions and the bonus."""
    return {
        "total": draw(decimals(0, 100)),
        "special_deductions": draw(st.integers(0, 7)),
        "special_bonus": draw(st.booleans()),
    }


@st.composite
def details(draw: st.DrawFn) -> dict[str, Any]:
    """Any of the optional details: organisation, assessor (text of up to 200 characters once
    trimmed), assessment date (YYYY-MM-DD)."""
    text = st.text(max_size=200)
    found = {
        "organisation": draw(text),
        "assessor": draw(text),
        "assessment_date": draw(st.dates()).isoformat(),
    }
    keep = draw(st.sets(st.sampled_from(list(found))))
    return {key: value for key, value in found.items() if key in keep}


@st.composite
def with_details(draw: st.DrawFn, assessment: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    return draw(details()) | draw(assessment)


def assessments() -> st.SearchStrategy[dict[str, Any]]:
    """A valid assessment in either form, with any of the optional details."""
    return with_details(st.one_of(full_assessments(), quick_assessments()))


#: What a Chinese input method types for each ASCII character of a number, besides the ASCII
#: character itself (tests/test_assessment.py checks the package reads each alike).
FULL_WIDTH = {
    **{str(digit): chr(0xFF10 + digit) for digit in range(10)},
    ".": "．",
    "-": "－",
}


@st.composite
def typed(draw: st.DrawFn, value: Decimal | int) -> str:
    """A number as someone might type it: each character ASCII or full-width, the decimal point
    maybe the ideographic full stop, spaces (U+3000 too) around it, maybe a plus sign."""
    text = str(value) if isinstance(value, int) else format(value, "f")
    chars = [draw(st.sampled_from([c, FULL_WIDTH[c], *(["。"] if c == "." else [])])) for c in text]
    space = st.sampled_from(["", " ", "\u3000", "\t", " \u3000 "])
    sign = draw(st.sampled_from(["", "+", "＋"]))
    return draw(space) + sign + "".join(chars) + draw(space)


def typed_numbers(data: Any, draw: st.DrawFn) -> Any:
    """The assessment with every number (not the booleans) as typed text."""
    if isinstance(data, dict):
        return {key: typed_numbers(value, draw) for key, value in data.items()}
    if isinstance(data, (Decimal, int)) and not isinstance(data, bool):
        return draw(typed(data))
    return data


#: Any JSON value, numbers included as they come from arbitrary text.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


def near_valid_documents() -> st.SearchStrategy[Any]:
    """Documents shaped like assessments, with arbitrary values where fields belong."""
    keys = st.sampled_from(["total", "special_deductions", "special_bonus", "indicators", "other"])
    entry = st.dictionaries(
        st.sampled_from(["status", "samples", "nonconforming", "points", "x"]),
        json_values | st.sampled_from(["conforms", "nonconforming", "sampled", "scored", "excluded"]),
        max_size=4,
    )
    indicators = st.dictionaries(st.sampled_from([*INDICATORS, "unknown"]), entry | json_values, max_size=6)
    return st.dictionaries(keys, json_values | indicators, max_size=5)


def dumps(data: Any) -> str:
    """JSON text for test data, writing each ``Decimal`` with its exact digits."""

    def exact(value: Any) -> Any:
        if isinstance(value, Decimal):
            return json_number(value)
        raise TypeError(type(value))

    return json.dumps(data, default=exact)
