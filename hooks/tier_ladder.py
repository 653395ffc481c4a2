"""Draw the tier ladder, the picture of the result tiers, from the scoring package's tier table.

``assets/tier-ladder-en.svg`` and ``-zh.svg`` are rendered at build time from ``calculator.tiers``
(the tiers, the fail result and the special deductions that fail) and the scheme's total, with
``overrides/partials/tier-ladder.html``: an accessible SVG (``role="img"``, ``<title>``,
``<desc>``). A page shows the picture of its language with a ``<!-- tier-ladder -->`` marker on a
line of its own, which becomes the image with the same words as its text alternative. The picture
says the tier is what an evaluation recommends: the certification body decides.
"""

from __future__ import annotations

import posixpath
from decimal import Decimal
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import shared
from shared import calculator, number

#: The marker a page puts on a line of its own where the picture goes.
MARKER = "<!-- tier-ladder -->"

#: Where each language's picture goes in the site.
PICTURE = "assets/tier-ladder-{lang}.svg"
LANGUAGES = ("en", "zh")

#: The drawing: columns on a baseline, the fail column lowest and each tier one step higher.
LEFT, RIGHT, GAP, BASELINE = 10, 630, 5, 262
LOWEST, HIGHEST = 34, 194  # column heights
FAIL_FILL = "#9e9e9e"
TIER_FILLS = ("#7986cb", "#5c6bc0", "#3f51b5", "#283593")  # from the lowest tier; the last repeats


@event_priority(-110)  # after the i18n plugin (-100), which expects files read from disk
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the picture of each language to the build."""
    for lang in LANGUAGES:
        path = PICTURE.format(lang=lang)
        files.append(File.generated(config, path, content=render_ladder(config, lang)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Replace the marker with the picture of the page's language."""
    if MARKER not in markdown:
        return None
    lang = shared.page_language(page)
    source = posixpath.dirname(page.file.src_uri)
    url = posixpath.relpath(PICTURE.format(lang=lang), source or ".")
    return markdown.replace(MARKER, f'![{description(lang)}]({url}){{ width="640" }}')


def render_ladder(config: MkDocsConfig, lang: str) -> str:
    """The SVG document of the tier ladder in ``lang``."""
    return shared.render(
        config,
        "partials/tier-ladder.html",
        w=WORDS[lang],
        columns=columns(lang),
        total=number(total_points()),
        deductions=calculator.tiers.SPECIAL_DEDUCTIONS_FAIL,
        desc=description(lang),
    )


def columns(lang: str) -> list[dict[str, Any]]:
    """The fail column, then one per tier from the lowest, with where each is drawn.

    Example:
        >>> [(c["name"], c["band"], c["height"]) for c in columns("en")][:2]
        [('Fail', '< 70', 34), ('Standard', '≥ 70', 74)]
    """
    tiers = sorted(calculator.tiers.TIERS, key=lambda t: t.minimum)
    count = len(tiers) + 1
    width = (RIGHT - LEFT - GAP * (count - 1)) // count
    step = (HIGHEST - LOWEST) // max(1, count - 1)
    fail = calculator.tiers.FAIL
    rows = [(fail.name[lang], 0, f"< {number(tiers[0].minimum)}", FAIL_FILL)]
    rows += [
        (tier.name[lang], tier.stars, f"≥ {number(tier.minimum)}", TIER_FILLS[min(i, len(TIER_FILLS) - 1)])
        for i, tier in enumerate(tiers)
    ]
    drawn = []
    for i, (name, stars, band, fill) in enumerate(rows):
        x, height = LEFT + i * (width + GAP), LOWEST + i * step
        place = {"x": x, "middle": x + width // 2, "width": width, "top": BASELINE - height, "height": height}
        drawn.append({**place, "fill": fill, "name": name, "stars": stars, "band": band})
    return drawn


def description(lang: str) -> str:
    """The picture in words: its text alternative and its ``<desc>``.

    Example:
        >>> description("en").split(". ")[0]
        'The tier ladder: fail below 70, standard from 70, three-star from 80, four-star from 90, five-star from 95'
    """
    w = WORDS[lang]
    tiers = sorted(calculator.tiers.TIERS, key=lambda t: t.minimum)
    steps = [w["below"].format(name=w["case"](calculator.tiers.FAIL.name[lang]), score=number(tiers[0].minimum))]
    steps += [w["from"].format(name=w["case"](t.name[lang]), score=number(t.minimum)) for t in tiers]
    deductions = w["deductions"].format(count=calculator.tiers.SPECIAL_DEDUCTIONS_FAIL)
    return w["sentence"].format(steps=w["comma"].join(steps), deductions=deductions)


def total_points() -> Decimal:
    """The highest score: the points of the scheme's first-level indicators together."""
    return sum((c.points for c in calculator.scheme.load_scheme().categories), Decimal(0))


#: The picture's words, per language. ``case`` writes a tier's name inside a sentence.
WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "The result tiers an after-sales service evaluation recommends",
        "recommends": "The tier an evaluation recommends;",
        "decides": "the certification body decides.",
        "axis": "Final score (out of {total})",
        "deductions": "{count} or more special deduction items: fail, whatever the score",
        "below": "{name} below {score}",
        "from": "{name} from {score}",
        "comma": ", ",
        "case": str.lower,
        "sentence": (
            "The tier ladder: {steps}. {deductions}. The evaluation recommends a tier;"
            " the certification body decides."
        ),
    },
    "zh": {
        "title": "售后服务评价建议的结果等级",
        "recommends": "评价建议的等级，",
        "decides": "由认证机构决定。",
        "axis": "最终得分（满分 {total}）",
        "deductions": "特别扣分项达到 {count} 项及以上：无论得分多少，均不通过",
        "below": "低于 {score} 分{name}",
        "from": "{score} 分起为{name}",
        "comma": "，",
        "case": str,
        "sentence": "等级阶梯：{steps}。{deductions}。评价给出建议的等级，由认证机构作出决定。",
    },
}
