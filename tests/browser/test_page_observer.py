"""The page observer (MAIN world, document_start) copies the replies the page itself receives,
for listed endpoints only, alters nothing, and cannot be told apart from the native functions
by the page's own checks. Run on the replica pages at their real URLs with the shipped extension."""
from __future__ import annotations


import pytest

from tests.browser.test_adapters import open_site, send

pytestmark = pytest.mark.browser

# What a page's integrity check would compare: our wrapped functions against the same
# functions of a fresh about:blank iframe (which no content script touches).
FINGERPRINT = """() => {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const clean = frame.contentWindow;
  const probe = (w) => {
    const ts = w.Function.prototype.toString;
    const d = (o, k) => { const x = Object.getOwnPropertyDescriptor(o, k); return x && [x.writable, x.enumerable, x.configurable, typeof x.value]; };
    return {
      fetch: [ts.call(w.fetch), w.fetch.name, w.fetch.length, String(w.fetch), d(w, 'fetch')],
      open: [ts.call(w.XMLHttpRequest.prototype.open), w.XMLHttpRequest.prototype.open.name, w.XMLHttpRequest.prototype.open.length,
             d(w.XMLHttpRequest.prototype, 'open')],
      send: [ts.call(w.XMLHttpRequest.prototype.send), w.XMLHttpRequest.prototype.send.name, d(w.XMLHttpRequest.prototype, 'send')],
      toString: [ts.call(ts), String(ts), ts.name, ts.length, d(w.Function.prototype, 'toString')],
    };
  };
  const got = {page: probe(window), clean: probe(clean)};
  frame.remove();
  return got;
}"""


def test_wrapped_functions_look_native_to_the_page(extension_browser, replica):
    ctx, sw, _ = extension_browser
    page = open_site((ctx, sw), replica, "pdd-seller")
    send(sw, "pdd-seller", {"type": "test:extract"})
    got = page.evaluate(FINGERPRINT)
    assert got["page"] == got["clean"]
    # The observer is really there (else the comparison above proves nothing): it saw the list.
    seen = send(sw, "pdd-seller", {"type": "test:page-data", "site": "pdd-seller", "endpoint": "orderList"})
    assert seen and seen[-1]["data"]["result"]["pageItems"]
    # No global is left for the page to find.
    assert page.evaluate("() => Object.keys(window).filter(k => /danhao/i.test(k))") == []


def test_only_listed_endpoints_are_copied_and_replies_reach_the_page_unchanged(extension_browser, replica):
    ctx, sw, _ = extension_browser
    page = open_site((ctx, sw), replica, "pdd-seller")
    send(sw, "pdd-seller", {"type": "test:extract"})
    result = page.evaluate("""async () => {
      const posted = [];
      window.addEventListener('message', (e) => { if (e.data && e.data['danhao:page-data']) posted.push(e.data.url); });
      // Not listed: the replica's state endpoint. Listed: the order list (page 2, by fetch this time).
      const other = await (await fetch('/__replica/state')).text();
      const r = await fetch('/mangkhut/mms/recentOrderList', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                                             body: JSON.stringify({pageNumber: 2, pageSize: 10})});
      const listed = await r.json();
      // A failing request still fails for the page, the same way.
      let failed = null;
      try { await fetch('https://mms.pinduoduo.com:1/nowhere'); } catch (e) { failed = e.name; }
      await new Promise((r) => setTimeout(r, 300));
      return {posted, other: JSON.parse(other), listedIds: listed.result.pageItems.map(o => o.order_sn), failed};
    }""")
    # The copies travel on a private channel: the page's own listeners see none of them.
    assert result["posted"] == []
    assert "shipped" in result["other"] and result["failed"] == "TypeError"
    seen = send(sw, "pdd-seller", {"type": "test:page-data", "site": "pdd-seller", "endpoint": "orderList"})
    assert not any("__replica/state" in e["url"] for e in seen)     # the unlisted endpoint was not copied
    copy = seen[-1]
    assert copy["method"] == "POST" and copy["request"] == {"pageNumber": 2, "pageSize": 10}
    # The copy is what the page itself got.
    assert [o["order_sn"] for o in copy["data"]["result"]["pageItems"]] == result["listedIds"]


def test_a_page_cannot_post_copies_of_its_own(extension_browser, replica):
    """Messages in the observer's format posted by the page (or anyone) are never taken: copies
    only arrive on the observer's private channel."""
    ctx, sw, _ = extension_browser
    page = open_site((ctx, sw), replica, "pdd-seller")
    send(sw, "pdd-seller", {"type": "test:extract"})
    before = send(sw, "pdd-seller", {"type": "test:page-data", "site": "pdd-seller", "endpoint": "orderList"})
    page.evaluate("""() => {
      const base = {'danhao:page-data': 1, site: 'pdd-seller', endpoint: 'orderList', url: 'x', method: 'GET', status: 200};
      window.postMessage({...base, body: '{"result": {"pageItems": []}}'}, location.origin);   // well formed
      window.postMessage({'danhao:page-data-port': 1}, location.origin, [new MessageChannel().port2]);  // a second port
      window.postMessage({...base, body: 'not json'}, location.origin);           // not JSON
      window.postMessage({...base, endpoint: '../orderList', body: '{}'}, location.origin);  // not a name
      window.postMessage({...base, body: 42}, location.origin);                  // wrong shape
      window.postMessage({...base, status: '200', body: '{}'}, location.origin);    // status not a number
      window.parent.postMessage({...base, body: '{}'}, 'https://evil.example');    // another origin: never delivered
    }""")
    page.wait_for_timeout(300)
    after = send(sw, "pdd-seller", {"type": "test:page-data", "site": "pdd-seller", "endpoint": "orderList"})
    assert len(after) == len(before)
