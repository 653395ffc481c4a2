// The printed report's own parts: the answers as a table under the result, and the date it is
// printed on (the print styles in calculator.css show them, and hide the form).

import { element } from "./dom.mjs";
import { format, locale } from "./messages.mjs";

/** The answers the form holds, as a table (full mode) or a line (quick mode). */
export function renderAnswers(target, state, scheme, t, lang) {
  const value = (name) => state.field(name).value;
  const parts = [element("h3", {}, t.answers_heading)];
  if (state.mode === "quick") {
    parts.push(element("p", {}, format(t.answer_quick, { total: value("total") })));
  } else {
    const rows = scheme.categories.flatMap((category) => category.indicators).map(({ id, name, points }) => {
      const status = value(`status:${id}`);
      let finding = t[`status_${status || "unanswered"}`];
      if (status === "sampled") {
        finding = format(t.answer_sampled, { samples: value(`samples:${id}`), nonconforming: value(`nonconforming:${id}`) });
      } else if (status === "scored") {
        finding = format(t.answer_scored, { points: value(`points:${id}`), max: points });
      }
      return element("tr", {}, element("td", {}, name[lang]), element("td", {}, finding));
    });
    const head = element("tr", {}, element("th", {}, t.answer_indicator), element("th", {}, t.answer_finding));
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
