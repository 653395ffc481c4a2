// Starting the calculator's engine before the rest of the page. The page's head loads this small
// classic script with `async`: it runs as soon as it has arrived, while the page is still being
// parsed and styled, and starts the engine's module worker (engine-worker.mjs, beside it) with
// the engine's addresses that its own element carries (data-engine-index, data-engine-lock,
// relative to the page). The page script's Engine (engine-client.mjs) adopts that worker once
// it runs, with every message and error the worker sent meanwhile, in order; without this script,
// or if it failed, the Engine starts a worker itself.
(() => {
  const script = document.currentScript;
  if (!script || typeof Worker !== "function") return;
  const url = (value) => new URL(value, document.baseURI).href;
  let worker;
  try {
    worker = new Worker(new URL("engine-worker.mjs", script.src), { type: "module" });
  } catch {
    return; // the Engine tries again, and reports what fails
  }
  const events = [];
  const keep = (event) => {
    if (event.type === "error") event.preventDefault(); // reported by the Engine, not the console
    events.push(event);
  };
  const types = ["message", "messageerror", "error"];
  types.forEach((type) => worker.addEventListener(type, keep));
  const indexURL = url(script.dataset.engineIndex);
  const lockFileURL = url(script.dataset.engineLock);
  worker.postMessage({ type: "init", indexURL, lockFileURL });
  window.calculatorEngineBoot = {
    /** The worker started for these addresses and the events it sent so far, once; else null. */
    take(index, lock) {
      delete window.calculatorEngineBoot;
      types.forEach((type) => worker.removeEventListener(type, keep));
      if (index === indexURL && lock === lockFileURL) return { worker, events };
      worker.terminate();
      return null;
    },
  };
})();
