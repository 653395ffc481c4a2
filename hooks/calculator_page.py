"""The calculator page: its form, and its scripts and styles published in a content-addressed folder.

The files under ``docs/assets/calculator/`` (subfolders too) are published under
``assets/calculator/<digest>/``, keeping their relative paths, and nowhere else, but for the
modules: the page script and the engine worker's script are each published as one file, bundled
by esbuild (``node_modules``) with every module they import, which are not published by
themselves. The page then asks for one script where it would ask for eighteen, and the worker for
one where it would ask for seven: on a first visit, each request took its turn on the link and on
the page's main thread. Every module must be one of the two, or imported by one. The digest
covers the published files and the engine's lockfile, so a browser holding an older copy of any
of them (GitHub Pages lets it keep one for ten minutes) finds the new ones at a new address.
``strings.json`` is read here and embedded in the page.

The calculator page's ``<!-- calculator -->`` marker becomes the form, rendered from the scheme
with ``overrides/partials/calculator.html``, and the page's head asks early for the engine
worker's script, the page script and the theme's script. The partial also gives a category and
an indicator as ``<template>`` elements, rendered by the same macros, which the page fills to
show a certification body's own sheet.
The form carries, for each indicator that a page of the same language explains (an element with
the id ``shared.indicator_anchor(id)``, written by hooks/tables.py), the relative link to that
explanation: found in the built pages, so the calculator links only to anchors the guide has.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import shared

#: Where the page's scripts and styles live in docs/, and the strings they and the form use.
ASSETS = "assets/calculator/"
STRINGS = ASSETS + "strings.json"

#: The comment in the calculator page's Markdown that the form replaces.
MARKER = "<!-- calculator -->"

#: The page script and the engine worker's script: the modules published, each bundled with
#: the modules it imports.
PAGE_SCRIPT = "calculator.mjs"
WORKER_SCRIPT = "engine-worker.mjs"
ENTRIES = (PAGE_SCRIPT, WORKER_SCRIPT)

#: The classic script the calculator page's head runs to start a return visit's engine early.
BOOT_SCRIPT = "engine-boot.js"

#: The theme's script bundle as the page's body loads it (Material names it by its digest).
THEME_SCRIPT = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')

#: The bundler, installed by ``npm ci`` (package.json).
ESBUILD = shared.ROOT / "node_modules" / ".bin" / "esbuild"

#: The published folder of this build's assets, ``assets/calculator/<digest>/``; set by on_files.
_published: str | None = None

#: Per language, the page that explains each indicator (by id) and the anchor there; filled by
#: on_page_content, which MkDocs runs for every page before on_post_page runs for any.
_explained: dict[str, dict[str, tuple[str, str]]] = {}


@event_priority(-110)  # after the i18n plugin (-100), which expects files read from disk
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Publish the page's assets under their digest's folder instead of where they sit, the
    modules as the two bundles; keep the strings file out of the site; forget the anchors of an
    earlier build."""
    global _published
    _explained.clear()  # a new build (mkdocs serve rebuilds) finds the anchors anew
    ours = [f for f in files if f.src_uri.startswith(ASSETS)]
    published = publishable(Path(config.docs_dir) / ASSETS, [f.src_uri.removeprefix(ASSETS) for f in ours])
    _published = f"{ASSETS}{digest(published, shared.current_engine().lock)}/"
    for file in ours:
        files.remove(file)
    for name, content in published.items():
        files.append(File.generated(config, _published + name, content=content))
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Check that the calculator page has its marker (the form replaces it in on_post_page); note
    which indicators the page explains, by the anchors hooks/tables.py gives them."""
    if shared.is_page(page, "calculator.md") and MARKER not in html:
        raise PluginError(f"{page.file.src_uri}: the calculator page needs the {MARKER} marker")
    explained = _explained.setdefault(shared.page_language(page), {})
    for indicator in shared.calculator.scheme.load_scheme().indicators:
        anchor = shared.indicator_anchor(indicator.id)
        if f'id="{anchor}"' in html:
            explained.setdefault(indicator.id, (page.url, anchor))
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str | None:
    """Put the form in place of the calculator page's marker, and have the page's head run
    BOOT_SCRIPT (on a return visit, it starts the engine's worker while the rest of the page is
    still being parsed) and ask at once for the theme's script, the page script and the engine
    worker's script.

    The form goes in only now, after the search plugin has read the page: its labels and options
    would fill the search index with the scheme's words, which other pages give in prose.
    """
    if not shared.is_page(page, "calculator.md"):
        return output
    engine = engine_urls(page)
    form = render_form(page, config, engine)
    boot = (
        f'<script async src="{get_relative_url(published_folder() + BOOT_SCRIPT, page.url)}"'
        f' data-engine-index="{engine["index"]}" data-engine-lock="{engine["lock"]}"></script>\n'
    )
    hints = "".join(
        f'<link rel="modulepreload" href="{get_relative_url(published_folder() + name, page.url)}">\n'
        for name in ENTRIES
    )
    theme = f'<link rel="preload" as="script" href="{theme_script(output, page)}">\n'
    return output.replace(MARKER, form, 1).replace("</head>", theme + boot + hints + "</head>", 1)


def theme_script(output: str, page: Page) -> str:
    """The URL of the theme's script bundle, which the end of ``page``'s body loads.

    The calculator's head asks for more than a guide page's (BOOT_SCRIPT and ENTRIES), and
    Chromium (as measured by the bench) held the requests a body makes until the head's were
    done: asked for in the head too, the theme's script no longer waits for them, and neither
    does the page's readiness for input, which waits for that script.

    Raises:
        PluginError: the page loads no theme script bundle, or more than one.
    """
    found = THEME_SCRIPT.findall(output)
    if len(found) != 1:
        raise PluginError(f"{page.file.src_uri}: expected one theme script bundle, found {found}")
    return found[0]


def engine_urls(page: Page) -> dict[str, str]:
    """The engine's folder (Pyodide's files) and its lockfile, relative to ``page``."""
    engine = shared.current_engine()
    return {
        "index": get_relative_url(engine.directory, page.url),
        "lock": get_relative_url(engine.package_directory + engine.LOCKFILE, page.url),
    }


def render_form(page: Page, config: MkDocsConfig, engine: dict[str, str]) -> str:
    """The calculator's HTML for one page: the form, and the scheme and strings as JSON data;
    ``engine``: the engine's URLs, as :func:`engine_urls` gives them."""
    lang = shared.page_language(page)
    size = f"{shared.current_engine().size / 1e6:.0f}"
    strings = {k: v.replace("{size}", size) for k, v in load_strings(config)[lang].items()}
    scheme = json.loads(shared.calculator.browser.scheme())

    def url(path: str) -> str:
        return get_relative_url(path, page.url)

    return shared.render(
        config,
        "partials/calculator.html",
        lang=lang,
        t=strings,
        scheme=scheme,
        statuses=list(shared.calculator.assessment.STATUSES),
        scheme_json=Markup(script_json(scheme)),
        guide_json=Markup(script_json(guide_links(page))),
        strings_json=Markup(script_json(strings)),
        engine_urls=engine,
        script=url(published_folder() + PAGE_SCRIPT),
        stylesheet=url(published_folder() + "calculator.css"),
    )


def guide_links(page: Page) -> dict[str, str]:
    """By indicator id, the link from ``page`` to where a page of its language explains the
    indicator, relative (``../after-sales-certification/#indicator-repair``)."""
    explained = _explained.get(shared.page_language(page), {})
    return {
        indicator: f"{get_relative_url(url, page.url)}#{anchor}"
        for indicator, (url, anchor) in explained.items()
    }


def publishable(folder: Path, names: list[str]) -> dict[str, bytes]:
    """The files to publish from ``folder``, given the ``names`` of the files there (relative
    paths), with their contents: each of ENTRIES as its bundle, no other module (each is in a
    bundle), no strings file, every other file as it is.

    Raises:
        PluginError: esbuild is missing or fails, or a module is neither an entry nor imported by
            one (it would not reach the site).
    """
    bundles, bundled = bundle(folder)
    left_out = sorted(n for n in names if n.endswith(".mjs") and n not in bundled)
    if left_out:
        raise PluginError(
            f"hooks/calculator_page.py: {', '.join(left_out)} in docs/{ASSETS} is imported by neither "
            f"{' nor '.join(ENTRIES)}: import it, or delete it"
        )
    published = {n: (folder / n).read_bytes() for n in names if not n.endswith(".mjs") and ASSETS + n != STRINGS}
    return published | bundles


def bundle(folder: Path) -> tuple[dict[str, bytes], set[str]]:
    """Each of ENTRIES in ``folder`` as one ES module, with every module it imports (esbuild: no
    minifying, so a reader's developer tools show the code as written, less its line comments),
    and the paths of the modules bundled."""
    if not ESBUILD.is_file():
        raise PluginError(f"{ESBUILD.relative_to(shared.ROOT)} is missing: run npm ci (make setup does)")
    with tempfile.TemporaryDirectory() as out:
        meta = Path(out) / "meta.json"
        proc = subprocess.run(
            [
                str(ESBUILD), *ENTRIES, "--bundle", "--format=esm", "--charset=utf8", "--log-level=warning",
                "--out-extension:.js=.mjs", f"--outdir={out}", f"--metafile={meta}",
            ],
            cwd=folder, capture_output=True, text=True, check=False,
        )
        if proc.returncode:
            raise PluginError(f"hooks/calculator_page.py: esbuild failed:\n{proc.stderr.strip()}")
        bundled = set(json.loads(meta.read_text(encoding="utf-8"))["inputs"])
        return {entry: (Path(out) / entry).read_bytes() for entry in ENTRIES}, bundled


def published_folder() -> str:
    """Where on_files published the page's assets: ``assets/calculator/<digest>/``."""
    if _published is None:
        raise PluginError("hooks/calculator_page.py: on_files has not run")
    return _published


def digest(published: dict[str, bytes], lock: bytes) -> str:
    """16 hex digits of the SHA-256 of the lockfile and of the files published (their paths and
    contents)."""
    hasher = hashlib.sha256(lock)
    for name in sorted(published):
        hasher.update(name.encode() + b"\0" + published[name] + b"\0")
    return hasher.hexdigest()[:16]


def load_strings(config: MkDocsConfig) -> dict[str, dict[str, str]]:
    """The page's words in each language, checked to have the same keys."""
    path = Path(config.docs_dir) / STRINGS
    strings: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    keys = {lang: set(words) for lang, words in strings.items()}
    if keys.get("en") != keys.get("zh"):
        missing = sorted(keys.get("en", set()) ^ keys.get("zh", set()))
        raise PluginError(f"docs/{STRINGS}: en and zh differ in the keys {', '.join(missing)}")
    return strings


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element.

    Example:
        >>> script_json({"a": "</script>"})
        '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
