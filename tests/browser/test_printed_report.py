"""The calculator's report and input in Chromium: the report's details (organisation, assessor,
date) typed, exported, imported and kept; the printed report on A4 and Letter in both languages,
read back from the PDF; numbers typed with a Chinese input method; and the improvements linked to
the guide's explanation of each indicator.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from calcpage import (
    FULL_ASSESSMENT,
    INDICATORS,
    LANGUAGES,
    PAGE_PATHS,
    ROOT,
    STRINGS,
    Session,
    answer,
    cpython,
    expect_result,
    fill_full,
    form_fields,
    result,
    saved_fields,
    wait_ready,
)
from playwright.sync_api import Page, Route, expect
from pypdf import PdfReader

from calculator import browser as engine

SCHEME = json.loads(engine.scheme())
NAMES = {i["id"]: i["name"] for c in SCHEME["categories"] for i in c["indicators"]}
TIER_NAMES = {t["id"]: t["name"] for t in SCHEME["tiers"]}

DETAILS = {"organisation": "Acme 售后服务有限公司", "assessor": "Li Ming 李明", "assessment_date": "2026-03-31"}


@pytest.fixture(scope="module")
def pages(session: Session) -> dict[str, Page]:
    """One calculator page per language, engine ready."""
    opened = {lang: session.open(PAGE_PATHS[lang]) for lang in LANGUAGES}
    for page in opened.values():
        wait_ready(page)
    return opened


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def page(pages: dict[str, Page], lang: str, session: Session) -> Iterator[Page]:
    """The calculator in ``lang``, cleared ("Start over") and in quick mode."""
    page = pages[lang]
    page.emulate_media(media="screen")
    page.click("[data-action=reset]")
    page.check("input[name=mode][value=quick]")
    expect(page.locator("[data-result]")).to_have_attribute("data-score", "")
    yield page
    assert not session.errors


def fill_details(page: Page, details: dict[str, str] = DETAILS) -> None:
    for name, value in details.items():
        page.fill(f"[name={name}]", value)


def fmt(template: str, **values: Any) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def squash(text: str) -> str:
    """Text without any white space, ligatures (ﬁ) read as their letters, in lower case: how a
    PDF's text is compared, whatever its line breaks and typesetting (labels print in capitals)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


# --- the report's details -----------------------------------------------------------------------


def test_details_are_exported_scored_on_the_command_line_and_imported(page: Page, lang: str, tmp_path: Path) -> None:
    """Organisation, assessor and date typed into the form go into the exported file; the
    command line reads that file and gives the page's result with the same details, and importing
    the file into a cleared form puts them back."""
    fill_details(page, {**DETAILS, "organisation": "  " + DETAILS["organisation"] + "\u3000"})
    fill_full(page)
    expect(page.locator("[data-result]")).not_to_have_attribute("data-score", "")
    fields = form_fields(page)
    with page.expect_download() as download:
        page.click("[data-action=export]")
    path = tmp_path / "assessment.json"
    download.value.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["organisation"].strip() == DETAILS["organisation"]
    assert (exported["assessor"], exported["assessment_date"]) == (DETAILS["assessor"], DETAILS["assessment_date"])
    cli = subprocess.run([sys.executable, "-m", "calculator", "score", str(path), "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    scored = json.loads(cli.stdout)
    assert {key: scored[key] for key in DETAILS} == DETAILS
    assert result(page)["score"] == str(scored["score"])

    page.click("[data-action=reset]")
    expect(page.locator("[name=organisation]")).to_have_value("")
    page.set_input_files("input[type=file][name=import]", str(path))
    expect(page.locator("[name=assessor]")).to_have_value(DETAILS["assessor"])
    assert form_fields(page) == fields


def test_details_are_kept_in_the_browser(page: Page) -> None:
    """The details are saved with the answers and come back after a reload."""
    fill_details(page)
    page.fill("[name=total]", "80")
    expect_result(page, "80", "three-star")
    saved = saved_fields(page) or {}
    assert {key: saved.get(key) for key in DETAILS} == DETAILS
    page.reload()
    wait_ready(page)
    for name, value in DETAILS.items():
        expect(page.locator(f"[name={name}]")).to_have_value(value)


def test_a_date_that_is_not_one_is_explained_next_to_its_field(page: Page, lang: str) -> None:
    """A date not written YYYY-MM-DD, or a day the calendar lacks, gets the engine's message next
    to the field, in the page's language; the score is not shown until it is corrected."""
    page.fill("[name=total]", "80")
    for typed in ("31/03/2026", "2026-02-30"):
        page.fill("[name=assessment_date]", typed)
        page.locator("[name=total]").focus()
        message = cpython({"total": 80, "assessment_date": typed}, lang)["errors"][0]["message"]
        expect(page.locator("#calc-assessment_date-error")).to_have_text(message)
        expect(page.locator("[name=assessment_date]")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("[data-result]")).to_have_attribute("data-score", "")
    page.fill("[name=assessment_date]", "２０２６－０３－３１")
    expect_result(page, "80", "three-star")
    expect(page.locator("#calc-assessment_date-error")).to_be_empty()


# --- typing as people type ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["８５．５", "８５。５", "\u300085.5\u3000", " ８５.５ ", "＋85.5"])
def test_numbers_typed_with_a_chinese_input_method_score_the_same(page: Page, typed: str) -> None:
    """The quick form's total typed with full-width digits and punctuation, or with spaces
    around it, gives the result of 85.5, exactly; the field keeps what was typed."""
    want = cpython({"total": 85.5, "special_deductions": 2})["result"]
    page.fill("[name=special_deductions]", "２")
    page.fill("[name=total]", typed)
    expect_result(page, str(want["score"]), want["tier"])
    expect(page.locator("[name=total]")).to_have_value(typed)
    expect(page.locator("#calc-total-error")).to_be_empty()


def test_full_width_numbers_in_full_mode_give_the_exact_result(page: Page) -> None:
    """Samples, nonconforming samples and points typed full-width give the result of the same
    assessment typed in ASCII."""
    fill_full(page)
    answer(page, "staffing", "sampled", samples="１２", nonconforming="１")
    answer(page, "delivery", "scored", points="４．７５")
    want = cpython(FULL_ASSESSMENT)["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)


@pytest.mark.parametrize("typed", ["85,5", "８５，５", "8 5", "85。", "85.5分"])
def test_anything_else_still_gets_the_fields_message(page: Page, lang: str, typed: str) -> None:
    """A comma, a space inside, a trailing full stop or a unit are still refused, with the
    field's message in the page's language."""
    page.fill("[name=total]", typed)
    page.locator("[name=special_deductions]").focus()
    message = cpython({"total": typed}, lang)["errors"][0]["message"]
    expect(page.locator("#calc-total-error")).to_have_text(message)
    expect(page.locator("[data-result]")).to_have_attribute("data-score", "")


def test_an_imported_file_with_numbers_as_typed_text_scores_the_same(page: Page, tmp_path: Path) -> None:
    """A file giving numbers as full-width text imports, shows them as given and scores as the
    command line scores it, the same as with plain numbers."""
    typed = {
        "indicators": {i: {"status": "conforms"} for i in INDICATORS}
        | {"repair": {"status": "sampled", "samples": "１０", "nonconforming": "３"},
           "delivery": {"status": "scored", "points": "４．７５"}},
        "special_deductions": "\u3000１",
        "special_bonus": False,
    }
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(typed, ensure_ascii=False), encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "calculator", "score", str(path), "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    scored = json.loads(cli.stdout)
    plain = json.loads(json.dumps(typed).replace('"\\uff11\\uff10"', "10").replace('"\\uff13"', "3")
                       .replace('"\\uff14\\uff0e\\uff17\\uff15"', "4.75").replace('"\\u3000\\uff11"', "1"))
    assert scored == cpython(plain)["result"]
    page.set_input_files("input[type=file][name=import]", str(path))
    expect_result(page, str(scored["score"]), scored["tier"])
    expect(page.locator("[name='points:delivery']")).to_have_value("４．７５")
    expect(page.locator("[data-calculator-alert]")).to_be_empty()


# --- the printed report -------------------------------------------------------------------------


def printed(page: Page, paper: str) -> tuple[int, list[str]]:
    """The page printed to PDF on ``paper`` as the print dialog would (print media, the page's
    own styles): the number of pages and each page's text. Chinese text needs a font with its
    glyphs on the machine (scripts/ensure-chromium installs one), or it prints as empty boxes."""
    page.emulate_media(media="print")
    try:
        pdf = page.pdf(format=paper, print_background=True)
    finally:
        page.emulate_media(media="screen")
    reader = PdfReader(io.BytesIO(pdf))
    texts = [p.extract_text() for p in reader.pages]
    assert not any("\x00" in text for text in texts), "text printed as empty boxes: no font has its glyphs"
    return len(reader.pages), texts


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_full_report_gives_everything(page: Page, lang: str, paper: str) -> None:
    """A full self-assessment printed on A4 or Letter, read back from the PDF: the details, the
    score and tier marked as a self-assessment, the provisional range, the category chart, every
    indicator with its answer and points, the improvements, the scoring sheet used, "page / pages"
    at each page's foot and the disclaimer; on one page."""
    t = STRINGS[lang]
    fill_details(page)
    fill_full(page)
    want = cpython(FULL_ASSESSMENT | DETAILS, lang)["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    count, texts = printed(page, paper)
    assert count == 1
    for number, text in enumerate(texts, 1):
        assert f"{number} / {count}" in [line.strip() for line in text.splitlines()], text
    text = squash("\n".join(texts))

    for value in DETAILS.values():
        assert squash(value) in text
    assert squash(t["print_title"]) in text
    assert squash(t["score_label"] + str(want["score"])) in text
    assert squash(TIER_NAMES[want["tier"]][lang] + t["tier_self"]) in text
    provisional = fmt(t["provisional"], count=len(want["unanswered"]), total=len(INDICATORS),
                      low=TIER_NAMES[want["tier"]][lang], low_score=want["score"],
                      high=TIER_NAMES[want["best"]["tier"]][lang], high_score=want["best"]["score"])
    assert squash(provisional) in text
    assert squash(t["categories_heading"]) in text
    for category in SCHEME["categories"]:
        assert squash(category["name"][lang]) in text
    for row in want["indicators"]:
        points = fmt(t["answer_points_none"] if row["earned"] is None else t["answer_points_value"], **row)
        assert squash(NAMES[row["indicator"]][lang]) in text and squash(points) in text
    assert squash(t["improvements_heading"]) in text
    for item in want["improvements"][:5]:
        assert squash(f"{NAMES[item['indicator']][lang]}") in text and squash(f"+{item['gain']}") in text
    sheet = t["report_sheet_indicative"] if SCHEME["indicative"] else t["report_sheet"]
    assert squash(fmt(sheet, title=SCHEME["title"][lang])) in text
    assert squash(t["note"]) in text


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_quick_report_is_one_page(page: Page, lang: str, paper: str) -> None:
    """A quick score prints on one page with its details, score, tier and disclaimer, and no
    details it was not given."""
    t = STRINGS[lang]
    fill_details(page, {"organisation": DETAILS["organisation"]})
    page.fill("[name=total]", "91")
    expect_result(page, "91", "four-star")
    count, texts = printed(page, paper)
    text = squash("\n".join(texts))
    assert count == 1 and "1 / 1" in texts[0].splitlines()
    assert squash(f"{t['report_organisation']}{DETAILS['organisation']}") in text
    assert squash(t["report_assessor"]) not in text
    assert squash(t["score_label"] + "91") in text and squash(t["note"]) in text


def test_the_result_area_prints_whole(page: Page) -> None:
    """What the result area holds prints, the place kept for a comparison included; the form and
    the rest of the page do not."""
    fill_full(page)
    expect(page.locator("[data-result]")).not_to_have_attribute("data-score", "")
    page.eval_on_selector("[data-result-comparison]", "e => e.append(Object.assign(document.createElement('p'), {textContent: 'Earlier: 50'}))")
    page.emulate_media(media="print")
    try:
        expect(page.locator("[data-calculator-form]")).to_be_hidden()
        expect(page.locator("h1")).to_be_hidden()
        expect(page.locator("[data-result-comparison]")).to_be_visible()
        expect(page.locator("[data-result-answers] table")).to_be_visible()
    finally:
        page.emulate_media(media="screen")
        page.eval_on_selector("[data-result-comparison]", "e => e.replaceChildren()")


# --- the improvements link to the guide ---------------------------------------------------------


def guide_links(page: Page) -> dict[str, str]:
    return json.loads(page.locator("[data-calculator-guide]").text_content() or "{}")


def test_every_indicator_links_to_an_anchor_the_guide_has(page: Page, lang: str, session: Session) -> None:
    """The page knows a link for every indicator of the sheet; each is relative, stays on the
    site in the page's language, and its anchor is on the built guide page, on the row that names
    the indicator."""
    links = guide_links(page)
    assert set(links) == set(INDICATORS)
    guide = session.context.new_page()
    try:
        for indicator, link in links.items():
            assert not urlsplit(link).scheme and not link.startswith("/")
            url = urljoin(page.url, link)
            assert url.startswith(session.base_url + ("zh/" if lang == "zh" else ""))
            if guide.url.split("#")[0] != url.split("#")[0]:
                guide.goto(url)
            assert guide.url.split("#")[0] == url.split("#")[0]
            anchor = guide.locator(f"[id='{urlsplit(url).fragment}']")
            expect(anchor).to_have_count(1)
            expect(anchor).to_have_text(NAMES[indicator][lang])
    finally:
        guide.close()


def test_each_improvement_links_to_its_explanation(page: Page, lang: str) -> None:
    """Each entry of "what would add most" names its indicator as a link to the guide; following
    it lands on that indicator's row, in the page's language."""
    fill_full(page)
    want = cpython(FULL_ASSESSMENT, lang)["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    items = page.locator("[data-result-improvements] li")
    expect(items).to_have_count(min(5, len(want["improvements"])))
    for n, item in enumerate(want["improvements"][:5]):
        link = items.nth(n).locator("a")
        expect(link).to_have_text(NAMES[item["indicator"]][lang])
        expect(link).to_have_attribute("href", guide_links(page)[item["indicator"]])
    first = want["improvements"][0]["indicator"]
    items.first.locator("a").click()
    expect(page).to_have_url(re.compile(f"after-sales-certification/#indicator-{first}$"))
    expect(page.locator(f"#indicator-{first}")).to_be_in_viewport()
    page.go_back()
    wait_ready(page)


def test_an_indicator_the_guide_does_not_explain_is_not_linked(session: Session) -> None:
    """Where the guide has no explanation of an indicator (as for a scoring sheet's own
    indicators), its entry is plain text and the others keep their links."""
    page = session.context.new_page()

    def without_repair(route: Route) -> None:
        response = route.fetch()
        body = re.sub(r'"repair":"[^"]*",?', "", response.text())
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*/calculator/$"), without_repair)
    try:
        page.goto(session.base_url + PAGE_PATHS["en"])
        wait_ready(page)
        assert "repair" not in guide_links(page)
        page.click("[data-action=reset]")
        page.check("input[name=mode][value=full]")
        answer(page, "repair", "nonconforming")
        answer(page, "complaint-handling", "nonconforming")
        repair = page.locator("[data-result-improvements] li[data-indicator=repair]")
        expect(repair).to_contain_text(NAMES["repair"]["en"])
        expect(repair.locator("a")).to_have_count(0)
        expect(page.locator("[data-result-improvements] li[data-indicator=complaint-handling] a")).to_have_count(1)
    finally:
        page.close()
