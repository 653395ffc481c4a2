"""Every built page, in both languages, as Chromium shows it when the site is served under a
sub-path the way GitHub Pages serves a project site."""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.sync_api import Page

OTHER_LANGUAGE = {"en": "zh", "zh": "en"}


def test_page_renders_cleanly(
    doc_page, page: Page, site_server: str, request_log, console_log
) -> None:
    """The page loads with <html lang> set to its language; its language switch links to the
    same page in the other language; it logs no console error or uncaught exception; and it
    requests nothing outside the site (no other origin, nothing outside the sub-path, nothing
    missing)."""
    other = doc_page.translation(OTHER_LANGUAGE[doc_page.lang])
    response = page.goto(site_server + doc_page.url, wait_until="load")
    assert response is not None and response.status == 200

    problems = []
    lang = page.locator("html").get_attribute("lang")
    if lang != doc_page.lang:
        problems.append(f"<html lang={lang!r}>, expected {doc_page.lang!r}")
    switch = page.locator(f'a[hreflang="{other.lang}"]')
    href = switch.first.get_attribute("href") if switch.count() else None
    if href is None:
        problems.append(f"no language switch link with hreflang={other.lang!r}")
    elif urljoin(page.url, href) != site_server + other.url:
        problems.append(
            f"language switch goes to {urljoin(page.url, href)}, not {site_server + other.url}"
        )
    problems += console_log.errors
    problems += [f"request outside the site: {url}" for url in request_log.outside(site_server)]
    problems += [f"failed request: {failure}" for failure in request_log.failures]
    assert not problems, "\n".join(problems)
