"""Score cases inside Pyodide, for tests/pyodide/test_pyodide.py to compare with CPython.

    node scripts/pyodide-python.mjs --lock ENGINE/pyodide-lock.json --stdlib ENGINE/python_stdlib.zip \\
        tests/pyodide/compare.py CASES OUT

CASES is ``{"evaluate": [[text, lang], ...]}``; OUT receives ``{"python", "platform", "magic",
"version", "file", "scheme", "unittest_found", "evaluate": [json text, ...]}``. The package is the one
installed from the lockfile. It imports nothing the engine does not, so that it runs on the engine's
standard library alone.
"""

import importlib.util
import json
import sys

from calculator import browser

cases_path, out_path = sys.argv[1:3]
with open(cases_path, encoding="utf-8") as cases_file:
    cases = json.load(cases_file)
evaluated = [browser.evaluate(text, lang) for text, lang in cases.get("evaluate", [])]
out = {
    "python": sys.version,
    "platform": sys.platform,
    "magic": importlib.util.MAGIC_NUMBER.hex(),
    "version": browser.version(),
    "file": sys.modules["calculator"].__file__,
    "scheme": browser.scheme(),
    "unittest_found": importlib.util.find_spec("unittest") is not None,  # in Pyodide's, not the engine's
    "evaluate": evaluated,
}
with open(out_path, "w", encoding="utf-8") as out_file:
    json.dump(out, out_file)
