// A head start for a return visit's engine. The calculator page's head loads this small classic
// script with `async`. Where this browser holds a snapshot of the page's engine (the mark below
// says so), the script starts the engine's module worker (engine-worker.mjs, beside it) at once,
// while the page is still being parsed and styled: restoring a snapshot reads only what is stored
// on this device. The page script's Engine (engine-client.mjs) adopts that worker when it runs,
// with every message and error the worker sent meanwhile, in order. Without a snapshot, nothing
// starts here: a first visit's downloads would take the connection and the processor from the
// page while it loads. Without this script, or if it failed, the Engine starts a worker itself.
//
// Being async, this script may run only after the page script has started the engine itself; the
// page script then leaves window.calculatorEngineBoot set to null, and nothing starts here: a
// second engine would take the processor and memory, and a later Try again would adopt it.
//
// The mark is the engine's lockfile URL in localStorage: set when the worker says it has stored a
// snapshot, removed when an engine starts without one (none stored, another engine's, or one that
// failed to restore). It holds nothing a reader typed.
(() => {
  const MARK = "gbt27922-engine-snapshot";
  const script = document.currentScript;
  if (!script) return;
  const late = window.calculatorEngineBoot !== undefined; // null: the page's engine has started
  const url = (value) => new URL(value, document.baseURI).href;
  const indexURL = url(script.dataset.engineIndex);
  const lockFileURL = url(script.dataset.engineLock);
  const boot = { worker: null, events: [] };
  const types = ["message", "messageerror", "error"];
  const keep = (event) => {
    if (event.type === "error") event.preventDefault(); // reported by the Engine, not the console
    boot.events.push(event);
  };

  window.calculatorEngineBoot = {
    /** The worker started here for these addresses and the events it sent so far, once; else null. */
    take(index, lock) {
      const { worker, events } = boot;
      boot.worker = null;
      if (!worker) return null;
      types.forEach((type) => worker.removeEventListener(type, keep));
      if (index === indexURL && lock === lockFileURL) return { worker, events };
      worker.terminate();
      return null;
    },
    /** Keep the mark up to date with an engine message for these addresses. */
    note(message, lock) {
      if (lock !== lockFileURL) return;
      try {
        if (message?.type === "saved") localStorage.setItem(MARK, lockFileURL);
        else if (message?.type === "ready" && message.start !== "snapshot") localStorage.removeItem(MARK);
      } catch {
        // no storage: no head start either
      }
    },
  };

  let marked = false;
  try {
    marked = localStorage.getItem(MARK) === lockFileURL;
  } catch {
    return;
  }
  if (late || !marked || typeof Worker !== "function") return;
  try {
    boot.worker = new Worker(new URL("engine-worker.mjs", script.src), { type: "module" });
  } catch {
    return; // the Engine tries again, and reports what fails
  }
  types.forEach((type) => boot.worker.addEventListener(type, keep));
  boot.worker.postMessage({ type: "init", indexURL, lockFileURL });
})();
