// Run the calculator package inside the real Pyodide (the npm package) under Node, offline.
//
//   node tests/pyodide/run.mjs ENGINE_DIR CASES_JSON OUT_JSON
//
// ENGINE_DIR holds the wheel and the lockfile the site ships (written by hooks/engine.py).
// CASES_JSON is {"evaluate": [[text, lang], ...], "doctest": ["calculator.scoring", ...]}.
// OUT_JSON receives {"python", "version", "scheme", "evaluate": [json text, ...],
// "doctest": {module: [failed, attempted]}, "seconds"}. Assessments are passed to Python as
// function arguments, never as source code.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadPyodide } from "pyodide";

const [engineDir, casesPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node tests/pyodide/run.mjs ENGINE_DIR CASES_JSON OUT_JSON");
  process.exit(2);
}

// Nothing may be fetched: every file comes from node_modules/pyodide or ENGINE_DIR.
globalThis.fetch = async (url) => {
  throw new Error(`network access refused: ${url}`);
};

const started = performance.now();
const pyodide = await loadPyodide({
  lockFileURL: path.resolve(engineDir, "pyodide-lock.json"),
  packages: ["calculator"],
  stdout: (line) => process.stderr.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
const seconds = (performance.now() - started) / 1000;

const cases = JSON.parse(await readFile(casesPath, "utf8"));
const browser = pyodide.pyimport("calculator.browser");
const runDoctests = pyodide.runPython(`
import doctest, importlib

def run_doctests(names):
    results = {}
    for name in names:
        outcome = doctest.testmod(importlib.import_module(name))
        results[name] = [outcome.failed, outcome.attempted]
    return results

run_doctests
`);

const doctests = runDoctests(cases.doctest ?? []);
const out = {
  python: pyodide.runPython("import sys; sys.version"),
  version: browser.version(),
  scheme: browser.scheme(),
  evaluate: (cases.evaluate ?? []).map(([text, lang]) => browser.evaluate(text, lang)),
  doctest: doctests.toJs({ dict_converter: Object.fromEntries }),
  seconds,
};
doctests.destroy();
runDoctests.destroy();
browser.destroy();
await writeFile(outPath, JSON.stringify(out));
