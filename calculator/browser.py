"""The one entry point the web page calls through Pyodide: JSON text in, JSON text out.

The page builds an assessment from its form, passes it here as text, and renders what comes
back; it holds no scoring rule of its own.
"""

from __future__ import annotations

import json
from typing import Any

from calculator import __version__
from calculator.errors import InvalidAssessment
from calculator.languages import DEFAULT_LANGUAGE
from calculator.report import problem_json, result_json, scheme_json
from calculator.scheme import load_scheme
from calculator.scoring import evaluate_text


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
    points, and the tier table."""
    return _dump(scheme_json(load_scheme()))


def version() -> str:
    """The scoring package's version."""
    return __version__


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
