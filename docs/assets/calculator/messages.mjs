// What the page says to the user outside the form's fields: the alert above the form (one entry
// per kind: engine, import, form, storage, saved; shown together) and the status line, with the
// page's strings filled in. A long list of errors shows its first lines and counts the rest.

import { element } from "./dom.mjs";

const LINES_SHOWN = 10; // lines of a long list shown before "… and N more"

/** A string with its {name} placeholders filled; unknown ones are left as they are. */
export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

/** The locale a language's dates and numbers are written in. */
export function locale(lang) {
  return lang === "zh" ? "zh-CN" : "en-GB";
}

/** The first lines of a list, and one more line counting the rest when there are too many. */
export function firstLines(lines, t, lang) {
  if (lines.length <= LINES_SHOWN) return lines;
  const count = (lines.length - LINES_SHOWN).toLocaleString(locale(lang));
  return [...lines.slice(0, LINES_SHOWN), format(t.more_lines, { count })];
}

export class Messages {
  constructor(alert, status) {
    this.alert = alert;
    this.status = status;
    this.entries = {};
  }

  /**
   * Set (or with no lines, clear) one kind of message in the alert, under an optional heading
   * and with optional buttons or links. The alert is rebuilt only when its text changes, so it
   * is announced once.
   */
  set(kind, lines, heading = "", actions = []) {
    const entry = lines?.length ? { heading, lines, actions } : null;
    const key = (value) => JSON.stringify(value && { heading: value.heading, lines: value.lines });
    if (key(entry) === key(this.entries[kind] ?? null)) return;
    this.entries[kind] = entry;
    this.alert.replaceChildren();
    for (const { heading: title, lines: items, actions: buttons } of Object.values(this.entries).filter(Boolean)) {
      const box = element("div", { class: "calc__alert-entry" });
      if (title) box.append(element("p", {}, title));
      if (items.length === 1 || !title) {
        for (const line of items) box.append(element("p", {}, line));
      } else {
        box.append(element("ul", {}, ...items.map((line) => element("li", {}, line))));
      }
      if (buttons.length) box.append(element("p", { class: "calc__alert-actions" }, ...buttons));
      this.alert.append(box);
    }
  }

  /** Say what just happened in the status line ("" clears it). */
  say(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }
}
