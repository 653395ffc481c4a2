"""The scoring package inside the real Pyodide (npm `pyodide`, under Node, offline) gives exactly
the CPython results, from the very wheel and lockfile the site ships; and that wheel and lockfile are
what the standard tools make of pyproject.toml, the same bytes every time."""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from calculator import __version__, assessment, browser
from calculator.scheme import load_scheme

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
SCHEME = load_scheme()
STATUSES = tuple(assessment.STATUSES)
DOCTEST_MODULES = ("calculator",) + tuple(
    sorted(f"calculator.{p.stem}" for p in (ROOT / "calculator").glob("*.py") if not p.stem.startswith("__"))
)

#: How many generated assessments are compared; the seed keeps them the same from run to run.
GENERATED = 400
SEED = 27922


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


def golden_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, assessment text, expected subset) of every golden case."""
    return [
        (
            path.name.removesuffix(".json"),
            path.read_text(encoding="utf-8"),
            json.loads(path.with_name(path.name.replace(".json", ".expected.json")).read_text("utf-8")),
        )
        for path in sorted(GOLDEN.glob("*.json"))
        if not path.name.endswith(".expected.json")
    ]


def generated_assessments(count: int = GENERATED, seed: int = SEED) -> list[tuple[str, str]]:
    """Varied assessment texts with a language each: valid full and quick ones, boundary scores,
    and invalid ones of every kind, so both results and error messages are compared."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        kind = rng.choice(("full", "full", "full", "quick", "invalid"))
        if kind == "full":
            data = _full(rng)
        elif kind == "quick":
            data = _quick(rng)
        else:
            data = _invalid(rng)
        out.append((data if isinstance(data, str) else _dump(data), "zh" if n % 3 == 0 else "en"))
    return out


class Number:
    """A JSON number written exactly as given (the page passes what the user typed)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _dump(data: Any) -> str:
    marks: list[str] = []

    def default(value: Any) -> str:
        if isinstance(value, Number):
            marks.append(value.text)
            return f"\0{len(marks) - 1}\0"
        raise TypeError(value)

    text = json.dumps(data, default=default, ensure_ascii=False)
    return re.sub(r'"\\u0000(\d+)\\u0000"', lambda m: marks[int(m[1])], text)


def _decimal(rng: random.Random, maximum: Decimal, places: int) -> Number:
    value = Decimal(rng.randint(0, int(maximum * 10**places))).scaleb(-places)
    return Number(format(value, "f"))


def _full(rng: random.Random) -> dict[str, Any]:
    answered = rng.random()
    indicators: dict[str, Any] = {}
    for indicator in SCHEME.indicators:
        if rng.random() > answered:
            continue
        status = rng.choices(STATUSES, weights=(6, 2, 2, 2, 1))[0]
        answer: dict[str, Any] = {"status": status}
        if status == "sampled":
            samples = rng.randint(1, 40)
            answer.update(samples=samples, nonconforming=rng.randint(0, samples))
        elif status == "scored":
            answer["points"] = _decimal(rng, indicator.points, rng.choice((0, 1, 2, 3)))
        indicators[indicator.id] = answer
    if indicators and all(a["status"] == "excluded" for a in indicators.values()):
        next(iter(indicators.values()))["status"] = "conforms"
    data: dict[str, Any] = {"indicators": indicators}
    if rng.random() < 0.8:
        data["special_deductions"] = rng.choice((0, 0, 0, 1, 2, 4, 5, 6))
    if rng.random() < 0.8:
        data["special_bonus"] = rng.random() < 0.3
    return data


def _quick(rng: random.Random) -> dict[str, Any]:
    near = rng.choice((70, 80, 90, 95, 100, 0))
    total = rng.choice(
        (
            Number(str(near)),
            Number(f"{max(near - 1, 0)}.999"),
            Number(f"{near}.0"),
            _decimal(rng, Decimal(100), rng.choice((0, 1, 2, 4, 6))),
            Number("7.95e1"),
        )
    )
    return {
        "total": total,
        "special_deductions": rng.choice((0, 0, 1, 3, 4, 5, 9)),
        "special_bonus": rng.random() < 0.4,
    }


def _invalid(rng: random.Random) -> Any:
    indicator = rng.choice(SCHEME.indicators)
    return rng.choice(
        (
            "",
            "{",
            "[1, 2]",
            '{"total": NaN}',
            '{"total": 1, "total": 2}',
            {"total": ""},
            {"total": "eighty"},
            {"total": Number("100.0000001")},
            {"total": Number("-1")},
            {"total": 80, "indicators": {}},
            {"special_deductions": Number("1.5")},
            {"special_deductions": "two"},
            {"special_bonus": "yes"},
            {"colour": "blue"},
            {"indicators": {"nonsense": {"status": "conforms"}}},
            {"indicators": {indicator.id: {"status": "maybe"}}},
            {"indicators": {indicator.id: {}}},
            {"indicators": {indicator.id: {"status": "sampled", "samples": 3, "nonconforming": 4}}},
            {"indicators": {indicator.id: {"status": "sampled", "samples": "", "nonconforming": ""}}},
            {"indicators": {indicator.id: {"status": "scored", "points": Number("99")}}},
            {"indicators": {indicator.id: {"status": "conforms", "points": 1}}},
            {"indicators": {i.id: {"status": "excluded"} for i in SCHEME.indicators}},
        )
    )


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    """Every text scored in both interpreters: golden cases in both languages, then generated."""
    texts = [(text, lang) for _, text, _ in golden_cases() for lang in ("en", "zh")]
    texts += generated_assessments()
    return {"evaluate": texts, "doctest": list(DOCTEST_MODULES)}


@pytest.fixture(scope="module")
def pyodide_run(engine: Any, cases: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The outputs of one run of tests/pyodide/compare.py over all the cases, inside Pyodide, with
    the package installed from the site's lockfile."""
    work = tmp_path_factory.mktemp("pyodide-run")
    (work / "cases.json").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    proc = in_pyodide(
        "--mount", work, "--lock", engine.path / "pyodide-lock.json",
        ROOT / "tests" / "pyodide" / "compare.py", work / "cases.json", work / "out.json",
    )
    if proc.returncode:
        pytest.fail(f"compare.py failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
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


@pytest.mark.parametrize(("name", "golden", "expected"), [pytest.param(*case, id=case[0]) for case in golden_cases()])
def test_golden_case_in_pyodide(name: str, golden: str, expected: dict[str, Any], pyodide_run: dict[str, Any],
                                cases: dict[str, Any]) -> None:
    """Each golden case scored inside Pyodide has its expected result, in both languages."""
    for (text, lang), out in zip(cases["evaluate"], pyodide_run["evaluate"]):
        if text == golden:
            data = json.loads(out)
            assert data["ok"], data
            assert {k: data["result"][k] for k in expected} == expected, lang


def test_doctests_pass_in_pyodide(pyodide_run: dict[str, Any]) -> None:
    """The package's doctests (examples in its docstrings) all pass inside Pyodide."""
    results = pyodide_run["doctest"]
    assert set(results) == set(DOCTEST_MODULES)
    failed = {name: r for name, r in results.items() if r[0]}
    assert not failed
    assert sum(r[1] for r in results.values()) >= 20


def test_wheel_is_reproducible_and_complete(
    builder: ModuleType, engine: Any, pyodide_run: dict[str, Any], tmp_path: Path
) -> None:
    """Built again from scratch, the engine is the same bytes: the wheel, the lockfile and the test
    lockfile. The wheel is pyproject.toml's, compiled for the pinned Pyodide's Python: every module
    as bytecode with its magic number (no source), the scheme data, and the metadata with the
    console script."""
    again = builder.build(tmp_path / "engine")
    for name in (engine.wheel, "pyodide-lock.json", "pyodide-lock-test.json"):
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
