"""What the site loads and what it sends: every page under its Content Security Policy with
nothing blocked and nothing fetched from another host; the policy really blocking code and
requests the site does not serve; and nothing typed into the calculator leaving the browser."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from calcpage import PAGE_PATHS, Session, answer, wait_ready
from playwright.sync_api import Page, Request, expect

CSP_MESSAGE = "Content Security Policy"


def problems_since(session: Session, page: Page, requests_before: int, console_before: int, base: str) -> list[str]:
    """Policy violations the page recorded, policy errors on the console, and requests that
    left ``base`` or failed (blocked by the policy, say), since the given counts."""
    problems = [f"violation: {v}" for v in page.evaluate("() => window.__violations")]
    problems += [f"console: {m}" for m in session.console[console_before:] if CSP_MESSAGE in m]
    for request in session.requests[requests_before:]:
        if urlsplit(request.url).scheme in {"data", "blob"}:
            continue
        if not request.url.startswith(base):
            problems.append(f"request outside the site: {request.url}")
        elif request.failure and request.failure != "net::ERR_ABORTED":  # not cut short by leaving the page
            problems.append(f"failed request: {request.url}: {request.failure}")
    return problems


def test_every_page_obeys_its_policy(doc_page, tab: Page, session: Session, site_server: str) -> None:
    """Each page, in both languages, carries one policy and runs under it with no violation
    (nothing of its own blocked) and no request to another host; the calculator page is checked
    once its engine (Pyodide and the package, in a worker) is running."""
    requests_before, console_before = len(session.requests), len(session.console)
    response = tab.goto(site_server + doc_page.url)
    assert response is not None and response.status == 200
    if doc_page.src == "calculator.md":
        wait_ready(tab)
    else:
        tab.wait_for_load_state("load")
    expect(tab.locator('meta[http-equiv="Content-Security-Policy"]')).to_have_count(1)
    assert problems_since(session, tab, requests_before, console_before, site_server) == []


def test_the_not_found_page_obeys_its_policy(session: Session, root_server: str) -> None:
    """The 404 page, served for a missing address, carries its policy and runs under it with
    no violation, loading only from the site."""
    page = session.context.new_page()
    page.on("console", lambda message: message.type == "error" and session.console.append(message.text))
    requests_before, console_before = len(session.requests), len(session.console)
    try:
        response = page.goto(root_server + "no/such/page/")
        assert response is not None and response.status == 404
        page.wait_for_load_state("load")
        expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).to_have_count(1)
        expect(page.locator("h1")).to_contain_text("404")
        problems = problems_since(session, page, requests_before + 1, console_before, root_server)
        assert problems == []
    finally:
        page.close()


PROBE = """
(async () => {
  const add = (parent, html) => { const box = document.createElement("div");
                                  box.innerHTML = html; parent.append(...box.childNodes); };
  const inline = document.createElement("script");
  inline.textContent = "window.__inline = true";
  document.head.append(inline);
  add(document.body, '<img src="missing-image.png" onerror="window.__handler = true">');
  let evaluated;
  try { evaluated = eval("'eval ran'"); } catch (error) { evaluated = error.name; }
  let constructed;
  try { constructed = new Function("return 'Function ran'")(); } catch (error) { constructed = error.name; }
  const remote = document.createElement("script");
  remote.src = "https://cdn.example.com/library.js";
  document.head.append(remote);
  add(document.body, '<img src="https://images.example.com/pixel.png">');
  let fetched;
  try { await fetch("https://collect.example.com/", {method: "POST", body: "x"}); fetched = "sent"; }
  catch (error) { fetched = error.name; }
  const worker = await new Promise((resolve) => {
    try {
      const started = new Worker(URL.createObjectURL(new Blob(["postMessage('ran')"], {type: "text/javascript"})));
      started.onmessage = () => resolve("ran");
      started.onerror = () => resolve("blocked");
    } catch (error) { resolve(error.name); }
  });
  add(document.body, '<p style="color: red">styled</p>');
  const style = document.createElement("style");
  style.textContent = "body { color: red }";
  document.head.append(style);
  add(document.head, '<base href="https://elsewhere.example.com/">');
  add(document.body, '<object data="plugin.swf" type="application/x-shockwave-flash"></object>');
  await new Promise((resolve) => setTimeout(resolve, 500));
  window.__probe = {inline: window.__inline ?? false, handler: window.__handler ?? false,
                    evaluated, constructed, fetched, worker,
                    base: document.baseURI.startsWith(location.origin)};
})();
"""


def test_the_policy_blocks_what_the_site_does_not_serve(session: Session, site_server: str) -> None:
    """Code injected into a page (here a script served as if from the site) cannot run more
    code or reach another host: an inline script without its hash, an event-handler attribute,
    eval and new Function, a script, image or fetch from another host, a blob worker, an inline
    style, a <base> elsewhere and a plugin are all blocked and reported as violations, and no
    request for them is sent."""
    page = session.open("")
    session.context.route("**/policy-probe.js", lambda route: route.fulfill(content_type="text/javascript", body=PROBE))
    try:
        page.evaluate("() => { const s = document.createElement('script'); s.src = 'policy-probe.js'; document.head.append(s); }")
        page.wait_for_function("() => window.__probe")
        assert page.evaluate("() => window.__probe") == {
            "inline": False,
            "handler": False,
            "evaluated": "EvalError",
            "constructed": "EvalError",
            "fetched": "TypeError",
            "worker": "blocked",
            "base": True,
        }
        violations = " | ".join(page.evaluate("() => window.__violations"))
        for directive in (
            "script-src-elem blocked inline",
            "script-src-attr blocked inline",
            "script-src blocked eval",
            "script-src-elem blocked https://cdn.example.com/library.js",
            "img-src blocked https://images.example.com/pixel.png",
            "connect-src blocked https://collect.example.com/",
            "worker-src blocked blob",
            "style-src-attr blocked inline",
            "style-src-elem blocked inline",
            "base-uri blocked https://elsewhere.example.com/",
            "object-src blocked",
        ):
            assert directive in violations, f"{directive} not in {violations}"
        # The browser reports some blocked loads as requests, but they fail before being sent.
        sent = [(r.url, r.failure) for r in session.requests if "example.com" in r.url]
        assert sent and all(failure == "csp" for _, failure in sent), sent
    finally:
        session.context.unroute("**/policy-probe.js")
        page.close()


def _carries(request: Request, secrets: list[str]) -> list[str]:
    body = request.post_data or ""
    return [secret for secret in secrets if secret in request.url or secret in body]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_calculator_says_nothing_typed_leaves_the_browser(tab: Page, site_server: str, lang: str) -> None:
    """The calculator page tells the reader, in its language, that what they type stays in
    their browser."""
    tab.goto(site_server + PAGE_PATHS[lang])
    title = {"en": "Nothing you type leaves your browser", "zh": "您输入的内容不会离开浏览器"}[lang]
    expect(tab.locator(".admonition-title")).to_contain_text(title)
    expect(tab.locator("[data-calculator]")).to_have_attribute("data-lang", lang)


def test_nothing_typed_leaves_the_browser(tab: Page, session: Session) -> None:
    """Distinctive answers typed in both modes, then exported and shared: once the page has
    loaded, the browser makes no request at all, and no request ever carries what was typed
    or the share link's code. Every request of the visit went to the site itself, as a GET
    without a body."""
    visit = len(session.requests)
    tab.goto(session.base_url + PAGE_PATHS["en"])
    wait_ready(tab)
    loaded = len(session.requests)
    tab.fill("[name=total]", "86.4213")
    tab.fill("[name=special_deductions]", "3")
    tab.check("input[name=mode][value=full]")
    answer(tab, "repair", "sampled", samples="9876", nonconforming="1234")
    answer(tab, "delivery", "scored", points="zq-7731")
    expect(tab.locator("#calc-points-delivery-error")).not_to_be_empty()
    with tab.expect_download() as download:
        tab.click("[data-action=export]")
    assert "9876" in Path(download.value.path()).read_text(encoding="utf-8")
    tab.click("[data-action=share]")
    expect(tab.locator("[data-share-message]")).not_to_be_empty()  # the last step of sharing
    link = tab.locator("input[name=share-link]").input_value()
    code = link.split("#assessment=", 1)[1]
    assert "9876" in base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)).decode("utf-8")

    requests = session.requests[visit:]
    assert [r.url for r in session.requests[loaded:] if urlsplit(r.url).scheme != "blob"] == []
    secrets = ["86.4213", "9876", "1234", "zq-7731", code, code[:40]]
    assert [(r.url, _carries(r, secrets)) for r in requests if _carries(r, secrets)] == []
    assert [r.url for r in requests if not r.url.startswith(session.base_url)] == []
    assert [(r.method, r.url) for r in requests if r.method != "GET" or r.post_data] == []
