"""Issue #11, items 3–5 in real Chromium: one-click pairing (popup 连接助手 → the helper's /pair page
→ 允许), what other loopback pages cannot do, the helper's list of paired extensions and
unpairing; the in-page panel's words (sync progress, "第 1/2 单", courier and number, the hint,
counts, one line per order, no internal codes)."""
from __future__ import annotations

import http.server
import threading

import pytest
import requests

from tests.support.extension import FIRE, SEND, wait_for
from tests.support.helper_server import HelperProcess, free_port

pytestmark = pytest.mark.browser

PDD = "https://mms.pinduoduo.com/*"
ORDER_A = "261124-002977276931098"
ORDER_B = "261124-740859411842785"
SETTINGS = "async () => await globalThis.danhao.settings.get()"
PENDING = "async () => (await chrome.storage.session.get('danhao.pairing'))['danhao.pairing'] || null"
RAW_CODES = ("one_number_per_order", "already_submitted", "not_confirmed", "page_changed", "option_missing",
             "needs_person", "stopped:", "pdd-seller")


def reset(sw, url="http://127.0.0.1:17890"):
    sw.evaluate("([u]) => globalThis.danhao.settings.set({token: '', helperUrl: u, autoSubmit: false, autoSync: false})", [url])


class Attacker:
    """A page on another loopback port that tries to hand the extension a token."""

    def __init__(self):
        self.port = free_port()
        handler = type("H", (http.server.BaseHTTPRequestHandler,), {
            "do_GET": lambda h: (h.send_response(200), h.send_header("Content-Type", "text/html"), h.end_headers(),
                                 h.wfile.write(b"<!doctype html><title>other</title><p>other local page</p>")),
            "log_message": lambda *a: None})
        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()


PUSH = """([ext, token, state]) => new Promise((resolve) => {
  if (!(window.chrome && chrome.runtime && chrome.runtime.sendMessage)) { resolve({ok: false, error: {code: 'no_runtime'}}); return; }
  chrome.runtime.sendMessage(ext, {type: 'danhao:pair', token, state}, (r) => resolve(r || {ok: false, error: {code: String(chrome.runtime.lastError && chrome.runtime.lastError.message)}}));
})"""


def test_connect_helper_pairs_in_one_click_and_the_helper_lists_and_revokes(extension_browser, tmp_path):
    ctx, sw, ext_id = extension_browser
    helper = HelperProcess(tmp_path / "danhao.db").start()
    attacker = Attacker()
    try:
        reset(sw, helper.url)
        popup = ctx.new_page()
        popup.goto(f"chrome-extension://{ext_id}/extension/popup/popup.html")
        popup.locator("body[data-ready='1']").wait_for()
        assert popup.locator("#helper-state").get_attribute("data-state") == "unpaired"
        assert "连接助手" in popup.locator("#hint").inner_text()
        with ctx.expect_page() as opened:
            popup.locator("#pair").click()
        page = opened.value
        page.wait_for_load_state()
        assert page.url.startswith(f"{helper.url}/pair?ext={ext_id}&state=")
        assert ext_id in page.locator("#pair-ext").inner_text()
        assert sw.evaluate(SETTINGS)["token"] == ""                  # nothing before 允许
        page.locator("#allow").click()
        page.locator("#pair-result[data-state='done']").wait_for(timeout=15_000)
        settings = sw.evaluate(SETTINGS)
        assert settings["token"] == helper.token and settings["helperUrl"] == helper.url
        assert sw.evaluate("async () => (await globalThis.danhao.ping({checkToken: true})).state") == "online"
        assert sw.evaluate(PENDING) is None                          # one use
        pairings = helper.api("GET", "/api/v1/pairings").json()["pairings"]
        assert [(p["extension_id"], p["via"]) for p in pairings] == [(ext_id, "pair_page")]
        assert requests.get(helper.url + "/api/v1/pairings", timeout=5).status_code == 401   # token-protected
        popup.reload()
        popup.locator("body[data-ready='1']").wait_for()
        assert popup.locator("#helper-state").get_attribute("data-state") == "online"
        assert popup.locator("#pair-wrap").is_hidden()
        assert popup.locator("#review-link").get_attribute("href") == helper.url + "/"

        # Another loopback page cannot push a token, not even with a live pairing's state.
        reset(sw, helper.url)
        sw.evaluate("async () => { await globalThis.danhao.pairing.start(); }")
        state = wait_for(lambda: sw.evaluate(PENDING), what="a pairing to start")["state"]
        other = ctx.new_page()
        other.goto(f"http://127.0.0.1:{attacker.port}/")
        answer = other.evaluate(PUSH, [ext_id, helper.token, state])
        assert answer["ok"] is False and answer["error"]["code"] == "wrong_origin", answer
        # The helper's own origin, but not the tab the extension opened, and a wrong state: refused too.
        own = ctx.new_page()
        own.goto(helper.url + "/login")
        answer = own.evaluate(PUSH, [ext_id, helper.token, "x" * 32])
        assert answer["ok"] is False and answer["error"]["code"] in ("wrong_tab", "wrong_state"), answer
        assert sw.evaluate(SETTINGS)["token"] == ""
        # A cross-origin POST /pair is refused by the helper (no token for another page).
        r = requests.post(helper.url + "/pair", json={"ext": ext_id, "state": state, "nonce": "1.x"},
                          headers={"Origin": f"http://127.0.0.1:{attacker.port}"}, timeout=5)
        assert r.status_code == 403 and "token" not in r.json()
        for p in (other, own):
            p.close()

        # Revoked on the helper: the extension is refused (403) even with the right token.
        sw.evaluate("([t]) => globalThis.danhao.settings.set({token: t})", [helper.token])
        assert sw.evaluate("async () => (await globalThis.danhao.ping({checkToken: true})).state") == "online"
        r = helper.api("DELETE", f"/api/v1/pairings/{ext_id}")
        assert r.status_code == 200 and r.json()["pairings"] == []
        status = sw.evaluate("""async () => { try { await globalThis.danhao.callMethod('GET', '/api/v1/status'); return 200; }
                                catch (e) { return [e.status, e.details && e.details.code]; } }""")
        assert status == [403, "pairing_revoked"]
        assert sw.evaluate("async () => (await globalThis.danhao.ping({checkToken: true})).state") == "unpaired"
        assert helper.api("DELETE", f"/api/v1/pairings/{ext_id}").status_code == 404
        popup.close()
        page.close()
    finally:
        reset(sw)
        attacker.stop()
        helper.stop()


def shipment(order_id, option, number, status="ready", sid="s", submitted=False):
    checks = [] if status == "ready" else [
        {"code": "address_mismatch", "level": status, "message": {"zh": "收货地址与采购单不一致", "en": "Ship-to differs"}}]
    return {"shipment_id": sid, "site": "pdd-seller", "order_id": order_id, "number": number,
            "courier": {"id": "x", "name": option, "confidence": 0.9}, "target": {"code": "0", "option": option},
            "status": status, "checks": checks, "fill": {"submitted": True} if submitted else None}


def panel_text(page):
    return page.locator("#danhao-panel-host").evaluate("h => h.shadowRoot.textContent")


def test_the_panel_shows_sync_progress_the_order_being_filled_and_counts_in_words(extension_browser, replica):
    ctx, sw, _ = extension_browser
    reset(sw)                                         # no helper: a sync is queued, the panel says so
    replica.reset("pdd-seller")
    for p in ctx.pages:
        p.close()
    page = ctx.new_page()
    page.goto(replica.url("pdd-seller"))
    sw.evaluate(SEND, [PDD, {"type": "test:extract"}])

    r = sw.evaluate(SEND, [PDD, {"type": "popup:sync", "allPages": False}])
    assert r["ok"], r
    text = panel_text(page)
    assert "同步完成" in text and f"已同步 {r['data']['orders']} 单（1 页）" in text and "排队" in text, text

    sw.evaluate(FIRE, [PDD, {"type": "test:fill", "shipments": [
        shipment(ORDER_A, "中通快递", "73100248915263", sid="s1"),
        shipment(ORDER_A, "中通快递", "73100248915264", sid="s2"),        # a second parcel of the same order
        shipment(ORDER_B, "韵达快递", "4312345678901", sid="s3", submitted=True),   # confirmed before
        shipment("261124-000000000000001", "申通快递", "773000000001", status="review", sid="s4")]}])
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15_000)
    text = panel_text(page)
    assert "第 1/2 单" in text and "中通快递" in text and "73100248915263" in text and "请核对后点击确认发货" in text, text
    page.locator('[data-danhao-point="confirm"]').click()
    out = wait_for(lambda: sw.evaluate("() => globalThis.__pending"), timeout=60, what="the fill to finish")
    assert out["ok"], out
    reasons = [x["reason"].split(":")[0] for x in out["data"]["results"]]
    assert reasons == ["", "one_number_per_order", "already_submitted"]       # codes for the helper and tests

    host = page.locator("#danhao-panel-host")
    lines = host.locator("li[data-order-id]")
    ids = lines.evaluate_all("ls => ls.map((l) => l.dataset.orderId)")
    assert sorted(ids) == sorted({ORDER_A, ORDER_B, "261124-000000000000001"})    # one line per order
    assert host.locator(f'li[data-order-id="{ORDER_A}"]').get_attribute("data-state") == "confirmed"
    b = host.locator(f'li[data-order-id="{ORDER_B}"]')
    assert b.get_attribute("data-reason-code") == "already_submitted" and "已上传过，跳过" in b.inner_text()
    counts = dict(host.locator("[data-count]").evaluate_all("cs => cs.map((c) => [c.dataset.count, Number(c.dataset.n)])"))
    assert counts == {"confirmed": 1, "filled": 0, "skipped": 1, "failed": 0, "held": 1}, counts
    text = panel_text(page)
    assert "已确认 1" in text and "需处理 1" in text and "收货地址与采购单不一致" in text
    for code in RAW_CODES:
        assert code not in text, (code, text)
    assert host.locator('[data-role="review-link"]').get_attribute("href") == "http://127.0.0.1:17890/"
    page.close()
