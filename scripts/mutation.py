#!/usr/bin/env python3
"""Mutation testing of the scoring rules with cosmic-ray; print the score per module and every survivor.

Each rule module of ``calculator/`` is copied with the tests into a folder of its own, and
cosmic-ray (https://cosmic-ray.readthedocs.io) makes one small change at a time in it (a flipped
comparison, a number moved by one, a dropped ``not``, another operator...) and runs the fast
tests that cover the module against the change, stopping at the first failure::

    python3 scripts/mutation.py [--module calculator/tiers.py] [--jobs 2]

Not every change is run:

- changes inside a type annotation, in a module that has ``from __future__ import annotations``
  (annotations are then never evaluated, so no change there can alter behaviour);
- the equivalent mutants listed in ``scripts/mutation-equivalents.toml``, each with the reason it
  cannot change behaviour: they are printed, and left out of the score.

The score of a module is the share of the mutants that change behaviour (killed + survived)
that a test kills. Prints a table of the modules, then every survivor with its line, then the
equivalents; exits 1 if a module scores below 95 %, 2 if the tests fail without any mutation.

The modules and the tests for each are in MODULES below: the one place to update when the
package's modules change.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import contextlib
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: The tests that run in a few seconds and exercise the rules, without a browser or a subprocess
#: on another Python.
_RULE_TESTS = (
    "tests/test_exact.py",
    "tests/test_tiers.py",
    "tests/test_scoring.py",
    "tests/test_assessment.py",
    "tests/test_errors.py",
    "tests/test_scheme.py",
    "tests/test_report.py",
    "tests/test_comparison.py",
    "tests/test_golden.py",
)


def _first(*tests: str) -> tuple[str, ...]:
    """The rule tests with ``tests`` first: most mutants then fail on the module's own tests."""
    return (*tests, *(t for t in _RULE_TESTS if t not in tests))


#: Each rule module, and the test files run against its mutants, in that order.
MODULES: dict[str, tuple[str, ...]] = {
    "calculator/exact.py": _first("tests/test_exact.py"),
    "calculator/tiers.py": _first("tests/test_tiers.py"),
    "calculator/scoring.py": _first("tests/test_scoring.py"),
    "calculator/assessment.py": _first("tests/test_assessment.py"),
    "calculator/scheme.py": _first("tests/test_scheme.py"),
    "calculator/comparison.py": _first("tests/test_comparison.py"),
}

#: Mutants that cannot change behaviour, each with the reason.
EQUIVALENTS = ROOT / "scripts" / "mutation-equivalents.toml"

#: The lowest acceptable score of a module (inclusive).
TARGET = Fraction(95, 100)

#: What a module's folder gets: the package and the tests (not the browser, site or Pyodide ones).
_COPY = ("calculator", "tests", "pytest.ini")
_NOT_COPIED = shutil.ignore_patterns("__pycache__", "browser", "site", "pyodide", ".hypothesis")

#: pytest's options for a mutant: stop at the first failure, write no cache.
_PYTEST = ("-x", "-q", "-p", "no:cacheprovider", "--no-header")

#: Where a module's folder keeps the module as it was copied.
_ORIGINAL = "module-as-copied.py.txt"


@dataclass(frozen=True)
class Mutant:
    """One change cosmic-ray makes: where, which operator, the line before and after."""

    job_id: str
    module: str
    operator: str
    line: int
    original: str
    mutated: str

    def key(self) -> tuple[str, str, str, str]:
        return (self.module, self.operator, self.original, self.mutated)

    def describe(self) -> str:
        return f"{self.module}:{self.line} {self.operator}\n    - {self.original}\n    + {self.mutated}"


@dataclass
class Outcome:
    """What became of one module's mutants."""

    module: str
    tests: tuple[str, ...]
    baseline: float = 0.0
    seconds: float = 0.0
    annotations: int = 0
    killed: list[Mutant] = field(default_factory=list)
    survived: list[Mutant] = field(default_factory=list)
    equivalent: list[tuple[Mutant, str]] = field(default_factory=list)
    errors: list[tuple[Mutant, str]] = field(default_factory=list)

    @property
    def score(self) -> Fraction | None:
        """Killed among the mutants that change behaviour; None when there are none."""
        changing = len(self.killed) + len(self.survived)
        return Fraction(len(self.killed), changing) if changing else None


def load_equivalents(path: Path = EQUIVALENTS) -> dict[tuple[str, str, str, str], str]:
    """The equivalent mutants: (module, operator, original line, mutated line) to the reason."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = {}
    for entry in data.get("equivalent", []):
        key = (entry["module"], entry["operator"], entry["original"], entry["mutated"])
        if not entry.get("reason", "").strip():
            raise SystemExit(f"mutation: {path.name}: no reason given for {key}")
        found[key] = entry["reason"].strip()
    return found


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the type annotations are, as ((line, column), (line, column)) in characters; empty
    unless the module postpones their evaluation (``from __future__ import annotations``)."""
    tree = ast.parse(source)
    postponed = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    if not postponed:
        return []
    lines = source.splitlines()

    def column(line: int, offset: int) -> int:  # ast counts UTF-8 bytes, cosmic-ray characters
        return len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8"))

    annotations: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            annotations.append(node.returns)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            annotations.append(node.annotation)
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
    return [
        (
            (a.lineno, column(a.lineno, a.col_offset)),
            (a.end_lineno or a.lineno, column(a.end_lineno or a.lineno, a.end_col_offset or 0)),
        )
        for a in annotations
    ]


def changed_line(original: str, mutated: str) -> tuple[int, str, str]:
    """Where a mutation changes the code: the first line's number, and the changed lines before
    and after, stripped, blank ones left out and the rest joined by spaces ("" when removed)."""
    before, after = original.splitlines(), mutated.splitlines()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed = [n for n in range(i1, i2) if before[n].strip()] or [i1]
            old = " ".join(line.strip() for line in before[i1:i2] if line.strip())
            new = " ".join(line.strip() for line in after[j1:j2] if line.strip())
            return changed[0] + 1, old, new
    return 0, "", ""


def copy_tree(destination: Path, module: str) -> None:
    """The package and the fast tests, copied: mutants never touch the working tree. The module
    is also kept as it was, in _ORIGINAL."""
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    shutil.copy2(ROOT / module, destination / _ORIGINAL)
    shutil.copytree(ROOT / _COPY[0], destination / _COPY[0], ignore=_NOT_COPIED)
    copy_tests(destination)


def copy_tests(destination: Path) -> None:
    """The tests and their configuration, as they are now."""
    for name in _COPY[1:]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=_NOT_COPIED)
        else:
            shutil.copy2(source, destination / name)


def test_command(tests: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "pytest", *_PYTEST, *tests]


def test_env() -> dict[str, str]:
    """The tests' environment: Hypothesis's reproducible "mutation" profile, no bytecode files
    (a mutant written within the same second as the last one must not reuse its .pyc)."""
    return {**os.environ, "HYPOTHESIS_PROFILE": "mutation", "PYTHONDONTWRITEBYTECODE": "1"}


def run_module(
    module: str, tests: tuple[str, ...], folder: Path, equivalents: dict[Any, str], retry: bool = False
) -> Outcome:
    """Mutate one module in its copy of the tree (``folder``) and run its tests against each mutant."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    outcome = Outcome(module, tests)
    config = folder / "cosmic-ray.toml"
    session = folder / "session.sqlite"
    log = folder / "cosmic-ray.log"
    cosmic_ray = [str(Path(sys.executable).with_name("cosmic-ray"))]
    # The module as copied: a run stopped part-way may leave a mutant in the copy.
    source = (folder / _ORIGINAL).read_text(encoding="utf-8")
    (folder / module).write_text(source, encoding="utf-8")
    if session.exists():  # --work: a run that was stopped goes on where it was
        return finish(outcome, folder, source, equivalents, retry)

    started = time.monotonic()
    baseline = subprocess.run(
        test_command(tests), cwd=folder, env=test_env(), capture_output=True, text=True, check=False
    )
    outcome.baseline = time.monotonic() - started
    if baseline.returncode:
        raise RuntimeError(f"the tests fail without any mutation:\n{baseline.stdout}{baseline.stderr}")

    # A mutant that makes the tests loop or crawl is killed by the timeout.
    timeout = round(3 * outcome.baseline + 15)
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{module}"\n'
        f"timeout = {timeout}.0\n"
        "excluded-modules = []\n"
        f'test-command = "{" ".join(test_command(tests))}"\n'
        "[cosmic-ray.distributor]\n"
        'name = "local"\n',
        encoding="utf-8",
    )
    with log.open("w", encoding="utf-8") as output:
        subprocess.run([*cosmic_ray, "init", config.name, session.name], cwd=folder, check=True,
                       stdout=output, stderr=subprocess.STDOUT)

    # Changes in annotations, and the equivalents listed, are marked done without a test run.
    spans = annotation_spans(source)
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            (spec,) = item.mutations
            mutant = describe(item, module, source)
            if any(low <= tuple(spec.start_pos) < high for low, high in spans):
                db.set_result(item.job_id, WorkResult(output="annotation", worker_outcome=WorkerOutcome.SKIPPED))
            elif mutant.key() in equivalents:
                db.set_result(item.job_id, WorkResult(output="equivalent", worker_outcome=WorkerOutcome.SKIPPED))
    return finish(outcome, folder, source, equivalents)


def describe(item: Any, module: str, source: str) -> Mutant:
    """The mutant of a cosmic-ray work item: its operator and the line it changes."""
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator

    (spec,) = item.mutations
    mutated = mutate_code(source, get_operator(spec.operator_name)(), spec.occurrence)
    line, before, after = changed_line(source, mutated or source)
    return Mutant(item.job_id, module, spec.operator_name.removeprefix("core/"), line, before, after)


def finish(
    outcome: Outcome, folder: Path, source: str, equivalents: dict[Any, str], retry: bool = False
) -> Outcome:
    """Run the mutants still to be run (and, with ``retry``, the survivors again against the
    current tests), then sort every mutant of the module by its outcome."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

    cosmic_ray = str(Path(sys.executable).with_name("cosmic-ray"))
    started = time.monotonic()
    if retry:
        if (folder / "tests").is_dir():  # the tests as they are now; the package as it was copied
            shutil.rmtree(folder / "tests")
        copy_tests(folder)
        with use_db(str(folder / "session.sqlite"), WorkDB.Mode.open) as db:
            for item, result in db.completed_work_items:
                if result.test_outcome != TestOutcome.SURVIVED or describe(item, outcome.module, source).key() in equivalents:
                    continue
                (spec,) = item.mutations
                run = subprocess.run(
                    [cosmic_ray, "mutate-and-test", str(spec.module_path), spec.operator_name,
                     str(spec.occurrence), " ".join(test_command(outcome.tests))],
                    cwd=folder, env=test_env(), capture_output=True, text=True, check=True,
                )
                again = json.loads(run.stdout)
                db.set_result(item.job_id, WorkResult(
                    worker_outcome=WorkerOutcome(again["worker_outcome"]),
                    test_outcome=TestOutcome(again["test_outcome"]) if again["test_outcome"] else None,
                    output=again.get("output"), diff=again.get("diff"),
                ))
    with (folder / "cosmic-ray.log").open("a", encoding="utf-8") as output:
        subprocess.run([cosmic_ray, "exec", "cosmic-ray.toml", "session.sqlite"], cwd=folder, env=test_env(),
                       check=True, stdout=output, stderr=subprocess.STDOUT)
    outcome.seconds = time.monotonic() - started

    with use_db(str(folder / "session.sqlite"), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            mutant = describe(item, outcome.module, source)
            if result.output == "annotation":
                outcome.annotations += 1
            elif mutant.key() in equivalents:  # listed before the run, or since
                outcome.equivalent.append((mutant, equivalents[mutant.key()]))
            elif result.worker_outcome == WorkerOutcome.NORMAL and result.test_outcome == TestOutcome.KILLED:
                outcome.killed.append(mutant)
            elif result.worker_outcome == WorkerOutcome.NORMAL and result.test_outcome == TestOutcome.SURVIVED:
                outcome.survived.append(mutant)
            else:
                outcome.errors.append((mutant, f"{result.worker_outcome}: {(result.output or '')[-400:]}"))
        pending = list(db.pending_work_items)
    if pending:
        raise RuntimeError(f"{len(pending)} mutants were not run (see {folder / 'cosmic-ray.log'})")
    outcome.survived.sort(key=lambda m: m.line)
    outcome.equivalent.sort(key=lambda pair: pair[0].line)
    return outcome


def percent(value: Fraction | None) -> str:
    return "-" if value is None else f"{float(value * 100):.1f} %"


def report(outcomes: list[Outcome], unused: list[tuple[str, str, str, str]]) -> str:
    """The table of modules, then each survivor, each equivalent with its reason, and the rest."""
    rows = [("module", "mutants", "annotation", "equivalent", "killed", "survived", "score", "time")]
    for o in outcomes:
        total = o.annotations + len(o.equivalent) + len(o.killed) + len(o.survived) + len(o.errors)
        rows.append((
            o.module, str(total), str(o.annotations), str(len(o.equivalent)), str(len(o.killed)),
            str(len(o.survived)), percent(o.score), f"{o.seconds / 60:.1f} min",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        for row in rows
    ]
    lines.append(f"\nscore: killed among the mutants that change behaviour; target {percent(TARGET)} per module")
    survivors = [m for o in outcomes for m in o.survived]
    lines.append(f"\nSurvivors ({len(survivors)}):")
    lines.extend(m.describe() for m in survivors)
    equivalent = [pair for o in outcomes for pair in o.equivalent]
    lines.append(f"\nEquivalent, not run ({len(equivalent)}; {EQUIVALENTS.relative_to(ROOT)}):")
    lines.extend(f"{m.describe()}\n    because {reason}" for m, reason in equivalent)
    errors = [pair for o in outcomes for pair in o.errors]
    if errors:
        lines.append(f"\nNot run through, neither killed nor survived ({len(errors)}):")
        lines.extend(f"{m.describe()}\n    {why}" for m, why in errors)
    if unused:
        lines.append(f"\nListed as equivalent but no longer made ({len(unused)}): update {EQUIVALENTS.name}")
        lines.extend(f"{module} {operator}: {before!r} -> {after!r}" for module, operator, before, after in unused)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module", action="append", choices=list(MODULES), help="only this module (repeatable; default: all)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="modules mutated at once (default: 1)")
    parser.add_argument(
        "--work", type=Path, help="keep each module's copy and cosmic-ray session here; a run stopped"
        " part-way goes on where it was, and the report follows the equivalents file as it is now"
    )
    parser.add_argument(
        "--retry-survivors", action="store_true",
        help="with --work: run the survivors of the kept sessions again, against the tests as they are now",
    )
    args = parser.parse_args(argv)
    if args.retry_survivors and not args.work:
        parser.error("--retry-survivors needs --work")
    try:
        import cosmic_ray  # noqa: F401
    except ImportError:
        print("mutation: cosmic-ray is not installed: run `make mutation`", file=sys.stderr)
        return 2
    modules = args.module or list(MODULES)
    equivalents = load_equivalents()
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mutation-")))
        folders = {m: work / Path(m).stem for m in modules}
        for module, folder in folders.items():  # all copied first: later edits reach no run
            if not (folder / "session.sqlite").exists():
                copy_tree(folder, module)
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futures = {m: pool.submit(run_module, m, MODULES[m], folders[m], equivalents, args.retry_survivors) for m in modules}
            outcomes = []
            for module, future in futures.items():
                try:
                    outcomes.append(future.result())
                except RuntimeError as exc:
                    print(f"mutation: {module}: {exc}", file=sys.stderr)
                    return 2
                print(f"mutation: {module} done", file=sys.stderr, flush=True)
    seen = {m.key() for o in outcomes for m, _ in o.equivalent}
    unused = [key for key in equivalents if key[0] in modules and key not in seen]
    print(report(outcomes, unused))
    print(f"\n{sum(len(o.killed) + len(o.survived) for o in outcomes)} mutants run in "
          f"{(time.monotonic() - started) / 60:.1f} min")
    below = [o.module for o in outcomes if o.score is not None and o.score < TARGET]
    if below:
        print(f"below {percent(TARGET)}: {', '.join(below)}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
