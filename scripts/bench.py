#!/usr/bin/env python3
"""Measure the calculator's start-up and responsiveness against bare Pyodide; print a table.

Serves a built site with scripts/serve.py as GitHub Pages does (gzip, ``cache-control:
max-age=600``) under a sub-path, next to a reference page that loads the same Pyodide files from
the same server (with the lockfile Pyodide ships) and only calls ``loadPyodide()``
(scripts/bench-pages/), and drives headless Chromium (scripts/chromium.py), launched afresh for
each sequence of visits::

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

Prints the table in Markdown (scripts/bench_report.py), then whether each target holds; exits 1
if one does not. The JavaScript run inside the pages is in scripts/bench-pages/probes/.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

# A script's own folder comes first on sys.path: these are scripts/serve.py, scripts/chromium.py
# and scripts/bench_report.py.
import chromium
import serve
from bench_report import CALCULATOR, PLAIN, Results, Visit, markdown, summarise

ROOT = Path(__file__).resolve().parent.parent
BENCH_PAGES = ROOT / "scripts" / "bench-pages"
PROBES = BENCH_PAGES / "probes"
#: Pyodide as the npm package ships it (its whole standard library, its own lockfile), which the
#: bare page loads from ``<base>_bench/pyodide/``.
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
BASE = "/gbt27922/"  # served under a sub-path, as a GitHub project page is
BENCH_PATH = "_bench/"  # where the reference page is served, next to the site

#: A slow link: 10 Mbit/s down, 40 ms added to every request (CDP Network.emulateNetworkConditions).
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 1_250_000, "uploadThroughput": 1_250_000}
READY_TIMEOUT = 180_000  # ms
SAVED_TIMEOUT = 60_000  # ms for the snapshot to be stored after a first visit
INPUT_ROUNDS = 3  # first visits to each, per pair, for when the form accepts input


def probe(name: str) -> str:
    """The JavaScript of scripts/bench-pages/probes/<name>, without its opening comment."""
    lines = (PROBES / name).read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return "\n".join(lines).strip()


RECORDER = probe("recorder.js")
INPUT_READY = probe("input-ready.js")
RECOMPUTE = probe("recompute.js")


# ---------------------------------------------------------------------------------------------
# The server: scripts/serve.py as GitHub Pages, counting bytes, with the bench's own pages


class BenchHandler(serve.PagesHandler):
    """The site as GitHub Pages serves it, and the bench's own pages under ``<base>_bench/``.
    Every byte written is counted on the server."""

    def setup(self) -> None:
        super().setup()
        self.wfile = _Counting(self.wfile)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        self.wfile.written = 0
        super().handle_one_request()
        if self.wfile.written:
            self.server.log(self.path, self.wfile.written)

    def translate_path(self, path: str) -> str:
        inner = urllib.parse.urlsplit(path).path
        if inner.startswith(self.base + BENCH_PATH + "pyodide/"):
            return str(NODE_PYODIDE / Path(inner).name)
        if inner.startswith(self.base + BENCH_PATH):
            return str(BENCH_PAGES / Path(inner).name)
        return super().translate_path(path)


class _Counting(io.RawIOBase):
    """A handler's output stream that counts every byte written."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
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
    """The site server, keeping the responses it sent."""

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


@contextmanager
def running(site: Path, base: str = BASE) -> Iterator[BenchServer]:
    """Serve ``site`` and the bench pages like GitHub Pages, in a thread."""
    server = serve.make_server(site, port=0, base=base, quiet=True, handler=BenchHandler, server=BenchServer)
    BenchHandler.compress_ahead([*site.rglob("*"), *BENCH_PAGES.iterdir(), *NODE_PYODIDE.iterdir()])  # before timing
    with serve.serving(server):
        yield server


# ---------------------------------------------------------------------------------------------
# Measuring


class Bench:
    """The measurements. Every visit sequence runs in a browser of its own, launched for it, so
    that nothing one page compiled or cached helps another."""

    def __init__(self, launch: Callable[[], Any], server: BenchServer) -> None:
        self.launch = launch
        self.server = server
        self.url = server.url
        self.bare = f"{BENCH_PATH}bare.html?index=pyodide/&thread="

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


# ---------------------------------------------------------------------------------------------


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
    npm = json.loads((NODE_PYODIDE / "package.json").read_text(encoding="utf-8"))["version"]
    if pyodide_version(args.site) != npm:
        print(f"bench: the site has Pyodide {pyodide_version(args.site)}, node_modules {npm}: rebuild it", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    results = Results()
    with running(args.site) as server, sync_playwright() as playwright:
        try:
            executable = chromium.executable()
        except RuntimeError as error:
            sys.exit(f"bench: no Chromium:\n{error}")

        def launch() -> Any:
            return playwright.chromium.launch(executable_path=executable, args=chromium.CHROMIUM_ARGS)

        browser = launch()
        results.chromium = f"Chromium {browser.version}"
        browser.close()
        bench = Bench(launch, server)
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
