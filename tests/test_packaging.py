"""pyproject.toml: the package installs with pip and gives the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from calculator import __version__

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")


def test_pip_install_gives_the_command(tmp_path: Path, build_engine_script: ModuleType) -> None:
    """The wheel the standard frontend builds from pyproject.toml installs into a fresh virtual
    environment, with no index, and gives `gbt27922-calculator`, which scores like
    `python3 -m calculator`."""
    wheel = build_engine_script.build_wheel(tmp_path / "dist")
    assert wheel.name == f"gbt27922_calculator-{__version__}-py3-none-any.whl"
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", env_dir], check=True)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-index", wheel], check=True)
    case = ROOT / "tests" / "golden" / "quick-five-star.json"
    installed = subprocess.run(
        [bin_dir / "gbt27922-calculator", "score", case, "--json"], capture_output=True, text=True, cwd=tmp_path
    )
    from_source = subprocess.run(
        [sys.executable, "-m", "calculator", "score", case, "--json"], capture_output=True, text=True, cwd=ROOT
    )
    assert installed.returncode == from_source.returncode == 0, installed.stderr
    assert json.loads(installed.stdout) == json.loads(from_source.stdout)
    assert json.loads(installed.stdout)["tier"] == "five-star"
