"""The site as the Pages workflow builds it (SITE_URL set): the 404 page works at any depth."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
BASE_PATH = "/gbt27922/"  # a project page's sub-path


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory, serve_script: ModuleType) -> Iterator[str]:
    """The site built with SITE_URL pointing at a project page, served under that sub-path."""
    out = tmp_path_factory.mktemp("published")
    env = {**os.environ, "SITE_URL": f"https://example.github.io{BASE_PATH}"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=600,
    )
    with serve_script.running(out, base=BASE_PATH, quiet=True) as url:
        yield url


@pytest.mark.parametrize("missing", ["no-such-page/", "zh/scoring/old/deep/link.html"])
def test_not_found_page_is_styled_at_any_depth(
    page: Page, published_site: str, request_log, missing: str
) -> None:
    """A mistyped address under the project page gets the site's 404 page with its styles and
    scripts, and a working link home, however deep the address is."""
    response = page.goto(published_site + missing)
    assert response is not None and response.status == 404
    assert page.locator("h1").first.inner_text().strip().startswith("404")
    assert not request_log.failures[1:], request_log.failures  # the page itself is the one 404
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
    home = page.locator("a.md-header__button.md-logo").get_attribute("href")
    assert home is not None
    page.locator("a.md-header__button.md-logo").click()
    assert page.url == published_site


@pytest.mark.parametrize("path", ["", "zh/calculator/"])
def test_pages_keep_relative_links(published_site: str, path: str) -> None:
    """With SITE_URL set, content pages keep relative links, so the same files work elsewhere."""
    html = urlopen(published_site + path).read().decode("utf-8")
    assert not re.findall(r'(?:href|src)="/[^"]*"', html)
