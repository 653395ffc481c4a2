// The page's side of the scoring engine: starts the module worker (engine-worker.mjs, whose
// opening comment documents the messages both ways), or adopts the one the page's head started
// for a return visit (engine-boot.js, which is told of each message, to mark a stored snapshot),
// sends it assessments, hands back its answers, and watches it: an engine that says nothing for
// too long while something is awaited from it counts as failed.

export class Engine {
  /**
   * Start the worker, from this module's own folder, unless the page's head has started it for
   * the same engine (the first Engine of the page only). `timeout()` gives the watchdog's seconds,
   * each time it starts counting. `onError` gets {kind, detail}: kind "failed" (the worker said
   * so, or could not run), "broke" (scoring raised an exception), "stalled" (no message for that
   * long while loading) or "stopped" (no answer for that long once ready: the worker has died).
   */
  constructor(indexURL, lockFileURL, { timeout, onProgress, onReady, onError }) {
    this.pending = new Map();
    this.nextId = 0;
    this.ready = false;
    this.failure = null;
    this.timer = null;
    this.timeout = timeout;
    this.onProgress = onProgress;
    this.onReady = onReady;
    this.onError = onError;
    this.lockFileURL = lockFileURL;
    const booted = takeBooted(indexURL, lockFileURL);
    try {
      this.worker = booted?.worker ?? new Worker(new URL("engine-worker.mjs", import.meta.url), { type: "module" });
    } catch (error) {
      this.failure = { kind: "failed", detail: String(error?.message ?? error) };
      queueMicrotask(() => this.onError(this.failure));
      return;
    }
    const handlers = {
      message: (event) => this.receive(event.data),
      messageerror: () => this.fail("failed", "unreadable message"),
      error: (event) => {
        event.preventDefault();
        this.fail("failed", event.message || "the engine script could not be loaded");
      },
    };
    for (const [type, handler] of Object.entries(handlers)) this.worker.addEventListener(type, handler);
    if (booted) {
      booted.events.forEach((event) => handlers[event.type](event));
    } else {
      this.worker.postMessage({ type: "init", indexURL, lockFileURL });
    }
    if (!this.failure) this.watch();
  }

  /**
   * Score an assessment text; resolves to the engine's JSON text. `options` holds the keyword
   * arguments of calculator.browser.evaluate besides the text and the language (text values).
   */
  evaluate(text, lang, options = {}) {
    if (this.failure) return Promise.reject(new Error(this.failure.kind));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, text, lang, options });
      if (this.timer === null) this.watch(); // typing while it loads must not hold off the count
    });
  }

  receive(message) {
    if (this.failure) return;
    window.calculatorEngineBoot?.note(message, this.lockFileURL);
    if (message?.type === "result") {
      this.pending.get(message.id)?.resolve(message.json);
      this.pending.delete(message.id);
    } else if (message?.type === "ready") {
      this.ready = true;
      this.onReady(message.version);
    } else if (message?.type === "error") {
      this.fail(message.during === "scoring" ? "broke" : "failed", message.message);
      return;
    } else if (message?.type === "progress") {
      this.onProgress(message);
    }
    this.watch(); // every message is progress
  }

  /** Count `timeout` seconds afresh while something is awaited from the worker; else stop. */
  watch() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.failure || (this.ready && !this.pending.size)) return;
    this.timer = setTimeout(() => {
      // A hidden page may have been asleep or throttled: count again once it can be seen.
      if (document.hidden) this.watch();
      else this.fail(this.ready ? "stopped" : "stalled");
    }, this.timeout() * 1000);
  }

  fail(kind, detail = "") {
    if (this.failure) return;
    this.failure = { kind, detail: String(detail ?? "") };
    this.stop();
    for (const { reject } of this.pending.values()) reject(new Error(kind));
    this.pending.clear();
    this.onError(this.failure);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    this.worker?.terminate();
  }
}

/**
 * The worker the head's script (engine-boot.js) started for these addresses, with the events it
 * sent so far; null if it started none. Only the page's first Engine can get one. The script is
 * async and may run after that Engine has started: it then finds null here, and starts nothing.
 */
function takeBooted(indexURL, lockFileURL) {
  const boot = window.calculatorEngineBoot;
  if (boot === undefined) window.calculatorEngineBoot = null;
  return boot?.take(indexURL, lockFileURL) ?? null;
}
