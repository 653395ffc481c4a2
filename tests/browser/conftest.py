"""Playwright fixtures: one Chromium per session, a fresh context and page per test, and logs
of the requests and console errors a page produces."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from calcpage import Session, outside
from loaders import load_script
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)

#: Chromium's flags, shared with the bench (scripts/chromium.py): no background traffic, and every
#: host but this machine unreachable.
CHROMIUM_ARGS = load_script("chromium").CHROMIUM_ARGS


class RequestLog:
    """Every request made in a browser context (pages and their workers), and every failure."""

    def __init__(self, context: BrowserContext) -> None:
        self.urls: list[str] = []
        self.failures: list[str] = []
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_failed)
        context.on("response", self._on_response)

    def _on_request(self, request: Request) -> None:
        self.urls.append(request.url)

    def _on_failed(self, request: Request) -> None:
        self.failures.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.url}: HTTP {response.status}")

    def outside(self, base_url: str) -> list[str]:
        """Requests that leave ``base_url``: another origin, or a path outside the site's base."""
        return outside(self.urls, base_url)


class ConsoleLog:
    """Console errors and uncaught exceptions of a page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text} ({message.location.get('url')})")

    def _on_page_error(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error.message}")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    """Headless Chromium, launched once for the session."""
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no cookies, storage or cache shared between tests)."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def request_log(context: BrowserContext) -> RequestLog:
    """Records every request of the test's context; ask ``.outside(site_server)``."""
    return RequestLog(context)


@pytest.fixture
def page(context: BrowserContext, request_log: RequestLog) -> Page:
    """A new page in the test's context, with its requests recorded from the start."""
    return context.new_page()


@pytest.fixture
def console_log(page: Page) -> ConsoleLog:
    """Records console errors and uncaught exceptions of ``page``."""
    return ConsoleLog(page)


# --- shared by the calculator, hardening, security and accessibility tests ---------------------


@pytest.fixture(scope="module")
def session(browser: Browser, site_server: str) -> Iterator[Session]:
    """One recorded browser context for a test module. The site's service worker is blocked:
    every request stays on the network, where tests can see and block it (tests/browser/
    test_offline.py tests the worker)."""
    session = Session(browser, site_server, service_workers="block")
    yield session
    session.close()


@pytest.fixture(scope="module")
def tab(session: Session) -> Page:
    """A page of the module's session, opened at the home page."""
    return session.open("")


@pytest.fixture(scope="module")
def root_server(built_site: Path, serve_script: ModuleType) -> Iterator[str]:
    """The site served at a domain root: where its 404 page (which links from the path of
    site_url, "/" when unset) is meant to be served."""
    with serve_script.running(built_site, base="/", quiet=True) as url:
        yield url
