// Snapshot storage in the engine's worker: one memory snapshot of a started engine, kept in
// IndexedDB for the next visit, keyed by the engine it was taken from; and the mark that a
// snapshot failed to restore, so that none is tried again for that engine. A snapshot is the
// interpreter's whole memory (about 31 MB), more than half of it in pages that hold only zeros:
// it is kept without those pages (about 12 MB), each run of the others with its place in memory,
// and not compressed (gunzipping took about 0.3 s of a return visit, and compressing delayed the
// storing by over a second, so that a visitor who left sooner kept none); reading it back is the
// longest wait of a return visit before the runtime starts.

const SNAPSHOT_FORMAT = 4; // changes when what goes into a snapshot, or how it is kept, changes
const DATABASE = "gbt27922-engine";
const STORE = "snapshots";
const ENTRY = "engine"; // the one entry: {key, size, memory, runs, probe, data: Blob} or {key, failed: true}
const PAGE = 65536; // bytes: WebAssembly's page, the unit of the runs kept

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
   * The stored entry: {key, failed: true} (it failed to restore before), {key, probe, bytes} (the
   * snapshot, its zero pages back in place), or {key, unreadable: true} when its data cannot be
   * read back whole (an error, the wrong length, or runs that do not fit); null if there is none.
   */
  async read() {
    const entry = await this.request("readonly", (store) => store.get(ENTRY));
    if (!entry || entry.failed === true) return entry ?? null;
    try {
      const kept = new Uint8Array(await entry.data.arrayBuffer());
      if (kept.byteLength !== entry.size) throw new Error("a snapshot of the wrong length");
      return { key: entry.key, probe: entry.probe, bytes: unpack(kept, entry.runs, entry.memory) };
    } catch {
      return { key: entry.key, unreadable: true };
    }
  }

  /** Keep the interpreter's snapshot (`probe`: its answer to the probe). */
  async save(key, pyodide, probe) {
    const snapshot = pyodide.makeMemorySnapshot();
    const runs = nonZeroRuns(snapshot);
    const data = new Blob(runs.map(([offset, length]) => snapshot.subarray(offset, offset + length)));
    await this.write({ key, size: data.size, memory: snapshot.byteLength, runs, probe, data });
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

/** [offset, length] of each run of PAGE-sized pieces of `bytes` that are not all zeros. */
function nonZeroRuns(bytes) {
  const runs = [];
  for (let offset = 0; offset < bytes.byteLength; offset += PAGE) {
    const length = Math.min(PAGE, bytes.byteLength - offset);
    if (allZero(bytes.subarray(offset, offset + length))) continue;
    const last = runs.at(-1);
    if (last && last[0] + last[1] === offset) last[1] += length;
    else runs.push([offset, length]);
  }
  return runs;
}

/** The `memory` bytes that `kept` holds the `runs` of (nonZeroRuns), zeros elsewhere; throws if
 * the runs do not fit. */
function unpack(kept, runs, memory) {
  const bytes = new Uint8Array(memory);
  let at = 0;
  for (const [offset, length] of runs) {
    if (!(offset >= 0 && length > 0 && offset + length <= memory && at + length <= kept.byteLength)) {
      throw new Error("a snapshot's runs do not fit it");
    }
    bytes.set(kept.subarray(at, at + length), offset);
    at += length;
  }
  if (at !== kept.byteLength) throw new Error("a snapshot's runs do not fit it");
  return bytes;
}

/** Whether `piece` holds only zeros: read four bytes at a time where it is aligned for that. */
function allZero(piece) {
  let checked = 0;
  if (piece.byteOffset % 4 === 0) {
    const words = new Uint32Array(piece.buffer, piece.byteOffset, piece.byteLength >> 2);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    checked = words.length * 4;
  }
  for (let i = checked; i < piece.byteLength; i++) if (piece[i] !== 0) return false;
  return true;
}
