"""The command line: the scheme, scoring files and standard input, and clean refusals."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calculator import browser as engine

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

# The command line is run as a program; inside Pyodide (make test-pyodide) no process can start.
pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")


def run(*args: str, stdin: str | None = None, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [python, "-m", "calculator", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env,
    )


def test_scheme_as_json() -> None:
    """`scheme --json` prints the categories and indicators with names, descriptions and points."""
    out = run("scheme", "--json")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert [c["points"] for c in data["categories"]] == [40, 35, 25]
    assert data["categories"][1]["indicators"][3]["name"] == {"en": "Repair and maintenance", "zh": "维修"}


def test_scheme_as_text() -> None:
    """`scheme` prints a readable list, marking the split as indicative."""
    out = run("scheme", "--lang", "zh")
    assert out.returncode == 0
    assert "indicative" in out.stdout and "投诉处理 [complaint-handling]" in out.stdout


def test_score_a_file_as_json() -> None:
    """`score FILE --json` prints the JSON result."""
    out = run("score", str(GOLDEN / "full-exclusions.json"), "--json")
    assert out.returncode == 0 and out.stderr == ""
    assert json.loads(out.stdout)["score"] == 93.25


def test_score_standard_input_as_text() -> None:
    """`score -` reads standard input and prints a report."""
    out = run("score", "-", stdin='{"total": 85}')
    assert out.returncode == 0
    assert "Tier: Three-star ★★★ (passed)" in out.stdout


def test_score_reads_typed_numbers_and_the_details() -> None:
    """The command line reads a file the page exported with numbers as typed (full-width) and the
    details, and scores it as the page does."""
    text = '{"organisation": "Acme", "assessment_date": "2026-03-31", "total": "８５．５", "special_deductions": "１"}'
    out = run("score", "-", "--json", stdin=text)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert (result["score"], result["organisation"], result["assessment_date"]) == (84.5, "Acme", "2026-03-31")
    report = run("score", "-", stdin=text).stdout.splitlines()
    assert report[1:3] == ["Organisation: Acme", "Assessment date: 2026-03-31"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"assessment_date": "31.3.2026"}', "/assessment_date: The assessment date must be a date written YYYY-MM-DD"),
        ('{"total": 101}', "/total: The total score must be from 0 to 100, not 101."),
        ("", "not valid JSON"),
        ('{"indicators": {"repair": {"status": "fine"}}}', "/indicators/repair/status"),
    ],
)
def test_invalid_input_exits_2_with_a_message_and_no_traceback(text: str, message: str) -> None:
    """Invalid input: exit 2, the problems on standard error, nothing on standard output."""
    out = run("score", "-", "--json", stdin=text)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    """A file that cannot be read is a clean error."""
    out = run("score", str(tmp_path / "nothing.json"))
    assert out.returncode == 2 and "cannot read" in out.stderr and "Traceback" not in out.stderr


def test_a_broken_scheme_file_exits_2(tmp_path: Path) -> None:
    """A replacement scheme that does not add up is refused with the reason."""
    scheme = json.loads((ROOT / "calculator" / "scheme.json").read_text(encoding="utf-8"))
    scheme["categories"][0]["points"] = 41
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(scheme), encoding="utf-8")
    out = run("scheme", "--scheme", str(path))
    assert out.returncode == 2 and "add up to 40 points, not the category's 41" in out.stderr


def other_pythons() -> list[str]:
    """Newer CPython interpreters on this machine: on PATH, or installed by pyenv."""
    found: dict[str, str] = {}
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for version in ("3.12", "3.13", "3.14"):
        candidates = [shutil.which(f"python{version}"), *sorted(map(str, pyenv.glob(f"{version}.*/bin/python3")))]
        for path in filter(None, candidates):
            if subprocess.run([path, "--version"], capture_output=True).returncode == 0:
                found[version] = path
                break
    return list(found.values())


@pytest.mark.parametrize("python", other_pythons() or [pytest.param(None, marks=pytest.mark.skip("no other CPython here"))])
def test_runs_unchanged_on_other_pythons(python: str) -> None:
    """Under each newer CPython found here, the golden cases score the same as under this one."""
    for case in sorted(GOLDEN.glob("*.expected.json"))[:6]:
        source = case.with_name(case.name.replace(".expected", ""))
        here = run("score", str(source), "--json")
        there = run("score", str(source), "--json", python=python)
        assert there.returncode == 0, there.stderr
        assert there.stdout == here.stdout


SHEETS = ROOT / "tests" / "sheets"


def test_a_file_naming_its_sheet_scores_under_that_sheet_only(tmp_path: Path) -> None:
    """A file that names a custom sheet scores with --scheme of that sheet; with another sheet
    it is refused, naming the field and both sheets."""
    path = tmp_path / "named.json"
    path.write_text('{"scheme": "acme-service-2026", "indicators": {"spare-parts": {"status": "conforms"}}}', encoding="utf-8")
    out = run("score", str(path), "--scheme", str(SHEETS / "acme-2026.json"), "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["score"] == 5
    refused = run("score", str(path), "--json")
    assert refused.returncode == 2
    assert '/scheme: The scoring sheet (“scheme”) names the sheet "acme-service-2026"' in refused.stderr
    assert "gbt-27922-2011" in refused.stderr


def test_a_sheet_that_does_not_add_up_is_refused_in_the_loaders_words() -> None:
    out = run("score", "-", "--scheme", str(SHEETS / "does-not-add-up.json"), stdin='{"total": 90}')
    assert out.returncode == 2
    assert out.stderr.startswith(f"error: {SHEETS / 'does-not-add-up.json'}: categories[0] (service-system): ")
    assert "add up to 41 points, not the category's 40" in out.stderr


def test_compare_with_an_earlier_file(tmp_path: Path) -> None:
    """--compare adds the comparison: as JSON, the one the page gets; as text, then and now."""
    earlier = tmp_path / "earlier.json"
    earlier.write_text('{"indicators": {"repair": {"status": "nonconforming"}}}', encoding="utf-8")
    now = '{"indicators": {"repair": {"status": "conforms"}}}'
    out = run("score", "-", "--json", "--compare", str(earlier), stdin=now)
    assert out.returncode == 0
    from_page = json.loads(engine.evaluate(now, earlier=earlier.read_text(encoding="utf-8")))
    assert json.loads(out.stdout) == from_page["result"] | {"comparison": from_page["comparison"]}
    text = run("score", "-", "--compare", str(earlier), "--lang", "zh", stdin=now)
    assert "与上次评估的比较" in text.stdout and "维修：0.00 → 7.00（+7.00）" in text.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"total": 101}', encoding="utf-8")
    refused = run("score", "-", "--compare", str(bad), stdin=now)
    assert refused.returncode == 2 and f"{bad} is not a valid assessment" in refused.stderr
