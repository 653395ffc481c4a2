// The assessment JSON, with numbers kept exactly as typed: the format `python3 -m calculator
// score FILE` reads. A number is passed as its text (a JSON number when the text is one, else
// the text itself), so "0.1" reaches Python as one tenth, not a float, and the engine decides
// what is valid and says why in the page's language.

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A JSON number written as its text. */
export class JsonNumber {
  constructor(text) {
    this.text = text;
  }
}

/** What the user typed, as the assessment holds it: a JSON number if it is one, else the text. */
export function fieldValue(text) {
  const trimmed = text.trim();
  return JSON_NUMBER.test(trimmed) ? new JsonNumber(trimmed) : text;
}

/** The text a form field shows for a value read from an assessment ("" for anything else). */
export function fieldText(value) {
  if (value instanceof JsonNumber) return value.text;
  return typeof value === "string" ? value : "";
}

/** JSON text of an assessment (objects, strings, booleans, JsonNumber); `step` indents. */
export function stringify(value, step = "", indent = "") {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = indent + step;
  const entries = Object.entries(value).map(
    ([key, item]) => `${JSON.stringify(key)}:${step ? " " : ""}${stringify(item, step, inner)}`,
  );
  if (!entries.length) return "{}";
  if (!step) return `{${entries.join(",")}}`;
  return `{\n${inner}${entries.join(`,\n${inner}`)}\n${indent}}`;
}

/** Parse assessment JSON, keeping each number's source text where the browser gives it. */
export function parseAssessment(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === "number" ? new JsonNumber(context?.source ?? String(value)) : value,
  );
}

/** A JSON object (not an array, a number or null). */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/** The size of a text in bytes, as UTF-8: what the engine's size limit counts. */
export function byteLength(text) {
  return new TextEncoder().encode(text).length;
}
