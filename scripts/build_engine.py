#!/usr/bin/env python3
"""Build the engine the site ships: the scoring package's wheel, compiled to bytecode for the
pinned Pyodide, with its lockfile; and the lockfile the in-Pyodide tests install from.

    python3 scripts/build_engine.py [--out DIR]

Prints the folder it wrote (a JSON summary with ``--json``). Four steps, each by the standard tool:

1. ``python -m build --wheel --no-isolation`` builds ``pyproject.toml``'s wheel (flit_core), with
   ``SOURCE_DATE_EPOCH`` fixed, so the same sources always give the same bytes.
2. Inside the pinned Pyodide under Node (``scripts/pyodide-python.mjs``), pyodide-lock's
   ``add-wheels`` writes the lockfile, starting from the ``info`` of Pyodide's own (whose
   ``abi_version`` ``loadPyodide`` checks), and pyodide-build's ``py-compile`` compiles the wheel to
   bytecode (as ``-X no_debug_ranges``: WHEEL_COMPILE_ENV) and updates the lockfile's file name and sha256. Both tools need Python 3.12 or newer
   and compile for the Python they run on: inside Pyodide that is exactly the engine's Python,
   whatever the host's. Their wheels come from ``requirements-pyodide-build.txt``.
3. The engine's standard library: ``scripts/trace-engine.mjs`` runs the engine under Node as its
   worker does (start, snapshot, restore, warm-up) and scores every case of
   ``scripts/engine_cases.py`` (the golden cases and the generated ones, valid and invalid, in both
   languages), listing the modules it loads from Pyodide's ``python_stdlib.zip``. Those files,
   and only those, go into the engine's own ``python_stdlib.zip``, which ``py-compile`` compiles to
   bytecode like the wheel (as ``-OO -X no_debug_ranges``: STDLIB_COMPILE_ENV), with line tables
   that give each function's first line (_COMPILE_STDLIB). It is what the page's ``loadPyodide``
   gets as ``stdLibURL``.
4. ``add-wheels`` again writes ``pyodide-lock-test.json``: the engine's lockfile plus pytest,
   Hypothesis and their dependencies (``requirements-pyodide-test.txt``), for ``make test-pyodide``
   (which runs on Pyodide's whole standard library: pytest needs much more of it).

Without ``--out`` the result is kept under ``.cache/engine/<digest of every input>/`` and reused
while no input changes. A missing prerequisite (Node, ``npm ci``, the tool wheels, the build
frontend) stops it with one line saying what is missing and how to get it, and exit status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "calculator"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
CACHE = ROOT / ".cache" / "engine"
WHEELS = ROOT / ".cache" / "wheels"  # <kind>/ for each requirements-pyodide-<kind>.txt
RUNNER = ROOT / "scripts" / "pyodide-python.mjs"
TRACER = ROOT / "scripts" / "trace-engine.mjs"
CASES = ROOT / "scripts" / "engine_cases.py"
GOLDEN = ROOT / "tests" / "golden"

#: The wheel's time stamps (1980-01-01, the earliest a zip file holds): the same bytes every build.
SOURCE_DATE_EPOCH = "315532800"
LOCKFILE = "pyodide-lock.json"
TEST_LOCKFILE = "pyodide-lock-test.json"
TEST_WHEELS = "test-wheels"
STDLIB = "python_stdlib.zip"  # Pyodide's standard library, and the engine's cut of it
TRACE = "stdlib-trace.json"  # the modules the engine imported from it, and their files

#: What loadPyodide fetches from Pyodide's own files: the loader and the runtime. (The standard
#: library is the engine's, and the lockfile the site's.)
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")

#: Run inside Pyodide by step 2: argv is the folder of the wheel, the seed lockfile, the lockfile.
_LOCK_AND_COMPILE = """
import sys
from pathlib import Path
from pyodide_build.cli.py_compile import main as py_compile
from pyodide_lock.cli import main as lockfile

dist, seed, lock = sys.argv[1:4]
wheels = [str(path) for path in Path(dist).glob("*.whl")]
lockfile(["add-wheels", "--input", seed, "--output", lock, "--base-path", dist, *wheels],
         standalone_mode=False)
py_compile([dist, "--silent", "--compression-level", "9"], standalone_mode=False)
"""

#: The wheel is compiled as ``python -X no_debug_ranges`` would: its tracebacks give lines but do
#: not underline the columns, which make a quarter of a Python 3.14 ``.pyc``. It keeps its
#: docstrings (its doctests run against it) and its line numbers.
WHEEL_COMPILE_ENV = {"PYTHONNODEBUGRANGES": "1"}

#: The standard library is compiled as ``python -OO -X no_debug_ranges`` would (the compiler
#: follows ``sys.flags.optimize`` and the ``code_debug_ranges`` setting): without docstrings and
#: ``assert`` statements, which the engine never reads, and without the column ranges a traceback
#: underlines, a quarter of a Python 3.14 ``.pyc``.
STDLIB_COMPILE_ENV = {"PYTHONOPTIMIZE": "2", "PYTHONNODEBUGRANGES": "1"}

#: Run inside Pyodide by step 3: argv is the engine's standard library zip, compiled in place;
#: then each module's line table says that all its code is on the line it starts at. A traceback
#: through the standard library names the file and the function, and gives the line of its
#: ``def`` rather than the line that raised; the engine's own wheel keeps its line numbers. The
#: line tables were two fifths of the compiled standard library (checked: every code object's
#: lines are then only its first line, over all its code).
_COMPILE_STDLIB = """
import marshal, sys, types, zipfile
from pyodide_build.cli.py_compile import main as py_compile

LINE_DELTA_ONLY = 13  # a line table entry without columns (CPython's Objects/locations.md)

def first_line_only(code):
    units = len(code.co_code) // 2
    table = bytearray()
    while units > 0:  # an entry covers at most 8 code units; its line delta is 0
        covered = min(units, 8)
        table += bytes((0x80 | LINE_DELTA_ONLY << 3 | covered - 1, 0))
        units -= covered
    consts = tuple(first_line_only(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    flat = code.replace(co_consts=consts, co_linetable=bytes(table))
    lines = list(flat.co_lines())
    assert {line for _, _, line in lines} <= {flat.co_firstlineno}, flat
    assert lines[0][0] == 0 and lines[-1][1] == len(flat.co_code), flat
    return flat

path = sys.argv[1]
py_compile([path, "--silent", "--no-keep"], standalone_mode=False)
with zipfile.ZipFile(path) as compiled:
    members = [(info, compiled.read(info)) for info in compiled.infolist()]
with zipfile.ZipFile(path, "w") as flat:
    for info, data in members:
        if info.filename.endswith(".pyc"):
            data = data[:16] + marshal.dumps(first_line_only(marshal.loads(data[16:])))
        flat.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
"""

#: Run inside Pyodide by step 3: argv is the lockfile, the test lockfile, the folder, the wheels.
_LOCK_TESTS = """
import sys
from pyodide_lock.cli import main as lockfile

lock, out, base, *wheels = sys.argv[1:]
lockfile(["add-wheels", "--input", lock, "--output", out, "--base-path", base, *wheels],
         standalone_mode=False)
"""


class Missing(Exception):
    """A prerequisite is not there; the message says what and how to get it."""


@dataclass(frozen=True)
class Engine:
    """A built engine: ``directory`` holds the wheel, the lockfile, the standard library and the
    test lockfile."""

    directory: str
    pyodide_version: str
    wheel: str  # the compiled wheel's file name
    sha256: str
    stdlib: str = STDLIB  # the engine's standard library, beside the wheel
    pyodide_files: tuple[str, ...] = PYODIDE_FILES  # Pyodide's own, which the site ships beside them

    @property
    def path(self) -> Path:
        return Path(self.directory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="build into this folder (no cache)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    args = parser.parse_args(argv)
    try:
        engine = build(args.out)
    except Missing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(engine)) if args.json else engine.directory)
    return 0


def build(out: Path | None = None) -> Engine:
    """Build the engine into ``out``, or reuse the cached one for the current inputs."""
    version = pyodide_version()
    wheel_dirs = {kind: tool_wheels(kind) for kind in ("build", "test")}
    node = shutil.which("node")
    if node is None:
        raise Missing("Node.js is not installed (`node` is not on PATH): install Node.js 20 or newer")
    if out is None:
        out = CACHE / input_digest(version)
        if (out / TEST_LOCKFILE).is_file():
            return _summary(out, version)
        _forget_older(keep=out)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".engine-", dir=out.parent))
    try:
        dist = work / "dist"
        build_wheel(dist)
        seed = work / "seed.json"
        stock = json.loads((NODE_PYODIDE / LOCKFILE).read_text(encoding="utf-8"))
        seed.write_text(json.dumps({"info": stock["info"], "packages": {}}), encoding="utf-8")
        in_pyodide(node, _LOCK_AND_COMPILE, [dist, seed, dist / LOCKFILE], sys_path=wheel_dirs["build"], mount=work,
                   env=WHEEL_COMPILE_ENV)
        cut_stdlib(node, dist, work)
        in_pyodide(node, _COMPILE_STDLIB, [dist / STDLIB], sys_path=wheel_dirs["build"], mount=work,
                   env=STDLIB_COMPILE_ENV)
        tests = dist / TEST_WHEELS
        tests.mkdir()
        copies = [shutil.copy2(wheel, tests / wheel.name) for wheel in sorted(wheel_dirs["test"].glob("*.whl"))]
        in_pyodide(node, _LOCK_TESTS, [dist / LOCKFILE, dist / TEST_LOCKFILE, dist, *copies],
                   sys_path=wheel_dirs["build"], mount=work)
        if out.exists():
            shutil.rmtree(out)
        dist.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _summary(out, version)


def pyodide_version() -> str:
    """The installed npm Pyodide version, checked against the pin in package.json."""
    installed = NODE_PYODIDE / "package.json"
    if not installed.is_file():
        raise Missing(f"Pyodide is not installed ({_shown(NODE_PYODIDE)} is missing): run `npm ci`")
    version = json.loads(installed.read_text(encoding="utf-8"))["version"]
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    if version != pinned:
        raise Missing(f"node_modules has Pyodide {version} but package.json pins {pinned}: run `npm ci`")
    missing = [name for name in (*PYODIDE_FILES, STDLIB, LOCKFILE) if not (NODE_PYODIDE / name).is_file()]
    if missing:
        raise Missing(f"Pyodide {version} lacks {', '.join(missing)}: run `npm ci`")
    return version


def pinned_wheels(kind: str) -> list[tuple[str, str]]:
    """(name, version) of every package requirements-pyodide-<kind>.txt pins."""
    text = (ROOT / f"requirements-pyodide-{kind}.txt").read_text(encoding="utf-8")
    return re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.MULTILINE)


def tool_wheels(kind: str) -> Path:
    """The folder of the wheels requirements-pyodide-<kind>.txt pins, checked to hold each one."""
    folder = WHEELS / kind
    present = {_wheel_key(path.name) for path in folder.glob("*.whl")} if folder.is_dir() else set()
    missing = [f"{name}=={version}" for name, version in pinned_wheels(kind)
               if (_normalise(name), version) not in present]
    if missing:
        raise Missing(
            f"the Pyodide {kind} wheels are missing from {_shown(folder)}/ "
            f"({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}): run `make setup`"
        )
    return folder


def build_wheel(dist: Path) -> Path:
    """The package's wheel, built by the standard frontend from pyproject.toml."""
    for module in ("build", "flit_core"):
        if subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode:
            raise Missing(f"the Python package `{module}` is not installed for {sys.executable}: "
                          "run `make setup` (or pip install -r requirements.txt)")
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True, text=True, env=env, check=False,
    )
    if proc.returncode:
        raise Missing(f"building the wheel failed:\n{proc.stdout}{proc.stderr}")
    (wheel,) = dist.glob("*.whl")
    return wheel


def cut_stdlib(node: str, dist: Path, work: Path) -> Path:
    """Write ``dist/python_stdlib.zip``: the files of Pyodide's standard library that the engine
    imports (as scripts/trace-engine.mjs finds them), deflated, in name order, with fixed times."""
    cases = work / "cases.json"
    subprocess.run([sys.executable, str(CASES), str(cases)], check=True, cwd=ROOT)
    trace = dist / TRACE
    proc = subprocess.run(
        [node, str(TRACER), str(dist / LOCKFILE), str(cases), str(trace)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    if proc.returncode:
        raise Missing(f"tracing the engine inside Pyodide failed (exit {proc.returncode}):\n{proc.stderr}")
    files = json.loads(trace.read_text(encoding="utf-8"))["files"]
    out = dist / STDLIB
    with zipfile.ZipFile(NODE_PYODIDE / STDLIB) as whole, zipfile.ZipFile(out, "w") as cut:
        for name in files:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            cut.writestr(info, whole.read(name), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out


def in_pyodide(node: str, code: str, args: list[Path], *, sys_path: Path, mount: Path,
               env: dict[str, str] | None = None) -> None:
    """Run ``code`` inside the pinned Pyodide with every wheel in ``sys_path`` importable, and the
    environment variables ``env`` set for it (besides ``SOURCE_DATE_EPOCH``)."""
    extra = {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **(env or {})}
    command = [node, str(RUNNER), "--mount", str(mount)]
    for name in extra:
        command += ["--env", name]
    for wheel in sorted(sys_path.glob("*.whl")):
        command += ["--sys-path", str(wheel)]
    command += ["-c", code, *map(str, args)]
    env = {**os.environ, **extra}
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if proc.returncode:
        raise Missing(f"packaging inside Pyodide failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")


def input_digest(version: str) -> str:
    """A digest of everything the engine is made from: the package, its build configuration, the
    tool pins, the Pyodide version and this script."""
    digest = hashlib.sha256(f"pyodide {version}\0".encode())
    inputs = [
        ROOT / "pyproject.toml",
        ROOT / "requirements-pyodide-build.txt",
        ROOT / "requirements-pyodide-test.txt",
        Path(__file__).resolve(),
        TRACER,
        CASES,
        ROOT / "docs" / "assets" / "calculator" / "worker-runtime.mjs",
        ROOT / "docs" / "assets" / "calculator" / "worker-warm-up.mjs",
        ROOT / "docs" / "assets" / "calculator" / "install.mjs",
        *sorted(GOLDEN.glob("*.json")),
        *package_files(),
    ]
    for path in inputs:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def package_files() -> list[Path]:
    """The files of the ``calculator`` package, sorted, without caches."""
    return sorted(
        path for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def _summary(out: Path, version: str) -> Engine:
    lock = json.loads((out / LOCKFILE).read_text(encoding="utf-8"))
    (entry,) = lock["packages"].values()
    return Engine(str(out), version, entry["file_name"], entry["sha256"])


def _forget_older(keep: Path) -> None:
    """Remove the engines built from older inputs."""
    if CACHE.is_dir():
        for path in CACHE.iterdir():
            if path != keep and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)


def _shown(path: Path) -> str:
    """A path as a message gives it: from the repository root when it is inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _wheel_key(file_name: str) -> tuple[str, str]:
    name, version = file_name.split("-")[:2]
    return _normalise(name), version


if __name__ == "__main__":
    sys.exit(main())
