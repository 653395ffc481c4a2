// Starts Pyodide with loadPyodide() and nothing more, on this page or in a module worker, then
// sets <html data-engine="ready"> (or "error").
//   ?index=URL       Pyodide's folder, relative to this page: the npm package as it ships (the
//                    bench serves it at pyodide/), with its own standard library and lockfile
//   ?thread=worker   in a module worker, as the calculator does (default); ?thread=main here
const query = new URLSearchParams(location.search);
const options = { indexURL: new URL(query.get("index"), location.href).href };
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
