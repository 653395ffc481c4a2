"""How the calculator's engine starts: a first visit starts Python and stores a snapshot of the
engine; a return visit restores it; whatever is wrong with the snapshot or the storage ends in a
normal start with the same results.

The page's worker messages are recorded by wrapping the page's Worker constructor before its
scripts run; the stored snapshot is read and damaged through IndexedDB from the page, which
shares the worker's origin.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from calcpage import ENGINE_FILES, GOLDEN, PAGE_PATHS, golden_names, wait_ready
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from calculator import browser as engine

SAVED_TIMEOUT = 30_000  # ms for the snapshot to be stored once the engine is ready
MARK = "gbt27922-engine-snapshot"  # engine-boot.js's mark, in localStorage, that a snapshot is stored

#: Records the messages of the page's workers in window.__engine.messages (with the time they
#: arrived), and keeps the worker that says it is ready as window.__engine.worker.
RECORDER = """
(() => {
  const engine = (window.__engine = { messages: [], worker: null });
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data?.type !== "string") return;
        engine.messages.push({ at: performance.now(), ...event.data });
        if (event.data.type === "ready") engine.worker = this;
      });
    }
  };
})();
"""

#: Runs `operation(store)` on the snapshot store in a transaction; resolves to the request's result.
STORE = """
const store = (mode, operation) => new Promise((resolve, reject) => {
  const open = indexedDB.open("gbt27922-engine", 1);
  open.onerror = () => reject(open.error);
  open.onupgradeneeded = () => open.result.createObjectStore("snapshots");
  open.onsuccess = () => {
    const transaction = open.result.transaction("snapshots", mode);
    const request = operation(transaction.objectStore("snapshots"));
    transaction.oncomplete = () => { open.result.close(); resolve(request.result); };
    transaction.onerror = () => reject(transaction.error);
  };
});
"""

#: The stored entry, described: {key, size, memory, runs, probe, data (its byte count), failed},
#: or null.
DESCRIBE = (
    "async () => {"
    + STORE
    + """
  const entry = await store("readonly", (s) => s.get("engine"));
  if (!entry) return null;
  return { key: entry.key, size: entry.size ?? null, memory: entry.memory ?? null, runs: entry.runs ?? null,
           probe: entry.probe ?? null,
           data: entry.data ? entry.data.size : null, failed: entry.failed === true };
}"""
)


# --- the page and its engine -----------------------------------------------------------------


class Visits:
    """A browser context in which the calculator is opened again and again, as by one reader."""

    def __init__(self, browser: Browser, site_server: str) -> None:
        self.url = site_server + PAGE_PATHS["en"]
        self.context: BrowserContext = browser.new_context()
        self.context.add_init_script(RECORDER)
        self.errors: list[str] = []

    def open(self) -> Page:
        """A new visit; returns once the engine is ready."""
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(error.message))
        page.goto(self.url)
        wait_ready(page)
        return page

    def close(self) -> None:
        self.context.close()


def messages(page: Page, kind: str) -> list[dict[str, Any]]:
    return [m for m in page.evaluate("() => window.__engine.messages") if m["type"] == kind]


def start_path(page: Page) -> str:
    """How the engine started: "normal" or "snapshot" (from its ready message)."""
    (ready,) = messages(page, "ready")
    return ready["start"]


def wait_saved(page: Page) -> None:
    page.wait_for_function(
        "() => window.__engine.messages.some((m) => m.type === 'saved')", timeout=SAVED_TIMEOUT
    )


def stored(page: Page) -> dict[str, Any] | None:
    return page.evaluate(DESCRIBE)


def evaluate(page: Page, text: str, lang: str) -> dict[str, Any]:
    """The engine's answer for an assessment, asked through the worker's own protocol."""
    return json.loads(
        page.evaluate(
            """([text, lang]) => new Promise((resolve) => {
                const worker = window.__engine.worker;
                const id = `check-${Math.random()}`;
                const listen = (event) => {
                  if (event.data?.type === "result" && event.data.id === id) {
                    worker.removeEventListener("message", listen);
                    resolve(event.data.json);
                  }
                };
                worker.addEventListener("message", listen);
                worker.postMessage({ id, text, lang });
              })""",
            [text, lang],
        )
    )


def expect_scores(page: Page, total: str, score: str, tier: str) -> None:
    """The form works: a total typed in quick mode gives the package's score and tier."""
    page.check("input[name=mode][value=quick]")
    page.fill("[name=total]", total)
    result = page.locator("[data-result]")
    expect(result).to_have_attribute("data-score", score)
    expect(result).to_have_attribute("data-tier", tier)


def wait_for(condition: Any, timeout: float = 10.0) -> None:
    """Poll ``condition()`` until it is true."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def golden_cases() -> list[tuple[str, str]]:
    return [(name, (GOLDEN / f"{name}.json").read_text(encoding="utf-8")) for name in golden_names()]


# --- a first visit, then return visits --------------------------------------------------------


@pytest.fixture(scope="module")
def visits(browser: Browser, site_server: str) -> Iterator[Visits]:
    visits = Visits(browser, site_server)
    yield visits
    visits.close()


@pytest.fixture(scope="module")
def first(visits: Visits) -> Page:
    """The first visit, once its snapshot is stored."""
    page = visits.open()
    wait_saved(page)
    return page


@pytest.fixture(scope="module")
def restored(visits: Visits, first: Page) -> Page:
    """A return visit: the engine restored from the snapshot."""
    first.close()
    return visits.open()


@pytest.fixture
def keep_snapshot(restored: Page) -> Iterator[None]:
    """Puts the good snapshot back after a test that damages it."""
    restored.evaluate(
        "async () => {" + STORE + """
        const entry = await store("readonly", (s) => s.get("engine"));
        await store("readwrite", (s) => s.put(entry, "backup"));
    }"""
    )
    yield
    restored.evaluate(
        "async () => {" + STORE + """
        const entry = await store("readonly", (s) => s.get("backup"));
        await store("readwrite", (s) => s.put(entry, "engine"));
    }"""
    )


def test_first_visit_starts_python_and_stores_a_snapshot(first: Page) -> None:
    """With nothing stored, the engine starts Python; once it is ready it stores its snapshot,
    keyed by the Pyodide version and the engine's folder (named by the digest of its lockfile and
    standard library): the interpreter's memory without the pages that hold only zeros, each run
    of the others with its place, uncompressed (read back at once on a return visit)."""
    assert start_path(first) == "normal"
    entry = stored(first)
    assert entry is not None and not entry["failed"]
    assert re.fullmatch(r"pyodide 314\.0\.7; engine \S*/assets/pyodide/314\.0\.7/[0-9a-f]{16}/; format \d+",
                        entry["key"]), entry["key"]
    assert entry["memory"] > 20_000_000 and entry["data"] == entry["size"] < entry["memory"]
    runs = entry["runs"]
    assert sum(length for _, length in runs) == entry["size"]
    assert all(offset % 65536 == 0 for offset, _ in runs)
    assert all(a + n < b for (a, n), (b, _) in zip(runs, runs[1:])) and runs[-1][0] + runs[-1][1] <= entry["memory"]
    assert entry["probe"] == engine.evaluate('{"total": 91.5, "special_deductions": 1, "special_bonus": true}', "en")


def test_return_visit_restores_the_snapshot(restored: Page, visits: Visits) -> None:
    """A second visit restores the stored engine instead of starting Python, says so first in
    its progress, and the form works."""
    assert start_path(restored) == "snapshot"
    stages = [m["stage"] for m in messages(restored, "progress") if m["stage"] != "download"]
    assert stages == ["runtime", "snapshot"]
    expect_scores(restored, "91", "91", "four-star")
    assert not visits.errors


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_restored_engine_gives_the_cpython_results(restored: Page, lang: str) -> None:
    """Every golden case, scored by the restored engine, gives exactly what the package gives on
    CPython, messages in both languages included."""
    for name, text in golden_cases():
        assert evaluate(restored, text, lang) == json.loads(engine.evaluate(text, lang)), name
    for text in ('{"total": "eighty"}', '{"total": 101, "special_deductions": -1}', "{"):
        assert evaluate(restored, text, lang) == json.loads(engine.evaluate(text, lang)), text


# --- a snapshot that cannot be used -----------------------------------------------------------


DAMAGE = {
    # Not the length the entry says: the data cannot be read back whole.
    "unreadable": "(entry) => ({ ...entry, data: new Blob([crypto.getRandomValues(new Uint8Array(4096))]) })",
    # Stored by another version of the engine.
    "another engine": "(entry) => ({ ...entry, key: entry.key.replace('engine ', 'engine /0') })",
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.usefixtures("keep_snapshot")
def test_a_bad_snapshot_is_replaced_after_a_normal_start(visits: Visits, restored: Page, damage: str) -> None:
    """A stored entry that cannot be read back, or that belongs to another engine, is deleted:
    the engine starts normally, gives the right results, and stores a good snapshot in its place,
    which the next visit restores."""
    restored.evaluate(
        "async () => {" + STORE + "const damage = " + DAMAGE[damage] + ";" + """
        const entry = await store("readonly", (s) => s.get("engine"));
        const damaged = damage(entry);
        await store("readwrite", (s) => s.put(damaged, "engine"));
    }"""
    )
    page = visits.open()
    assert start_path(page) == "normal"
    expect_scores(page, "95", "95", "five-star")
    wait_saved(page)
    entry = stored(page)
    assert entry is not None and not entry["failed"] and entry["key"] == stored(restored)["key"]
    page.close()
    again = visits.open()
    assert start_path(again) == "snapshot"
    again.close()
    assert not visits.errors


@pytest.mark.usefixtures("keep_snapshot")
def test_a_snapshot_that_fails_to_restore_is_not_tried_again(visits: Visits, restored: Page) -> None:
    """A snapshot that reads back whole but does not restore (here: the right length of zeros)
    ends in a normal start with the right results; the entry is marked, so the next visit starts
    normally at once and stores nothing."""
    restored.evaluate(
        "async () => {" + STORE + """
        const entry = await store("readonly", (s) => s.get("engine"));
        entry.data = new Blob([new Uint8Array(entry.size)]);
        await store("readwrite", (s) => s.put(entry, "engine"));
    }"""
    )
    page = visits.open()
    assert start_path(page) == "normal"
    expect_scores(page, "79.99", "79.99", "standard")
    wait_for(lambda: (stored(page) or {}).get("failed"))
    page.close()
    again = visits.open()
    assert start_path(again) == "normal"
    assert [m["stage"] for m in messages(again, "progress") if m["stage"] != "download"] == ["runtime", "python"]
    again.wait_for_timeout(1000)
    assert not messages(again, "saved") and stored(again)["failed"]
    # No snapshot to restore: the head's script is told not to start the next visit's engine.
    assert again.evaluate(f"() => localStorage.getItem({MARK!r})") is None
    again.close()


# --- started from the page's head --------------------------------------------------------------


#: Records each worker the page creates, with the script that created it (its call stack).
WORKER_CREATORS = """
(() => {
  const created = (window.__created = []);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      created.push({ url: String(args[0]), stack: new Error().stack, at: performance.now() });
    }
  };
})();
"""


def engine_workers(page: Page) -> list[dict[str, Any]]:
    return [w for w in page.evaluate("() => window.__created") if "/engine-worker.mjs" in w["url"]]


def engine_starters(page: Page) -> list[str]:
    """The script that created each of the page's engine workers, in order: "engine-boot.js" (the
    head's) or "calculator.mjs" (the form's: the page script, engine-client.mjs bundled in it)."""
    found = []
    for worker in engine_workers(page):
        starters = [name for name in ("engine-boot.js", "calculator.mjs") if f"/{name}" in worker["stack"]]
        assert len(starters) == 1, worker["stack"]
        found += starters
    return found


def engine_starter(page: Page) -> str:
    """The script that created the page's one engine worker."""
    (starter,) = engine_starters(page)
    return starter


@pytest.fixture
def reader(browser: Browser, site_server: str) -> Iterator[Visits]:
    """Visits of a reader of their own, whose pages record which script created each worker."""
    visits = Visits(browser, site_server)
    visits.context.add_init_script(WORKER_CREATORS)
    yield visits
    visits.close()


def test_a_return_visit_starts_its_engine_from_the_head(reader: Visits) -> None:
    """A first visit's engine is started by the form's script (nothing is started while the page
    loads); once a snapshot is stored, the next visit's is started by the head's script, restores
    the snapshot, and the form scores with it."""
    first = reader.open()
    assert engine_starter(first) == "calculator.mjs"
    wait_saved(first)
    first.close()
    again = reader.open()
    assert engine_starter(again) == "engine-boot.js"
    assert start_path(again) == "snapshot"
    expect_scores(again, "85", "85", "three-star")
    assert not reader.errors


def test_without_the_heads_script_a_return_visit_still_restores(reader: Visits) -> None:
    """If the head's script does not arrive, the form starts the engine itself: the snapshot is
    restored, and the form works."""
    wait_saved(reader.open())
    reader.context.route("**/assets/calculator/**/engine-boot.js*", lambda route: route.abort())
    page = reader.open()
    assert engine_starter(page) == "calculator.mjs"
    assert start_path(page) == "snapshot"
    expect_scores(page, "85", "85", "three-star")
    assert not reader.errors


def test_a_heads_script_that_runs_after_the_form_starts_no_second_engine(reader: Visits) -> None:
    """The head's script is async: when it arrives only after the form has started the engine
    itself (here the engine fails, its runtime refused), it starts no second one, and Try again
    starts a new engine of its own, which works."""
    wait_saved(reader.open())
    held: list[Route] = []
    reader.context.route("**/assets/calculator/**/engine-boot.js*", lambda route: held.append(route))
    reader.context.route(ENGINE_FILES["pyodide.asm.wasm"], lambda route: route.abort())
    page = reader.context.new_page()
    page.on("pageerror", lambda error: reader.errors.append(error.message))
    page.goto(reader.url, wait_until="commit")
    page.wait_for_function("() => window.__created?.some((w) => w.url.includes('/engine-worker.mjs'))")
    # The route's handler runs only while Playwright is waited on: the condition waits a moment.
    wait_for(lambda: held or page.wait_for_timeout(50))
    held[0].continue_()
    page.wait_for_function("() => typeof window.calculatorEngineBoot?.note === 'function'")
    expect(page.locator("[data-calculator]")).to_have_attribute("data-engine", "error", timeout=60_000)
    assert engine_starters(page) == ["calculator.mjs"]
    reader.context.unroute(ENGINE_FILES["pyodide.asm.wasm"])
    page.click("[data-calculator-alert] button[data-action=retry]")
    wait_ready(page)
    assert engine_starters(page) == ["calculator.mjs", "calculator.mjs"]
    expect_scores(page, "85", "85", "three-star")
    assert not reader.errors


def test_the_mark_follows_the_stored_snapshot(reader: Visits) -> None:
    """Storing a snapshot sets the mark to the engine's lockfile; the head starts nothing on a
    mark for another engine; on a mark whose snapshot has gone, the engine the head started
    starts normally, and marks the snapshot it stores."""
    first = reader.open()
    wait_saved(first)
    lock = first.evaluate(f"() => localStorage.getItem({MARK!r})")
    assert lock == first.locator("[data-calculator]").evaluate(
        "(root) => new URL(root.dataset.engineLock, document.baseURI).href"
    )
    first.evaluate(f"() => localStorage.setItem({MARK!r}, new URL('../other/pyodide-lock.json', {lock!r}).href)")
    other = reader.open()
    assert engine_starter(other) == "calculator.mjs"
    assert start_path(other) == "snapshot"
    other.evaluate(f"async () => {{ {STORE} await store('readwrite', (s) => s.delete('engine')); }}")
    other.evaluate(f"() => localStorage.setItem({MARK!r}, {lock!r})")
    gone = reader.open()
    assert engine_starter(gone) == "engine-boot.js"
    assert start_path(gone) == "normal"
    wait_saved(gone)
    assert gone.evaluate(f"() => localStorage.getItem({MARK!r})") == lock
    assert not reader.errors


# --- no storage -------------------------------------------------------------------------------


#: Prepended to the worker's script: IndexedDB refuses, as when a browser blocks storage.
NO_INDEXEDDB = 'IDBFactory.prototype.open = function () { throw new DOMException("denied", "SecurityError"); };\n'


def test_without_storage_the_engine_starts_normally(browser: Browser, site_server: str) -> None:
    """Where no snapshot can be kept (IndexedDB throws), the engine starts normally, works, and
    stores nothing."""
    visits = Visits(browser, site_server)

    def patched(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=NO_INDEXEDDB + response.text())

    try:
        visits.context.route(ENGINE_FILES["engine-worker.mjs"], patched)
        page = visits.open()
        assert start_path(page) == "normal"
        expect_scores(page, "80", "80", "three-star")
        page.wait_for_timeout(1000)
        assert not messages(page, "saved")
        assert not visits.errors
    finally:
        visits.close()


# --- download progress ------------------------------------------------------------------------


def test_download_progress_is_reported(browser: Browser, site_server: str, built_site: Path) -> None:
    """While the engine's files arrive, the worker reports the bytes received, growing, no more
    than about four times a second, the last count once everything is in (every byte of the files
    it fetches: the runtime, the standard library, the lockfile and the wheel, as decoded); the
    runtime still compiles from the counted download."""
    (version,) = (built_site / "assets" / "pyodide").iterdir()
    fetched = [version / "pyodide.asm.wasm", *(p for p in version.glob("*/*") if p.is_file())]
    assert {p.name for p in fetched} >= {"python_stdlib.zip", "pyodide-lock.json"}
    visits = Visits(browser, site_server)
    try:
        page = visits.context.new_page()
        cdp = visits.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 10, "downloadThroughput": 5_000_000, "uploadThroughput": 5_000_000},
        )
        # Not waiting for the page's load event: the engine's readiness is what is awaited (one
        # fresh-clone CI run timed out at 30 s waiting for "load" here, and passed everywhere else).
        page.goto(visits.url, wait_until="commit")
        wait_ready(page)
        progress = [m for m in messages(page, "progress") if m["stage"] == "download"]
        assert len(progress) >= 3, progress
        loaded = [m["loaded"] for m in progress]
        assert loaded == sorted(loaded) and loaded[-1] == sum(p.stat().st_size for p in fetched)
        times = [m["at"] for m in progress[:-1]]  # the last one comes as soon as all is in
        busiest = max(sum(1 for t in times if start <= t < start + 1000) for start in times)
        assert busiest <= 5, times  # four a second, and one more for arrival jitter
        assert all(m["total"] is None or m["total"] >= m["loaded"] for m in progress)
    finally:
        visits.close()
