"""hooks/calculator_page.py: the calculator's links to the guide's explanation of each indicator,
only to anchors the built guide has."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from loaders import load_hook
from sitehtml import HtmlPage, resolve

from calculator.languages import LANGUAGES
from calculator.scheme import load_scheme

#: hooks/calculator_page.py, imported as MkDocs imports it.
calculator_page = load_hook("calculator_page")

INDICATORS = [i.id for i in load_scheme().indicators]
CALCULATOR_PAGES = {"en": "calculator/index.html", "zh": "zh/calculator/index.html"}


def page(lang: str, name: str) -> SimpleNamespace:
    """A stand-in for MkDocs' Page: what the hook reads of one."""
    prefix = "" if lang == "en" else "zh/"
    return SimpleNamespace(file=SimpleNamespace(src_uri=f"{lang}/{name}.md", locale=lang), url=f"{prefix}{name}/")


def test_only_the_anchors_a_page_has_are_linked() -> None:
    """An indicator gets a link only when a page of the calculator's language carries its anchor;
    the link is relative to the calculator page and names that anchor."""
    calculator_page._explained.clear()
    try:
        guide = '<td><span id="indicator-repair">Repair</span></td><td><span id="indicator-delivery">D</span></td>'
        calculator_page.on_page_content(guide, page("zh", "guide"), None, None)
        calculator_page.on_page_content("<p>no anchors</p>", page("zh", "faq"), None, None)
        assert calculator_page.guide_links(page("zh", "calculator")) == {
            "repair": "../guide/#indicator-repair",
            "delivery": "../guide/#indicator-delivery",
        }
        assert calculator_page.guide_links(page("en", "calculator")) == {}
    finally:
        calculator_page._explained.clear()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_built_calculator_links_every_indicator_to_its_row(site_html: dict[str, HtmlPage], built_site, lang: str) -> None:
    """In the built site, the calculator page of each language links every indicator of the sheet
    to an anchor on a page of the same language, on that indicator's row."""
    path = CALCULATOR_PAGES[lang]
    text = (built_site / path).read_text(encoding="utf-8")
    found = re.search(r"<script type=\"application/json\" data-calculator-guide>(.*?)</script>", text, re.S)
    assert found
    links = json.loads(found[1])
    assert list(links) == INDICATORS
    for indicator, link in links.items():
        target, fragment = resolve(path, link)
        assert target in site_html and target.startswith("zh/") == (lang == "zh"), link
        assert fragment == f"indicator-{indicator}" and fragment in site_html[target].ids
