"""The Content Security Policy of every page: hooks/csp.py's helpers, and the policy the build
writes, checked against each built page's own inline code read with an HTML parser."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from loaders import load_hook
from mkdocs.exceptions import PluginError

#: hooks/csp.py, imported as MkDocs imports it.
csp = load_hook("csp")


def sha(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def directives(policy: str) -> dict[str, list[str]]:
    """A policy's directives by name, each with its list of sources."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} appears twice"
        parsed[name] = sources
    return parsed


# --- the helpers -------------------------------------------------------------------------------


def test_fixed_directives_allow_only_the_site_itself() -> None:
    """Without inline code the policy is the fixed one: the site's own origin for everything
    that loads, WebAssembly compilation for Pyodide, no plugins, no <base> elsewhere, no
    'unsafe-inline' or 'unsafe-eval' anywhere."""
    policy = directives(csp.policy("<p>nothing inline</p>"))
    for name in ("default-src", "script-src", "style-src", "font-src", "connect-src", "worker-src"):
        assert policy[name][0] == "'self'", name
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    sources = {source for values in policy.values() for source in values}
    assert sources <= {"'self'", "'none'", "'wasm-unsafe-eval'", "data:"}


@pytest.mark.parametrize(
    ("html", "bodies"),
    [
        ("<script>a=1</script>", ["a=1"]),
        ("<SCRIPT>a=1</SCRIPT >", ["a=1"]),
        ('<script type="module">import "x"</script>', ['import "x"']),
        ("<script type='text/javascript; charset=utf-8'>b()</script>", ["b()"]),
        ("<script type=text/javascript>c()</script>", ["c()"]),
        ("<script>\n  d()\n</script>", ["\n  d()\n"]),
        ('<script id="__config" type="application/json">{"a": 1}</script>', []),
        ("<script type='application/ld+json'>{}</script>", []),
        ('<script src="x.js"></script>', []),
        ('<script defer src="x.js"></script>', []),
        ("<script>same</script><p></p><script>same</script>", ["same"]),
        ("<script>one</script><script>two</script>", ["one", "two"]),
    ],
)
def test_inline_script_hashes(html: str, bodies: list[str]) -> None:
    """Every inline script that runs is hashed exactly as written (whitespace included), once;
    scripts from files and data blocks such as JSON are not."""
    assert csp.inline_script_hashes(html) == [sha(body) for body in bodies]


@pytest.mark.parametrize(
    ("html", "values"),
    [
        ('<td style="text-align: left;">', ["text-align: left;"]),
        ("<td style='text-align: right;'>", ["text-align: right;"]),
        ("<td STYLE=color:red>", ["color:red"]),
        ('<span style="font-family: &quot;A&quot;">', ['font-family: "A"']),
        ('<td style="a:1"></td><td style="a:1"></td>', ["a:1"]),
        ('<div data-style="x" class="y">', []),
        ('<pre><code>&lt;p style="x"&gt;</code></pre>', []),
        ("<p>style=\"not an attribute\"</p>", []),
    ],
)
def test_style_attribute_hashes(html: str, values: list[str]) -> None:
    """Each distinct style attribute is hashed as the browser reads its value (character
    references decoded); text that only looks like one is not."""
    assert csp.style_attribute_hashes(html) == [sha(value) for value in values]


def test_style_attributes_need_unsafe_hashes_and_only_then() -> None:
    """'unsafe-hashes' (which lets hashes match style attributes) appears only on pages that have
    style attributes; a <style> element is allowed by its hash alone."""
    with_attribute = directives(csp.policy('<td style="text-align: center;">'))["style-src"]
    assert with_attribute == ["'self'", "'unsafe-hashes'", f"'sha256-{sha('text-align: center;')}'"]
    with_element = directives(csp.policy("<style>p{color:red}</style>"))["style-src"]
    assert with_element == ["'self'", f"'sha256-{sha('p{color:red}')}'"]


def test_script_hashes_go_to_script_src_only() -> None:
    """A page's script hashes are added to script-src and nowhere else."""
    policy = directives(csp.policy("<script>x()</script>"))
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", f"'sha256-{sha('x()')}'"]
    assert all("sha256" not in " ".join(v) for k, v in policy.items() if k != "script-src")


def test_policy_is_placed_right_after_the_charset() -> None:
    """The meta tag follows <meta charset> at once, before any script or stylesheet."""
    html = '<html><head><meta charset="utf-8"><script>x()</script></head></html>'
    out = csp.add_policy(html)
    assert out.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="')
    assert out.endswith('"><script>x()</script></head></html>')


def test_a_page_without_charset_is_an_error() -> None:
    """A page the policy cannot be placed at the top of fails the build, naming the page."""
    with pytest.raises(ValueError, match="charset"):
        csp.add_policy("<html><head><script>x()</script></head></html>")
    with pytest.raises(PluginError, match="404.html"):
        csp.on_post_template("<html><head></head></html>", "404.html", None)


def test_non_html_templates_are_left_alone() -> None:
    """sitemap.xml and other static templates that are not HTML get no policy."""
    xml = '<?xml version="1.0" encoding="UTF-8"?><urlset></urlset>'
    assert csp.on_post_template(xml, "sitemap.xml", None) == xml


# --- the built site ----------------------------------------------------------------------------


class _InlineCode(HTMLParser):
    """Inline scripts (with their type), <style> elements, style attributes and CSP metas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.policies: list[str] = []
        self.head: list[str] = []  # the first elements of the head, in order
        self._open: str | None = None
        self._attrs: dict[str, str] = {}
        self._text: list[str] = []
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "style" in values:
            self.style_attributes.append(values["style"])
        if tag == "head":
            self._in_head = True
        elif self._in_head and len(self.head) < 2:
            self.head.append(f"{tag} {sorted(values)}")
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(values.get("content", ""))
        if tag in ("script", "style"):
            self._open, self._attrs, self._text = tag, values, []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag == self._open == "script":
            self.scripts.append((self._attrs, "".join(self._text)))
        elif tag == self._open == "style":
            self.styles.append("".join(self._text))
        if tag == self._open:
            self._open = None


def _inline_code(path: Path) -> _InlineCode:
    parser = _InlineCode()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _built_pages(built_site: Path) -> list[Path]:
    return sorted(built_site.rglob("*.html"))


def test_every_built_page_has_one_policy_first_in_its_head(built_site: Path) -> None:
    """Every HTML file of the site, both languages and 404.html, carries exactly one policy,
    right after <meta charset>, so it governs everything the page loads."""
    pages = _built_pages(built_site)
    assert "404.html" in {p.relative_to(built_site).as_posix() for p in pages}
    assert any(p.relative_to(built_site).parts[0] == "zh" for p in pages)
    problems = []
    for path in pages:
        code = _inline_code(path)
        name = path.relative_to(built_site).as_posix()
        if len(code.policies) != 1:
            problems.append(f"{name}: {len(code.policies)} policies")
        elif code.head[:2] != ["meta ['charset']", "meta ['content', 'http-equiv']"]:
            problems.append(f"{name}: the head starts with {code.head}")
    assert problems == []


def test_every_policy_allows_exactly_the_pages_own_inline_code(built_site: Path) -> None:
    """The hashes in each page's policy are those of the scripts that run inline on that page
    and of its inline styles: nothing inline is left out (it would be blocked) and no hash is
    there for code the page does not have. Nothing is allowed from another host."""
    problems = []
    for path in _built_pages(built_site):
        code = _inline_code(path)
        name = path.relative_to(built_site).as_posix()
        policy = directives(code.policies[0])
        runs = [
            body
            for attrs, body in code.scripts
            if "src" not in attrs
            and attrs.get("type", "").split(";")[0].strip().lower() in {"", "module", "text/javascript"}
        ]
        want_scripts = {f"'sha256-{sha(body)}'" for body in runs}
        have_scripts = {s for s in policy["script-src"] if s.startswith("'sha256-")}
        if want_scripts != have_scripts:
            problems.append(f"{name}: script-src hashes differ from its inline scripts")
        want_styles = {f"'sha256-{sha(text)}'" for text in [*code.styles, *code.style_attributes]}
        have_styles = {s for s in policy["style-src"] if s.startswith("'sha256-")}
        if want_styles != have_styles:
            problems.append(f"{name}: style-src hashes differ from its inline styles")
        if ("'unsafe-hashes'" in policy["style-src"]) != bool(code.style_attributes):
            problems.append(f"{name}: 'unsafe-hashes' without style attributes, or the reverse")
        for values in policy.values():
            for source in values:
                if not re.fullmatch(r"'(self|none|wasm-unsafe-eval|unsafe-hashes|sha256-[A-Za-z0-9+/=]+)'|data:", source):
                    problems.append(f"{name}: unexpected source {source}")
    assert problems == []


def test_material_inline_scripts_are_covered(built_site: Path) -> None:
    """The theme's inline scripts (the storage scope, the palette, the tab from the URL) are
    there and hashed: were the theme to drop or change them, the hashes would follow."""
    code = _inline_code(built_site / "index.html")
    bodies = [body for attrs, body in code.scripts if not attrs]
    assert any("__md_scope" in body for body in bodies)
    policy = directives(code.policies[0])
    assert {f"'sha256-{sha(body)}'" for body in bodies} <= set(policy["script-src"])
