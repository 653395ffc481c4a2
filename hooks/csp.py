"""Content Security Policy for every page, as a <meta http-equiv> (GitHub Pages sends no headers).

Only the site's own origin may supply scripts, styles, images, fonts, workers and fetches. Pyodide
needs ``'wasm-unsafe-eval'``. What the build writes inline is allowed by its SHA-256 hash, computed
from each page as built, so nothing else inline runs or applies:

- the small inline scripts Material for MkDocs writes into each page (``script-src``);
- inline ``<style>`` elements and ``style=""`` attributes, such as the column alignment of Markdown
  tables (``style-src``; attributes need ``'unsafe-hashes'``, which admits only those exact values).

A meta policy cannot carry ``frame-ancestors``, ``sandbox`` or ``report-uri``; browsers ignore
them there, so the policy leaves them out.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_text
import re
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

#: The policy, directive by directive; the hashes of a page's inline code are added per page.
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "style-src": ("'self'",),
    # Material's stylesheets draw icons with data: SVG masks; data: URLs make no request.
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "worker-src": ("'self'",),
    "manifest-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}

_INLINE_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_INLINE_STYLE = re.compile(r"<style\b[^>]*>(?P<body>.*?)</style\s*>", re.S | re.I)
_TAG = re.compile(r"<[a-zA-Z][^\s/>]*(?P<attrs>\s[^>]*)>")
_STYLE_ATTRIBUTE = re.compile(
    r"""\sstyle\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+))""", re.I
)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.I)
#: ``<script type>`` values that run as JavaScript; any other type is a data block.
_SCRIPT_TYPES = {
    "",
    "module",
    "text/javascript",
    "application/javascript",
    "text/ecmascript",
    "application/ecmascript",
}


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


def add_policy(html: str) -> str:
    """The page with a CSP meta tag allowing exactly its own inline scripts and styles.

    Raises:
        ValueError: the page has no ``<meta charset>`` to place the policy after.

    Example:
        >>> 'sha256-' in add_policy('<head><meta charset="utf-8"><script>x=1</script>')
        True
    """
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    found = _CHARSET.search(html)
    if found is None:
        raise ValueError("page has no <meta charset>: cannot place the security policy first")
    return html[: found.end()] + meta + html[found.end() :]


def policy(html: str) -> str:
    """The policy text for a page: the fixed directives plus hashes of its inline code.

    Example:
        >>> policy('<p style="color: red">').split("; ")[2].startswith("style-src 'self' 'unsafe-hashes' 'sha256-")
        True
    """
    directives = {name: list(values) for name, values in POLICY.items()}
    directives["script-src"] += [f"'sha256-{h}'" for h in inline_script_hashes(html)]
    attributes = style_attribute_hashes(html)
    if attributes:
        directives["style-src"].append("'unsafe-hashes'")
    styles = dict.fromkeys([*inline_style_hashes(html), *attributes])
    directives["style-src"] += [f"'sha256-{h}'" for h in styles]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def inline_script_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each inline script that runs (data blocks such as JSON are skipped).

    Example:
        >>> inline_script_hashes('<script type="application/json">{}</script><script src="a.js"></script>')
        []
    """
    bodies = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if _SRC.search(" " + attrs) or not _runs_as_script(attrs):
            continue
        bodies.append(match["body"])
    return _unique_hashes(bodies)


def inline_style_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each ``<style>`` element's text."""
    return _unique_hashes(match["body"] for match in _INLINE_STYLE.finditer(html))


def style_attribute_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each distinct ``style=""`` attribute value, as the browser reads it
    (character references decoded).

    Example:
        >>> style_attribute_hashes('<td style="text-align: left;">a</td><pre>style="x"</pre>')
        ['RVUzT5WQgKUiRfwfZ5/d8nxqNBcGWoYqAQp72N/cCqE=']
    """
    values = []
    for tag in _TAG.finditer(html):
        for found in _STYLE_ATTRIBUTE.finditer(tag["attrs"]):
            raw = next(v for v in (found["double"], found["single"], found["bare"]) if v is not None)
            values.append(html_text.unescape(raw))
    return _unique_hashes(values)


def sha256_base64(text: str) -> str:
    """The CSP source hash of a text: base64 of the SHA-256 of its UTF-8 bytes.

    Example:
        >>> sha256_base64("")
        '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    """
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _runs_as_script(attrs: str) -> bool:
    found = _TYPE.search(" " + attrs)
    if found is None:
        return True
    kind = next(v for v in found.groups() if v is not None)
    return kind.split(";")[0].strip().lower() in _SCRIPT_TYPES


def _unique_hashes(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(sha256_base64(text) for text in texts))
