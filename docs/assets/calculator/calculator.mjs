// The calculator page: reads the form, asks the scoring engine (the `calculator` Python package
// in Pyodide, in a module worker) for the result, and renders what comes back. Every scoring rule
// lives in the Python package; this file builds the assessment JSON, shows the result JSON and
// keeps the user's work (autosave, export/import, share link, print).
//
// Names and attributes other code may rely on (tests, pages embedding the calculator):
//   [data-calculator]              root; data-engine = "loading" | "ready" | "error";
//                                  data-engine-timeout = seconds without any message from the
//                                  engine, while something is awaited from it, before it counts
//                                  as failed (default 30; any message, download progress
//                                  included, restarts the count; read each time it starts)
//   [data-result]                  the result; data-score = String(result.score) ("" while the
//                                  input is invalid), data-tier = tier id ("" while invalid),
//                                  data-provisional = "true" | "false"
//   input[name=mode]               the mode switch, value "quick" | "full"
//   input[name=total]              quick mode: total score
//   input[name=special_deductions] both modes: number of special deduction items
//   input[name=special_bonus]      both modes: special bonus (checkbox)
//   select[name="status:<id>"]     full mode, one per indicator: "" (unanswered) | "conforms" |
//                                  "nonconforming" | "sampled" | "scored" | "excluded"
//   input[name="samples:<id>"], input[name="nonconforming:<id>"]   when "sampled"
//   input[name="points:<id>"]      when "scored"
//   input[type=file][name=import]  imports an assessment file
//   button[data-action=export|share|print|reset]; input[name=share-link] holds the share link
//   button[data-action=retry]      in the engine's error message: starts the engine again
//   [role=alert]                   errors the user must see; a field's error is the element its
//                                  aria-describedby names with the id "<field id>-error"
//   [data-calculator-alert]        the alert above the form: the engine, imports, links, storage
//   [data-calculator-status]       role=status: what just happened (a file imported, checked)
//   [data-result-announce]         aria-live: the result, said once the user pauses
//
// The assessment JSON is the format `python3 -m calculator score FILE` reads. Numbers are passed
// as typed (a JSON number when the text is one, else the text itself), so the engine decides
// what is valid and says why in the page's language.

// The page's code is this one file (and the worker's one more), both fetched with the build's
// ?v= query, so a cached older part can never run with a newer one.

const STORAGE_KEY = "gbt27922-calculator";
const PREVIOUS_KEY = "gbt27922-calculator-previous";
const SHARE_PREFIX = "#assessment=";
// Error codes of a number field the form can hold (the file's text is put in the field as is).
const FIELD_CODES = new Set(["required", "not_a_number", "out_of_range", "not_whole", "too_precise"]);
const ERROR_DELAY = 600; // ms without typing before the error of the field being typed in shows
const ENGINE_TIMEOUT = 30; // s without a message from the engine while one is awaited
// The largest assessment text the engine reads (calculator.assessment.MAX_BYTES): a bigger file
// is refused before it is read.
const MAX_IMPORT_BYTES = 1_000_000;
const ANNOUNCE_DELAY = 800; // ms without changes before the result is announced
const IMPROVEMENTS_SHOWN = 5;
const SVG = "http://www.w3.org/2000/svg";

// ---------------------------------------------------------------------------------------------
// The assessment JSON, with numbers kept exactly as typed

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A JSON number written as its text: "0.1" reaches Python as one tenth, not a float. */
class JsonNumber {
  constructor(text) {
    this.text = text;
  }
}

/** What the user typed, as the assessment holds it: a JSON number if it is one, else the text. */
function fieldValue(text) {
  const trimmed = text.trim();
  return JSON_NUMBER.test(trimmed) ? new JsonNumber(trimmed) : text;
}

/** JSON text of an assessment (objects, strings, booleans, JsonNumber); `step` indents. */
function stringify(value, step = "", indent = "") {
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
function parseAssessment(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === "number" ? new JsonNumber(context?.source ?? String(value)) : value,
  );
}

/** Whether a select list offers this value (the statuses come from the scoring package). */
function hasOption(select, value) {
  return [...select.options].some((option) => option.value === value);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof JsonNumber);
}

function encodeShare(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeShare(code) {
  const base64 = code.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

// ---------------------------------------------------------------------------------------------
// The engine: a module worker running Pyodide

class Engine {
  /**
   * Start the worker. `timeout()` gives the watchdog's seconds, each time it starts counting.
   * `onError` gets {kind, detail}: kind "failed" (the worker said so, or could not run), "broke"
   * (scoring raised an exception),
   * "stalled" (no message for that long while loading) or "stopped" (no answer for that long
   * once ready: the worker has died).
   */
  constructor(indexURL, lockFileURL, { timeout, onProgress, onReady, onError }) {
    this.pending = new Map();
    this.nextId = 0;
    this.ready = false;
    this.failure = null;
    this.timer = null;
    this.timeout = timeout;
    this.onProgress = onProgress;
    this.onReady = onReady;
    this.onError = onError;
    // The worker is fetched with this script's own query (its version), to stay in step with it.
    const url = new URL(`engine-worker.mjs${new URL(import.meta.url).search}`, import.meta.url);
    try {
      this.worker = new Worker(url, { type: "module" });
    } catch (error) {
      this.failure = { kind: "failed", detail: String(error?.message ?? error) };
      queueMicrotask(() => this.onError(this.failure));
      return;
    }
    this.worker.addEventListener("message", (event) => this.receive(event.data));
    this.worker.addEventListener("messageerror", () => this.fail("failed", "unreadable message"));
    this.worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail("failed", event.message || "the engine script could not be loaded");
    });
    this.worker.postMessage({ type: "init", indexURL, lockFileURL });
    this.watch();
  }

  /** Score an assessment text; resolves to the engine's JSON text. */
  evaluate(text, lang) {
    if (this.failure) return Promise.reject(new Error(this.failure.kind));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, text, lang });
      if (this.timer === null) this.watch(); // typing while it loads must not hold off the count
    });
  }

  receive(message) {
    if (this.failure) return;
    if (message?.type === "result") {
      this.pending.get(message.id)?.resolve(message.json);
      this.pending.delete(message.id);
    } else if (message?.type === "ready") {
      this.ready = true;
      this.onReady(message.version);
    } else if (message?.type === "error") {
      this.fail(message.during === "scoring" ? "broke" : "failed", message.message);
      return;
    } else if (message?.type === "progress") {
      this.onProgress(message);
    }
    this.watch(); // every message is progress
  }

  /** Count `timeout` seconds afresh while something is awaited from the worker; else stop. */
  watch() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.failure || (this.ready && !this.pending.size)) return;
    this.timer = setTimeout(() => {
      // A hidden page may have been asleep or throttled: count again once it can be seen.
      if (document.hidden) this.watch();
      else this.fail(this.ready ? "stopped" : "stalled");
    }, this.timeout() * 1000);
  }

  fail(kind, detail = "") {
    if (this.failure) return;
    this.failure = { kind, detail: String(detail ?? "") };
    this.stop();
    for (const { reject } of this.pending.values()) reject(new Error(kind));
    this.pending.clear();
    this.onError(this.failure);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    this.worker?.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// The calculator

class Calculator {
  constructor(root) {
    this.root = root;
    this.scheme = JSON.parse(root.querySelector("[data-calculator-scheme]").textContent);
    this.t = JSON.parse(root.querySelector("[data-calculator-strings]").textContent);
    this.lang = root.dataset.lang;
    this.form = root.querySelector("[data-calculator-form]");
    this.result = root.querySelector("[data-result]");
    this.alert = root.querySelector("[data-calculator-alert]");
    this.status = root.querySelector("[data-calculator-status]");
    this.indicators = this.scheme.categories.flatMap((category) => category.indicators);
    this.tiers = new Map(this.scheme.tiers.map((tier) => [tier.id, tier]));
    this.defaults = this.state();
    this.kept = JSON.stringify(this.defaults); // the answers last exported, imported or shared
    this.touched = new Set(); // fields the user has been in: their "required" errors show
    this.latest = 0; // id of the newest evaluation; older answers are dropped
    this.alerts = {};
    this.timers = {};
    this.linkOpening = false;
  }

  start() {
    const saved = this.load(STORAGE_KEY);
    if (saved && this.restore(saved)) this.setAlert("saved", [this.t.storage_partial]);
    this.refreshForm();
    this.form.addEventListener("input", (event) => this.edited(event));
    this.form.addEventListener("change", (event) => {
      if (event.target.type === "file") this.importFile(event.target);
    });
    this.form.addEventListener("focusout", (event) => {
      if (event.target.name) this.touched.add(event.target.name);
    });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.root.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action) this[`${action}Action`]();
    });
    window.addEventListener("hashchange", () => this.openLink());
    window.addEventListener("beforeprint", () => this.renderPrintDate());

    this.startEngine();
    this.update();
    this.openLink();
  }

  startEngine() {
    const url = (attribute) => new URL(this.root.getAttribute(attribute), document.baseURI).href;
    this.root.dataset.engine = "loading";
    this.root.querySelector("[data-engine-status]").hidden = false;
    this.root.querySelector(".calc__progress").hidden = false;
    this.root.querySelector(".calc__progress").removeAttribute("value");
    this.root.querySelector("[data-engine-message]").textContent = this.t.engine_loading;
    this.root.querySelector("[data-engine-bytes]").textContent = "";
    this.engine = new Engine(url("data-engine-index"), url("data-engine-lock"), {
      timeout: () => this.engineTimeout(),
      onProgress: (message) => this.engineProgress(message),
      onReady: () => this.engineReady(),
      onError: (failure) => this.engineFailed(failure),
    });
  }

  // --- form state -----------------------------------------------------------------------------

  field(name) {
    return this.form.elements.namedItem(name);
  }

  /** The values of every field, by name (a radio group by its checked value). */
  state() {
    const fields = {};
    for (const element of this.form.elements) {
      if (!element.name || element.type === "file" || element.readOnly) continue;
      if (element.type === "radio") {
        if (element.checked) fields[element.name] = element.value;
      } else {
        fields[element.name] = element.type === "checkbox" ? element.checked : element.value;
      }
    }
    return fields;
  }

  /**
   * Put saved field values into the form. A name the form does not have is skipped (it may come
   * from another version of the page); a value its field cannot hold is left out and counted.
   * Returns how many values were left out.
   */
  restore(fields) {
    let refused = 0;
    for (const [name, value] of Object.entries(fields)) {
      const field = this.field(name);
      if (field instanceof RadioNodeList) {
        if ([...field].some((radio) => radio.value === value)) field.value = value;
        else refused++;
      } else if (!field || field.name !== name || field.type === "file" || field.readOnly) {
        continue;
      } else if (field.type === "checkbox") {
        if (typeof value === "boolean") field.checked = value;
        else refused++;
      } else if (typeof value !== "string" || (field.tagName === "SELECT" && value && !hasOption(field, value))) {
        refused++;
      } else {
        field.value = value;
      }
    }
    return refused;
  }

  isDefault(fields = this.state()) {
    return JSON.stringify(fields) === JSON.stringify(this.defaults);
  }

  /** True when the form holds answers that were never exported, imported or shared. */
  unsaved() {
    return !this.isDefault() && JSON.stringify(this.state()) !== this.kept;
  }

  keep() {
    this.kept = JSON.stringify(this.state());
  }

  get mode() {
    return this.field("mode").value === "full" ? "full" : "quick";
  }

  /** The assessment the form holds, in the engine's JSON format. */
  assessment() {
    const data = {};
    if (this.mode === "quick") {
      data.total = fieldValue(this.field("total").value);
    } else {
      data.indicators = {};
      for (const { id } of this.indicators) {
        const status = this.field(`status:${id}`).value;
        if (!status) continue;
        const answer = { status };
        if (status === "sampled") {
          answer.samples = fieldValue(this.field(`samples:${id}`).value);
          answer.nonconforming = fieldValue(this.field(`nonconforming:${id}`).value);
        } else if (status === "scored") {
          answer.points = fieldValue(this.field(`points:${id}`).value);
        }
        data.indicators[id] = answer;
      }
    }
    data.special_deductions = fieldValue(this.field("special_deductions").value);
    data.special_bonus = this.field("special_bonus").checked;
    return data;
  }

  /** Put an assessment (parsed JSON) into the form, replacing every answer. */
  fill(data) {
    const text = (value) => (value instanceof JsonNumber ? value.text : typeof value === "string" ? value : "");
    this.restore(this.defaults);
    const quick = "total" in data;
    this.field("mode").value = quick ? "quick" : "full";
    if (quick) this.field("total").value = text(data.total);
    for (const [id, answer] of Object.entries(isObject(data.indicators) ? data.indicators : {})) {
      if (!this.field(`status:${id}`) || !isObject(answer)) continue;
      const status = this.field(`status:${id}`);
      status.value = hasOption(status, answer.status) ? answer.status : "";
      this.field(`samples:${id}`).value = text(answer.samples);
      this.field(`nonconforming:${id}`).value = text(answer.nonconforming);
      this.field(`points:${id}`).value = text(answer.points);
    }
    if ("special_deductions" in data) this.field("special_deductions").value = text(data.special_deductions);
    this.field("special_bonus").checked = data.special_bonus === true;
  }

  /** Show the panel of the current mode and the detail fields each answer needs. */
  refreshForm() {
    for (const panel of this.root.querySelectorAll("[data-mode-panel]")) {
      panel.hidden = panel.dataset.modePanel !== this.mode;
    }
    for (const { id } of this.indicators) {
      const status = this.field(`status:${id}`).value;
      const row = this.root.querySelector(`[data-indicator="${CSS.escape(id)}"]`);
      for (const details of row.querySelectorAll("[data-when]")) details.hidden = details.dataset.when !== status;
    }
  }

  edited(event) {
    const target = event.target;
    if (!target.name || target.type === "file" || target.readOnly) return;
    this.touched.add(target.name);
    this.setAlert("import", null);
    this.setAlert("saved", null);
    this.setStatus("");
    this.hideShare();
    this.refreshForm();
    this.save();
    this.update();
  }

  // --- storage --------------------------------------------------------------------------------

  /**
   * The fields saved under `key`, or null. Storage that cannot be used is reported (the page
   * works on without autosave); saved text that cannot be read is reported and removed.
   */
  load(key) {
    let text;
    try {
      text = localStorage.getItem(key);
    } catch {
      this.setAlert("storage", [this.t.storage_unavailable]);
      return null;
    }
    if (text === null) return null;
    try {
      const fields = JSON.parse(text);
      if (isObject(fields)) return fields;
    } catch {
      // reported below
    }
    this.setAlert("saved", [this.t.storage_corrupt]);
    this.save(key, null);
    return null;
  }

  /** Keep `fields` under `key` (null removes them); say so when the browser cannot. */
  save(key = STORAGE_KEY, fields = this.state()) {
    try {
      if (fields === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(fields));
    } catch (error) {
      this.setAlert("storage", [error?.name === "QuotaExceededError" ? this.t.storage_full : this.t.storage_unavailable]);
      return;
    }
    this.setAlert("storage", null);
  }

  // --- evaluation -----------------------------------------------------------------------------

  async update() {
    const id = ++this.latest;
    let reply;
    try {
      reply = JSON.parse(await this.engine.evaluate(stringify(this.assessment()), this.lang));
    } catch {
      return; // the engine failed; engineFailed() has said so
    }
    if (id !== this.latest) return; // a newer change is on its way
    if (reply.ok) this.showResult(reply.result);
    else this.showInvalid(reply.errors);
    this.renderAnswers();
  }

  /** Show how much of the engine has arrived, when the worker says (total may be unknown). */
  engineProgress(message) {
    if (message.stage !== "download" || !Number.isFinite(message.loaded)) return;
    const bar = this.root.querySelector(".calc__progress");
    const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
    let text;
    if (Number.isFinite(message.total) && message.total > 0) {
      bar.max = message.total;
      bar.value = Math.min(message.loaded, message.total);
      text = format(this.t.engine_download, { loaded: megabytes(message.loaded), total: megabytes(message.total) });
    } else {
      bar.removeAttribute("value");
      text = format(this.t.engine_download_unknown, { loaded: megabytes(message.loaded) });
    }
    this.root.querySelector("[data-engine-bytes]").textContent = text;
  }

  engineReady() {
    this.root.dataset.engine = "ready";
    this.root.querySelector(".calc__progress").hidden = true;
    this.root.querySelector("[data-engine-bytes]").textContent = "";
    this.root.querySelector("[data-engine-message]").textContent = this.t.engine_ready;
    this.openLink(); // a link that waited for the engine
  }

  /** The engine cannot run: say why and what to do; everything typed stays, and is kept. */
  engineFailed({ kind, detail }) {
    const t = this.t;
    this.root.dataset.engine = "error";
    this.root.querySelector("[data-engine-status]").hidden = true;
    const reason = format(t[`engine_${kind}`], { seconds: this.engineTimeout() });
    const lines = [reason, t.engine_kept];
    if (detail) lines.push(format(t.engine_detail, { message: detail.slice(0, 300) }));
    this.setAlert("engine", lines, "", [
      element("button", { type: "button", class: "md-button md-button--primary", "data-action": "retry" }, t.retry),
      element("a", { href: "#tiers", class: "calc__alert-link" }, t.tiers_link),
    ]);
    this.showFieldErrors([]);
    this.setResultData("", "", false);
    this.result.querySelector("[data-result-body]").replaceChildren(
      element("p", { class: "calc__placeholder" }, t.result_unavailable),
    );
    this.announce("");
  }

  /** The watchdog's seconds: data-engine-timeout when it is a positive number, else 30. */
  engineTimeout() {
    const seconds = Number(this.root.dataset.engineTimeout);
    return Number.isFinite(seconds) && seconds > 0 ? seconds : ENGINE_TIMEOUT;
  }

  /** Start the engine again, keeping every answer; the result follows once it is ready. */
  retryAction() {
    this.engine?.stop();
    this.setAlert("engine", null);
    this.result.querySelector("[data-result-body]").replaceChildren(element("p", { class: "calc__placeholder" }, this.t.waiting));
    this.startEngine();
    this.root.querySelector("[data-engine-message]").focus(); // the button is gone: say what happens now
    this.update();
  }

  // --- errors ---------------------------------------------------------------------------------

  /** The form field an error's JSON Pointer names, if any. */
  fieldFor(path) {
    const exact = this.form.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (exact) return exact;
    const indicator = /^\/indicators\/([^/]+)$/.exec(path);
    return indicator ? this.field(`status:${indicator[1].replace(/~1/g, "/").replace(/~0/g, "~")}`) : null;
  }

  /**
   * Set (or with no lines, clear) one kind of message in the alert: engine, import, form,
   * storage, saved. The alert is rebuilt only when its text changes, so it is announced once.
   */
  setAlert(kind, lines, heading = "", actions = []) {
    const entry = lines?.length ? { heading, lines, actions } : null;
    const key = (value) => JSON.stringify(value && { heading: value.heading, lines: value.lines });
    if (key(entry) === key(this.alerts[kind] ?? null)) return;
    this.alerts[kind] = entry;
    this.alert.replaceChildren();
    for (const { heading: title, lines: items, actions: buttons } of Object.values(this.alerts).filter(Boolean)) {
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

  setStatus(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  /** Show each error next to its field (a pause first if the user is typing in it). */
  showFieldErrors(errors) {
    const messages = new Map();
    const elsewhere = [];
    for (const error of errors) {
      const field = this.fieldFor(error.path);
      if (!field) elsewhere.push(error.message);
      else if (error.code !== "required" || this.touched.has(field.name)) {
        messages.set(field, [...(messages.get(field) ?? []), error.message]);
      }
    }
    this.setAlert("form", elsewhere);
    clearTimeout(this.timers.errors);
    const apply = () => {
      for (const field of this.form.querySelectorAll("[data-path]")) {
        const text = messages.get(field)?.join(" ") ?? "";
        const target = document.getElementById(`${field.id}-error`);
        if (target.textContent !== text) target.textContent = text;
        if (text) field.setAttribute("aria-invalid", "true");
        else field.removeAttribute("aria-invalid");
      }
    };
    // Clear at once; show new messages at once unless the user is typing in that field.
    for (const field of this.form.querySelectorAll("[aria-invalid]")) {
      if (!messages.has(field)) {
        field.removeAttribute("aria-invalid");
        document.getElementById(`${field.id}-error`).textContent = "";
      }
    }
    if (messages.has(document.activeElement)) this.timers.errors = setTimeout(apply, ERROR_DELAY);
    else apply();
    return messages.size + elsewhere.length;
  }

  // --- result ---------------------------------------------------------------------------------

  tierName(id) {
    return this.tiers.get(id).name[this.lang];
  }

  indicatorName(id) {
    return this.indicators.find((indicator) => indicator.id === id).name[this.lang];
  }

  setResultData(score, tier, provisional) {
    this.result.dataset.score = score;
    this.result.dataset.tier = tier;
    this.result.dataset.provisional = String(provisional);
    const summary = tier ? (provisional ? this.t.summary_provisional : this.t.summary) : this.t.summary_none;
    this.root.querySelector("[data-result-summary]").textContent = format(summary, {
      score,
      tier: tier && this.tierName(tier),
    });
  }

  showInvalid(errors) {
    const shown = this.showFieldErrors(errors);
    this.setResultData("", "", false);
    this.result.classList.add("calc__result--invalid");
    const body = this.result.querySelector("[data-result-body]");
    body.replaceChildren(element("p", { class: "calc__placeholder" }, shown ? this.t.invalid : this.t.incomplete));
    this.announce("");
  }

  showResult(result) {
    const t = this.t;
    this.showFieldErrors([]);
    this.setResultData(String(result.score), result.tier, result.provisional);
    this.result.classList.remove("calc__result--invalid");
    const tier = this.tiers.get(result.tier);
    const body = [];

    body.push(
      element(
        "div",
        { class: "calc__headline" },
        element(
          "p",
          { class: "calc__score" },
          element("span", { class: "calc__score-label" }, t.score_label),
          element("span", { class: "calc__score-value", "data-result-score": "" }, String(result.score)),
          element("span", { class: "calc__score-of" }, t.score_of),
        ),
        element(
          "p",
          { class: `calc__tier calc__tier--${tier.id}` },
          element("span", { class: "calc__score-label" }, t.tier_label),
          tier.stars ? element("span", { class: "calc__stars", "aria-hidden": "true" }, "★".repeat(tier.stars)) : "",
          element("span", { class: "calc__tier-name", "data-result-tier": "" }, tier.name[this.lang]),
          element("span", { class: "calc__tier-self" }, t.tier_self),
        ),
      ),
    );

    let verdict = t.passed;
    if (result.fail_reason === "special_deductions") {
      verdict = format(t.failed_deductions, {
        count: result.special_deductions,
        limit: this.scheme.special_deductions_fail,
      });
    } else if (result.fail_reason === "score") {
      verdict = format(t.failed_score, { minimum: this.scheme.pass_minimum });
    }
    body.push(element("p", { class: `calc__verdict calc__verdict--${result.passed ? "pass" : "fail"}` }, verdict));

    if (result.provisional) {
      const values = {
        count: result.unanswered.length,
        total: this.indicators.length,
        low: this.tierName(result.tier),
        low_score: result.score,
        high: this.tierName(result.best.tier),
        high_score: result.best.score,
        tier: this.tierName(result.tier),
      };
      const text = result.best.tier === result.tier ? t.provisional_settled : t.provisional;
      body.push(element("p", { class: "calc__range", "data-result-range": "" }, format(text, values)));
    }
    body.push(this.scale(result));

    if (result.next_tier) {
      const next = format(t.next_tier, {
        points: result.next_tier.points_needed,
        tier: this.tierName(result.next_tier.tier),
      });
      body.push(element("p", { class: "calc__next", "data-result-next": "" }, next));
    } else if (result.passed) {
      body.push(element("p", { class: "calc__next", "data-result-next": "" }, t.top_tier));
    }

    if (result.categories.length) {
      body.push(element("h3", {}, t.categories_heading), this.categoryBars(result.categories));
    }
    if (result.improvements.length) {
      const list = element("ol", { class: "calc__improvements", "data-result-improvements": "" });
      for (const item of result.improvements.slice(0, IMPROVEMENTS_SHOWN)) {
        const status = t[`status_short_${item.status}`] ?? item.status;
        list.append(
          element(
            "li",
            { "data-indicator": item.indicator },
            format(item.tier === result.tier ? t.improvement : t.improvement_tier, {
              indicator: this.indicatorName(item.indicator),
              status,
              gain: item.gain,
              tier: this.tierName(item.tier),
            }),
          ),
        );
      }
      body.push(element("h3", {}, t.improvements_heading), list);
    }

    this.result.querySelector("[data-result-body]").replaceChildren(...body);
    this.announce(
      format(t.announce, {
        score: result.score,
        tier: this.tierName(result.tier),
        verdict: result.provisional ? `${verdict} ${t.announce_provisional}` : verdict,
      }),
    );
  }

  /** The 0–100 scale: the score, the provisional range up to the best case, and the tiers' minimums. */
  scale(result) {
    const svg = svgElement("svg", {
      class: "calc__scale",
      viewBox: "0 0 100 10",
      preserveAspectRatio: "none",
      "aria-hidden": "true",
    });
    svg.append(svgElement("rect", { class: "calc__scale-track", x: 0, y: 2, width: 100, height: 6 }));
    if (result.best.score > result.score) {
      svg.append(
        svgElement("rect", {
          class: "calc__scale-open",
          x: result.score,
          y: 2,
          width: result.best.score - result.score,
          height: 6,
        }),
      );
    }
    svg.append(svgElement("rect", { class: "calc__scale-fill", x: 0, y: 2, width: result.score, height: 6 }));
    const labels = element("div", { class: "calc__scale-labels", "aria-hidden": "true" });
    for (const tier of this.scheme.tiers.filter((each) => each.minimum > 0)) {
      svg.append(svgElement("rect", { class: "calc__scale-tick", x: tier.minimum - 0.2, y: 0, width: 0.4, height: 10 }));
      const label = element("span", {}, String(tier.minimum));
      label.style.left = `${tier.minimum}%`;
      labels.append(label);
    }
    return element("div", { class: "calc__scale-box" }, svg, labels);
  }

  /** One SVG bar per category: earned and unanswered shares of its applicable points. */
  categoryBars(categories) {
    const t = this.t;
    const list = element("ul", { class: "calc__bars", "data-result-categories": "" });
    for (const category of categories) {
      const name = this.scheme.categories.find((each) => each.id === category.id).name[this.lang];
      let detail;
      // Drawn in the category's own points: earned, then unanswered, of its applicable points.
      const width = category.percent === null ? 1 : category.applicable;
      const svg = svgElement("svg", { class: "calc__bar", viewBox: `0 0 ${width} 4`, preserveAspectRatio: "none", "aria-hidden": "true" });
      svg.append(svgElement("rect", { class: "calc__bar-track", x: 0, y: 0, width, height: 4 }));
      if (category.percent === null) {
        detail = t.category_excluded;
      } else {
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
            element("span", { class: "calc__bar-detail" }, category.percent === null ? detail : `${category.percent}%`),
          ),
          svg,
          element("span", { class: "calc__bar-note" }, category.percent === null ? "" : detail),
        ),
      );
    }
    return list;
  }

  /** Say the result to screen readers once the user pauses. */
  announce(text) {
    clearTimeout(this.timers.announce);
    const region = this.result.querySelector("[data-result-announce]");
    this.timers.announce = setTimeout(() => {
      region.textContent = text;
    }, ANNOUNCE_DELAY);
  }

  /** The answers as a table, for the printed report. */
  renderAnswers() {
    const t = this.t;
    const target = this.result.querySelector("[data-result-answers]");
    const special = format(t.answer_special, {
      deductions: this.field("special_deductions").value || "0",
      bonus: this.field("special_bonus").checked ? t.yes : t.no,
    });
    const parts = [element("h3", {}, t.answers_heading)];
    if (this.mode === "quick") {
      parts.push(element("p", {}, format(t.answer_quick, { total: this.field("total").value })));
    } else {
      const rows = this.indicators.map(({ id, name, points }) => {
        const status = this.field(`status:${id}`).value;
        let finding = t[`status_${status || "unanswered"}`];
        if (status === "sampled") {
          finding = format(t.answer_sampled, {
            samples: this.field(`samples:${id}`).value,
            nonconforming: this.field(`nonconforming:${id}`).value,
          });
        } else if (status === "scored") {
          finding = format(t.answer_scored, { points: this.field(`points:${id}`).value, max: points });
        }
        return element("tr", {}, element("td", {}, name[this.lang]), element("td", {}, finding));
      });
      parts.push(
        element(
          "table",
          {},
          element("thead", {}, element("tr", {}, element("th", {}, t.answer_indicator), element("th", {}, t.answer_finding))),
          element("tbody", {}, ...rows),
        ),
      );
    }
    parts.push(element("p", {}, special));
    target.replaceChildren(...parts);
  }

  renderPrintDate() {
    const date = new Date().toLocaleDateString(this.lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "long" });
    this.result.querySelector("[data-print-date]").textContent = format(this.t.print_date, { date });
  }

  // --- keeping work ---------------------------------------------------------------------------

  exportAction() {
    const text = `${stringify(this.assessment(), "  ")}\n`;
    const link = element("a", {
      href: URL.createObjectURL(new Blob([text], { type: "application/json" })),
      download: `self-assessment-${new Date().toISOString().slice(0, 10)}.json`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    this.keep();
  }

  async shareAction() {
    const url = new URL(window.location.href);
    url.hash = SHARE_PREFIX + encodeShare(stringify(this.assessment()));
    const box = this.root.querySelector("[data-share]");
    const input = this.field("share-link");
    const message = box.querySelector("[data-share-message]");
    input.value = url.href;
    box.hidden = false;
    input.focus();
    input.select();
    this.keep();
    try {
      await navigator.clipboard.writeText(url.href);
      message.textContent = this.t.share_copied;
    } catch {
      message.textContent = this.t.share_select;
    }
  }

  hideShare() {
    this.root.querySelector("[data-share]").hidden = true;
  }

  printAction() {
    window.print();
  }

  resetAction() {
    if (this.unsaved() && !window.confirm(this.t.reset_confirm)) return;
    this.restore(this.defaults);
    this.touched.clear();
    this.setAlert("import", null);
    this.hideShare();
    this.refreshForm();
    this.save(STORAGE_KEY, null);
    this.update();
  }

  restoreAction() {
    const previous = this.load(PREVIOUS_KEY);
    if (previous) {
      this.restore(previous);
      this.touched = new Set(Object.keys(previous));
      this.refreshForm();
      this.save();
      this.update();
    }
    this.save(PREVIOUS_KEY, null);
    this.root.querySelector("[data-calculator-notice]").hidden = true;
  }

  async importFile(input) {
    const file = input.files?.[0];
    input.value = ""; // choosing the same file again imports it again
    if (!file) return;
    if (this.unsaved() && !window.confirm(this.t.import_confirm)) return;
    const heading = this.t.import_invalid;
    if (file.size > MAX_IMPORT_BYTES) {
      this.refuseImport(heading, [format(this.t.import_too_large, { limit: MAX_IMPORT_BYTES / 1e6 })]);
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch {
      this.refuseImport(heading, [this.t.import_unreadable]);
      return;
    }
    const outcome = await this.importText(text, heading);
    if (outcome === "unavailable") this.refuseImport(heading, [this.t.import_needs_engine]);
    if (outcome !== "imported") return;
    this.keep();
    this.setStatus(this.t.import_done);
  }

  /** Open an assessment from the URL fragment, keeping the answers it replaces aside. */
  async openLink() {
    if (this.linkOpening || !window.location.hash.startsWith(SHARE_PREFIX)) return;
    this.linkOpening = true;
    try {
      const code = window.location.hash.slice(SHARE_PREFIX.length);
      let text;
      try {
        text = decodeShare(code);
      } catch {
        text = code; // not base64: the engine will say it is not JSON
      }
      const before = this.state();
      const outcome = await this.importText(text, this.t.link_invalid);
      if (outcome === "unavailable") {
        // The link stays in the address bar: it opens once the engine runs (Try again, reload).
        this.setAlert("import", [this.t.link_waiting]);
        return;
      }
      history.replaceState(null, "", window.location.pathname + window.location.search);
      if (outcome !== "imported") return;
      this.keep();
      if (!this.isDefault(before) && JSON.stringify(before) !== JSON.stringify(this.state())) {
        this.save(PREVIOUS_KEY, before);
        const notice = this.root.querySelector("[data-calculator-notice]");
        notice.querySelector("[data-notice-message]").textContent = this.t.link_opened;
        notice.hidden = false;
      }
    } finally {
      this.linkOpening = false;
    }
  }

  /**
   * Import assessment JSON text, checked by the engine first: "imported", "refused" (the alert
   * says why; no answer changed) or "unavailable" (the engine is not running; nothing changed).
   * What the form cannot hold (not JSON, too large, unknown keys, statuses or indicators) is
   * refused; numbers the engine finds invalid are taken and shown next to their fields.
   */
  async importText(text, heading) {
    if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) {
      this.refuseImport(heading, [format(this.t.import_too_large, { limit: MAX_IMPORT_BYTES / 1e6 })]);
      return "refused";
    }
    let data = null;
    try {
      data = parseAssessment(text);
    } catch {
      // not JSON: the engine says where
    }
    if (this.root.dataset.engine === "loading") this.setStatus(this.t.import_checking);
    let reply;
    try {
      reply = JSON.parse(await this.engine.evaluate(text, this.lang));
    } catch {
      return "unavailable";
    } finally {
      if (this.status.textContent === this.t.import_checking) this.setStatus("");
    }
    const errors = reply.ok ? [] : reply.errors;
    const refused = errors.filter((error) => !(FIELD_CODES.has(error.code) && this.fieldFor(error.path)?.type === "text"));
    if (!isObject(data) || refused.length) {
      this.refuseImport(heading, (refused.length ? refused : errors).map((error) => error.message));
      return "refused";
    }
    this.setAlert("import", null);
    this.fill(data);
    this.touched = new Set(Object.keys(this.state()));
    this.hideShare();
    this.refreshForm();
    this.save();
    this.update();
    return "imported";
  }

  refuseImport(heading, lines) {
    this.setAlert("import", [...lines, this.t.import_unchanged], heading);
  }
}

// ---------------------------------------------------------------------------------------------
// DOM helpers

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

const root = document.querySelector("[data-calculator]");
if (root) new Calculator(root).start();
