"""The assessments the engine is checked on: every golden case, and assessments generated from a
fixed seed (valid full and quick ones, boundary scores, invalid ones of every kind), each with a
language. scripts/build_engine.py runs the engine on them to find the standard library modules it
needs, and tests/pyodide/test_pyodide.py compares the engine's answers to them in Pyodide with
CPython's, on that standard library alone.

    python3 scripts/engine_cases.py OUT     (writes {"evaluate": [[text, lang], ...]} to OUT)
"""

from __future__ import annotations

import json
import random
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the package of this checkout, as `python3 -m calculator` finds it

from calculator import assessment  # noqa: E402
from calculator.languages import LANGUAGES  # noqa: E402
from calculator.scheme import load_scheme  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
SCHEME = load_scheme()
STATUSES = tuple(assessment.STATUSES)

#: How many generated assessments there are; the seed keeps them the same from run to run.
GENERATED = 400
SEED = 27922


def cases() -> list[tuple[str, str]]:
    """(text, lang) of every case: each golden case in every language, then the generated ones."""
    texts = [(text, lang) for _, text, _ in golden_cases() for lang in LANGUAGES]
    return texts + generated_assessments()


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


def main(argv: list[str] | None = None) -> int:
    (out,) = sys.argv[1:] if argv is None else argv
    Path(out).write_text(json.dumps({"evaluate": cases()}, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
