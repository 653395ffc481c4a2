"""What the outside sees: results, the scheme and problems as JSON-ready data, and a text report."""

from __future__ import annotations

from typing import Any

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
