"""The scoring package inside the real Pyodide (npm `pyodide`, under Node, offline) gives exactly
the CPython results, from the very wheel, lockfile and standard library the site ships; and those
are what the standard tools make of pyproject.toml and of Pyodide's standard library, the same
bytes every time."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from calculator import __version__, browser
from tests.loaders import load_script

ROOT = Path(__file__).resolve().parents[2]
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
DOCTEST_MODULES = ("calculator",) + tuple(
    sorted(f"calculator.{p.stem}" for p in (ROOT / "calculator").glob("*.py") if not p.stem.startswith("__"))
)
engine_cases = load_script("engine_cases")


@pytest.fixture(scope="module")
def builder(build_engine_script: ModuleType) -> ModuleType:
    return build_engine_script


@pytest.fixture(scope="module")
def engine(builder: ModuleType) -> Any:
    """The engine as the site build gets it: the wheel, the lockfile and the test lockfile."""
    return builder.build()


def in_pyodide(*args: str | Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run scripts/pyodide-python.mjs with these arguments."""
    node = shutil.which("node")
    if node is None or not (NODE_PYODIDE / "pyodide.mjs").is_file():
        pytest.fail("Node.js and node_modules/pyodide are needed: install Node 20+ and run `npm ci`")
    return subprocess.run(
        [node, str(ROOT / "scripts" / "pyodide-python.mjs"), *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    """Every text scored in both interpreters: golden cases in both languages, then generated."""
    return {"evaluate": engine_cases.cases()}


@pytest.fixture(scope="module")
def pyodide_run(engine: Any, cases: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The outputs of one run of tests/pyodide/compare.py over all the cases, inside Pyodide, with
    the package installed from the site's lockfile and the engine's standard library alone."""
    work = tmp_path_factory.mktemp("pyodide-run")
    (work / "cases.json").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    proc = in_pyodide(
        "--mount", work, "--lock", engine.path / "pyodide-lock.json", "--stdlib", engine.path / engine.stdlib,
        ROOT / "tests" / "pyodide" / "compare.py", work / "cases.json", work / "out.json",
    )
    if proc.returncode:
        pytest.fail(f"compare.py failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
    return json.loads((work / "out.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doctest_run(engine: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[int]]:
    """{module: [failed, attempted]} of the package's doctests run inside Pyodide (on Pyodide's
    whole standard library: doctest needs more of it than the engine)."""
    work = tmp_path_factory.mktemp("pyodide-doctest")
    proc = in_pyodide(
        "--mount", work, "--lock", engine.path / "pyodide-lock.json",
        ROOT / "tests" / "pyodide" / "doctests.py", work / "out.json", *DOCTEST_MODULES,
    )
    if proc.returncode:
        pytest.fail(f"doctests.py failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
    return json.loads((work / "out.json").read_text(encoding="utf-8"))


def test_runs_on_the_pinned_python(pyodide_run: dict[str, Any]) -> None:
    """The Pyodide run uses the package version the wheel was built from, on Python 3.14 under
    Emscripten, imported from the bytecode installed in site-packages (not from the sources)."""
    assert pyodide_run["python"].startswith("3.14.")
    assert pyodide_run["platform"] == "emscripten"
    assert pyodide_run["version"] == browser.version()
    assert re.fullmatch(r"/lib/python3\.14/site-packages/calculator/__init__\.pyc", pyodide_run["file"])


def test_scheme_is_the_same(pyodide_run: dict[str, Any]) -> None:
    """The scheme data (read from scheme.json inside the wheel) is the CPython one, byte for byte."""
    assert pyodide_run["scheme"] == browser.scheme()


def test_every_case_gives_the_cpython_text(pyodide_run: dict[str, Any], cases: dict[str, Any]) -> None:
    """Golden and generated assessments, valid or not, give the same JSON text in both interpreters,
    results and error messages (English and Chinese) alike."""
    expected = [browser.evaluate(text, lang) for text, lang in cases["evaluate"]]
    assert len(pyodide_run["evaluate"]) == len(expected)
    differ = [
        (text, lang, got, want)
        for (text, lang), got, want in zip(cases["evaluate"], pyodide_run["evaluate"], expected)
        if got != want
    ]
    assert not differ, f"{len(differ)} case(s) differ; first: {differ[0]}"


def test_generated_cases_cover_every_outcome(cases: dict[str, Any]) -> None:
    """The generated assessments reach every tier, provisional results and every error code they aim at."""
    tiers, codes, provisional = set(), set(), set()
    for text, lang in cases["evaluate"]:
        out = json.loads(browser.evaluate(text, lang))
        if out["ok"]:
            tiers.add(out["result"]["tier"])
            provisional.add(out["result"]["provisional"])
        else:
            codes.update(e["code"] for e in out["errors"])
    assert tiers == {"fail", "standard", "three-star", "four-star", "five-star"}
    assert provisional == {True, False}
    assert {"not_json", "not_object", "required", "not_a_number", "out_of_range", "not_whole",
            "unknown_status", "all_excluded"} <= codes


@pytest.mark.parametrize(
    ("name", "golden", "expected"), [pytest.param(*case, id=case[0]) for case in engine_cases.golden_cases()]
)
def test_golden_case_in_pyodide(name: str, golden: str, expected: dict[str, Any], pyodide_run: dict[str, Any],
                                cases: dict[str, Any]) -> None:
    """Each golden case scored inside Pyodide has its expected result, in both languages."""
    for (text, lang), out in zip(cases["evaluate"], pyodide_run["evaluate"]):
        if text == golden:
            data = json.loads(out)
            assert data["ok"], data
            assert {k: data["result"][k] for k in expected} == expected, lang


def test_doctests_pass_in_pyodide(doctest_run: dict[str, list[int]]) -> None:
    """The package's doctests (examples in its docstrings) all pass inside Pyodide."""
    results = doctest_run
    assert set(results) == set(DOCTEST_MODULES)
    failed = {name: r for name, r in results.items() if r[0]}
    assert not failed
    assert sum(r[1] for r in results.values()) >= 20


def test_wheel_is_reproducible_and_complete(
    builder: ModuleType, engine: Any, pyodide_run: dict[str, Any], tmp_path: Path
) -> None:
    """Built again from scratch, the engine is the same bytes: the wheel, the lockfile, the test
    lockfile and the standard library. The wheel is pyproject.toml's, compiled for the pinned Pyodide's Python: every module
    as bytecode with its magic number (no source), the scheme data, and the metadata with the
    console script."""
    again = builder.build(tmp_path / "engine")
    for name in (engine.wheel, "pyodide-lock.json", "pyodide-lock-test.json", engine.stdlib, builder.TRACE):
        assert (again.path / name).read_bytes() == (engine.path / name).read_bytes(), name
    assert engine.wheel == f"gbt27922_calculator-{__version__}-cp314-none-any.whl"

    modules = {p.relative_to(ROOT).with_suffix(".pyc").as_posix() for p in (ROOT / "calculator").glob("*.py")}
    dist = f"gbt27922_calculator-{__version__}.dist-info"
    with zipfile.ZipFile(engine.path / engine.wheel) as wheel:
        names = set(wheel.namelist())
        assert names - {n for n in names if n.startswith(dist + "/")} == modules | {"calculator/scheme.json"}
        for name in modules:
            assert wheel.read(name)[:4].hex() == pyodide_run["magic"], name
        metadata = wheel.read(f"{dist}/METADATA").decode()
        assert "Name: gbt27922-calculator" in metadata and f"Version: {__version__}" in metadata
        assert "Requires-Python: >=3.11" in metadata
        assert "gbt27922-calculator=calculator.cli:main" in wheel.read(f"{dist}/entry_points.txt").decode()


def test_the_standard_library_is_what_the_engine_imports(
    builder: ModuleType, engine: Any, pyodide_run: dict[str, Any]
) -> None:
    """The engine's standard library holds exactly the files of Pyodide's that the traced engine
    imported, each compiled to bytecode for the pinned Python, and none else; it is much smaller
    than Pyodide's own. The comparison above ran on it alone: a module it lacks is not found."""
    trace = json.loads((engine.path / builder.TRACE).read_text(encoding="utf-8"))
    assert {"calculator", "decimal", "fractions", "json"} <= {m.split(".")[0] for m in trace["modules"]} | {"calculator"}
    with zipfile.ZipFile(engine.path / engine.stdlib) as cut, zipfile.ZipFile(NODE_PYODIDE / engine.stdlib) as whole:
        names = cut.namelist()
        assert names == [name + "c" if name.endswith(".py") else name for name in trace["files"]]
        assert set(trace["files"]) <= set(whole.namelist())
        for name in names:
            assert cut.read(name)[:4].hex() == pyodide_run["magic"], name
    for absent in ("xml", "email/mime", "unittest", "multiprocessing", "encodings/gb2312"):
        assert not any(name.startswith(absent) for name in names), absent
    assert (engine.path / engine.stdlib).stat().st_size < 0.7 * (NODE_PYODIDE / engine.stdlib).stat().st_size
    assert pyodide_run["unittest_found"] is False


def test_tracebacks_name_the_function_and_keep_the_package_lines(pyodide_run: dict[str, Any]) -> None:
    """In the engine's standard library every function's code is on its first line (its line
    tables were two fifths of its bytes): a traceback still names the file and the function. The
    package's own frames give the very line that raised."""
    stdlib, package = pyodide_run["frames"]["stdlib"], pyodide_run["frames"]["package"]
    assert stdlib["file"].endswith("json/decoder.py") and stdlib["name"] == "raw_decode", stdlib
    assert stdlib["line"] == stdlib["first_line"], stdlib
    assert package["file"].endswith("calculator/scheme.py") and package["name"] == "read_scheme", package
    source = (ROOT / "calculator" / "scheme.py").read_text(encoding="utf-8").splitlines()
    assert package["line"] > package["first_line"] and "raise SchemeError" in source[package["line"] - 1]


def test_lockfiles_match_the_wheels(engine: Any) -> None:
    """The site's lockfile holds Pyodide's own info (its abi_version is what loadPyodide checks)
    and one package, the wheel, with its sha256, as pyodide-lock writes a pure-Python package; the
    test lockfile adds pytest, Hypothesis and their dependencies, each with its wheel's sha256."""
    lock = json.loads((engine.path / "pyodide-lock.json").read_text(encoding="utf-8"))
    stock = json.loads((NODE_PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock["info"] == stock["info"] and "abi_version" in lock["info"]
    assert list(lock["packages"]) == ["gbt27922-calculator"]
    entry = lock["packages"]["gbt27922-calculator"]
    assert entry["file_name"] == engine.wheel
    assert entry["sha256"] == hashlib.sha256((engine.path / engine.wheel).read_bytes()).hexdigest()
    assert (entry["imports"], entry["depends"], entry["install_dir"]) == (["calculator"], [], "site")
    assert set(entry) == set(stock["packages"]["affine"])

    tests = json.loads((engine.path / "pyodide-lock-test.json").read_text(encoding="utf-8"))
    assert tests["info"] == lock["info"]
    assert tests["packages"]["gbt27922-calculator"] == entry
    assert {"pytest", "hypothesis", "pluggy", "iniconfig"} <= set(tests["packages"])
    for name, package in tests["packages"].items():
        data = (engine.path / package["file_name"]).read_bytes()
        assert package["sha256"] == hashlib.sha256(data).hexdigest(), name


def test_a_wheel_that_does_not_match_the_lockfile_is_not_installed(engine: Any, tmp_path: Path) -> None:
    """The installer the page's worker uses refuses a wheel whose sha256 is not the lockfile's,
    naming the file, before installing anything."""
    shutil.copy(engine.path / engine.wheel, tmp_path / engine.wheel)
    with zipfile.ZipFile(tmp_path / engine.wheel, "a") as wheel:
        wheel.writestr("calculator/extra.txt", "changed")
    shutil.copy(engine.path / "pyodide-lock.json", tmp_path / "pyodide-lock.json")
    proc = in_pyodide("--mount", tmp_path, "--lock", tmp_path / "pyodide-lock.json", "-c", "import calculator")
    assert proc.returncode != 0
    assert f"{engine.wheel}: sha256" in proc.stderr and "does not match the lockfile" in proc.stderr


def test_build_names_npm_ci_when_pyodide_is_missing_or_not_pinned(
    builder: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build stops with a message naming `npm ci` when node_modules lacks Pyodide, or holds
    another version than package.json pins."""
    (tmp_path / "package.json").write_text('{"dependencies": {"pyodide": "314.0.7"}}', encoding="utf-8")
    installed = tmp_path / "node_modules" / "pyodide"
    monkeypatch.setattr(builder, "ROOT", tmp_path)
    monkeypatch.setattr(builder, "NODE_PYODIDE", installed)
    with pytest.raises(builder.Missing, match="npm ci"):
        builder.pyodide_version()
    installed.mkdir(parents=True)
    (installed / "package.json").write_text('{"version": "314.0.6"}', encoding="utf-8")
    with pytest.raises(builder.Missing, match=r"314\.0\.6 but package\.json pins 314\.0\.7: run `npm ci`"):
        builder.pyodide_version()


def test_build_names_the_missing_tool(builder: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Without Node, or without a pinned tool wheel, the build stops with one line (exit 1, no
    traceback) naming what is missing and how to get it."""
    monkeypatch.setattr(builder.shutil, "which", lambda name: None)
    assert builder.main(["--out", str(tmp_path / "a")]) == 1
    assert capsys.readouterr().err == (
        "error: Node.js is not installed (`node` is not on PATH): install Node.js 20 or newer\n"
    )
    monkeypatch.undo()
    monkeypatch.setattr(builder, "WHEELS", tmp_path / "wheels")
    assert builder.main(["--out", str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the Pyodide build wheels are missing from ") and err.endswith("run `make setup`\n")
    name, version = builder.pinned_wheels("build")[0]
    assert err.count("\n") == 1 and f"{name}=={version}" in err
