"""Score cases inside Pyodide, for tests/pyodide/test_pyodide.py to compare with CPython.

    node scripts/pyodide-python.mjs --lock ENGINE/pyodide-lock.json --stdlib ENGINE/python_stdlib.zip \\
        tests/pyodide/compare.py CASES OUT

CASES is ``{"evaluate": [[text, lang], ...]}``; OUT receives ``{"python", "platform", "magic",
"version", "file", "scheme", "unittest_found", "frames", "evaluate": [json text, ...]}``; "frames"
gives the innermost frame of a traceback in the package and in the standard library. The package is the one
installed from the lockfile. It imports nothing the engine does not, so that it runs on the engine's
standard library alone.
"""

import importlib.util
import json
import sys

from calculator import browser, scheme

cases_path, out_path = sys.argv[1:3]
with open(cases_path, encoding="utf-8") as cases_file:
    cases = json.load(cases_file)
evaluated = [browser.evaluate(text, lang) for text, lang in cases.get("evaluate", [])]


def innermost(error: BaseException) -> dict[str, object]:
    """Where the traceback of ``error`` ends: file, function, line, and the function's first line."""
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    return {"file": code.co_filename, "name": code.co_name, "line": tb.tb_lineno, "first_line": code.co_firstlineno}


try:
    scheme.read_scheme("{")  # the JSON decoder raises; the package raises its own error from it
except scheme.SchemeError as error:
    frames = {"package": innermost(error), "stdlib": innermost(error.__context__)}

out = {
    "python": sys.version,
    "platform": sys.platform,
    "magic": importlib.util.MAGIC_NUMBER.hex(),
    "version": browser.version(),
    "file": sys.modules["calculator"].__file__,
    "scheme": browser.scheme(),
    "unittest_found": importlib.util.find_spec("unittest") is not None,  # in Pyodide's, not the engine's
    "frames": frames,
    "evaluate": evaluated,
}
with open(out_path, "w", encoding="utf-8") as out_file:
    json.dump(out, out_file)
