"""The golden cases: hand-checked assessments and results, shared with the browser tests."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from calculator import browser, evaluate_text
from calculator.report import result_json
from tests.strategies import FULL_WIDTH

GOLDEN = Path(__file__).with_name("golden")
CASES = sorted(p for p in GOLDEN.glob("*.json") if not p.name.endswith(".expected.json"))


def expected(case: Path) -> dict[str, Any]:
    return json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"), parse_float=Decimal)


def subset(result: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    return {key: result.get(key) for key in wanted}


def test_there_are_golden_cases_for_both_forms_and_every_tier() -> None:
    """The cases cover the quick and full forms and every tier, so the browser tests do too."""
    tiers = {expected(c).get("tier") for c in CASES}
    assert {"fail", "standard", "three-star", "four-star", "five-star"} <= tiers
    assert {c.name.split("-")[0] for c in CASES} == {"quick", "full"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_case(case: Path) -> None:
    """The package gives the hand-checked result of each golden case."""
    result = json.loads(json.dumps(result_json(evaluate_text(case.read_bytes()))), parse_float=Decimal)
    assert subset(result, expected(case)) == expected(case)


def full_width(data: Any) -> Any:
    """The assessment with every number written as text in full-width digits and full stops,
    with an ideographic space before it, as typed with a Chinese input method."""
    if isinstance(data, dict):
        return {key: full_width(value) for key, value in data.items()}
    if isinstance(data, Decimal):
        return "\u3000" + "".join(FULL_WIDTH.get(c, c) for c in format(data, "f"))
    return data


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_case_typed_full_width(case: Path) -> None:
    """Each golden case, its numbers typed full-width, gives the same hand-checked result."""
    typed = full_width(json.loads(case.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal))
    result = json.loads(json.dumps(result_json(evaluate_text(json.dumps(typed)))), parse_float=Decimal)
    assert subset(result, expected(case)) == expected(case)


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")
@pytest.mark.parametrize("case", CASES[:3], ids=lambda p: p.stem)
def test_golden_case_on_the_command_line(case: Path) -> None:
    """`python3 -m calculator score CASE --json` prints the same result."""
    out = subprocess.run(
        [sys.executable, "-m", "calculator", "score", str(case), "--json"],
        capture_output=True, text=True, check=True, cwd=GOLDEN.parent.parent,
    )
    result = json.loads(out.stdout, parse_float=Decimal)
    assert subset(result, expected(case)) == expected(case)


def renamed_sheet() -> str:
    """The published sheet under another id: a custom sheet with the same points."""
    sheet = json.loads((GOLDEN.parent.parent / "calculator" / "scheme.json").read_text(encoding="utf-8"))
    return json.dumps(sheet | {"id": "same-points-other-body"})


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_case_under_a_custom_sheet_and_compared(case: Path) -> None:
    """Each case gives its result unchanged when scored under a custom sheet with the same
    points (naming that sheet, as the page's export does), and as the earlier side of a
    comparison, whose change against itself is nothing."""
    rest = case.read_text(encoding="utf-8").split("{", 1)[1]  # the numbers stay exactly as written
    text = '{"scheme": "same-points-other-body"' + ("" if rest.strip() == "}" else ", ") + rest
    reply = json.loads(browser.evaluate(text, sheet=renamed_sheet(), earlier=text), parse_float=Decimal)
    want = expected(case)
    assert subset(reply["result"], want) == want
    comparison = reply["comparison"]
    assert comparison["same_scheme"] is True
    assert comparison["earlier"]["score"] == want["score"] and comparison["earlier"]["tier"] == want["tier"]
    assert comparison["score_change"] == 0 and comparison["tier_change"] == "same"
    assert comparison["better"] == comparison["worse"] == []
    earlier = json.loads(browser.evaluate('{"total": 0}', earlier=case.read_text(encoding="utf-8")), parse_float=Decimal)
    assert earlier["comparison"]["earlier"]["score"] == want["score"]
