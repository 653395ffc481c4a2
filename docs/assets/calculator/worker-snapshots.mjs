// Snapshot storage in the engine's worker: one memory snapshot of a started engine, kept in
// IndexedDB for the next visit, keyed by the engine it was taken from; and the mark that a
// snapshot failed to restore, so that none is tried again for that engine. The snapshot is kept
// as it is (about 30 MB), not compressed: gunzipping it took about 0.3 s of a return visit, and
// compressing it delayed its storing by over a second, so that a visitor who left sooner kept none.

const SNAPSHOT_FORMAT = 3; // changes when what goes into a snapshot, or how it is kept, changes
const DATABASE = "gbt27922-engine";
const STORE = "snapshots";
const ENTRY = "engine"; // the one entry: {key, size, probe, data: Blob} or {key, failed: true}

/**
 * The key of a snapshot of this engine: the Pyodide version and the engine's folder, whose name
 * is the digest of its lockfile and standard library (a snapshot restores only with the very
 * standard library it was taken with).
 */
export function snapshotKey(pyodideVersion, engineFolder) {
  return `pyodide ${pyodideVersion}; engine ${engineFolder}; format ${SNAPSHOT_FORMAT}`;
}

export class SnapshotStore {
  /** The store; rejects where this browser keeps no snapshot (no IndexedDB). */
  static async open() {
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
   * {key, unreadable: true} when its data cannot be read back whole (an error, or the wrong
   * length); null if there is none.
   */
  async read() {
    const entry = await this.request("readonly", (store) => store.get(ENTRY));
    if (!entry || entry.failed === true) return entry ?? null;
    try {
      const bytes = new Uint8Array(await entry.data.arrayBuffer());
      if (bytes.byteLength !== entry.size) throw new Error("a snapshot of the wrong length");
      return { key: entry.key, probe: entry.probe, bytes };
    } catch {
      return { key: entry.key, unreadable: true };
    }
  }

  /** Keep the interpreter's snapshot (`probe`: its answer to the probe). */
  async save(key, pyodide, probe) {
    const snapshot = pyodide.makeMemorySnapshot();
    await this.write({ key, size: snapshot.byteLength, probe, data: new Blob([snapshot]) });
  }

  /** Mark the engine's snapshot as one that does not restore. */
  markFailed(key) {
    return this.write({ key, failed: true });
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
