"""Import the repository's hooks and scripts, which are files rather than packages, the way
MkDocs and Python do: each with its own folder on ``sys.path`` while it is imported, so that
``import shared`` in a hook and ``import serve`` in a script find their neighbours. Each is
imported once per session.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


@cache
def load_hook(name: str) -> ModuleType:
    """Import hooks/<name>.py as MkDocs does (mkdocs.config.config_options.Hooks)."""
    return _load(ROOT / "hooks" / f"{name}.py", f"hooks_{name}")


@cache
def load_script(name: str) -> ModuleType:
    """Import scripts/<name>.py as ``python3 scripts/<name>.py`` would find its imports."""
    return _load(ROOT / "scripts" / f"{name}.py", f"scripts_{name}")


def _load(path: Path, module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    saved = sys.path.copy()
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module
