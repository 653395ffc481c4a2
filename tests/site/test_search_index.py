"""The search index every page loads: complete in both languages, and written as UTF-8."""

from __future__ import annotations

import json
from pathlib import Path


def test_the_index_is_utf8_json_with_both_languages(built_site: Path) -> None:
    """The index is the search plugin's, written without escapes: the Chinese pages' words are in
    it as themselves, and a page of each language is found in it."""
    raw = (built_site / "search" / "search_index.json").read_bytes()
    assert b"\\u" not in raw.replace(b"\\\\u", b"")  # escapes only in the separator's regex
    index = json.loads(raw.decode("utf-8"))
    assert index["config"]["lang"] == ["en", "zh"]
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"scoring/", "zh/scoring/"} <= locations
    zh_text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("zh/"))
    assert "售后服务" in zh_text  # a word of the guide (segmented by the search plugin)


def test_the_performance_page_is_left_out(built_site: Path) -> None:
    """The Performance page (the site's own engineering, in both languages) is not searched: its
    text and figures were a quarter of the index every page loads. The guide's pages are."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not {"performance/", "zh/performance/"} & locations
    assert (built_site / "performance" / "index.html").is_file()
    assert {"faq/", "zh/faq/", "sources/", "zh/sources/"} <= locations
