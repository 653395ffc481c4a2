"""The evaluation scheme: the shipped data, and the loader's refusal of schemes that don't add up."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from calculator.scheme import DEFAULT_SCHEME, load_scheme
from calculator.errors import SchemeError


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
        for lang in ("en", "zh"):
            assert indicator.name[lang].strip()
            assert indicator.description[lang].strip()
            assert "\n" not in indicator.description[lang]
        assert re.search(r"[\u4e00-\u9fff]", indicator.name["zh"])


def test_scheme_json_has_the_documented_shape() -> None:
    """The JSON form lists categories with names, points and indicators, and the tier table."""
    data = load_scheme().to_json()
    assert data["id"] == "gbt-27922-2011"
    category = data["categories"][2]
    assert category["name"] == {"en": "Customer service", "zh": "顾客服务"}
    assert category["points"] == 25
    assert set(category["indicators"][0]) == {"id", "name", "description", "points"}
    assert [(t["id"], t["minimum"], t["stars"]) for t in data["tiers"]] == [
        ("fail", 0, 0),
        ("standard", 70, 0),
        ("three-star", 80, 3),
        ("four-star", 90, 4),
        ("five-star", 95, 5),
    ]
    assert data["special_deductions_fail"] == 5
    assert data["pass_minimum"] == 70


def test_a_maintainer_can_load_a_replacement_sheet(tmp_path: Path) -> None:
    """A certification body's own split of points loads, if it adds up."""
    data = raw_scheme()
    data["indicative"] = False
    indicators = data["categories"][2]["indicators"]
    indicators[0]["points"], indicators[1]["points"] = 10.5, 14.5
    scheme = load_scheme(write(tmp_path, data))
    assert not scheme.indicative
    assert scheme.indicator("customer-relations").points == Decimal("10.5")


def test_refuses_indicators_that_do_not_add_up_to_their_category(tmp_path: Path) -> None:
    """The message names the category and both sums."""
    data = raw_scheme()
    data["categories"][1]["indicators"][0]["points"] = 6
    with pytest.raises(SchemeError, match=r"commodity-service.*add up to 36 points.*35"):
        load_scheme(write(tmp_path, data))


def test_refuses_categories_that_do_not_add_up_to_100(tmp_path: Path) -> None:
    """The message gives each category's points and the total."""
    data = raw_scheme()
    data["categories"][2]["points"] = 26
    data["categories"][2]["indicators"][0]["points"] = 13
    with pytest.raises(SchemeError, match=r"categories add up to 101 points .*customer-service 26"):
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
    ],
)
def test_refuses_malformed_schemes(tmp_path: Path, change: Any, message: str) -> None:
    """Duplicate or malformed ids, missing names, bad points and unknown fields are named."""
    data = copy.deepcopy(raw_scheme())
    change(data)
    with pytest.raises(SchemeError, match=message):
        load_scheme(write(tmp_path, data))


def test_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    """An unreadable scheme is an error with the file's name, not a traceback."""
    path = tmp_path / "scheme.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(SchemeError, match="cannot read the scheme"):
        load_scheme(path)
