// The share link's code: the assessment JSON as UTF-8 in unpadded base64url, after
// "#assessment=" in the page's address. The answers travel in the link itself, never to a server
// (a fragment is not sent with the request).

export const SHARE_PREFIX = "#assessment=";

/** The link to this page holding `text`. */
export function shareURL(text, href = window.location.href) {
  const url = new URL(href);
  url.hash = SHARE_PREFIX + encode(text);
  return url.href;
}

/** The code in the page's address, or null when it holds none. */
export function sharedCode(hash = window.location.hash) {
  return hash.startsWith(SHARE_PREFIX) ? hash.slice(SHARE_PREFIX.length) : null;
}

/** The text a code holds; the code itself when it is not base64url of UTF-8 (the engine then
 * says it is not JSON). */
export function decode(code) {
  try {
    const base64 = code.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return code;
  }
}

function encode(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
