"""The assessment a company fills in: reading and checking it from JSON, and writing it back."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import accumulate
from types import MappingProxyType
from typing import Any

from calculator.errors import InvalidAssessment, Problem
from calculator.exact import json_number, plain
from calculator.scheme import TOTAL_POINTS, Scheme, load_scheme
from calculator.tiers import SPECIAL_DEDUCTIONS_FAIL

#: Largest assessment text accepted, in bytes (inclusive). A full assessment is about 2 KB.
MAX_BYTES = 1_000_000

#: Deepest nesting of lists and objects accepted (inclusive); an assessment needs three. Deeper
#: text is refused before it is decoded: the decoder goes one call deeper for each level, and in
#: the browser's engine the stack runs out long before Python's recursion limit is reached.
MAX_DEPTH = 64

#: Most decimal places a points value or total may carry (inclusive).
MAX_DECIMAL_PLACES = 6

#: Most samples an indicator may be checked on (inclusive).
MAX_SAMPLES = 1_000_000

#: Most special deduction items that can be recorded (inclusive); SPECIAL_DEDUCTIONS_FAIL or more
#: already fail.
MAX_SPECIAL_DEDUCTIONS = 100

#: The answers an indicator can have, and the fields each one takes besides ``status``.
STATUSES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "conforms": (),
        "nonconforming": (),
        "sampled": ("samples", "nonconforming"),
        "scored": ("points",),
        "excluded": (),
    }
)

#: Most characters the organisation's or the assessor's name may have once trimmed (inclusive).
MAX_TEXT_LENGTH = 200

#: The optional fields saying whose assessment it is, who made it and when; they change no score.
DETAIL_KEYS = ("organisation", "assessor", "assessment_date")

_TOP_KEYS = ("scheme", "indicators", "special_deductions", "special_bonus", "total", *DETAIL_KEYS)

assert SPECIAL_DEDUCTIONS_FAIL <= MAX_SPECIAL_DEDUCTIONS


@dataclass(frozen=True)
class Answer:
    """How one indicator was found: its status and, for ``sampled`` or ``scored``, the figures."""

    status: str
    samples: int | None = None
    nonconforming: int | None = None
    points: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        """The answer in the assessment format."""
        data: dict[str, Any] = {"status": self.status}
        if self.status == "sampled":
            data.update(samples=self.samples, nonconforming=self.nonconforming)
        elif self.status == "scored":
            assert self.points is not None
            data["points"] = json_number(self.points)
        return data


@dataclass(frozen=True)
class Details:
    """Whose assessment it is, who made it and on which day (each None when not given)."""

    organisation: str | None = None
    assessor: str | None = None
    assessment_date: date | None = None

    def to_json(self) -> dict[str, str]:
        """The details given, in the assessment format (the date as YYYY-MM-DD)."""
        data = {"organisation": self.organisation, "assessor": self.assessor}
        if self.assessment_date is not None:
            data["assessment_date"] = self.assessment_date.isoformat()
        return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True)
class Assessment:
    """A checked assessment: either answers per indicator (full) or a total (quick form).

    ``answers`` is None in the quick form; in the full form an indicator missing from it is
    unanswered. ``scheme`` is the id of the scoring sheet the assessment names as the one it was
    made under (the optional ``scheme`` key), or None when it names none.
    """

    answers: Mapping[str, Answer] | None = None
    total: Decimal | None = None
    special_deductions: int = 0
    special_bonus: bool = False
    scheme: str | None = None
    details: Details = Details()

    def to_json(self) -> dict[str, Any]:
        """The assessment in its JSON format; parsing it back gives an equal assessment.

        Example:
            >>> parse_assessment('{"total": 80.5}').to_json()
            {'total': 80.5, 'special_deductions': 0, 'special_bonus': False}
        """
        data: dict[str, Any] = {} if self.scheme is None else {"scheme": self.scheme}
        data.update(self.details.to_json())
        if self.total is not None:
            data["total"] = json_number(self.total)
        else:
            answers = self.answers or {}
            data["indicators"] = {k: a.to_json() for k, a in answers.items()}
        data["special_deductions"] = self.special_deductions
        data["special_bonus"] = self.special_bonus
        return data


def parse_assessment(text: str | bytes, scheme: Scheme | None = None) -> Assessment:
    """Read an assessment from JSON text, checking every field.

    Numbers are read as exact decimals: ``0.1`` is one tenth.

    Raises:
        InvalidAssessment: with every problem found, each with a code and the field's path.

    Example:
        >>> a = parse_assessment('{"indicators": {"repair": {"status": "conforms"}}}')
        >>> a.answers["repair"].status
        'conforms'
    """
    scheme = scheme or load_scheme()
    data = _decode(text, scheme)
    return check_assessment(data, scheme)


def named_scheme(text: str | bytes) -> str | None:
    """The id of the scoring sheet an assessment's text names in its ``scheme`` key, or None when
    it names none (or gives something other than a text there, which reading it reports).

    Raises:
        InvalidAssessment: the text is not a JSON document within the limits.

    Example:
        >>> named_scheme('{"scheme": "acme-2025", "total": 90}'), named_scheme('{"total": 90}')
        ('acme-2025', None)
    """
    data = _decode(text, load_scheme())
    value = data.get("scheme") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def check_assessment(data: Any, scheme: Scheme | None = None) -> Assessment:
    """Check decoded JSON data (numbers as ``Decimal``) and build the assessment from it.

    Raises:
        InvalidAssessment: with every problem found.
    """
    scheme = scheme or load_scheme()
    checker = _Checker(scheme)
    assessment = checker.assessment(data)
    if checker.problems:
        raise InvalidAssessment(checker.problems, scheme)
    assert assessment is not None
    return assessment


class _NonFinite:
    """Stands for NaN or an infinity in the text, so it can be reported at its field."""

    def __init__(self, text: str) -> None:
        self.text = text


class _OutOfScale:
    """Stands for a number whose exponent is so far out that it is beyond every field's range
    (``large``) or precision, kept as typed: the decimal module holds exponents of some 4.25e8 at
    most on 32-bit builds such as Pyodide's, and of some 1e18 on 64-bit ones, so such a number is
    never made a Decimal and every platform reports it alike."""

    def __init__(self, text: str, large: bool) -> None:
        self.text = text
        self.large = large
        self.negative = text.startswith("-")


#: What typing with a Chinese input method puts where a number's ASCII characters belong, read as
#: those: the full-width digits, full stop, plus and minus signs (U+FF10-FF19, U+FF0E, U+FF0B,
#: U+FF0D), and the ideographic full stop (U+3002), which such input methods type for the "."
#: key while Chinese punctuation is on. Read as a decimal point it is unambiguous: the text must
#: then be a number, so it can only stand between digits, where Chinese writing gives it no other
#: meaning (it is never a digit-group separator). A comma, full-width or not, stays refused: it
#: separates thousands in some habits and decimals in others.
_TYPED = str.maketrans(
    {chr(0xFF10 + digit): str(digit) for digit in range(10)}
    | {"\uff0e": ".", "\u3002": ".", "\uff0b": "+", "\uff0d": "-"}
)

#: A JSON number, maybe after a plus sign (ASCII digits only: ``\d`` would match other scripts').
_TYPED_NUMBER = re.compile(r"(?:\+(?=[0-9]))?(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)")


def typed_number(text: str) -> str | None:
    """The JSON number a number typed as text stands for, or None when it stands for none.

    Spaces around it (the ideographic space U+3000 too) are dropped, the full-width forms in
    _TYPED read as their ASCII ones, and a leading plus sign dropped; what is left must be a JSON
    number. The page sends a field's text as typed whenever it is not a JSON number already, and
    an assessment file may give a number as such a string.

    Example:
        >>> typed_number("\u3000８５．５ "), typed_number("８５。５"), typed_number("+7")
        ('85.5', '85.5', '7')
        >>> typed_number("85,5") is None, typed_number("8 5") is None
        (True, True)
    """
    found = _TYPED_NUMBER.fullmatch(text.strip().translate(_TYPED))
    return found["number"] if found else None


#: A JSON number's parts (the decoder has matched it already).
_NUMBER = re.compile(r"-?(?P<digits>[0-9.]+)(?:[eE](?P<exponent>[+-]?[0-9]+))?")

#: A date as the assessment writes it: YYYY-MM-DD.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: Exponents of more digits than this are out of scale (see _OutOfScale).
_EXPONENT_DIGITS = 6


def _number(text: str) -> Decimal | _OutOfScale:
    """A JSON number as an exact decimal, or as _OutOfScale when its exponent has more than
    six digits (zero is zero, whatever its exponent).

    Example:
        >>> _number("86.50")
        Decimal('86.50')
        >>> _number("1e999999999").large
        True
    """
    parts = _NUMBER.fullmatch(text)
    exponent = parts["exponent"] if parts else None
    if exponent and len(exponent.lstrip("+-")) > _EXPONENT_DIGITS:
        if not parts["digits"].strip("0."):
            return Decimal("-0" if text.startswith("-") else "0")
        return _OutOfScale(text, large=not exponent.startswith("-"))
    return Decimal(text)


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys given more than once."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts = Counter(key for key, _ in pairs)
        self.repeated = sorted(key for key, count in counts.items() if count > 1)


def _decode(text: str | bytes, scheme: Scheme) -> Any:
    def fail(problem: Problem) -> InvalidAssessment:
        return InvalidAssessment([problem], scheme)

    if isinstance(text, bytes):
        size = len(text)
    elif isinstance(text, str):
        size = text_size(text)
    else:
        raise TypeError(f"expected JSON text, got {type(text).__name__}")
    if size > MAX_BYTES:
        raise fail(Problem("too_large", (), {"size": size, "limit": MAX_BYTES}))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            detail = f"bytes that are not UTF-8 ({exc.reason})"
            raise fail(Problem("not_json", (), {"detail": detail, "line": 1, "column": 1})) from None
    if nesting_depth(text) > MAX_DEPTH:
        params = {"detail": "nested too deeply", "line": 1, "column": 1}
        raise fail(Problem("not_json", (), params))
    try:
        return json.loads(
            text,
            parse_float=_number,
            parse_int=_number,
            parse_constant=_NonFinite,
            object_pairs_hook=_Object,
        )
    except json.JSONDecodeError as exc:
        params = {"detail": exc.msg, "line": exc.lineno, "column": exc.colno}
        raise fail(Problem("not_json", (), params)) from None


#: A JSON string, or what is left of the text after an unterminated one; possessive, so it never
#: backtracks and the scan stays linear.
_STRING = re.compile(r'"(?:[^"\\]++|\\[\s\S]?)*+(?:"|\Z)')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = str.maketrans({"[": "\x01", "{": "\x01", "]": "\xff", "}": "\xff"})


def text_size(text: str) -> int:
    """How many bytes JSON text takes as UTF-8 (a lone surrogate as three): what MAX_BYTES bounds.

    Example:
        >>> text_size('{"a": "评"}')
        12
    """
    return len(text.encode("utf-8", "surrogatepass"))


def nesting_depth(text: str) -> int:
    """How deeply lists and objects nest in JSON text, brackets inside strings aside: what
    MAX_DEPTH bounds, before any text is decoded.

    Example:
        >>> nesting_depth('{"a": [1, {"b": "]]"}]}')
        3
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = memoryview(brackets.translate(_DEPTH_STEP).encode("latin-1")).cast("b")
    return max(accumulate(steps), default=0)


class _Checker:
    """Walks decoded JSON, collecting every problem rather than stopping at the first."""

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.problems: list[Problem] = []

    def problem(self, code: str, path: tuple[str, ...], **params: Any) -> None:
        self.problems.append(Problem(code, path, params))

    def assessment(self, data: Any) -> Assessment | None:
        top = self.object(data, ())
        if top is None:
            return None
        self.known_keys(top, (), _TOP_KEYS, "unknown_key")
        named = None
        if "scheme" in top:
            raw = top["scheme"]
            if raw == self.scheme.id:
                named = self.scheme.id
            else:
                self.problem("scheme_mismatch", ("scheme",), got=_show(raw), expected=self.scheme.id)
        if "total" in top and "indicators" in top:
            self.problem("conflicting_keys", ())
        deductions = 0
        if "special_deductions" in top:
            found = self.number(
                top["special_deductions"], ("special_deductions",), 0, MAX_SPECIAL_DEDUCTIONS, whole=True
            )
            deductions = int(found) if found is not None else 0
        bonus = False
        if "special_bonus" in top:
            raw = top["special_bonus"]
            if isinstance(raw, bool):
                bonus = raw
            else:
                self.problem("not_boolean", ("special_bonus",), got=_show(raw))
        details = Details(
            self.detail_text(top, "organisation"),
            self.detail_text(top, "assessor"),
            self.detail_date(top, "assessment_date"),
        )
        total = answers = None
        if "total" in top:
            total = self.number(top["total"], ("total",), 0, TOTAL_POINTS)
        elif "indicators" in top:
            answers = self.answers(top["indicators"])
        else:
            answers = {}
        return Assessment(
            None if answers is None else MappingProxyType(answers), total, deductions, bonus,
            scheme=named, details=details,
        )

    def detail_text(self, top: dict[str, Any], key: str) -> str | None:
        """A name given as text, trimmed; None when not given or blank."""
        if key not in top:
            return None
        raw = top[key]
        if not isinstance(raw, str):
            self.problem("not_text", (key,), max=MAX_TEXT_LENGTH, got=_show(raw))
            return None
        text = raw.strip()
        if len(text) > MAX_TEXT_LENGTH:
            self.problem("too_long", (key,), max=MAX_TEXT_LENGTH, length=len(text))
            return None
        return text or None

    def detail_date(self, top: dict[str, Any], key: str) -> date | None:
        """A date written YYYY-MM-DD (typed digits read as in typed_number), trimmed; None when not
        given or blank."""
        if key not in top:
            return None
        raw = top[key]
        if isinstance(raw, str):
            text = raw.strip().translate(_TYPED)
            if not text:
                return None
            if _ISO_DATE.fullmatch(text):
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    pass  # no such day: reported below
        self.problem("not_a_date", (key,), got=_show(raw))
        return None

    def answers(self, raw: Any) -> dict[str, Answer]:
        path = ("indicators",)
        entries = self.object(raw, path)
        if entries is None:
            return {}
        ids = [i.id for i in self.scheme.indicators]
        self.known_keys(entries, path, ids, "unknown_indicator")
        answers = {}
        for indicator in self.scheme.indicators:
            if indicator.id in entries:
                answer = self.answer(entries[indicator.id], (*path, indicator.id), indicator.points)
                if answer is not None:
                    answers[indicator.id] = answer
        excluded = [a for a in answers.values() if a.status == "excluded"]
        if len(excluded) == len(ids):
            self.problem("all_excluded", path)
        # Keep the scheme's order, whatever the order in the text.
        return answers

    def answer(self, raw: Any, path: tuple[str, ...], maximum: Decimal) -> Answer | None:
        entry = self.object(raw, path)
        if entry is None:
            return None
        statuses = list(STATUSES)
        if "status" not in entry:
            self.problem("missing_key", (*path, "status"), allowed=statuses)
            self.known_keys(entry, path, ("status", "samples", "nonconforming", "points"), "unknown_key")
            return None
        status = entry["status"]
        if not isinstance(status, str) or status not in STATUSES:
            self.problem("unknown_status", (*path, "status"), allowed=statuses, got=_show(status))
            return None
        fields = STATUSES[status]
        self.known_keys(entry, path, ("status", *fields), "unknown_key")
        if status == "sampled":
            samples = self.number(entry.get("samples", ""), (*path, "samples"), 1, MAX_SAMPLES, whole=True)
            upper = samples if samples is not None else MAX_SAMPLES
            nonconforming = self.number(
                entry.get("nonconforming", ""), (*path, "nonconforming"), 0, upper, whole=True
            )
            if samples is None or nonconforming is None:
                return None
            return Answer(status, samples=int(samples), nonconforming=int(nonconforming))
        if status == "scored":
            points = self.number(entry.get("points", ""), (*path, "points"), 0, maximum)
            return None if points is None else Answer(status, points=points)
        return Answer(status)

    def object(self, raw: Any, path: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.problem("not_object", path, got=_show(raw))
            return None
        for key in getattr(raw, "repeated", ()):
            self.problem("duplicate_key", (*path, key))
        return raw

    def known_keys(
        self, obj: dict[str, Any], path: tuple[str, ...], allowed: Any, code: str
    ) -> None:
        for key in obj:
            if key not in allowed:
                self.problem(code, (*path, key), allowed=list(allowed))

    def number(
        self,
        raw: Any,
        path: tuple[str, ...],
        minimum: Decimal | int,
        maximum: Decimal | int,
        whole: bool = False,
    ) -> Decimal | None:
        """Check a number field; None (with a problem recorded) when it is not acceptable.

        A missing field is passed in as ``""``: both are ``required``.
        """
        bounds = {"min": plain(Decimal(minimum)), "max": plain(Decimal(maximum))}
        code = None
        if isinstance(raw, str) and raw.strip():
            typed = typed_number(raw)
            raw = raw if typed is None else _number(typed)
        if isinstance(raw, str):
            code = "not_a_number" if raw.strip() else "required"
        elif isinstance(raw, _NonFinite):
            code = "not_finite"
        elif isinstance(raw, _OutOfScale):
            # Beyond every bound when large or negative; otherwise a fraction finer than any
            # precision allowed.
            if raw.large or raw.negative:
                code = "out_of_range"
            elif whole:
                code = "not_whole"
            else:
                self.problem("too_precise", path, places=MAX_DECIMAL_PLACES, got=_show(raw))
                return None
        elif isinstance(raw, bool) or not isinstance(raw, Decimal):
            code = "not_a_number"
        elif whole and raw != raw.to_integral_value():
            code = "not_whole"
        elif not minimum <= raw <= maximum:
            code = "out_of_range"
        elif not whole and -raw.normalize().as_tuple().exponent > MAX_DECIMAL_PLACES:  # type: ignore[operator]
            self.problem("too_precise", path, places=MAX_DECIMAL_PLACES, got=_show(raw))
            return None
        if code is not None:
            params = dict(bounds)
            if code != "required":
                params["got"] = _show(raw)
            self.problem(code, path, **params)
            return None
        return raw


#: Most characters of a given value that a message quotes (inclusive), the last an ellipsis when cut.
_SHOWN_LENGTH = 40


def _show(raw: Any) -> str:
    """What the user gave, short and in JSON terms, for a message."""
    if isinstance(raw, dict):
        return "an object {…}"
    if isinstance(raw, list):
        return "a list […]"
    if isinstance(raw, (_NonFinite, _OutOfScale)):
        text = raw.text
    elif isinstance(raw, Decimal):
        text = str(raw)
    else:
        text = json.dumps(raw, ensure_ascii=False)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"
