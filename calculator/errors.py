"""Errors: what is wrong with an assessment, by stable code and field, in each of the languages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from calculator.exact import plain
from calculator.languages import DEFAULT_LANGUAGE, language
from calculator.scheme import Scheme
from calculator.scheme import SchemeError as SchemeError  # at home in scheme, still found here


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an assessment.

    ``code`` is stable (the page translates and tests match on it), ``path`` the JSON keys that
    lead to the offending field, and ``params`` what the message needs: allowed values, bounds,
    and what was given.
    """

    code: str
    path: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pointer(self) -> str:
        """The path as a JSON Pointer (RFC 6901): ``/indicators/repair/points``; ``""`` is the whole."""
        return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in self.path)

    def message(self, lang: str = DEFAULT_LANGUAGE, scheme: Scheme | None = None) -> str:
        """The message in ``lang`` (one of LANGUAGES, else the default), naming the field and
        what is allowed.

        Example:
            >>> Problem("not_boolean", ("special_bonus",), {"got": "1"}).message()
            'The special bonus must be true or false, not 1.'
        """
        lang = language(lang)
        values = {k: _show(v, lang) for k, v in self.params.items()}
        if "limit" in self.params:  # a size in bytes, also given in megabytes
            values["megabytes"] = plain(Decimal(self.params["limit"]) / _BYTES_PER_MEGABYTE)
        text = _MESSAGES[self.code][lang].format(field=field_label(self.path, lang, scheme), **values)
        return text[0].upper() + text[1:]


class InvalidAssessment(ValueError):
    """The assessment cannot be scored; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem], scheme: Scheme | None = None) -> None:
        self.problems = tuple(problems)
        self.scheme = scheme
        super().__init__("\n".join(self.messages()))

    def messages(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        """Each problem as a line: the field's JSON Pointer and the message."""
        return [
            f"{p.pointer or '(document)'}: {p.message(lang, self.scheme)}" for p in self.problems
        ]


def field_label(path: tuple[str, ...], lang: str = DEFAULT_LANGUAGE, scheme: Scheme | None = None) -> str:
    """A reader's name for the field at ``path``.

    Example:
        >>> field_label(("indicators", "repair", "samples"))
        'the samples checked for “repair”'
    """
    lang = language(lang)
    if not path:
        return _LABELS["document"][lang]
    top = path[0]
    if len(path) == 1:
        return _TOP_LABELS[top][lang] if top in _TOP_LABELS else _LABELS["field"][lang].format(key=top)
    if top == "indicators":
        indicator = path[1]
        name = indicator
        if scheme is not None and (found := scheme.indicator(indicator)) is not None:
            name = found.name[lang]
        if len(path) == 2:
            return _LABELS["indicator"][lang].format(name=name)
        leaf = path[2]
        label = _INDICATOR_LABELS[leaf] if leaf in _INDICATOR_LABELS else _LABELS["indicator_field"]
        return label[lang].format(name=name, key=leaf)
    return "/".join(path)


# Labels by language. {key} is a field's own key, {name} the indicator's name (or id).
_LABELS = {
    "document": {"en": "the assessment", "zh": "评估数据"},
    "field": {"en": "“{key}”", "zh": "“{key}”"},
    "indicator": {"en": "the indicator “{name}”", "zh": "指标“{name}”"},
    "indicator_field": {"en": "“{key}” of “{name}”", "zh": "“{name}”的“{key}”"},
}

_TOP_LABELS = {
    "total": {"en": "the total score", "zh": "总分"},
    "special_deductions": {"en": "the number of special deductions", "zh": "特别扣分项数"},
    "special_bonus": {"en": "the special bonus", "zh": "特别加分项"},
    "indicators": {"en": "the indicators", "zh": "指标"},
    "scheme": {"en": "the scoring sheet (“scheme”)", "zh": "评分表（“scheme”）"},
    "organisation": {"en": "the organisation", "zh": "受评组织"},
    "assessor": {"en": "the assessor", "zh": "评估人"},
    "assessment_date": {"en": "the assessment date", "zh": "评估日期"},
}

_INDICATOR_LABELS = {
    "status": {"en": "the answer for “{name}”", "zh": "“{name}”的评价结果"},
    "samples": {"en": "the samples checked for “{name}”", "zh": "“{name}”的抽样数"},
    "nonconforming": {"en": "the nonconforming samples of “{name}”", "zh": "“{name}”的不符合样本数"},
    "points": {"en": "the points for “{name}”", "zh": "“{name}”的得分"},
}

# One template per code and language. {field} is the reader's name of the field; the other
# placeholders are the problem's params, and {megabytes} the "limit" in megabytes.
_MESSAGES: dict[str, dict[str, str]] = {
    "not_json": {
        "en": "{field} is not valid JSON: {detail} (line {line}, column {column}).",
        "zh": "{field}不是有效的 JSON：第 {line} 行第 {column} 列有误（{detail}）。",
    },
    "too_large": {
        "en": "{field} is {size} bytes; at most {limit} bytes ({megabytes} MB) are accepted.",
        "zh": "{field}大小为 {size} 字节，最多只接受 {limit} 字节（{megabytes} MB）。",
    },
    "not_object": {
        "en": "{field} must be a JSON object ({{...}}), not {got}.",
        "zh": "{field}必须是 JSON 对象（{{...}}），而不是 {got}。",
    },
    "duplicate_key": {
        "en": "{field} is given more than once; give it once.",
        "zh": "{field}出现了多次，只能出现一次。",
    },
    "unknown_key": {
        "en": "{field} is not a known field here; allowed: {allowed}.",
        "zh": "{field}不是此处可用的字段；可用字段：{allowed}。",
    },
    "unknown_indicator": {
        "en": "{field} is not an indicator of this scheme; allowed: {allowed}.",
        "zh": "{field}不是本评价体系中的指标；可用指标：{allowed}。",
    },
    "unknown_status": {
        "en": "{field} must be one of {allowed}, not {got}.",
        "zh": "{field}必须是以下之一：{allowed}，而不是 {got}。",
    },
    "missing_key": {
        "en": "{field} is missing; give one of {allowed}.",
        "zh": "缺少{field}；请选择以下之一：{allowed}。",
    },
    "required": {
        "en": "{field} is missing; enter a number from {min} to {max}.",
        "zh": "缺少{field}；请输入 {min} 到 {max} 之间的数字。",
    },
    "not_a_number": {
        "en": "{field} must be a number from {min} to {max}, not {got}.",
        "zh": "{field}必须是 {min} 到 {max} 之间的数字，而不是 {got}。",
    },
    "not_finite": {
        "en": "{field} must be a finite number from {min} to {max}, not {got}.",
        "zh": "{field}必须是 {min} 到 {max} 之间的有限数字，而不是 {got}。",
    },
    "out_of_range": {
        "en": "{field} must be from {min} to {max}, not {got}.",
        "zh": "{field}必须在 {min} 到 {max} 之间，而不是 {got}。",
    },
    "not_whole": {
        "en": "{field} must be a whole number from {min} to {max}, not {got}.",
        "zh": "{field}必须是 {min} 到 {max} 之间的整数，而不是 {got}。",
    },
    "too_precise": {
        "en": "{field} may have at most {places} decimal places, not {got}.",
        "zh": "{field}最多保留 {places} 位小数，而不是 {got}。",
    },
    "not_boolean": {
        "en": "{field} must be true or false, not {got}.",
        "zh": "{field}必须是 true（有）或 false（无），而不是 {got}。",
    },
    "not_text": {
        "en": "{field} must be text of at most {max} characters, not {got}.",
        "zh": "{field}必须是不超过 {max} 个字符的文字，而不是 {got}。",
    },
    "too_long": {
        "en": "{field} has {length} characters; at most {max} are allowed.",
        "zh": "{field}有 {length} 个字符，最多只能有 {max} 个。",
    },
    "not_a_date": {
        "en": "{field} must be a date written YYYY-MM-DD, such as 2026-03-31, not {got}.",
        "zh": "{field}必须是按“年-月-日”（YYYY-MM-DD）书写的日期，例如 2026-03-31，而不是 {got}。",
    },
    "conflicting_keys": {
        "en": "{field} gives both “total” (quick score) and “indicators” (full self-assessment);"
        " give one of them.",
        "zh": "{field}同时给出了“total”（快速评分）和“indicators”（完整自评），只能二选一。",
    },
    "scheme_mismatch": {
        "en": "{field} names the sheet {got}, but this is scored with the sheet “{expected}”;"
        " score it with the sheet it was made under, or remove the field to score it with this one.",
        "zh": "{field}指明的评分表是 {got}，但当前使用的评分表是“{expected}”；请使用它所依据的评分表评分，"
        "或删除该字段以按当前评分表评分。",
    },
    "all_excluded": {
        "en": "{field}: every indicator is marked not applicable; at least one must apply.",
        "zh": "{field}：所有指标都被标为不适用（删减），至少要有一项适用。",
    },
}

#: Every error code an assessment can produce.
CODES = tuple(_MESSAGES)

_BYTES_PER_MEGABYTE = 1_000_000

_LIST_SEPARATORS = {"en": ", ", "zh": "、"}


def _show(value: Any, lang: str) -> str:
    if isinstance(value, (list, tuple)):
        return _LIST_SEPARATORS[lang].join(str(v) for v in value)
    return str(value)
