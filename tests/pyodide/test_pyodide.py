"""The scoring package inside the real Pyodide (npm `pyodide`, under Node, offline) gives exactly
the CPython results, from the very wheel and lockfile the site ships."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import random
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from calculator import assessment, browser
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


def load_engine_hook() -> ModuleType:
    """hooks/engine.py, imported (hooks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("hooks_engine", ROOT / "hooks" / "engine.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def engine_hook() -> ModuleType:
    return load_engine_hook()


@pytest.fixture(scope="module")
def engine_dir(engine_hook: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and lockfile as the site build writes them."""
    engine = engine_hook.build_engine()
    out = tmp_path_factory.mktemp("engine")
    (out / engine.wheel_name).write_bytes(engine.wheel)
    (out / "pyodide-lock.json").write_bytes(engine.lock)
    return out


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
def pyodide_run(engine_dir: Path, cases: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The outputs of one run of tests/pyodide/run.mjs over all the cases."""
    node = shutil.which("node")
    if node is None or not (NODE_PYODIDE / "pyodide.mjs").is_file():
        pytest.fail("Node.js and node_modules/pyodide are needed: install Node 20+ and run `npm ci`")
    work = tmp_path_factory.mktemp("pyodide-run")
    (work / "cases.json").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide" / "run.mjs"), str(engine_dir), str(work / "cases.json"),
         str(work / "out.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode:
        pytest.fail(f"run.mjs failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
    return json.loads((work / "out.json").read_text(encoding="utf-8"))


def test_runs_on_the_pinned_python(pyodide_run: dict[str, Any]) -> None:
    """The Pyodide run uses the package version the wheel was built from, on Python 3.14."""
    assert pyodide_run["python"].startswith("3.14.")
    assert pyodide_run["version"] == browser.version()


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


def test_wheel_is_reproducible_and_complete(engine_hook: ModuleType) -> None:
    """The wheel holds every package file, scheme.json included, with a RECORD whose hashes are
    right, and building it again gives the same bytes."""
    first = engine_hook.build_engine()
    engine_hook._engine.cache_clear()
    again = engine_hook.build_engine()
    assert again.wheel == first.wheel and again.lock == first.lock
    assert first.wheel_name == f"calculator-{browser.version()}-py3-none-any.whl"

    with zipfile.ZipFile(io.BytesIO(first.wheel)) as wheel:
        names = wheel.namelist()
        assert "calculator/scheme.json" in names and "calculator/browser.py" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        dist = f"calculator-{browser.version()}.dist-info"
        wheel_meta = wheel.read(f"{dist}/WHEEL").decode()
        assert "Root-Is-Purelib: true" in wheel_meta and "Tag: py3-none-any" in wheel_meta
        assert f"Version: {browser.version()}" in wheel.read(f"{dist}/METADATA").decode()
        record = wheel.read(f"{dist}/RECORD").decode().splitlines()
        assert {line.split(",")[0] for line in record} == set(names)
        for line in record:
            path, digest, size = line.split(",")
            if digest:
                data = wheel.read(path)
                assert digest == "sha256=" + engine_hook._urlsafe_digest(data) and int(size) == len(data)


def test_lock_entry_matches_the_lockfile_format(engine_hook: ModuleType) -> None:
    """The site's lockfile holds Pyodide's info and one entry, for the wheel (the site has none of
    Pyodide's other packages), with the same fields as Pyodide's pure-Python packages and the
    wheel's sha256."""
    engine = engine_hook.build_engine()
    lock = json.loads(engine.lock)
    stock = json.loads((NODE_PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock["info"] == stock["info"]
    assert set(lock["packages"]) == {"calculator"}
    entry = lock["packages"]["calculator"]
    assert set(entry) == set(stock["packages"]["affine"])
    assert entry["sha256"] == hashlib.sha256(engine.wheel).hexdigest()
    assert entry["file_name"] == engine.wheel_name
    assert entry | {"sha256": "", "file_name": ""} == {
        "depends": [], "file_name": "", "imports": ["calculator"], "install_dir": "site",
        "name": "calculator", "package_type": "package", "sha256": "", "tool": {},
        "unvendored_tests": False, "version": browser.version(),
    }


def test_build_names_npm_ci_when_pyodide_is_missing_or_not_pinned(
    engine_hook: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build stops with a message naming `npm ci` when node_modules lacks Pyodide, or holds
    another version than package.json pins."""
    (tmp_path / "package.json").write_text('{"dependencies": {"pyodide": "314.0.7"}}', encoding="utf-8")
    installed = tmp_path / "node_modules" / "pyodide"
    monkeypatch.setattr(engine_hook, "ROOT", tmp_path)
    monkeypatch.setattr(engine_hook, "NODE_PYODIDE", installed)
    with pytest.raises(engine_hook.PluginError, match="npm ci"):
        engine_hook.pyodide_version()
    installed.mkdir(parents=True)
    (installed / "package.json").write_text('{"version": "314.0.6"}', encoding="utf-8")
    with pytest.raises(engine_hook.PluginError, match=r"314\.0\.6 but package\.json pins 314\.0\.7: run `npm ci`"):
        engine_hook.pyodide_version()
