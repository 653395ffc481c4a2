"""The site for offline use: its service worker, published at the site's root with the manifest of
this build.

``docs/assets/site/service-worker.js`` is the worker's source; it is not published where it sits:
once the site is built, it is written to ``service-worker.js`` at the root of the site (a service
worker controls only the pages under its own folder, and GitHub Pages sends no header that could
widen that), with ``self.__MANIFEST__`` replaced by the manifest: every file of the built site
that a reader may need offline, by path from the root (a page by its folder, as the site links
it), with the SHA-256 of its bytes, in two groups: ``engine`` (everything under the engine's
folder: Pyodide, the package's wheel, lockfile and standard library) and ``site`` (the rest).
Left out: source maps, the sitemaps, and the search's language files other than those of the
site's search languages (Material's search worker loads only those). The manifest's ``version``
is a digest of it: a new deployment has a new worker, with caches of its own.

``docs/assets/site/offline.mjs``, on every page (``extra_javascript``), registers the worker.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

import shared

#: The worker's source in docs/, and where it is published.
SOURCE = "assets/site/service-worker.js"
WORKER = "service-worker.js"
PLACEHOLDER = "self.__MANIFEST__"

#: Files never needed offline: source maps and the sitemaps.
_SKIPPED_SUFFIXES = (".map", ".xml", ".xml.gz")
#: Material's search language files, of which the search worker loads only the site's languages'.
_LUNR = "assets/javascripts/lunr/"


@event_priority(-110)  # after the i18n plugin (-100), which expects files read from disk
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Keep the worker's source out of assets/: it is written to the root once the site is built."""
    source = files.get_file_from_path(SOURCE)
    if source is None:
        raise PluginError(f"hooks/offline.py: docs/{SOURCE} is missing")
    files.remove(source)
    return files


@event_priority(-200)  # after the i18n plugin (-100) has built the other language and the search index
def on_post_build(config: MkDocsConfig) -> None:
    """Write the worker, with this build's manifest, to the root of the site. (The i18n plugin
    runs each language's build through this too; the last, the whole site's, writes it last.)"""
    site = Path(config.site_dir)
    engine = shared.current_engine().directory
    manifest = build_manifest(site, engine, search_languages(config))
    source = (Path(config.docs_dir) / SOURCE).read_text(encoding="utf-8")
    if source.count(PLACEHOLDER) != 1:
        raise PluginError(f"hooks/offline.py: docs/{SOURCE} must name {PLACEHOLDER} once")
    (site / WORKER).write_text(source.replace(PLACEHOLDER, json.dumps(manifest)), encoding="utf-8")


def build_manifest(site: Path, engine: str, languages: list[str]) -> dict[str, object]:
    """{"version", "site": [[path, sha256], ...], "engine": [...]} of the built site in ``site``;
    ``engine`` is the engine's folder (``assets/pyodide/<version>/``)."""
    groups: dict[str, list[list[str]]] = {"site": [], "engine": []}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if not wanted(name, languages):
            continue
        url = name.removesuffix("index.html") if name == "index.html" or name.endswith("/index.html") else name
        groups["engine" if name.startswith(engine) else "site"].append(
            [url, hashlib.sha256(path.read_bytes()).hexdigest()]
        )
    version = hashlib.sha256(json.dumps(groups, sort_keys=True).encode()).hexdigest()[:16]
    return {"version": version, **groups}


def wanted(name: str, languages: list[str]) -> bool:
    """Whether the file at ``name`` (from the site's root) is kept for offline use."""
    if name == WORKER or name.endswith(_SKIPPED_SUFFIXES):
        return False
    if name.startswith(_LUNR):
        return name in lunr_files(languages)
    return True


def lunr_files(languages: list[str]) -> set[str]:
    """The files Material's search worker loads for these languages (its own rule, in
    ``assets/javascripts/workers/search.*.js``): the stemmer support, each language's stemmer
    but English's, the segmenters of Japanese, Hindi and Thai, and the multi-language glue."""
    files = {f"{_LUNR}min/lunr.stemmer.support.min.js"}
    for lang in languages:
        if lang == "ja":
            files.add(f"{_LUNR}tinyseg.js")
        if lang in ("hi", "th"):
            files.add(f"{_LUNR}wordcut.js")
        if lang != "en":
            files.add(f"{_LUNR}min/lunr.{lang}.min.js")
    if len(languages) > 1:
        files.add(f"{_LUNR}min/lunr.multi.min.js")
    return files


def search_languages(config: MkDocsConfig) -> list[str]:
    """The languages of the site's search (the search plugin's ``lang``)."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return []
    lang = search.config.lang
    return [lang] if isinstance(lang, str) else list(lang or [])
