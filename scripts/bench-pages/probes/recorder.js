// Runs in every page before its own scripts (an init script): records its workers' messages,
// when its first module worker (the calculator's engine) was created, and when data-engine
// became "ready", in window.__bench.
(() => {
  const bench = (window.__bench = { messages: [], engineCreated: null, ready: null });
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      if (args[1]?.type === "module") bench.engineCreated ??= performance.now();
      this.addEventListener("message", (event) => {
        const data = event.data;
        if (data && typeof data.type === "string") bench.messages.push({ at: performance.now(), ...data });
      });
    }
  };
  new MutationObserver((records) => {
    if (bench.ready === null && records.some((r) => r.target.getAttribute("data-engine") === "ready")) {
      bench.ready = performance.now();
    }
  }).observe(document, { attributes: true, attributeFilter: ["data-engine"], subtree: true });
})();
