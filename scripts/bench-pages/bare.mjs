// Starts Pyodide with loadPyodide() and nothing more, on this page or in a module worker, then
// sets <html data-engine="ready"> (or "error").
//   ?index=URL       Pyodide's folder, relative to this page (../assets/pyodide/<version>/)
//   ?thread=worker   in a module worker, as the calculator does (default); ?thread=main here
// The site's lockfile lists the calculator's package only; the lockfile Pyodide ships, the one
// loadPyodide() fetches by default, is served next to this page by the bench.
const query = new URLSearchParams(location.search);
const options = {
  indexURL: new URL(query.get("index"), location.href).href,
  lockFileURL: new URL("pyodide-lock.json", import.meta.url).href,
};
const root = document.documentElement;

async function start() {
  if (query.get("thread") === "main") {
    const { loadPyodide } = await import(`${options.indexURL}pyodide.mjs`);
    await loadPyodide(options);
    return;
  }
  const worker = new Worker(new URL("bare-worker.mjs", import.meta.url), { type: "module" });
  await new Promise((resolve, reject) => {
    worker.addEventListener("message", (event) => (event.data.type === "ready" ? resolve() : reject(new Error(event.data.message))));
    worker.addEventListener("error", () => reject(new Error("worker failed")));
    worker.postMessage(options);
  });
}

start().then(
  () => (root.dataset.engine = "ready"),
  (error) => {
    root.dataset.engine = "error";
    root.dataset.error = String(error);
  },
);
