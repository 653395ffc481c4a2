#!/usr/bin/env python3
"""Measure the calculator's start-up and responsiveness against bare Pyodide; print a table.

Serves a built site with scripts/serve.py as GitHub Pages does (gzip, ``cache-control:
max-age=600``) under a sub-path, next to a reference page that loads the same Pyodide files from
the same server (with the lockfile Pyodide ships) and only calls ``loadPyodide()``
(scripts/bench-pages/), and drives headless Chromium (scripts/chromium.py), launched afresh for
each sequence of visits, each visit in a new tab left SETTLE ms before it is given its address::

    python3 scripts/bench.py [--site site] [--pairs 3] [--changes 200] [--json results.json]

What it measures, each figure the median of ``--pairs`` pairs run in alternating order, every
visit on a link throttled to 10 Mbit/s down with 40 ms latency:

- engine ready: from navigation start to ``data-engine="ready"``, on a first visit (a new
  browser) and on a second visit in the same browser context: after a first visit that stayed
  until its snapshot was stored, one that stayed 3 s once ready, and one closed the moment the
  engine was ready; and on arriving at the calculator after 20 s on the home page (the site's
  service worker has fetched the engine ahead meanwhile). The reference is bare Pyodide as the
  npm package ships it, in a module worker, as the calculator runs it (bare Pyodide on the page's
  main thread is measured too, for comparison);
- bytes of a first visit until the engine is ready, counted by the server (headers and bodies,
  every request of the page and its workers), against the reference page's;
- form accepts input: the latest of first contentful paint, the end of DOMContentLoaded, and on
  the calculator the creation of its engine worker (its script attaches the form's handlers just
  before), on first visits, against a guide page; and that guide page's load, with the site's
  service worker and without it;
- recompute latency on a ready page: ``--changes`` edits of a full assessment, each from the input
  event to the result updated in the page, and the time spent in Python (the worker's ``ms``),
  in ``--pairs`` runs, each in a browser of its own: the median and 95th percentile of each
  run, and their medians over the runs;
- offline, once, after the 20 s on the home page: with the server answering nothing, every page
  of the site, a search in each language and the calculator in each.

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
STAY = 3_000  # ms a first visit stays once its engine is ready, for "return visit after a stay"
READ = 20_000  # ms spent on the home page before going to the calculator
#: ms a new tab is left before it is given its address. A tab's own browser interface starts as it
#: opens (in headless Chromium 156 the address bar's popup renderer and the browser process were
#: busy for about 1.7 s of CPU time), as it would while a reader types the address; navigating at
#: once charged that work to the page on a 2-core machine.
SETTLE = 2_000
#: Offline, after one visit: a search on a page of each language, and the calculator in each.
SEARCHES = (("zh/", "特别扣分项"), ("", "special deduction"))
CALCULATORS = ("calculator/", "zh/calculator/")


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
        if self.server.offline:  # the network is gone: the request gets no answer at all
            self.rfile.readline(65537)
            self.close_connection = True
            return
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
        self.offline = False  # answer nothing, as with the network gone
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

    def __init__(self, launch: Callable[[], Any], server: BenchServer, site: Path) -> None:
        self.launch = launch
        self.server = server
        self.url = server.url
        self.site = site
        self.bare = f"{BENCH_PATH}bare.html?index=pyodide/&thread="
        self.offline_result: dict[str, Any] | None = None

    def open(self, context: Any, path: str, page: Any = None) -> Any:
        """Go to ``path`` on the throttled link, in ``page`` or else in a new one, left SETTLE ms first."""
        if page is None:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THROTTLE)
            page.wait_for_timeout(SETTLE)
        page.goto(self.url + path, wait_until="commit")
        return page

    @contextmanager
    def context(self, **options: Any) -> Iterator[Any]:
        """A fresh browser and a context in it, closed on exit."""
        browser = self.launch()
        try:
            context = browser.new_context(**options)
            context.add_init_script(RECORDER)
            yield context
        finally:
            browser.close()

    def ready(self, page: Any) -> Visit:
        """Wait for the page's engine; the visit's time to ready, its start path, and the bytes
        the server sent since the last count (taken as soon as the engine is ready)."""
        page.wait_for_function("() => window.__bench.ready !== null", timeout=READY_TIMEOUT)
        responses = self.server.take()
        record = page.evaluate("() => window.__bench")
        ready_message = next((m for m in record["messages"] if m["type"] == "ready"), {})
        return Visit(ready=record["ready"], start=ready_message.get("start", ""), responses=responses)

    def engine(self, context: Any, path: str, leave: str) -> tuple[Visit, Visit, Any]:
        """A first and a second visit to a page with an engine, in ``context``. The first page is
        closed ``leave``: "saved" once its snapshot is stored, "stay" STAY ms after its engine is
        ready, "ready" the moment it is. Returns both visits, and the second visit's page, open."""
        self.server.take()
        page = self.open(context, path)
        cold = self.ready(page)
        if leave == "saved":
            page.wait_for_function(
                "() => window.__bench.messages.some((m) => m.type === 'saved')", timeout=SAVED_TIMEOUT
            )
            saved = page.evaluate("() => window.__bench.messages.find((m) => m.type === 'saved').at")
            cold.saved = saved - (cold.ready or 0)
        elif leave == "stay":
            page.wait_for_timeout(STAY)
        page.close()
        page = self.open(context, path)
        warm = self.ready(page)
        page.wait_for_load_state("load")
        return cold, warm, page

    def arrival(self, check_offline: bool) -> tuple[Visit, dict[str, Any] | None]:
        """A first visit to the home page, READ ms of reading, then the calculator: its engine.
        With ``check_offline``, then the network goes: what still works (offline())."""
        with self.context() as context:
            self.server.take()
            page = self.open(context, "")
            page.wait_for_timeout(READ)
            kept = page.evaluate("() => document.documentElement.dataset.offline ?? 'nothing'")
            self.server.take()
            visit = self.ready(self.open(context, CALCULATOR, page))
            visit.start = f"{visit.start}; kept for offline use after {READ / 1000:.0f} s: {kept}"
            return visit, self.offline(context, page) if check_offline else None

    def offline(self, context: Any, page: Any) -> dict[str, Any]:
        """With the server answering nothing: every page of the site, search in both languages,
        the calculator's engine in both; the count of each that works."""
        page.wait_for_function(
            "() => document.documentElement.dataset.offline === 'engine'", timeout=READY_TIMEOUT
        )
        pages = sorted(
            p.relative_to(self.site).as_posix().removesuffix("index.html") for p in self.site.rglob("index.html")
        )
        works = {"pages": 0, "search": 0, "calculator": 0}
        self.server.offline = True
        try:
            for path in pages:
                response = page.goto(self.url + path)
                works["pages"] += bool(response and response.ok and page.locator("h1").count())
            for path, query in SEARCHES:
                page.goto(self.url + path)
                works["search"] += searches(page, query)
            for path in CALCULATORS:
                page.goto(self.url + path)
                page.wait_for_function("() => window.__bench.ready !== null", timeout=READY_TIMEOUT)
                works["calculator"] += 1
        except Exception as error:  # noqa: BLE001 - a failure is a measurement here
            print(f"bench: offline: {error}", file=sys.stderr)
        finally:
            self.server.offline = False
        return {"works": works, "of": {"pages": len(pages), "search": len(SEARCHES), "calculator": len(CALCULATORS)}}

    def input_ready(self, path: str, **options: Any) -> tuple[float, float]:
        """When a first visit's page accepts input (the engine, if any, is left loading), and when
        its load event ended."""
        with self.context(**options) as context:
            page = self.open(context, path)
            page.wait_for_load_state("load")
            page.wait_for_function(INPUT_READY)
            load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
            return page.evaluate(INPUT_READY), load

    def pair(self, index: int) -> dict[str, Visit]:
        results: dict[str, Visit] = {}

        def calculator(leave: str, names: tuple[str, str]) -> Callable[[], None]:
            def run() -> None:
                with self.context() as context:
                    cold, warm, _ = self.engine(context, CALCULATOR, leave)
                results[names[0]], results[names[1]] = cold, warm

            return run

        def bare(thread: str) -> Callable[[], None]:
            def run() -> None:
                with self.context() as context:
                    cold, warm, _ = self.engine(context, self.bare + thread, "ready")
                results[f"bare {thread} cold"], results[f"bare {thread} warm"] = cold, warm

            return run

        def arrival() -> None:
            results["arrival"], offline = self.arrival(check_offline=index == 0)
            if offline is not None:
                self.offline_result = offline

        order = [
            calculator("saved", ("calculator cold", "calculator warm")),
            bare("worker"),
            calculator("stay", ("calculator stay cold", "calculator after stay")),
            arrival,
            calculator("ready", ("calculator closed cold", "calculator after close")),
            bare("main"),
        ]
        for step in order if index % 2 == 0 else reversed(order):
            step()
        return results

    def inputs(self, index: int) -> list[dict[str, float]]:
        """First visits to the calculator, to a guide page and to that page without the site's
        service worker, in turns, INPUT_ROUNDS each: when each accepts input, and loads."""
        rounds = []
        visits = {
            "calculator": (CALCULATOR, {}),
            "plain": (PLAIN, {}),
            "plain without worker": (PLAIN, {"service_workers": "block"}),
        }
        for round_ in range(INPUT_ROUNDS):
            names = list(visits)
            order = names if (index + round_) % 2 == 0 else names[::-1]
            measured: dict[str, float] = {}
            for name in order:
                path, options = visits[name]
                measured[name], measured[f"{name} load"] = self.input_ready(path, **options)
            rounds.append(measured)
        return rounds

    def recompute(self, changes: int) -> tuple[list[float], list[float], str]:
        """Edits on a calculator page whose engine is ready (restored from its snapshot)."""
        with self.context() as context:
            _, _, page = self.engine(context, CALCULATOR, "saved")
            messages = page.evaluate("() => window.__bench.messages")
            start = next(m.get("start", "") for m in messages if m["type"] == "ready")
            measured = page.evaluate(RECOMPUTE, changes)
            return measured["times"], measured["python"], start


def searches(page: Any, query: str) -> bool:
    """Whether the site's search, given ``query`` on ``page``, lists results."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator(".md-search__input")
    box.fill(query)
    box.press("End")
    try:
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    except Exception:  # noqa: BLE001 - no result is the answer
        return False
    return True


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
        bench = Bench(launch, server, args.site)
        for index in range(args.pairs):
            print(f"bench: pair {index + 1} of {args.pairs}", file=sys.stderr, flush=True)
            results.pairs.append(bench.pair(index))
            results.inputs += bench.inputs(index)
        for index in range(args.pairs):
            print(f"bench: recompute {index + 1} of {args.pairs}", file=sys.stderr, flush=True)
            times, python, start = bench.recompute(args.changes)
            results.recompute_ms.append(times)
            results.python_ms.append(python)
            results.recompute_start.append(start)
        results.offline = bench.offline_result

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
