// The result's pictures: the score on the scheme's scale with the tiers' minimums and the range
// still open while answers are missing, and one bar per category. Drawn in SVG in the scheme's
// own points; the figures are the engine's.

import { element, svgElement } from "./dom.mjs";
import { format } from "./messages.mjs";

/** The 0-to-total scale: the score, the provisional range up to the best case, the tiers. */
export function scale(result, scheme) {
  const total = scheme.total_points;
  const svg = svgElement("svg", {
    class: "calc__scale",
    viewBox: `0 0 ${total} 10`,
    preserveAspectRatio: "none",
    "aria-hidden": "true",
  });
  svg.append(svgElement("rect", { class: "calc__scale-track", x: 0, y: 2, width: total, height: 6 }));
  if (result.best.score > result.score) {
    const open = { x: result.score, y: 2, width: result.best.score - result.score, height: 6 };
    svg.append(svgElement("rect", { class: "calc__scale-open", ...open }));
  }
  svg.append(svgElement("rect", { class: "calc__scale-fill", x: 0, y: 2, width: result.score, height: 6 }));
  const labels = element("div", { class: "calc__scale-labels", "aria-hidden": "true" });
  const tick = total / 250; // a tick's width: 0.4% of the scale
  for (const tier of scheme.tiers.filter((each) => each.minimum > 0)) {
    svg.append(svgElement("rect", { class: "calc__scale-tick", x: tier.minimum - tick / 2, y: 0, width: tick, height: 10 }));
    const label = element("span", {}, String(tier.minimum));
    label.style.left = `${(tier.minimum / total) * 100}%`;
    labels.append(label);
  }
  return element("div", { class: "calc__scale-box" }, svg, labels);
}

/** One bar per category: earned and unanswered shares of its applicable points. */
export function categoryBars(categories, scheme, t, lang) {
  const list = element("ul", { class: "calc__bars", "data-result-categories": "" });
  for (const category of categories) {
    const name = scheme.categories.find((each) => each.id === category.id).name[lang];
    const excluded = category.percent === null;
    // Drawn in the category's own points: earned, then unanswered, of its applicable points.
    const width = excluded ? 1 : category.applicable;
    const svg = svgElement("svg", { class: "calc__bar", viewBox: `0 0 ${width} 4`, preserveAspectRatio: "none", "aria-hidden": "true" });
    svg.append(svgElement("rect", { class: "calc__bar-track", x: 0, y: 0, width, height: 4 }));
    let detail = t.category_excluded;
    if (!excluded) {
      svg.append(svgElement("rect", { class: "calc__bar-fill", x: 0, y: 0, width: category.earned, height: 4 }));
      if (category.unanswered > 0) {
        svg.append(svgElement("rect", { class: "calc__bar-open", x: category.earned, y: 0, width: category.unanswered, height: 4 }));
      }
      detail = format(t.category_detail, { earned: category.earned, applicable: category.applicable });
      if (category.unanswered > 0) detail += ` · ${format(t.category_open, { open: category.unanswered })}`;
    }
    list.append(
      element(
        "li",
        { "data-category": category.id },
        element(
          "div",
          { class: "calc__bar-label" },
          element("span", {}, name),
          element("span", { class: "calc__bar-detail" }, excluded ? detail : `${category.percent}%`),
        ),
        svg,
        element("span", { class: "calc__bar-note" }, excluded ? "" : detail),
      ),
    );
  }
  return list;
}
