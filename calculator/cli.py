"""The command line: print the scheme, or score an assessment file.

Usage:
    python3 -m calculator scheme [--json]
    python3 -m calculator score FILE [--json] [--lang en|zh] [--compare EARLIER]
                                                   (FILE "-" reads standard input)
Both take ``--scheme SHEET``: a scoring sheet to use instead of the published one. An assessment
that names a sheet (its ``scheme`` key) is scored only under that sheet.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from calculator import __version__
from calculator.assessment import parse_assessment
from calculator.comparison import compare_text
from calculator.errors import InvalidAssessment
from calculator.languages import DEFAULT_LANGUAGE, LANGUAGES
from calculator.report import comparison_json, comparison_report, result_json, scheme_json, text_report
from calculator.scheme import Scheme, SchemeError, load_scheme
from calculator.scoring import evaluate

#: Exit status for input that cannot be scored (as argparse uses for bad arguments).
EXIT_INVALID = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        scheme = load_scheme(args.scheme)
    except SchemeError as exc:
        print(f"error: {exc.message(args.lang)}", file=sys.stderr)
        return EXIT_INVALID
    if args.command == "scheme":
        return _scheme(scheme, args.json, args.lang)
    return _score(scheme, args.file, args.json, args.lang, args.compare)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m calculator",
        description="Self-assessment against GB/T 27922-2011 (after-sales service evaluation).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the text")
    common.add_argument(
        "--scheme", metavar="FILE", help="a scoring scheme file to use instead of the built-in one"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("scheme", parents=[common], help="print the evaluation scheme")
    score = commands.add_parser("score", parents=[common], help="score an assessment file")
    score.add_argument("file", metavar="FILE", help='assessment JSON file, or "-" for standard input')
    score.add_argument("--compare", metavar="EARLIER", help="an earlier assessment file to compare with")
    return parser


def _scheme(scheme: Scheme, as_json: bool, lang: str) -> int:
    if as_json:
        print(json.dumps(scheme_json(scheme), ensure_ascii=False, indent=2))
        return 0
    print(scheme.title[lang] + (" (indicative split of points)" if scheme.indicative else ""))
    for category in scheme.categories:
        print(f"\n{category.name[lang]} [{category.id}]: {category.points}")
        for indicator in category.indicators:
            print(f"  {indicator.points:>4}  {indicator.name[lang]} [{indicator.id}]")
            print(f"        {indicator.description[lang]}")
    return 0


def _score(scheme: Scheme, file: str, as_json: bool, lang: str, earlier: str | None) -> int:
    data = _read(file)
    earlier_data = None if earlier is None else _read(earlier)
    if data is None or (earlier is not None and earlier_data is None):
        return EXIT_INVALID
    try:
        assessment = parse_assessment(data, scheme)
    except InvalidAssessment as exc:
        return _invalid(file, exc, lang)
    result = evaluate(assessment, scheme)
    comparison = None
    if earlier is not None and earlier_data is not None:
        try:
            comparison = compare_text(earlier_data, assessment, scheme)
        except InvalidAssessment as exc:
            return _invalid(earlier, exc, lang)
    if as_json:
        shown = result_json(result)
        if comparison is not None:
            shown["comparison"] = comparison_json(comparison)
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(text_report(result, scheme, lang))
        if comparison is not None:
            sys.stdout.write("\n" + comparison_report(comparison, scheme, lang))
    return 0


def _read(file: str) -> bytes | None:
    """The file's bytes ("-": standard input), or None when it cannot be read (said so)."""
    try:
        return sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {file}: {exc.strerror}", file=sys.stderr)
        return None


def _invalid(file: str, exc: InvalidAssessment, lang: str) -> int:
    where = "standard input" if file == "-" else file
    print(f"error: {where} is not a valid assessment:", file=sys.stderr)
    for line in exc.messages(lang):
        print(f"  {line}", file=sys.stderr)
    return EXIT_INVALID
