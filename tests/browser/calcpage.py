"""Helpers for the calculator's browser tests: a browser context that records what the page
requests and reports, the engine's states, the result, and the scoring package on CPython to
compare the page with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page, Request, Route, Worker, expect

from calculator import browser as engine

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
STRINGS = json.loads((ROOT / "docs" / "assets" / "calculator" / "strings.json").read_text(encoding="utf-8"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
READY_TIMEOUT = 60_000  # ms; Pyodide starts in about 4 s here, far more on a busy machine
INDICATORS = [i["id"] for c in json.loads(engine.scheme())["categories"] for i in c["indicators"]]
LANGUAGES = ("en", "zh")
PAGE_PATHS = {"en": "calculator/", "zh": "zh/calculator/"}

#: Every file the engine needs, as a route pattern: the worker's script (its modules bundled in
#: it), Pyodide's loader, runtime, WebAssembly and standard library, the lockfile and the
#: package's wheel. (``**/assets/calculator/**/`` also matches a versioned folder below it.)
ENGINE_FILES = {
    "engine-worker.mjs": "**/assets/calculator/**/engine-worker.mjs*",
    "pyodide.mjs": "**/assets/pyodide/*/pyodide.mjs",
    "pyodide.asm.mjs": "**/assets/pyodide/*/pyodide.asm.mjs",
    "pyodide.asm.wasm": "**/assets/pyodide/*/pyodide.asm.wasm",
    "python_stdlib.zip": "**/assets/pyodide/*/*/python_stdlib.zip",
    "pyodide-lock.json": "**/assets/pyodide/*/*/pyodide-lock.json*",
    "calculator wheel": "**/assets/pyodide/*/*/gbt27922_calculator-*.whl",
}

#: Records every Content Security Policy violation of a page (and its frames) in
#: window.__violations, from before the page's first script runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || document.URL}:${event.lineNumber}) ${event.sample || ""}`);
}, true);
"""


#: Test conditions for the next page loads of a tab, read from window.name (which survives a
#: reload) before any of the page's scripts run:
#:   engineTimeout  seconds, set as the calculator's data-engine-timeout before its module runs
#:                  (module scripts run once the document is parsed: readyState "interactive");
#:   storage        "full": localStorage.setItem throws QuotaExceededError; "off": reading
#:                  window.localStorage throws SecurityError, as when a browser blocks storage;
#:   saved          text put under the calculator's storage key once, before the page reads it.
TEST_HOOKS = """
(() => {
  let hooks = {};
  try { hooks = JSON.parse(window.name || "{}") ?? {}; } catch { return; }
  if (hooks.engineTimeout) {
    document.addEventListener("readystatechange", () => {
      const root = document.querySelector("[data-calculator]");
      if (root && document.readyState === "interactive") root.dataset.engineTimeout = String(hooks.engineTimeout);
    });
  }
  if (typeof hooks.saved === "string") {
    localStorage.setItem("gbt27922-calculator", hooks.saved);
    delete hooks.saved;
    window.name = JSON.stringify(hooks);
  }
  if (hooks.storage === "full") {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  } else if (hooks.storage === "off") {
    Object.defineProperty(window, "localStorage", {
      get() { throw new DOMException("Access is denied for this document.", "SecurityError"); },
    });
  }
})();
"""


def set_hooks(page: Page, **hooks: Any) -> None:
    """Set the TEST_HOOKS for the tab's next loads (same-site: a cross-site navigation clears
    window.name); ``engineTimeout`` applies to the current page at once (the calculator reads it
    each time its watchdog starts counting)."""
    page.evaluate(
        """(hooks) => {
            window.name = JSON.stringify(hooks);
            const root = document.querySelector("[data-calculator]");
            if (!root) return;
            if (hooks.engineTimeout) root.dataset.engineTimeout = String(hooks.engineTimeout);
            else delete root.dataset.engineTimeout;
        }""",
        hooks,
    )


INLINE_SCHEMES = {"data", "blob", "about"}  # URLs that make no network request


def outside(urls: list[str], base_url: str) -> list[str]:
    """The URLs that leave ``base_url``: another origin, or a path outside the site's base."""
    return [url for url in urls if urlsplit(url).scheme not in INLINE_SCHEMES and not url.startswith(base_url)]


def golden_names() -> list[str]:
    """The golden cases in tests/golden/: each NAME.json has its NAME.expected.json."""
    return sorted(p.name.removesuffix(".json") for p in GOLDEN.glob("*.json") if not p.name.endswith(".expected.json"))


class Session:
    """A browser context with every request it makes recorded (URL and body), and the page
    errors, console errors and dialogs of the pages it opens."""

    def __init__(self, browser: Browser, base_url: str, **options: Any) -> None:
        self.base_url = base_url
        self.context: BrowserContext = browser.new_context(accept_downloads=True, **options)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.context.add_init_script(TEST_HOOKS)
        self.requests: list[Request] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.accept_dialogs = True
        self.context.on("request", lambda request: self.requests.append(request))

    def answer_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        if self.accept_dialogs:
            dialog.accept()
        else:
            dialog.dismiss()

    def open(self, path: str) -> Page:
        page = self.context.new_page()
        page.on("dialog", self.answer_dialog)
        page.on("pageerror", lambda error: self.errors.append(f"{error.name}: {error.message}\n{error.stack}"))
        page.on("console", lambda message: message.type == "error" and self.console.append(message.text))
        page.goto(self.base_url + path)
        return page

    @property
    def urls(self) -> list[str]:
        return [request.url for request in self.requests]

    def outside(self) -> list[str]:
        """Requests that left the site: another origin, or outside its base path."""
        return outside(self.urls, self.base_url)

    def close(self) -> None:
        self.context.close()


@contextmanager
def blocked(context: BrowserContext, pattern: str, handler: Any = None) -> Iterator[None]:
    """Requests matching ``pattern`` fail (or go to ``handler``) inside the block."""
    def abort(route: Route) -> None:
        route.abort()

    context.route(pattern, handler or abort)
    try:
        yield
    finally:
        context.unroute(pattern)


def root(page: Page) -> Locator:
    return page.locator("[data-calculator]")


def wait_engine(page: Page, state: str = "ready", timeout: float = READY_TIMEOUT) -> None:
    expect(root(page)).to_have_attribute("data-engine", state, timeout=timeout)


def wait_ready(page: Page) -> None:
    wait_engine(page, "ready")


def engine_worker(page: Page) -> Worker:
    """The engine's worker (the page also runs the site search's worker)."""
    workers = [worker for worker in page.workers if "engine-worker" in worker.url]
    assert len(workers) == 1, [worker.url for worker in page.workers]
    return workers[0]


def forget_stored_engine(page: Page) -> None:
    """Delete what the page keeps in IndexedDB (the engine may keep a snapshot there for a faster
    next start), so that the next start is a first visit's, which fetches every engine file.
    A database the engine still has open goes once the page that holds it is left."""
    page.evaluate(
        """async () => {
            for (const { name } of await indexedDB.databases()) {
                await new Promise((resolve) => {
                    const request = indexedDB.deleteDatabase(name);
                    request.onsuccess = request.onerror = request.onblocked = resolve;
                });
            }
        }"""
    )


def result(page: Page) -> dict[str, str]:
    return page.eval_on_selector(
        "[data-result]",
        "e => ({score: e.dataset.score, tier: e.dataset.tier, provisional: e.dataset.provisional})",
    )


def expect_result(page: Page, score: str, tier: str, provisional: bool = False) -> None:
    box = page.locator("[data-result]")
    expect(box).to_have_attribute("data-score", score)
    expect(box).to_have_attribute("data-tier", tier)
    expect(box).to_have_attribute("data-provisional", "true" if provisional else "false")


def cpython(assessment: dict[str, Any] | str, lang: str = "en") -> dict[str, Any]:
    """What the scoring package on CPython says about an assessment."""
    text = assessment if isinstance(assessment, str) else json.dumps(assessment)
    return json.loads(engine.evaluate(text, lang))


def form_fields(page: Page) -> dict[str, str]:
    """The form's values by name, as the browser would submit them (the share link aside)."""
    return page.evaluate(
        """() => Object.fromEntries([...new FormData(document.querySelector('[data-calculator-form]'))]
              .filter(([name, value]) => typeof value === 'string' && name !== 'share-link'))"""
    )


def saved_fields(page: Page) -> dict[str, Any] | None:
    """The answers the page keeps in the browser's storage."""
    text = page.evaluate("() => localStorage.getItem('gbt27922-calculator')")
    return None if text is None else json.loads(text)


def answer(page: Page, indicator: str, status: str, **numbers: str) -> None:
    page.select_option(f"[name='status:{indicator}']", status)
    for field, value in numbers.items():
        page.fill(f"[name='{field}:{indicator}']", value)


def fill_full(page: Page) -> None:
    """A full self-assessment using every kind of answer, one indicator left unanswered."""
    page.check("input[name=mode][value=full]")
    for indicator in INDICATORS[:-1]:
        answer(page, indicator, "conforms")
    answer(page, "staffing", "sampled", samples="12", nonconforming="1")
    answer(page, "delivery", "scored", points="4.75")
    answer(page, "take-back", "excluded")
    answer(page, "supervision", "nonconforming")
    page.fill("[name=special_deductions]", "2")
    page.check("[name=special_bonus]")


FULL_ASSESSMENT = {
    "indicators": {i: {"status": "conforms"} for i in INDICATORS[:-1]}
    | {
        "staffing": {"status": "sampled", "samples": 12, "nonconforming": 1},
        "delivery": {"status": "scored", "points": 4.75},
        "take-back": {"status": "excluded"},
        "supervision": {"status": "nonconforming"},
    },
    "special_deductions": 2,
    "special_bonus": True,
}
"""What ``fill_full`` types, as the engine's assessment JSON."""


def axe_violations(page: Page, selector: str | None = None) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (or inside ``selector``).

    axe is evaluated through the DevTools protocol (page.evaluate), which the page's Content
    Security Policy does not govern, so the policy stays as it is for the check. Transitions under
    way finish first (the theme fades its header tabs out on scrolling): colours caught half-way
    are not the page's.
    """
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (selector) => {
            const ending = document.getAnimations()
              .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
              .map((a) => a.finished.catch(() => {}));
            await Promise.race([Promise.all(ending), new Promise((resolve) => setTimeout(resolve, 5000))]);
            const found = await axe.run(selector ? document.querySelector(selector) : document,
                                        {resultTypes: ["violations"]});
            return found.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 160)}))}));
        }""",
        selector,
    )
