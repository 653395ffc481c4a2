// The printed report's own parts: whose assessment it is, who made it and when (as the engine read
// them), the answers as a table under the result with the points each earns, the scoring sheet
// used, and the date it is printed on (the print styles in calculator.css show them, and hide the
// form; page numbers come from the styles too).

import { element } from "./dom.mjs";
import { format, locale } from "./messages.mjs";

/** The answers the form holds, as a table (full mode: each indicator's answer, and the points it
 * earns of its points as the engine's `result` gives them, when there is one) or a line (quick
 * mode). */
export function renderAnswers(target, state, scheme, t, lang, result = null) {
  const value = (name) => state.field(name).value;
  const parts = [element("h3", {}, t.answers_heading)];
  if (state.mode === "quick") {
    parts.push(element("p", {}, format(t.answer_quick, { total: value("total") })));
  } else {
    const scored = new Map((result?.indicators ?? []).map((row) => [row.indicator, row]));
    const rows = scheme.categories.flatMap((category) => category.indicators).map(({ id, name, points }) => {
      const status = value(`status:${id}`);
      let finding = t[`status_${status || "unanswered"}`];
      if (status === "sampled") {
        finding = format(t.answer_sampled, { samples: value(`samples:${id}`), nonconforming: value(`nonconforming:${id}`) });
      } else if (status === "scored") {
        finding = format(t.answer_scored, { points: value(`points:${id}`), max: points });
      }
      const row = scored.get(id);
      let earned = "";
      if (row) earned = format(row.earned === null ? t.answer_points_none : t.answer_points_value, row);
      return element("tr", { "data-indicator": id }, element("td", {}, name[lang]), element("td", {}, finding), element("td", {}, earned));
    });
    const head = element(
      "tr",
      {},
      element("th", { scope: "col" }, t.answer_indicator),
      element("th", { scope: "col" }, t.answer_finding),
      element("th", { scope: "col" }, t.answer_points),
    );
    parts.push(element("table", {}, element("thead", {}, head), element("tbody", {}, ...rows)));
  }
  const special = format(t.answer_special, {
    deductions: value("special_deductions") || "0",
    bonus: state.field("special_bonus").checked ? t.yes : t.no,
  });
  parts.push(element("p", {}, special));
  target.replaceChildren(...parts);
}

/** "Printed on <date>", in the page's language. */
export function renderPrintDate(target, t, lang) {
  const date = new Date().toLocaleDateString(locale(lang), { dateStyle: "long" });
  target.textContent = format(t.print_date, { date });
}

/** Organisation, assessor and date as the engine read them (`result`; none while there is no
 * result), each only when given. */
export function renderDetails(target, result, t) {
  const parts = [];
  for (const [key, label] of [["organisation", t.report_organisation], ["assessor", t.report_assessor], ["assessment_date", t.report_date]]) {
    if (result?.[key]) parts.push(element("div", { "data-detail": key }, element("dt", {}, label), element("dd", {}, result[key])));
  }
  target.replaceChildren(...parts);
  target.hidden = !parts.length;
}

/** The scoring sheet the result was scored with: its title in the page's language. */
export function renderSheet(target, scheme, t, lang) {
  target.textContent = format(scheme.indicative ? t.report_sheet_indicative : t.report_sheet, { title: scheme.title[lang] });
}
