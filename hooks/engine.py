"""Put the scoring engine into the site: self-hosted Pyodide, and the package's wheel and lockfile.

Pyodide comes from the npm package (``npm ci``), pinned in package.json, and lands under
``assets/pyodide/<version>/``. The wheel, the lockfile and the engine's standard library (the
modules of Pyodide's that the engine uses) are made by ``scripts/build_engine.py`` with the standard
tools (the build frontend, pyodide-lock, pyodide-build's py-compile) and cached until an input
changes; this hook runs it and adds what it wrote under ``assets/pyodide/<version>/<digest>/``,
named by the digest of the lockfile and the standard library (``shared.Engine``). The calculator
page (hooks/calculator_page.py) points its engine worker at both folders.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

import shared

BUILDER = shared.ROOT / "scripts" / "build_engine.py"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Build the engine (or find it built), failing early with the fix when a tool is missing."""
    shared.use_engine(build_engine())
    return config


@event_priority(-110)  # after the i18n plugin (-100), which expects files read from disk
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add Pyodide, the wheel, the lockfile and the standard library to the build."""
    for uri, path in shared.current_engine().files.items():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def build_engine() -> shared.Engine:
    """The engine for the current package files, from scripts/build_engine.py (which keeps it
    until an input changes).

    Raises:
        PluginError: a prerequisite is missing; the message is the builder's one line saying
            what and how to get it.
    """
    proc = subprocess.run(
        [sys.executable, str(BUILDER), "--json"], cwd=shared.ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise PluginError(proc.stderr.strip().removeprefix("error: ") or f"{BUILDER.name} failed")
    built = json.loads(proc.stdout)
    folder = Path(built["directory"])
    lock = (folder / shared.Engine.LOCKFILE).read_bytes()
    stdlib = (folder / built["stdlib"]).read_bytes()
    return shared.Engine(
        directory=f"assets/pyodide/{built['pyodide_version']}/",
        built=folder,
        wheel_name=built["wheel"],
        lock=lock,
        digest=hashlib.sha256(lock + b"\0" + stdlib).hexdigest()[:16],
        pyodide_files=tuple(built["pyodide_files"]),
        stdlib_name=built["stdlib"],
    )
