"""The built site: complete in both languages, self-contained, and working under a sub-path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sitehtml import (
    LOADING_ATTRIBUTES,
    LOADING_RELS,
    HtmlPage,
    css_urls,
    is_external,
    is_foreign,
    resolve,
)


NOT_FOUND_PAGE = "404.html"  # served at any missing path, so its URLs start from the site base
GOOGLE_FONTS = re.compile(r"fonts\.(googleapis|gstatic)\.com")


def _site_base_path() -> str:
    """The path of `site_url` (set from SITE_URL; "/" when unset), which the 404 page links from."""
    path = urlsplit(os.environ.get("SITE_URL") or "/").path
    return path if path.endswith("/") else path + "/"


def _pages(site_html: dict[str, HtmlPage]) -> list[HtmlPage]:
    """Built pages that link relative to themselves: all but the 404 page."""
    return [page for path, page in site_html.items() if path != NOT_FOUND_PAGE]


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n  " + "\n  ".join(problems[:50])


def test_site_builds_without_warnings(built_site: Path) -> None:
    """`mkdocs build --strict` succeeds with no warning and writes a home page."""
    assert (built_site / "index.html").is_file()


def test_every_page_exists_in_both_languages(doc_sources: dict[str, set[str]]) -> None:
    """Each docs/<lang>/X.md has a counterpart with the same name in every other language."""
    (default, default_pages), *others = doc_sources.items()
    assert default_pages, f"no pages under docs/{default}/"
    for lang, pages in others:
        assert pages == default_pages, (
            f"only in {default}: {sorted(default_pages - pages)}; "
            f"only in {lang}: {sorted(pages - default_pages)}"
        )


def test_page_is_built(doc_page, built_site: Path) -> None:
    """Every Markdown page is built to the HTML file its URL points at, in its language folder."""
    assert (built_site / doc_page.html).is_file()


def test_relative_links_resolve(site_html: dict[str, HtmlPage], built_site: Path) -> None:
    """Every relative href/src in a built page names a built file, without climbing above the
    site root."""
    problems = []
    for page in _pages(site_html):
        for element in page.elements:
            for attr, url in element.urls():
                if not url or is_external(url) or url.startswith("/"):
                    continue  # external links and root-absolute URLs are other tests' business
                target, _ = resolve(page.path, url)
                if target is None:
                    problems.append(f"{page.path}:{element.line} {attr}={url!r} leaves the site")
                elif not (built_site / target).is_file():
                    problems.append(
                        f"{page.path}:{element.line} {attr}={url!r} -> missing {target}"
                    )
    assert not problems, _report(problems)


def test_anchors_resolve(site_html: dict[str, HtmlPage]) -> None:
    """Every #fragment in a relative link names an id (or <a name>) in the target page."""
    problems = []
    for page in _pages(site_html):
        for element in page.elements:
            url = element.attrs.get("href", "")
            if "#" not in url or is_external(url) or url.startswith("/"):
                continue
            target, fragment = resolve(page.path, url)
            if not fragment or fragment.startswith(":~:") or target not in site_html:
                continue  # "#" alone, text fragments, and non-HTML targets have nothing to check
            if fragment not in site_html[target].ids:
                problems.append(
                    f"{page.path}:{element.line} href={url!r}: no id {fragment!r} in {target}"
                )
    assert not problems, _report(problems)


def test_no_page_loads_from_another_host(site_html: dict[str, HtmlPage]) -> None:
    """No script, stylesheet, preload, icon, manifest, image, frame, media or inline CSS url()
    in a built page comes from another host."""
    problems = []
    for page in site_html.values():
        for element in page.elements:
            for attr, url in element.urls():
                loads = attr in LOADING_ATTRIBUTES or (
                    element.tag == "link" and element.rels & LOADING_RELS
                )
                if loads and is_foreign(url):
                    problems.append(f"{page.path}:{element.line} <{element.tag} {attr}={url!r}>")
        for line, css in page.css:
            problems += [
                f"{page.path}:{line} css url({url!r})" for url in css_urls(css) if is_foreign(url)
            ]
    assert not problems, _report(problems)


def test_no_stylesheet_loads_from_another_host(site_css: dict[str, str]) -> None:
    """No built CSS file imports or references a url() on another host."""
    problems = [
        f"{path}: {url!r}"
        for path, text in site_css.items()
        for url in css_urls(text)
        if is_foreign(url)
    ]
    assert not problems, _report(problems)


def test_no_google_fonts_anywhere(built_site: Path) -> None:
    """No built HTML, CSS or JavaScript file mentions Google Fonts (the theme's font is off)."""
    problems = [
        path.relative_to(built_site).as_posix()
        for pattern in ("*.html", "*.css", "*.js", "*.mjs")
        for path in built_site.rglob(pattern)
        if GOOGLE_FONTS.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not problems, _report(problems)


def test_no_root_absolute_urls(site_html: dict[str, HtmlPage], site_css: dict[str, str]) -> None:
    """No built page or stylesheet uses a URL starting with "/", which would break under a
    sub-path such as /gbt27922/ (the 404 page is checked separately)."""
    problems = []
    for page in _pages(site_html):
        for element in page.elements:
            problems += [
                f"{page.path}:{element.line} <{element.tag} {attr}={url!r}>"
                for attr, url in element.urls()
                if url.startswith("/") and not url.startswith("//")
            ]
        for line, css in page.css:
            problems += [
                f"{page.path}:{line} css url({url!r})"
                for url in css_urls(css)
                if url.startswith("/")
            ]
    for path, text in site_css.items():
        problems += [f"{path}: url({url!r})" for url in css_urls(text) if url.startswith("/")]
    assert not problems, _report(problems)


def test_not_found_page_links_from_the_site_base(
    site_html: dict[str, HtmlPage], built_site: Path
) -> None:
    """The 404 page, served at any depth, links from the path of `site_url` (or "/"): every
    root-absolute URL in it starts there and names a built file."""
    page = site_html.get(NOT_FOUND_PAGE)
    if page is None:
        return
    base = _site_base_path()
    problems = []
    for element in page.elements:
        for attr, url in element.urls():
            path = unquote(urlsplit(url).path)
            if is_external(url) or not path.startswith("/"):
                continue
            if not path.startswith(base):
                problems.append(f"{NOT_FOUND_PAGE}:{element.line} {attr}={url!r} is outside {base}")
                continue
            target, _ = resolve("index.html", path[len(base) :] or "./")
            if target is None or not (built_site / target).is_file():
                problems.append(
                    f"{NOT_FOUND_PAGE}:{element.line} {attr}={url!r} -> missing {target}"
                )
    assert not problems, _report(problems)


#: The site's own scripts (Material's bundle and Pyodide's files come built and are not ours).
OWN_SCRIPTS = (
    "service-worker.js", "assets/calculator/**/*.mjs", "assets/calculator/**/*.js", "assets/site/**/*.mjs", "assets/site/**/*.js"
)


def test_every_own_script_parses(built_site: Path) -> None:
    """A module that does not parse stops the whole page's module graph: the calculator then stays
    at "loading" with no error shown, so each one is checked by Node's parser."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not on PATH (make setup needs it)")
    scripts = sorted({path for pattern in OWN_SCRIPTS for path in built_site.glob(pattern)})
    assert {p.name for p in scripts} >= {"calculator.mjs", "engine-worker.mjs", "engine-boot.js", "offline.mjs", "service-worker.js"}
    problems = []
    for path in scripts:
        proc = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, check=False)
        if proc.returncode:
            problems.append(f"{path.relative_to(built_site)}: {proc.stderr.strip()[:400]}")
    assert not problems, _report(problems)
