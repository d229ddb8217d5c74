"""Issue #10 in a real browser: hostile callers are refused, hostile scraped text stays text.

- A page on another loopback port (what a malicious local web page or a DNS-rebinding page
  looks like to the helper) tries to read and write through Chromium: without the token, with a
  stolen token, as a simple text/plain or form POST (no CORS preflight). Every attempt is
  refused or unreadable, and no row changes.
- Orders whose scraped text is markup or script (a buyer can type anything into a name or a
  memo) are shown on every review page as text: no script runs, no element is injected.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.browser import launch_chromium
from tests.support.helper_server import HelperProcess

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__pwned=1">"\'><script>window.__pwned=2</script>{{7*7}}=HYPERLINK("http://evil")'


class _Page(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        body = b"<!doctype html><title>evil</title><p>hello</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def evil_origin():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def counts(db_path):
    con = sqlite3.connect(db_path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("sales_orders", "purchase_orders", "events", "settings")}
    finally:
        con.close()


def test_a_page_on_another_port_can_neither_read_nor_write(tmp_path, evil_origin):
    helper = HelperProcess(tmp_path / "danhao.db").start()
    ctx = launch_chromium(tmp_path / "profile")
    try:
        before = counts(helper.db_path)
        page = ctx.new_page()
        page.goto(evil_origin)
        got = page.evaluate("""async ([helper, token]) => {
          const order = JSON.stringify({site: 'pdd-seller', orders: [{order_id: 'evil-1'}]});
          const tries = {
            read_no_token: () => fetch(helper + '/api/v1/status'),
            read_stolen_token: () => fetch(helper + '/api/v1/status', {headers: {'X-Danhao-Token': token}}),
            write_json: () => fetch(helper + '/api/v1/sales-orders', {method: 'POST', body: order,
                                    headers: {'Content-Type': 'application/json', 'X-Danhao-Token': token}}),
            write_text_plain: () => fetch(helper + '/api/v1/sales-orders', {method: 'POST', mode: 'no-cors', body: order,
                                          headers: {'Content-Type': 'text/plain'}}),
            write_form: () => fetch(helper + '/api/v1/settings', {method: 'POST', mode: 'no-cors',
                                    body: new URLSearchParams({operator: 'evil'})}),
            login_form: () => fetch(helper + '/login', {method: 'POST', mode: 'no-cors', body: new URLSearchParams({token})}),
          };
          const out = {};
          for (const [name, f] of Object.entries(tries)) {
            try { const r = await f(); out[name] = {type: r.type, status: r.status, body: r.type === 'opaque' ? null : await r.text()}; }
            catch (e) { out[name] = {error: e.name}; }
          }
          return out;
        }""", [helper.url, helper.token])
        # Reads with or without the token: blocked by the browser (no CORS for a web origin).
        assert got["read_no_token"].get("error") == "TypeError", got
        assert got["read_stolen_token"].get("error") == "TypeError", got
        assert got["write_json"].get("error") == "TypeError", got
        # Simple requests do reach the helper, opaque to the page; the helper refused them all.
        assert got["write_text_plain"]["type"] == "opaque" and got["write_form"]["type"] == "opaque"
        assert counts(helper.db_path) == before
        # And the helper says why, to a caller that can read it.
        r = helper.api("POST", "/api/v1/sales-orders", headers={"Origin": evil_origin},
                       json={"site": "pdd-seller", "orders": [{"order_id": "evil-2"}]})
        assert r.status_code == 403 and r.json()["error"]["code"] == "origin_forbidden"
        assert counts(helper.db_path) == before
    finally:
        ctx.close()
        helper.stop()


def test_hostile_scraped_text_is_inert_on_every_review_page(tmp_path):
    helper = HelperProcess(tmp_path / "danhao.db").start()
    ctx = launch_chromium(tmp_path / "profile")
    try:
        order = {"order_id": "261124-000000000000001", "shop": XSS, "status": "待发货",
                 "buyer": {"name": XSS, "phone": "138****0000",
                           "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": XSS}},
                 "items": [{"title": XSS, "sku": XSS, "quantity": 1, "price": "1.00"}], "amount": "1.00", "remark": XSS}
        assert helper.api("POST", "/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [order]}).ok
        purchase = {"order_id": "3912345678901234567", "supplier": XSS, "status": "已发货",
                    "ship_to": {"name": XSS, "phone": "138****0000", "address": {"province": "浙江省"}},
                    "remark": f"PDD {order['order_id']} {XSS}", "packages": [{"courier_text": XSS, "tracking": "73100248915263"}]}
        assert helper.api("POST", "/api/v1/purchase-orders", json={"site": "alibaba-buyer", "orders": [purchase]}).ok
        assert helper.api("POST", "/api/v1/convert", json={"site": "pdd-seller", "order_ids": [order["order_id"]],
                                                           "options": [XSS, "中通快递"]}).ok
        page = ctx.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(helper.url + "/login")
        page.fill("input[name=token]", helper.token)
        page.click("button[type=submit]")
        pages = ["/", "/orders", f"/orders/pdd-seller/{order['order_id']}", "/shipments", "/events",
                 f"/orders?q={XSS}"]
        for path in pages:
            page.goto(helper.url + path)
            assert page.evaluate("() => window.__pwned") is None, path
            assert page.locator("img[src=x]").count() == 0 and page.locator("body script").count() == 0, path
        # The text is shown as text somewhere on the order's page.
        page.goto(helper.url + f"/orders/pdd-seller/{order['order_id']}")
        assert "onerror" in page.locator("body").inner_text()
        assert dialogs == [] and errors == []
    finally:
        ctx.close()
        helper.stop()


def test_the_review_pages_refuse_a_foreign_host(tmp_path):
    """DNS rebinding: a page at evil.example resolving to 127.0.0.1 gets 403, with or without a cookie."""
    helper = HelperProcess(tmp_path / "danhao.db").start()
    ctx = launch_chromium(tmp_path / "profile", resolver_rules=f"MAP evil.example 127.0.0.1:{helper.port}")
    try:
        page = ctx.new_page()
        r = page.goto(f"http://evil.example:{helper.port}/orders")
        assert r.status == 403
        body = json.loads(page.locator("body").inner_text())
        assert body["error"]["code"]
    finally:
        ctx.close()
        helper.stop()
