// The comparison with an earlier assessment: an exported file, read by the engine
// (calculator.browser.evaluate's `earlier`, whose rule is calculator/comparison.py) and sent with
// every evaluation; shown under the result (score and tier then and now, the change per category,
// the indicators better and worse), kept in this browser, and removed on request. It never
// changes the result itself.

import { element } from "./dom.mjs";
import { stringify } from "./exact-json.mjs";
import { askAboutChosen } from "./import-export.mjs";
import { firstLines, format, locale } from "./messages.mjs";

export const COMPARE_KEY = "gbt27922-calculator-compare";

export class Comparison {
  constructor(calc) {
    this.calc = calc;
    this.earlier = null; // {text, name}
    this.box = calc.root.querySelector("[data-compare]");
  }

  /** The keyword arguments the engine compares with (calculator.browser.evaluate). */
  options() {
    return this.earlier ? { earlier: this.earlier.text } : {};
  }

  /** Put back the comparison kept in this browser, if any. */
  start() {
    const kept = this.calc.saved.load(COMPARE_KEY);
    if (kept && typeof kept.text === "string") this.earlier = { text: kept.text, name: typeof kept.name === "string" ? kept.name : "" };
    this.showControls();
  }

  /** Read the chosen file with the engine; compare with it, or say why not and change nothing. */
  async loadFile(input) {
    const calc = this.calc;
    const t = calc.t;
    const chosen = await askAboutChosen(calc, input, {
      ask: (text) => calc.engine.evaluate(stringify(calc.state.assessment()), calc.lang, { ...calc.sheet.options(), earlier: text }),
      noEngine: t.compare_needs_engine,
      refuse: (reasons) => this.refuse(reasons),
    });
    if (!chosen) return;
    const { file, text, reply } = chosen;
    const errors = reply.comparison?.errors;
    if (!reply.comparison || errors) {
      this.refuse(errors ? firstLines(errors.map((error) => error.message), t, calc.lang) : [t.import_unreadable]);
      return;
    }
    calc.messages.set("compare", null);
    this.earlier = { text, name: file.name };
    this.keep();
    this.showControls();
    await calc.update();
    calc.messages.say(t.compare_done);
  }

  /** Remove the comparison; the focus goes to where another file can be chosen. */
  remove() {
    this.earlier = null;
    this.keep();
    this.showControls();
    this.show(null);
    this.calc.messages.set("compare", null);
    this.calc.messages.say(this.calc.t.compare_removed);
    this.calc.state.field("compare").focus();
  }

  refuse(reasons) {
    this.calc.messages.set("compare", [...reasons, this.calc.t.compare_unchanged], this.calc.t.compare_invalid);
  }

  keep() {
    this.calc.saved.save(this.earlier, COMPARE_KEY);
  }

  showControls() {
    const root = this.calc.root;
    root.querySelector("[data-action=remove-compare]").hidden = !this.earlier;
    const file = root.querySelector("[data-compare-file]");
    file.textContent = this.earlier ? format(this.calc.t.compare_file, { name: this.earlier.name }) : "";
    file.hidden = !this.earlier;
    if (!this.earlier) this.show(null);
  }

  /** Show the engine's comparison (null: none) under the result. */
  show(comparison) {
    const box = this.box;
    if (!this.earlier || !comparison) {
      box.hidden = true;
      box.dataset.score = box.dataset.tier = "";
      box.replaceChildren();
      return;
    }
    const { t, lang, view } = this.calc;
    const parts = [element("h3", {}, t.compare_heading)];
    if (comparison.errors) {
      box.dataset.score = box.dataset.tier = "";
      parts.push(element("p", {}, t.compare_invalid), ...comparison.errors.map((error) => element("p", {}, error.message)));
      box.replaceChildren(...parts);
      box.hidden = false;
      return;
    }
    const earlier = comparison.earlier;
    const now = this.calc.lastResult;
    box.dataset.score = earlier ? String(earlier.score) : "";
    box.dataset.tier = earlier ? earlier.tier : "";
    const none = t.compare_none;
    const signed = (value) => (value === null || value === undefined ? none : changeText(value, lang));
    if (earlier) {
      const row = (what, then, current, change) =>
        element("tr", {}, element("th", { scope: "row" }, what), element("td", {}, then), element("td", {}, current), element("td", {}, change));
      const head = element(
        "tr",
        {},
        ...[t.compare_what, t.compare_then, t.compare_now, t.compare_change].map((text) => element("th", { scope: "col" }, text)),
      );
      const tierChange = comparison.tier_change ? t[`compare_tier_${comparison.tier_change}`] : none;
      parts.push(
        element(
          "table",
          { class: "calc__compare-table", "data-compare-table": "" },
          element("thead", {}, head),
          element(
            "tbody",
            {},
            row(t.compare_score, String(earlier.score), now ? String(now.score) : none, signed(comparison.score_change)),
            row(t.compare_tier, view.tierName(earlier.tier), now ? view.tierName(now.tier) : none, tierChange),
          ),
        ),
      );
    }
    if (!comparison.same_scheme) {
      const text = earlier ? t.compare_other_sheet : t.compare_unknown_sheet;
      parts.push(element("p", { class: "calc__compare-note", "data-compare-sheet": "" }, format(text, { scheme: comparison.scheme })));
    }
    if (comparison.categories.length) {
      const names = new Map(this.calc.scheme.categories.map((category) => [category.id, category.name[lang]]));
      const items = comparison.categories.map((category) =>
        element(
          "li",
          { "data-category-change": category.id },
          format(t.compare_category, {
            category: names.get(category.id),
            then: category.earlier.earned,
            now: category.now.earned,
            applicable: category.now.applicable,
            change: signed(category.change),
          }),
        ),
      );
      parts.push(element("h4", {}, t.compare_categories), element("ul", {}, ...items));
      for (const kind of ["better", "worse"]) {
        if (!comparison[kind].length) continue;
        const list = comparison[kind].map((item) =>
          element(
            "li",
            { "data-indicator": item.indicator },
            format(t.compare_indicator, {
              indicator: view.indicatorName(item.indicator),
              then: item.earlier.points,
              now: item.now.points,
              change: signed(item.change),
            }),
          ),
        );
        parts.push(element("h4", {}, t[`compare_${kind}`]), element("ul", { [`data-compare-${kind}`]: "" }, ...list));
      }
      if (!comparison.better.length && !comparison.worse.length) parts.push(element("p", {}, t.compare_no_change));
    }
    box.replaceChildren(...parts);
    box.hidden = false;
  }
}

/** A change as the engine gives it, written with its sign ("+2.5", "−1", "0"). */
function changeText(value, lang) {
  return new Intl.NumberFormat(locale(lang), { signDisplay: "exceptZero", maximumFractionDigits: 20, useGrouping: false }).format(value);
}

