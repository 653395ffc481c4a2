"""hooks/calculator_page.py: the calculator's links to the guide's explanation of each indicator,
only to anchors the built guide has; its modules published as two bundles."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
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


DOCS_ASSETS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "calculator"
#: A static import or export from another file: what a bundle no longer has.
STATIC_IMPORT = re.compile(r'^\s*(import|export)\b[^;]*\bfrom\s*"', re.MULTILINE)


def test_the_page_and_its_worker_each_load_one_script(built_site) -> None:
    """The calculator's folder holds the page script and the worker's script, each with every
    module it imports bundled in it, and no module by itself: the page asks for one script, the
    worker for one. Every function the modules export is in one of the two."""
    (folder,) = (built_site / "assets" / "calculator").iterdir()
    published = {p.name for p in folder.iterdir()}
    assert {n for n in published if n.endswith(".mjs")} == {"calculator.mjs", "engine-worker.mjs"}
    assert {"engine-boot.js", "calculator.css"} <= published
    bundles = {name: (folder / name).read_text(encoding="utf-8") for name in ("calculator.mjs", "engine-worker.mjs")}
    for name, text in bundles.items():
        assert not STATIC_IMPORT.search(text), name
    for module in DOCS_ASSETS.glob("*.mjs"):
        for exported in re.findall(r"^export (?:async )?(?:function|class|const) (\w+)", module.read_text(encoding="utf-8"), re.MULTILINE):
            assert any(re.search(rf"\b(function|class|var|let|const) {exported}\b", text) for text in bundles.values()), (module.name, exported)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_head_asks_for_the_theme_script_before_the_calculators_own(site_html: dict[str, HtmlPage], lang: str) -> None:
    """The calculator page's head asks for the theme's script, the very file the body loads
    (not a second copy), ahead of the page's own scripts: on a first visit the theme's script,
    which the page's readiness for input waits for, is not queued behind them."""
    elements = site_html[CALCULATOR_PAGES[lang]].elements
    (body_script,) = [
        e.attrs["src"] for e in elements if e.tag == "script" and "/javascripts/bundle." in e.attrs.get("src", "")
    ]
    head = elements[: next(i for i, e in enumerate(elements) if e.tag == "body")]
    requests = [
        e
        for e in head
        if (e.tag == "link" and e.rels & {"preload", "modulepreload"}) or (e.tag == "script" and e.attrs.get("src"))
    ]
    first = requests[0]
    assert (first.tag, first.rels, first.attrs.get("as"), first.attrs["href"]) == ("link", {"preload"}, "script", body_script)
    assert {"calculator.mjs", "engine-worker.mjs", "engine-boot.js"} <= {
        (e.attrs.get("href") or e.attrs["src"]).rsplit("/", 1)[-1] for e in requests[1:]
    }


def test_a_page_without_one_theme_script_stops_the_build() -> None:
    """The head's request for the theme's script is taken from the page's body: a page with
    none (or two) stops the build rather than asking for a file no page loads."""
    stand_in = page("en", "calculator")
    found = calculator_page.theme_script('<script src="../assets/javascripts/bundle.0a1b.min.js"></script>', stand_in)
    assert found == "../assets/javascripts/bundle.0a1b.min.js"
    for output in ("<body></body>", '<script src="assets/javascripts/bundle.1.min.js"></script>' * 2):
        with pytest.raises(PluginError, match="expected one theme script bundle"):
            calculator_page.theme_script(output, stand_in)


def test_a_module_no_entry_imports_stops_the_build(tmp_path) -> None:
    """A module beside the calculator's that neither the page script nor the worker's imports
    would never reach the site: the build stops and names it."""
    for source in DOCS_ASSETS.iterdir():
        if source.is_file():
            shutil.copy(source, tmp_path / source.name)
    (tmp_path / "orphan.mjs").write_text("export const orphan = 1;\n", encoding="utf-8")
    names = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(PluginError, match=r"orphan\.mjs .*imported by neither calculator\.mjs nor engine-worker\.mjs"):
        calculator_page.publishable(tmp_path, names)
    (tmp_path / "orphan.mjs").unlink()
    published = calculator_page.publishable(tmp_path, [n for n in names if n != "orphan.mjs"])
    assert sorted(published) == ["calculator.css", "calculator.mjs", "engine-boot.js", "engine-worker.mjs"]
