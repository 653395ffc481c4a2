"""A certification body's own scoring sheet and the comparison with an earlier assessment, in
Chromium: loaded from files, checked by the engine, scored exactly as the package on CPython
scores them, kept across a reload, printed, and used with the keyboard alone, in both languages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from calcpage import (
    GOLDEN,
    LANGUAGES,
    PAGE_PATHS,
    ROOT,
    STRINGS,
    Session,
    answer,
    expect_result,
    golden_names,
    wait_ready,
)
from playwright.sync_api import Browser, Page, expect

from calculator import browser as engine

SHEETS = ROOT / "tests" / "sheets"
CUSTOM = SHEETS / "acme-2026.json"
BROKEN = SHEETS / "does-not-add-up.json"
CUSTOM_ID = json.loads(CUSTOM.read_text(encoding="utf-8"))["id"]
CUSTOM_TITLE = json.loads(CUSTOM.read_text(encoding="utf-8"))["title"]
PUBLISHED_ID = json.loads(engine.scheme())["id"]


def scored(text: str, lang: str = "en", sheet: Path | None = None, earlier: str | None = None) -> dict[str, Any]:
    """What the package on CPython replies for the same text, sheet and earlier assessment."""
    options: dict[str, str] = {}
    if sheet is not None:
        options["sheet"] = sheet.read_text(encoding="utf-8")
    if earlier is not None:
        options["earlier"] = earlier
    return json.loads(engine.evaluate(text, lang, **options))


def load_sheet(page: Page, path: Path) -> None:
    page.set_input_files("input[type=file][name=scheme]", str(path))


def compare_with(page: Page, path: Path) -> None:
    page.set_input_files("input[type=file][name=compare]", str(path))


def expect_sheet(page: Page, sheet_id: str) -> None:
    expect(page.locator("[data-calculator]")).to_have_attribute("data-scheme", sheet_id)


def clear(page: Page) -> None:
    """Back to the published sheet, no comparison, no answers, quick mode."""
    if page.locator("[data-action=published-sheet]").is_visible():
        page.click("[data-action=published-sheet]")
    if page.locator("[data-action=remove-compare]").is_visible():
        page.click("[data-action=remove-compare]")
    page.click("[data-action=reset]")
    page.check("input[name=mode][value=quick]")
    expect_sheet(page, PUBLISHED_ID)
    expect(page.locator("[data-compare]")).to_be_hidden()


@pytest.fixture(scope="module")
def shared(browser: Browser, site_server: str) -> Iterator[tuple[Session, dict[str, Page]]]:
    session = Session(browser, site_server, service_workers="block")
    pages: dict[str, Page] = {}
    yield session, pages
    session.close()


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def open_page(shared: tuple[Session, dict[str, Page]], lang: str) -> Page:
    session, pages = shared
    if lang not in pages:
        pages[lang] = session.open(PAGE_PATHS[lang])
        wait_ready(pages[lang])
    page = pages[lang]
    clear(page)
    return page


@pytest.fixture
def page(shared: tuple[Session, dict[str, Page]]) -> Iterator[Page]:
    """The English page, cleared."""
    yield open_page(shared, "en")
    session = shared[0]
    assert not session.errors and session.outside() == []


def test_a_sheet_that_does_not_add_up_is_refused_and_the_page_keeps_working(shared: Any, lang: str) -> None:
    """The loader's message, in the page's language, shows in role=alert; the sheet, the answers
    and the scoring stay."""
    page = open_page(shared, lang)
    page.fill("[name=total]", "88")
    expect_result(page, "88", "three-star")
    load_sheet(page, BROKEN)
    message = scored("{}", lang, sheet=BROKEN)["errors"][0]["message"]
    assert ("add up to 41 points" if lang == "en" else "分值之和为 41") in message  # in the page's language
    alert = page.locator("[role=alert][data-calculator-alert]")
    expect(alert).to_contain_text(message)
    expect(alert).to_contain_text(STRINGS[lang]["sheet_invalid"])
    expect_sheet(page, PUBLISHED_ID)
    expect(page.locator("[name='status:improvement']")).to_have_count(1)
    page.fill("[name=total]", "91")
    expect_result(page, "91", "four-star")


def test_a_custom_sheet_renders_scores_keeps_answers_aside_and_goes_back(shared: Any, lang: str) -> None:
    """Its categories and indicators replace the form's; it scores as the package does under it;
    answers of indicators it lacks are counted aside and come back with the published sheet."""
    page = open_page(shared, lang)
    page.check("input[name=mode][value=full]")
    answer(page, "improvement", "conforms")
    answer(page, "take-back", "sampled", samples="4", nonconforming="1")
    answer(page, "supervision", "nonconforming")
    answer(page, "customer-relations", "scored", points="9.75")
    load_sheet(page, CUSTOM)
    expect_sheet(page, CUSTOM_ID)
    expect(page.locator("[data-sheet-name]")).to_contain_text(CUSTOM_TITLE[lang])
    expect(page.locator("[name='status:improvement']")).to_have_count(0)
    expect(page.locator("[name='status:spare-parts']")).to_have_count(1)
    expect(page.locator("label[for='calc-status-supervision']")).to_contain_text("10")
    expect(page.locator("label[for='calc-points-customer-relations']")).to_contain_text("10.5")
    expect(page.locator("[data-sheet-aside]")).to_contain_text("2")
    expect(page.locator("[name='status:supervision']")).to_have_value("nonconforming")
    want = scored(
        json.dumps({
            "scheme": CUSTOM_ID,
            "indicators": {
                "supervision": {"status": "nonconforming"},
                "customer-relations": {"status": "scored", "points": 9.75},
            },
            "special_deductions": 0,
            "special_bonus": False,
        }),
        lang,
        sheet=CUSTOM,
    )["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    answer(page, "spare-parts", "conforms")
    expect(page.locator("[data-result]")).not_to_have_attribute("data-score", str(want["score"]))

    page.click("[data-action=published-sheet]")
    expect_sheet(page, PUBLISHED_ID)
    expect(page.locator("[name='status:improvement']")).to_have_value("conforms")
    expect(page.locator("[name='status:take-back']")).to_have_value("sampled")
    expect(page.locator("[name='samples:take-back']")).to_have_value("4")
    expect(page.locator("[data-sheet-aside]")).to_contain_text("1")  # spare parts, now aside
    expect(page.locator("[data-action=published-sheet]")).to_be_hidden()


def test_an_export_under_a_custom_sheet_names_it_and_scores_the_same_on_the_command_line(page: Page, tmp_path: Path) -> None:
    """The file names the sheet; `score FILE --scheme SHEET --json` gives the page's result; the
    published sheet refuses the file at its scheme field, naming both sheets, and changes nothing."""
    load_sheet(page, CUSTOM)
    expect_sheet(page, CUSTOM_ID)
    page.check("input[name=mode][value=full]")
    answer(page, "spare-parts", "sampled", samples="7", nonconforming="2")
    answer(page, "customer-relations", "scored", points="3.333333")
    answer(page, "organisation", "conforms")
    page.fill("[name=special_deductions]", "1")
    expect(page.locator("[data-result]")).not_to_have_attribute("data-score", "")
    shown = page.eval_on_selector("[data-result]", "e => ({score: e.dataset.score, tier: e.dataset.tier})")
    with page.expect_download() as download:
        page.click("[data-action=export]")
    path = tmp_path / "export.json"
    download.value.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["scheme"] == CUSTOM_ID
    cli = subprocess.run(
        [sys.executable, "-m", "calculator", "score", str(path), "--scheme", str(CUSTOM), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    result = json.loads(cli.stdout)
    assert shown == {"score": str(result["score"]), "tier": result["tier"]}
    assert result == scored(path.read_text(encoding="utf-8"), sheet=CUSTOM)["result"]

    page.click("[data-action=published-sheet]")
    page.check("input[name=mode][value=quick]")
    page.fill("[name=total]", "77")
    expect_result(page, "76", "standard")
    page.set_input_files("input[type=file][name=import]", str(path))
    expect(page.locator("[role=alert][data-calculator-alert]")).to_contain_text(
        scored(path.read_text(encoding="utf-8"))["errors"][0]["message"]
    )
    expect_result(page, "76", "standard")


def test_golden_cases_hold_under_a_custom_sheet_and_as_the_earlier_side(page: Page, tmp_path: Path) -> None:
    """Under a sheet with the published points and another id, each golden case imported gives
    its expected score and tier; compared with, its score and tier are the earlier ones."""
    sheet = json.loads((ROOT / "calculator" / "scheme.json").read_text(encoding="utf-8")) | {"id": "same-points"}
    sheet_path = tmp_path / "same-points.json"
    sheet_path.write_text(json.dumps(sheet), encoding="utf-8")
    load_sheet(page, sheet_path)
    expect_sheet(page, "same-points")
    for name in golden_names():
        case = GOLDEN / f"{name}.json"
        want = json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))
        page.set_input_files("input[type=file][name=import]", str(case))
        expect_result(page, str(want["score"]), want["tier"], want.get("provisional", False))
        compare_with(page, case)
        box = page.locator("[data-compare]")
        expect(box).to_have_attribute("data-score", str(want["score"]))
        expect(box).to_have_attribute("data-tier", want["tier"])


def test_compare_with_an_earlier_assessment(shared: Any, lang: str, tmp_path: Path) -> None:
    """The earlier file's score and tier, then and now, the change per category and the
    indicators better and worse show under the result, which stays as it was."""
    page = open_page(shared, lang)
    earlier = {
        "indicators": {
            "repair": {"status": "nonconforming"},
            "organisation": {"status": "conforms"},
            "delivery": {"status": "sampled", "samples": 3, "nonconforming": 1},
        },
        "special_deductions": 0,
        "special_bonus": False,
    }
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(earlier), encoding="utf-8")
    page.check("input[name=mode][value=full]")
    answer(page, "repair", "conforms")
    answer(page, "organisation", "scored", points="4.5")
    answer(page, "delivery", "sampled", samples="3", nonconforming="1")
    now = {
        "indicators": {
            "organisation": {"status": "scored", "points": 4.5},
            "delivery": {"status": "sampled", "samples": 3, "nonconforming": 1},
            "repair": {"status": "conforms"},
        },
        "special_deductions": 0,
        "special_bonus": False,
    }
    reply = scored(json.dumps(now), lang, earlier=path.read_text(encoding="utf-8"))
    expect_result(page, str(reply["result"]["score"]), reply["result"]["tier"], provisional=True)
    compare_with(page, path)
    box = page.locator("[data-compare]")
    comparison = reply["comparison"]
    expect(box).to_be_visible()
    expect(box).to_have_attribute("data-score", str(comparison["earlier"]["score"]))
    expect(box).to_have_attribute("data-tier", comparison["earlier"]["tier"])
    expect(box).to_contain_text(STRINGS[lang]["compare_heading"])
    expect(box.locator("[data-compare-better] [data-indicator=repair]")).to_have_count(1)
    expect(box.locator("[data-compare-worse] [data-indicator=organisation]")).to_have_count(1)
    expect(box.locator("[data-compare-better] [data-indicator=delivery], [data-compare-worse] [data-indicator=delivery]")).to_have_count(0)
    expect(box.locator("[data-category-change]")).to_have_count(3)
    expect_result(page, str(reply["result"]["score"]), reply["result"]["tier"], provisional=True)
    expect(page.locator("[data-compare-file]")).to_contain_text("earlier.json")

    page.reload()
    wait_ready(page)
    expect(page.locator("[data-compare]")).to_have_attribute("data-score", str(comparison["earlier"]["score"]))
    expect(page.locator("[name='status:repair']")).to_have_value("conforms")
    expect_result(page, str(reply["result"]["score"]), reply["result"]["tier"], provisional=True)

    page.click("[data-action=remove-compare]")
    expect(page.locator("[data-compare]")).to_be_hidden()
    expect(page.locator("[data-compare]")).to_have_attribute("data-score", "")
    expect(page.locator("[name=compare]")).to_be_focused()
    page.reload()
    wait_ready(page)
    expect(page.locator("[data-compare]")).to_be_hidden()


def test_an_invalid_earlier_file_is_refused(page: Page, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"total": 101}', encoding="utf-8")
    page.fill("[name=total]", "80")
    compare_with(page, path)
    message = scored('{"total": 80}', earlier='{"total": 101}')["comparison"]["errors"][0]["message"]
    expect(page.locator("[role=alert][data-calculator-alert]")).to_contain_text(message)
    expect(page.locator("[data-compare]")).to_be_hidden()
    expect_result(page, "80", "three-star")


def test_comparing_across_sheets_says_so(shared: Any, lang: str, tmp_path: Path) -> None:
    """Under a custom sheet, a file made under the published one: scores and tiers side by
    side, and a note instead of indicators compared."""
    page = open_page(shared, lang)
    path = tmp_path / "published.json"
    path.write_text('{"indicators": {"improvement": {"status": "conforms"}}}', encoding="utf-8")
    load_sheet(page, CUSTOM)
    expect_sheet(page, CUSTOM_ID)
    page.check("input[name=mode][value=full]")
    answer(page, "spare-parts", "conforms")
    compare_with(page, path)
    box = page.locator("[data-compare]")
    expect(box.locator("[data-compare-sheet]")).to_have_text(
        STRINGS[lang]["compare_other_sheet"].replace("{scheme}", PUBLISHED_ID)
    )
    expect(box).to_have_attribute("data-score", "5")
    expect(box.locator("[data-category-change]")).to_have_count(0)


def test_the_sheet_and_the_comparison_survive_a_reload_and_print(page: Page, tmp_path: Path) -> None:
    path = tmp_path / "earlier.json"
    path.write_text('{"total": 72}', encoding="utf-8")
    load_sheet(page, CUSTOM)
    expect_sheet(page, CUSTOM_ID)
    page.fill("[name=total]", "81")
    compare_with(page, path)
    expect(page.locator("[data-compare]")).to_have_attribute("data-tier", "standard")
    page.reload()
    wait_ready(page)
    expect_sheet(page, CUSTOM_ID)
    expect(page.locator("[name='status:spare-parts']")).to_have_count(1)
    expect(page.locator("[data-compare]")).to_have_attribute("data-score", "72")
    expect_result(page, "81", "three-star")
    page.emulate_media(media="print")
    try:
        expect(page.locator("[data-compare]")).to_be_visible()
        expect(page.locator("[data-print-sheet]")).to_be_visible()
        expect(page.locator("[data-print-sheet]")).to_contain_text(CUSTOM_TITLE["en"])
    finally:
        page.emulate_media(media="screen")


def test_nothing_leaves_the_browser(page: Page, tmp_path: Path) -> None:
    """Loading a sheet and comparing make no request at all: the files are read in the page and
    go only to the engine's worker."""
    made: list[str] = []
    page.context.on("request", lambda request: made.append(request.url))
    load_sheet(page, CUSTOM)
    expect_sheet(page, CUSTOM_ID)
    path = tmp_path / "earlier.json"
    path.write_text('{"total": 72}', encoding="utf-8")
    compare_with(page, path)
    expect(page.locator("[data-compare]")).to_be_visible()
    assert made == []


def test_the_new_controls_work_by_keyboard_alone(browser: Browser, site_server: str, tmp_path: Path) -> None:
    """Tab reaches the sheet's file input (Space opens the chooser), the way back to the
    published sheet (Enter), the comparison's file input and its remove button (Space)."""
    session = Session(browser, site_server)
    try:
        page = session.open(PAGE_PATHS["en"])
        wait_ready(page)
        earlier = tmp_path / "earlier.json"
        earlier.write_text('{"total": 90}', encoding="utf-8")

        def tab_to(selector: str) -> None:
            for _ in range(120):
                page.keyboard.press("Tab")
                if page.evaluate("(s) => document.activeElement?.matches(s)", selector):
                    return
            raise AssertionError(f"{selector} never took the focus")

        # Playwright takes over the browser's file chooser once the page has a listener for it,
        # which takes effect a moment later: listen before the first key is pressed.
        page.on("filechooser", lambda chooser: None)
        tab_to("input[name=scheme]")
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(str(CUSTOM))
        expect_sheet(page, CUSTOM_ID)
        tab_to("[data-action=published-sheet]")
        page.keyboard.press("Enter")
        expect_sheet(page, PUBLISHED_ID)
        expect(page.locator("input[name=scheme]")).to_be_focused()
        tab_to("input[name=compare]")
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(str(earlier))
        expect(page.locator("[data-compare]")).to_have_attribute("data-score", "90")
        tab_to("[data-action=remove-compare]")
        page.keyboard.press("Space")
        expect(page.locator("[data-compare]")).to_be_hidden()
        assert not session.errors
    finally:
        session.close()


def test_a_sheets_words_are_shown_as_text_never_as_markup(page: Page, tmp_path: Path) -> None:
    """Names and descriptions that look like markup, or like the templates' placeholders, are
    shown as written."""
    sheet = json.loads(CUSTOM.read_text(encoding="utf-8"))
    sheet["title"]["en"] = "<b>Bold</b> sheet"
    indicator = sheet["categories"][0]["indicators"][0]
    indicator["name"]["en"] = '<img src="x" data-injected> __POINTS__'
    indicator["description"]["en"] = "__ID__ & <script>"
    path = tmp_path / "markup.json"
    path.write_text(json.dumps(sheet), encoding="utf-8")
    load_sheet(page, path)
    expect_sheet(page, CUSTOM_ID)
    expect(page.locator("[data-sheet-name]")).to_contain_text("<b>Bold</b> sheet")
    label = page.locator(f"label[for='calc-status-{indicator['id']}']")
    expect(label).to_contain_text('<img src="x" data-injected> __POINTS__')
    expect(page.locator(f"#calc-status-{indicator['id']}-description")).to_have_text("__ID__ & <script>")
    expect(page.locator("[data-injected], [data-calculator] b")).to_have_count(0)
