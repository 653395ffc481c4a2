"""The package: its public names, and its modules in layers, each importing only from below."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import calculator

# The sources in the repository: inside Pyodide the package is installed as bytecode only.
PACKAGE = Path(__file__).resolve().parent.parent / "calculator"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__"))


def layers() -> dict[str, int]:
    """Each module's layer, as the package docstring lists them from the bottom up."""
    docstring = ast.get_docstring(parse("__init__"))
    assert docstring
    items = re.findall(r"^(\d+)\. (.*?)(?=^\d+\. |^\S|\Z)", docstring, re.MULTILINE | re.DOTALL)
    return {name: int(n) for n, text in items for name in re.findall(r":mod:`~calculator\.(\w+)`", text)}


def parse(module: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))


def package_imports(tree: ast.Module) -> list[tuple[ast.stmt, str]]:
    """Every import of the package's own modules in a module, with the module (or name) imported."""
    found: list[tuple[ast.stmt, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "calculator":
            if node.module == "calculator":  # from calculator import name: a module, or __version__
                found += [(node, alias.name) for alias in node.names]
            else:
                found.append((node, node.module.removeprefix("calculator.")))
        elif isinstance(node, ast.Import):
            found += [(node, a.name.removeprefix("calculator.")) for a in node.names if a.name.startswith("calculator")]
    return found


def test_every_public_name_is_importable() -> None:
    """Each name in calculator.__all__ is there, and evaluate_text is the one scoring gives."""
    for name in calculator.__all__:
        assert getattr(calculator, name) is not None
    assert calculator.evaluate_text is importlib.import_module("calculator.scoring").evaluate_text


def test_the_docstring_places_every_module_in_one_layer() -> None:
    """The package docstring lists each module of the package in exactly one layer."""
    assert sorted(layers()) == MODULES


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_only_from_layers_below(module: str) -> None:
    """A module imports the package's modules at its top, and only those of lower layers; nothing
    is imported inside a function or under TYPE_CHECKING to dodge a cycle. The package's version
    (kept in __init__, where the build reads it) is the one name taken from the package itself."""
    tree = parse(module)
    top = set(map(id, tree.body))
    level = layers()
    for node, imported in package_imports(tree):
        assert id(node) in top, f"{module}.py line {node.lineno}: an import that is not at the module's top"
        if imported == "__version__":
            continue
        assert level[imported] < level[module], f"{module}.py imports {imported}, which is not below it"
    assert "TYPE_CHECKING" not in (PACKAGE / f"{module}.py").read_text(encoding="utf-8")


def test_the_entry_points_sit_on_top() -> None:
    """python3 -m calculator runs the command line, which is on the top layer with the browser's
    entry point: nothing in the package imports either."""
    assert [name for _, name in package_imports(parse("__main__"))] == ["cli"]
    level = layers()
    assert level["cli"] == level["browser"] == max(level.values())
