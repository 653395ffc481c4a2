// Starts Pyodide with loadPyodide(options) and reports {type: "ready"} or {type: "error"}.
self.addEventListener("message", async ({ data: options }) => {
  try {
    const { loadPyodide } = await import(`${options.indexURL}pyodide.mjs`);
    await loadPyodide(options);
    self.postMessage({ type: "ready" });
  } catch (error) {
    self.postMessage({ type: "error", message: String(error) });
  }
});
