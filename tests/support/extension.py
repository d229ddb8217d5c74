"""Driving the shipped extension in Chromium on replica pages: one place for the plumbing the
browser tests and probes share (messages to the content script, waiting, one layout's world).

    env = ExtensionEnv("pdd-seller", "2026", tmp_path)
    page = env.open()
    env.send({"type": "test:extract"})              # → the content script's answer data
    env.fire({"type": "test:fill", "shipments": [...]}); env.wait_pending(page)
    env.close()
"""
from __future__ import annotations

import time

from tests.support.browser import launch_chromium
from tests.support.replica_server import SITES_DIR, ReplicaServer

REPO = SITES_DIR.parents[2]
PATTERNS = {"pdd-seller": "https://mms.pinduoduo.com/*", "alibaba-buyer": "https://*.1688.com/*",
            "douyin-seller": "https://fxg.jinritemai.com/*"}

# Ask the content script of the tab matching `pattern` (top frame only) and return its answer.
SEND = """async ([pattern, msg]) => {
  const [tab] = await chrome.tabs.query({url: pattern});
  return chrome.tabs.sendMessage(tab.id, msg, {frameId: 0});
}"""
# Start a long task (a fill waits for the person) and keep its answer in globalThis.__pending.
FIRE = """async ([pattern, msg]) => {
  const [tab] = await chrome.tabs.query({url: pattern});
  globalThis.__pending = null;
  chrome.tabs.sendMessage(tab.id, msg, {frameId: 0}).then((r) => { globalThis.__pending = r; },
    (e) => { globalThis.__pending = {ok: false, error: {message: String(e)}}; });
  return tab.id;
}"""
TAB_ID = """async (pattern) => (await chrome.tabs.query({url: pattern}))[0].id"""
PROGRESS = """async () => (await chrome.storage.local.get('danhao.progress'))['danhao.progress'] || null"""


def wait_for(predicate, timeout=30.0, what="condition"):
    """The first truthy value of `predicate()`, polled every 0.1 s; AssertionError after `timeout` s."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def service_worker(ctx):
    return ctx.service_workers[0] if ctx.service_workers else ctx.wait_for_event("serviceworker")


def pair(sw, helper, operator="小王"):
    """Point the extension at a running HelperProcess, as the options page would."""
    sw.evaluate("""async ([url, token, operator]) => {
        await globalThis.danhao.settings.set({helperUrl: url, token, operator, autoSubmit: false, autoSync: false});
    }""", [helper.url, helper.token, operator])


class ExtensionEnv:
    """One site in one replica layout, and Chromium with the shipped extension pointed at it."""

    def __init__(self, site, layout, tmp, delay=(0.1, 0.4), datasets=None):
        self.site, self.layout = site, layout
        self.srv = ReplicaServer([site], layouts={site: layout}, delay=delay, datasets=datasets).start()
        self.ctx = launch_chromium(tmp, extension_dir=REPO, resolver_rules=self.srv.host_resolver_rules())
        self.sw = service_worker(self.ctx)
        self.sw.evaluate("() => globalThis.danhao.settings.set({autoSubmit: false, autoSync: false})")

    def open(self, url=None):
        self.srv.reset(self.site)
        for p in self.ctx.pages:
            p.close()
        page = self.ctx.new_page()
        page.goto(url or self.srv.url(self.site))
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
        raise AssertionError("the task did not finish")

    def shipped(self):
        return self.srv.state(self.site)["shipped"]

    def close(self):
        try:
            self.ctx.close()
        finally:
            self.srv.stop()


def here(page) -> str:
    """The tab's address now (page.url only changes while Playwright processes events); "" between two pages."""
    try:
        return page.evaluate("location.href")
    except Exception:   # between two pages
        return ""


def panel_box_text(page) -> str:
    """What the in-page panel shows (its rendered text), "" when it is not there or the tab is
    between two pages (a walk through ship pages navigates while a test polls)."""
    try:
        return page.evaluate("""() => { const h = document.querySelector('#danhao-panel-host');
            const box = h && h.shadowRoot && h.shadowRoot.querySelector('.box');
            return box ? box.innerText : ''; }""")
    except Exception:   # the execution context went with the page
        return ""
