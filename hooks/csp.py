"""Content Security Policy for every page, as a <meta http-equiv> (GitHub Pages sends no headers).

Only the site's own origin may supply scripts, styles, images, fonts, workers and fetches. Pyodide
needs ``'wasm-unsafe-eval'``. What the build writes inline is allowed by its SHA-256 hash, computed
from each page as built, so nothing else inline runs or applies:

- the small inline scripts Material for MkDocs writes into each page (``script-src``);
- inline ``<style>`` elements and ``style=""`` attributes, such as the column alignment of Markdown
  tables (``style-src``; attributes need ``'unsafe-hashes'``, which admits only those exact values).

The page is read with the standard library's ``html.parser``: script and style text exactly as
written, attribute values as the browser decodes them.

A meta policy cannot carry ``frame-ancestors``, ``sandbox`` or ``report-uri``; browsers ignore
them there, so the policy leaves them out.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

@event_priority(-100)  # after every other plugin and hook that edits the page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add the policy to a page, right after its charset so it governs every script."""
    try:
        return add_policy(output)
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Add the policy to static templates such as 404.html."""
    if not template_name.endswith(".html"):
        return output_content
    try:
        return add_policy(output_content)
    except ValueError as error:
        raise PluginError(f"{template_name}: {error}") from None


#: The policy, directive by directive; the hashes of a page's inline code are added per page.
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "style-src": ("'self'",),
    # Material's stylesheets draw icons with data: SVG masks; data: URLs make no request.
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "worker-src": ("'self'",),  # the engine's worker, and the service worker (hooks/offline.py)
    "manifest-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}

#: ``<script type>`` values that run as JavaScript; any other type is a data block.
_SCRIPT_TYPES = {
    "",
    "module",
    "text/javascript",
    "application/javascript",
    "text/ecmascript",
    "application/ecmascript",
}



def add_policy(html: str) -> str:
    """The page with a CSP meta tag allowing exactly its own inline scripts and styles.

    Raises:
        ValueError: the page has no ``<meta charset>`` to place the policy after.

    Example:
        >>> 'sha256-' in add_policy('<head><meta charset="utf-8"><script>x=1</script>')
        True
    """
    code = read_inline_code(html)
    if code.charset_end is None:
        raise ValueError("page has no <meta charset>: cannot place the security policy first")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{_policy(code)}">'
    return html[: code.charset_end] + meta + html[code.charset_end :]


def policy(html: str) -> str:
    """The policy text for a page: the fixed directives plus hashes of its inline code.

    Example:
        >>> policy('<p style="color: red">').split("; ")[2].startswith("style-src 'self' 'unsafe-hashes' 'sha256-")
        True
    """
    return _policy(read_inline_code(html))


def inline_script_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each inline script that runs (data blocks such as JSON are skipped).

    Example:
        >>> inline_script_hashes('<script type="application/json">{}</script><script src="a.js"></script>')
        []
    """
    return _unique_hashes(read_inline_code(html).scripts)


def inline_style_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each ``<style>`` element's text."""
    return _unique_hashes(read_inline_code(html).styles)


def style_attribute_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each distinct ``style=""`` attribute value, as the browser reads it
    (character references decoded).

    Example:
        >>> style_attribute_hashes('<td style="text-align: left;">a</td><pre>style="x"</pre>')
        ['RVUzT5WQgKUiRfwfZ5/d8nxqNBcGWoYqAQp72N/cCqE=']
    """
    return _unique_hashes(read_inline_code(html).style_attributes)


def sha256_base64(text: str) -> str:
    """The CSP source hash of a text: base64 of the SHA-256 of its UTF-8 bytes.

    Example:
        >>> sha256_base64("")
        '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    """
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@dataclass
class InlineCode:
    """What a page writes inline, in document order, and where its ``<meta charset>`` ends."""

    scripts: list[str] = field(default_factory=list)  # bodies of inline scripts that run, as written
    styles: list[str] = field(default_factory=list)  # texts of <style> elements
    style_attributes: list[str] = field(default_factory=list)  # values, character references decoded
    charset_end: int | None = None  # offset just after the first <meta charset>


def read_inline_code(html: str) -> InlineCode:
    """Read a page's inline code with the standard library's HTML parser.

    Example:
        >>> read_inline_code('<meta charset="utf-8"><p style="a:1"><script>b()</script>')
        InlineCode(scripts=['b()'], styles=[], style_attributes=['a:1'], charset_end=22)
    """
    reader = _Reader(html)
    reader.feed(html)
    reader.close()
    return reader.code


class _Reader(HTMLParser):
    """Collects an InlineCode. Script and style text comes raw, as the browser hashes it; attribute
    values come decoded, as the browser reads them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.code = InlineCode()
        self._line_starts = [0]  # the parser counts lines by "\n" alone
        for line in html.split("\n"):
            self._line_starts.append(self._line_starts[-1] + len(line) + 1)
        self._open: str | None = None  # "script" (one that runs inline), "style", or None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("style") is not None:
            self.code.style_attributes.append(values["style"] or "")
        if tag == "meta" and "charset" in values and self.code.charset_end is None:
            line, column = self.getpos()
            start = self._line_starts[line - 1] + column
            self.code.charset_end = start + len(self.get_starttag_text() or "")
        runs = tag == "script" and "src" not in values and _runs_as_script(values.get("type"))
        if runs or tag == "style":
            self._open, self._text = tag, []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._open:
            return
        (self.code.scripts if tag == "script" else self.code.styles).append("".join(self._text))
        self._open = None


def _policy(code: InlineCode) -> str:
    directives = {name: list(values) for name, values in POLICY.items()}
    directives["script-src"] += [f"'sha256-{h}'" for h in _unique_hashes(code.scripts)]
    if code.style_attributes:
        directives["style-src"].append("'unsafe-hashes'")
    styles = _unique_hashes([*code.styles, *code.style_attributes])
    directives["style-src"] += [f"'sha256-{h}'" for h in styles]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _runs_as_script(kind: str | None) -> bool:
    """Whether a ``<script type>`` runs as JavaScript (no type does); any other is a data block."""
    return (kind or "").split(";")[0].strip().lower() in _SCRIPT_TYPES


def _unique_hashes(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(sha256_base64(text) for text in texts))
