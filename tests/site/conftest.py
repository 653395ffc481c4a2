"""The built site's HTML and CSS, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitehtml import HtmlPage, parse_html


@pytest.fixture(scope="session")
def site_html(built_site: Path) -> dict[str, HtmlPage]:
    """Every built HTML file, parsed, keyed by its path relative to the site root."""
    return {
        page.path: page
        for page in (parse_html(built_site, path) for path in sorted(built_site.rglob("*.html")))
    }


@pytest.fixture(scope="session")
def site_css(built_site: Path) -> dict[str, str]:
    """Every built CSS file's text, keyed by its path relative to the site root."""
    return {
        path.relative_to(built_site).as_posix(): path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(built_site.rglob("*.css"))
    }
