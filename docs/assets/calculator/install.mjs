// Installing packages from a Pyodide lockfile: the one way the engine gets its Python packages,
// in the page's worker and in the test runner under Node (tests/pyodide/, scripts/pyodide-python.mjs).
//
//   const wheels = await fetchWheels(lock, lockFileURL, ["calculator"], read);
//   installWheels(pyodide, wheels);
//
// fetchWheels asks for every wheel the named packages need (their `depends`, recursively) at once,
// through `read(url, integrity)`, which returns the file's bytes (the worker fetches with the
// integrity given; Node reads the file), and checks each against the lockfile's sha256 before
// anything is installed. installWheels unpacks them into site-packages, as Pyodide's own package
// loader does with a pure-Python wheel. It can be called again on an interpreter restored from a
// memory snapshot, which holds the interpreter's memory but not its files.

/**
 * The wheels of `names` and of everything they depend on, checked against the lockfile.
 * Rejects with a message naming the package when one is not in the lockfile or does not match.
 */
export async function fetchWheels(lock, lockFileURL, names, read) {
  const entries = new Map();
  const visit = (name) => {
    const entry = lock.packages[name];
    if (!entry) throw new Error(`the lockfile has no package named ${name}`);
    if (entries.has(name)) return;
    entries.set(name, entry);
    entry.depends.forEach(visit);
  };
  names.forEach(visit);
  return Promise.all(
    Array.from(entries, async ([name, entry]) => {
      const url = new URL(entry.file_name, lockFileURL).href;
      const bytes = await read(url, `sha256-${base64(hexBytes(entry.sha256))}`);
      const digest = await sha256(bytes);
      if (digest !== null && digest !== entry.sha256) {
        throw new Error(`${entry.file_name}: sha256 ${digest} does not match the lockfile's ${entry.sha256}`);
      }
      return { name, fileName: entry.file_name, bytes };
    }),
  );
}

/** Unpacks the wheels into site-packages; the packages can be imported afterwards. */
export function installWheels(pyodide, wheels) {
  const paths = wheels.map(({ fileName, bytes }) => {
    const path = `/tmp/${fileName.split("/").pop()}`;
    pyodide.FS.writeFile(path, bytes);
    return path;
  });
  const scope = pyodide.toPy({ paths });
  try {
    pyodide.runPython(
      `
import site, sys, zipfile
target = site.getsitepackages()[0]
for path in paths:
    # A wheel's names are UTF-8 (PEP 427); saying so spares importing the cp437 codec for them.
    with zipfile.ZipFile(path, metadata_encoding="utf-8") as wheel:
        wheel.extractall(target)
# Only site-packages' finder need look again (importlib.invalidate_caches() would also import
# importlib.metadata, which the engine has no other use for).
finder = sys.path_importer_cache.get(target)
if finder is not None:
    finder.invalidate_caches()
`,
      { globals: scope },
    );
  } finally {
    scope.destroy();
    paths.forEach((path) => pyodide.FS.unlink(path));
  }
}

/** The hex SHA-256 of the bytes, or null where Web Crypto is unavailable (a page not served over
 * HTTPS or from localhost), where the browser has checked the integrity given to fetch instead. */
export async function sha256(bytes) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function hexBytes(hex) {
  return hex.match(/../g).map((pair) => parseInt(pair, 16));
}

function base64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}
