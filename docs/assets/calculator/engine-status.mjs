// The engine's state as the page shows it: data-engine on the root ("loading", "ready",
// "error"), the progress bar and the bytes downloaded while it loads, the line saying it is
// ready, and the alert saying why it failed, with Try again (data-action="retry") and the tier
// table, which explains the rules without the engine.

import { element } from "./dom.mjs";
import { format } from "./messages.mjs";

export class EngineStatus {
  constructor(root, messages, t) {
    this.root = root;
    this.messages = messages;
    this.t = t;
    this.box = root.querySelector("[data-engine-status]");
    this.bar = root.querySelector(".calc__progress");
    this.line = root.querySelector("[data-engine-message]");
    this.bytes = root.querySelector("[data-engine-bytes]");
  }

  loading() {
    this.root.dataset.engine = "loading";
    this.messages.set("engine", null);
    this.box.hidden = false;
    this.bar.hidden = false;
    this.bar.removeAttribute("value");
    this.line.textContent = this.t.engine_loading;
    this.bytes.textContent = "";
  }

  /** Show how much of the engine has arrived, when the worker says (total may be unknown). */
  progress(message) {
    if (message.stage !== "download" || !Number.isFinite(message.loaded)) return;
    const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
    if (Number.isFinite(message.total) && message.total > 0) {
      this.bar.max = message.total;
      this.bar.value = Math.min(message.loaded, message.total);
      this.bytes.textContent = format(this.t.engine_download, {
        loaded: megabytes(message.loaded),
        total: megabytes(message.total),
      });
    } else {
      this.bar.removeAttribute("value");
      this.bytes.textContent = format(this.t.engine_download_unknown, { loaded: megabytes(message.loaded) });
    }
  }

  ready() {
    this.root.dataset.engine = "ready";
    this.bar.hidden = true;
    this.bytes.textContent = "";
    this.line.textContent = this.t.engine_ready;
  }

  /** Say why the engine cannot run (`seconds`: the watchdog's), that the answers are kept, and
   * what to do. */
  failed({ kind, detail }, seconds) {
    const t = this.t;
    this.root.dataset.engine = "error";
    this.box.hidden = true;
    const lines = [format(t[`engine_${kind}`], { seconds }), t.engine_kept];
    if (detail) lines.push(format(t.engine_detail, { message: detail.slice(0, 300) }));
    this.messages.set("engine", lines, "", [
      element("button", { type: "button", class: "md-button md-button--primary", "data-action": "retry" }, t.retry),
      element("a", { href: "#tiers", class: "calc__alert-link" }, t.tiers_link),
    ]);
  }

  /** Move the focus to the engine's line: after Try again, its button is gone. */
  focus() {
    this.line.focus();
  }
}
