"""What an auditor would check in the guide's content: the new "Before you decide" page is in the
navigation, the certification body is never called approved without an approval number to check,
no source sits on a spam-carrying domain, the Chinese pages keep the terms a professional uses,
and the numbers typed in prose agree with calculator/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_tables import LANGUAGES, ROOT, built_page, tables

from calculator.scheme import load_scheme

DOCS = ROOT / "docs"
SPAM_DOMAINS = ("5pnyh.cn", "duofangda.cn")
#: Chinese wordings struck in review, and what replaces them.
STRUCK_ZH = {
    "资质认证": "认证 (after-sales service certification is not a 资质认证)",
    "投标和招标": "投标",
    "监督评价": "监督审核 (one term for surveillance)",
    "参考性": "仅供参考",
    "÷": "/ (the standard's formula: 评分 = 实际得分 / 涉及项总分值 × 100)",
}
APPROVAL_WORDS = re.compile(r"approv|批准|认可", re.IGNORECASE)
NEW_PAGE_TITLE = {"en": "Before you decide", "zh": "申请前须知"}


def _body_list(html: str) -> str:
    """The generated certification-body list: the <ul> that starts with the body's name."""
    match = re.search(r"<ul>\s*<li><strong>INV</strong>.*?</ul>", html, re.DOTALL)
    assert match, "no certification-body list on the page"
    return match.group(0)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_before_you_decide_is_in_the_navigation(built_site: Path, lang: str) -> None:
    """The "Before you decide" page is built and linked from the navigation of the home page,
    under its title in the page's language."""
    html = built_page(built_site, lang, "index")
    assert re.search(
        rf'<a href="before-you-decide/"[^>]*>\s*(<span[^>]*>\s*)?{NEW_PAGE_TITLE[lang]}', html
    ), f"no navigation link to the {lang} 'Before you decide' page"
    assert (built_site / ("" if lang == "en" else "zh/") / "before-you-decide/index.html").is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_certification_body_is_not_called_approved_without_a_number(
    built_site: Path, lang: str
) -> None:
    """With no approval number in mkdocs.yml, the certification-body block on the process page
    says nothing about an approval, and the page does not claim that the named body is approved."""
    html = built_page(built_site, lang, "how-to-get-certified")
    assert not APPROVAL_WORDS.search(_body_list(html))
    assert "approved and registered by the CNCA" not in html
    assert "批准并登记的第三方认证机构" not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_certification_body_shows_an_approval_number_that_is_given(lang: str) -> None:
    """An approval number and a legal name, once filled in, are listed with their labels; without
    the number, no line mentions an approval."""
    body = {"name": "Body", "legal_name": "Body Certification Co., Ltd.", "approval_number": "X-1"}
    text = tables.certification_body(body, lang)
    assert f"- {tables.WORDS[lang]['approval_number']}: X-1" in text.splitlines()
    assert f"- {tables.WORDS[lang]['legal_name']}: Body Certification Co., Ltd." in text.splitlines()
    without = tables.certification_body({**body, "approval_number": " "}, lang)
    assert not APPROVAL_WORDS.search(without)


def test_no_page_cites_a_spam_domain(built_site: Path) -> None:
    """No built page, the Sources pages included, names or links a domain known to carry spam."""
    found = [
        f"{path.relative_to(built_site).as_posix()}: {domain}"
        for path in built_site.rglob("*.html")
        for domain in SPAM_DOMAINS
        if domain in path.read_text(encoding="utf-8")
    ]
    assert found == []


@pytest.mark.parametrize("name", sorted(p.name for p in (DOCS / "zh").glob("*.md")))
def test_chinese_page_avoids_struck_wordings(name: str) -> None:
    """The Chinese page uses the terms a certification professional uses: no 资质认证, no
    投标和招标, 监督审核 for surveillance, 仅供参考 for indicative, the standard's score formula,
    and 国家认监委 rather than "CNCA" in its sentences (the glossary's English column aside)."""
    text = (DOCS / "zh" / name).read_text(encoding="utf-8")
    problems = [f"{word!r}: use {instead}" for word, instead in STRUCK_ZH.items() if word in text]
    prose = [line for line in text.splitlines() if not line.lstrip().startswith("|")]
    problems += [f"'CNCA' in a sentence: {line.strip()[:60]}" for line in prose if "CNCA" in line]
    assert problems == []


def test_generated_chinese_tables_use_the_professional_terms(built_site: Path) -> None:
    """The generated indicator tables call an indicator's id 代码 (not 标识), label the
    descriptions as this site's summary, and the process page's table header is 说明."""
    html = built_page(built_site, "zh", "after-sales-certification")
    assert re.search(r"<th[^>]*>代码</th>", html) and not re.search(r"<th[^>]*>标识</th>", html)
    assert "“标识”" not in html
    assert "本站概述" in html
    assert "summary" in tables.WORDS["en"]["covers"]
    assert re.search(r"<th[^>]*>说明</th>", built_page(built_site, "zh", "how-to-get-certified"))


def test_scoring_pages_name_the_largest_indicator_points() -> None:
    """The scoring pages say a nonconforming indicator can lose up to 12 or 13 points: the two
    largest indicator points of the scheme the calculator uses."""
    largest = sorted(i.points for c in load_scheme().categories for i in c.indicators)[-2:]
    assert [str(p) for p in largest] == ["12", "13"]
    assert "12 or 13" in (DOCS / "en" / "scoring.md").read_text(encoding="utf-8")
    assert "12 分或 13 分" in (DOCS / "zh" / "scoring.md").read_text(encoding="utf-8")


def test_tier_in_the_result_is_labelled_a_self_assessment() -> None:
    """The result, on screen and in the printed report, puts "self-assessment result" /
    "自评结果" next to the tier, so that a printout cannot pass for a rating."""
    strings = json.loads((DOCS / "assets" / "calculator" / "strings.json").read_text(encoding="utf-8"))
    assert strings["en"]["tier_self"] == "self-assessment result"
    assert strings["zh"]["tier_self"] == "自评结果"
    scripts = sorted((DOCS / "assets" / "calculator").rglob("*.mjs"))
    assert any("t.tier_self" in path.read_text(encoding="utf-8") for path in scripts)


def test_calculator_states_its_download_size_before_compression() -> None:
    """The calculator's loading message says its size is measured before compression, and the
    Performance pages do not restate a download size of their own for the engine."""
    strings = json.loads((DOCS / "assets" / "calculator" / "strings.json").read_text(encoding="utf-8"))
    assert "before compression" in strings["en"]["engine_loading"]
    assert "压缩前" in strings["zh"]["engine_loading"]
    for lang in LANGUAGES:
        text = (DOCS / lang / "performance.md").read_text(encoding="utf-8")
        assert not re.search(r"(\d+ MB to download|约需下载 \d+ MB)", text)
