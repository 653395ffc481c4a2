"""Put the scoring engine into the site: self-hosted Pyodide, and the package's wheel and lockfile.

Pyodide comes from the npm package (``npm ci``), pinned in package.json, and lands under
``assets/pyodide/<version>/``. The wheel and the lockfile are made by ``scripts/build_engine.py``
with the standard tools (the build frontend, pyodide-lock, pyodide-build's py-compile) and cached
until the package changes; this hook runs it and adds what it wrote under
``assets/pyodide/<version>/<digest>/``, named by the lockfile's digest (``shared.Engine``). The
calculator page (hooks/calculator_page.py) points its engine worker at both folders.
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
    """Add Pyodide, the wheel and the lockfile to the build."""
    engine = shared.current_engine()
    for name in engine.pyodide_files:
        path = shared.NODE_PYODIDE / name
        files.append(File.generated(config, engine.directory + name, abs_src_path=str(path)))
    for name in (engine.wheel_name, engine.LOCKFILE):
        path = engine.built / name
        files.append(File.generated(config, engine.package_directory + name, abs_src_path=str(path)))
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
    return shared.Engine(
        directory=f"assets/pyodide/{built['pyodide_version']}/",
        built=folder,
        wheel_name=built["wheel"],
        lock=lock,
        digest=hashlib.sha256(lock).hexdigest()[:16],
        pyodide_files=tuple(built["pyodide_files"]),
    )
