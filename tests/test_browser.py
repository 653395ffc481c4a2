"""The browser's one entry point: JSON text in, JSON text out, never an exception."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import __version__, browser, evaluate, evaluate_text, parse_assessment
from calculator.scheme import DEFAULT_SCHEME, SchemeError, read_scheme
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


SHEETS = Path(__file__).resolve().parent / "sheets"
CUSTOM = (SHEETS / "acme-2026.json").read_text(encoding="utf-8")
BROKEN = (SHEETS / "does-not-add-up.json").read_text(encoding="utf-8")


def test_a_custom_sheet_scores_with_its_own_points() -> None:
    """Under a custom sheet the result is the package's own for that sheet, and the reply gives
    the sheet as scheme() does, so the page can render it."""
    text = '{"indicators": {"supervision": {"status": "conforms"}, "spare-parts": {"status": "nonconforming"}}}'
    reply = json.loads(browser.evaluate(text, sheet=CUSTOM))
    sheet = read_scheme(CUSTOM)
    assert reply["result"] == json.loads(json.dumps(result_json(evaluate(parse_assessment(text, sheet), sheet))))
    assert reply["scheme"] == json.loads(browser.scheme(CUSTOM))
    assert reply["scheme"]["id"] == "acme-service-2026" and reply["scheme"]["published"] == "gbt-27922-2011"
    # Supervision is worth 10 points here (5 on the published sheet), spare parts 5.
    assert (reply["result"]["score"], reply["result"]["best"]["score"]) == (10, 95)
    assert json.loads(browser.evaluate(text))["errors"][0]["code"] == "unknown_indicator"


def test_a_sheet_that_does_not_add_up_gives_the_loaders_message() -> None:
    """The error carries the loader's words in the reply's language, those the command line
    prints for --scheme without the file's name: where in the sheet, and what is wrong."""
    with pytest.raises(SchemeError) as caught:
        read_scheme(BROKEN, browser.SHEET_SOURCE)
    for lang, words in (("en", "add up to 41 points, not the category's 40"), ("zh", "分值之和为 41，而不是该一级指标的 40")):
        reply = json.loads(browser.evaluate('{"total": 90}', lang, sheet=BROKEN))
        assert reply["ok"] is False and set(reply) == {"ok", "errors"}
        (error,) = reply["errors"]
        assert error["code"] == "invalid_scheme" and error["params"] == {"reason": "indicators_total"}
        assert error["message"] == caught.value.message(lang, with_source=False)
        assert error["message"].startswith("categories[0] (service-system)") and words in error["message"]
        assert json.loads(browser.scheme(BROKEN, lang)) == reply
    assert str(caught.value) == "sheet: " + caught.value.message(with_source=False)


def test_a_sheet_under_the_published_id_must_be_the_published_sheet() -> None:
    """A sheet that changes the published one's points but keeps its id is refused, its reason
    given; the published sheet itself, given as text, is used as it is."""
    data = json.loads(browser.scheme())
    published = DEFAULT_SCHEME.read_text(encoding="utf-8")
    assert json.loads(browser.evaluate('{"total": 90}', sheet=published))["ok"] is True
    changed = json.loads(published)
    first, second = changed["categories"][2]["indicators"][:2]
    first["points"], second["points"] = first["points"] + 1, second["points"] - 1
    for lang in ("en", "zh"):
        (error,) = json.loads(browser.evaluate('{"total": 90}', lang, sheet=json.dumps(changed)))["errors"]
        assert error["params"] == {"reason": "published_id"} and data["published"] in error["message"]


@pytest.mark.parametrize(
    ("sheet", "words"),
    [
        ("{", "not JSON at line 1, column 2"),
        ("[" * 100 + "]" * 100, "deeper than 64"),
        (" " * 1_000_001, "at most 1000000"),
    ],
)
def test_a_sheet_that_cannot_be_read_is_refused_before_decoding(sheet: str, words: str) -> None:
    """Text that is not JSON, nests too deep or is too large is refused, in either language."""
    (error,) = json.loads(browser.evaluate("{}", sheet=sheet))["errors"]
    assert error["code"] == "invalid_scheme" and words in error["message"]
    (chinese,) = json.loads(browser.evaluate("{}", "zh", sheet=sheet))["errors"]
    assert chinese["params"] == error["params"] and re.search(r"[\u4e00-\u9fff]", chinese["message"])


def test_an_assessment_naming_another_sheet_is_refused_at_its_scheme_field() -> None:
    """A file made under a custom sheet, scored with the published one: the field is named."""
    reply = json.loads(browser.evaluate('{"scheme": "acme-service-2026", "total": 90}'))
    assert [(e["code"], e["path"]) for e in reply["errors"]] == [("scheme_mismatch", "/scheme")]
    ok = json.loads(browser.evaluate('{"scheme": "acme-service-2026", "total": 90}', sheet=CUSTOM))
    assert ok["result"]["score"] == 90


def test_a_comparison_never_changes_the_result() -> None:
    """With or without an earlier assessment, valid or not, the result is the same."""
    text = '{"indicators": {"repair": {"status": "conforms"}}, "special_deductions": 1}'
    alone = json.loads(browser.evaluate(text))
    for earlier in ('{"total": 70}', '{"total": 700}', "{", '{"scheme": "x"}'):
        reply = json.loads(browser.evaluate(text, earlier=earlier))
        assert reply["result"] == alone["result"]
        assert "comparison" in reply


def test_a_comparison_comes_back_with_the_earlier_result_or_its_errors() -> None:
    reply = json.loads(browser.evaluate('{"total": 91}', "zh", earlier='{"total": 88.5}'))
    assert reply["comparison"]["earlier"] == {"mode": "quick", "score": 88.5, "tier": "three-star", "provisional": False}
    assert reply["comparison"]["score_change"] == 2.5 and reply["comparison"]["tier_change"] == "up"
    bad = json.loads(browser.evaluate('{"total": 91}', "zh", earlier='{"total": 101}'))
    assert bad["comparison"]["errors"][0]["path"] == "/total" and "总分" in bad["comparison"]["errors"][0]["message"]
    invalid_now = json.loads(browser.evaluate('{"total": 101}', earlier='{"total": 88.5}'))
    assert invalid_now["ok"] is False
    assert invalid_now["comparison"]["earlier"]["score"] == 88.5 and invalid_now["comparison"]["score_change"] is None
