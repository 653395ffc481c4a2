// The scoring engine's worker entry: Pyodide running the `calculator` package, in a module
// worker so the page never waits for Python. It answers the page's messages; starting the engine
// is worker-start.mjs's job. The page's side is engine-client.mjs.
//
// Messages in:  {type: "init", indexURL, lockFileURL}   absolute URLs, sent once
//               {id, text, lang, options}               an assessment as JSON text; options: the
//                                                      keyword arguments of the Python entry
//                                                      point besides text and lang
// Messages out: {type: "progress", stage}              "runtime", then "snapshot" (restoring a
//                                                      stored engine) or "python" (starting one)
//               {type: "progress", stage: "download", loaded, total}
//                                                      bytes of engine files received so far, as
//                                                      decoded, and the sum of the lengths the
//                                                      files declare (null while one is unknown,
//                                                      as when the host compresses them); sent
//                                                      within 250 ms of bytes arriving, at most
//                                                      4 a second, and once all have arrived
//               {type: "ready", version, start}        start: "snapshot" | "normal"
//               {type: "error", message}               the engine cannot start
//               {type: "error", during: "scoring", message}
//                                                      scoring raised: the engine is not usable
//               {type: "result", id, json, ms}         calculator.browser.evaluate(text, lang, **options);
//                                                      ms: time spent in that call
//               {type: "saved"}                        a snapshot is stored for the next visit
//
// The assessment reaches Python as a function argument, never as source code.

import { start } from "./worker-start.mjs";

let engine = null; // a promise of evaluate(text, lang, options), once started

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === "init") {
    if (!engine) {
      engine = start(message);
      engine.catch((error) => self.postMessage({ type: "error", message: brief(error) }));
    }
    return;
  }
  let evaluate;
  try {
    evaluate = await engine;
  } catch {
    return; // the start has failed, and the page has been told why
  }
  try {
    const started = performance.now();
    const json = evaluate(message.text, message.lang, message.options ?? {});
    self.postMessage({ type: "result", id: message.id, json, ms: performance.now() - started });
  } catch (error) {
    // The entry point answers every text with a result or errors; anything else is a fault.
    self.postMessage({ type: "error", during: "scoring", message: brief(error) });
  }
});

/** One line for the page: a Python traceback's final "SomeError: ..." line, else the first. */
function brief(error) {
  const lines = String(error?.message ?? error)
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.find((line) => /^\w+(Error|Exception): /.test(line)) ?? lines[0] ?? "unknown error").slice(0, 300);
}
