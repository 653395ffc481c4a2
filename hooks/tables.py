"""Fill the indicator and tier tables of the guide from the scoring package, in the page's language.

A page asks for a table with a marker comment on a line of its own:

- ``<!-- categories-table -->``: the three first-level indicators, their points and their parts;
- ``<!-- indicators-table -->``: every second-level indicator with its points and what it covers,
  one table per first-level indicator, with a note when the split of points is indicative; each
  indicator's name carries a stable anchor, ``#indicator-<id>`` (the calculator links to it);
- ``<!-- tiers-table -->``: the result tiers, their score bands and stars, and the fail conditions;
- ``<!-- certification-body -->``: the certification body set in ``extra.certification_body`` of
  mkdocs.yml, showing only the fields that are filled in; it is said to be approved only when its
  approval number is given, so that readers can check the approval.

The figures come from ``calculator/`` (the scheme data and the tier table, imported through
hooks/shared.py), so the pages always say what the calculator computes.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

import shared
from shared import calculator, number

#: Pages that carry generated tables (path under docs/<lang>/); others are left untouched.
PAGES = frozenset(
    {
        "index.md",
        "after-sales-certification.md",
        "scoring.md",
        "how-to-get-certified.md",
        "calculator.md",  # the tier table explains the result even when the engine cannot start
    }
)

#: The fields of ``extra.certification_body`` shown under the name, in this order. Only
#: ``approval_number`` may lead to saying that the body is approved.
BODY_FIELDS = ("legal_name", "approval_number", "website", "phone", "email", "address")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Replace the table markers of the pages in PAGES with tables in the page's language."""
    if not any(shared.is_page(page, name) for name in PAGES):
        return None
    lang = shared.page_language(page)
    scheme = calculator.scheme.load_scheme()
    makers: dict[str, Callable[[], str]] = {
        "<!-- categories-table -->": lambda: categories_table(scheme, lang),
        "<!-- indicators-table -->": lambda: indicators_table(scheme, lang),
        "<!-- tiers-table -->": lambda: tiers_table(calculator.tiers.TIERS, lang),
        "<!-- certification-body -->": lambda: certification_body(
            config.extra.get("certification_body") or {}, lang
        ),
    }
    found = False
    for marker, make in makers.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
            found = True
    if not found:
        raise PluginError(
            f"{page.file.src_uri}: expected a table marker such as <!-- tiers-table -->"
        )
    return markdown


def categories_table(scheme: calculator.scheme.Scheme, lang: str) -> str:
    """A Markdown table of the first-level indicators: name, points and second-level parts.

    Example:
        >>> "| After-sales service system | 40 |" in categories_table(calculator.scheme.load_scheme(), "en")
        True
    """
    w = WORDS[lang]
    rows = [
        [c.name[lang], number(c.points), w["list"].join(i.name[lang] for i in c.indicators)]
        for c in scheme.categories
    ]
    total = sum((c.points for c in scheme.categories), Decimal(0))
    rows.append([f"**{w['total']}**", f"**{number(total)}**", ""])
    return markdown_table([w["category"], w["points"], w["parts"]], rows, align="lrl")


def indicators_table(scheme: calculator.scheme.Scheme, lang: str) -> str:
    """One Markdown table per first-level indicator, listing its second-level indicators.

    Each table follows a bold line naming the first-level indicator and its points. When the
    scheme's split of points is indicative, a note saying so follows the tables.

    Example:
        >>> scheme = calculator.scheme.load_scheme()
        >>> '<span id="indicator-complaint-handling">Complaint handling</span> | `complaint-handling` | 13 |' in indicators_table(scheme, "en")
        True
    """
    w = WORDS[lang]
    points_header = w["points_indicative"] if scheme.indicative else w["points"]
    blocks = []
    for n, category in enumerate(scheme.categories, start=1):
        rows = [
            [
                f'<span id="{shared.indicator_anchor(i.id)}">{html.escape(i.name[lang])}</span>',
                f"`{i.id}`",
                number(i.points),
                i.description[lang],
            ]
            for i in category.indicators
        ]
        title = w["category_title"].format(
            n=n, name=category.name[lang], points=number(category.points)
        )
        table = markdown_table([w["indicator"], w["id"], points_header, w["covers"]], rows, "llrl")
        blocks.append(f"{title}\n\n{table}")
    if scheme.indicative:
        weights = " / ".join(number(c.points) for c in scheme.categories)
        note = w["note"].format(weights=weights)
        blocks.append(f'!!! note "{w["note_title"]}"\n\n    {note}')
    return "\n\n".join(blocks)


def tiers_table(
    tiers: Sequence[calculator.tiers.Tier],
    lang: str,
    fail: calculator.tiers.Tier = calculator.tiers.FAIL,
    special_deductions_fail: int = calculator.tiers.SPECIAL_DEDUCTIONS_FAIL,
) -> str:
    """A Markdown table of the results: the fail row, then each tier with its score band and stars.

    ``tiers`` may come in any order and are listed by their minimum. Each minimum is an inclusive
    bound; a tier's band ends just below the next tier's minimum.

    Example:
        >>> table = tiers_table(calculator.tiers.TIERS, "en")
        >>> "| Three-star | ★★★ | 80 or more, below 90 |" in table.splitlines()[4]
        True
    """
    w = WORDS[lang]
    ordered = sorted(tiers, key=lambda t: t.minimum)
    if not ordered:
        raise ValueError("no tiers to tabulate")
    lowest = number(ordered[0].minimum)
    fails = w["fail_score"].format(low=lowest) + w["comma"]
    fails += w["fail_or"].format(count=special_deductions_fail)
    rows = [[fail.name[lang], w["none"], fails]]
    for tier, above in zip(ordered, [*ordered[1:], None]):
        low = number(tier.minimum)
        band = w["top"].format(low=low) if above is None else w["band"].format(
            low=low, high=number(above.minimum)
        )
        rows.append([tier.name[lang], stars(tier.stars) or w["none"], band])
    table = markdown_table([w["tier"], w["stars"], w["score"]], rows, align="lcl")
    return f"{table}\n\n{w['pass_if'].format(count=special_deductions_fail)}"


def certification_body(body: Mapping[str, str], lang: str) -> str:
    """The certification body as a Markdown list: its name, then each field that is filled in.

    Example:
        >>> certification_body({"name": "INV", "website": "", "phone": ""}, "en")
        '- **INV**'
    """
    name = (body.get("name") or "").strip()
    if not name:
        raise PluginError("mkdocs.yml: extra.certification_body.name is empty")
    lines = [f"- **{name}**"]
    for field in BODY_FIELDS:
        value = (body.get(field) or "").strip()
        if not value:
            continue
        if field == "website":
            value = f"<{value}>"
        elif field == "email":
            value = f"[{value}](mailto:{value})"
        lines.append(f"- {WORDS[lang][field]}: {value}")
    return "\n".join(lines)


def stars(count: int) -> str:
    """The star mark as text, e.g. ``★★★`` for 3; empty for 0."""
    return "★" * count


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    """A Markdown pipe table; ``align`` has one letter per column: l, c or r."""
    marks = {"l": ":--", "c": ":-:", "r": "--:"}
    lines = [
        _row(header),
        _row([marks[a] for a in align]),
        *(_row(row) for row in rows),
    ]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"


#: The words of the tables, per language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "category": "First-level indicator",
        "points": "Points",
        "parts": "Second-level indicators",
        "indicator": "Second-level indicator",
        "id": "ID",
        "points_indicative": "Points (indicative)",
        "covers": "What it covers (this site's summary)",
        "total": "Total",
        "category_title": "**{n}. {name}** ({points} points)",
        "tier": "Result",
        "stars": "Stars",
        "score": "Condition",
        "none": "—",
        "comma": ", ",
        "list": " · ",
        "band": "{low} or more, below {high}",
        "top": "{low} or more",
        "fail_score": "below {low}",
        "fail_or": "or {count} or more special deduction items, whatever the score",
        "pass_if": "Every passing result also needs fewer than {count} special deduction items.",
        "legal_name": "Full legal name",
        "approval_number": "CNCA approval number (check it on the CNCA's public query platform)",
        "website": "Website",
        "phone": "Phone",
        "email": "E-mail",
        "address": "Address",
        "note_title": "The points inside each first-level indicator are indicative",
        "note": (
            "The weights of the three first-level indicators ({weights}) are published for the"
            " standard. How their points are split among the second-level indicators is not"
            " openly published: the split above is an indicative one, used by the calculator on"
            " this site. A certification body scores with its own sheet."
        ),
    },
    "zh": {
        "category": "一级指标",
        "points": "分值",
        "parts": "二级指标",
        "indicator": "二级指标",
        "id": "代码",
        "points_indicative": "分值（仅供参考）",
        "covers": "评价要点（本站概述）",
        "total": "合计",
        "category_title": "**{n}. {name}**（{points} 分）",
        "tier": "评价结果",
        "stars": "星级",
        "score": "条件",
        "none": "—",
        "comma": "，",
        "list": "、",
        "band": "{low} 分及以上，不足 {high} 分",
        "top": "{low} 分及以上",
        "fail_score": "低于 {low} 分",
        "fail_or": "或特别扣分项达到 {count} 项及以上（无论得分多少）",
        "pass_if": "各通过等级还要求特别扣分项少于 {count} 项。",
        "legal_name": "机构全称",
        "approval_number": "国家认监委批准号（可在国家认监委的公共查询平台核实）",
        "website": "网站",
        "phone": "电话",
        "email": "电子邮箱",
        "address": "地址",
        "note_title": "一级指标内部的分值分配仅供参考",
        "note": (
            "三个一级指标的权重（{weights}）是公开资料中给出的。各一级指标的分值如何分配到二级指标，"
            "公开资料中没有给出：上述各表的分配仅供参考，也是本站计算器采用的分配。"
            "认证机构评价时以其自己的评分表为准。"
        ),
    },
}
