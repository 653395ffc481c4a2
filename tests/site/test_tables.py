"""The guide's indicator, category and tier tables: generated from calculator/ by hooks/tables.py,
in both languages, and following the data when it changes."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

import pytest
from loaders import load_hook

from calculator.scheme import DEFAULT_SCHEME, Scheme, load_scheme, parse_scheme
from calculator.tiers import FAIL, SPECIAL_DEDUCTIONS_FAIL, TIERS, Tier

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "zh")
MARKERS = ("<!-- categories-table -->", "<!-- indicators-table -->", "<!-- tiers-table -->",
           "<!-- certification-body -->")


#: hooks/tables.py, imported as MkDocs imports it.
tables = load_hook("tables")


# --- reading tables back out of HTML --------------------------------------------------------

class _TableReader(HTMLParser):
    """Collects every <table> as a list of rows, each a list of cell texts (whitespace collapsed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> list[list[list[str]]]:
    reader = _TableReader()
    reader.feed(html)
    return reader.tables


def markdown_tables(markdown: str) -> list[list[list[str]]]:
    """The pipe tables of generated Markdown, header and body rows (the alignment row dropped),
    with inline code, bold marks and HTML tags removed, as they read once rendered."""
    found: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in markdown.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                found.append(current)
            cells = [
                re.sub(r"<[^>]+>", "", c.strip().replace("`", "").replace("**", ""))
                for c in line.strip("|").split(" | ")
            ]
            if not all(set(c) <= set(":-") for c in cells):
                current.append(cells)
        else:
            current = None
    return found


def built_page(site: Path, lang: str, name: str) -> str:
    prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
    path = f"{prefix}index.html" if name == "index" else f"{prefix}{name}/index.html"
    return (site / path).read_text(encoding="utf-8")


# --- what the tables must say, computed from the data here ---------------------------------

def points(value: Decimal) -> str:
    """A number of points as the tables print it: 70, 7.5."""
    return f"{value.normalize():f}"


def expected_indicator_rows(scheme: Scheme, lang: str) -> list[list[str]]:
    return [
        [i.name[lang], i.id, points(i.points), i.description[lang]]
        for c in scheme.categories
        for i in c.indicators
    ]


def indicator_rows(found: list[list[list[str]]], lang: str) -> list[list[str]]:
    """Body rows of the tables whose header is the indicator table's header."""
    header = tables.WORDS[lang]["indicator"]
    return [row for table in found if table and table[0][0] == header for row in table[1:]]


def tier_table(found: list[list[list[str]]], lang: str) -> list[list[str]]:
    """Body rows of the one table whose header starts with the tier column."""
    matches = [t for t in found if t and t[0][0] == tables.WORDS[lang]["tier"]]
    assert len(matches) == 1, f"expected one tier table, found {len(matches)}"
    return matches[0][1:]


def assert_tier_rows(rows: list[list[str]], tiers: tuple[Tier, ...], lang: str, deductions: int) -> None:
    """The fail row, then one row per tier in ascending order, each with its name, its stars
    and its bounds: its own minimum, and the next tier's minimum as the end of its band."""
    assert [row[0] for row in rows] == [FAIL.name[lang], *(t.name[lang] for t in tiers)]
    fail_row = rows[0]
    assert points(tiers[0].minimum) in fail_row[2]
    assert str(deductions) in fail_row[2]
    for row, tier, above in zip(rows[1:], tiers, [*tiers[1:], None]):
        assert row[1] == ("★" * tier.stars if tier.stars else "—"), tier.id
        assert row[2].startswith(points(tier.minimum)), (tier.id, row)
        if above is not None:
            assert points(above.minimum) in row[2], (tier.id, row)


# --- the built site ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_indicator_tables_list_every_indicator(built_site: Path, lang: str) -> None:
    """The standard's page lists, in each language, every second-level indicator of the scheme
    in order, with its name in that language, its id, its points and its description, and
    nothing else."""
    found = html_tables(built_page(built_site, lang, "after-sales-certification"))
    assert indicator_rows(found, lang) == expected_indicator_rows(load_scheme(), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_category_table_lists_every_category(built_site: Path, lang: str) -> None:
    """The standard's page has a table of the first-level indicators with their points, names
    and parts, and a total of 100."""
    scheme = load_scheme()
    found = html_tables(built_page(built_site, lang, "after-sales-certification"))
    [table] = [t for t in found if t and t[0][0] == tables.WORDS[lang]["category"]]
    body = table[1:]
    assert [row[:2] for row in body[:-1]] == [[c.name[lang], points(c.points)] for c in scheme.categories]
    for row, category in zip(body, scheme.categories):
        assert all(i.name[lang] in row[2] for i in category.indicators)
    assert body[-1][:2] == [tables.WORDS[lang]["total"], "100"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_indicative_split_is_noted_beside_the_indicators(built_site: Path, lang: str) -> None:
    """While the scheme's split of points is indicative, the standard's page says so next to the
    indicator tables, in the page's language."""
    html = built_page(built_site, lang, "after-sales-certification")
    assert load_scheme().indicative
    assert tables.WORDS[lang]["note_title"] in html
    assert tables.WORDS[lang]["points_indicative"] in html


@pytest.mark.parametrize("page", ["scoring", "index"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_tier_table_matches_the_tiers(built_site: Path, lang: str, page: str) -> None:
    """The scoring page and the home page show the fail row and every tier with its name in the
    page's language, its stars and its inclusive minimum, from calculator.tiers."""
    rows = tier_table(html_tables(built_page(built_site, lang, page)), lang)
    assert_tier_rows(rows, TIERS, lang, SPECIAL_DEDUCTIONS_FAIL)


def test_no_marker_is_left_in_the_built_pages(built_site: Path) -> None:
    """Every table marker in the Markdown is replaced: none reaches a built page."""
    leftovers = [
        path.relative_to(built_site).as_posix()
        for path in built_site.rglob("*.html")
        if any(marker in path.read_text(encoding="utf-8") for marker in MARKERS)
    ]
    assert leftovers == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_certification_body_shows_its_name_only_while_fields_are_empty(
    built_site: Path, lang: str
) -> None:
    """The process page names the certification body from mkdocs.yml and shows no label for a
    field that is empty (no legal name, approval number, website, phone, e-mail or address is
    invented)."""
    html = built_page(built_site, lang, "how-to-get-certified")
    assert "<strong>INV</strong>" in html
    for field in tables.BODY_FIELDS:
        assert f"{tables.WORDS[lang][field]}:" not in html


# --- the helpers follow the data ---------------------------------------------------------------

def _changed_scheme(indicative: bool = True) -> Scheme:
    """The shipped scheme with two indicators' points swapped around and one renamed."""
    data = json.loads(DEFAULT_SCHEME.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
    first = data["categories"][0]["indicators"]
    first[0]["points"], first[1]["points"] = Decimal("8.5"), Decimal("3.5")  # 6 + 6 -> 8.5 + 3.5
    first[0]["name"] = {"en": "Service organisation", "zh": "服务组织"}
    data["indicative"] = indicative
    return parse_scheme(data)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_indicator_table_follows_a_changed_scheme(lang: str) -> None:
    """Changed points and names in the scheme show in the generated indicator tables."""
    scheme = _changed_scheme()
    markdown = tables.indicators_table(scheme, lang)
    assert indicator_rows(markdown_tables(markdown), lang) == expected_indicator_rows(scheme, lang)
    name = scheme.categories[0].indicators[0].name[lang]
    assert f'| <span id="indicator-organisation">{name}</span> | `organisation` | 8.5 |' in markdown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_indicator_row_has_a_stable_anchor(lang: str) -> None:
    """Each indicator's name carries the id #indicator-<id>, once, in the sheet's order, so that
    links to it (the calculator's) hold while names and points change."""
    scheme = _changed_scheme()
    ids = re.findall(r'<span id="indicator-([^"]+)">', tables.indicators_table(scheme, lang))
    assert ids == [i.id for i in scheme.indicators]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_scheme_that_is_not_indicative_gets_no_note(lang: str) -> None:
    """A certification body's own scheme (not indicative) is shown without the note and with a
    plain points header."""
    markdown = tables.indicators_table(_changed_scheme(indicative=False), lang)
    assert tables.WORDS[lang]["note_title"] not in markdown
    assert tables.WORDS[lang]["points_indicative"] not in markdown
    assert f"| {tables.WORDS[lang]['points']} |" in markdown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_category_table_follows_a_changed_scheme(lang: str) -> None:
    """Renamed indicators appear in the category table's list of parts."""
    scheme = _changed_scheme()
    markdown = tables.categories_table(scheme, lang)
    assert scheme.categories[0].indicators[0].name[lang] in markdown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tier_table_follows_changed_tiers(lang: str) -> None:
    """Other minimums, star counts, names and a different special-deduction limit show in the
    generated tier table, whatever order the tiers are given in."""
    changed = (
        Tier("standard", Decimal(60), 0, MappingProxyType({"en": "Pass", "zh": "合格"})),
        Tier("three-star", Decimal("82.5"), 3, TIERS[1].name),
        Tier("five-star", Decimal(97), 5, TIERS[3].name),
    )
    markdown = tables.tiers_table(tuple(reversed(changed)), lang, special_deductions_fail=3)
    [table] = markdown_tables(markdown)
    assert_tier_rows(table[1:], changed, lang, 3)
    note = markdown.split("\n\n")[-1]  # the line under the table names the limit
    assert "3" in note and str(SPECIAL_DEDUCTIONS_FAIL) not in note


def test_certification_body_lists_only_filled_fields() -> None:
    """Filled-in contact fields are listed with their label; empty ones are left out."""
    body = {"name": "Body", "website": "https://body.example", "phone": "", "email": "a@body.example",
            "address": "  "}
    text = tables.certification_body(body, "en")
    assert text.splitlines() == [
        "- **Body**",
        "- Website: <https://body.example>",
        "- E-mail: [a@body.example](mailto:a@body.example)",
    ]
    assert "Phone" not in text and "Address" not in text
