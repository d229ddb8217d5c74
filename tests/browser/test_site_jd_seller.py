"""京东商家 (jd-seller) in real Chromium with the shipped extension, on the replicas "2026" and
"2026-changed" written from the public evidence by another hand (tests/fixtures/sites/jd-seller/2026/README.md):
the 订单查询 list on shop.jd.com (cards, 50 a page), its rows from the page's own POST to sff.jd.com
queryOrderPage, and a 出库 dialog per card whose carrier <select> loads after it opens.

Extraction equals expected-extract.json on every page; the reply and the DOM give the same orders; every
ready row and only those are filled and the person's real click ships exactly what Danhao filled; a
look-alike carrier is never chosen; on the redesign (renamed classes, moved column, the list inside a
micro-app's shadow root, data.results renamed, new dialog words) the orders are still read — the reply's
change noted — and the new required 短信验证码 is reported as page_changed with nothing filled. A whole
flow runs through the helper: popup sync, purchases posted with their numbers, popup 填写发货.
"""
from __future__ import annotations

import json

import pytest

from tests.support.browser import launch_chromium
from tests.support.extension import FIRE, SEND, TAB_ID, ExtensionEnv, service_worker, wait_for
from tests.support.helper_server import HelperProcess
from tests.support.replica_server import SITES_DIR, ReplicaServer
from tests.support.replicas import jd_seller_2026 as jd

pytestmark = pytest.mark.browser

REPO = SITES_DIR.parents[2]
SITE = "jd-seller"
PATTERNS = ["https://shop.jd.com/*", "https://trade-order-jdm.jd.com/*"]
EXP = json.loads((jd.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
EXPECTED = EXP["pages"]
PAGE1 = EXPECTED[0]
SINGLE = [o["order_id"] for o in PAGE1 if len(o["items"]) == 1]
MULTI = next(o["order_id"] for o in PAGE1 if len(o["items"]) > 1)


class Env(ExtensionEnv):
    """ExtensionEnv for the 京东商家 hosts."""

    def raw(self, msg):
        return self.sw.evaluate(SEND, [PATTERNS, msg])

    def fire(self, msg):
        self.sw.evaluate(FIRE, [PATTERNS, msg])


@pytest.fixture(scope="module", params=["2026", "2026-changed"])
def env(request, tmp_path_factory):
    e = Env(SITE, request.param, tmp_path_factory.mktemp(f"jd-{request.param}"))
    yield e
    e.close()


def shipment(order_id, option, number, status="ready", sid="s_test"):
    checks = [] if status == "ready" else [
        {"code": "address_mismatch", "level": status, "message": {"zh": "收货地址与采购单不一致", "en": "Ship-to differs"}}]
    return {"shipment_id": sid, "site": SITE, "order_id": order_id, "number": number,
            "courier": {"id": "x", "name": option, "confidence": 0.9},
            "target": {"code": "0", "option": option}, "status": status, "checks": checks}


# --- extraction ---------------------------------------------------------------------------------

def test_every_page_equals_expected(env):
    env.open()
    status = env.send({"type": "popup:status"})
    assert (status["site"], status["kind"]) == (SITE, "order-list")
    for i, want in enumerate(EXPECTED):
        if i:
            assert env.send({"type": "test:next-page"}) is True
        got = env.send({"type": "test:extract"})
        assert got["orders"] == want, f"page {i + 1}"
        assert got["pages"] == {"current": i + 1, "total": len(EXPECTED)}
        if env.layout == "2026":
            assert got["source"] == "reply" and got["notes"] == []
        else:
            # data.results was renamed: noted (reported as reply_changed), the cards read instead, never "no orders".
            assert got["source"] == "dom" and any("results" in n for n in got["notes"])
    assert env.send({"type": "test:next-page"}) is False


def test_every_order_tab_by_dom(env):
    env.open(jd.ALL_URL)
    for i, want in enumerate(EXP["allOrders"]):
        if i:
            assert env.send({"type": "test:next-page"}) is True
        assert env.send({"type": "test:extract-via", "source": "dom"})["orders"] == want, f"page {i + 1}"


def test_reply_and_dom_give_the_same_orders(env):
    env.open()
    via_dom = env.send({"type": "test:extract-via", "source": "dom"})
    assert via_dom["orders"] == PAGE1
    via_reply = env.send({"type": "test:extract-via", "source": "reply"})
    if env.layout == "2026":
        assert via_reply["orders"] == PAGE1
    else:
        assert via_reply["orders"] is None and "results" in via_reply["problem"]


# --- the 出库 dialog ----------------------------------------------------------------------------------

def test_read_options_lists_every_carrier_of_the_select(env):
    page = env.open()
    options = env.send({"type": "test:read-options"})
    assert options == [c["name"] for c in jd.load_carriers()]
    assert not page.locator("[role=dialog][aria-label='订单出库']").count()   # closed again


def dialog_of(page):
    return page.locator("[role=dialog]", has=page.locator('[data-danhao-point]'))


def test_ready_rows_and_only_those_are_filled_and_the_person_confirms(env):
    page = env.open()
    a, b, c = SINGLE[0], SINGLE[1], SINGLE[2]
    env.send({"type": "test:extract"})
    env.fire({"type": "test:fill", "shipments": [
        shipment(a, "中通快递", "73100248915263", sid="s1"),
        shipment(b, "圆通快递", "YT7512348820461", status="review", sid="s2"),   # held: never filled
        shipment(c, "顺丰快递", "SF1234567890123", sid="s3"),
        shipment(a, "中通快递", "73100248915270", sid="s4"),                    # second number, same order
    ]})
    if env.layout == "2026-changed":
        res = env.wait_pending(page)
        results = res["data"]["results"]
        assert [(r["shipment_id"], r["result"]) for r in results] == [("s1", "failed"), ("s3", "skipped"), ("s4", "skipped")]
        assert results[0]["reason"].startswith("页面已改版") and "短信验证码" in results[0]["reason"]
        assert results[1]["reason"].startswith("stopped")
        state = env.srv.state(SITE)
        assert state["shipped"] == [] and state["shipRequests"] == [] and state["smsCodes"] == []
        assert not page.locator("[role=dialog][aria-label='订单出库']").count()   # closed, nothing left filled
        panel = page.locator("#danhao-panel-host").evaluate("h => h.shadowRoot.textContent")
        assert "页面已改版" in panel
        return
    for order_id, number in ((a, "73100248915263"), (c, "SF1234567890123")):
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=30000)
        assert order_id in dialog_of(page).inner_text()
        assert dialog_of(page).locator("input#logiNo").input_value() == number
        page.locator('[data-danhao-point="confirm"]').click()          # the person confirms
        page.wait_for_function("() => !document.querySelector('[data-danhao-point]')", timeout=20000)
    res = env.wait_pending(page)
    results = [(r["shipment_id"], r["result"], r["submitted"]) for r in res["data"]["results"]]
    assert results == [("s1", "filled", True), ("s3", "filled", True), ("s4", "skipped", False)]
    assert [h["order_id"] for h in res["data"]["held"]] == [b]
    shipped = env.shipped()
    assert [(s["order_id"], s["carrier_name"], s["tracking_number"], s["by"]) for s in shipped] == [
        (a, "中通快递", "73100248915263", "user"), (c, "顺丰快递", "SF1234567890123", "user")]
    sent = [(r["body"]["orderId"], r["body"]["logiNo"], r["by"]) for r in env.srv.state(SITE)["shipRequests"]]
    assert sent == [(a, "73100248915263", "user"), (c, "SF1234567890123", "user")]


def test_a_look_alike_carrier_is_never_chosen(env):
    page = env.open()
    env.send({"type": "test:extract"})
    # The form offers 中通快递 and 中通快运, never 中通速递: the option is missing, nothing is picked.
    env.fire({"type": "test:fill", "shipments": [shipment(SINGLE[3], "中通速递", "73100248915281", sid="s1")]})
    res = env.wait_pending(page)
    [r] = res["data"]["results"]
    assert (r["result"], r["submitted"]) == ("failed", False)
    if env.layout == "2026":
        assert r["reason"].startswith("option_missing")
    else:
        assert r["reason"].startswith("页面已改版")        # the 短信验证码 step is seen before any choice
    assert env.shipped() == [] and env.srv.state(SITE)["shipRequests"] == []
    assert not page.locator("[role=dialog][aria-label='订单出库']").count()


def test_an_order_no_longer_waiting_is_skipped(env):
    page = env.open(jd.ALL_URL)
    done = next(o["order_id"] for o in EXP["allOrders"][0] if o["status"] != "等待出库")
    env.send({"type": "test:extract"})
    env.fire({"type": "test:fill", "shipments": [shipment(done, "中通快递", "73100248915299")]})
    res = env.wait_pending(page)
    [r] = res["data"]["results"]
    assert (r["result"], r["submitted"]) == ("skipped", False) and r["reason"].startswith("not_pending")


# --- the whole flow through the helper ------------------------------------------------------------

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    srv = ReplicaServer([SITE], layouts={SITE: "2026"}).start()
    ctx = launch_chromium(tmp_path_factory.mktemp("profile"), extension_dir=REPO, resolver_rules=srv.host_resolver_rules())
    sw = service_worker(ctx)
    helper = HelperProcess(tmp_path_factory.mktemp("helper") / "danhao.db").start()
    sw.evaluate("""async ([url, token]) => {
        await globalThis.danhao.settings.set({helperUrl: url, token, operator: '小王', autoSubmit: false, autoSync: false});
    }""", [helper.url, helper.token])
    yield srv, ctx, sw, helper
    helper.stop()
    ctx.close()
    srv.stop()


def purchase(order_id: str, courier: str, number: str, n: int) -> dict:
    o = next(x for x in PAGE1 if x["order_id"] == order_id)
    return {"order_id": f"39300000000000{n:05d}", "supplier": "义乌晨光工厂", "status": "已发货",
            "ship_to": o["buyer"], "items": [{"title": o["items"][0]["title"], "quantity": 1, "price": "9.00"}],
            "remark": f"京东 {order_id}", "packages": [{"courier_text": courier, "tracking": number}]}


def popup(world):
    _, ctx, sw, _ = world
    tab = sw.evaluate(TAB_ID, PATTERNS)
    page = ctx.new_page()
    page.goto(f"chrome-extension://{sw.url.split('/')[2]}/extension/popup/popup.html?tab={tab}")
    page.locator("body[data-ready='1']").wait_for()
    return page


def test_whole_flow_sync_then_fill_the_ready_orders(world):
    srv, ctx, sw, helper = world
    for p in ctx.pages:
        p.close()
    page = ctx.new_page()
    page.goto(jd.MAIN_URL)
    pop = popup(world)
    pop.locator("#all-pages").check()
    pop.locator("#sync-sales").click()
    pop.locator("#message", has_text="已同步").wait_for(timeout=90_000)
    pop.close()
    got = helper.api("GET", f"/api/v1/sales-orders?site={SITE}&limit=500").json()["orders"]
    assert {o["order_id"] for o in got} == {o["order_id"] for p in EXPECTED for o in p}
    assert page.locator("li.number.is-active").inner_text() == "1"     # back on page 1

    packages = [(SINGLE[0], "中通快递", "73012345678931"), (SINGLE[1], "顺丰速运", "SF1234567890131"),
                (MULTI, "圆通速递", "YT7512345678931")]
    r = helper.api("POST", "/api/v1/purchase-orders",
                   json={"site": "alibaba-buyer", "orders": [purchase(o, c, n, i) for i, (o, c, n) in enumerate(packages)]})
    assert r.status_code in (200, 201), r.text

    pop = popup(world)
    pop.locator("#all-pages").uncheck()
    pop.locator("#fill").click()
    pop.close()
    expected = {o: n for o, _, n in packages}
    for _ in packages:
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=60000)
        text = page.locator("[role=dialog]", has=page.locator('[data-danhao-point]')).inner_text()
        order_id = next(o for o in expected if o in text)
        page.locator('[data-danhao-point="confirm"]').click()      # the person confirms
        wait_for(lambda: any(s["order_id"] == order_id for s in srv.state(SITE)["shipped"]), timeout=30,
                 what=f"{order_id} shipped")
    shipped = {s["order_id"]: s for s in srv.state(SITE)["shipped"]}
    assert {o: s["tracking_number"] for o, s in shipped.items()} == expected
    assert {s["by"] for s in shipped.values()} == {"user"}
    # Courier names as the helper maps them onto JD's own labels (顺丰速运 → 顺丰快递, 圆通速递 → 圆通快递).
    assert (shipped[SINGLE[1]]["carrier_name"], shipped[MULTI]["carrier_name"]) == ("顺丰快递", "圆通快递")
    shipments = {s["order_id"]: s for s in helper.api("GET", f"/api/v1/shipments?site={SITE}").json()["shipments"]}
    for order_id, number in expected.items():
        assert shipments[order_id]["number"] == number
