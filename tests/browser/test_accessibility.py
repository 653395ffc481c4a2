"""Accessibility in Chromium: axe-core on every page in both languages and on the calculator in
each of its states, in the light and the dark colour scheme; the whole calculator used with the
keyboard alone, and results announced to screen readers.

The site follows the system's colour scheme (mkdocs.yml, palette): Material's "default" palette
when the system is light, "slate" when it is dark. The scheme is emulated as the system setting.

axe-core runs through page.evaluate (the DevTools protocol), which the pages' Content Security
Policy does not govern: the policy stays in force while the pages are checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from calcpage import (
    ENGINE_FILES,
    LANGUAGES,
    PAGE_PATHS,
    STRINGS,
    Session,
    answer,
    axe_violations,
    blocked,
    cpython,
    expect_result,
    root,
    wait_engine,
    wait_ready,
)
from playwright.sync_api import Browser, Page, Route, expect

#: The system's colour scheme, as Playwright emulates it, and the Material palette it selects.
SCHEMES = {"light": "default", "dark": "slate"}


def show_scheme(page: Page, scheme: str) -> None:
    """Emulate the system's colour ``scheme`` for the page's next loads."""
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]


def expect_palette(page: Page, scheme: str) -> None:
    """The page is drawn in the Material palette of ``scheme``: the check is of the right colours."""
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_page_has_no_serious_violation(doc_page, tab: Page, site_server: str, scheme: str) -> None:
    """axe-core finds no serious or critical violation on the page as it has loaded, in the light
    and the dark scheme (the calculator's own states are checked one by one below)."""
    show_scheme(tab, scheme)
    tab.goto(site_server + doc_page.url)
    expect_palette(tab, scheme)
    assert axe_violations(tab) == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_not_found_page_has_no_serious_violation(tab: Page, root_server: str, scheme: str) -> None:
    """axe-core finds no serious or critical violation on the 404 page, in either scheme."""
    show_scheme(tab, scheme)
    tab.goto(root_server + "no/such/page/")
    expect_palette(tab, scheme)
    assert axe_violations(tab) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_calculator_has_no_serious_violation_in_any_state(session: Session, lang: str, scheme: str) -> None:
    """The calculator, in its loading, error, ready and invalid states, with an invalid date, with
    a result whose improvements link to the guide, and as printed, in each language and either
    scheme: no serious or critical violation inside it, nor on the rest of its page."""
    stalled: list[Route] = []
    page = session.context.new_page()
    show_scheme(page, scheme)
    try:
        with blocked(session.context, ENGINE_FILES["pyodide.asm.wasm"], lambda route: stalled.append(route)):
            page.goto(session.base_url + PAGE_PATHS[lang])
            expect(root(page)).to_have_attribute("data-engine", "loading")
            expect(page.locator(".calc__progress")).to_be_visible()
            expect_palette(page, scheme)
            found = {"loading": axe_violations(page)}
        with blocked(session.context, ENGINE_FILES["pyodide.asm.wasm"]):
            page.reload()
            wait_engine(page, "error")
            found["error"] = axe_violations(page)
        page.click("[data-calculator-alert] button[data-action=retry]")
        wait_ready(page)
        found["ready"] = axe_violations(page)
        page.check("input[name=mode][value=full]")
        answer(page, "repair", "sampled", samples="x", nonconforming="12")
        page.locator("[name=special_deductions]").fill("1.5")
        expect(page.locator("#calc-samples-repair-error")).not_to_be_empty()
        expect(page.locator("#calc-special_deductions-error")).not_to_be_empty()
        found["invalid"] = axe_violations(page)
        page.locator("[name=assessment_date]").fill("2026-02-30")
        page.locator("[name=organisation]").focus()
        expect(page.locator("#calc-assessment_date-error")).not_to_be_empty()
        found["invalid date"] = axe_violations(page)
        page.locator("[name=assessment_date]").fill("2026-03-31")
        page.locator("[name=organisation]").fill("Acme 售后服务有限公司")
        page.locator("[name=assessor]").fill("李明")
        answer(page, "repair", "sampled", samples="１０", nonconforming="３")
        page.locator("[name=special_deductions]").fill("１")
        expect(page.locator("[data-result-improvements] li a").first).to_be_visible()
        found["result with links"] = axe_violations(page)
        page.emulate_media(media="print")
        try:
            expect(page.locator("[data-print-details]")).to_be_visible()
            found["print"] = axe_violations(page)
        finally:
            page.emulate_media(media="screen")
        assert found == {
            state: [] for state in found
        }
    finally:
        page.close()


SHEETS = Path(__file__).resolve().parents[1] / "sheets"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_scoring_sheet_and_comparison_states_have_no_serious_violation(
    browser: Browser, site_server: str, tmp_path: Path, lang: str, scheme: str
) -> None:
    """A sheet refused (the loader's message in the alert), a custom sheet in use with answers
    kept aside, a comparison under the same sheet (categories, better, worse), and one across
    sheets: no serious or critical violation in any of them, in each language and scheme."""
    session = Session(browser, site_server, service_workers="block")
    page = session.open("")
    show_scheme(page, scheme)
    try:
        page.goto(session.base_url + PAGE_PATHS[lang])
        wait_ready(page)
        expect_palette(page, scheme)
        found = {}
        page.set_input_files("input[name=scheme]", str(SHEETS / "does-not-add-up.json"))
        expect(page.locator("[data-calculator-alert]")).to_contain_text(STRINGS[lang]["sheet_invalid"])
        found["sheet refused"] = axe_violations(page)
        page.check("input[name=mode][value=full]")
        answer(page, "improvement", "conforms")
        answer(page, "repair", "nonconforming")
        answer(page, "organisation", "conforms")
        page.set_input_files("input[name=scheme]", str(SHEETS / "acme-2026.json"))
        expect(root(page)).to_have_attribute("data-scheme", "acme-service-2026")
        expect(page.locator("[data-sheet-aside]")).to_be_visible()
        found["custom sheet"] = axe_violations(page)
        earlier = tmp_path / "earlier.json"
        earlier.write_text(
            json.dumps({
                "scheme": "acme-service-2026",
                "indicators": {"repair": {"status": "conforms"}, "organisation": {"status": "nonconforming"}},
            }),
            encoding="utf-8",
        )
        page.set_input_files("input[name=compare]", str(earlier))
        expect(page.locator("[data-compare-better]")).to_be_visible()
        expect(page.locator("[data-compare-worse]")).to_be_visible()
        found["comparison"] = axe_violations(page)
        page.click("[data-action=published-sheet]")
        expect(page.locator("[data-compare-sheet]")).to_be_visible()
        found["comparison across sheets"] = axe_violations(page)
        assert found == {state: [] for state in found}
        assert not session.errors
    finally:
        session.close()


# --- the keyboard ----------------------------------------------------------------------------

FOCUS = """() => {
    const element = document.activeElement;
    // The calculator's radios and file input draw their ring on the label around them.
    const ring = element.matches("input[type=radio], input[type=file]") ? element.closest("label") ?? element : element;
    const style = getComputedStyle(ring);
    return {
        name: element.name || element.dataset?.action || element.id || element.tagName.toLowerCase(),
        calculator: Boolean(element.closest("[data-calculator]")),
        result: element.matches("[data-result]"),
        visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    };
}"""


class Keyboard:
    """Moves through the page with Tab and Shift+Tab only, checking the focus ring of each stop
    in the calculator."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.unringed: list[str] = []

    def focused(self) -> dict[str, Any]:
        return self.page.evaluate(FOCUS)

    def press(self, key: str) -> dict[str, Any]:
        self.page.keyboard.press(key)
        focus = self.focused()
        if focus["calculator"] and not focus["visible"]:
            self.unringed.append(focus["name"])
        return focus

    def tab_to(self, name: str, backwards: bool = False, limit: int = 80) -> None:
        """Tab (or Shift+Tab) until the field, button or region ``name`` has the focus."""
        for _ in range(limit):
            focus = self.press("Shift+Tab" if backwards else "Tab")
            if focus["name"] == name or (name == "result" and focus["result"]):
                return
        raise AssertionError(f"{name} never took the focus")


@pytest.fixture(scope="module")
def keyboard_page(browser: Browser, site_server: str) -> Iterator[Page]:
    """The English calculator in a context of its own (empty storage), engine ready."""
    session = Session(browser, site_server)
    page = session.open(PAGE_PATHS["en"])
    wait_ready(page)
    yield page
    session.close()


def test_the_calculator_works_by_keyboard_alone(keyboard_page: Page) -> None:
    """With Tab, Shift+Tab, Space, Enter and the arrow keys only (and typing the numbers): a
    quick score with special items, then the switch to full mode, findings chosen from their
    lists, a sampled indicator's numbers, an export, and Tab on to the result, which matches
    the engine on CPython. Every stop on the way shows its focus ring."""
    page = keyboard_page
    keys = Keyboard(page)
    keys.tab_to("mode")
    expect(page.locator("input[name=mode][value=quick]")).to_be_focused()
    keys.press("Tab")
    page.keyboard.type("87")
    keys.press("Tab")  # tabbing into a field selects its text: typing replaces the 0
    page.keyboard.type("1")
    keys.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("[name=special_bonus]")).to_be_checked()
    expect_result(page, "87", "three-star")

    keys.tab_to("mode", backwards=True)
    page.keyboard.press("ArrowRight")
    expect(page.locator("input[name=mode][value=full]")).to_be_checked()
    expect(page.locator("[data-mode-panel=full]")).to_be_visible()
    keys.press("Tab")
    assert keys.focused()["name"] == "status:organisation"
    page.keyboard.press("ArrowDown")  # Conforms
    keys.press("Tab")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # Sampled
    expect(page.locator("[name='status:staffing']")).to_have_value("sampled")
    keys.press("Tab")
    assert keys.focused()["name"] == "samples:staffing"
    page.keyboard.type("12")
    keys.press("Tab")
    page.keyboard.type("3")
    keys.press("Tab")
    assert keys.focused()["name"] == "status:resources"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Nonconforming
    want = cpython({
        "indicators": {
            "organisation": {"status": "conforms"},
            "staffing": {"status": "sampled", "samples": 12, "nonconforming": 3},
            "resources": {"status": "nonconforming"},
        },
        "special_deductions": 1,
        "special_bonus": True,
    })["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)

    keys.tab_to("export")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["indicators"]["staffing"] == {"status": "sampled", "samples": 12, "nonconforming": 3}
    keys.tab_to("result")
    expect(page.locator("[data-result]")).to_be_focused()
    assert keys.unringed == []


def test_the_report_details_and_the_guide_links_work_by_keyboard_alone(keyboard_page: Page) -> None:
    """The organisation, assessor and date are reached with Tab and typed into (full-width digits
    too), each showing its focus ring; an improvement's link to the guide is reached with Tab
    and followed with Enter, to that indicator's explanation."""
    page = keyboard_page
    page.click("[data-action=reset]")
    page.check("input[name=mode][value=full]")
    answer(page, "complaint-handling", "nonconforming")
    keys = Keyboard(page)
    page.locator("[name=special_bonus]").focus()
    keys.tab_to("organisation")
    page.keyboard.type("Acme")
    keys.press("Tab")
    assert keys.focused()["name"] == "assessor"
    page.keyboard.type("李明")
    keys.press("Tab")
    assert keys.focused()["name"] == "assessment_date"
    page.keyboard.type("２０２６-03-31")
    want = cpython({"indicators": {"complaint-handling": {"status": "nonconforming"}}})["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    expect(page.locator("#calc-assessment_date-error")).to_be_empty()
    first = want["improvements"][0]["indicator"]
    link = page.locator("[data-result-improvements] li").first.locator("a")
    for _ in range(120):
        if page.evaluate("() => document.activeElement?.closest('[data-result-improvements]') !== null"):
            break
        keys.press("Tab")
    expect(link).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"#indicator-{first}$"))
    expect(page.locator(f"#indicator-{first}")).to_be_in_viewport()
    page.go_back()
    wait_ready(page)
    assert keys.unringed == []


def test_results_are_announced(keyboard_page: Page) -> None:
    """A polite live region says the new result once the user pauses, in words (score, tier,
    verdict); it is cleared while the input is invalid."""
    page = keyboard_page
    region = page.locator("[data-result-announce]")
    expect(region).to_have_attribute("aria-live", "polite")
    page.check("input[name=mode][value=quick]")
    page.fill("[name=special_deductions]", "0")
    page.set_checked("[name=special_bonus]", False)
    page.fill("[name=total]", "91")
    expect(region).to_have_text("Score 91, Four-star. Passed")
    page.fill("[name=total]", "96.5")
    expect(region).to_have_text("Score 96.5, Five-star. Passed")
    page.fill("[name=total]", "abc")
    expect(region).to_have_text("")


def test_the_error_message_is_reachable_and_announced(browser: Browser, site_server: str) -> None:
    """When the engine fails, the message is in a role=alert region (read out at once), its
    Try again button is reached with Tab and works with Enter, and focus then rests on the
    engine's status, which says it is loading again."""
    session = Session(browser, site_server, service_workers="block")
    try:
        with blocked(session.context, ENGINE_FILES["pyodide.mjs"]):
            page = session.open(PAGE_PATHS["en"])
            wait_engine(page, "error")
        expect(page.locator("[role=alert][data-calculator-alert]")).to_contain_text(STRINGS["en"]["engine_failed"])
        keys = Keyboard(page)
        keys.tab_to("retry")
        page.keyboard.press("Enter")
        expect(page.locator("[data-engine-message]")).to_be_focused()
        expect(root(page)).not_to_have_attribute("data-engine", "error")
        assert keys.unringed == []
        wait_ready(page)
    finally:
        session.close()
