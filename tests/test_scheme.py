"""The evaluation scheme: the shipped data, and the loader's refusal of schemes that don't add up."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from calculator.languages import LANGUAGES
from calculator.scheme import DEFAULT_SCHEME, SchemeError, load_scheme, read_scheme


def raw_scheme() -> dict[str, Any]:
    return json.loads(DEFAULT_SCHEME.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_shipped_scheme_has_the_published_structure() -> None:
    """Three categories of 40, 35 and 25 points with 7, 6 and 2 indicators: 15 in all."""
    scheme = load_scheme()
    assert [(c.id, c.points, len(c.indicators)) for c in scheme.categories] == [
        ("service-system", 40, 7),
        ("commodity-service", 35, 6),
        ("customer-service", 25, 2),
    ]
    assert len(scheme.indicators) == 15
    assert scheme.indicative, "the split inside categories is not published: it must say so"


def test_every_indicator_has_an_id_names_and_a_description_in_both_languages() -> None:
    """Each indicator has a kebab-case id, en/zh names and a one-line en/zh description."""
    for indicator in load_scheme().indicators:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", indicator.id)
        for lang in LANGUAGES:
            assert indicator.name[lang].strip()
            assert indicator.description[lang].strip()
            assert "\n" not in indicator.description[lang]
        assert re.search(r"[\u4e00-\u9fff]", indicator.name["zh"])


def test_a_maintainer_can_load_a_replacement_sheet(tmp_path: Path) -> None:
    """A certification body's own split of points loads, if it adds up."""
    data = raw_scheme()
    data["id"], data["indicative"] = "acme-service-2026", False
    indicators = data["categories"][2]["indicators"]
    indicators[0]["points"], indicators[1]["points"] = 10.5, 14.5
    scheme = load_scheme(write(tmp_path, data))
    assert not scheme.indicative and scheme.id == "acme-service-2026"
    assert scheme.indicator("customer-relations").points == Decimal("10.5")


def test_a_sheet_of_ones_own_needs_an_id_of_its_own(tmp_path: Path) -> None:
    """A sheet that differs from the published one under the published id is refused, in both
    languages (assessments record the id, and a comparison relies on it); a copy of the published
    sheet under its id loads as that sheet."""
    data = raw_scheme()
    assert load_scheme(write(tmp_path, data)) == load_scheme()
    indicators = data["categories"][2]["indicators"]
    indicators[0]["points"], indicators[1]["points"] = 10.5, 14.5
    with pytest.raises(SchemeError, match=r"^.*scheme\.json: id: 'gbt-27922-2011' is the published sheet's id") as caught:
        load_scheme(write(tmp_path, data))
    assert caught.value.code == "published_id"
    assert caught.value.message("zh", with_source=False) == "id：'gbt-27922-2011' 是公开发布的评分表的 id，而此评分表与它不同：请为它另取一个 id"


def test_refuses_indicators_that_do_not_add_up_to_their_category(tmp_path: Path) -> None:
    """The message names the category and both sums."""
    data = raw_scheme()
    data["categories"][1]["indicators"][0]["points"] = 6
    with pytest.raises(SchemeError, match=r"commodity-service.*add up to 36 points.*35"):
        load_scheme(write(tmp_path, data))


@pytest.mark.parametrize(
    ("points", "first_indicator", "message"),
    [
        (26, 13, r"categories add up to 101 points .*customer-service 26"),
        (24, 11, r"categories add up to 99 points \(service-system 40 \+ commodity-service 35 \+ customer-service 24\), not 100"),
    ],
    ids=["over", "short"],
)
def test_refuses_categories_that_do_not_add_up_to_100(
    tmp_path: Path, points: int, first_indicator: int, message: str
) -> None:
    """A sheet over or short of 100 points is refused alike; the message gives each category's
    points and the total."""
    data = raw_scheme()
    data["categories"][2]["points"] = points
    data["categories"][2]["indicators"][0]["points"] = first_indicator
    with pytest.raises(SchemeError, match=message):
        load_scheme(write(tmp_path, data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["categories"][0]["indicators"][1].update(id="organisation"), "used twice"),
        (lambda d: d["categories"][0]["indicators"][0].update(id="Org_Structure"), "kebab-case"),
        (lambda d: d["categories"][0]["indicators"][0]["name"].pop("zh"), "missing zh"),
        (lambda d: d["categories"][0]["indicators"][0].update(points=0), "above 0"),
        (lambda d: d["categories"][0]["indicators"][0].update(points="6"), "above 0"),
        (lambda d: d["categories"][0].update(weight=1), "unknown field weight"),
        (lambda d: d.update(categories=[]), "no categories"),
        (lambda d: d["categories"][0]["indicators"][0].update(id="org_structure"), "kebab-case"),
        (lambda d: d["categories"][0]["indicators"][0].update(id="-org--1"), "kebab-case"),
        (lambda d: d["categories"][0]["indicators"][0].update(id="organisation-"), "kebab-case"),
        (lambda d: d["categories"][0]["indicators"][0].update(id="1-organisation"), "kebab-case"),
        (lambda d: d["categories"][1].update(id="service-system"), "used twice"),
        (lambda d: d.update(indicative="yes"), "indicative: expected true or false"),
        (lambda d: d.update(indicative=1), "indicative: expected true or false"),
        (lambda d: d["categories"][0]["indicators"][0]["name"].update(en="  "), "name: en: expected a non-empty text"),
        (lambda d: d["categories"][0]["name"].update(zh=""), "name: zh: expected a non-empty text"),
        (lambda d: d["categories"][0]["indicators"][0]["description"].update(zh=None), "description: zh: expected"),
        (lambda d: d.update(id=" "), "scheme.json: id: expected a non-empty text"),
        (lambda d: d["categories"][0]["indicators"][0].update(points=-1), "above 0"),
        (lambda d: d["categories"][0]["indicators"][0].update(points=True), "above 0"),
        (lambda d: d["categories"][0]["indicators"][0].update(points=None), "above 0"),
        (lambda d: d["categories"][0].update(indicators=[]), "has no indicators"),
        (lambda d: d["categories"][0].update(indicators={}), "indicators: expected a list"),
        (lambda d: d.update(categories={}), "categories: expected a list"),
        (lambda d: d["categories"][0]["indicators"].__setitem__(0, []), "indicators\\[0\\]: expected an object"),
        (lambda d: d["categories"][0].pop("points"), "missing points"),
        (lambda d: d.update(extra=1), "unknown field extra"),
    ],
)
def test_refuses_malformed_schemes(tmp_path: Path, change: Any, message: str) -> None:
    """Duplicate or malformed ids, missing names, bad points and unknown fields are named."""
    data = copy.deepcopy(raw_scheme())
    change(data)
    with pytest.raises(SchemeError, match=message) as caught:
        load_scheme(write(tmp_path, data))
    # In Chinese: the same place in the file, the reason in Chinese words.
    error = caught.value
    chinese = error.message("zh", with_source=False)
    assert chinese.startswith(error.path) and re.search(r"[\u4e00-\u9fff]", chinese.removeprefix(error.path)), chinese
    assert error.message("en") == str(error)


def test_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    """An unreadable scheme is an error with the file's name, not a traceback."""
    path = tmp_path / "scheme.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(SchemeError, match="cannot read the scheme"):
        load_scheme(path)


def test_refuses_indicators_that_add_up_to_less_than_their_category(tmp_path: Path) -> None:
    """Indicators short of their category's points are refused, like those over it."""
    data = raw_scheme()
    data["categories"][1]["indicators"][0]["points"] = 4
    with pytest.raises(SchemeError, match=r"commodity-service.*add up to 34 points.*35"):
        load_scheme(write(tmp_path, data))


@pytest.mark.parametrize("indicator_id", ["a", "org-1", "x2", "after-sales-2011", "a-b-c"])
def test_kebab_case_ids_are_accepted(tmp_path: Path, indicator_id: str) -> None:
    """Lower-case words of letters and digits, joined by single hyphens, starting with a letter."""
    data = raw_scheme()
    data["id"] = "own-sheet"  # another sheet than the published one
    data["categories"][0]["indicators"][0]["id"] = indicator_id
    assert load_scheme(write(tmp_path, data)).indicators[0].id == indicator_id


def test_fractional_points_above_0_and_the_optional_fields(tmp_path: Path) -> None:
    """Points may be any amount above 0 (0.5 included); without title and indicative the scheme
    is titled by its id and not indicative; an indicator is found by id, an unknown id is None."""
    data = raw_scheme()
    del data["title"], data["indicative"]
    data["id"] = "acme-service-2026"
    indicators = data["categories"][2]["indicators"]
    indicators[0]["points"], indicators[1]["points"] = 0.5, 24.5
    scheme = load_scheme(write(tmp_path, data))
    assert dict(scheme.title) == {"en": "acme-service-2026", "zh": "acme-service-2026"}
    assert scheme.indicative is False
    assert scheme.indicator("customer-relations").points == Decimal("0.5")  # type: ignore[union-attr]
    assert scheme.indicator("no-such-indicator") is None
    assert [i.id for i in scheme.indicators][:2] == ["organisation", "staffing"]


def test_the_scheme_cannot_be_changed_once_loaded() -> None:
    """The loaded scheme is shared by every assessment: its values are frozen."""
    scheme = load_scheme()
    with pytest.raises(dataclasses.FrozenInstanceError):
        scheme.indicators[0].points = Decimal(100)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        scheme.categories[0].points = Decimal(100)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        scheme.indicative = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        scheme.indicators[0].name["en"] = "x"  # type: ignore[index]


def test_a_missing_file_is_a_scheme_error(tmp_path: Path) -> None:
    """A scheme path that does not exist is a SchemeError naming the file, not an OSError."""
    with pytest.raises(SchemeError, match=r"absent\.json: cannot read the scheme"):
        load_scheme(tmp_path / "absent.json")


def test_a_sheet_given_as_text_is_read_like_a_file(tmp_path: Path) -> None:
    """read_scheme checks text as load_scheme checks a file, its messages opened by the source."""
    data = raw_scheme()
    assert read_scheme(json.dumps(data)) == load_scheme()
    data["categories"][2]["points"] = 26
    with pytest.raises(SchemeError) as from_text:
        read_scheme(json.dumps(data), "sheet")
    with pytest.raises(SchemeError) as from_file:
        load_scheme(write(tmp_path, data))
    assert str(from_text.value).startswith("sheet: ")
    assert str(from_text.value).removeprefix("sheet") == str(from_file.value).removeprefix(str(tmp_path / "scheme.json"))
    with pytest.raises(SchemeError, match="^sheet: cannot read the scheme"):
        read_scheme('{"id": "x",', "sheet")
