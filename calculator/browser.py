"""The one entry point the web page calls through Pyodide: JSON text in, JSON text out.

The page builds an assessment from its form, passes it here as text, and renders what comes
back; it holds no scoring rule of its own. A certification body's own scoring sheet and an
earlier assessment to compare with come as text too, and are checked here each time.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from calculator import __version__
from calculator.assessment import (
    MAX_BYTES,
    MAX_DECIMAL_PLACES,
    MAX_DEPTH,
    MAX_SAMPLES,
    MAX_SPECIAL_DEDUCTIONS,
    STATUSES,
    nesting_depth,
    parse_assessment,
    text_size,
)
from calculator.comparison import compare_text
from calculator.errors import InvalidAssessment
from calculator.exact import json_number
from calculator.languages import DEFAULT_LANGUAGE
from calculator.report import comparison_json, problem_json, result_json, scheme_json
from calculator.scheme import TOTAL_POINTS, Scheme, SchemeError, load_scheme, own_sheet, read_scheme
from calculator.scoring import SPECIAL_BONUS_POINTS, SPECIAL_DEDUCTION_POINTS
from calculator.scoring import evaluate as score

#: How the loader's messages name a scoring sheet given as text (the command line names the file).
SHEET_SOURCE = "sheet"

#: The error code of a scoring sheet the loader refuses.
INVALID_SHEET = "invalid_scheme"


def evaluate(
    text: str, lang: str = DEFAULT_LANGUAGE, *, sheet: str | None = None, earlier: str | None = None
) -> str:
    """Score an assessment given as JSON text, under the published scoring sheet or under
    ``sheet`` (a scoring sheet's JSON text, as ``--scheme FILE`` reads it), and compare it with
    ``earlier`` (an earlier assessment's JSON text) when given.

    Returns:
        ``{"ok": true, "result": {...}}``, or ``{"ok": false, "errors": [{"code", "path",
        "message", "params"}, ...]}`` with messages in ``lang`` ("en" or "zh"). With ``sheet``,
        the reply also gives the sheet under ``"scheme"``, as :func:`scheme` does; a sheet the
        loader refuses gives only the error ``invalid_scheme``: the loader's message in ``lang``
        (what the command line prints for ``--scheme``, without the file's name) and, under
        ``params.reason``, the loader's code for it. With ``earlier``, the reply also
        gives ``"comparison"`` (:func:`calculator.report.comparison_json`), or ``{"errors":
        [...]}`` there when the earlier text is not a valid assessment; the result itself is the
        same either way.

    Example:
        >>> json.loads(evaluate('{"total": 95}'))["result"]["tier"]
        'five-star'
        >>> json.loads(evaluate('{"total": 101}'))["errors"][0]["path"]
        '/total'
        >>> json.loads(evaluate('{"total": 95}', earlier='{"total": 90}'))["comparison"]["tier_change"]
        'up'
    """
    try:
        scheme = load_scheme() if sheet is None else _sheet(sheet)
    except SchemeError as exc:
        return _dump({"ok": False, "errors": [_sheet_problem(exc, lang)]})
    reply: dict[str, Any]
    assessment = None
    try:
        assessment = parse_assessment(text, scheme)
    except InvalidAssessment as exc:
        reply = {"ok": False, "errors": _problems(exc, lang)}
    else:
        reply = {"ok": True, "result": result_json(score(assessment, scheme))}
    if earlier is not None:
        try:
            reply["comparison"] = comparison_json(compare_text(earlier, assessment, scheme))
        except InvalidAssessment as exc:
            reply["comparison"] = {"errors": _problems(exc, lang)}
    if sheet is not None:
        reply["scheme"] = _scheme_data(scheme)
    return _dump(reply)


def scheme(sheet: str | None = None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The scheme (the published one, or the scoring sheet ``sheet``'s JSON text) as JSON text:
    categories, indicators (names and descriptions in en and zh), points, and the tier table;
    and the rules' numbers the page words take: the total points, the points of a special
    deduction item and of the special bonus, the answers an indicator can have (each with the
    fields it takes besides ``status``), the assessment's limits (all inclusive), and the id of
    the published sheet.

    A sheet the loader refuses gives ``{"ok": false, "errors": [...]}`` instead, its message in
    ``lang``, as :func:`evaluate` does: the page never gets an exception.

    Example:
        >>> data = json.loads(scheme())
        >>> data["total_points"], data["limits"]["max_bytes"], data["statuses"]["scored"]
        (100, 1000000, ['points'])
        >>> json.loads(scheme('{"id": "x", "categories": []}'))["errors"][0]["message"]
        'the scheme has no categories'
        >>> json.loads(scheme('{"id": "x", "categories": []}', "zh"))["errors"][0]["message"]
        '评分表中没有一级指标'
    """
    try:
        return _dump(_scheme_data(load_scheme() if sheet is None else _sheet(sheet)))
    except SchemeError as exc:
        return _dump({"ok": False, "errors": [_sheet_problem(exc, lang)]})


def version() -> str:
    """The scoring package's version."""
    return __version__


def _scheme_data(sheet: Scheme) -> dict[str, Any]:
    return scheme_json(sheet) | {
        "total_points": json_number(TOTAL_POINTS),
        "special_deduction_points": SPECIAL_DEDUCTION_POINTS,
        "special_bonus_points": SPECIAL_BONUS_POINTS,
        "statuses": {status: list(fields) for status, fields in STATUSES.items()},
        "limits": {
            "max_bytes": MAX_BYTES,
            "max_depth": MAX_DEPTH,
            "max_decimal_places": MAX_DECIMAL_PLACES,
            "max_samples": MAX_SAMPLES,
            "max_special_deductions": MAX_SPECIAL_DEDUCTIONS,
        },
        "published": load_scheme().id,
    }


@lru_cache(maxsize=4)
def _sheet(text: str) -> Scheme:
    """A scoring sheet from its JSON text, checked by the loader; refused before it is decoded
    when it is larger, or nests deeper, than an assessment may."""
    size = text_size(text)
    if size > MAX_BYTES:
        raise SchemeError("", "too_large", source=SHEET_SOURCE, size=size, limit=MAX_BYTES)
    if nesting_depth(text) > MAX_DEPTH:
        raise SchemeError("", "too_deep", source=SHEET_SOURCE, limit=MAX_DEPTH)
    return own_sheet(read_scheme(text, SHEET_SOURCE), SHEET_SOURCE)


def _sheet_problem(exc: SchemeError, lang: str) -> dict[str, Any]:
    """A refused sheet as an error: the loader's message in ``lang``, which names the place in the
    sheet and no assessment field (the page says that it is the sheet)."""
    message = exc.message(lang, with_source=False)
    return {"code": INVALID_SHEET, "path": "", "message": message, "params": {"reason": exc.code}}


def _problems(exc: InvalidAssessment, lang: str) -> list[dict[str, Any]]:
    return [problem_json(p, lang, exc.scheme) for p in exc.problems]


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
