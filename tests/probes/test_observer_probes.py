"""Probes of the MAIN-world page observer on the 2026 拼多多 replica (shipped extension, real URL)."""
from __future__ import annotations

import json

import pytest

from tests.probes.support import PDD_EXPECTED, Env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = Env("pdd-seller", "2026", tmp_path_factory.mktemp("obs"))
    yield e
    e.close()


def log(name, **kw):
    print(f"\nPROBE {name}: " + json.dumps(kw, ensure_ascii=False, default=str)[:3000])


STACKS = """() => {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const clean = frame.contentWindow;
  const grab = (fn) => { try { fn(); return 'no throw'; } catch (e) { return String(e.stack); } };
  const probe = (W) => ({
    xhrOpen: grab(() => W.XMLHttpRequest.prototype.open.call(1, 'GET', '/')),
    xhrOpenNoArgs: grab(() => new W.XMLHttpRequest().open()),
    toString: grab(() => W.Function.prototype.toString.call({})),
  });
  const got = {page: probe(window), clean: probe(clean)};
  frame.remove();
  return got;
}"""


def test_wrappers_show_in_error_stacks(env):
    """A page's integrity check (CreepJS-style 'lies' tests) makes the wrapped natives throw and reads
    err.stack: a Proxy apply trap adds a frame naming the extension's script (and its id)."""
    page = env.open()
    env.send({"type": "test:extract"})
    got = page.evaluate(STACKS)
    log("stacks", page=got["page"], clean=got["clean"])
    leaks = {k: v for k, v in got["page"].items() if "chrome-extension://" in v or "apply" in v}
    assert not leaks, f"stack frames reveal the observer: {leaks}"


def test_the_page_sees_every_copy_posted_to_window(env):
    """The observer hands copies over with window.postMessage: every 'message' listener of the page
    receives them too (tag, endpoint, full body)."""
    page = env.open()
    env.send({"type": "test:extract"})
    page.evaluate("""() => { window.__seen = [];
      window.addEventListener('message', (e) => { window.__seen.push(Object.keys(e.data || {}).join(',') + ' | ' + String(e.data && e.data.body).length); }); }""")
    env.send({"type": "test:next-page"})
    seen = page.evaluate("() => window.__seen")
    log("postmessage", seen=seen)
    assert not any("danhao:page-data" in s for s in seen), "the page's own listeners receive the extension's copies"


def test_a_script_on_the_page_can_forge_the_list_reply(env):
    """Any script running on the origin can post a well-formed copy: the adapter then syncs its data
    (buyer, address, status) instead of what the page shows."""
    page = env.open()
    first = env.send({"type": "test:extract"})
    forged = page.evaluate("""async () => {
      const r = await (await fetch('/mangkhut/mms/recentOrderList', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({pageNumber: 1, pageSize: 20})})).json();
      for (const it of r.result.pageItems) { it.receive_name = '伪造'; it.province_name = '新疆维吾尔自治区'; it.order_status_str = '待发货'; }
      await new Promise((res) => setTimeout(res, 300));
      window.postMessage({'danhao:page-data': 1, site: 'pdd-seller', endpoint: 'orderList', kind: 'json',
        url: 'https://mms.pinduoduo.com/mangkhut/mms/recentOrderList', method: 'POST', status: 200, requestBody: '',
        body: JSON.stringify(r), at: Date.now()}, location.origin);
      await new Promise((res) => setTimeout(res, 200));
      return r.result.pageItems.length;
    }""")
    got = env.send({"type": "test:extract"})
    names = {o["buyer"]["name"] for o in got["orders"]}
    statuses = {o["order_id"]: o["status"] for o in got["orders"]}
    log("forge", forged=forged, source=got["source"], names=sorted(names), shipped_marked_pending=[
        o["order_id"] for o in first["orders"] if o["status"] != "待发货" and statuses.get(o["order_id"]) == "待发货"])
    assert names != {"伪造"}, "a page script dictated the synced buyers/addresses/statuses"


def test_a_page_that_bypasses_the_wrappers_falls_back_to_the_dom(env):
    """The page swaps in an unwrapped XMLHttpRequest (from a fresh iframe) before turning the page:
    no copy arrives, the adapter must read the DOM and still get page 2 right."""
    page = env.open()
    env.send({"type": "test:extract"})
    page.evaluate("""() => { const f = document.createElement('iframe'); f.style.display = 'none'; document.body.append(f);
      window.XMLHttpRequest = f.contentWindow.XMLHttpRequest; window.fetch = f.contentWindow.fetch.bind(f.contentWindow); }""")
    assert env.send({"type": "test:next-page"}) is True
    got = env.send({"type": "test:extract"})
    log("bypass", source=got["source"], n=len(got["orders"]))
    assert got["orders"] == PDD_EXPECTED[1]


def test_page_freezes_prototypes_after_load(env):
    """The page freezes Function.prototype and XMLHttpRequest.prototype after load (hardening): the
    observer must not break the page, and page 2 is still read."""
    page = env.open()
    env.send({"type": "test:extract"})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.evaluate("() => { Object.freeze(Function.prototype); Object.freeze(XMLHttpRequest.prototype); Object.freeze(window.fetch); }")
    assert env.send({"type": "test:next-page"}) is True
    got = env.send({"type": "test:extract"})
    log("freeze", source=got["source"], errors=errors)
    assert got["orders"] == PDD_EXPECTED[1] and not errors
