// The calculator page: reads the form, asks the scoring engine (the `calculator` Python package
// in Pyodide, in a module worker) for the result, and renders what comes back. Every scoring rule
// lives in the Python package; this file builds the assessment JSON, shows the result JSON and
// keeps the user's work (autosave, export/import, share link, print).
//
// Names and attributes other code may rely on (tests, pages embedding the calculator):
//   [data-calculator]              root; data-engine = "loading" | "ready" | "error"
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
//   [role=alert]                   errors the user must see; a field's error is the element its
//                                  aria-describedby names with the id "<field id>-error"
//
// The assessment JSON is the format `python3 -m calculator score FILE` reads. Numbers are passed
// as typed (a JSON number when the text is one, else the text itself), so the engine decides
// what is valid and says why in the page's language.

// The page's code is this one file (and the worker's one more), both fetched with the build's
// ?v= query, so a cached older part can never run with a newer one.

const STORAGE_KEY = "gbt27922-calculator";
const PREVIOUS_KEY = "gbt27922-calculator-previous";
const SHARE_PREFIX = "#assessment=";
const STATUSES = ["conforms", "nonconforming", "sampled", "scored", "excluded"];
// Error codes of a number field the form can hold (the file's text is put in the field as is).
const FIELD_CODES = new Set(["required", "not_a_number", "out_of_range", "not_whole", "too_precise"]);
const ERROR_DELAY = 600; // ms without typing before the error of the field being typed in shows
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
  constructor(indexURL, lockFileURL, { onReady, onError }) {
    this.pending = new Map();
    this.nextId = 0;
    this.failure = null;
    this.onReady = onReady;
    this.onError = onError;
    // The worker is fetched with this script's own query (its version), to stay in step with it.
    const url = new URL(`engine-worker.mjs${new URL(import.meta.url).search}`, import.meta.url);
    this.worker = new Worker(url, { type: "module" });
    this.worker.addEventListener("message", (event) => this.receive(event.data));
    this.worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail(event.message || "the engine script could not be loaded");
    });
    this.worker.postMessage({ type: "init", indexURL, lockFileURL });
  }

  /** Score an assessment text; resolves to the engine's JSON text. */
  evaluate(text, lang) {
    if (this.failure) return Promise.reject(new Error(this.failure));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, text, lang });
    });
  }

  receive(message) {
    if (message.type === "result") {
      this.pending.get(message.id)?.resolve(message.json);
      this.pending.delete(message.id);
    } else if (message.type === "ready") {
      this.onReady(message.version);
    } else if (message.type === "error") {
      this.fail(message.message);
    }
  }

  fail(reason) {
    if (this.failure) return;
    this.failure = reason;
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    this.onError(reason);
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
    this.indicators = this.scheme.categories.flatMap((category) => category.indicators);
    this.tiers = new Map(this.scheme.tiers.map((tier) => [tier.id, tier]));
    this.defaults = this.state();
    this.kept = JSON.stringify(this.defaults); // the answers last exported, imported or shared
    this.touched = new Set(); // fields the user has been in: their "required" errors show
    this.latest = 0; // id of the newest evaluation; older answers are dropped
    this.alerts = {};
    this.timers = {};
  }

  start() {
    const saved = this.load(STORAGE_KEY);
    if (saved) this.restore(saved);
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

    const url = (attribute) => new URL(this.root.getAttribute(attribute), document.baseURI).href;
    this.engine = new Engine(url("data-engine-index"), url("data-engine-lock"), {
      onReady: () => this.engineReady(),
      onError: (reason) => this.engineFailed(reason),
    });
    this.update();
    this.openLink();
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

  restore(fields) {
    for (const element of this.form.elements) {
      if (!(element.name in fields) || element.type === "file" || element.readOnly) continue;
      const value = fields[element.name];
      if (element.type === "radio") element.checked = element.value === value;
      else if (element.type === "checkbox") element.checked = value === true;
      else if (element.tagName === "SELECT") element.value = STATUSES.includes(value) ? value : "";
      else element.value = typeof value === "string" ? value : "";
    }
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
      this.field(`status:${id}`).value = STATUSES.includes(answer.status) ? answer.status : "";
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
    this.hideShare();
    this.refreshForm();
    this.save();
    this.update();
  }

  // --- storage --------------------------------------------------------------------------------

  load(key) {
    try {
      const fields = JSON.parse(localStorage.getItem(key) ?? "null");
      return isObject(fields) ? fields : null;
    } catch {
      return null; // storage unavailable or unreadable: start from the empty form
    }
  }

  save(key = STORAGE_KEY, fields = this.state()) {
    try {
      if (fields === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(fields));
    } catch {
      // storage full or disabled: the page still works, without autosave
    }
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

  engineReady() {
    this.root.dataset.engine = "ready";
    this.root.querySelector(".calc__progress").hidden = true;
    this.root.querySelector("[data-engine-message]").textContent = this.t.engine_ready;
  }

  engineFailed(reason) {
    this.root.dataset.engine = "error";
    this.root.querySelector("[data-engine-status]").hidden = true;
    const message = format(this.t.engine_error, { message: reason });
    this.setAlert("engine", [message]);
    this.result.querySelector("[data-result-body]").replaceChildren(element("p", { class: "calc__placeholder" }, message));
  }

  // --- errors ---------------------------------------------------------------------------------

  /** The form field an error's JSON Pointer names, if any. */
  fieldFor(path) {
    const exact = this.form.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (exact) return exact;
    const indicator = /^\/indicators\/([^/]+)$/.exec(path);
    return indicator ? this.field(`status:${indicator[1].replace(/~1/g, "/").replace(/~0/g, "~")}`) : null;
  }

  setAlert(kind, lines, heading = "") {
    this.alerts[kind] = lines?.length ? { heading, lines } : null;
    this.alert.replaceChildren();
    for (const entry of Object.values(this.alerts)) {
      if (!entry) continue;
      if (entry.heading) this.alert.append(element("p", {}, entry.heading));
      const list = element("ul");
      for (const line of entry.lines) list.append(element("li", {}, line));
      this.alert.append(entry.lines.length === 1 && !entry.heading ? element("p", {}, entry.lines[0]) : list);
    }
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
      const lowest = this.scheme.tiers.find((each) => each.id !== "fail");
      verdict = format(t.failed_score, { minimum: lowest.minimum });
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
    for (const tier of this.scheme.tiers) {
      if (tier.minimum > 0) {
        svg.append(svgElement("rect", { class: "calc__scale-tick", x: tier.minimum - 0.2, y: 0, width: 0.4, height: 10 }));
      }
    }
    const labels = element("div", { class: "calc__scale-labels", "aria-hidden": "true" });
    for (const tier of this.scheme.tiers) {
      if (tier.minimum > 0) {
        const label = element("span", {}, String(tier.minimum));
        label.style.left = `${tier.minimum}%`;
        labels.append(label);
      }
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
      const svg = svgElement("svg", { class: "calc__bar", viewBox: "0 0 100 4", preserveAspectRatio: "none", "aria-hidden": "true" });
      svg.append(svgElement("rect", { class: "calc__bar-track", x: 0, y: 0, width: 100, height: 4 }));
      if (category.percent === null) {
        detail = t.category_excluded;
      } else {
        const open = (category.unanswered / category.applicable) * 100;
        svg.append(svgElement("rect", { class: "calc__bar-fill", x: 0, y: 0, width: category.percent, height: 4 }));
        if (open > 0) {
          svg.append(svgElement("rect", { class: "calc__bar-open", x: category.percent, y: 0, width: open, height: 4 }));
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
    if (!file) return;
    if (this.unsaved() && !window.confirm(this.t.import_confirm)) {
      input.value = "";
      return;
    }
    const text = await file.text();
    input.value = ""; // choosing the same file again imports it again
    if (await this.importText(text, this.t.import_invalid)) this.keep();
  }

  /** Open an assessment from the URL fragment, keeping the answers it replaces aside. */
  async openLink() {
    if (!window.location.hash.startsWith(SHARE_PREFIX)) return;
    const code = window.location.hash.slice(SHARE_PREFIX.length);
    history.replaceState(null, "", window.location.pathname + window.location.search);
    let text;
    try {
      text = decodeShare(code);
    } catch {
      text = code; // not base64: the engine will say it is not JSON
    }
    const before = this.state();
    if (!(await this.importText(text, this.t.link_invalid))) return;
    this.keep();
    if (!this.isDefault(before) && JSON.stringify(before) !== JSON.stringify(this.state())) {
      this.save(PREVIOUS_KEY, before);
      const notice = this.root.querySelector("[data-calculator-notice]");
      notice.querySelector("[data-notice-message]").textContent = this.t.link_opened;
      notice.hidden = false;
    }
  }

  /**
   * Import assessment JSON text: into the form at once if it parses, then checked by the engine.
   * What the form cannot hold (unknown keys, statuses, indicators; not JSON) refuses the import
   * and shows the engine's messages; invalid numbers are kept and shown next to their fields.
   */
  async importText(text, heading) {
    const before = this.state();
    let data = null;
    try {
      data = parseAssessment(text);
    } catch {
      // not JSON: the engine says where
    }
    const fits = isObject(data);
    if (fits) this.applyImported(data);
    let reply;
    try {
      reply = JSON.parse(await this.engine.evaluate(text, this.lang));
    } catch {
      return fits; // the engine failed and says so; keep what the form could take
    }
    const refused = reply.ok
      ? []
      : reply.errors.filter((error) => !(FIELD_CODES.has(error.code) && this.fieldFor(error.path)?.type === "text"));
    if (fits && !refused.length) {
      this.setAlert("import", null);
      return true;
    }
    if (fits) this.applyImported(null, before);
    this.setAlert("import", (refused.length ? refused : reply.errors ?? []).map((error) => error.message), heading);
    return false;
  }

  applyImported(data, fields = null) {
    if (data) this.fill(data);
    else this.restore(fields);
    this.touched = new Set(Object.keys(this.state()));
    this.hideShare();
    this.refreshForm();
    this.save();
    this.update();
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
