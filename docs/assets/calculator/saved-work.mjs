// The answers kept in this browser (localStorage): the form's fields, saved as they change, and
// the answers a share link replaced, kept aside until restored. Storage the browser refuses is
// reported, and the page works on without it; saved text that cannot be read is reported and
// removed.

import { isObject } from "./exact-json.mjs";

export const STORAGE_KEY = "gbt27922-calculator";
export const PREVIOUS_KEY = "gbt27922-calculator-previous";

export class SavedWork {
  /** `messages` shows what went wrong (messages.mjs); `t` holds the page's strings. */
  constructor(messages, t) {
    this.messages = messages;
    this.t = t;
  }

  /** The fields saved under `key`, or null. */
  load(key = STORAGE_KEY) {
    let text;
    try {
      text = localStorage.getItem(key);
    } catch {
      this.messages.set("storage", [this.t.storage_unavailable]);
      return null;
    }
    if (text === null) return null;
    try {
      const fields = JSON.parse(text);
      if (isObject(fields)) return fields;
    } catch {
      // reported below
    }
    this.messages.set("saved", [this.t.storage_corrupt]);
    this.save(null, key);
    return null;
  }

  /** Keep `fields` under `key` (null removes them); say so when the browser cannot. */
  save(fields, key = STORAGE_KEY) {
    try {
      if (fields === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(fields));
    } catch (error) {
      const full = error?.name === "QuotaExceededError";
      this.messages.set("storage", [full ? this.t.storage_full : this.t.storage_unavailable]);
      return;
    }
    this.messages.set("storage", null);
  }
}
