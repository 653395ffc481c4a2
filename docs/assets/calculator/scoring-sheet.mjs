// The scoring sheet in use: the published one, or a certification body's own, loaded from a file
// and checked by the engine (calculator.browser, the same loader as `--scheme FILE`) before it is
// used. A sheet the loader refuses changes nothing; a valid one re-renders the form's indicators
// (sheet-form.mjs), is sent with every evaluation, named on the page and in the printed report,
// and kept in this browser. Answers of indicators the sheet lacks are kept aside, counted, and
// put back when a sheet with those indicators (the published one) is in use again.

import { isObject } from "./exact-json.mjs";
import { askAboutChosen } from "./import-export.mjs";
import { format } from "./messages.mjs";
import { renderSheet } from "./sheet-form.mjs";

export const SHEET_KEY = "gbt27922-calculator-sheet";

/** The error code of a sheet the engine's loader refuses. */
const INVALID_SHEET = "invalid_scheme";

export class ScoringSheet {
  constructor(calc) {
    this.calc = calc;
    this.published = calc.scheme; // the page's own: calculator.browser.scheme()
    this.custom = null; // {text, scheme} of a certification body's sheet
    this.aside = {}; // field values of indicators the sheet in use lacks, by field name
  }

  /** The keyword arguments the engine scores with (calculator.browser.evaluate). */
  options() {
    return this.custom ? { sheet: this.custom.text } : {};
  }

  /** Put back the sheet kept in this browser, if any, before the saved answers are restored. */
  start() {
    const kept = this.calc.saved.load(SHEET_KEY);
    if (!kept) return;
    if (isObject(kept.aside)) this.aside = Object.fromEntries(Object.entries(kept.aside).filter(([, value]) => typeof value === "string"));
    if (typeof kept.text === "string" && isObject(kept.scheme) && Array.isArray(kept.scheme.categories)) {
      this.use({ text: kept.text, scheme: kept.scheme }, { keep: false });
    } else {
      this.showState();
    }
  }

  /** Check the chosen file's sheet with the engine; use it, or say why not and change nothing. */
  async loadFile(input) {
    const calc = this.calc;
    const t = calc.t;
    const chosen = await askAboutChosen(calc, input, {
      // A quick total scores under any sheet: only the sheet is checked here.
      ask: (text) => calc.engine.evaluate('{"total": 0}', calc.lang, { sheet: text }),
      noEngine: t.sheet_needs_engine,
      refuse: (reasons) => this.refuse(reasons),
    });
    if (!chosen) return;
    const { text, reply } = chosen;
    const invalid = reply.ok ? null : reply.errors.find((error) => error.code === INVALID_SHEET);
    if (invalid || !isObject(reply.scheme)) {
      this.refuse([invalid?.message ?? t.import_unreadable]);
      return;
    }
    calc.messages.set("sheet", null);
    this.use({ text, scheme: reply.scheme });
    calc.messages.say(format(t.sheet_loaded, { name: reply.scheme.title[calc.lang] }));
  }

  /** Go back to the published sheet, its answers kept aside coming back. */
  usePublished() {
    this.calc.messages.set("sheet", null);
    this.use(null);
    this.calc.messages.say(this.calc.t.sheet_restored);
    this.calc.state.field("scheme").focus(); // the button that was pressed is gone
  }

  /** The engine no longer accepts the kept sheet: say so, and score with the published one. */
  dropped(message) {
    this.calc.messages.set("sheet", [message], this.calc.t.sheet_dropped);
    this.use(null);
  }

  refuse(reasons) {
    this.calc.messages.set("sheet", [...reasons, this.calc.t.sheet_unchanged], this.calc.t.sheet_invalid);
  }

  /** Render the form for `custom` (null: the published sheet), moving answers to and from aside. */
  use(custom, { keep = true } = {}) {
    const calc = this.calc;
    const scheme = custom ? custom.scheme : this.published;
    const answers = { ...this.aside, ...calc.state.values() };
    renderSheet(calc.root, scheme, calc.lang);
    this.custom = custom;
    calc.setScheme(scheme, custom ? scheme.id : null);
    calc.state.restore(answers);
    const present = calc.state.values();
    this.aside = Object.fromEntries(
      Object.entries(answers).filter(([name, value]) => name.includes(":") && !(name in present) && typeof value === "string" && value !== ""),
    );
    this.showState();
    if (keep) {
      this.keep();
      calc.answersReplaced();
    }
  }

  /** Keep the sheet and the answers aside in this browser. */
  keep() {
    const nothing = !this.custom && !Object.keys(this.aside).length;
    this.calc.saved.save(nothing ? null : { text: this.custom?.text ?? null, scheme: this.custom?.scheme ?? null, aside: this.aside }, SHEET_KEY);
  }

  /** The sheet's name, the way back to the published one, and how many answers are aside. */
  showState() {
    const { root, t, lang } = this.calc;
    const scheme = this.custom?.scheme ?? this.published;
    root.dataset.scheme = scheme.id;
    const name = format(this.custom ? t.sheet_custom : t.sheet_published, { name: scheme.title[lang] });
    root.querySelector("[data-sheet-name]").textContent = name;
    root.querySelector("[data-action=published-sheet]").hidden = !this.custom;
    const indicators = new Set(Object.keys(this.aside).filter((field) => field.startsWith("status:")));
    const aside = root.querySelector("[data-sheet-aside]");
    aside.textContent = format(t.sheet_aside, { count: indicators.size });
    aside.hidden = !indicators.size;
  }

  /** Start over: the answers aside go too. */
  clearAside() {
    this.aside = {};
    this.showState();
    this.keep();
  }
}
