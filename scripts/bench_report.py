"""The bench's report: what was measured, the targets, and the table scripts/bench.py prints.

Standard library only; scripts/bench.py fills a Results and hands it to summarise and markdown.
"""

from __future__ import annotations

import datetime
import math
import os
import platform
import statistics
from dataclasses import dataclass, field

CALCULATOR = "calculator/"
PLAIN = "scoring/"  # a content page of the site, with tables and no calculator

#: Targets: ratios against the reference measured in the same run, and absolute limits.
TARGETS = {
    "cold": 0.80,  # first visit, engine ready, against bare Pyodide's first visit
    "bytes": 0.75,  # bytes of that first visit, until the engine is ready
    "arrival": 0.40,  # the calculator after READ s on the home page, against bare's first visit
    "warm": 0.35,  # return visit (the snapshot stored), against bare Pyodide's return visit
    "after_stay": 0.35,  # return visit after a first visit that stayed STAY s once ready
    "after_close": 1.00,  # return visit after a first visit closed the moment it was ready
    "input": 1.20,  # the calculator's form accepts input, against a guide page
    "guide_load": 1.10,  # a guide page's load, with the service worker against without
    "recompute_p95_ms": 50.0,
    "python_p95_ms": 5.0,
}


@dataclass
class Visit:
    """One page load: ms from navigation start, and bytes the server sent for it."""

    ready: float | None = None
    responses: list[tuple[str, int]] = field(default_factory=list)  # (path, bytes with headers)
    start: str = ""  # the calculator's start path: "normal" | "snapshot"
    saved: float | None = None  # ms after ready until the snapshot was stored

    @property
    def bytes(self) -> int:
        return sum(sent for _, sent in self.responses)


@dataclass
class Results:
    """Every measurement of a run."""

    chromium: str = ""
    pairs: list[dict[str, Visit]] = field(default_factory=list)
    inputs: list[dict[str, float]] = field(default_factory=list)  # ms, {"calculator", "plain"}
    #: Recompute, one list per run: ms from input to result, and ms in Python, for each edit.
    recompute_ms: list[list[float]] = field(default_factory=list)
    python_ms: list[list[float]] = field(default_factory=list)
    recompute_start: list[str] = field(default_factory=list)  # each run's engine start path
    #: Offline after one visit: {"works": {"pages", "search", "calculator"}, "of": {...}} counts.
    offline: dict[str, dict[str, int]] | None = None


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    measure: str
    ours: str
    reference: str
    ratio: str
    target: str
    holds: bool
    spread: str = ""


def summarise(results: Results) -> list[Row]:
    """The table's rows, each with whether its target holds."""
    pairs = results.pairs

    def ready(name: str) -> list[float]:
        return [pair[name].ready or 0.0 for pair in pairs]

    def inputs(name: str) -> list[float]:
        return [i[name] for i in results.inputs]

    first, again = ready("bare worker cold"), ready("bare worker warm")
    rows = [
        ratio_row("Engine ready, first visit", ready("calculator cold"), first, TARGETS["cold"]),
        ratio_row(
            "Bytes transferred, first visit, until the engine is ready",
            [pair["calculator cold"].bytes for pair in pairs],
            [pair["bare worker cold"].bytes for pair in pairs],
            TARGETS["bytes"],
            unit="KB",
        ),
        ratio_row(
            "Engine ready, arriving at the calculator after 20 s on the home page (against bare's first visit)",
            ready("arrival"), first, TARGETS["arrival"],
        ),
        ratio_row("Engine ready, return visit", ready("calculator warm"), again, TARGETS["warm"]),
        ratio_row(
            "Engine ready, return visit after a first visit of 3 s",
            ready("calculator after stay"), again, TARGETS["after_stay"],
        ),
        ratio_row(
            "Engine ready, return visit after a first visit closed the moment the engine was ready",
            ready("calculator after close"), again, TARGETS["after_close"],
        ),
        ratio_row("Form accepts input, first visit", inputs("calculator"), inputs("plain"), TARGETS["input"]),
        ratio_row(
            "Guide page loaded, first visit (with the service worker, against without)",
            inputs("plain load"), inputs("plain without worker load"), TARGETS["guide_load"],
        ),
        percentile_row(
            f"Recompute, input to result, p50 / p95 ({len(results.recompute_ms[0])} changes)",
            results.recompute_ms,
            TARGETS["recompute_p95_ms"],
        ),
        percentile_row("Recompute, time in Python, p50 / p95", results.python_ms, TARGETS["python_p95_ms"]),
    ]
    offline = results.offline
    if offline is not None:
        works, of = offline["works"], offline["of"]
        counts = ", ".join(f"{name} {works[name]}/{of[name]}" for name in of)
        rows.append(Row("Offline after one visit: pages, search, calculator", counts, "", "", "all work",
                        works == of))
    return rows


def kb(count: float) -> str:
    """Bytes as thousands: ``1,234`` for 1,234,000."""
    return f"{count / 1000:,.0f}"


def ratio_row(measure: str, ours: list[float], reference: list[float], target: float, unit: str = "s") -> Row:
    """A row comparing medians (of times in ms, or of bytes with ``unit="KB"``) with a target
    ratio; the spread is over pairs."""
    mine, theirs = statistics.median(ours), statistics.median(reference)
    ratios = [o / r for o, r in zip(ours, reference)]

    def shown(value: float) -> str:
        return f"{kb(value)} KB" if unit == "KB" else f"{value / 1000:.2f} s"

    return Row(
        measure,
        shown(mine),
        shown(theirs),
        f"{mine / theirs:.2f}×",
        f"≤ {target:.2f}×",
        mine / theirs <= target,
        f"{min(ratios):.2f}–{max(ratios):.2f}×",
    )


def percentile_row(measure: str, runs: list[list[float]], target_p95: float) -> Row:
    """A row of the median and 95th percentile of times in ms, each the median over runs, against
    a limit on the latter; the spread is the 95th percentile's over runs."""
    p50 = statistics.median(percentile(values, 0.50) for values in runs)
    p95s = [percentile(values, 0.95) for values in runs]
    p95 = statistics.median(p95s)
    return Row(
        measure,
        f"{p50:.1f} / {p95:.1f} ms",
        "",
        "",
        f"p95 ≤ {target_p95:.0f} ms",
        p95 <= target_p95,
        f"p95 {min(p95s):.1f}–{max(p95s):.1f} ms",
    )


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or
    below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def markdown(rows: list[Row], results: Results) -> str:
    lines = [
        "| Measure | Calculator | Reference | Ratio | Target | Holds | Spread |",
        "|---|--:|--:|--:|--|:-:|--|",
    ]
    for row in rows:
        holds = "yes" if row.holds else "**no**"
        cells = [row.measure, row.ours, row.reference, row.ratio, row.target, holds, row.spread]
        lines.append("| " + " | ".join(cells) + " |")

    def median(name: str) -> float:
        return statistics.median(pair[name].ready for pair in results.pairs) / 1000

    def starts(name: str) -> str:
        return ", ".join(sorted({pair[name].start for pair in results.pairs}))

    saved = statistics.median(pair["calculator cold"].saved or 0 for pair in results.pairs) / 1000
    lines += [
        "",
        "References: for engine ready and bytes, bare Pyodide (as the npm package ships it) in a "
        f"module worker; for the form, the guide page `{PLAIN}`, which is also the guide page "
        "loaded with and without the site's service worker.",
        f"Bare Pyodide on the main thread: first visit {median('bare main cold'):.2f} s, "
        f"return visit {median('bare main warm'):.2f} s.",
        f"The calculator's engine started from: return visit {starts('calculator warm')}; after a "
        f"stay of 3 s {starts('calculator after stay')}; after a visit closed at ready "
        f"{starts('calculator after close')}; arriving from the home page {starts('arrival')}. "
        f"The snapshot was stored {saved:.1f} s after the first visit's engine was ready. "
        f"Recompute was measured on return visits (engine start: {', '.join(sorted(set(results.recompute_start)))}).",
        f"Medians of {len(results.pairs)} pairs ({len(results.inputs)} for the form, "
        f"{len(results.recompute_ms)} runs for recompute); "
        f"{results.chromium}, headless, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.machine()}, {datetime.date.today().isoformat()}.",
    ]
    return "\n".join(lines)
