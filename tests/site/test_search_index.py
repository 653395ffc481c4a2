"""The search indexes every page loads: one for each language, written as UTF-8, each found by the
pages of its language."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

INDEXES = {"en": "search/search_index.json", "zh": "zh/search/search_index.json"}


def index(built_site: Path, lang: str) -> dict:
    return json.loads((built_site / INDEXES[lang]).read_text(encoding="utf-8"))


def locations(built_site: Path, lang: str) -> set[str]:
    return {doc["location"].split("#")[0] for doc in index(built_site, lang)["docs"]}


@pytest.mark.parametrize("lang", list(INDEXES))
def test_each_index_is_utf8_json(built_site: Path, lang: str) -> None:
    """An index is written without escapes: Chinese words are in it as themselves."""
    raw = (built_site / INDEXES[lang]).read_bytes()
    assert b"\\u" not in raw.replace(b"\\\\u", b"")  # escapes only in the separator's regex
    json.loads(raw.decode("utf-8"))


def test_each_language_has_its_own_pages(built_site: Path) -> None:
    """The English index holds the English pages and searches English; the Chinese one holds the
    Chinese pages, their locations relative to the Chinese folder, and searches both languages
    (the Chinese pages also name things in English)."""
    en, zh = index(built_site, "en"), index(built_site, "zh")
    assert en["config"]["lang"] == ["en"] and zh["config"]["lang"] == ["en", "zh"]
    assert {"", "scoring/", "calculator/", "faq/"} <= locations(built_site, "en")
    assert locations(built_site, "en") == locations(built_site, "zh")  # the same pages, each in its language
    assert not any(loc.startswith("zh/") for loc in locations(built_site, "en"))
    zh_text = " ".join(doc["text"] for doc in zh["docs"])
    en_text = " ".join(doc["text"] for doc in en["docs"])
    assert "售后服务" in zh_text  # a word of the guide (segmented by the search plugin)
    assert "after-sales" in en_text.lower()


def test_every_page_finds_its_languages_index(built_site: Path) -> None:
    """The theme looks for the index, and resolves the results' links, from its configuration's
    base: every page's base is its language's folder."""
    site = "https://example.org/site/"
    pages = sorted(p for p in built_site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        path = page.relative_to(built_site).as_posix().removesuffix("index.html")
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page.read_text("utf-8"))
        assert config, path
        base = urljoin(site + path, json.loads(config.group(1))["base"] + "/")
        assert base == site + ("zh/" if path.startswith("zh/") else ""), path
        assert (built_site / base.removeprefix(site) / "search" / "search_index.json").is_file(), path


def test_the_performance_page_is_left_out(built_site: Path) -> None:
    """The Performance page (the site's own engineering, in both languages) is not searched: its
    text and figures were a quarter of the index every page loads. The guide's pages are."""
    for lang in INDEXES:
        assert "performance/" not in locations(built_site, lang)
        assert {"faq/", "sources/"} <= locations(built_site, lang)
    assert (built_site / "performance" / "index.html").is_file()
