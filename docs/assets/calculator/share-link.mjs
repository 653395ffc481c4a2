// Share links: the form's assessment put in a link (copied to the clipboard when the browser
// allows), and an assessment opened from the page's address, checked by the engine like a file;
// the answers it replaces are kept aside, to be restored.

import { stringify } from "./exact-json.mjs";
import { importText } from "./import-export.mjs";
import { PREVIOUS_KEY } from "./saved-work.mjs";
import { decode, sharedCode, shareURL } from "./share-codec.mjs";

/** Show the link to the form's assessment, selected, and copy it. */
export async function shareLink(calc) {
  const href = shareURL(stringify(calc.state.assessment()));
  const box = calc.root.querySelector("[data-share]");
  const input = calc.state.field("share-link");
  const message = box.querySelector("[data-share-message]");
  input.value = href;
  box.hidden = false;
  input.focus();
  input.select();
  calc.state.keep();
  try {
    await navigator.clipboard.writeText(href);
    message.textContent = calc.t.share_copied;
  } catch {
    message.textContent = calc.t.share_select;
  }
}

export function hideShareLink(root) {
  root.querySelector("[data-share]").hidden = true;
}

/** Open the assessment in the page's address, if any, keeping the answers it replaces aside. */
export async function openLink(calc) {
  const code = sharedCode();
  if (calc.linkOpening || code === null) return;
  calc.linkOpening = true;
  try {
    const before = calc.state.values();
    const outcome = await importText(calc, decode(code), calc.t.link_invalid);
    if (outcome === "unavailable") {
      // The link stays in the address bar: it opens once the engine runs (Try again, reload).
      calc.messages.set("import", [calc.t.link_waiting]);
      return;
    }
    history.replaceState(null, "", window.location.pathname + window.location.search);
    if (outcome !== "imported") return;
    calc.state.keep();
    if (!calc.state.isDefault(before) && JSON.stringify(before) !== JSON.stringify(calc.state.values())) {
      calc.saved.save(before, PREVIOUS_KEY);
      const notice = calc.root.querySelector("[data-calculator-notice]");
      notice.querySelector("[data-notice-message]").textContent = calc.t.link_opened;
      notice.hidden = false;
    }
  } finally {
    calc.linkOpening = false;
  }
}
