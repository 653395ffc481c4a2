"""The site after one visit, with the network gone: every page in both languages, the search and
the calculator with its engine work; a new deployment takes over cleanly; the engine is fetched
ahead on a guide page, but not on a connection that asks to save data; the calculator keeps the
engine it has loaded without downloading it again.

Each test serves a copy of the built site from a server of its own, under the sub-path GitHub
Pages uses, and goes offline by stopping that server: nothing can answer then but the browser's
service worker.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from calcpage import PAGE_PATHS, RECORD_VIOLATIONS, expect_result, wait_ready
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from calculator import browser as engine
from tests.loaders import load_hook

BASE = "/gbt27922/"
CACHED_TIMEOUT = 120_000  # ms for the site and the engine to be stored after a first visit
CONNECTION = "Object.defineProperty(Navigator.prototype, 'connection', {{get: () => ({})}});"  # what the browser reports
SAVE_DATA = CONNECTION.format("{saveData: true, effectiveType: '4g'}")

offline_hook = load_hook("offline")


class Deployment:
    """A copy of the built site, served under BASE while ``online()`` lasts; the same port each
    time, so that the browser sees one origin. ``requested``: the path of every GET the server
    has answered, in order."""

    def __init__(self, built_site: Path, folder: Path, serve_script: Any) -> None:
        self.folder = folder
        shutil.copytree(built_site, folder)
        self.serve = serve_script
        self.requested: list[str] = []
        requested = self.requested

        class Recording(serve_script.PagesHandler):
            def do_GET(self) -> None:
                requested.append(self.path)
                super().do_GET()

        self.handler = Recording
        server = serve_script.make_server(folder, port=0, base=BASE, quiet=True, handler=self.handler)
        self.port = server.server_address[1]
        server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE}"

    @contextmanager
    def online(self) -> Iterator[None]:
        server = self.serve.make_server(self.folder, port=self.port, base=BASE, quiet=True, handler=self.handler)
        with self.serve.serving(server):
            yield

    def pages(self) -> list[str]:
        """The path of every page of the site, as the site links it."""
        return sorted(
            p.relative_to(self.folder).as_posix().removesuffix("index.html")
            for p in self.folder.rglob("index.html")
        )

    def manifest(self) -> dict[str, Any]:
        """The service worker's manifest of this deployment, as the build writes it."""
        engine_folder = next((self.folder / "assets" / "pyodide").iterdir()).relative_to(self.folder).as_posix() + "/"
        return offline_hook.build_manifest(self.folder, engine_folder, ["en", "zh"])

    def redeploy(self, page: str, marker: str) -> None:
        """A new deployment: ``page`` gets ``marker`` in its first heading, and the service worker
        its new manifest, as the build writes them."""
        path = self.folder / page / "index.html"
        html = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(<h1[^>]*>)", r"\1" + marker + " ", html, count=1), encoding="utf-8")
        worker = self.folder / offline_hook.WORKER
        text = worker.read_text(encoding="utf-8")
        text = re.sub(r"const MANIFEST = \{.*?\}; //", f"const MANIFEST = {json.dumps(self.manifest())}; //", text, count=1)
        worker.write_text(text, encoding="utf-8")


@pytest.fixture
def deployment(built_site: Path, tmp_path: Path, serve_script: Any) -> Deployment:
    return Deployment(built_site, tmp_path / "site", serve_script)


@pytest.fixture
def visitor(browser: Browser) -> Iterator[BrowserContext]:
    """A reader's browser: service workers allowed, CSP violations recorded on every page."""
    context = browser.new_context(service_workers="allow")
    context.add_init_script(RECORD_VIOLATIONS)
    yield context
    context.close()


def kept_offline(page: Page, what: str) -> None:
    """Wait until the page says the site (``"site"``) or also the engine (``"engine"``) is kept."""
    expect(page.locator("html")).to_have_attribute("data-offline", what, timeout=CACHED_TIMEOUT)


def caches(page: Page) -> dict[str, list[str]]:
    """The site's caches and the URLs each holds."""
    return page.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                out[name] = (await cache.keys()).map((request) => request.url);
            }
            return out;
        }"""
    )


def violations(page: Page) -> list[Any]:
    return page.evaluate("() => window.__violations")


def search(page: Page, query: str, expected: str) -> None:
    page.locator("label.md-search__icon, .md-search__input").first.click()
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Initializing", timeout=30_000)
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("初始化", timeout=30_000)
    box = page.locator(".md-search__input")
    box.fill(query)
    box.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30_000)
    expect(page.locator(".md-search-result")).to_contain_text(expected)


def test_after_one_visit_the_whole_site_works_offline(deployment: Deployment, visitor: BrowserContext) -> None:
    """One visit to the home page keeps the site: with the server gone, every page of both
    languages opens, search finds pages in both languages, and the calculator's engine starts
    and scores exactly as the package does; no page breaks its Content Security Policy."""
    with deployment.online():
        page = visitor.new_page()
        page.goto(deployment.url)
        kept_offline(page, "engine")
        assert violations(page) == []
    pages = deployment.pages()
    assert "" in pages and "zh/" in pages and PAGE_PATHS["zh"] in pages and len(pages) >= 20
    for path in pages:
        response = page.goto(deployment.url + path)
        assert response is not None and response.ok, path
        expect(page.locator("h1").first).to_be_visible()
        assert violations(page) == [], path
    page.goto(deployment.url + "zh/")
    search(page, "特别扣分项", "评分与等级")
    page.goto(deployment.url)
    search(page, "special deduction", "Scoring and tiers")
    for lang, path in PAGE_PATHS.items():
        page.goto(deployment.url + path)
        wait_ready(page)
        page.check("input[name=mode][value=quick]")
        page.fill("[name=total]", "91.5")
        want = json.loads(engine.evaluate('{"total": 91.5}', lang))["result"]
        expect_result(page, str(want["score"]), want["tier"])
        assert violations(page) == [], path
    missing = page.goto(deployment.url + "no-such-page/")
    assert missing is not None and missing.status == 404
    expect(page.locator("h1").first).to_be_visible()


def test_a_new_deployment_takes_over_cleanly(deployment: Deployment, visitor: BrowserContext) -> None:
    """A reader with the site kept, after a new deployment: while two pages are open, both keep
    showing the deployment they came from; once one is left, it comes to the new deployment whole
    (at once, or at its next navigation), the previous deployment's cache is deleted, and the new
    one works offline."""
    with deployment.online():
        page = visitor.new_page()
        page.goto(deployment.url + "scoring/")
        kept_offline(page, "engine")
        (old,) = caches(page)
        other = visitor.new_page()
        other.goto(deployment.url + "calculator/")
        wait_ready(other)
        deployment.redeploy("scoring/", "Redeployed")
        page.reload()  # the browser looks for a new worker as it navigates
        wait_until(
            page,
            "async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state === 'installed'",
            CACHED_TIMEOUT,
        )
        for shown in (page, other):
            shown.reload()
            expect(shown.locator("h1").first).not_to_contain_text("Redeployed")
        other.goto(deployment.url + "scoring/")
        expect(other.locator("h1").first).not_to_contain_text("Redeployed")
        other.close()
        # A closed page may still count as open for a moment: navigate until the new deployment
        # comes, each time a whole page of one deployment or the other.
        deadline = time.monotonic() + CACHED_TIMEOUT / 1000
        while time.monotonic() < deadline:
            reload_or_take_over(page)
            heading = page.locator("h1").first.inner_text()
            assert heading.startswith(("Scoring and tiers", "Redeployed Scoring and tiers")), heading
            if heading.startswith("Redeployed"):
                break
            page.wait_for_timeout(1000)
        state = page.evaluate(
            "async () => { const r = await navigator.serviceWorker.getRegistration();"
            " return [r?.active?.state, r?.waiting?.state, r?.installing?.state, await caches.keys()]; }"
        )
        assert "Redeployed" in page.locator("h1").first.inner_text(), state
        wait_until(page, f"async () => !(await caches.has({json.dumps(old)}))", CACHED_TIMEOUT)
        (new,) = caches(page)
        assert new != old
        assert violations(page) == []
    page.goto(deployment.url + "zh/calculator/")  # offline: the new deployment's engine is kept too
    wait_ready(page)


def wait_until(page: Page, predicate: str, timeout: float) -> None:
    """Evaluate ``predicate``, an async function, until it gives true; fail after ``timeout`` ms.
    (Playwright's wait_for_function takes the promise an async function returns for a true value
    at once.) A page that reloads meanwhile is asked again."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(predicate):
                return
        except PlaywrightError as error:
            if "context was destroyed" not in error.message:
                raise
        assert time.monotonic() < deadline, f"not true within {timeout / 1000:.0f} s: {predicate}"
        page.wait_for_timeout(200)


def reload_or_take_over(page: Page) -> None:
    """Reload the page. A page that finds the new deployment waiting, with no other page of the
    site open, reloads itself to come to it: that navigation may cut the test's own short."""
    try:
        page.reload()
    except PlaywrightError as error:
        if "ERR_ABORTED" not in error.message:
            raise
        page.wait_for_load_state()


def test_a_guide_page_fetches_the_engine_ahead(deployment: Deployment, visitor: BrowserContext) -> None:
    """On a guide page, once it is idle, the engine's files are fetched into the site's cache, so
    that the calculator then starts from them."""
    with deployment.online():
        page = visitor.new_page()
        page.goto(deployment.url + "zh/scoring/")
        kept_offline(page, "engine")
        (stored,) = caches(page).values()
    assert {url.rsplit("/", 1)[1] for url in stored} >= {
        "pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "python_stdlib.zip", "pyodide-lock.json"
    }


@pytest.mark.parametrize("connection", ["{saveData: true, effectiveType: '4g'}", "{saveData: false, effectiveType: '2g'}"])
def test_nothing_is_fetched_ahead_when_the_reader_saves_data(
    deployment: Deployment, visitor: BrowserContext, connection: str
) -> None:
    """When the browser asks to save data, or reports a 2G-class connection, the guide page keeps
    the site for offline reading but fetches none of the engine's files; the calculator, opened
    next, gets them from the network, with the site's worker in control."""
    visitor.add_init_script(CONNECTION.format(connection))
    with deployment.online():
        page = visitor.new_page()
        page.goto(deployment.url + "scoring/")
        kept_offline(page, "site")
        page.wait_for_timeout(3000)  # the idle moment has come and gone
        assert page.locator("html").get_attribute("data-offline") == "site"
        assert not [path for path in deployment.requested if "/assets/pyodide/" in path]
        page.goto(deployment.url + "calculator/")
        assert page.evaluate("() => navigator.serviceWorker.controller !== null")
        wait_ready(page)


def test_the_calculator_keeps_the_engine_it_has_loaded(deployment: Deployment, visitor: BrowserContext) -> None:
    """A reader who opens only the calculator, on a connection that asks to save data (so nothing
    is fetched ahead), can use it offline afterwards: the site's worker, registered once the
    engine has started, keeps the engine's files from the browser's own cache, without asking the
    server for any of them again."""
    visitor.add_init_script(SAVE_DATA)
    engine_files = [BASE + path for path, _ in deployment.manifest()["engine"]]
    with deployment.online():
        page = visitor.new_page()
        page.goto(deployment.url + "calculator/")
        wait_ready(page)
        loaded = [path for path in deployment.requested if path in engine_files]
        assert sorted(set(loaded)) == sorted(engine_files)
        kept_offline(page, "site")
        wanted = json.dumps([deployment.url.removesuffix(BASE) + path for path in engine_files])
        wait_until(
            page,
            f"async () => (await Promise.all({wanted}.map((url) => caches.match(url)))).every(Boolean)",
            CACHED_TIMEOUT,
        )
        assert [path for path in deployment.requested if path in engine_files] == loaded
    page.goto(deployment.url + "calculator/")  # offline
    wait_ready(page)
    page.check("input[name=mode][value=quick]")
    page.fill("[name=total]", "91.5")
    want = json.loads(engine.evaluate('{"total": 91.5}', "en"))["result"]
    expect_result(page, str(want["score"]), want["tier"])
