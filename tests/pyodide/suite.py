"""Run the unit, property and golden tests (tests/test_*.py) inside Pyodide, against the package
installed from the site's wheel.

    node scripts/pyodide-python.mjs --lock ENGINE/pyodide-lock-test.json tests/pyodide/suite.py [PYTEST_ARG...]

``make test-pyodide`` runs it. The lockfile is the site's plus pytest, Hypothesis and their
dependencies (scripts/build_engine.py). The repository root goes on sys.path after
site-packages, so ``tests`` can be imported while ``calculator`` is the installed, compiled one;
this script refuses to run the tests against anything else.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", "/tmp/hypothesis")  # in memory, not the host's

import calculator  # noqa: E402
import pytest  # noqa: E402

installed = Path(calculator.__file__)
if "site-packages" not in installed.parts or installed.suffix != ".pyc":
    sys.exit(f"calculator comes from {installed}, not from the installed wheel's bytecode")
print(f"calculator {calculator.__version__} from {installed.parent}", flush=True)

tests = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").glob("test_*.py"))
sys.exit(pytest.main(["-p", "no:cacheprovider", "-o", "pythonpath=", *sys.argv[1:], *tests]))
