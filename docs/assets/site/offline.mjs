// On every page of the site: register the service worker (service-worker.js at the site's root,
// which keeps the site for offline use), and once the page is idle ask it to fetch the
// calculator's engine ahead, so that opening the calculator later is a warm start, and works
// offline. Never on a connection that asks to save data or is 2G-class. On the calculator page the
// engine's own download goes first: both wait until the engine has started or failed.
//
// A newer deployment's worker, once installed, takes over when this is the only page of the site
// open, and the page reloads from it (service-worker.js says how deployments change over).
//
// When the site is kept for offline use, with or without the engine, <html> gets
// data-offline="site" or "engine" (what a test, or a curious reader's devtools, can look at).

const ROOT = new URL("../../", import.meta.url); // this file is assets/site/offline.mjs
const IDLE_TIMEOUT = 5000; // ms: the longest to wait for an idle moment once the page has loaded

if ("serviceWorker" in navigator) {
  afterLoad()
    .then(calculatorStarted)
    .then(() => navigator.serviceWorker.register(new URL("service-worker.js", ROOT), { scope: ROOT.href }))
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      document.documentElement.dataset.offline ??= "site";
      takeOverIfAlone(registration);
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        worker?.addEventListener("statechange", () => worker.state === "installed" && takeOverIfAlone(registration));
      });
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data?.type === "offline" && event.data.engine) document.documentElement.dataset.offline = "engine";
      });
      if (mayFetchAhead()) idle().then(() => registration.active?.postMessage({ type: "fetch-ahead" }));
    })
    .catch((error) => console.warn("This site cannot be kept for offline use here.", error));
}

/**
 * When a newer deployment's worker is waiting, ask it to take over if this is the only page of the
 * site open; once it has, reload this page from it, so that the page and its files are of one
 * deployment, unless the page came from that deployment already (the previous worker handed it
 * over as it navigated). (Another page open keeps both on the deployment they came from.)
 */
function takeOverIfAlone(registration) {
  const waiting = registration.waiting;
  if (!waiting) return;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    if (!event.data?.alone || event.data.current) return;
    navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
  };
  waiting.postMessage({ type: "take-over-if-alone" }, [channel.port2]);
}

/** False when the browser says to save data, or that the connection is 2G-class. */
function mayFetchAhead(connection = navigator.connection) {
  if (!connection) return true;
  if (connection.saveData) return false;
  return !["slow-2g", "2g"].includes(connection.effectiveType);
}

function afterLoad() {
  return new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", () => resolve(), { once: true });
  });
}

function idle() {
  return new Promise((resolve) => {
    if ("requestIdleCallback" in window) requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT });
    else setTimeout(resolve, 1000);
  });
}

/** On the calculator page, once its engine is ready or has failed; elsewhere at once. */
function calculatorStarted() {
  const calculator = document.querySelector("[data-calculator]");
  if (!calculator) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (["ready", "error"].includes(calculator.dataset.engine)) {
        observer.disconnect();
        resolve();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(calculator, { attributes: true, attributeFilter: ["data-engine"] });
    check();
  });
}
