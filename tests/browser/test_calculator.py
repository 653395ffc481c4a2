"""The calculator page in Chromium: the built site served under a sub-path, the scoring package
running in self-hosted Pyodide, compared with the same package on CPython.

One page is shared by most tests (Pyodide takes a few seconds to start per page load); each test
starts from a cleared form.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from calcpage import (
    FULL_ASSESSMENT,
    GOLDEN,
    INDICATORS,
    PAGE_PATHS,
    ROOT,
    Session,
    answer,
    cpython,
    expect_result,
    fill_full,
    form_fields,
    golden_names,
    result,
    wait_ready,
)
from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def shared_page(session: Session) -> Page:
    page = session.open(PAGE_PATHS["en"])
    wait_ready(page)
    return page


@pytest.fixture
def page(shared_page: Page, session: Session) -> Iterator[Page]:
    """The shared English calculator page, cleared ("Start over") and in quick mode."""
    shared_page.click("[data-action=reset]")
    shared_page.check("input[name=mode][value=quick]")
    expect(shared_page.locator("[data-result]")).to_have_attribute("data-score", "")
    yield shared_page
    assert not session.errors


def test_page_is_usable_while_the_engine_loads(browser: Browser, site_server: str) -> None:
    """On a first visit the form takes input at once; a progress indicator shows while Pyodide
    loads; the result appears as soon as it is ready."""
    session = Session(browser, site_server)
    page = session.open(PAGE_PATHS["en"])
    root = page.locator("[data-calculator]")
    expect(root).to_have_attribute("data-engine", "loading")
    expect(page.locator(".calc__progress")).to_be_visible()
    page.fill("[name=total]", "91")
    wait_ready(page)
    expect(page.locator(".calc__progress")).to_be_hidden()
    expect_result(page, "91", "four-star")
    assert session.outside() == [] and not session.errors
    session.context.close()


@pytest.mark.parametrize(
    ("total", "deductions", "bonus"),
    [
        ("69.99", "0", False),
        ("70", "0", False),
        ("79.999", "0", False),
        ("79", "0", True),
        ("80", "0", False),
        ("90", "1", False),
        ("91", "1", False),
        ("95", "0", False),
        ("100", "4", False),
        ("99", "5", False),
    ],
)
def test_quick_mode_gives_every_tier(page: Page, total: str, deductions: str, bonus: bool) -> None:
    """Each tier and both fail reasons, from the quick inputs, exactly as the package on CPython."""
    page.fill("[name=total]", total)
    page.fill("[name=special_deductions]", deductions)
    page.set_checked("[name=special_bonus]", bonus)
    want = cpython(
        f'{{"total": {total}, "special_deductions": {deductions}, "special_bonus": {json.dumps(bonus)}}}'
    )["result"]
    expect_result(page, str(want["score"]), want["tier"])
    verdict = page.locator(".calc__verdict")
    if want["fail_reason"] == "special_deductions":
        expect(verdict).to_contain_text("5 or more fail whatever the score")
    elif want["fail_reason"] == "score":
        expect(verdict).to_contain_text("below 70")
    else:
        expect(verdict).to_have_text("Passed")


def test_result_follows_every_keystroke(page: Page) -> None:
    """Typing updates the result live, character by character, and the newest input wins."""
    field = page.locator("[name=total]")
    field.press_sequentially("8")
    expect_result(page, "8", "fail")
    field.press_sequentially("5")
    expect_result(page, "85", "three-star")
    field.press_sequentially(".5")
    expect_result(page, "85.5", "three-star")
    field.press("Backspace")
    field.press("Backspace")
    field.press("Backspace")
    field.press_sequentially("2")
    expect_result(page, "82", "three-star")


def test_invalid_input_is_explained_next_to_its_field(page: Page) -> None:
    """The engine's message for a bad number shows next to that field, as an alert the field
    refers to; the result is withdrawn (no tier) until the input is valid again."""
    page.fill("[name=total]", "eighty")
    want = cpython({"total": "eighty"})["errors"][0]
    error = page.locator("#calc-total-error")
    expect(error).to_have_text(want["message"])
    expect(error).to_have_attribute("role", "alert")
    field = page.locator("[name=total]")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "calc-total-error" in (field.get_attribute("aria-describedby") or "").split()
    expect(page.locator("[data-result]")).to_have_attribute("data-tier", "")
    page.fill("[name=total]", "80")
    expect_result(page, "80", "three-star")
    expect(error).to_be_empty()
    expect(field).not_to_have_attribute("aria-invalid", "true")


def test_full_mode_provisional_range(page: Page) -> None:
    """With indicators unanswered the result is provisional and shows the range between the
    conservative tier and the best case; answering the rest settles it."""
    page.check("input[name=mode][value=full]")
    expect(page.locator("[data-mode-panel=full]")).to_be_visible()
    expect(page.locator("[data-mode-panel=quick]")).to_be_hidden()
    for indicator in INDICATORS[:10]:
        answer(page, indicator, "conforms")
    indicators = {i: {"status": "conforms"} for i in INDICATORS[:10]}
    want = cpython({"indicators": indicators})["result"]
    assert want["provisional"] and want["tier"] != want["best"]["tier"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    rng = page.locator("[data-result-range]")
    expect(rng).to_contain_text("Fail")
    expect(rng).to_contain_text("Five-star")
    expect(rng).to_contain_text(str(want["best"]["score"]))
    for indicator in INDICATORS[10:]:
        answer(page, indicator, "conforms")
    expect_result(page, "100", "five-star", provisional=False)
    expect(page.locator("[data-result-range]")).to_have_count(0)
    expect(page.locator("[data-result-next]")).to_have_text("The top tier is reached.")


def test_full_mode_details_bars_and_improvements(page: Page) -> None:
    """Sampled and scored answers reveal their fields; the result has a bar per category and the
    indicators that would add most, as the engine ranks them."""
    fill_full(page)
    expect(page.locator("[name='samples:staffing']")).to_be_visible()
    expect(page.locator("[name='points:delivery']")).to_be_visible()
    expect(page.locator("[name='points:staffing']")).to_be_hidden()
    assert form_fields(page)["status:take-back"] == "excluded"
    want = cpython(FULL_ASSESSMENT)["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    expect(page.locator("[data-result-categories] svg")).to_have_count(3)
    items = page.locator("[data-result-improvements] li")
    expect(items.first).to_have_attribute("data-indicator", want["improvements"][0]["indicator"])
    expect(items.first).to_contain_text(f"+{want['improvements'][0]['gain']}")
    expect(page.locator("[data-result-next]")).to_contain_text(str(want["next_tier"]["points_needed"]))
    expect(page.locator(".calc__note")).to_contain_text("certification body")


@pytest.mark.parametrize("name", golden_names())
def test_golden_case_imported(page: Page, name: str) -> None:
    """Importing each golden assessment file gives its expected result."""
    expected = json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))
    want = cpython((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))["result"]
    assert {key: want[key] for key in expected} == expected
    page.set_input_files("input[type=file][name=import]", str(GOLDEN / f"{name}.json"))
    expect_result(page, str(want["score"]), want["tier"], want["provisional"])
    mode = "quick" if name.startswith("quick") else "full"
    expect(page.locator(f"input[name=mode][value={mode}]")).to_be_checked()
    if want["next_tier"]:
        expect(page.locator("[data-result-next]")).to_contain_text(str(want["next_tier"]["points_needed"]))
    if want["provisional"]:
        expect(page.locator("[data-result-range]")).to_contain_text(str(want["best"]["score"]))
    expect(page.locator("[data-calculator-alert]")).to_be_empty()


def test_export_import_round_trip_scores_the_same_on_the_command_line(page: Page, tmp_path: Path) -> None:
    """The exported file is the engine's assessment JSON: `python3 -m calculator score` gives the
    page's result, and importing it back restores every answer."""
    fill_full(page)
    expect(page.locator("[data-result]")).not_to_have_attribute("data-score", "")
    shown = result(page)
    fields = form_fields(page)
    with page.expect_download() as download:
        page.click("[data-action=export]")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".json"
    cli = subprocess.run(
        [sys.executable, "-m", "calculator", "score", str(path), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    scored = json.loads(cli.stdout)
    assert shown == {"score": str(scored["score"]), "tier": scored["tier"], "provisional": "true"}
    assert scored == cpython(path.read_text(encoding="utf-8"))["result"]

    page.click("[data-action=reset]")
    expect(page.locator("[data-result]")).to_have_attribute("data-score", "")
    page.set_input_files("input[type=file][name=import]", str(path))
    expect_result(page, shown["score"], shown["tier"], provisional=True)
    assert form_fields(page) == fields


def test_import_refuses_a_file_the_form_cannot_hold(page: Page, tmp_path: Path) -> None:
    """A file with an unknown status is refused with the engine's message in an alert, and the
    answers on the page stay as they were."""
    page.fill("[name=total]", "88")
    expect_result(page, "88", "three-star")
    bad = tmp_path / "bad.json"
    bad.write_text('{"indicators": {"repair": {"status": "perfect"}}}', encoding="utf-8")
    page.set_input_files("input[type=file][name=import]", str(bad))
    message = cpython(bad.read_text())["errors"][0]["message"]
    expect(page.locator("[role=alert][data-calculator-alert]")).to_contain_text(message)
    expect(page.locator("[name=total]")).to_have_value("88")
    expect_result(page, "88", "three-star")


def test_import_asks_before_replacing_unsaved_answers(page: Page, session: Session) -> None:
    """Importing over answers never exported asks first; declining keeps them."""
    page.fill("[name=total]", "77")
    expect_result(page, "77", "standard")
    golden = str(GOLDEN / "quick-five-star.json")
    session.dialogs.clear()
    session.accept_dialogs = False
    try:
        with page.expect_event("dialog"):
            page.set_input_files("input[type=file][name=import]", golden)
        assert session.dialogs == ["Replace the current answers with the file’s?"]
        expect(page.locator("[name=total]")).to_have_value("77")
        expect_result(page, "77", "standard")
    finally:
        session.accept_dialogs = True
    page.set_input_files("input[type=file][name=import]", golden)
    expect(page.locator("[name=total]")).not_to_have_value("77")
    assert len(session.dialogs) == 2


def test_share_link_carries_the_assessment(page: Page, session: Session, browser: Browser) -> None:
    """The share link holds the assessment in its fragment (never sent to the server); opened in a
    fresh browser it gives the same answers and result."""
    fill_full(page)
    expect(page.locator("[data-result]")).not_to_have_attribute("data-score", "")
    shown = result(page)
    page.click("[data-action=share]")
    link = page.locator("input[name=share-link]")
    expect(link).to_be_visible()
    url = link.input_value()
    assert url.startswith(session.base_url + "calculator/#assessment=")

    other = Session(browser, session.base_url)
    try:
        fresh = other.context.new_page()
        fresh.goto(url)
        wait_ready(fresh)
        expect_result(fresh, shown["score"], shown["tier"], provisional=True)
        expect(fresh.locator("[name='samples:staffing']")).to_have_value("12")
        expect(fresh.locator("[name='points:delivery']")).to_have_value("4.75")
        assert urlsplit(fresh.url).fragment == ""
        assert not [u for u in other.urls if "assessment" in u]
        assert not other.outside()
    finally:
        other.context.close()


def test_autosave_survives_a_reload(page: Page) -> None:
    """Answers are kept in the browser and come back after a reload."""
    page.check("input[name=mode][value=full]")
    answer(page, "repair", "sampled", samples="10", nonconforming="3")
    answer(page, "organisation", "conforms")
    want = cpython({"indicators": {"repair": {"status": "sampled", "samples": 10, "nonconforming": 3},
                                   "organisation": {"status": "conforms"}}})["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)  # both answers scored
    page.reload()
    wait_ready(page)
    expect(page.locator("input[name=mode][value=full]")).to_be_checked()
    expect(page.locator("[name='nonconforming:repair']")).to_have_value("3")
    expect_result(page, str(want["score"]), want["tier"], provisional=True)


def test_print_view_is_one_page(page: Page) -> None:
    """Printing a full self-assessment gives a single page: the result and the answers."""
    fill_full(page)
    expect(page.locator("[data-result]")).not_to_have_attribute("data-score", "")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    page.emulate_media(media="print")
    try:
        expect(page.locator("[data-calculator-form]")).to_be_hidden()
        expect(page.locator("[data-result-answers] table")).to_be_visible()
        expect(page.locator("h1")).to_be_hidden()
    finally:
        page.emulate_media(media="screen")


def test_every_field_is_labelled(page: Page) -> None:
    """Every input and select has a label; categories are fieldsets with legends."""
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('[data-calculator] input, [data-calculator] select')]
              .filter(e => !e.labels?.length && !e.getAttribute('aria-label')).map(e => e.name)"""
    )
    assert unlabelled == []
    expect(page.locator("fieldset.calc__category > legend")).to_have_count(3)


def test_chinese_page(session: Session) -> None:
    """The Chinese page has Chinese labels from the scheme and Chinese messages from the engine,
    and scores the same."""
    page = session.open(PAGE_PATHS["zh"])
    wait_ready(page)
    page.click("[data-action=reset]")
    page.check("input[name=mode][value=full]")
    expect(page.locator("fieldset.calc__category > legend").first).to_contain_text("售后服务体系")
    expect(page.locator("label[for='calc-status-repair']")).to_contain_text("维修")
    fill_full(page)
    want = cpython(FULL_ASSESSMENT, "zh")["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    expect(page.locator("[data-result-range]")).to_contain_text("暂定结果")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", page.pdf(format="A4"))) == 1
    page.fill("[name='points:delivery']", "9")
    message = cpython({"indicators": {"delivery": {"status": "scored", "points": 9}}}, "zh")["errors"][0]["message"]
    expect(page.locator("#calc-points-delivery-error")).to_have_text(message)
    assert message != cpython({"indicators": {"delivery": {"status": "scored", "points": 9}}})["errors"][0]["message"]
    page.close()


def test_nothing_is_fetched_from_another_host(session: Session, shared_page: Page) -> None:
    """Every request of every page above stayed on the site's own origin and base path, and the
    engine came from the versioned Pyodide folder."""
    assert session.urls
    assert session.outside() == []
    assert any("/assets/pyodide/314.0.7/pyodide.asm.wasm" in url for url in session.urls)
    assert any(url.endswith(".whl") for url in session.urls)
    assert not session.errors
