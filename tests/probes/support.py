"""Shared plumbing for the probes: one replica layout + Chromium with the shipped extension."""
from __future__ import annotations

import json
import time

from tests.support.browser import launch_chromium
from tests.support.replica_server import SITES_DIR, ReplicaServer

REPO = SITES_DIR.parents[2]
PATTERNS = {"pdd-seller": "https://mms.pinduoduo.com/*", "alibaba-buyer": "https://*.1688.com/*"}
SEND = """async ([pattern, msg]) => {
  const [tab] = await chrome.tabs.query({url: pattern});
  return chrome.tabs.sendMessage(tab.id, msg, {frameId: 0});
}"""
FIRE = """async ([pattern, msg]) => {
  const [tab] = await chrome.tabs.query({url: pattern});
  globalThis.__pending = null;
  chrome.tabs.sendMessage(tab.id, msg, {frameId: 0}).then((r) => { globalThis.__pending = r; },
    (e) => { globalThis.__pending = {ok: false, error: {message: String(e)}}; });
  return tab.id;
}"""

PDD_EXPECTED = json.loads((SITES_DIR / "pdd-seller" / "2026" / "expected-extract.json").read_text(encoding="utf-8"))["pages"]


class Env:
    def __init__(self, site, layout, tmp, delay=(0.05, 0.15), datasets=None):
        self.site, self.layout = site, layout
        self.srv = ReplicaServer([site], layouts={site: layout}, delay=delay, datasets=datasets).start()
        self.ctx = launch_chromium(tmp, extension_dir=REPO, resolver_rules=self.srv.host_resolver_rules())
        self.sw = self.ctx.service_workers[0] if self.ctx.service_workers else self.ctx.wait_for_event("serviceworker")
        self.sw.evaluate("() => globalThis.danhao.settings.set({autoSubmit: false, autoSync: false})")

    def open(self, url=None):
        self.srv.reset(self.site)
        for p in self.ctx.pages:
            p.close()
        page = self.ctx.new_page()
        page.goto(url or self.srv.url(self.site))
        page.wait_for_timeout(1200)   # let the load-time promo (300 ms after the first reply) show up first
        return page

    def raw(self, msg):
        return self.sw.evaluate(SEND, [PATTERNS[self.site], msg])

    def send(self, msg):
        r = self.raw(msg)
        assert r and r.get("ok"), r
        return r["data"]

    def fire(self, msg):
        self.sw.evaluate(FIRE, [PATTERNS[self.site], msg])

    def pending(self):
        return self.sw.evaluate("() => globalThis.__pending")

    def wait_pending(self, page, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            r = self.pending()
            if r:
                return r
            page.wait_for_timeout(200)
        raise AssertionError("fill did not finish")

    def shipped(self):
        return self.srv.state(self.site)["shipped"]

    def close(self):
        try:
            self.ctx.close()
        finally:
            self.srv.stop()


def shipment(order_id, option, number, status="ready", sid="s_probe"):
    return {"shipment_id": sid, "site": "pdd-seller", "order_id": order_id, "number": number,
            "courier": {"id": "x", "name": option, "confidence": 0.9},
            "target": {"code": "0", "option": option}, "status": status, "checks": []}


POINTED_DIALOG = """() => {
  const b = document.querySelector('[data-danhao-point="confirm"]');
  if (!b) return null;
  const m = b.closest('[data-testid="beast-core-modal"]');
  const input = m && Array.from(m.querySelectorAll('input')).find((i) => /单号/.test(i.placeholder));
  const sel = m && (m.querySelector('[data-testid="beast-core-select-htmlInput"]') || m.querySelector('select'));
  return {text: m ? m.innerText : '', number: input ? input.value : null,
          courier: sel ? (sel.tagName === 'SELECT' ? sel.selectedOptions[0].textContent : (sel.value || sel.placeholder)) : null};
}"""
