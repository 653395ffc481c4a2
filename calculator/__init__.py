"""Self-assessment scoring against GB/T 27922-2011, the after-sales service evaluation system.

The package holds every scoring rule once. The test suite imports it, ``python3 -m calculator``
runs it on the command line and the site runs it in the browser through Pyodide, calling
:mod:`calculator.browser`. It uses only the standard library.

Example:
    >>> from calculator import evaluate_text
    >>> evaluate_text('{"total": 91, "special_deductions": 1}').tier.id
    'four-star'
"""

from __future__ import annotations

__version__ = "1.0.0"

from calculator.assessment import Assessment, parse_assessment
from calculator.errors import InvalidAssessment, Problem, SchemeError
from calculator.scheme import Scheme, load_scheme
from calculator.scoring import Result, evaluate
from calculator.tiers import FAIL, SPECIAL_DEDUCTIONS_FAIL, TIERS, Tier


def evaluate_text(text: str | bytes, scheme: Scheme | None = None) -> Result:
    """Parse an assessment in JSON and score it.

    Raises:
        InvalidAssessment: the text is not a valid assessment; its ``problems`` say why.
    """
    scheme = scheme or load_scheme()
    return evaluate(parse_assessment(text, scheme), scheme)


__all__ = [
    "FAIL",
    "SPECIAL_DEDUCTIONS_FAIL",
    "TIERS",
    "Assessment",
    "InvalidAssessment",
    "Problem",
    "Result",
    "Scheme",
    "SchemeError",
    "Tier",
    "evaluate",
    "evaluate_text",
    "load_scheme",
    "parse_assessment",
]
