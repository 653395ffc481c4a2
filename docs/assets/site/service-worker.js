// The site's service worker: after one visit the whole site works without a network, every page
// in both languages, the search and the calculator with its engine. hooks/offline.py publishes
// it at the site's root (its scope: the whole site, under any sub-path) with MANIFEST filled in:
// every file of this deployment with its SHA-256, in two groups. "site" (the pages, the search
// index and every asset the pages use) is stored when the worker installs; "engine" (Pyodide and
// the scoring package, several megabytes) when a page asks for it ahead of time
// (assets/site/offline.mjs, which does not on a connection that asks to save data), or as the
// calculator fetches it.
//
// One deployment, one cache, named by its version. A file is stored only when its bytes have the
// digest the manifest gives (a host or a browser cache may still hold the previous deployment's
// for a few minutes); a file the previous deployment's cache holds with that digest is copied,
// not downloaded. A new deployment's worker, once it has everything, waits while a page of the
// previous one is open; it takes over when none is, or when only one is: as that page navigates
// (it gets an empty answer that reloads it, to be answered by the new deployment), or as soon as
// a page that has just loaded finds it waiting (assets/site/offline.mjs; the page then reloads).
// Then it deletes the previous caches. A page and its assets come from one deployment, with one
// known gap: the browser does not list a page that is between two documents among those open, so
// a page that loads while another reloads can count itself alone, and the other's load can
// straddle the take-over.
//
// Requests: a file of the manifest comes from the cache, or from the network (and is stored once
// its digest is checked) when the cache does not have it yet; anything else goes to the network;
// a page that cannot be had offline gets the site's 404 page.

const MANIFEST = self.__MANIFEST__; // {version, site: [[path, sha256], ...], engine: [...]}, by hooks/offline.py
const PREFIX = "gbt27922-";
const CACHE = PREFIX + MANIFEST.version;
const SCOPE = self.registration.scope;
const NOT_FOUND = new URL("404.html", SCOPE).href;
const PARALLEL = 4; // downloads at a time when filling a group
const DIGEST_HEADER = "x-content-sha256"; // on stored responses: what a later deployment compares

/** URL → {sha256, group}: a page's URL is its folder's ("zh/scoring/"), as the site links it. */
const FILES = new Map(
  ["site", "engine"].flatMap((group) =>
    MANIFEST[group].map(([path, sha256]) => [new URL(path, SCOPE).href, { sha256, group }]),
  ),
);

const pending = new Map(); // URL → a download under way, shared by whoever needs the file

self.addEventListener("install", (event) => {
  event.waitUntil(fill("site").then(() => fill("engine", { copyOnly: true })));
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
    self.skipWaiting();
    return;
  }
  if (event.data?.type === "take-over-if-alone") {
    // A page that has just loaded asks this waiting worker: when it is the only page of the site
    // open, this worker takes over and the page reloads itself from it.
    event.waitUntil(
      self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
        const alone = open.length <= 1;
        event.ports[0]?.postMessage({ alone });
        if (alone) return self.skipWaiting();
      }),
    );
    return;
  }
  if (event.data?.type !== "fetch-ahead") return;
  const source = event.source;
  event.waitUntil(
    fill("engine").then(
      () => source?.postMessage({ type: "offline", version: MANIFEST.version, engine: true }),
      (error) => console.warn("The engine could not be stored for offline use.", error),
    ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = canonical(request.url);
  const file = FILES.get(url);
  if (request.mode === "navigate") event.respondWith(navigate(url, file, event));
  else if (file) event.respondWith(fromCache(url, file, event));
});

/** A page: the new deployment's, if one is waiting and may take over now; else as any file. */
async function navigate(url, file, event) {
  if (await handOver()) return new Response("", { headers: { "content-type": "text/html", refresh: "0" } });
  return file ? fromCache(url, file, event) : elsewhere(event.request);
}

/**
 * Let a waiting worker (a newer deployment's, with all its files) take over, when at most one page
 * is open: the one navigating. The browser activates it only once this worker is idle, which is
 * why the page is sent an empty answer that reloads it, rather than a page. Until then, the
 * reload comes back to this worker (starting it again if it had stopped) and gets the empty
 * answer again: the page can stay blank for as long as the browser keeps this worker running
 * (more than 30 s has been seen under test, with DevTools attached). Resolves to whether it asked.
 */
async function handOver() {
  // Asked first: meanwhile the browser can bring this worker's view of the registration up to
  // date (a worker that finished installing a moment ago may not be in it yet).
  const open = await self.clients.matchAll({ type: "window" });
  const waiting = self.registration.waiting;
  if (!waiting || waiting.state !== "installed" || open.length > 1) return false;
  waiting.postMessage({ type: "take-over" });
  return true;
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

/** A URL the manifest does not name: the network's answer, or offline the 404 page. */
async function elsewhere(request) {
  try {
    return await fetch(request);
  } catch {
    return notFound();
  }
}

async function notFound() {
  const page = await caches.match(NOT_FOUND, { cacheName: CACHE });
  return page
    ? new Response(page.body, { status: 404, statusText: "Not Found", headers: page.headers })
    : Response.error();
}

/**
 * Store every file of `group` that this deployment's cache lacks: copied from an older cache that
 * holds the same bytes, else (unless `copyOnly`) downloaded and checked. Rejects if one cannot be.
 */
async function fill(group, { copyOnly = false } = {}) {
  const cache = await caches.open(CACHE);
  const older = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  const wanted = [...FILES].filter(([, file]) => file.group === group);
  const queue = [];
  for (const [url, file] of wanted) {
    if (await cache.match(url)) continue;
    if (await copy(older, cache, url, file)) continue;
    if (!copyOnly) queue.push([url, file]);
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
