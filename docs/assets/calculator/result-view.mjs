// The result as the engine gives it, shown: score, tier, verdict, provisional range, next tier,
// categories and the improvements worth most, each linked to its explanation in the guide where the
// guide has one; the result's data attributes (data-score, data-tier, data-provisional) and the
// summary link; said to screen readers once the user pauses.

import { element } from "./dom.mjs";
import { format } from "./messages.mjs";
import { categoryBars, scale } from "./result-charts.mjs";

const ANNOUNCE_DELAY = 800; // ms without changes before the result is announced
const IMPROVEMENTS_SHOWN = 5;

export class ResultView {
  /** `guide`: by indicator id, the relative link to its explanation (hooks/calculator_page.py). */
  constructor(root, scheme, t, lang, guide = {}) {
    this.root = root;
    this.guide = guide;
    this.box = root.querySelector("[data-result]");
    this.scheme = scheme;
    this.t = t;
    this.lang = lang;
    this.indicators = scheme.categories.flatMap((category) => category.indicators);
    this.tiers = new Map(scheme.tiers.map((tier) => [tier.id, tier]));
    this.timer = null;
  }

  /** Name indicators and categories from another sheet. */
  setScheme(scheme) {
    this.scheme = scheme;
    this.indicators = scheme.categories.flatMap((category) => category.indicators);
  }

  tierName(id) {
    return this.tiers.get(id).name[this.lang];
  }

  indicatorName(id) {
    return this.indicators.find((indicator) => indicator.id === id).name[this.lang];
  }

  /** The result's data attributes and the summary link ("" for no result). */
  setData(score, tier, provisional) {
    this.box.dataset.score = score;
    this.box.dataset.tier = tier;
    this.box.dataset.provisional = String(provisional);
    const summary = tier ? (provisional ? this.t.summary_provisional : this.t.summary) : this.t.summary_none;
    this.root.querySelector("[data-result-summary]").textContent = format(summary, {
      score,
      tier: tier && this.tierName(tier),
    });
  }

  /** No result: a line in its place saying why. */
  showPlaceholder(text) {
    this.box.querySelector("[data-result-body]").replaceChildren(element("p", { class: "calc__placeholder" }, text));
  }

  /** The input is invalid (`shown`: how many errors the page shows) or incomplete. */
  showInvalid(shown) {
    this.setData("", "", false);
    this.box.classList.add("calc__result--invalid");
    this.showPlaceholder(shown ? this.t.invalid : this.t.incomplete);
    this.announce("");
  }

  showResult(result) {
    const t = this.t;
    this.setData(String(result.score), result.tier, result.provisional);
    this.box.classList.remove("calc__result--invalid");
    const tier = this.tiers.get(result.tier);
    const label = (text) => element("span", { class: "calc__score-label" }, text);
    const body = [
      element(
        "div",
        { class: "calc__headline" },
        element(
          "p",
          { class: "calc__score" },
          label(t.score_label),
          element("span", { class: "calc__score-value", "data-result-score": "" }, String(result.score)),
          element("span", { class: "calc__score-of" }, format(t.score_of, { total: this.scheme.total_points })),
        ),
        element(
          "p",
          { class: `calc__tier calc__tier--${tier.id}` },
          label(t.tier_label),
          tier.stars ? element("span", { class: "calc__stars", "aria-hidden": "true" }, "★".repeat(tier.stars)) : "",
          element("span", { class: "calc__tier-name", "data-result-tier": "" }, tier.name[this.lang]),
          element("span", { class: "calc__tier-self" }, t.tier_self),
        ),
      ),
    ];

    let verdict = t.passed;
    if (result.fail_reason === "special_deductions") {
      verdict = format(t.failed_deductions, { count: result.special_deductions, limit: this.scheme.special_deductions_fail });
    } else if (result.fail_reason === "score") {
      verdict = format(t.failed_score, { minimum: this.scheme.pass_minimum });
    }
    body.push(element("p", { class: `calc__verdict calc__verdict--${result.passed ? "pass" : "fail"}` }, verdict));

    if (result.provisional) {
      const text = result.best.tier === result.tier ? t.provisional_settled : t.provisional;
      const values = {
        count: result.unanswered.length,
        total: this.indicators.length,
        low: this.tierName(result.tier),
        low_score: result.score,
        high: this.tierName(result.best.tier),
        high_score: result.best.score,
        tier: this.tierName(result.tier),
      };
      body.push(element("p", { class: "calc__range", "data-result-range": "" }, format(text, values)));
    }
    body.push(scale(result, this.scheme));

    if (result.next_tier) {
      const next = format(t.next_tier, { points: result.next_tier.points_needed, tier: this.tierName(result.next_tier.tier) });
      body.push(element("p", { class: "calc__next", "data-result-next": "" }, next));
    } else if (result.passed) {
      body.push(element("p", { class: "calc__next", "data-result-next": "" }, t.top_tier));
    }
    if (result.categories.length) {
      body.push(element("h3", {}, t.categories_heading), categoryBars(result.categories, this.scheme, t, this.lang));
    }
    if (result.improvements.length) body.push(element("h3", {}, t.improvements_heading), this.improvements(result));

    this.box.querySelector("[data-result-body]").replaceChildren(...body);
    const announced = result.provisional ? `${verdict} ${t.announce_provisional}` : verdict;
    this.announce(format(t.announce, { score: result.score, tier: this.tierName(result.tier), verdict: announced }));
  }

  /** The answers that would add most, first the engine's first few. */
  improvements(result) {
    const list = element("ol", { class: "calc__improvements", "data-result-improvements": "" });
    for (const item of result.improvements.slice(0, IMPROVEMENTS_SHOWN)) {
      const name = this.indicatorName(item.indicator);
      const text = format(item.tier === result.tier ? this.t.improvement : this.t.improvement_tier, {
        status: this.t[`status_short_${item.status}`] ?? item.status,
        gain: item.gain,
        tier: this.tierName(item.tier),
      });
      const link = Object.hasOwn(this.guide, item.indicator) ? this.guide[item.indicator] : null;
      // The indicator's name stands where {indicator} does, as a link when the guide explains it.
      const [before, ...after] = text.split("{indicator}");
      const named = link ? element("a", { href: link }, name) : name;
      list.append(element("li", { "data-indicator": item.indicator }, before, named, after.join(name)));
    }
    return list;
  }

  /** Say the result to screen readers once the user pauses ("" says nothing). */
  announce(text) {
    clearTimeout(this.timer);
    const region = this.box.querySelector("[data-result-announce]");
    this.timer = setTimeout(() => {
      region.textContent = text;
    }, ANNOUNCE_DELAY);
  }
}
