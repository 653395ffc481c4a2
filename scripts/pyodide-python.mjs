// Run Python inside the pinned Pyodide (the npm package) under Node, offline, like `python3`.
//
//   node scripts/pyodide-python.mjs [OPTIONS] (-c CODE | -m MODULE | SCRIPT) [ARG...]
//
//   --mount DIR         make the host folder DIR visible at the same path inside Pyodide
//                       (repeatable); the working directory is mounted and made current
//   --sys-path ENTRY    put ENTRY (a folder or a pure-Python wheel, read in place) at the front
//                       of sys.path (repeatable): how the build runs pyodide-build and pyodide-lock
//   --lock FILE         install every package the lockfile FILE names, checked against its
//                       sha256: the engine worker's own way (docs/assets/calculator/install.mjs)
//   --env NAME          pass the environment variable NAME through, if set (repeatable)
//   --stdlib ZIP        start with the standard library ZIP instead of Pyodide's own: the engine's
//                       (scripts/build_engine.py), which holds only the modules the engine uses
//
// The working directory is not put on sys.path (as with `python -P`): the packages installed from
// the lockfile are what gets imported, not sources lying in the working directory.
//
// Exits with the Python program's exit status (SystemExit included); 1 on an uncaught exception,
// whose traceback goes to standard error. Nothing is fetched from the network.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadPyodide } from "pyodide";
import { fetchWheels, installWheels } from "../docs/assets/calculator/install.mjs";

const USAGE =
  "usage: node scripts/pyodide-python.mjs [--mount DIR] [--sys-path ENTRY] [--lock FILE] [--env NAME] [--stdlib ZIP] (-c CODE | -m MODULE | SCRIPT) [ARG...]";

function parse(argv) {
  const options = { mounts: [process.cwd()], sysPath: [], env: {} };
  let i = 0;
  const value = () => {
    if (i + 1 >= argv.length) fail(`${argv[i]} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--mount") options.mounts.push(path.resolve(value()));
    else if (arg === "--sys-path") options.sysPath.push(path.resolve(value()));
    else if (arg === "--lock") options.lock = path.resolve(value());
    else if (arg === "--stdlib") options.stdlib = path.resolve(value());
    else if (arg === "--env") {
      const name = value();
      if (process.env[name] !== undefined) options.env[name] = process.env[name];
    } else if (arg === "-c" || arg === "-m") {
      options[arg === "-c" ? "code" : "module"] = value();
      options.argv = argv.slice(i + 1);
      return options;
    } else if (arg.startsWith("-")) fail(`unknown option ${arg}`);
    else {
      options.script = path.resolve(arg);
      options.argv = argv.slice(i + 1);
      return options;
    }
  }
  fail("give -c CODE, -m MODULE or a SCRIPT");
}

function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const options = parse(process.argv.slice(2));

// Nothing may be fetched: every file comes from node_modules/pyodide or a mounted folder.
globalThis.fetch = async (url) => {
  throw new Error(`network access refused: ${url}`);
};

const pyodide = await loadPyodide({
  env: { HOME: "/home/pyodide", ...options.env },
  ...(options.stdlib ? { stdLibURL: options.stdlib } : {}),
});
for (const [stream, out] of [["setStdout", process.stdout], ["setStderr", process.stderr]]) {
  pyodide[stream]({ write: (bytes) => (out.write(bytes), bytes.length), isatty: false });
}
// A folder inside one already mounted is visible through it (and must not be mounted again).
const inside = (dir, other) => dir !== other && !path.relative(other, dir).startsWith("..");
for (const dir of new Set(options.mounts)) {
  if (options.mounts.some((other) => inside(dir, other))) continue;
  pyodide.FS.mkdirTree(dir);
  pyodide.mountNodeFS(dir, dir);
}
if (options.lock) {
  const lock = JSON.parse(await readFile(options.lock, "utf8"));
  const read = async (url) => new Uint8Array(await readFile(new URL(url)));
  const names = Object.keys(lock.packages);
  installWheels(pyodide, await fetchWheels(lock, pathToFileURL(options.lock).href, names, read));
}

const scope = pyodide.toPy({
  cwd: process.cwd(),
  entries: options.sysPath,
  argv: options.argv,
  code: options.code,
  module: options.module,
  script: options.script,
});
let status;
try {
  status = pyodide.runPython(
    `
import os, sys, traceback

def run():
    os.chdir(cwd)
    # As \`python -P\`: the working directory is not searched, so an installed package is never
    # shadowed by its sources there.
    sys.path[:] = [*entries, *(entry for entry in sys.path if entry not in ("", cwd))]
    try:
        if module is not None:
            import runpy  # here only: the engine's standard library (--stdlib) has no runpy's imports
            sys.argv = [module, *argv]
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        elif script is not None:
            sys.argv = [script, *argv]
            with open(script, encoding="utf-8") as source:
                compiled = compile(source.read(), script, "exec")
            exec(compiled, {"__name__": "__main__", "__file__": script})
        else:
            sys.argv = ["-c", *argv]
            exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            return exit.code or 0
        print(exit.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return 0

run()
`,
    { globals: scope },
  );
} finally {
  scope.destroy();
}
process.exitCode = status;
