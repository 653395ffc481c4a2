"""The evaluation scheme: categories and indicators with their points, loaded from data."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from calculator.languages import LANGUAGES

#: The scheme shipped with the package (indicative split of points inside each category).
DEFAULT_SCHEME = Path(__file__).with_name("scheme.json")

#: Points of the whole scheme: the evaluation is on a 100-point scale.
TOTAL_POINTS = Decimal(100)

_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class SchemeError(ValueError):
    """The scheme file is malformed or its points do not add up."""


@dataclass(frozen=True)
class Indicator:
    """A second-level indicator: what an assessor checks, and the points it carries."""

    id: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    points: Decimal


@dataclass(frozen=True)
class Category:
    """A first-level indicator, made of second-level indicators whose points add up to its own."""

    id: str
    name: Mapping[str, str]
    points: Decimal
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Scheme:
    """The whole evaluation scheme; its categories add up to TOTAL_POINTS.

    Every name and description is given in each of LANGUAGES.
    """

    id: str
    title: Mapping[str, str]
    indicative: bool
    categories: tuple[Category, ...]

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in the scheme's order."""
        return tuple(i for c in self.categories for i in c.indicators)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, or None."""
        return self._by_id.get(indicator_id)

    @cached_property
    def _by_id(self) -> Mapping[str, Indicator]:
        return {i.id: i for i in self.indicators}


def load_scheme(path: str | Path | None = None) -> Scheme:
    """Load and check a scheme file (JSON); the package's own one by default.

    Raises:
        SchemeError: the file is unreadable, malformed, or its points do not add up; the message
            names the category or indicator at fault.

    Example:
        >>> len(load_scheme().indicators)
        15
    """
    if path is None:
        return _default_scheme()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_scheme() -> Scheme:
    return _load(DEFAULT_SCHEME)


def _load(path: Path) -> Scheme:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError(f"{path}: cannot read the scheme: {exc}") from None
    return read_scheme(text, source=str(path))


def read_scheme(text: str, source: str = "scheme") -> Scheme:
    """Read and check a scheme given as JSON text: what ``--scheme FILE`` and the page's own
    scoring sheet both go through. ``source`` opens every message (the file's path, for one).

    Raises:
        SchemeError: the text is not JSON, is malformed, or its points do not add up.

    Example:
        >>> read_scheme('{"id": "x", "categories": []}', "sheet.json")
        Traceback (most recent call last):
        ...
        calculator.scheme.SchemeError: sheet.json: the scheme has no categories
    """
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except (ValueError, RecursionError) as exc:
        raise SchemeError(f"{source}: cannot read the scheme: {exc}") from None
    return parse_scheme(data, source=source)


def parse_scheme(data: Any, source: str = "scheme") -> Scheme:
    """Build a :class:`Scheme` from decoded JSON data (numbers as ``Decimal``), checking it whole.

    Raises:
        SchemeError: the data is malformed or its points do not add up.
    """
    where = source
    obj = _object(data, where)
    _keys(obj, where, required={"id", "categories"}, optional={"title", "indicative", "note"})
    scheme_id = _text(obj["id"], f"{where}: id")
    title = _names(obj.get("title", dict.fromkeys(LANGUAGES, scheme_id)), f"{where}: title")
    indicative = obj.get("indicative", False)
    if not isinstance(indicative, bool):
        raise SchemeError(f"{where}: indicative must be true or false")
    seen: set[str] = set()
    categories = []
    for n, raw in enumerate(_list(obj["categories"], f"{where}: categories")):
        categories.append(_category(raw, f"{where}: categories[{n}]", seen))
    if not categories:
        raise SchemeError(f"{where}: the scheme has no categories")
    total = sum((c.points for c in categories), Decimal(0))
    if total != TOTAL_POINTS:
        parts = " + ".join(f"{c.id} {c.points}" for c in categories)
        raise SchemeError(
            f"{where}: the categories add up to {total} points ({parts}), not {TOTAL_POINTS}"
        )
    return Scheme(scheme_id, title, indicative, tuple(categories))


def _category(raw: Any, where: str, seen: set[str]) -> Category:
    obj = _object(raw, where)
    _keys(obj, where, required={"id", "name", "points", "indicators"})
    cid = _id(obj["id"], where, seen)
    where = f"{where} ({cid})"
    points = _points(obj["points"], f"{where}: points")
    indicators = tuple(
        _indicator(r, f"{where}: indicators[{n}]", seen)
        for n, r in enumerate(_list(obj["indicators"], f"{where}: indicators"))
    )
    if not indicators:
        raise SchemeError(f"{where}: the category has no indicators")
    total = sum((i.points for i in indicators), Decimal(0))
    if total != points:
        raise SchemeError(
            f"{where}: the indicators of category {cid!r} add up to {total} points,"
            f" not the category's {points}"
        )
    return Category(cid, _names(obj["name"], f"{where}: name"), points, indicators)


def _indicator(raw: Any, where: str, seen: set[str]) -> Indicator:
    obj = _object(raw, where)
    _keys(obj, where, required={"id", "name", "description", "points"})
    iid = _id(obj["id"], where, seen)
    where = f"{where} ({iid})"
    return Indicator(
        iid,
        _names(obj["name"], f"{where}: name"),
        _names(obj["description"], f"{where}: description"),
        _points(obj["points"], f"{where}: points"),
    )


def _object(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise SchemeError(f"{where}: expected an object")
    return raw


def _list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise SchemeError(f"{where}: expected a list")
    return raw


def _keys(obj: dict[str, Any], where: str, required: set[str], optional: set[str] = set()) -> None:
    missing = sorted(required - obj.keys())
    if missing:
        raise SchemeError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(obj.keys() - required - optional)
    if unknown:
        raise SchemeError(f"{where}: unknown field {', '.join(unknown)}")


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise SchemeError(f"{where}: expected a non-empty text")
    return raw


def _id(raw: Any, where: str, seen: set[str]) -> str:
    value = _text(raw, f"{where}: id")
    if not _ID.fullmatch(value):
        raise SchemeError(f"{where}: id {value!r} is not kebab-case (like 'complaint-handling')")
    if value in seen:
        raise SchemeError(f"{where}: id {value!r} is used twice")
    seen.add(value)
    return value


def _names(raw: Any, where: str) -> Mapping[str, str]:
    obj = _object(raw, where)
    _keys(obj, where, required=set(LANGUAGES))
    return MappingProxyType({lang: _text(obj[lang], f"{where}: {lang}") for lang in LANGUAGES})


def _points(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, Decimal) or not raw.is_finite() or raw <= 0:
        raise SchemeError(f"{where}: expected a number of points above 0, got {raw!r}")
    return raw
