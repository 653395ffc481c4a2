"""Parse built HTML and CSS and resolve the URLs in them, as a static host would."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that hold a URL, and those whose URL the browser fetches by itself.
URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "data", "action", "formaction")
LOADING_ATTRIBUTES = ("src", "srcset", "poster", "data")
# <link rel> values that make the browser fetch (or connect to) the target.
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE)


@dataclass
class Element:
    """A start tag with its attributes and line number."""

    tag: str
    attrs: dict[str, str]
    line: int

    def urls(self) -> Iterator[tuple[str, str]]:
        """(attribute, URL) pairs; a srcset gives one pair per candidate."""
        for name in URL_ATTRIBUTES:
            value = self.attrs.get(name)
            if value is None or (name == "data" and self.tag != "object"):
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        yield name, candidate.split()[0]
            else:
                yield name, value.strip()
        if self.tag == "meta" and self.attrs.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", self.attrs.get("content", ""), re.I)
            if match:
                yield "content", match.group(1).strip()

    @property
    def rels(self) -> set[str]:
        return set(self.attrs.get("rel", "").lower().split())


@dataclass
class HtmlPage:
    """What the tests need from one built HTML file."""

    path: str  # relative to the site root, e.g. "zh/about/index.html"
    elements: list[Element] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    css: list[tuple[int, str]] = field(default_factory=list)  # inline <style> and style=""


class _Collector(HTMLParser):
    def __init__(self, page: HtmlPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        self.page.elements.append(Element(tag, values, line))
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        if values.get("style"):
            self.page.css.append((line, values["style"]))
        self.in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.page.css.append((self.getpos()[0], data))


def parse_html(root: Path, path: Path) -> HtmlPage:
    page = HtmlPage(path.relative_to(root).as_posix())
    collector = _Collector(page)
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return page


def css_urls(text: str) -> Iterator[str]:
    """Every url(...) and @import target in a piece of CSS."""
    for match in CSS_URL.finditer(text):
        yield (match.group(2) if match.group(2) is not None else match.group(4)).strip()


def is_external(url: str) -> bool:
    """True for a URL with a scheme or host (https:, //host, mailto:, data:, ...)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def is_foreign(url: str) -> bool:
    """True for a URL that points at another host (http(s) or protocol-relative)."""
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme.lower() in {"http", "https", "ftp", "ws", "wss"}


def resolve(from_file: str, url: str) -> tuple[str | None, str]:
    """Resolve a relative URL found in ``from_file`` to (built file, fragment).

    The file is None when the URL climbs above the site root, which breaks under a sub-path.
    A URL naming a folder ("x/", ".", "..") gets its "index.html"; one naming nothing but a
    fragment gets the page itself.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        return from_file, unquote(parts.fragment)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), path))
    if joined == ".." or joined.startswith("../"):
        return None, unquote(parts.fragment)
    if path.endswith("/") or posixpath.basename(path) in {".", ".."}:
        joined = "index.html" if joined == "." else f"{joined}/index.html"
    return joined, unquote(parts.fragment)
