"""The search index: one for each language, written as UTF-8.

The search plugin, with the i18n plugin, writes one index of both languages at
``search/search_index.json``. Every page of either language fetches it when it loads, and the
theme's search worker builds the whole of it into a lunr index there and then: on a small machine,
half a second of one core on every page, and half of it for pages in the other language, which a
reader searching in one language does not look for. So the index is split by language: the
default language's pages stay in ``search/search_index.json``, each other language's pages go to
``<lang>/search/search_index.json``, with their locations relative to that folder, and each page
of that language tells the theme (the ``base`` of its ``__config``) that its site starts at its
language's folder, where the theme then looks for the index and resolves the results' links. The
theme uses ``base`` for nothing else this site enables (instant navigation and versions are off).
The default language's index takes only its own search language (English needs none of the
Chinese segmenting and stemming files); the others keep the plugin's.

The plugin also escapes every character outside ASCII, six bytes for each Chinese character;
the indexes are written as UTF-8 (three bytes each), without spaces between tokens.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import shared
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

INDEX = "search/search_index.json"

_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """On a page of a language other than the default, point the theme's ``base`` at that
    language's folder."""
    folder = shared.language_folder(shared.page_language(page))
    if not folder:
        return output
    depth = page.url.count("/") - folder.count("/")
    return with_base(output, ".." + "/.." * (depth - 1) if depth else ".")


def with_base(output: str, base: str) -> str:
    """The page with its theme configuration's ``base`` set to ``base``.

    Example:
        >>> with_base('<script id="__config" type="application/json">{"base": "../.."}</script>', "..")
        '<script id="__config" type="application/json">{"base": ".."}</script>'
    """
    match = _CONFIG.search(output)
    if match is None:
        raise PluginError("hooks/search_index.py: a page without the theme's __config")
    text = match.group(2)
    old = json.loads(text)["base"]
    replaced = text.replace(f'"base": {json.dumps(old)}', f'"base": {json.dumps(base)}', 1)
    if json.loads(replaced).get("base") != base:
        raise PluginError("hooks/search_index.py: the theme's __config names its base differently")
    return output[: match.start(2)] + replaced + output[match.end(2) :]


@event_priority(-150)  # after the i18n plugin (-100) has written the whole site's index; before hooks/offline.py
def on_post_build(config: MkDocsConfig) -> None:
    """Split the index the search plugin wrote into one for each language, as UTF-8."""
    site = Path(config.site_dir)
    path = site / INDEX
    if not path.is_file():
        return
    for folder, index in split(json.loads(path.read_text(encoding="utf-8"))).items():
        target = site / folder / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def split(index: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The index of both languages as one index for each language's folder, locations relative
    to it; the default language's searches its own language only.

    Example:
        >>> both = {"config": {"lang": ["en", "zh"]}, "docs": [{"location": "faq/"}, {"location": "zh/faq/#a"}]}
        >>> split(both)
        {'': {'config': {'lang': ['en']}, 'docs': [{'location': 'faq/'}]}, 'zh/': {'config': {'lang': ['en', 'zh']}, 'docs': [{'location': 'faq/#a'}]}}
    """
    languages = list(index["config"]["lang"])
    folders = {shared.language_folder(lang): lang for lang in languages}
    split_index: dict[str, dict[str, Any]] = {
        folder: {**index, "config": {**index["config"], "lang": [lang] if not folder else languages}, "docs": []}
        for folder, lang in folders.items()
    }
    for doc in index["docs"]:
        folder = next((f for f in folders if f and doc["location"].startswith(f)), "")
        split_index[folder]["docs"].append({**doc, "location": doc["location"][len(folder) :]})
    return split_index
