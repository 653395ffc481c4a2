"""Search on the built site finds Chinese words, as readers type them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("zh/", "特别扣分项", "评分与等级"),
        ("zh/", "涉及项分值", "评分与等级"),
        ("zh/", "监督审核", "如何获得认证"),
        ("zh/", "全国标准信息公共服务平台", "申请前须知"),
        ("zh/", "推荐性", "申请前须知"),
        ("", "voluntary", "Before you decide"),
        ("", "special deduction", "Scoring and tiers"),
    ],
)
def test_search_finds_the_page(page: Page, site_server: str, path: str, query: str, expected: str) -> None:
    """Typing a term into the search box lists the page that explains it, and only pages in the
    language of the page searched from."""
    page.goto(site_server + path)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # The theme ignores a query typed before its search index is ready.
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Initializing", timeout=30_000)
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("初始化", timeout=30_000)
    box = page.locator(".md-search__input")
    box.fill(query)
    box.press("End")  # the theme searches on key-up, as a reader's typing gives it
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=30_000)
    expect(page.locator(".md-search-result")).to_contain_text(expected)
    # Each language has its own index: every result is a page in the language of the search.
    links = page.locator(".md-search-result__item a").evaluate_all("(links) => links.map((a) => a.href)")
    assert links and all(link.startswith(site_server + path) for link in links), links
    assert path == "zh/" or not any("/zh/" in link for link in links), links
