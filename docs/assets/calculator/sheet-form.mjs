// The full self-assessment's categories and indicators for a scoring sheet, rendered from the
// page's own <template> elements (overrides/partials/calculator.html renders the published
// sheet with the same macros), so the markup has one home. A template holds __ID__, __NAME__,
// __DESCRIPTION__ and __POINTS__ where the values go; each is filled as text or as an attribute
// value, in one pass, so nothing in a sheet is ever read as markup.

const TOKEN = /__(ID|NAME|DESCRIPTION|POINTS)__/g;

/** A copy of the template's element with its tokens replaced by `values` (keys in lower case). */
function filled(template, values) {
  const node = template.content.firstElementChild.cloneNode(true);
  const replace = (text) => text.replace(TOKEN, (token, key) => values[key.toLowerCase()]);
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let current = walker.currentNode; current; current = walker.nextNode()) {
    if (current.nodeType === Node.TEXT_NODE) current.data = replace(current.data);
    else for (const attribute of current.attributes) attribute.value = replace(attribute.value);
  }
  return node;
}

/** Replace the form's categories and indicators with those of `scheme` (calculator.browser.scheme()). */
export function renderSheet(root, scheme, lang) {
  const panel = root.querySelector("[data-mode-panel=full]");
  const template = (name) => panel.querySelector(`template[data-template="${name}"]`);
  const boxes = scheme.categories.map((category) => {
    const box = filled(template("category"), { name: category.name[lang], points: String(category.points) });
    for (const indicator of category.indicators) {
      box.append(
        filled(template("indicator"), {
          id: indicator.id,
          name: indicator.name[lang],
          description: indicator.description[lang],
          points: String(indicator.points),
        }),
      );
    }
    return box;
  });
  for (const box of panel.querySelectorAll("[data-category-box]")) box.remove();
  panel.append(...boxes);
}
