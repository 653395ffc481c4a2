"""The browser's one entry point: JSON text in, JSON text out, never an exception."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import __version__, browser, evaluate_text
from calculator.errors import CODES
from calculator.report import result_json
from tests.strategies import json_values, near_valid_documents


def check_answer(text: str) -> dict[str, Any]:
    """The answer is JSON: a result, or errors each with a documented code, a pointer, a message."""
    answer = json.loads(text)
    if answer["ok"]:
        assert set(answer) == {"ok", "result"}
        assert 0 <= answer["result"]["score"] <= 100
    else:
        assert set(answer) == {"ok", "errors"} and answer["errors"]
        for error in answer["errors"]:
            assert error["code"] in CODES
            assert error["path"] == "" or re.fullmatch(r"(/[^/]*)+", error["path"])
            assert error["message"]
    return answer


def test_a_result_comes_back_as_json() -> None:
    """A valid assessment gives ok and the result."""
    answer = check_answer(browser.evaluate('{"total": 91.5, "special_deductions": 2}'))
    assert answer["result"]["tier"] == "three-star"
    assert answer["result"]["score"] == 89.5


def test_the_page_gets_the_result_the_package_scores() -> None:
    """The result that comes back is the package's own result for the same text, as JSON."""
    text = '{"indicators": {"repair": {"status": "sampled", "samples": 3, "nonconforming": 1}}}'
    answer = check_answer(browser.evaluate(text))
    assert answer["result"] == json.loads(json.dumps(result_json(evaluate_text(text))))


def test_errors_come_back_in_the_pages_language() -> None:
    """Error messages follow the requested language; unknown languages fall back to English."""
    zh = check_answer(browser.evaluate('{"special_bonus": "yes"}', "zh"))["errors"][0]
    assert zh["path"] == "/special_bonus" and "特别加分项" in zh["message"]
    en = check_answer(browser.evaluate('{"special_bonus": "yes"}', "fr"))["errors"][0]
    assert en["message"].startswith("The special bonus must be true or false")


def test_scheme_and_version() -> None:
    """The page gets the scheme (both languages) and the package version from the engine."""
    scheme = json.loads(browser.scheme())
    assert len([i for c in scheme["categories"] for i in c["indicators"]]) == 15
    assert browser.version() == __version__


@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(near_valid_documents(), json_values).map(json.dumps) | st.text(max_size=60))
def test_arbitrary_input_gives_only_results_or_documented_errors(text: str) -> None:
    """Whatever text arrives (JSON or not), the answer is a result or documented errors."""
    check_answer(browser.evaluate(text))
