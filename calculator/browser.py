"""The one entry point the web page calls through Pyodide: JSON text in, JSON text out.

The page builds an assessment from its form, passes it here as text, and renders what comes
back; it holds no scoring rule of its own.
"""

from __future__ import annotations

import json
from typing import Any

from calculator import __version__
from calculator.assessment import (
    MAX_BYTES,
    MAX_DECIMAL_PLACES,
    MAX_DEPTH,
    MAX_SAMPLES,
    MAX_SPECIAL_DEDUCTIONS,
    STATUSES,
)
from calculator.errors import InvalidAssessment
from calculator.exact import json_number
from calculator.languages import DEFAULT_LANGUAGE
from calculator.report import problem_json, result_json, scheme_json
from calculator.scheme import TOTAL_POINTS, load_scheme
from calculator.scoring import SPECIAL_BONUS_POINTS, SPECIAL_DEDUCTION_POINTS, evaluate_text


def evaluate(text: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Score an assessment given as JSON text.

    Returns:
        ``{"ok": true, "result": {...}}``, or ``{"ok": false, "errors": [{"code", "path",
        "message", "params"}, ...]}`` with messages in ``lang`` ("en" or "zh").

    Example:
        >>> json.loads(evaluate('{"total": 95}'))["result"]["tier"]
        'five-star'
        >>> json.loads(evaluate('{"total": 101}'))["errors"][0]["path"]
        '/total'
    """
    scheme = load_scheme()
    try:
        result = evaluate_text(text, scheme)
    except InvalidAssessment as exc:
        return _dump({"ok": False, "errors": [problem_json(p, lang, scheme) for p in exc.problems]})
    return _dump({"ok": True, "result": result_json(result)})


def scheme() -> str:
    """The scheme as JSON text: categories, indicators (names and descriptions in en and zh),
    points, and the tier table; and the rules' numbers the page words take: the total points,
    the points of a special deduction item and of the special bonus, the answers an indicator
    can have (each with the fields it takes besides ``status``), and the assessment's limits
    (all inclusive).

    Example:
        >>> data = json.loads(scheme())
        >>> data["total_points"], data["limits"]["max_bytes"], data["statuses"]["scored"]
        (100, 1000000, ['points'])
    """
    return _dump(
        scheme_json(load_scheme())
        | {
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
        }
    )


def version() -> str:
    """The scoring package's version."""
    return __version__


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
