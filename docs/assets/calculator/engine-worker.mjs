// The scoring engine: Pyodide running the `calculator` package, in a module worker so the page
// never waits for Python.
//
// Messages in:  {type: "init", indexURL, lockFileURL}   absolute URLs, sent once
//               {id, text, lang}                        an assessment as JSON text
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
//               {type: "result", id, json, ms}         calculator.browser.evaluate(text, lang);
//                                                      ms: time spent in that call
//               {type: "saved"}                        a snapshot is stored for the next visit
//
// Start-up. Every file is asked for at once: the loader, the runtime, the standard library, the
// lockfile and the wheels it names (install.mjs: fetched and checked against its sha256). A first
// visit starts Python, installs the wheel and imports the package; once it has said it is ready,
// and before it scores anything, it takes a memory snapshot of that interpreter and keeps it in
// IndexedDB, gzip-compressed and keyed by the Pyodide version, the lockfile's digest and
// SNAPSHOT_FORMAT. A later visit restores the snapshot instead of starting Python, which is
// several times faster, then warms up in the background. (A restored interpreter reuses the
// string-hash seed of the one the snapshot was taken from.) Whatever fails on that path ends in
// a normal start: no IndexedDB or compression streams, an entry that is missing, for another
// engine, or unreadable (deleted, and replaced after the normal start), or a restore that throws
// or answers differently from the interpreter the snapshot was taken from (once the normal start
// has worked, the entry is marked and no snapshot is made again for this engine).
//
// The assessment reaches Python as a function argument, never as source code.

const SNAPSHOT_FORMAT = 1; // changes when what goes into a snapshot changes
const DATABASE = "gbt27922-engine";
const STORE = "snapshots";
const ENTRY = "engine"; // the one entry: {key, size, probe, data: gzip Blob} or {key, failed: true}
// Scored before a snapshot is taken and again after it is restored: both answers must be equal.
const PROBE = '{"total": 91.5, "special_deductions": 1, "special_bonus": true}';
const PROGRESS_INTERVAL = 250; // ms between two download progress messages
const COMPRESS_CHUNK = 1 << 20; // bytes compressed between two turns of the message queue
const WARM_UP_ROUNDS = 40; // turns of the message queue spent scoring after a restore

let engine = null;

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === "init") {
    engine ??= start(message);
    return;
  }
  let evaluate;
  try {
    evaluate = await engine;
  } catch {
    return; // start() has already reported why the engine is not available
  }
  try {
    const started = performance.now();
    const json = evaluate(message.text, message.lang);
    self.postMessage({ type: "result", id: message.id, json, ms: performance.now() - started });
  } catch (error) {
    // The entry point answers every text with a result or errors; anything else is a fault.
    self.postMessage({ type: "error", during: "scoring", message: brief(error) });
  }
});

async function start({ indexURL, lockFileURL }) {
  const downloads = new Downloads();
  try {
    self.postMessage({ type: "progress", stage: "runtime" });
    // The loader would ask for these only once it has arrived itself: ask now, hand them over then.
    downloads.ahead(new URL("pyodide.asm.wasm", indexURL).href);
    downloads.ahead(new URL("python_stdlib.zip", indexURL).href);
    import(new URL("pyodide.asm.mjs", indexURL).href).catch(() => {}); // the loader reports failures
    const lockfile = readLockfile(lockFileURL);
    const installer = import(sibling("install.mjs"));
    // Every package the site's lockfile names, fetched at once and checked against its sha256.
    const wheels = Promise.all([lockfile, installer]).then(([{ lock }, { fetchWheels }]) =>
      fetchWheels(lock, lockFileURL, Object.keys(lock.packages), fetchBytes),
    );
    wheels.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    const store = SnapshotStore.open().catch(() => null); // null: no snapshots in this browser
    const stored = store.then((snapshots) => snapshots?.read()).catch(() => null);
    const [{ loadPyodide, version: pyodideVersion }, { lock, digest }] = await Promise.all([
      import(new URL("pyodide.mjs", indexURL).href),
      lockfile,
    ]);
    const options = { indexURL, lockFileContents: lock, packageBaseUrl: new URL(".", lockFileURL).href };
    // Python starts while the packages arrive; a package that fails to arrive fails the start at
    // once, without waiting for Python.
    const boot = async (extra) => {
      const [pyodide, fetched, { installWheels }] = await Promise.all([
        untilWasmFails(() => loadPyodide({ ...options, ...extra })),
        wheels,
        installer,
      ]);
      return { pyodide, install: () => installWheels(pyodide, fetched) };
    };
    const key = `pyodide ${pyodideVersion}; lockfile ${digest}; format ${SNAPSHOT_FORMAT}`;
    const snapshots = digest ? await store : null;
    const entry = snapshots ? await stored : null;
    let keep = Boolean(snapshots); // make a snapshot after a normal start
    let restoreFailed = false;

    if (entry && (entry.key !== key || entry.unreadable)) {
      await snapshots.remove().catch(() => {});
    } else if (entry?.failed) {
      keep = false;
    } else if (entry) {
      try {
        self.postMessage({ type: "progress", stage: "snapshot" });
        const browser = prepare(await boot({ _loadSnapshot: once(entry.bytes) }));
        if (browser.evaluate(PROBE, "en") !== entry.probe) {
          throw new Error("the restored engine answers differently");
        }
        downloads.finish();
        const evaluate = ready(browser, "snapshot");
        warmUp(browser).catch(() => {}); // only ever a head start: a failure here changes nothing
        return evaluate;
      } catch (error) {
        console.warn("The stored engine could not be restored; starting it normally.", error);
        restoreFailed = true;
        keep = false;
      }
    }

    self.postMessage({ type: "progress", stage: "python" });
    const started = await boot({ _makeSnapshot: keep });
    const { pyodide } = started;
    const browser = prepare(started);
    downloads.finish();
    const evaluate = ready(browser, "normal");
    // Before the first assessment is scored: load what scoring needs, leave what start-up made out
    // of the collector's way (it need not look at it again for each score), take the snapshot.
    const probe = browser.evaluate(PROBE, "en");
    pyodide.runPython("import gc; gc.collect(); gc.freeze()");
    if (restoreFailed) {
      // The engine starts and its snapshot does not: that snapshot is not tried again.
      snapshots.write({ key, failed: true }).catch(() => {});
    } else if (keep) {
      saveSnapshot(snapshots, key, pyodide, probe); // stored while the page is already in use
    }
    return evaluate;
  } catch (error) {
    downloads.finish();
    self.postMessage({ type: "error", message: brief(error) });
    throw error;
  }
}

/** The snapshot, handed to the loader once: it keeps its options, not 30 MB it no longer needs. */
function once(bytes) {
  return {
    then(resolve) {
      resolve(bytes);
      bytes = null;
    },
  };
}

function ready(browser, start) {
  self.postMessage({ type: "ready", version: browser.version(), start });
  return (text, lang) => browser.evaluate(text, lang);
}

/**
 * Scores a range of assessments in the background, three per turn of the message queue. A
 * restored engine has run no Python yet in this page, so without this the page's first scores
 * would go through code the browser has not optimised yet, at about half the speed.
 */
async function warmUp(browser) {
  const categories = JSON.parse(browser.scheme()).categories;
  const ids = categories.flatMap((category) => category.indicators.map(({ id }) => id));
  const answers = [
    { status: "conforms" },
    { status: "nonconforming" },
    { status: "sampled", samples: 10, nonconforming: 3 },
    { status: "scored", points: 1.5 },
    { status: "excluded" },
  ];
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    await new Promise((resolve) => setTimeout(resolve));
    const lang = round % 2 ? "en" : "zh";
    const indicators = Object.fromEntries(ids.map((id, i) => [id, answers[(i + round) % answers.length]]));
    browser.evaluate(JSON.stringify({ indicators, special_deductions: round % 6, special_bonus: !(round % 2) }), lang);
    browser.evaluate(JSON.stringify({ total: 60 + round, special_deductions: round % 3, special_bonus: false }), lang);
    browser.evaluate(JSON.stringify({ total: String(round) }), lang);
  }
}

/**
 * Installs the packages into site-packages (install.mjs) and imports the browser entry point. A
 * snapshot holds the interpreter's memory but not its file system, so a restored engine installs
 * them too, after checking that the standard library is there (Pyodide restores without it if it
 * failed to arrive).
 */
function prepare({ pyodide, install }) {
  pyodide.runPython(`
import os, sys
missing = [entry for entry in sys.path if entry.endswith(".zip") and not os.path.isfile(entry)]
if missing:
    raise ImportError(f"the standard library did not arrive: {', '.join(missing)}")
`);
  install();
  return pyodide.pyimport("calculator.browser");
}

async function saveSnapshot(snapshots, key, pyodide, probe) {
  try {
    const snapshot = pyodide.makeMemorySnapshot();
    const data = await compress(snapshot);
    await snapshots.write({ key, size: snapshot.byteLength, probe, data });
    self.postMessage({ type: "saved" });
  } catch (error) {
    console.warn("The engine could not be stored for the next visit.", error);
  }
}

/** Gzip in chunks, letting the assessments that arrive meanwhile be scored between them. */
async function compress(bytes) {
  const stream = new CompressionStream("gzip");
  const compressed = new Response(stream.readable).blob();
  const writer = stream.writable.getWriter();
  for (let offset = 0; offset < bytes.byteLength; offset += COMPRESS_CHUNK) {
    await writer.write(bytes.subarray(offset, offset + COMPRESS_CHUNK));
    await new Promise((resolve) => setTimeout(resolve));
  }
  await writer.close();
  return compressed;
}

async function decompress(blob) {
  const stream = blob.stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The lockfile, parsed, and the hex SHA-256 of its text (null where digests are unavailable). */
async function readLockfile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const text = await response.text();
  const digest = self.crypto?.subtle
    ? hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))))
    : null;
  return { lock: JSON.parse(text), digest };
}

/** A file's bytes, fetched with the integrity (the lockfile's sha256) the browser checks. */
async function fetchBytes(url, integrity) {
  const response = await fetch(url, { integrity });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A module next to this worker, with the worker's own ?v= version, so both come from one build. */
function sibling(name) {
  return new URL(`${name}${new URL(import.meta.url).search}`, import.meta.url).href;
}

function hex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The worker's fetch, wrapped: counts the bytes of every response body as it arrives and reports
 * them, and hands a response fetched ahead of time to the first request for its URL. A counted
 * response keeps its status and headers (application/wasm included), so the runtime still
 * compiles while it downloads.
 */
class Downloads {
  constructor() {
    this.native = self.fetch.bind(self);
    this.early = new Map();
    this.loaded = 0;
    this.total = 0; // null once a body's decoded length cannot be known in advance
    this.waiting = 0; // requests without a response yet
    this.reading = 0; // bodies still arriving
    this.last = -Infinity;
    this.timer = null;
    this.done = false;
    self.fetch = (resource, init) => {
      const url = resource instanceof Request ? resource.url : String(resource);
      const early = this.early.get(url);
      if (early && !init?.integrity) {
        this.early.delete(url);
        return early;
      }
      return this.count(this.native(resource, init));
    };
  }

  ahead(url) {
    const response = this.count(this.native(url));
    response.catch(() => {}); // reported by whoever asks for it
    this.early.set(url, response);
  }

  async count(pending) {
    this.waiting += 1;
    let response;
    try {
      response = await pending;
    } finally {
      this.waiting -= 1;
    }
    if (!response.ok || !response.body) return response;
    const length = Number(response.headers.get("content-length"));
    const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
    this.total = this.total === null || encoded || !length ? null : this.total + length;
    const reader = response.body.getReader();
    this.reading += 1;
    let open = true;
    const finished = () => {
      if (open) this.reading -= 1;
      open = false;
      if (!this.reading && !this.waiting) this.report(true); // all in: say so at once
    };
    const body = new ReadableStream({
      pull: async (controller) => {
        let chunk;
        try {
          chunk = await reader.read();
        } catch (error) {
          finished();
          throw error;
        }
        if (chunk.done) {
          controller.close();
          finished();
          return;
        }
        this.loaded += chunk.value.byteLength;
        this.report();
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => {
        finished();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /** Post the count within PROGRESS_INTERVAL, or `now` (when every body has arrived). */
  report(now = false) {
    if (this.done || (this.timer !== null && !now)) return;
    clearTimeout(this.timer);
    const post = () => {
      this.timer = null;
      if (this.done) return;
      this.last = performance.now();
      const total = this.waiting === 0 ? this.total : null;
      self.postMessage({ type: "progress", stage: "download", loaded: this.loaded, total });
    };
    if (now) post();
    else this.timer = setTimeout(post, Math.max(0, this.last + PROGRESS_INTERVAL - performance.now()));
  }

  /** No more progress messages once the engine is ready or has failed. */
  finish() {
    this.done = true;
    clearTimeout(this.timer);
  }
}

/** The snapshot kept for the next visit, in IndexedDB. */
class SnapshotStore {
  static async open() {
    if (typeof CompressionStream !== "function" || typeof DecompressionStream !== "function") {
      throw new Error("compression streams are not available");
    }
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.onversionchange = () => db.close(); // a newer page needs the database: let it have it
    return new SnapshotStore(db);
  }

  constructor(db) {
    this.db = db;
  }

  /**
   * The stored entry: {key, failed: true} (it failed to restore before), {key, probe, bytes}, or
   * {key, unreadable: true} when its data cannot be read back whole (a wrong gzip checksum or
   * length); null if there is none.
   */
  async read() {
    const entry = await this.request("readonly", (store) => store.get(ENTRY));
    if (!entry || entry.failed === true) return entry ?? null;
    try {
      const bytes = await decompress(entry.data);
      if (bytes.byteLength !== entry.size) throw new Error("a snapshot of the wrong length");
      return { key: entry.key, probe: entry.probe, bytes };
    } catch {
      return { key: entry.key, unreadable: true };
    }
  }

  write(entry) {
    return this.request("readwrite", (store) => store.put(entry, ENTRY));
  }

  remove() {
    return this.request("readwrite", (store) => store.delete(ENTRY));
  }

  request(mode, operation) {
    return new Promise((resolve, reject) => {
      const transaction = this.db.transaction(STORE, mode);
      const request = operation(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = transaction.onabort = () => reject(transaction.error ?? new Error("aborted"));
    });
  }
}

/**
 * `load()`, or a rejection if the WebAssembly runtime fails to load. Pyodide reports that only
 * with console.warn("wasm instantiation failed!") followed by the error, and then waits for ever.
 */
async function untilWasmFails(load) {
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

/** One line for the page: a Python traceback's final "SomeError: ..." line, else the first. */
function brief(error) {
  const lines = String(error?.message ?? error)
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.find((line) => /^\w+(Error|Exception): /.test(line)) ?? lines[0] ?? "unknown error").slice(0, 300);
}
