// The calculator page's entry: reads the form, asks the scoring engine (the `calculator` Python
// package in Pyodide, in a module worker) for the result, and renders what comes back. Every
// scoring rule, and every number the page's words name, comes from the Python package: the
// result from the engine, the rest from the scheme the page embeds (calculator.browser.scheme()).
// This module wires the parts together; each of the modules it imports has one job.
//
// Names and attributes other code may rely on (tests, pages embedding the calculator):
//   [data-calculator]              root; data-engine = "loading" | "ready" | "error";
//                                  data-scheme = the id of the scoring sheet in use;
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
//   input[name=organisation], input[name=assessor], input[name=assessment_date]
//                                  both modes, optional: the report's details (the assessment's
//                                  keys of the same names; left out of it when empty)
//   select[name="status:<id>"]     full mode, one per indicator: "" (unanswered) or one of the
//                                  scheme's statuses ("conforms", "nonconforming", "sampled",
//                                  "scored", "excluded")
//   input[name="samples:<id>"], input[name="nonconforming:<id>"]   when "sampled"
//   input[name="points:<id>"]      when "scored"
//   input[type=file][name=import]  imports an assessment file
//   input[type=file][name=scheme]  loads a certification body's scoring sheet (scoring-sheet.mjs);
//                                  button[data-action=published-sheet] goes back to the published
//                                  one; [data-sheet-name] names the sheet in use
//   input[type=file][name=compare] compares with an earlier assessment file (comparison.mjs);
//                                  button[data-action=remove-compare] removes the comparison
//   [data-compare]                 the comparison under the result (hidden without one);
//                                  data-score, data-tier = the earlier result's ("" when it
//                                  cannot be scored here)
//   button[data-action=export|share|print|reset]; input[name=share-link] holds the share link
//   button[data-action=retry]      in the engine's error message: starts the engine again
//   [role=alert]                   errors the user must see; a field's error is the element its
//                                  aria-describedby names with the id "<field id>-error"
//   [data-calculator-alert]        the alert above the form: the engine, imports, links, storage
//   [data-calculator-status]       role=status: what just happened (a file imported, checked)
//   [data-result-announce]         aria-live: the result, said once the user pauses
//   [data-result-improvements] a   an improvement's indicator, linked to its explanation in the
//                                  guide where the guide has one ([data-calculator-guide])
//   [data-result-comparison]       in the result, before the answers: where a comparison goes (it
//                                  prints with the result)
//   [data-print-details], [data-result-answers], [data-print-sheet]   the printed report's parts
//
// The modules import each other by relative URL, and the worker is found next to this file:
// the folder is served as one version, so a part from an older build never runs with a newer.

import { stringify } from "./exact-json.mjs";
import { Engine } from "./engine-client.mjs";
import { EngineStatus } from "./engine-status.mjs";
import { FieldErrors } from "./field-errors.mjs";
import { FormState } from "./form-state.mjs";
import { exportFile, importFile } from "./import-export.mjs";
import { Messages } from "./messages.mjs";
import { Comparison } from "./comparison.mjs";
import { renderAnswers, renderDetails, renderPrintDate, renderSheet } from "./print-report.mjs";
import { ResultView } from "./result-view.mjs";
import { PREVIOUS_KEY, SavedWork } from "./saved-work.mjs";
import { ScoringSheet } from "./scoring-sheet.mjs";
import { hideShareLink, openLink, shareLink } from "./share-link.mjs";

const ENGINE_TIMEOUT = 30; // s without a message from the engine while one is awaited

class Calculator {
  constructor(root) {
    const data = (selector) => JSON.parse(root.querySelector(selector).textContent);
    this.root = root;
    this.scheme = data("[data-calculator-scheme]");
    this.t = data("[data-calculator-strings]");
    this.lang = root.dataset.lang;
    const indicators = this.scheme.categories.flatMap((category) => category.indicators);
    this.state = new FormState(root, root.querySelector("[data-calculator-form]"), indicators);
    this.messages = new Messages(root.querySelector("[data-calculator-alert]"), root.querySelector("[data-calculator-status]"));
    this.saved = new SavedWork(this.messages, this.t);
    this.errors = new FieldErrors(this.state, this.messages);
    this.view = new ResultView(root, this.scheme, this.t, this.lang, data("[data-calculator-guide]"));
    this.status = new EngineStatus(root, this.messages, this.t);
    this.sheet = new ScoringSheet(this);
    this.comparison = new Comparison(this);
    this.lastResult = null; // the engine's latest result, null while the answers are invalid
    this.latest = 0; // id of the newest evaluation; older answers are dropped
    this.linkOpening = false;
    this.actions = {
      export: () => exportFile(this),
      share: () => shareLink(this),
      print: () => window.print(),
      reset: () => this.reset(),
      restore: () => this.restorePrevious(),
      retry: () => this.retry(),
      "published-sheet": () => this.sheet.usePublished(),
      "remove-compare": () => this.comparison.remove(),
    };
  }

  /** Score with another sheet's indicators (`id`: the id an export names, null for none). */
  setScheme(scheme, id) {
    this.scheme = scheme;
    this.view.setScheme(scheme);
    this.state.setIndicators(scheme.categories.flatMap((category) => category.indicators), id);
  }

  /** The keyword arguments of calculator.browser.evaluate: the sheet, the earlier assessment. */
  options() {
    return { ...this.sheet.options(), ...this.comparison.options() };
  }

  start() {
    const form = this.state.form;
    this.sheet.start(); // the form's indicators first, then the answers
    const saved = this.saved.load();
    if (saved && this.state.restore(saved)) this.messages.set("saved", [this.t.storage_partial]);
    this.comparison.start();
    this.state.refresh();
    form.addEventListener("input", (event) => this.edited(event.target));
    const files = {
      import: (input) => importFile(this, input),
      scheme: (input) => this.sheet.loadFile(input),
      compare: (input) => this.comparison.loadFile(input),
    };
    form.addEventListener("change", (event) => {
      if (event.target.type === "file" && Object.hasOwn(files, event.target.name)) files[event.target.name](event.target);
    });
    form.addEventListener("focusout", (event) => {
      if (event.target.name) this.state.touched.add(event.target.name);
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    this.root.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (Object.hasOwn(this.actions, action ?? "")) this.actions[action]();
    });
    window.addEventListener("hashchange", () => openLink(this));
    window.addEventListener("beforeprint", () => renderPrintDate(this.root.querySelector("[data-print-date]"), this.t, this.lang));
    this.startEngine();
    this.update();
    openLink(this);
  }

  startEngine() {
    const url = (attribute) => new URL(this.root.getAttribute(attribute), document.baseURI).href;
    this.status.loading();
    this.engine = new Engine(url("data-engine-index"), url("data-engine-lock"), {
      timeout: () => this.engineTimeout(),
      onProgress: (message) => this.status.progress(message),
      onReady: () => {
        this.status.ready();
        openLink(this); // a link that waited for the engine
      },
      onError: (failure) => this.engineFailed(failure),
    });
  }

  /** The watchdog's seconds: data-engine-timeout when it is a positive number, else 30. */
  engineTimeout() {
    const seconds = Number(this.root.dataset.engineTimeout);
    return Number.isFinite(seconds) && seconds > 0 ? seconds : ENGINE_TIMEOUT;
  }

  /** The engine cannot run: say why and what to do; everything typed stays, and is kept. */
  engineFailed(failure) {
    this.status.failed(failure, this.engineTimeout());
    this.errors.show([]);
    this.view.setData("", "", false);
    this.view.showPlaceholder(this.t.result_unavailable);
    this.lastResult = null;
    this.comparison.show(null);
    this.view.announce("");
  }

  /** Start the engine again, keeping every answer; the result follows once it is ready. */
  retry() {
    this.engine?.stop();
    this.view.showPlaceholder(this.t.waiting);
    this.startEngine();
    this.status.focus();
    this.update();
  }

  edited(target) {
    if (!target.name || target.type === "file" || target.readOnly) return;
    this.state.touched.add(target.name);
    this.messages.set("import", null);
    this.messages.set("saved", null);
    this.messages.say("");
    this.answersReplaced();
  }

  /** After any change of answers: the form's details, the saved copy and the result follow. */
  answersReplaced() {
    hideShareLink(this.root);
    this.state.refresh();
    this.saved.save(this.state.values());
    this.update();
  }

  async update() {
    const id = ++this.latest;
    let reply;
    try {
      reply = JSON.parse(await this.engine.evaluate(stringify(this.state.assessment()), this.lang, this.options()));
    } catch {
      return; // the engine failed; engineFailed() has said so
    }
    if (id !== this.latest) return; // a newer change is on its way
    const refusedSheet = reply.ok ? null : reply.errors.find((error) => error.code === "invalid_scheme");
    if (refusedSheet && this.sheet.custom) {
      this.sheet.dropped(refusedSheet.message); // scores again with the published sheet
      return;
    }
    if (reply.ok) {
      this.errors.show([]);
      this.lastResult = reply.result;
      this.view.showResult(reply.result);
    } else {
      this.lastResult = null;
      this.view.showInvalid(this.errors.show(reply.errors));
    }
    this.comparison.show(reply.comparison ?? null);
    const result = reply.ok ? reply.result : null;
    const part = (name) => this.root.querySelector(`[data-${name}]`);
    renderDetails(part("print-details"), result, this.t);
    renderAnswers(part("result-answers"), this.state, this.scheme, this.t, this.lang, result);
    renderSheet(part("print-sheet"), this.scheme, this.t, this.lang);
  }

  reset() {
    if (this.state.unsaved() && !window.confirm(this.t.reset_confirm)) return;
    this.state.restore(this.state.defaults);
    this.state.touched.clear();
    this.sheet.clearAside();
    this.messages.set("import", null);
    hideShareLink(this.root);
    this.state.refresh();
    this.saved.save(null);
    this.update();
  }

  /** Put back the answers a share link replaced. */
  restorePrevious() {
    const previous = this.saved.load(PREVIOUS_KEY);
    if (previous) {
      this.state.restore(previous);
      this.state.touched = new Set(Object.keys(previous));
      this.answersReplaced();
    }
    this.saved.save(null, PREVIOUS_KEY);
    this.root.querySelector("[data-calculator-notice]").hidden = true;
  }
}

const root = document.querySelector("[data-calculator]");
if (root) new Calculator(root).start();
