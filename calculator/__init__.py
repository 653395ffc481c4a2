"""Self-assessment scoring against GB/T 27922-2011, the after-sales service evaluation system.

The package holds every scoring rule once. The test suite imports it, ``python3 -m calculator``
runs it on the command line and the site runs it in the browser through Pyodide, calling
:mod:`calculator.browser`. It uses only the standard library.

Its modules are layered, listed here from the bottom up; each imports only from the layers
listed before its own:

1. :mod:`~calculator.languages` (the languages spoken) and :mod:`~calculator.exact` (exact
   numbers as they are shown);
2. :mod:`~calculator.tiers` (the tier table and the special-deduction rule) and
   :mod:`~calculator.scheme` (categories and indicators with their points, loaded from data);
3. :mod:`~calculator.errors`: what can be wrong with an assessment, with its message;
4. :mod:`~calculator.assessment`: reading and checking an assessment;
5. :mod:`~calculator.scoring`: from an assessment to the score, the tier and what to improve;
6. :mod:`~calculator.comparison`: an assessment set against an earlier one, under one sheet;
7. :mod:`~calculator.report`: what the outside sees, JSON shapes and the text report;
8. :mod:`~calculator.browser` (the page's entry point) and :mod:`~calculator.cli` (the command
   line).

Example:
    >>> from calculator import evaluate_text
    >>> evaluate_text('{"total": 91, "special_deductions": 1}').tier.id
    'four-star'
"""

from __future__ import annotations

__version__ = "1.0.0"

from calculator.assessment import Assessment, parse_assessment
from calculator.errors import InvalidAssessment, Problem
from calculator.scheme import Scheme, SchemeError, load_scheme
from calculator.scoring import Result, evaluate, evaluate_text
from calculator.tiers import FAIL, SPECIAL_DEDUCTIONS_FAIL, TIERS, Tier

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
