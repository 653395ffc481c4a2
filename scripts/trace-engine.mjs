// Which modules of Pyodide's standard library the engine uses: run the engine under Node the way
// its worker runs it, and list every module imported from the standard library's zip.
//
//   node scripts/trace-engine.mjs LOCKFILE CASES OUT
//
// LOCKFILE is the site's lockfile (the wheels it names are read from its folder); CASES is
// {"evaluate": [[text, lang], ...]}; OUT receives {"modules": [...], "files": [...]}: the names of
// the modules imported from the zip and their paths inside it, sorted. Python starts with the
// whole standard library (the npm package's), then goes through what the worker does: install the
// package, import its entry point, answer the probe, freeze the collector and take a memory
// snapshot; then a second interpreter restores that snapshot, installs and imports again, warms
// up, and scores every case. The modules are those of both interpreters. scripts/build_engine.py
// keeps exactly those files in the engine's standard library. Nothing is fetched from the network.

import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { loadPyodide } from "pyodide";
import { fetchWheels } from "../docs/assets/calculator/install.mjs";
import { freeze, prepare } from "../docs/assets/calculator/worker-runtime.mjs";
import { probe, warmUp } from "../docs/assets/calculator/worker-warm-up.mjs";

const [lockPath, casesPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node scripts/trace-engine.mjs LOCKFILE CASES OUT");
  process.exit(2);
}

globalThis.fetch = async (url) => {
  throw new Error(`network access refused: ${url}`);
};

/**
 * The zip's members imported so far: module names and their paths inside the zip. Modules frozen
 * into the interpreter (os, site, codecs...) say they come from the zip but are never read from
 * it: only those its zip importer loaded count.
 */
const IMPORTED = `
import json, sys, zipimport
def _imported():
    prefix = next(entry for entry in sys.path if entry.endswith(".zip")) + "/"
    found = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        loader = getattr(getattr(module, "__spec__", None), "loader", None)
        if isinstance(path, str) and path.startswith(prefix) and isinstance(loader, zipimport.zipimporter):
            found[name] = path[len(prefix):]
    return json.dumps(found)
_imported()
`;

const lock = JSON.parse(await readFile(lockPath, "utf8"));
const read = async (url) => new Uint8Array(await readFile(new URL(url)));
const wheels = await fetchWheels(lock, pathToFileURL(lockPath).href, Object.keys(lock.packages), read);
const options = { lockFileContents: lock, packageBaseUrl: new URL(".", pathToFileURL(lockPath)).href };
const found = {};
const collect = (pyodide) => Object.assign(found, JSON.parse(pyodide.runPython(IMPORTED)));

// A first visit: start, install, import, probe, freeze, snapshot.
const first = await loadPyodide({ ...options, _makeSnapshot: true });
let browser = prepare(first, wheels);
const answer = probe(browser);
freeze(first);
const snapshot = first.makeMemorySnapshot();
collect(first);

// A return visit: restore, install, import, probe, warm up, then every case in both languages.
const second = await loadPyodide({ ...options, _loadSnapshot: snapshot });
browser = prepare(second, wheels);
if (probe(browser) !== answer) throw new Error("the restored engine answers the probe differently");
await warmUp(browser, JSON.parse(browser.scheme()));
const { evaluate } = JSON.parse(await readFile(casesPath, "utf8"));
for (const [text, lang] of evaluate) browser.evaluate(text, lang);
browser.version();
collect(second);

const modules = Object.keys(found).sort();
const files = [...new Set(Object.values(found))].sort();
await writeFile(outPath, JSON.stringify({ modules, files }, null, 1) + "\n");
