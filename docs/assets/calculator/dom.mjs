// Building the page's elements: HTML and SVG nodes with their attributes and children.

const SVG = "http://www.w3.org/2000/svg";

/** An HTML element with attributes (set as given) and children (nodes or text). */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** An SVG element with attributes (numbers written as text). */
export function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}
