// Starting the engine in its worker. Every file is asked for at once: the loader, the runtime,
// the lockfile, the wheels it names (install.mjs: fetched and checked against its sha256) and the
// engine's standard library, which sits beside the lockfile (the modules of Pyodide's that the
// engine uses: scripts/build_engine.py). A first visit starts Python, installs the wheel and imports the package;
// once it has said it is ready, and before it scores anything, it takes a memory snapshot of that
// interpreter and keeps it (worker-snapshots.mjs). A later visit restores the snapshot instead of
// starting Python, which is several times faster, then warms up in the background (a restored
// interpreter reuses the string-hash seed of the one the snapshot was taken from). Whatever fails
// on that path ends in a normal start: no IndexedDB, an entry that is
// missing, for another engine, or unreadable (deleted, and replaced after the normal start), or a
// restore that throws or answers the probe differently from the interpreter the snapshot was
// taken from (once the normal start has worked, the entry is marked and no snapshot is made
// again for this engine).

import { fetchWheels } from "./install.mjs";
import { Downloads } from "./worker-downloads.mjs";
import { fetchBytes, freeze, prepare, readLockfile, untilWasmFails } from "./worker-runtime.mjs";
import { SnapshotStore, snapshotKey } from "./worker-snapshots.mjs";
import { probe, warmUp } from "./worker-warm-up.mjs";

const STDLIB = "python_stdlib.zip"; // the engine's standard library, beside its lockfile

/** Start the engine; resolves to `evaluate(text, lang, options)` once it has said it is ready. */
export async function start({ indexURL, lockFileURL }) {
  const downloads = new Downloads();
  const engineFolder = new URL(".", lockFileURL).href;
  const stdLibURL = new URL(STDLIB, engineFolder).href;
  try {
    self.postMessage({ type: "progress", stage: "runtime" });
    // The loader would ask for these only once it has arrived itself: ask now, hand them over then.
    downloads.ahead(new URL("pyodide.asm.wasm", indexURL).href);
    downloads.ahead(stdLibURL);
    import(new URL("pyodide.asm.mjs", indexURL).href).catch(() => {}); // the loader reports failures
    const lockfile = readLockfile(lockFileURL);
    // Every package the site's lockfile names, fetched at once and checked against its sha256.
    const wheels = lockfile.then((lock) => fetchWheels(lock, lockFileURL, Object.keys(lock.packages), fetchBytes));
    wheels.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    const store = SnapshotStore.open().catch(() => null); // null: no snapshots in this browser
    const stored = store.then((snapshots) => snapshots?.read()).catch(() => null);
    const [{ loadPyodide, version: pyodideVersion }, lock] = await Promise.all([
      import(new URL("pyodide.mjs", indexURL).href),
      lockfile,
    ]);
    const options = { indexURL, stdLibURL, lockFileContents: lock, packageBaseUrl: engineFolder };
    // Python starts while the packages arrive; a package that fails to arrive fails the start at
    // once, without waiting for Python.
    const boot = async (extra) => {
      const [pyodide, fetched] = await Promise.all([untilWasmFails(() => loadPyodide({ ...options, ...extra })), wheels]);
      return { pyodide, browser: prepare(pyodide, fetched) };
    };
    const key = snapshotKey(pyodideVersion, new URL(engineFolder).pathname);
    const snapshots = await store;
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
        const { browser } = await boot({ _loadSnapshot: once(entry.bytes) });
        if (probe(browser) !== entry.probe) throw new Error("the restored engine answers differently");
        downloads.finish();
        const evaluate = ready(browser, "snapshot");
        warmUp(browser, JSON.parse(browser.scheme())).catch(() => {}); // only ever a head start: a failure here changes nothing
        return evaluate;
      } catch (error) {
        console.warn("The stored engine could not be restored; starting it normally.", error);
        restoreFailed = true;
        keep = false;
      }
    }

    self.postMessage({ type: "progress", stage: "python" });
    const { pyodide, browser } = await boot({ _makeSnapshot: keep });
    downloads.finish();
    const evaluate = ready(browser, "normal");
    // Before the first assessment is scored: load what scoring needs, leave what start-up made out
    // of the collector's way (it need not look at it again for each score), take the snapshot.
    const answer = probe(browser);
    freeze(pyodide);
    if (restoreFailed) {
      // The engine starts and its snapshot does not: that snapshot is not tried again.
      snapshots.markFailed(key).catch(() => {});
    } else if (keep) {
      saveSnapshot(snapshots, key, pyodide, answer); // stored while the page is already in use
    }
    return evaluate;
  } catch (error) {
    downloads.finish();
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
  // options: keyword arguments, passed as such (Pyodide's callKwargs takes them last).
  return (text, lang, options = {}) => browser.evaluate.callKwargs(text, lang, options);
}

async function saveSnapshot(snapshots, key, pyodide, answer) {
  try {
    await snapshots.save(key, pyodide, answer);
    self.postMessage({ type: "saved" });
  } catch (error) {
    console.warn("The engine could not be stored for the next visit.", error);
  }
}
