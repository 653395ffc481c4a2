// When the page accepts input, in ms from navigation (null until it does): the latest of its
// first contentful paint, the end of DOMContentLoaded (the page's deferred scripts have run),
// and, on the calculator, the creation of its engine worker (its script attaches the form's
// handlers just before). Needs recorder.js.
() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  if (!navigation || !navigation.domContentLoadedEventEnd || !paint) return null;
  const calculator = document.querySelector("[data-calculator]");
  if (calculator && window.__bench.engineCreated === null) return null;
  return Math.max(navigation.domContentLoadedEventEnd, paint.startTime, window.__bench.engineCreated ?? 0);
}
