"""Score cases inside Pyodide, for tests/pyodide/test_pyodide.py to compare with CPython.

    node scripts/pyodide-python.mjs --lock ENGINE/pyodide-lock.json tests/pyodide/compare.py CASES OUT

CASES is ``{"evaluate": [[text, lang], ...], "doctest": ["calculator.scoring", ...]}``; OUT receives
``{"python", "platform", "magic", "version", "file", "scheme", "evaluate": [json text, ...],
"doctest": {module: [failed, attempted]}}``. The package is the one installed from the lockfile.
"""

import doctest
import importlib
import importlib.util
import json
import sys

from calculator import browser

cases_path, out_path = sys.argv[1:3]
with open(cases_path, encoding="utf-8") as cases_file:
    cases = json.load(cases_file)
doctests = {}
for name in cases.get("doctest", []):
    outcome = doctest.testmod(importlib.import_module(name))
    doctests[name] = [outcome.failed, outcome.attempted]
out = {
    "python": sys.version,
    "platform": sys.platform,
    "magic": importlib.util.MAGIC_NUMBER.hex(),
    "version": browser.version(),
    "file": importlib.import_module("calculator").__file__,
    "scheme": browser.scheme(),
    "evaluate": [browser.evaluate(text, lang) for text, lang in cases.get("evaluate", [])],
    "doctest": doctests,
}
with open(out_path, "w", encoding="utf-8") as out_file:
    json.dump(out, out_file)
