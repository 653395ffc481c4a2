#!/usr/bin/env python3
"""Measure the calculator's start-up and responsiveness against bare Pyodide; print a table.

Serves a built site the way GitHub Pages does (gzip, ``cache-control: max-age=600``) under a
sub-path, next to a reference page that loads the same Pyodide files from the same server (with
the lockfile Pyodide ships) and only calls ``loadPyodide()`` (scripts/bench-pages/), and drives
headless Chromium, launched afresh for each sequence of visits::

    python3 scripts/bench.py [--site site] [--pairs 3] [--changes 200] [--json results.json]

What it measures, each figure the median of ``--pairs`` pairs run in alternating order:

- engine ready: from navigation start to ``data-engine="ready"``, on a first visit (a new
  browser, the network throttled to 10 Mbit/s down and 40 ms latency) and on a second visit in
  the same browser context, once the first has finished; the reference is bare Pyodide in a module worker, as the calculator
  runs it (bare Pyodide on the page's main thread is measured too, for comparison);
- form accepts input: the latest of first contentful paint, the end of DOMContentLoaded, and on
  the calculator the creation of its engine worker (its script attaches the form's handlers just
  before), on first visits, against a plain content page;
- bytes of a first visit, counted by the server (headers and bodies, every request of the page
  and its workers), against the reference page;
- recompute latency on a ready page: ``--changes`` edits of a full assessment, each from the input
  event to the result updated in the page, and the time spent in Python (the worker's ``ms``).

Prints the table in Markdown, then whether each target holds; exits 1 if one does not.
"""

from __future__ import annotations

import argparse
import datetime
import email.utils
import gzip
import http
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import serve  # scripts/serve.py: a script's own folder comes first on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH_PAGES = ROOT / "scripts" / "bench-pages"
#: The lockfile Pyodide ships (the site has its own, shorter): served next to the bare page.
PYODIDE_LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
BASE = "/gbt27922/"  # served under a sub-path, as a GitHub project page is
BENCH_PATH = "_bench/"  # where the reference page is served, next to the site

#: What GitHub Pages sends gzip-compressed (it leaves .zip and .whl as they are).
GZIP_SUFFIXES = {".css", ".html", ".js", ".json", ".map", ".mjs", ".svg", ".txt", ".wasm", ".xml"}
CACHE_CONTROL = "max-age=600"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A slow link: 10 Mbit/s down, 40 ms added to every request (CDP Network.emulateNetworkConditions).
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 1_250_000, "uploadThroughput": 1_250_000}
READY_TIMEOUT = 180_000  # ms
SAVED_TIMEOUT = 60_000  # ms for the snapshot to be stored after a first visit

CALCULATOR = "calculator/"
PLAIN = "scoring/"  # a content page of the site, with tables and no calculator
INPUT_ROUNDS = 3  # first visits to each, per pair, for when the form accepts input

#: Targets: ratios against the reference measured in the same run, and absolute limits.
TARGETS = {
    "cold": 1.10,
    "warm": 0.50,
    "input": 1.20,
    "recompute_p95_ms": 50.0,
    "python_p95_ms": 5.0,
    "extra_bytes": 150_000,
}

#: Runs in every page and records its workers' messages, when its first module worker (the
#: calculator's engine) was created, and when data-engine became "ready".
RECORDER = """
(() => {
  const bench = (window.__bench = { messages: [], engineCreated: null, ready: null });
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      if (args[1]?.type === "module") bench.engineCreated ??= performance.now();
      this.addEventListener("message", (event) => {
        const data = event.data;
        if (data && typeof data.type === "string") bench.messages.push({ at: performance.now(), ...data });
      });
    }
  };
  new MutationObserver((records) => {
    if (bench.ready === null && records.some((r) => r.target.getAttribute("data-engine") === "ready")) {
      bench.ready = performance.now();
    }
  }).observe(document, { attributes: true, attributeFilter: ["data-engine"], subtree: true });
})();
"""

#: When the page accepts input, in ms from navigation: the latest of its first contentful paint,
#: the end of DOMContentLoaded (the page's deferred scripts have run), and, on the calculator,
#: the creation of its engine worker (its script attaches the form's handlers just before).
INPUT_READY = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  if (!navigation || !navigation.domContentLoadedEventEnd || !paint) return null;
  const calculator = document.querySelector("[data-calculator]");
  if (calculator && window.__bench.engineCreated === null) return null;
  return Math.max(navigation.domContentLoadedEventEnd, paint.startTime, window.__bench.engineCreated ?? 0);
}"""

#: Edits a full assessment `n` times; resolves to the ms from each input event to the result.
RECOMPUTE = """async (n) => {
  const root = document.querySelector("[data-calculator]");
  const form = root.querySelector("[data-calculator-form]");
  const result = root.querySelector("[data-result]");
  const set = (name, value) => {
    const element = form.elements.namedItem(name);
    element.value = value;
    element.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const until = (done) =>
    new Promise((resolve) => {
      if (done()) return resolve(performance.now());
      const observer = new MutationObserver(() => {
        if (done()) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(result, { attributes: true, attributeFilter: ["data-score"] });
    });
  const full = form.querySelector("input[name=mode][value=full]");
  full.checked = true;
  full.dispatchEvent(new Event("input", { bubbles: true }));
  for (const select of form.querySelectorAll("select[name^='status:']")) set(select.name, "conforms");
  set("status:repair", "scored");
  set("points:repair", "7");
  await until(() => result.dataset.score === "100");
  const field = form.elements.namedItem("points:repair");
  const times = [];
  window.__bench.messages.length = 0;
  for (let i = 0; i < n; i++) {
    const before = result.dataset.score;
    field.value = ((i % 600) / 100).toFixed(2); // the score is 93 + points: a new one each time
    const start = performance.now();
    field.dispatchEvent(new Event("input", { bubbles: true }));
    times.push((await until(() => result.dataset.score !== before)) - start);
  }
  const python = window.__bench.messages.filter((m) => m.type === "result").map((m) => m.ms);
  return { times, python };
}"""


# ---------------------------------------------------------------------------------------------
# The server


class PagesHandler(serve.SiteHandler):
    """The site as GitHub Pages serves it: gzip for text and wasm, ``max-age=600``, ETags; and the
    bench's own pages under ``<base>_bench/``. Every byte written is counted on the server."""

    compressed: dict[tuple[str, float, int], bytes] = {}
    lock = threading.Lock()

    def setup(self) -> None:
        super().setup()
        self.wfile = _Counting(self.wfile, self.server)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        self.wfile.written = 0
        super().handle_one_request()
        if self.wfile.written:
            self.server.log(self.path, self.wfile.written)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "cache-control":
            value = CACHE_CONTROL
        super().send_header(keyword, value)

    def translate_path(self, path: str) -> str:
        inner = urllib.parse.urlsplit(path).path
        if inner.startswith(self.base + BENCH_PATH):
            name = Path(inner).name
            return str(PYODIDE_LOCK if name == PYODIDE_LOCK.name else BENCH_PAGES / name)
        return super().translate_path(path)

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in GZIP_SUFFIXES and path.is_file()):
            return super().send_head()
        stat = path.stat()
        body = self.gzipped(path, stat.st_mtime, stat.st_size)
        etag = f'W/"{stat.st_size:x}-{int(stat.st_mtime):x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(http.HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self.send_response(http.HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("ETag", etag)
        self.end_headers()
        return io.BytesIO(body)

    @classmethod
    def gzipped(cls, path: Path, mtime: float, size: int) -> bytes:
        key = (str(path), mtime, size)
        with cls.lock:
            if key not in cls.compressed:
                cls.compressed[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            return cls.compressed[key]


class _Counting(io.RawIOBase):
    """A handler's output stream that adds every byte written to its server's count."""

    def __init__(self, raw: Any, server: BenchServer) -> None:
        self.raw = raw
        self.server = server
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        written = self.raw.write(data)
        self.written += len(data)
        return written if written is not None else len(data)

    def flush(self) -> None:
        self.raw.flush()


class BenchServer(serve.SiteServer):
    """The threaded site server, counting bytes sent and quiet about connections the browser
    drops (closing a context cancels its downloads)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.responses: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def log(self, path: str, sent: int) -> None:
        with self._lock:
            self.responses.append((path, sent))

    def take(self) -> list[tuple[str, int]]:
        """The responses sent since the last call: (path, bytes with headers)."""
        with self._lock:
            responses, self.responses = self.responses, []
        return responses

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@contextmanager
def running(site: Path, base: str = BASE) -> Iterator[BenchServer]:
    """Serve ``site`` and the bench pages like GitHub Pages, in a thread."""
    server = serve.make_server(site, port=0, base=base, quiet=True, handler=PagesHandler, server=BenchServer)
    for path in [*site.rglob("*"), *BENCH_PAGES.iterdir(), PYODIDE_LOCK]:  # compress before timing
        if path.suffix in GZIP_SUFFIXES and path.is_file():
            stat = path.stat()
            PagesHandler.gzipped(path, stat.st_mtime, stat.st_size)
    with serve.serving(server):
        yield server


# ---------------------------------------------------------------------------------------------
# Measuring


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
    chromium: str = ""
    pairs: list[dict[str, Visit]] = field(default_factory=list)
    inputs: list[dict[str, float]] = field(default_factory=list)  # ms, {"calculator", "plain"}
    recompute_ms: list[float] = field(default_factory=list)
    python_ms: list[float] = field(default_factory=list)
    recompute_start: str = ""


class Bench:
    """The measurements. Every visit sequence runs in a browser of its own, launched for it, so
    that nothing one page compiled or cached helps another."""

    def __init__(self, launch: Callable[[], Any], server: BenchServer, version: str) -> None:
        self.launch = launch
        self.server = server
        self.url = server.url
        self.bare = f"{BENCH_PATH}bare.html?index=../assets/pyodide/{version}/&thread="

    def open(self, context: Any, path: str) -> Any:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLE)
        page.goto(self.url + path, wait_until="commit")
        return page

    @contextmanager
    def context(self) -> Iterator[Any]:
        """A fresh browser and a context in it, closed on exit."""
        browser = self.launch()
        try:
            yield browser.new_context()
        finally:
            browser.close()

    def engine(self, context: Any, path: str, snapshot: bool = False) -> tuple[Visit, Visit, Any]:
        """A first and a second visit to a page with an engine, in ``context``. Returns both
        visits, and the second visit's page, still open."""
        context.add_init_script(RECORDER)
        visits = []
        for visit in ("cold", "warm"):
            self.server.take()
            page = self.open(context, path)
            page.wait_for_function("() => window.__bench.ready !== null", timeout=READY_TIMEOUT)
            page.wait_for_load_state("load")
            record = page.evaluate("() => window.__bench")
            ready_message = next((m for m in record["messages"] if m["type"] == "ready"), {})
            result = Visit(ready=record["ready"], start=ready_message.get("start", ""))
            if snapshot and visit == "cold":
                page.wait_for_function(
                    "() => window.__bench.messages.some((m) => m.type === 'saved')", timeout=SAVED_TIMEOUT
                )
                saved = page.evaluate("() => window.__bench.messages.find((m) => m.type === 'saved').at")
                result.saved = saved - record["ready"]
            else:
                page.wait_for_timeout(500)  # anything fetched just after ready counts too
            result.responses = self.server.take()
            visits.append(result)
            if visit == "cold":
                page.close()
        return visits[0], visits[1], page

    def input_ready(self, path: str) -> float:
        """When a first visit's page accepts input (the engine, if any, is left loading)."""
        with self.context() as context:
            context.add_init_script(RECORDER)
            page = self.open(context, path)
            page.wait_for_load_state("load")
            page.wait_for_function(INPUT_READY)
            return page.evaluate(INPUT_READY)

    def pair(self, index: int) -> dict[str, Visit]:
        results: dict[str, Visit] = {}

        def calculator() -> None:
            with self.context() as context:
                cold, warm, _ = self.engine(context, CALCULATOR, snapshot=True)
            results["calculator cold"], results["calculator warm"] = cold, warm

        def bare(thread: str) -> Callable[[], None]:
            def run() -> None:
                with self.context() as context:
                    cold, warm, _ = self.engine(context, self.bare + thread)
                results[f"bare {thread} cold"], results[f"bare {thread} warm"] = cold, warm

            return run

        order = [calculator, bare("worker"), bare("main")]
        for step in order if index % 2 == 0 else reversed(order):
            step()
        return results

    def inputs(self, index: int) -> list[dict[str, float]]:
        """First visits to the calculator and to a content page, alternating, INPUT_ROUNDS each."""
        rounds = []
        for round_ in range(INPUT_ROUNDS):
            order = ["calculator", "plain"] if (index + round_) % 2 == 0 else ["plain", "calculator"]
            paths = {"calculator": CALCULATOR, "plain": PLAIN}
            rounds.append({name: self.input_ready(paths[name]) for name in order})
        return rounds

    def recompute(self, changes: int) -> tuple[list[float], list[float], str]:
        """Edits on a calculator page whose engine is ready (restored from its snapshot)."""
        with self.context() as context:
            _, _, page = self.engine(context, CALCULATOR, snapshot=True)
            messages = page.evaluate("() => window.__bench.messages")
            start = next(m.get("start", "") for m in messages if m["type"] == "ready")
            measured = page.evaluate(RECOMPUTE, changes)
            return measured["times"], measured["python"], start


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or
    below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------------
# Reporting


@dataclass(frozen=True)
class Row:
    measure: str
    ours: str
    reference: str
    ratio: str
    target: str
    holds: bool
    spread: str = ""


def summarise(results: Results) -> list[Row]:
    def values(name: str, attr: str) -> list[float]:
        return [getattr(pair[name], attr) for pair in results.pairs]

    def median(name: str, attr: str) -> float:
        return statistics.median(values(name, attr))

    def ratios(ours: str, ref: str, attr: str) -> list[float]:
        return [getattr(p[ours], attr) / getattr(p[ref], attr) for p in results.pairs]

    def spread(numbers: list[float], unit: str = "×") -> str:
        return f"{min(numbers):.2f}–{max(numbers):.2f}{unit}"

    rows = []
    for visit, label, target in (
        ("cold", "Engine ready, first visit", TARGETS["cold"]),
        ("warm", "Engine ready, return visit", TARGETS["warm"]),
    ):
        ours, ref = median(f"calculator {visit}", "ready"), median(f"bare worker {visit}", "ready")
        ratio = ours / ref
        rows.append(
            Row(
                label,
                f"{ours / 1000:.2f} s",
                f"{ref / 1000:.2f} s",
                f"{ratio:.2f}×",
                f"≤ {target:.2f}×",
                ratio <= target,
                spread(ratios(f"calculator {visit}", f"bare worker {visit}", "ready")),
            )
        )
    ours = statistics.median(i["calculator"] for i in results.inputs)
    ref = statistics.median(i["plain"] for i in results.inputs)
    rows.append(
        Row(
            "Form accepts input, first visit",
            f"{ours / 1000:.2f} s",
            f"{ref / 1000:.2f} s",
            f"{ours / ref:.2f}×",
            f"≤ {TARGETS['input']:.2f}×",
            ours / ref <= TARGETS["input"],
            spread([i["calculator"] / i["plain"] for i in results.inputs]),
        )
    )
    p50, p95 = percentile(results.recompute_ms, 0.50), percentile(results.recompute_ms, 0.95)
    rows.append(
        Row(
            f"Recompute, input to result, p50 / p95 ({len(results.recompute_ms)} changes)",
            f"{p50:.1f} / {p95:.1f} ms",
            "",
            "",
            f"p95 ≤ {TARGETS['recompute_p95_ms']:.0f} ms",
            p95 <= TARGETS["recompute_p95_ms"],
        )
    )
    p50, p95 = percentile(results.python_ms, 0.50), percentile(results.python_ms, 0.95)
    rows.append(
        Row(
            "Recompute, time in Python, p50 / p95",
            f"{p50:.1f} / {p95:.1f} ms",
            "",
            "",
            f"p95 ≤ {TARGETS['python_p95_ms']:.0f} ms",
            p95 <= TARGETS["python_p95_ms"],
        )
    )
    ours, ref = median("calculator cold", "bytes"), median("bare worker cold", "bytes")
    extras = [p["calculator cold"].bytes - p["bare worker cold"].bytes for p in results.pairs]
    rows.append(
        Row(
            "Bytes transferred, first visit",
            f"{ours / 1000:,.0f} KB",
            f"{ref / 1000:,.0f} KB",
            f"+{(ours - ref) / 1000:,.0f} KB",
            f"≤ +{TARGETS['extra_bytes'] / 1000:.0f} KB",
            ours - ref <= TARGETS["extra_bytes"],
            f"+{min(extras) / 1000:,.0f}–{max(extras) / 1000:,.0f} KB",
        )
    )
    return rows


def markdown(rows: list[Row], results: Results) -> str:
    lines = [
        "| Measure | Calculator | Reference | Ratio | Target | Holds | Spread over pairs |",
        "|---|--:|--:|--:|--|:-:|--|",
    ]
    for row in rows:
        holds = "yes" if row.holds else "**no**"
        cells = [row.measure, row.ours, row.reference, row.ratio, row.target, holds, row.spread]
        lines.append("| " + " | ".join(cells) + " |")

    def median(name: str) -> float:
        return statistics.median(pair[name].ready for pair in results.pairs) / 1000

    starts = sorted({pair["calculator warm"].start for pair in results.pairs})
    saved = statistics.median(pair["calculator cold"].saved or 0 for pair in results.pairs) / 1000
    lines += [
        "",
        "References: for engine ready and bytes, bare Pyodide in a module worker; for the form, "
        f"the content page `{PLAIN}`.",
        f"Bare Pyodide on the main thread: first visit {median('bare main cold'):.2f} s, "
        f"return visit {median('bare main warm'):.2f} s.",
        f"The calculator's return visits started from: {', '.join(starts)}; its snapshot was "
        f"stored {saved:.1f} s after the first visit's engine was ready. Recompute was measured "
        f"on a return visit (engine start: {results.recompute_start}).",
        f"Medians of {len(results.pairs)} pairs ({len(results.inputs)} for the form); "
        f"{results.chromium}, headless, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.machine()}, {datetime.date.today().isoformat()}.",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def chromium_path() -> str:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure-chromium")], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        sys.exit(f"bench: no Chromium:\n{proc.stderr}")
    return proc.stdout.strip()


def pyodide_version(site: Path) -> str:
    found = sorted(p.name for p in (site / "assets" / "pyodide").iterdir() if p.is_dir())
    if len(found) != 1:
        sys.exit(f"bench: expected one Pyodide under {site}/assets/pyodide/, found {found}")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site)")
    parser.add_argument("--pairs", type=int, default=3, help="pairs per figure (default: 3)")
    parser.add_argument("--changes", type=int, default=200, help="edits timed (default: 200)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument(
        "--verbose", action="store_true", help="also list the responses of the first pair's first visits"
    )
    args = parser.parse_args(argv)
    if not (args.site / CALCULATOR / "index.html").is_file():
        print(f"bench: no {args.site}/{CALCULATOR}index.html: build the site first", file=sys.stderr)
        return 2
    if args.pairs < 1 or args.changes < 20:
        parser.error("--pairs must be at least 1 and --changes at least 20")

    from playwright.sync_api import sync_playwright

    results = Results()
    with running(args.site) as server, sync_playwright() as playwright:
        executable = chromium_path()

        def launch() -> Any:
            return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)

        browser = launch()
        results.chromium = f"Chromium {browser.version}"
        browser.close()
        bench = Bench(launch, server, pyodide_version(args.site))
        for index in range(args.pairs):
            print(f"bench: pair {index + 1} of {args.pairs}", file=sys.stderr, flush=True)
            results.pairs.append(bench.pair(index))
            results.inputs += bench.inputs(index)
        print("bench: recompute", file=sys.stderr, flush=True)
        results.recompute_ms, results.python_ms, results.recompute_start = bench.recompute(args.changes)

    rows = summarise(results)
    if args.verbose:
        for name in ("calculator cold", "bare worker cold"):
            print(f"{name}:", file=sys.stderr)
            for path, sent in sorted(results.pairs[0][name].responses, key=lambda r: -r[1]):
                print(f"  {sent:>10,}  {path}", file=sys.stderr)
    print(markdown(rows, results))
    if args.json:
        data = asdict(results)
        data["rows"] = [asdict(row) for row in rows]
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    failed = [row.measure for row in rows if not row.holds]
    print()
    print("Every target holds." if not failed else "Targets missed: " + "; ".join(failed) + ".")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
