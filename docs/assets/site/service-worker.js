// The site's service worker: after one visit the whole site works without a network, every page
// in both languages, the search and the calculator with its engine. hooks/offline.py publishes
// it at the site's root (its scope: the whole site, under any sub-path) with MANIFEST filled in:
// every file of this deployment with its SHA-256, in two groups. "site" (the pages, the search
// index and every asset the pages use) is stored when the worker installs; "engine" (Pyodide and
// the scoring package, several megabytes) as well when the browser holds it already (the
// calculator, where the worker is registered once its engine has started), else when a page asks
// for it ahead of time (assets/site/offline.mjs, which does not on a connection that asks to save
// data), or as the calculator fetches it.
//
// One deployment, one cache, named by its version. A file is stored only when its bytes have the
// digest the manifest gives (a host or a browser cache may still hold the previous deployment's
// for a few minutes); a file the previous deployment's cache holds with that digest is copied,
// not downloaded. A new deployment's worker, once it has everything, waits while a page of the
// previous one is open; it takes over when none is, or when only one is: as that page navigates,
// or as soon as a page that has just loaded finds it waiting (assets/site/offline.mjs; the page
// then reloads). Then it deletes the previous caches.
//
// The browser activates the new worker only once the previous one is idle, so on a navigation
// the previous worker hands over itself: it asks the new one for its cache, tells it to take
// over, and from then on answers every request, that page and its files first, from the new
// deployment's cache (the network for what that lacks), never from its own. It notes this in its
// own cache, so that a restart of it before the new one is active changes nothing. A page and its
// assets come from one deployment, with one known gap: the browser does not list a page that is
// between two documents among those open, so a page that loads while another navigates can
// count itself alone, and the other's load can straddle the take-over.
//
// Requests: a file of the manifest comes from the cache, or from the network (and is stored once
// its digest is checked) when the cache does not have it yet; anything else goes to the network;
// a page that cannot be had offline gets the site's 404 page. (The engine's files are not given
// to the browser's static routing: Chromium 156 registers such a route, yet still sends the
// engine worker's requests to the fetch handler, measured in a trace.)

const MANIFEST = self.__MANIFEST__; // {version, site: [[path, sha256], ...], engine: [...]}, by hooks/offline.py
const PREFIX = "gbt27922-";
const CACHE = PREFIX + MANIFEST.version;
const SCOPE = self.registration.scope;
const NOT_FOUND = new URL("404.html", SCOPE).href;
const PARALLEL = 4; // downloads at a time when filling a group
const DIGEST_HEADER = "x-content-sha256"; // on stored responses: what a later deployment compares
const HANDED_OVER = new URL("?handed-over", SCOPE).href; // in CACHE: the newer deployment's cache name
const ASK_TIMEOUT = 3000; // ms for a waiting worker to answer

/** URL → {sha256, group}: a page's URL is its folder's ("zh/scoring/"), as the site links it. */
const FILES = new Map(
  ["site", "engine"].flatMap((group) =>
    MANIFEST[group].map(([path, sha256]) => [new URL(path, SCOPE).href, { sha256, group }]),
  ),
);

const pending = new Map(); // URL → a download under way, shared by whoever needs the file
const current = new Set(); // ids of pages a previous deployment's worker answered from this one's cache
let handedTo = null; // the newer deployment's cache name, or null until this worker hands over: a promise, read from the note in its cache once per start

self.addEventListener("install", (event) => {
  event.waitUntil(fill("site").then(() => fill("engine", { download: false })));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "take-over") {
    // The previous deployment's worker hands over (handOver): it is answering the page `served`
    // from this worker's cache, named in the reply.
    if (event.data.served) current.add(event.data.served);
    event.ports[0]?.postMessage(CACHE);
    self.skipWaiting();
    return;
  }
  if (event.data?.type === "take-over-if-alone") {
    // A page that has just loaded asks this waiting worker: when it is the only page of the site
    // open, this worker takes over and the page reloads itself from it, unless it already came
    // from this deployment (`current`).
    event.waitUntil(
      self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
        const alone = open.length <= 1;
        event.ports[0]?.postMessage({ alone, current: current.has(event.source?.id) });
        if (alone) return self.skipWaiting();
      }),
    );
    return;
  }
  if (event.data?.type !== "fetch-ahead") return;
  const source = event.source;
  event.waitUntil(
    (async () => {
      if (await handedOver()) return; // the newer deployment keeps the engine once it is active
      await fill("engine");
      source?.postMessage({ type: "offline", version: MANIFEST.version, engine: true });
    })().catch((error) => console.warn("The engine could not be stored for offline use.", error)),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = canonical(request.url);
  const file = FILES.get(url);
  if (request.mode === "navigate") event.respondWith(navigate(url, file, event));
  else event.respondWith(asset(url, file, event));
});

/** A page: the newer deployment's, if this worker has handed over or does now; else its own. */
async function navigate(url, file, event) {
  const newer = (await handedOver()) ?? (await handOver(event.resultingClientId));
  if (newer) return fromNewer(newer, url, event.request);
  return file ? fromCache(url, file, event) : elsewhere(event.request);
}

/** Any other request: from the newer deployment once handed over; else a file of the manifest
 * from this deployment's cache, anything else from the network. */
async function asset(url, file, event) {
  const newer = await handedOver();
  if (newer) return fromNewer(newer, url, event.request);
  return file ? fromCache(url, file, event) : fetch(event.request);
}

/** The newer deployment's cache name if this worker has handed over to it, else null. */
function handedOver() {
  handedTo ??= caches
    .match(HANDED_OVER, { cacheName: CACHE })
    .then((noted) => noted?.text() ?? null)
    .catch(() => null);
  return handedTo;
}

/**
 * Hand over to a waiting worker (a newer deployment's, with all its files) when at most one page
 * is open: the one navigating (`served`, its client id). It is asked for its cache's name and told
 * to take over; this worker notes the name. Resolves to the name, or null when it does not hand
 * over (or the waiting worker does not answer).
 */
async function handOver(served) {
  // Asked first: meanwhile the browser can bring this worker's view of the registration up to
  // date (a worker that finished installing a moment ago may not be in it yet).
  const open = await self.clients.matchAll({ type: "window" });
  const waiting = self.registration.waiting;
  if (!waiting || waiting.state !== "installed" || open.length > 1) return null;
  const newer = await ask(waiting, { type: "take-over", served });
  if (typeof newer !== "string" || !newer.startsWith(PREFIX) || newer === CACHE) return null;
  handedTo = Promise.resolve(newer); // asked only once handedOver() has said null
  try {
    // Unless the newer worker's activation has deleted this worker's cache already.
    if (await caches.has(CACHE)) await (await caches.open(CACHE)).put(HANDED_OVER, new Response(newer));
  } catch {
    // not noted: a restart of this worker before the newer one is active serves its own again
  }
  return newer;
}

/** A worker's answer to `message` over a channel of its own, or null after ASK_TIMEOUT. */
function ask(worker, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), ASK_TIMEOUT);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/** Once handed over: the newer deployment's stored copy, else the network; offline, a page
 * gets the newer deployment's 404 page. Nothing is stored here: the newer worker keeps its own. */
async function fromNewer(cacheName, url, request) {
  const stored = await caches.match(url, { cacheName });
  if (stored) return stored;
  return request.mode === "navigate" ? elsewhere(request, cacheName) : fetch(request);
}

/** The URL a request names, as the manifest lists it: no query or fragment, no "index.html". */
function canonical(href) {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  if (url.pathname.endsWith("/index.html")) url.pathname = url.pathname.slice(0, -"index.html".length);
  return url.href;
}

/** A file of this deployment: stored, or fetched (and stored once checked) while it is not. */
async function fromCache(url, file, event) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(url);
  if (stored) return stored;
  const under = await pending.get(url)?.catch(() => null); // a download that fails: the network's turn
  if (under) return under.clone();
  try {
    // The page gets the network's response as it arrives (a runtime compiles while it downloads);
    // a copy is checked and stored meanwhile.
    const response = await fetch(url);
    if (response.ok) event.waitUntil(keep(cache, url, file, response.clone()).catch(() => {}));
    return response;
  } catch (error) {
    if (event.request.mode === "navigate") return notFound();
    throw error;
  }
}

/** A page the manifest does not name: the network's answer, or offline the 404 page (of the
 * deployment whose cache is `cacheName`). */
async function elsewhere(request, cacheName = CACHE) {
  try {
    return await fetch(request);
  } catch {
    return notFound(cacheName);
  }
}

async function notFound(cacheName = CACHE) {
  const page = await caches.match(NOT_FOUND, { cacheName });
  return page
    ? new Response(page.body, { status: 404, statusText: "Not Found", headers: page.headers })
    : Response.error();
}

/**
 * Store every file of `group` that this deployment's cache lacks: copied from an older cache that
 * holds the same bytes, else downloaded and checked, or with `download: false` only what the
 * browser's HTTP cache holds with this deployment's bytes (nothing goes over the network). Rejects
 * if a download fails.
 */
async function fill(group, { download: fromServer = true } = {}) {
  const cache = await caches.open(CACHE);
  const older = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  const wanted = [...FILES].filter(([, file]) => file.group === group);
  const queue = [];
  for (const [url, file] of wanted) {
    if (await cache.match(url)) continue;
    if (await copy(older, cache, url, file)) continue;
    if (fromServer) queue.push([url, file]);
    else await keepHeld(cache, url, file);
  }
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await download(cache, ...next);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

async function copy(older, cache, url, file) {
  for (const name of older) {
    const response = await (await caches.open(name)).match(url);
    if (response?.headers.get(DIGEST_HEADER) === file.sha256) {
      await cache.put(url, response);
      return true;
    }
  }
  return false;
}

/** Store a file the browser's HTTP cache holds, if it has this deployment's bytes; true if stored. */
async function keepHeld(cache, url, file) {
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    return response.ok && (await keep(cache, url, file, response)) !== null;
  } catch {
    return false; // not held: a network error, by definition of only-if-cached
  }
}

/** Download a file and store it, checked: a cached copy first, then, if it is another
 * deployment's, from the server itself. */
function download(cache, url, file) {
  if (!pending.has(url)) {
    const done = (async () => {
      for (const mode of ["default", "reload"]) {
        const response = await fetch(url, { cache: mode });
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        const stored = await keep(cache, url, file, response);
        if (stored) return stored;
      }
      throw new Error(`${url}: the server does not have this deployment's file yet`);
    })();
    pending.set(url, done);
    done.finally(() => pending.delete(url)).catch(() => {});
  }
  return pending.get(url);
}

/** Store the response if its bytes have the file's digest; resolves to the stored copy, or null. */
async function keep(cache, url, file, response) {
  const body = await response.arrayBuffer();
  if ((await sha256(body)) !== file.sha256) return null;
  const headers = new Headers({ [DIGEST_HEADER]: file.sha256, "content-length": String(body.byteLength) });
  const type = response.headers.get("content-type");
  if (type) headers.set("content-type", type);
  const stored = new Response(body, { status: 200, statusText: "OK", headers });
  await cache.put(url, stored.clone());
  return stored;
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
