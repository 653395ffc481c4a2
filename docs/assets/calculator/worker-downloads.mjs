// Download metering in the engine's worker: wraps the worker's fetch to count the bytes of every
// response body as they arrive, and reports them to the page (the "download" progress message);
// and fetches files ahead of time, handing each to the first request for its URL.

const PROGRESS_INTERVAL = 250; // ms between two download progress messages

/**
 * A counted response keeps its status and headers (application/wasm included), so the runtime
 * still compiles while it downloads.
 */
export class Downloads {
  constructor() {
    this.native = self.fetch.bind(self);
    this.early = new Map();
    this.loaded = 0;
    this.total = 0; // null once a body's decoded length cannot be known in advance
    this.waiting = 0; // requests without a response yet
    this.reading = 0; // bodies still arriving
    this.last = -Infinity;
    this.timer = null;
    this.done = false;
    self.fetch = (resource, init) => {
      const url = resource instanceof Request ? resource.url : String(resource);
      const early = this.early.get(url);
      if (early && !init?.integrity) {
        this.early.delete(url);
        return early;
      }
      return this.count(this.native(resource, init));
    };
  }

  /** Ask for `url` now; the first fetch of it gets this response. */
  ahead(url) {
    const response = this.count(this.native(url));
    response.catch(() => {}); // reported by whoever asks for it
    this.early.set(url, response);
  }

  async count(pending) {
    this.waiting += 1;
    let response;
    try {
      response = await pending;
    } finally {
      this.waiting -= 1;
    }
    if (!response.ok || !response.body) return response;
    const length = Number(response.headers.get("content-length"));
    const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
    this.total = this.total === null || encoded || !length ? null : this.total + length;
    const reader = response.body.getReader();
    this.reading += 1;
    let open = true;
    const finished = () => {
      if (open) this.reading -= 1;
      open = false;
      if (!this.reading && !this.waiting) this.report(true); // all in: say so at once
    };
    const body = new ReadableStream({
      pull: async (controller) => {
        let chunk;
        try {
          chunk = await reader.read();
        } catch (error) {
          finished();
          throw error;
        }
        if (chunk.done) {
          controller.close();
          finished();
          return;
        }
        this.loaded += chunk.value.byteLength;
        this.report();
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => {
        finished();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /** Post the count within PROGRESS_INTERVAL, or `now` (when every body has arrived). */
  report(now = false) {
    if (this.done || (this.timer !== null && !now)) return;
    clearTimeout(this.timer);
    const post = () => {
      this.timer = null;
      if (this.done) return;
      this.last = performance.now();
      const total = this.waiting === 0 ? this.total : null;
      self.postMessage({ type: "progress", stage: "download", loaded: this.loaded, total });
    };
    if (now) post();
    else this.timer = setTimeout(post, Math.max(0, this.last + PROGRESS_INTERVAL - performance.now()));
  }

  /** No more progress messages once the engine is ready or has failed. */
  finish() {
    this.done = true;
    clearTimeout(this.timer);
  }
}
