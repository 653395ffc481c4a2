"""The calculator when things go wrong: engine files that cannot be fetched, a download that
stalls or crawls, an engine that dies, wrong or hostile input, saved answers that are damaged,
storage that is full or turned off. The page always says what happened and what to do next, in
its own language, and never loses what was typed.

The engine's watchdog waits 30 s on the site; these tests shorten it through the page's
data-engine-timeout attribute. Tests in a module share one browser context (its cache keeps
page loads short) and, where the state allows, one page.
"""

from __future__ import annotations

import base64
import io
import json
import random
import re
import time
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
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
    blocked,
    cpython,
    engine_worker,
    expect_result,
    forget_stored_engine,
    form_fields,
    root,
    saved_fields,
    set_hooks,
    wait_engine,
    wait_ready,
)
from playwright.sync_api import Browser, Page, Route, expect

from calculator import browser as engine

EN = STRINGS["en"]
FAULT_TIMEOUT = 10  # s: bounds the block tests, should Pyodide wait rather than fail


def typed_answers(page: Page) -> None:
    """Some work in full mode: every kind of field holds something."""
    page.check("input[name=mode][value=full]")
    answer(page, "organisation", "conforms")
    answer(page, "repair", "sampled", samples="10", nonconforming="3")
    answer(page, "delivery", "scored", points="4.5")
    answer(page, "take-back", "excluded")
    page.fill("[name=special_deductions]", "2")
    page.check("[name=special_bonus]")


TYPED_ASSESSMENT = {
    "indicators": {
        "organisation": {"status": "conforms"},
        "repair": {"status": "sampled", "samples": 10, "nonconforming": 3},
        "delivery": {"status": "scored", "points": 4.5},
        "take-back": {"status": "excluded"},
    },
    "special_deductions": 2,
    "special_bonus": True,
}


def tier_table_rows(page: Page) -> list[str]:
    """The rows of the first table after the calculator page's #tiers heading, as text."""
    return page.evaluate(
        """() => {
            const heading = document.getElementById("tiers");
            let node = heading?.nextElementSibling;
            while (node && !node.querySelector?.("table") && node.tagName !== "TABLE") node = node.nextElementSibling;
            const table = node?.tagName === "TABLE" ? node : node?.querySelector("table");
            if (!table || !table.checkVisibility()) return [];
            return [...table.rows].map((row) => row.innerText.replace(/\\s+/g, " ").trim());
        }"""
    )


def expect_error_state(page: Page, lang: str, reason: str) -> None:
    """The engine is marked failed; an alert in the page's language says why, that the answers
    are kept, and offers Try again and the tier table; no progress indicator is left spinning;
    the tier table explains the rules without the engine."""
    t = STRINGS[lang]
    wait_engine(page, "error")
    alert = page.locator("[data-calculator-alert]")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text(reason)
    expect(alert).to_contain_text(t["engine_kept"])
    expect(alert.locator("button[data-action=retry]")).to_have_text(t["retry"])
    expect(alert.locator("a[href='#tiers']")).to_have_text(t["tiers_link"])
    expect(page.locator("[data-engine-status]")).to_be_hidden()
    expect(page.locator("[data-result-body]")).to_have_text(t["result_unavailable"])
    assert page.locator("html").get_attribute("lang") == lang
    rows = tier_table_rows(page)
    assert len(rows) == 6, rows
    for minimum in ("70", "80", "90", "95"):
        assert any(minimum in row for row in rows), (minimum, rows)
    assert "5" in rows[1], rows  # the fail row names the 5 special deductions


# --- faults ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def work_tab(session: Session) -> Page:
    """The English calculator with some work typed in (and so autosaved)."""
    page = session.open(PAGE_PATHS["en"])
    wait_ready(page)
    typed_answers(page)
    want = cpython(TYPED_ASSESSMENT)["result"]
    expect_result(page, str(want["score"]), want["tier"], provisional=True)
    return page


@pytest.fixture
def work(work_tab: Page) -> Page:
    """The tab with the work, in front (a tab in the background has its timers slowed)."""
    work_tab.bring_to_front()
    return work_tab


@pytest.fixture(scope="module")
def typed(work_tab: Page) -> dict[str, str]:
    """Every answer the work tab holds, as typed."""
    return form_fields(work_tab)


@pytest.mark.parametrize("name", list(ENGINE_FILES))
def test_a_missing_engine_file_is_reported(session: Session, work: Page, typed: dict[str, str], name: str) -> None:
    """Whichever engine file fails to load on a first visit, the page ends in the error state
    (never a spinner for ever), with every answer typed before still in the form after the
    reload."""
    set_hooks(work, engineTimeout=FAULT_TIMEOUT)
    forget_stored_engine(work)
    with blocked_file(session, name):
        work.reload()
        expect_error_state(work, "en", EN["engine_failed"])
    assert form_fields(work) == typed


def test_a_module_missing_from_the_standard_library_is_reported(
    session: Session, work: Page, typed: dict[str, str], built_site: Path
) -> None:
    """Were the engine's standard library to lack a module the engine imports, the page would end
    in the error state naming the module, with Try again, never a blank result; every answer
    stays."""
    (stdlib,) = (built_site / "assets" / "pyodide").glob("*/*/python_stdlib.zip")
    damaged = io.BytesIO()
    with zipfile.ZipFile(stdlib) as whole, zipfile.ZipFile(damaged, "w") as cut:
        assert "fractions.pyc" in whole.namelist()
        for info in whole.infolist():
            if info.filename != "fractions.pyc":
                cut.writestr(info, whole.read(info.filename))

    def without_fractions(route: Route) -> None:
        route.fulfill(status=200, content_type="application/zip", body=damaged.getvalue())

    set_hooks(work, engineTimeout=FAULT_TIMEOUT)
    forget_stored_engine(work)
    with blocked_file(session, "python_stdlib.zip", without_fractions):
        work.reload()
        expect_error_state(work, "en", EN["engine_failed"])
        expect(work.locator("[data-calculator-alert]")).to_contain_text("No module named 'fractions'")
    assert form_fields(work) == typed
    set_hooks(work)
    work.click("[data-calculator-alert] button[data-action=retry]")
    wait_ready(work)
    want = cpython(TYPED_ASSESSMENT)["result"]
    expect_result(work, str(want["score"]), want["tier"], provisional=True)


def test_typing_goes_on_in_the_error_state(session: Session, work: Page, typed: dict[str, str]) -> None:
    """With the engine failed, the form still takes answers, and they are saved as typed."""
    set_hooks(work, engineTimeout=FAULT_TIMEOUT)
    with blocked_file(session, "pyodide.asm.wasm"):
        work.reload()
        expect_error_state(work, "en", EN["engine_failed"])
    work.fill("[name=special_deductions]", "3")
    expect(work.locator("[name=special_deductions]")).to_have_value("3")
    assert saved_fields(work)["special_deductions"] == "3"
    work.fill("[name=special_deductions]", typed["special_deductions"])
    assert form_fields(work) == typed


def test_a_stalled_download_trips_the_watchdog(session: Session, work: Page, typed: dict[str, str]) -> None:
    """A download that stops sending (a response that never comes) is a fault once nothing has
    come from the engine for the watchdog's time: here 2 s, on the site 30 s."""
    stalled: list[Route] = []
    set_hooks(work, engineTimeout=2)
    with blocked_file(session, "pyodide.asm.wasm", lambda route: stalled.append(route)):
        work.reload()
        started = time.monotonic()
        expect_error_state(work, "en", EN["engine_stalled"].replace("{seconds}", "2"))
        assert time.monotonic() - started >= 1.9
        assert stalled, "the wasm request never reached the stalling route"
    assert form_fields(work) == typed


def test_a_worker_that_throws_is_reported(session: Session, work: Page, typed: dict[str, str]) -> None:
    """An engine script that throws as it starts is reported at once, not after the watchdog."""
    def broken(route: Route) -> None:
        route.fulfill(status=200, content_type="text/javascript", body="throw new Error('engine script broken');")

    set_hooks(work, engineTimeout=30)
    with blocked_file(session, "engine-worker.mjs", broken):
        work.reload()
        expect_error_state(work, "en", EN["engine_failed"])
    expect(work.locator("[data-calculator-alert]")).to_contain_text("engine script broken")
    assert form_fields(work) == typed


def test_try_again_recovers_with_every_answer(session: Session, work: Page, typed: dict[str, str]) -> None:
    """After a failure, Try again (once the file can be fetched) starts the engine afresh: it
    loads, and the result is that of every answer typed, before and during the failure."""
    set_hooks(work, engineTimeout=FAULT_TIMEOUT)
    with blocked_file(session, "pyodide.asm.wasm"):
        work.reload()
        expect_error_state(work, "en", EN["engine_failed"])
        answer(work, "complaint-handling", "nonconforming")
    set_hooks(work)  # the default watchdog for the new start
    work.click("[data-calculator-alert] button[data-action=retry]")
    expect(root(work)).not_to_have_attribute("data-engine", "error")
    expect(work.locator("[data-calculator-alert]")).to_be_empty()
    wait_ready(work)
    assessment = json.loads(json.dumps(TYPED_ASSESSMENT))
    assessment["indicators"]["complaint-handling"] = {"status": "nonconforming"}
    want = cpython(assessment)["result"]
    expect_result(work, str(want["score"]), want["tier"], provisional=True)
    assert form_fields(work) == typed | {"status:complaint-handling": "nonconforming"}
    work.select_option("[name='status:complaint-handling']", "")


def test_a_dying_worker_is_noticed_and_autosave_survives_it(work: Page, typed: dict[str, str]) -> None:
    """If the engine's worker dies once ready, the next change gets no answer: after the
    watchdog's time the page says the engine stopped responding. A reload brings back every
    answer and a working engine."""
    wait_ready(work)
    set_hooks(work, engineTimeout=2)
    engine_worker(work).evaluate("() => self.close()")
    work.fill("[name='points:delivery']", "5")
    expect_error_state(work, "en", EN["engine_stopped"])
    assert saved_fields(work)["points:delivery"] == "5"
    set_hooks(work)
    work.reload()
    wait_ready(work)
    assert form_fields(work) == typed | {"points:delivery": "5"}
    work.fill("[name='points:delivery']", typed["points:delivery"])


def test_a_fault_while_scoring_is_reported_at_once(work: Page, typed: dict[str, str]) -> None:
    """If answering a change fails inside the worker, the page says so at once (not after the
    watchdog's 30 s), with the reason, and keeps the change; a reload brings a working engine."""
    wait_ready(work)
    set_hooks(work, engineTimeout=30)
    engine_worker(work).evaluate(
        """() => {
            const post = self.postMessage.bind(self);
            self.postMessage = (message, ...rest) => {
                if (message?.type === "result") throw new Error("scoring broke");
                post(message, ...rest);
            };
        }"""
    )
    started = time.monotonic()
    work.fill("[name='points:delivery']", "4")
    expect_error_state(work, "en", EN["engine_broke"])
    assert time.monotonic() - started < 10
    expect(work.locator("[data-calculator-alert]")).to_contain_text("scoring broke")
    assert saved_fields(work)["points:delivery"] == "4"
    set_hooks(work)
    work.reload()
    wait_ready(work)
    assert form_fields(work) == typed | {"points:delivery": "4"}
    work.fill("[name='points:delivery']", typed["points:delivery"])


def test_the_error_is_in_the_pages_language(session: Session) -> None:
    """The error state speaks the page's language: the Chinese page's, in Chinese."""
    with blocked_file(session, "pyodide.mjs"):
        page = session.open(PAGE_PATHS["zh"])
        try:
            expect_error_state(page, "zh", STRINGS["zh"]["engine_failed"])
        finally:
            page.close()


def test_a_slow_download_that_keeps_moving_is_not_a_fault(browser: Browser, site_server: str) -> None:
    """On a slow connection the engine's files take several times the watchdog's time to
    arrive, but bytes keep coming: the page shows how much has arrived and reports no fault.
    (The watchdog is shortened for the download only: starting Python afterwards is a silent
    second or two, more on a busy machine, which the 30 s of the site allow for.)"""
    watchdog = 1.2
    session = Session(browser, site_server, service_workers="block")
    try:
        page = session.context.new_page()
        page.on("pageerror", lambda error: session.errors.append(error.message))
        cdp = session.context.new_cdp_session(page)
        cdp.send("Network.enable")
        # 2 MB/s: the engine's 12 MB take some 6 s.
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 20, "downloadThroughput": 2_000_000, "uploadThroughput": 2_000_000},
        )
        page.goto(site_server)
        set_hooks(page, engineTimeout=watchdog)
        page.goto(site_server + PAGE_PATHS["en"])
        started = time.monotonic()
        expect(page.locator("[data-engine-bytes]")).to_contain_text("MB")
        page.wait_for_function(
            """() => { const bar = document.querySelector(".calc__progress");
                       return document.querySelector("[data-calculator]").dataset.engine !== "loading"
                              || (bar.max > 1 && bar.value / bar.max >= 0.7); }""",
            timeout=60_000,
        )
        elapsed = time.monotonic() - started
        expect(root(page)).to_have_attribute("data-engine", "loading")
        assert elapsed > 3 * watchdog, f"the download took only {elapsed:.1f} s"
        assert page.locator("[data-calculator-alert]").inner_text() == ""
        set_hooks(page)  # the site's 30 s from the next message on
        wait_engine(page, "ready")
        assert not session.errors
    finally:
        session.close()


def blocked_file(session: Session, name: str, handler: Any = None) -> AbstractContextManager[None]:
    """Requests for one of the engine's files fail (or go to ``handler``) inside the block."""
    return blocked(session.context, ENGINE_FILES[name], handler)


# --- bad input -------------------------------------------------------------------------------


class Tabs(dict):
    """The calculator in each language, opened (and its engine awaited) when first asked for."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def __missing__(self, lang: str) -> Page:
        page = self.session.open(PAGE_PATHS[lang])
        wait_ready(page)
        self[lang] = page
        return page


@pytest.fixture(scope="module")
def pages(session: Session) -> Iterator[Tabs]:
    tabs = Tabs(session)
    yield tabs
    for page in tabs.values():
        page.close()


def cleared(pages: Tabs, lang: str = "en") -> Page:
    """The calculator in ``lang``, ready, started over, in quick mode, with no alert."""
    page = pages[lang]
    page.bring_to_front()  # a tab in the background has its timers slowed
    wait_ready(page)
    page.click("[data-action=reset]")
    page.check("input[name=mode][value=quick]")
    expect(page.locator("[data-result]")).to_have_attribute("data-score", "")
    expect(page.locator("[data-calculator-alert]")).to_be_empty()
    return page


class Raw(str):
    """A JSON number kept as its text, as the page sends what is typed."""


def number_or_text(text: str) -> Any:
    """What the page sends for a field: a JSON number when the text is one, else the text."""
    return Raw(text.strip()) if re.fullmatch(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?", text.strip()) else text


def to_json(value: Any) -> str:
    """JSON text of an assessment, with each Raw number written exactly as typed."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{to_json(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


# (field, what to type, the assessment the form then holds); full-mode fields need their status.
BAD_VALUES = [
    ("total", "1e400", lambda v: {"total": v}),
    ("special_deductions", "1.5", lambda v: {"total": 80, "special_deductions": v}),
    ("samples:repair", "0", lambda v: {"indicators": {"repair": {"status": "sampled", "samples": v, "nonconforming": 0}}}),
    ("nonconforming:repair", "11", lambda v: {"indicators": {"repair": {"status": "sampled", "samples": 10, "nonconforming": v}}}),
    ("points:delivery", "几分", lambda v: {"indicators": {"delivery": {"status": "scored", "points": v}}}),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_field_explains_a_bad_value_next_to_it(pages: Tabs, lang: str) -> None:
    """Each kind of field, given a bad value, shows the engine's message in the page's language
    right next to it, as an alert the field names in aria-describedby; the result is withdrawn
    until the value is corrected, and the message goes with the correction."""
    page = cleared(pages, lang)
    for name, bad, assessment in BAD_VALUES:
        page.click("[data-action=reset]")
        data = assessment(number_or_text(bad))
        if "indicators" in data:
            page.check("input[name=mode][value=full]")
            for indicator, entry in data["indicators"].items():
                page.select_option(f"[name='status:{indicator}']", entry["status"])
                for key, value in entry.items():
                    if key != "status" and f"{key}:{indicator}" != name:
                        page.fill(f"[name='{key}:{indicator}']", str(value))
        elif "special_deductions" in data and name != "total":
            page.fill("[name=total]", "80")
        field = page.locator(f"[name='{name}']")
        field.fill("")
        field.press_sequentially(bad)
        data.setdefault("special_deductions", 0)
        data["special_bonus"] = False
        errors = [e for e in cpython(to_json(data), lang)["errors"] if e["path"] == field.get_attribute("data-path")]
        assert errors, (name, bad)
        error_id = f"{field.get_attribute('id')}-error"
        message = page.locator(f"#{error_id}")
        expect(message).to_have_text(" ".join(e["message"] for e in errors))
        expect(message).to_have_attribute("role", "alert")
        expect(field).to_have_attribute("aria-invalid", "true")
        assert error_id in field.get_attribute("aria-describedby").split()
        expect(page.locator("[data-result]")).to_have_attribute("data-tier", "")
        field.fill("1")
        expect(message).to_be_empty()
        expect(field).not_to_have_attribute("aria-invalid", "true")


def utf8_base64url(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


OVERSIZED = '{"total": 80' + " " * 1_000_000 + "}"
BAD_FILES = {
    "not JSON": b'{"total": 80,',
    "not UTF-8": b"\xff\xfe\x00garbage\x80",
    "empty": b"",
    "a list": b"[80]",
    "an unknown key": b'{"total": 80, "bonus": 1}',
    "an unknown status": b'{"indicators": {"repair": {"status": "perfect"}}}',
    "an unknown indicator": b'{"indicators": {"teleportation": {"status": "conforms"}}}',
    "both forms": b'{"total": 80, "indicators": {}}',
    "over 1 MB": OVERSIZED.encode("utf-8"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_and_replaces_nothing(pages: Tabs, session: Session, case: str) -> None:
    """A file that is not an assessment the form can hold is refused with an alert saying why
    and that nothing changed; every answer, the saved copy and the result stay as they were."""
    page = cleared(pages)
    page.fill("[name=total]", "77")
    page.fill("[name=special_deductions]", "1")
    expect_result(page, "76", "standard")
    before, saved = form_fields(page), saved_fields(page)
    page.set_input_files(
        "input[type=file][name=import]",
        files=[{"name": "assessment.json", "mimeType": "application/json", "buffer": BAD_FILES[case]}],
    )
    alert = page.locator("[data-calculator-alert]")
    expect(alert).to_contain_text(EN["import_invalid"])
    expect(alert).to_contain_text(EN["import_unchanged"])
    if case == "over 1 MB":
        expect(alert).to_contain_text(EN["import_too_large"].replace("{limit}", "1"))
    assert form_fields(page) == before and saved_fields(page) == saved
    expect_result(page, "76", "standard")


BAD_LINKS = {
    "not base64": "%%%not-base64!",
    "not JSON": utf8_base64url("total=80"),
    "an unknown key": utf8_base64url('{"total": 80, "colour": "red"}'),
    "a string": utf8_base64url('"80"'),
    "over 1 MB": utf8_base64url(OVERSIZED),
}


@pytest.mark.parametrize("case", list(BAD_LINKS))
def test_a_bad_link_is_refused_and_replaces_nothing(pages: Tabs, case: str) -> None:
    """A share link that holds no assessment the form can hold is refused with an alert; the
    answers on the page stay, and the link's fragment is cleared."""
    page = cleared(pages)
    page.fill("[name=total]", "88")
    expect_result(page, "88", "three-star")
    before = form_fields(page)
    page.evaluate("(code) => { location.hash = '#assessment=' + code; }", BAD_LINKS[case])
    alert = page.locator("[data-calculator-alert]")
    expect(alert).to_contain_text(EN["link_invalid"])
    expect(alert).to_contain_text(EN["import_unchanged"])
    assert form_fields(page) == before
    expect_result(page, "88", "three-star")
    assert page.evaluate("() => location.hash") == ""


def import_file(page: Page, content: bytes) -> None:
    page.set_input_files(
        "input[type=file][name=import]",
        files=[{"name": "assessment.json", "mimeType": "application/json", "buffer": content}],
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_file_over_the_engines_size_limit_is_refused_and_one_at_it_is_read(pages: Tabs, lang: str) -> None:
    """The page refuses a file one byte over the engine's own limit (the scheme's
    limits.max_bytes, which is calculator.assessment.MAX_BYTES) before reading it, with the
    message naming that limit; a file of exactly the limit is read and imported."""
    from calculator.assessment import MAX_BYTES

    limit = json.loads(engine.scheme())["limits"]["max_bytes"]
    assert limit == MAX_BYTES
    t = STRINGS[lang]
    page = cleared(pages, lang)
    page.fill("[name=total]", "77")
    expect_result(page, "77", "standard")
    before = form_fields(page)

    def padded(size: int) -> bytes:
        head, tail = '{"total": 88', "}"
        return (head + " " * (size - len(head) - len(tail)) + tail).encode("utf-8")

    import_file(page, padded(limit + 1))
    alert = page.locator("[data-calculator-alert]")
    expect(alert).to_contain_text(t["import_too_large"].replace("{limit}", f"{limit / 1e6:g}"))
    expect(alert).to_contain_text(t["import_unchanged"])
    assert form_fields(page) == before

    import_file(page, padded(limit))
    expect_result(page, "88", "three-star")
    expect(alert).to_be_empty()
    expect(page.locator("[data-calculator-status]")).to_have_text(t["import_done"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tens_of_thousands_of_errors_show_the_first_few_and_a_count(pages: Tabs, lang: str) -> None:
    """A file the engine finds 20,000 errors in is refused with its first ten reasons, one line
    counting the rest ("… and 19,990 more"), and the line saying nothing changed; in the page's
    language."""
    t = STRINGS[lang]
    page = cleared(pages, lang)
    text = json.dumps({"indicators": {f"x{i}": {"status": "conforms"} for i in range(20_000)}})
    reasons = [e["message"] for e in cpython(text, lang)["errors"]]
    assert len(reasons) == 20_000
    import_file(page, text.encode("utf-8"))
    items = page.locator("[data-calculator-alert] li")
    expect(items).to_have_count(12, timeout=30_000)
    assert items.all_inner_texts() == [
        *reasons[:10],
        t["more_lines"].replace("{count}", "19,990"),
        t["import_unchanged"],
    ]
    expect(page.locator("[data-calculator-alert]")).to_contain_text(t["import_invalid"])


ALPHABET = (
    "0123456789" * 4
    + ".,-+eE "
    + "abcxyz"
    + "八十分。，"
    + "０１２"
    + "\"'\\{}[]<>&%$#@!?/:;"
    + "\u00a0\u200b"
    + "🙂"
)


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 14)))


def test_random_typing_never_sticks(pages: Tabs, session: Session) -> None:
    """Random text typed into every field, in bursts, with random findings and mode switches:
    after each burst the page still answers (a fresh valid total gives its result), the engine
    is still ready, and nothing was thrown. Seeded, so a failure can be replayed."""
    rng = random.Random(27922)
    page = cleared(pages)
    page.check("input[name=mode][value=full]")
    indicators = page.eval_on_selector_all("select[name^='status:']", "els => els.map(e => e.name.slice(7))")
    targets = [("total", None), ("special_deductions", None)]
    for indicator in indicators:
        targets += [(f"samples:{indicator}", "sampled"), (f"nonconforming:{indicator}", "sampled"),
                    (f"points:{indicator}", "scored")]
    rng.shuffle(targets)
    errors_before = len(session.errors)
    for burst, start in enumerate(range(0, len(targets), 6)):
        for name, status in targets[start : start + 6]:
            if status is None:
                page.check("input[name=mode][value=quick]")
            else:
                page.check("input[name=mode][value=full]")
                page.select_option(f"[name='status:{name.split(':')[1]}']", status)
            field = page.locator(f"[name='{name}']")
            field.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(random_text(rng))
            if rng.random() < 0.3:
                page.set_checked("[name=special_bonus]", rng.random() < 0.5)
            if rng.random() < 0.3:
                other = rng.choice(indicators)
                page.check("input[name=mode][value=full]")
                page.select_option(f"[name='status:{other}']", rng.choice(["", "conforms", "nonconforming", "sampled", "scored", "excluded"]))
        # The page still answers: a fresh total in quick mode gives its own result.
        total = f"{rng.randint(0, 99)}.{burst % 10}{rng.randint(1, 9)}"
        page.check("input[name=mode][value=quick]")
        page.fill("[name=special_deductions]", "0")
        page.set_checked("[name=special_bonus]", False)
        page.fill("[name=total]", total)
        expect(page.locator("[data-result]")).to_have_attribute("data-score", str(float(total)).rstrip("0").rstrip("."))
        expect(root(page)).to_have_attribute("data-engine", "ready")
        assert session.errors[errors_before:] == []
    assert len(targets) == 2 + 3 * len(indicators)


# --- saved work ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keeper(session: Session) -> Iterator[Page]:
    """A calculator tab whose reloads the storage tests set up through TEST_HOOKS."""
    page = session.open(PAGE_PATHS["en"])
    yield page
    set_hooks(page)
    page.close()


def reload_with(page: Page, **hooks: Any) -> None:
    page.bring_to_front()
    set_hooks(page, **hooks)
    page.reload()
    wait_ready(page)


def expect_export_works(page: Page, tmp_path: Path, total: str) -> None:
    """Export file still downloads the assessment on the page."""
    with page.expect_download() as download:
        page.click("[data-action=export]")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert json.loads(path.read_text(encoding="utf-8"))["total"] == float(total)


@pytest.mark.parametrize("saved", ["{not json", "[1, 2, 3]", "null"])
def test_damaged_saved_answers_are_reported_and_reset(keeper: Page, saved: str) -> None:
    """Saved answers that cannot be read are reported, removed, and the form starts empty; the
    page works, and saves again."""
    reload_with(keeper, saved=saved)
    expect(keeper.locator("[data-calculator-alert]")).to_have_text(EN["storage_corrupt"])
    expect(keeper.locator("input[name=mode][value=quick]")).to_be_checked()
    expect(keeper.locator("[name=total]")).to_have_value("")
    assert saved_fields(keeper) is None
    keeper.fill("[name=total]", "91")
    expect_result(keeper, "91", "four-star")
    expect(keeper.locator("[data-calculator-alert]")).to_be_empty()
    assert saved_fields(keeper)["total"] == "91"


def test_partly_damaged_saved_answers_keep_what_can_be_read(keeper: Page) -> None:
    """Saved answers with some values no field can hold: the rest come back, the page says some
    could not be read, and a name the page does not know (another version's) is ignored."""
    saved = {
        "mode": "full",
        "status:repair": "perfect",
        "status:organisation": "conforms",
        "special_deductions": "1",
        "special_bonus": "yes",
        "status:teleportation": "conforms",
    }
    reload_with(keeper, saved=json.dumps(saved))
    expect(keeper.locator("[data-calculator-alert]")).to_have_text(EN["storage_partial"])
    expect(keeper.locator("input[name=mode][value=full]")).to_be_checked()
    expect(keeper.locator("[name='status:organisation']")).to_have_value("conforms")
    expect(keeper.locator("[name='status:repair']")).to_have_value("")
    expect(keeper.locator("[name=special_deductions]")).to_have_value("1")
    expect(keeper.locator("[name=special_bonus]")).not_to_be_checked()
    expect(keeper.locator("[data-result]")).to_have_attribute("data-provisional", "true")


def test_full_storage_is_reported_and_export_still_works(keeper: Page, session: Session, tmp_path: Path) -> None:
    """When the browser's storage is full, the page says the latest answers are not kept there
    and to export them; the calculator works and Export file downloads the assessment."""
    reload_with(keeper, storage="full")
    keeper.click("[data-action=reset]")
    keeper.check("input[name=mode][value=quick]")
    keeper.fill("[name=total]", "83.5")
    expect_result(keeper, "83.5", "three-star")
    alert = keeper.locator("[data-calculator-alert]")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_have_text(EN["storage_full"])
    expect_export_works(keeper, tmp_path, "83.5")


def test_disabled_storage_is_reported_and_export_still_works(keeper: Page, session: Session, tmp_path: Path) -> None:
    """When the browser refuses storage altogether, the page says so as it opens; the calculator
    works, and Export file downloads the assessment. The calculator throws nothing."""
    errors_before = len(session.errors)
    reload_with(keeper, storage="off")
    alert = keeper.locator("[data-calculator-alert]")
    expect(alert).to_have_text(EN["storage_unavailable"])
    keeper.fill("[name=total]", "96")
    expect_result(keeper, "96", "five-star")
    expect_export_works(keeper, tmp_path, "96")
    assert [e for e in session.errors[errors_before:] if "calculator" in e] == []
    reload_with(keeper)
