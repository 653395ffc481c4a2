// Reaching the engine's files from its worker: the lockfile, a file checked
// against the lockfile's sha256, Pyodide's loader made to fail when its runtime does, the
// installed package's browser entry point, and the collector settled before a snapshot (the
// build's trace, scripts/trace-engine.mjs, goes through the same steps).

import { installWheels } from "./install.mjs";

/** The lockfile, parsed. */
export async function readLockfile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** A file's bytes, fetched with the integrity (the lockfile's sha256) the browser checks. */
export async function fetchBytes(url, integrity) {
  const response = await fetch(url, { integrity });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * `load()`, or a rejection if the WebAssembly runtime fails to load. Pyodide reports that only
 * with console.warn("wasm instantiation failed!") followed by the error, and then waits for ever.
 */
export async function untilWasmFails(load) {
  const warn = console.warn;
  let failing = false;
  let reject;
  const failure = new Promise((_, rejectFailure) => {
    reject = rejectFailure;
  });
  console.warn = (...args) => {
    warn.apply(console, args);
    if (failing) reject(args[0] instanceof Error ? args[0] : new Error(String(args[0])));
    failing = args[0] === "wasm instantiation failed!";
  };
  try {
    return await Promise.race([load(), failure]);
  } finally {
    console.warn = warn;
  }
}

/**
 * Installs the packages into site-packages (install.mjs) and imports the browser entry point. A
 * snapshot holds the interpreter's memory but not its file system, so a restored engine installs
 * them too, after checking that the standard library is there (Pyodide restores without it if it
 * failed to arrive).
 */
export function prepare(pyodide, wheels) {
  pyodide.runPython(`
import os, sys
missing = [entry for entry in sys.path if entry.endswith(".zip") and not os.path.isfile(entry)]
if missing:
    raise ImportError(f"the standard library did not arrive: {', '.join(missing)}")
`);
  installWheels(pyodide, wheels);
  return pyodide.pyimport("calculator.browser");
}

/**
 * Before the first assessment is scored and the snapshot taken: leave what start-up made out of
 * the collector's way (it need not look at it again for each score).
 */
export function freeze(pyodide) {
  pyodide.runPython("import gc; gc.collect(); gc.freeze()");
}
