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

from calculator.languages import DEFAULT_LANGUAGE, LANGUAGES, language

#: The scheme shipped with the package (indicative split of points inside each category).
DEFAULT_SCHEME = Path(__file__).with_name("scheme.json")

#: Points of the whole scheme: the evaluation is on a 100-point scale.
TOTAL_POINTS = Decimal(100)

_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class SchemeError(ValueError):
    """The scheme file is malformed or its points do not add up.

    ``code`` is stable, ``path`` says where in the scheme ("categories[0] (service-system):
    points", each list item followed by its id once known; "" for the whole), ``params`` what the
    message needs, and ``source`` what was read (a file's path, or "sheet"). ``str()`` gives the
    source, the path and the message in English, as the command line prints it.

    Example:
        >>> error = SchemeError("categories[1]", "no_indicators", source="sheet.json")
        >>> str(error)
        'sheet.json: categories[1]: the category has no indicators'
        >>> error.message("zh", with_source=False)
        'categories[1]：该一级指标下没有二级指标'
    """

    def __init__(self, path: str, code: str, source: str = "", **params: Any) -> None:
        self.path = path
        self.code = code
        self.source = source
        self.params = params
        super().__init__(path, code)

    def __str__(self) -> str:
        return self.message()

    def message(self, lang: str = DEFAULT_LANGUAGE, *, with_source: bool = True) -> str:
        """The message in ``lang`` (one of LANGUAGES, else the default), after the place it
        concerns, and first the source unless ``with_source`` is false."""
        lang = language(lang)
        separator = _SEPARATOR[lang]
        place = [self.source] if with_source and self.source else []
        place += [self.path] if self.path else []
        return separator.join([*place, _MESSAGES[self.code][lang].format(**self.params)])


#: What joins the source, the place and the message, by language.
_SEPARATOR = {"en": ": ", "zh": "："}

#: Each refusal of a scheme, by code, in each language.
_MESSAGES: dict[str, dict[str, str]] = {
    "unreadable": {"en": "cannot read the scheme: {detail}", "zh": "无法读取评分表：{detail}"},
    "not_json": {
        "en": "cannot read the scheme: not JSON at line {line}, column {column}",
        "zh": "无法读取评分表：第 {line} 行第 {column} 列处不是有效的 JSON",
    },
    "not_boolean": {"en": "expected true or false", "zh": "应为 true 或 false"},
    "no_categories": {"en": "the scheme has no categories", "zh": "评分表中没有一级指标"},
    "categories_total": {
        "en": "the categories add up to {total} points ({parts}), not {expected}",
        "zh": "各一级指标的分值之和为 {total}（{parts}），而不是 {expected}",
    },
    "no_indicators": {"en": "the category has no indicators", "zh": "该一级指标下没有二级指标"},
    "indicators_total": {
        "en": "the indicators of category '{category}' add up to {total} points, not the category's {points}",
        "zh": "一级指标 '{category}' 下各二级指标的分值之和为 {total}，而不是该一级指标的 {points}",
    },
    "not_object": {"en": "expected an object", "zh": "应为对象（{{...}}）"},
    "not_list": {"en": "expected a list", "zh": "应为列表（[...]）"},
    "missing": {"en": "missing {names}", "zh": "缺少 {names}"},
    "unknown": {"en": "unknown field {names}", "zh": "未知字段 {names}"},
    "empty_text": {"en": "expected a non-empty text", "zh": "应为非空文本"},
    "not_kebab_case": {
        "en": "id '{id}' is not kebab-case (like 'complaint-handling')",
        "zh": "id '{id}' 不是 kebab-case 格式（如 'complaint-handling'）",
    },
    "duplicate_id": {"en": "id '{id}' is used twice", "zh": "id '{id}' 重复使用"},
    "published_id": {
        "en": "'{id}' is the published sheet's id, and this sheet differs from it: give it an id of its own",
        "zh": "'{id}' 是公开发布的评分表的 id，而此评分表与它不同：请为它另取一个 id",
    },
    "not_points": {
        "en": "expected a number of points above 0, got {got}",
        "zh": "应为大于 0 的分值，实际为 {got}",
    },
    "too_large": {
        "en": "the sheet is {size} bytes; at most {limit} are accepted",
        "zh": "评分表有 {size} 字节，最多接受 {limit} 字节",
    },
    "too_deep": {"en": "the sheet nests deeper than {limit} levels", "zh": "评分表的嵌套超过 {limit} 层"},
}


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
    return own_sheet(_load(Path(path)), str(path))


def own_sheet(sheet: Scheme, source: str) -> Scheme:
    """``sheet``, given in place of the published scheme (``source`` names it), unless it takes
    the published scheme's id without being the same: an id names one sheet, since assessments
    record it and a comparison relies on it.

    Raises:
        SchemeError: the sheet has the published scheme's id and differs from it.

    Example:
        >>> own_sheet(load_scheme(), "copy.json") == load_scheme()
        True
    """
    published = _default_scheme()
    if sheet.id == published.id and sheet != published:
        raise SchemeError("id", "published_id", source=source, id=sheet.id)
    return sheet


@lru_cache(maxsize=1)
def _default_scheme() -> Scheme:
    return _load(DEFAULT_SCHEME)


def _load(path: Path) -> Scheme:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError("", "unreadable", source=str(path), detail=exc) from None
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
    except json.JSONDecodeError as exc:
        raise SchemeError("", "not_json", source=source, line=exc.lineno, column=exc.colno) from None
    except (ValueError, RecursionError) as exc:
        raise SchemeError("", "unreadable", source=source, detail=exc) from None
    return parse_scheme(data, source=source)


def parse_scheme(data: Any, source: str = "scheme") -> Scheme:
    """Build a :class:`Scheme` from decoded JSON data (numbers as ``Decimal``), checking it whole.

    Raises:
        SchemeError: the data is malformed or its points do not add up.
    """
    try:
        return _scheme(data)
    except SchemeError as exc:
        exc.source = source
        raise


def _scheme(data: Any) -> Scheme:
    obj = _object(data, "")
    _keys(obj, "", required={"id", "categories"}, optional={"title", "indicative", "note"})
    scheme_id = _text(obj["id"], "id")
    title = _names(obj.get("title", dict.fromkeys(LANGUAGES, scheme_id)), "title")
    indicative = obj.get("indicative", False)
    if not isinstance(indicative, bool):
        raise SchemeError("indicative", "not_boolean")
    seen: set[str] = set()
    categories = []
    for n, raw in enumerate(_list(obj["categories"], "categories")):
        categories.append(_category(raw, f"categories[{n}]", seen))
    if not categories:
        raise SchemeError("", "no_categories")
    total = sum((c.points for c in categories), Decimal(0))
    if total != TOTAL_POINTS:
        parts = " + ".join(f"{c.id} {c.points}" for c in categories)
        raise SchemeError("", "categories_total", total=total, parts=parts, expected=TOTAL_POINTS)
    return Scheme(scheme_id, title, indicative, tuple(categories))


def _category(raw: Any, where: str, seen: set[str]) -> Category:
    obj = _object(raw, where)
    _keys(obj, where, required={"id", "name", "points", "indicators"})
    cid = _id(obj["id"], where, seen)
    where = f"{where} ({cid})"
    points = _points(obj["points"], _at(where, "points"))
    indicators = tuple(
        _indicator(r, _at(where, f"indicators[{n}]"), seen)
        for n, r in enumerate(_list(obj["indicators"], _at(where, "indicators")))
    )
    if not indicators:
        raise SchemeError(where, "no_indicators")
    total = sum((i.points for i in indicators), Decimal(0))
    if total != points:
        raise SchemeError(where, "indicators_total", category=cid, total=total, points=points)
    return Category(cid, _names(obj["name"], _at(where, "name")), points, indicators)


def _indicator(raw: Any, where: str, seen: set[str]) -> Indicator:
    obj = _object(raw, where)
    _keys(obj, where, required={"id", "name", "description", "points"})
    iid = _id(obj["id"], where, seen)
    where = f"{where} ({iid})"
    return Indicator(
        iid,
        _names(obj["name"], _at(where, "name")),
        _names(obj["description"], _at(where, "description")),
        _points(obj["points"], _at(where, "points")),
    )


def _at(where: str, key: str) -> str:
    """The path of ``key`` inside ``where`` ("" for the whole scheme)."""
    return f"{where}: {key}" if where else key


def _object(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise SchemeError(where, "not_object")
    return raw


def _list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise SchemeError(where, "not_list")
    return raw


def _keys(obj: dict[str, Any], where: str, required: set[str], optional: set[str] = set()) -> None:
    missing = sorted(required - obj.keys())
    if missing:
        raise SchemeError(where, "missing", names=", ".join(missing))
    unknown = sorted(obj.keys() - required - optional)
    if unknown:
        raise SchemeError(where, "unknown", names=", ".join(unknown))


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise SchemeError(where, "empty_text")
    return raw


def _id(raw: Any, where: str, seen: set[str]) -> str:
    value = _text(raw, _at(where, "id"))
    if not _ID.fullmatch(value):
        raise SchemeError(where, "not_kebab_case", id=value)
    if value in seen:
        raise SchemeError(where, "duplicate_id", id=value)
    seen.add(value)
    return value


def _names(raw: Any, where: str) -> Mapping[str, str]:
    obj = _object(raw, where)
    _keys(obj, where, required=set(LANGUAGES))
    return MappingProxyType({lang: _text(obj[lang], _at(where, lang)) for lang in LANGUAGES})


def _points(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, Decimal) or not raw.is_finite() or raw <= 0:
        raise SchemeError(where, "not_points", got=_shown(raw))
    return raw


def _shown(raw: Any) -> str:
    """A JSON value as the scheme's file writes it: ``-1``, ``true``, ``"ten"``, ``{...}``."""
    if isinstance(raw, Decimal):
        return str(raw)
    if isinstance(raw, dict):
        return "{...}"
    if isinstance(raw, list):
        return "[...]"
    return json.dumps(raw, ensure_ascii=False)
