"""Run the package's doctests inside Pyodide, for tests/pyodide/test_pyodide.py.

    node scripts/pyodide-python.mjs --lock ENGINE/pyodide-lock.json tests/pyodide/doctests.py OUT MODULE...

OUT receives ``{module: [failed, attempted]}``. The package is the one installed from the lockfile.
"""

import doctest
import importlib
import json
import sys

out_path, *modules = sys.argv[1:]
results = {}
for name in modules:
    outcome = doctest.testmod(importlib.import_module(name))
    results[name] = [outcome.failed, outcome.attempted]
with open(out_path, "w", encoding="utf-8") as out_file:
    json.dump(results, out_file)
