// The engine's errors, each shown next to the field its JSON Pointer names (role="alert", the
// element the field's aria-describedby names "<field id>-error"); errors that name no field go to
// the alert above the form. A field's error waits while the user is typing in it.

const ERROR_DELAY = 600; // ms without typing before the error of the field being typed in shows

export class FieldErrors {
  /** `state` is the form's FormState (its fields, and which ones were touched). */
  constructor(state, messages) {
    this.state = state;
    this.form = state.form;
    this.messages = messages;
    this.timer = null;
  }

  /** The form field an error's JSON Pointer names, if any. */
  fieldFor(path) {
    const exact = this.form.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (exact) return exact;
    const indicator = /^\/indicators\/([^/]+)$/.exec(path);
    return indicator ? this.state.field(`status:${indicator[1].replace(/~1/g, "/").replace(/~0/g, "~")}`) : null;
  }

  /** Show each error (a "required" one only on a field the user has been in); returns how many
   * fields and other messages show one. */
  show(errors) {
    const messages = new Map();
    const elsewhere = [];
    for (const error of errors) {
      const field = this.fieldFor(error.path);
      if (!field) elsewhere.push(error.message);
      else if (error.code !== "required" || this.state.touched.has(field.name)) {
        messages.set(field, [...(messages.get(field) ?? []), error.message]);
      }
    }
    this.messages.set("form", elsewhere);
    clearTimeout(this.timer);
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
    if (messages.has(document.activeElement)) this.timer = setTimeout(apply, ERROR_DELAY);
    else apply();
    return messages.size + elsewhere.length;
  }
}
