// Assessment files: export the form's answers as assessment JSON (naming a certification body's
// sheet when one is in use), and import a file (or a share link's text, share-link.mjs) after the
// engine has checked it under the sheet in use. What the form cannot hold is
// refused, with the first few reasons and a count of the rest, and changes nothing.

import { byteLength, isObject, parseAssessment, stringify } from "./exact-json.mjs";
import { element } from "./dom.mjs";
import { firstLines, format } from "./messages.mjs";

// Error codes of a text field the form can hold (the file's text is put in the field as is): a
// number field's, and a detail's (too long, not a date).
const FIELD_CODES = new Set(["required", "not_a_number", "out_of_range", "not_whole", "too_precise", "too_long", "not_a_date"]);

/** Download the form's assessment as a JSON file. */
export function exportFile(calc) {
  const text = `${stringify(calc.state.assessment(), "  ")}\n`;
  const link = element("a", {
    href: URL.createObjectURL(new Blob([text], { type: "application/json" })),
    download: `self-assessment-${new Date().toISOString().slice(0, 10)}.json`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  calc.state.keep();
}

/** The file chosen in a file input, or null; the input is cleared, so that choosing the same
 * file again reads it again. */
function chosenFile(input) {
  const file = input.files?.[0] ?? null;
  input.value = "";
  return file;
}

/** A chosen file's text, {text}, or {refused: reason} when it is over the engine's size limit or
 * cannot be read. */
async function readChosen(calc, file) {
  if (file.size > calc.scheme.limits.max_bytes) return { refused: tooLarge(calc) };
  try {
    return { text: await file.text() };
  } catch {
    return { refused: calc.t.import_unreadable };
  }
}

/**
 * The file chosen in `input`, its text and the engine's reply to `ask(text)` (parsed JSON), or
 * null when nothing was chosen, or once `refuse(reasons)` has been told why not: the file is over
 * the size limit or unreadable, or the engine gave no reply (`noEngine`).
 */
export async function askAboutChosen(calc, input, { ask, noEngine, refuse }) {
  const file = chosenFile(input);
  if (!file) return null;
  const { text, refused } = await readChosen(calc, file);
  if (refused) {
    refuse([refused]);
    return null;
  }
  try {
    return { file, text, reply: JSON.parse(await ask(text)) };
  } catch {
    refuse([noEngine]);
    return null;
  }
}

/** Import the file chosen in the file input, once the user agrees to replace unsaved work. */
export async function importFile(calc, input) {
  const t = calc.t;
  const file = chosenFile(input);
  if (!file) return;
  if (calc.state.unsaved() && !window.confirm(t.import_confirm)) return;
  const { text, refused } = await readChosen(calc, file);
  if (refused) {
    refuse(calc, t.import_invalid, [refused]);
    return;
  }
  const outcome = await importText(calc, text, t.import_invalid);
  if (outcome === "unavailable") refuse(calc, t.import_invalid, [t.import_needs_engine]);
  if (outcome !== "imported") return;
  calc.state.keep();
  calc.messages.say(t.import_done);
}

/**
 * Import assessment JSON text, checked by the engine first: "imported", "refused" (the alert,
 * under `heading`, says why; no answer changed) or "unavailable" (the engine is not running;
 * nothing changed). What the form cannot hold (not JSON, too large, unknown keys, statuses or
 * indicators) is refused; numbers the engine finds invalid are taken and shown by their fields.
 */
export async function importText(calc, text, heading) {
  const t = calc.t;
  if (byteLength(text) > calc.scheme.limits.max_bytes) {
    refuse(calc, heading, [tooLarge(calc)]);
    return "refused";
  }
  let data = null;
  try {
    data = parseAssessment(text);
  } catch {
    // not JSON: the engine says where
  }
  if (calc.root.dataset.engine === "loading") calc.messages.say(t.import_checking);
  let reply;
  try {
    reply = JSON.parse(await calc.engine.evaluate(text, calc.lang, calc.sheet.options()));
  } catch {
    return "unavailable";
  } finally {
    if (calc.messages.status.textContent === t.import_checking) calc.messages.say("");
  }
  const errors = reply.ok ? [] : reply.errors;
  const refused = errors.filter((error) => !(FIELD_CODES.has(error.code) && calc.errors.fieldFor(error.path)?.type === "text"));
  if (!isObject(data) || refused.length) {
    refuse(calc, heading, (refused.length ? refused : errors).map((error) => error.message));
    return "refused";
  }
  calc.messages.set("import", null);
  calc.state.fill(data);
  calc.state.touched = new Set(Object.keys(calc.state.values()));
  calc.answersReplaced();
  return "imported";
}

/** Say why the text was refused (its first reasons, and how many more) and that nothing changed. */
function refuse(calc, heading, reasons) {
  calc.messages.set("import", [...firstLines(reasons, calc.t, calc.lang), calc.t.import_unchanged], heading);
}

function tooLarge(calc) {
  return format(calc.t.import_too_large, { limit: calc.scheme.limits.max_bytes / 1e6 });
}
