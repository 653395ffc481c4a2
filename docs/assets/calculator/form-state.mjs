// The form's state: its values by field name, put back from saved work, read as the assessment
// JSON the engine scores, filled from an imported one; which answers were kept (exported,
// imported or shared); and which fields show only the details their answer needs.

import { fieldText, fieldValue, isObject } from "./exact-json.mjs";

/** The report's details: text fields named as the assessment's keys, left out when empty. */
export const DETAILS = ["organisation", "assessor", "assessment_date"];

/** Whether a select list offers this value (the statuses come from the scoring package). */
function hasOption(select, value) {
  return [...select.options].some((option) => option.value === value);
}

export class FormState {
  constructor(root, form, indicators) {
    this.root = root;
    this.form = form;
    this.indicators = indicators;
    this.schemeId = null; // the id of a certification body's sheet in use, named by the assessment
    this.defaults = this.values();
    this.initial = this.defaults;
    this.kept = JSON.stringify(this.defaults); // the answers last exported, imported or shared
    this.touched = new Set(); // fields the user has been in: their "required" errors show
  }

  /**
   * The form now holds another sheet's indicators (rendered empty); `schemeId` names that sheet in
   * the assessment (null: the published sheet, named by none). Default values are the page's
   * first ones, and empty for the new indicators.
   */
  setIndicators(indicators, schemeId) {
    this.indicators = indicators;
    this.schemeId = schemeId;
    const fresh = this.values();
    this.defaults = Object.fromEntries(Object.entries(fresh).map(([name, value]) => [name, name in this.initial ? this.initial[name] : value]));
  }

  field(name) {
    return this.form.elements.namedItem(name);
  }

  get mode() {
    return this.field("mode").value === "full" ? "full" : "quick";
  }

  /** The values of every field, by name (a radio group by its checked value). */
  values() {
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

  isDefault(fields = this.values()) {
    return JSON.stringify(fields) === JSON.stringify(this.defaults);
  }

  /** True when the form holds answers that were never exported, imported or shared. */
  unsaved() {
    return !this.isDefault() && JSON.stringify(this.values()) !== this.kept;
  }

  keep() {
    this.kept = JSON.stringify(this.values());
  }

  /** The assessment the form holds, in the engine's JSON format. */
  assessment() {
    const data = this.schemeId === null ? {} : { scheme: this.schemeId };
    for (const name of DETAILS) {
      const text = this.field(name).value;
      if (text) data[name] = text;
    }
    if (this.mode === "quick") {
      data.total = fieldValue(this.field("total").value);
    } else {
      data.indicators = {};
      for (const { id } of this.indicators) {
        const status = this.field(`status:${id}`).value;
        if (!status) continue;
        const answer = { status };
        // The details each answer takes are the form's own: the fields shown with it.
        for (const details of this.detailFields(id, status)) answer[details.name.split(":")[0]] = fieldValue(details.value);
        data.indicators[id] = answer;
      }
    }
    data.special_deductions = fieldValue(this.field("special_deductions").value);
    data.special_bonus = this.field("special_bonus").checked;
    return data;
  }

  /** Put an assessment (parsed JSON) into the form, replacing every answer. */
  fill(data) {
    this.restore(this.defaults);
    for (const name of DETAILS) this.field(name).value = fieldText(data[name]);
    const quick = "total" in data;
    this.field("mode").value = quick ? "quick" : "full";
    if (quick) this.field("total").value = fieldText(data.total);
    for (const [id, answer] of Object.entries(isObject(data.indicators) ? data.indicators : {})) {
      const status = this.field(`status:${id}`);
      if (!status || !isObject(answer)) continue;
      status.value = hasOption(status, answer.status) ? answer.status : "";
      for (const details of this.row(id).querySelectorAll("[data-when] [name]")) {
        details.value = fieldText(answer[details.name.split(":")[0]]);
      }
    }
    if ("special_deductions" in data) this.field("special_deductions").value = fieldText(data.special_deductions);
    this.field("special_bonus").checked = data.special_bonus === true;
  }

  /** Show the panel of the current mode and the detail fields each answer needs. */
  refresh() {
    for (const panel of this.root.querySelectorAll("[data-mode-panel]")) {
      panel.hidden = panel.dataset.modePanel !== this.mode;
    }
    for (const { id } of this.indicators) {
      const status = this.field(`status:${id}`).value;
      for (const details of this.row(id).querySelectorAll("[data-when]")) details.hidden = details.dataset.when !== status;
    }
  }

  row(id) {
    return this.root.querySelector(`[data-indicator="${CSS.escape(id)}"]`);
  }

  /** The detail fields an indicator's answer takes (samples and nonconforming, or points). */
  detailFields(id, status) {
    return this.row(id).querySelectorAll(`[data-when="${CSS.escape(status)}"] [name]`);
  }
}
