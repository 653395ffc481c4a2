// The scoring engine: Pyodide running the `calculator` package, in a module worker so the page
// never waits for Python.
//
// Messages in:  {type: "init", indexURL, lockFileURL}   absolute URLs, sent once
//               {id, text, lang}                        an assessment as JSON text
// Messages out: {type: "progress", stage}              "runtime", then "python"
//               {type: "ready", version}
//               {type: "error", message}               the engine cannot start
//               {type: "result", id, json}             calculator.browser.evaluate(text, lang)
//
// The assessment reaches Python as a function argument, never as source code.

let engine = null;

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === "init") {
    engine ??= start(message);
    return;
  }
  try {
    const evaluate = await engine;
    self.postMessage({ type: "result", id: message.id, json: evaluate(message.text, message.lang) });
  } catch {
    // start() has already reported why the engine is not available.
  }
});

async function start({ indexURL, lockFileURL }) {
  try {
    self.postMessage({ type: "progress", stage: "runtime" });
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
    self.postMessage({ type: "progress", stage: "python" });
    const watch = watchWasm();
    let pyodide;
    try {
      pyodide = await Promise.race([
        loadPyodide({ indexURL, lockFileURL, packages: ["calculator"] }),
        watch.failure,
      ]);
    } finally {
      watch.stop();
    }
    const browser = pyodide.pyimport("calculator.browser");
    const evaluate = (text, lang) => browser.evaluate(text, lang);
    self.postMessage({ type: "ready", version: browser.version() });
    return evaluate;
  } catch (error) {
    self.postMessage({ type: "error", message: brief(error) });
    throw error;
  }
}

/**
 * Watches for the WebAssembly runtime failing to load. Pyodide reports that only with
 * console.warn("wasm instantiation failed!") followed by the error, and then waits for ever;
 * `failure` rejects with that error instead, so the page can say so.
 */
function watchWasm() {
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
  return {
    failure,
    stop: () => {
      console.warn = warn;
    },
  };
}

/** One line for the page: a Python traceback's final "SomeError: ..." line, else the first. */
function brief(error) {
  const lines = String(error?.message ?? error)
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.find((line) => /^\w+(Error|Exception): /.test(line)) ?? lines[0] ?? "unknown error").slice(0, 300);
}
