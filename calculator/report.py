"""What the outside sees: results, the scheme and problems as JSON-ready data, and a text report."""

from __future__ import annotations

from typing import Any

from calculator.comparison import Comparison
from calculator.errors import Problem
from calculator.exact import json_number, plain, round_up, truncate
from calculator.languages import DEFAULT_LANGUAGE, language
from calculator.scheme import Scheme
from calculator.scoring import Result
from calculator.tiers import FAIL, PASS_MINIMUM, SPECIAL_DEDUCTIONS_FAIL, TIERS, Tier


def result_json(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data, for the page and ``score --json``.

    ``organisation``, ``assessor`` and ``assessment_date`` (YYYY-MM-DD) are the assessment's, or
    None. Scores, earned points, percentages and gains are truncated (what is shown is never more than
    what is earned); ``points_needed`` is rounded up (it is enough to get there).

    Example:
        >>> from calculator import evaluate_text
        >>> result_json(evaluate_text('{"total": 69.996}'))["next_tier"]
        {'tier': 'standard', 'points_needed': 0.01}
    """
    next_tier = result.next_tier
    needed = result.points_needed
    details = result.details
    return {
        "organisation": details.organisation,
        "assessor": details.assessor,
        "assessment_date": None if details.assessment_date is None else details.assessment_date.isoformat(),
        "mode": result.mode,
        "score": json_number(result.score),
        "tier": result.tier.id,
        "passed": result.passed,
        "fail_reason": result.fail_reason,
        "provisional": result.provisional,
        "best": {"score": json_number(result.best_score), "tier": result.best_tier.id},
        "special_deductions": result.special_deductions,
        "special_bonus": result.special_bonus,
        "categories": [
            {
                "id": c.id,
                "points": json_number(c.points),
                "applicable": json_number(c.applicable),
                "earned": json_number(truncate(c.earned)),
                "unanswered": json_number(c.unanswered),
                "percent": None if c.percent is None else json_number(truncate(c.percent)),
            }
            for c in result.categories
        ],
        "unanswered": list(result.unanswered),
        "next_tier": (
            None
            if next_tier is None or needed is None
            else {"tier": next_tier.id, "points_needed": json_number(round_up(needed))}
        ),
        "improvements": [
            {
                "indicator": i.indicator,
                "category": i.category,
                "status": i.status,
                "gain": json_number(truncate(i.gain)),
                "tier": i.tier.id,
            }
            for i in result.improvements
        ],
        "indicators": [
            {
                "indicator": i.id,
                "category": i.category,
                "status": i.status,
                "points": json_number(i.points),
                "earned": None if i.earned is None else json_number(truncate(i.earned)),
            }
            for i in result.indicators
        ],
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """A comparison with an earlier assessment as JSON-ready data: the earlier sheet's id and
    whether it is the one in use, the earlier result's score and tier (null when its sheet cannot
    be scored here), the changes of score and tier (null without both results), and, under the
    same sheet, per category the earned points then and now and the indicators better or worse.

    Example:
        >>> from calculator import load_scheme, parse_assessment
        >>> from calculator.comparison import compare_text
        >>> c = compare_text('{"total": 85}', parse_assessment('{"total": 91}'), load_scheme())
        >>> comparison_json(c)["earlier"], comparison_json(c)["score_change"]
        ({'mode': 'quick', 'score': 85, 'tier': 'three-star', 'provisional': False}, 6)
    """
    earlier = comparison.earlier
    change = comparison.score_change

    def category(result: Any) -> dict[str, Any]:
        return {
            "earned": json_number(truncate(result.earned)),
            "applicable": json_number(result.applicable),
            "percent": None if result.percent is None else json_number(truncate(result.percent)),
        }

    def indicator(item: Any) -> dict[str, Any]:
        return {
            "indicator": item.indicator,
            "category": item.category,
            "earlier": {"status": item.earlier_status, "points": json_number(truncate(item.earlier_points))},
            "now": {"status": item.now_status, "points": json_number(truncate(item.now_points))},
            "change": json_number(item.change),
        }

    return {
        "scheme": comparison.scheme,
        "same_scheme": comparison.same_scheme,
        "earlier": None
        if earlier is None
        else {
            "mode": earlier.mode,
            "score": json_number(earlier.score),
            "tier": earlier.tier.id,
            "provisional": earlier.provisional,
        },
        "score_change": None if change is None else json_number(change),
        "tier_change": comparison.tier_change,
        "categories": [
            {
                "id": c.id,
                "points": json_number(c.now.points),
                "earlier": category(c.earlier),
                "now": category(c.now),
                "change": json_number(c.change),
            }
            for c in comparison.categories
        ],
        "better": [indicator(i) for i in comparison.better],
        "worse": [indicator(i) for i in comparison.worse],
    }


def scheme_json(scheme: Scheme) -> dict[str, Any]:
    """The scheme as JSON-ready data, with the tier table the rules use.

    Example:
        >>> from calculator import load_scheme
        >>> [c["points"] for c in scheme_json(load_scheme())["categories"]]
        [40, 35, 25]
    """
    return {
        "id": scheme.id,
        "title": dict(scheme.title),
        "indicative": scheme.indicative,
        "categories": [
            {
                "id": c.id,
                "name": dict(c.name),
                "points": json_number(c.points),
                "indicators": [
                    {
                        "id": i.id,
                        "name": dict(i.name),
                        "description": dict(i.description),
                        "points": json_number(i.points),
                    }
                    for i in c.indicators
                ],
            }
            for c in scheme.categories
        ],
        "tiers": [
            {
                "id": t.id,
                "name": dict(t.name),
                "minimum": json_number(t.minimum),
                "stars": t.stars,
            }
            for t in (FAIL, *TIERS)
        ],
        "pass_minimum": json_number(PASS_MINIMUM),
        "special_deductions_fail": SPECIAL_DEDUCTIONS_FAIL,
    }


def problem_json(
    problem: Problem, lang: str = DEFAULT_LANGUAGE, scheme: Scheme | None = None
) -> dict[str, Any]:
    """A problem as JSON-ready data: code, path (JSON Pointer), message in ``lang`` and params.

    Example:
        >>> problem_json(Problem("not_boolean", ("special_bonus",), {"got": "1"}))["path"]
        '/special_bonus'
    """
    return {
        "code": problem.code,
        "path": problem.pointer,
        "message": problem.message(lang, scheme),
        "params": dict(problem.params),
    }


# The text report's words by language. {pass_minimum} and {special_deductions_fail} come from the
# tier table.
_WORDS = {
    "en": {
        "title": "GB/T 27922-2011 self-assessment",
        "organisation": "Organisation",
        "assessor": "Assessor",
        "assessment_date": "Assessment date",
        "score": "Score",
        "tier": "Tier",
        "passed": "passed",
        "failed": "not passed",
        "reason_score": "the score is below {pass_minimum}",
        "reason_special_deductions": "{special_deductions_fail} or more special deduction items fail whatever the score",
        "provisional": "provisional: {n} indicator(s) unanswered; between {low} ({low_tier}) and {high} ({high_tier})",
        "next": "Next tier: {tier}, {points} more points needed",
        "top": "Top tier reached",
        "categories": "Categories (earned / applicable of points)",
        "improve": "What would add most",
        "gain": "+{gain}",
        "unanswered": "unanswered",
        "special": "Special deductions: {d}; special bonus: {b}",
        "yes": "yes",
        "no": "no",
        "quick": "Quick score from a total",
        "note": "A self-assessment is not a certification decision; only a certification body's evaluation decides.",
        "compared": "Compared with the earlier assessment",
        "then_now": "{what}: {then} then, {now} now",
        "other_sheet": "The earlier assessment was made under the sheet “{scheme}”, another than this one: its indicators are not compared.",
        "unknown_sheet": "The earlier assessment was made under the sheet “{scheme}”, which is not loaded: it cannot be scored here.",
        "better": "Better",
        "worse": "Worse",
        "moved": "  {name}: {then} → {now} ({change})",
    },
    "zh": {
        "title": "GB/T 27922-2011 自评结果",
        "organisation": "受评组织",
        "assessor": "评估人",
        "assessment_date": "评估日期",
        "score": "得分",
        "tier": "等级",
        "passed": "通过",
        "failed": "未通过",
        "reason_score": "得分低于 {pass_minimum} 分",
        "reason_special_deductions": "特别扣分项达到 {special_deductions_fail} 项及以上，无论得分均不通过",
        "provisional": "暂定结果：{n} 项指标未作答；介于 {low}（{low_tier}）与 {high}（{high_tier}）之间",
        "next": "下一等级：{tier}，还需 {points} 分",
        "top": "已达到最高等级",
        "categories": "一级指标（得分 / 涉及项分值 / 满分）",
        "improve": "提升空间最大的指标",
        "gain": "+{gain}",
        "unanswered": "未作答",
        "special": "特别扣分项：{d}；特别加分项：{b}",
        "yes": "有",
        "no": "无",
        "quick": "按总分快速评估",
        "note": "自评不是认证决定；只有认证机构的评价才具有效力。",
        "compared": "与上次评估的比较",
        "then_now": "{what}：上次 {then}，本次 {now}",
        "other_sheet": "上次评估依据的是另一评分表“{scheme}”：不比较各项指标。",
        "unknown_sheet": "上次评估依据的评分表“{scheme}”未加载：无法在此评分。",
        "better": "改善",
        "worse": "退步",
        "moved": "  {name}：{then} → {now}（{change}）",
    },
}


def text_report(result: Result, scheme: Scheme, lang: str = DEFAULT_LANGUAGE) -> str:
    """A plain-text report of the result, for the command line.

    Example:
        >>> from calculator import evaluate_text, load_scheme
        >>> print(text_report(evaluate_text('{"total": 90}'), load_scheme()).splitlines()[2])
        Tier: Four-star ★★★★ (passed)
    """
    lang = language(lang)
    w = _WORDS[lang]

    def tier_name(tier: Tier) -> str:
        return tier.name[lang] + (" " + "★" * tier.stars if tier.stars else "")

    lines = [w["title"]]
    for key, value in result.details.to_json().items():
        lines.append(f"{w[key]}: {value}")
    lines.append(f"{w['score']}: {result.score}")
    if result.fail_reason:
        reason = w["reason_" + result.fail_reason].format(
            pass_minimum=plain(PASS_MINIMUM), special_deductions_fail=SPECIAL_DEDUCTIONS_FAIL
        )
        verdict = f"{w['failed']}: {reason}"
    else:
        verdict = w["passed"]
    lines.append(f"{w['tier']}: {tier_name(result.tier)} ({verdict})")
    if result.provisional:
        lines.append(
            w["provisional"].format(
                n=len(result.unanswered),
                low=result.score,
                low_tier=result.tier.name[lang],
                high=result.best_score,
                high_tier=result.best_tier.name[lang],
            )
        )
    if result.next_tier is not None and result.points_needed is not None:  # both, or neither
        lines.append(w["next"].format(tier=tier_name(result.next_tier), points=round_up(result.points_needed)))
    elif result.passed:
        lines.append(w["top"])
    if result.mode == "quick":
        lines.append(w["quick"])
    else:
        lines += ["", w["categories"]]
        names = {c.id: c.name[lang] for c in scheme.categories}
        for c in result.categories:
            lines.append(f"  {names[c.id]}: {truncate(c.earned)} / {c.applicable} / {c.points}")
        if result.improvements:
            lines += ["", w["improve"]]
            for n, item in enumerate(result.improvements, 1):
                indicator = scheme.indicator(item.indicator)
                assert indicator is not None
                tag = f" ({w['unanswered']})" if item.status == "unanswered" else ""
                gain = w["gain"].format(gain=truncate(item.gain))
                lines.append(f"  {n}. {indicator.name[lang]}{tag}: {gain}")
    lines += [
        "",
        w["special"].format(
            d=result.special_deductions, b=w["yes"] if result.special_bonus else w["no"]
        ),
        w["note"],
    ]
    return "\n".join(lines) + "\n"


def comparison_report(comparison: Comparison, scheme: Scheme, lang: str = DEFAULT_LANGUAGE) -> str:
    """The comparison with an earlier assessment as plain text, for the command line.

    Example:
        >>> from calculator import load_scheme, parse_assessment
        >>> from calculator.comparison import compare_text
        >>> c = compare_text('{"total": 85}', parse_assessment('{"total": 91}'), load_scheme())
        >>> print(comparison_report(c, load_scheme()).splitlines()[1])
        Score: 85.00 then, 91.00 now (+6.00)
    """
    lang = language(lang)
    w = _WORDS[lang]
    lines = [w["compared"]]
    earlier, now = comparison.earlier, comparison.now
    if earlier is None:
        lines.append(w["unknown_sheet"].format(scheme=comparison.scheme))
    elif now is not None:
        change = comparison.score_change
        lines.append(w["then_now"].format(what=w["score"], then=earlier.score, now=now.score) + f" ({change:+})")
        lines.append(w["then_now"].format(what=w["tier"], then=earlier.tier.name[lang], now=now.tier.name[lang]))
    if not comparison.same_scheme and earlier is not None:
        lines.append(w["other_sheet"].format(scheme=comparison.scheme))
    names = {c.id: c.name[lang] for c in scheme.categories}
    for c in comparison.categories:
        then, current = truncate(c.earlier.earned), truncate(c.now.earned)
        lines.append(w["moved"].format(name=names[c.id], then=then, now=current, change=f"{c.change:+}"))
    for heading, items in ((w["better"], comparison.better), (w["worse"], comparison.worse)):
        if items:
            lines.append(heading)
        for item in items:
            indicator = scheme.indicator(item.indicator)
            assert indicator is not None
            lines.append(
                w["moved"].format(
                    name=indicator.name[lang],
                    then=truncate(item.earlier_points),
                    now=truncate(item.now_points),
                    change=f"{item.change:+}",
                )
            )
    return "\n".join(lines) + "\n"
