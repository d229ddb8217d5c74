"""千牛 (taobao-seller) in real Chromium with the shipped extension, on the replicas "2026" and
"2026-changed" written from the public evidence by another hand (tests/fixtures/sites/taobao-seller/2026/
README.md): the sold list on myseller.taobao.com, its rows from the page's own cross-origin POST to
trade.taobao.com (GBK), and the consign-order 发货 page on qn.taobao.com, one order a page.

Extraction equals expected-extract.json on every page by the reply and by the DOM; on a 发货 page the
person's real click on the pointed button ships exactly what Danhao filled; a look-alike company is never
chosen; on the redesign the renamed labels, the moved column, the reply's numeric id and the page's own
company guess are survived, and the new required refund box is reported as page_changed with nothing filled.
A whole flow runs through the helper: popup sync of every page (the list back on page 1), purchases posted
with their numbers, popup 填写发货 walking the ready orders' own 发货 pages.
"""
from __future__ import annotations

import json

import pytest

from tests.support.browser import launch_chromium
from tests.support.extension import FIRE, SEND, TAB_ID, ExtensionEnv, service_worker, wait_for, here, panel_box_text as panel_text
from tests.support.helper_server import HelperProcess
from tests.support.replica_server import SITES_DIR, ReplicaServer
from tests.support.replicas import taobao_seller_2026 as tb

pytestmark = pytest.mark.browser

REPO = SITES_DIR.parents[2]
SITE = "taobao-seller"
PATTERNS = ["https://myseller.taobao.com/*", "https://qn.taobao.com/*"]
LIST = tb.MAIN_URL
EXPECTED = json.loads((tb.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))["pages"]
ALL = [o for page in EXPECTED for o in page]
RECORDS = {r["id"]: r for r in tb.load_orders()}


def open_refund(order_id: str) -> bool:
    return any(op["text"] in tb.AFTER_SALE_OPEN for s in RECORDS[order_id]["subOrders"] for op in s["operations"])


PAID = [o["order_id"] for o in ALL if o["status"] == "买家已付款" and not open_refund(o["order_id"])]
REFUND = next(o["order_id"] for o in ALL if o["status"] == "买家已付款" and open_refund(o["order_id"]))
SHIPPED_ALREADY = next(o["order_id"] for o in ALL if o["status"] == "卖家已发货")


class Env(ExtensionEnv):
    """ExtensionEnv for the two 千牛 hosts (the list and the 发货 pages)."""

    def raw(self, msg):
        return self.sw.evaluate(SEND, [PATTERNS, msg])

    def fire(self, msg):
        self.sw.evaluate(FIRE, [PATTERNS, msg])


@pytest.fixture(scope="module", params=["2026", "2026-changed"])
def env(request, tmp_path_factory):
    e = Env(SITE, request.param, tmp_path_factory.mktemp(f"tb-{request.param}"))
    yield e
    e.close()


def shipment(order_id, option, number, status="ready", sid="s_test"):
    checks = [] if status == "ready" else [
        {"code": "address_mismatch", "level": status, "message": {"zh": "收货地址与采购单不一致", "en": "Ship-to differs"}}]
    return {"shipment_id": sid, "site": SITE, "order_id": order_id, "number": number,
            "courier": {"id": "x", "name": option, "confidence": 0.9},
            "target": {"code": "0", "option": option}, "status": status, "checks": checks}


def consign(env, order_id):
    page = env.open(tb.CONSIGN_URL.format(id=order_id))
    assert env.send({"type": "popup:status"})["kind"] == "ship-page"
    return page


# --- extraction ---------------------------------------------------------------------------------

def test_every_page_equals_expected_by_reply_and_by_dom(env):
    env.open()
    status = env.send({"type": "popup:status"})
    assert (status["site"], status["kind"]) == (SITE, "order-list")
    for i, want in enumerate(EXPECTED):
        if i:
            assert env.send({"type": "test:next-page"}) is True
        got = env.send({"type": "test:extract"})
        assert got["orders"] == want, f"page {i + 1}"
        # The page's own asyncSold reply covers the rows (on the redesign through idStr, never the rounded id).
        assert got["source"] == "reply" and got["notes"] == []
        assert got["pages"] == {"current": i + 1, "total": len(EXPECTED)}
        dom = env.send({"type": "test:extract-via", "source": "dom"})
        assert dom["orders"] == want, f"dom, page {i + 1}"
    assert env.send({"type": "test:next-page"}) is False
    assert env.send({"type": "test:page-info"}) == {"current": len(EXPECTED), "total": len(EXPECTED)}


def test_reply_and_dom_give_the_same_orders_and_ids_stay_exact(env):
    env.open()
    via_reply = env.send({"type": "test:extract-via", "source": "reply"})["orders"]
    via_dom = env.send({"type": "test:extract-via", "source": "dom"})["orders"]
    assert via_reply == via_dom == EXPECTED[0]
    # 19-digit ids survive as strings (a JSON number would have been rounded).
    assert all(len(o["order_id"]) == 19 and o["order_id"] in RECORDS for o in via_reply)


# --- the 发货 page ----------------------------------------------------------------------------------

def test_read_options_on_the_ship_page(env):
    consign(env, PAID[0])
    options = env.send({"type": "test:read-options"})
    assert {"中通快递", "圆通速递", "顺丰速运", "EMS"} <= set(options)
    assert len(options) == len(set(options))
    # The companies the page loaded (its search-select draws only the 常用 group until typed).
    assert {"中通快运", "德邦快递", "德邦物流"} <= set(options)


def test_the_person_confirms_and_what_was_filled_is_what_was_shipped(env):
    order_id = PAID[0]
    page = consign(env, order_id)
    env.fire({"type": "test:fill", "shipments": [
        shipment(order_id, "中通快递", "73012345678901", sid="s1"),
        shipment(order_id, "圆通速递", "YT7512348820461", status="review", sid="s2"),   # held: never filled
        shipment(PAID[1], "顺丰速运", "SF1234567890123", sid="s3"),                     # another order's: not this page
    ]})
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=30000)
    assert page.locator("#mailNo").input_value() == "73012345678901"
    page.locator('[data-danhao-point="confirm"]').click()          # the person confirms
    res = env.wait_pending(page)
    results = [(r["shipment_id"], r["result"], r["submitted"]) for r in res["data"]["results"]]
    assert results == [("s1", "filled", True), ("s3", "failed", False)]
    assert res["data"]["results"][0]["submitted_by"] == "user"
    assert res["data"]["results"][1]["reason"].startswith("wrong_page")
    assert [h["order_id"] for h in res["data"]["held"]] == []      # s2's order has a ready shipment
    shipped = env.shipped()
    assert [(s["order_id"], s["company_name"], s["tracking_number"], s["by"]) for s in shipped] == [
        (order_id, "中通快递", "73012345678901", "user")]
    req = env.srv.state(SITE)["shipRequests"]
    assert len(req) == 1 and req[0]["body"]["mailNo"] == "73012345678901" and req[0]["by"] == "user"


def test_a_look_alike_company_is_never_chosen(env):
    page = consign(env, PAID[2])
    env.fire({"type": "test:fill", "shipments": [shipment(PAID[2], "中通快递(加急)", "73012345678902", sid="s1")]})
    res = env.wait_pending(page)
    [r] = res["data"]["results"]
    assert (r["result"], r["submitted"]) == ("failed", False)
    assert r["reason"].startswith("option_missing")
    assert env.shipped() == [] and env.srv.state(SITE)["shipRequests"] == []
    # Nothing was put in the form: the person still sees the placeholder, no company chosen.
    assert page.locator("#mailNo").input_value() == ""


def test_an_order_already_shipped_is_skipped(env):
    page = consign(env, SHIPPED_ALREADY)
    env.fire({"type": "test:fill", "shipments": [shipment(SHIPPED_ALREADY, "中通快递", "73012345678903")]})
    res = env.wait_pending(page)
    [r] = res["data"]["results"]
    assert (r["result"], r["submitted"]) == ("skipped", False) and r["reason"].startswith("not_pending")
    assert env.shipped() == []


def test_an_open_refund_on_the_redesign_is_reported_and_nothing_is_filled(env):
    page = consign(env, REFUND)
    env.fire({"type": "test:fill", "shipments": [shipment(REFUND, "中通快递", "73012345678904")]})
    if env.layout == "2026":
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=30000)
        page.locator('[data-danhao-point="confirm"]').click()
        res = env.wait_pending(page)
        assert res["data"]["results"][0]["result"] == "filled"
        assert [s["order_id"] for s in env.shipped()] == [REFUND]
        return
    res = env.wait_pending(page)
    [r] = res["data"]["results"]
    assert (r["result"], r["submitted"]) == ("failed", False)
    assert r["reason"].startswith("页面已改版") and "退款" in r["reason"]
    assert env.shipped() == [] and env.srv.state(SITE)["shipRequests"] == []
    assert page.locator("#mailNo").input_value() == ""              # nothing filled
    assert not page.locator("input[type=checkbox]:checked").count()  # the box is the person's, never ticked
    panel = page.locator("#danhao-panel-host").evaluate("h => h.shadowRoot.textContent")
    assert "页面已改版" in panel


# --- the whole flow through the helper ------------------------------------------------------------

@pytest.fixture(scope="module", params=["2026", "2026-changed"])
def world(request, tmp_path_factory):
    srv = ReplicaServer([SITE], layouts={SITE: request.param}).start()
    ctx = launch_chromium(tmp_path_factory.mktemp("profile"), extension_dir=REPO, resolver_rules=srv.host_resolver_rules())
    sw = service_worker(ctx)
    helper = HelperProcess(tmp_path_factory.mktemp("helper") / "danhao.db").start()
    sw.evaluate("""async ([url, token]) => {
        await globalThis.danhao.settings.set({helperUrl: url, token, operator: '小王', autoSubmit: false, autoSync: false});
    }""", [helper.url, helper.token])
    yield request.param, srv, ctx, sw, helper
    helper.stop()
    ctx.close()
    srv.stop()


def purchase(order_id: str, courier: str, number: str, n: int) -> dict:
    """A supplier's purchase shipped for `order_id` (the sale named in its remark: the list shows no receiver)."""
    o = next(x for x in ALL if x["order_id"] == order_id)
    return {"order_id": f"39200000000000{n:05d}", "supplier": "义乌晨光工厂", "status": "已发货",
            "ship_to": {"name": "李*", "phone": "138****0000",
                        "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路"}},
            "items": [{"title": o["items"][0]["title"], "quantity": 1, "price": "9.00"}],
            "remark": f"淘宝 {order_id}", "packages": [{"courier_text": courier, "tracking": number}]}




def popup(world):
    _, _, ctx, sw, _ = world
    tab = sw.evaluate(TAB_ID, PATTERNS)
    page = ctx.new_page()
    page.goto(f"chrome-extension://{sw.url.split('/')[2]}/extension/popup/popup.html?tab={tab}")
    page.locator("body[data-ready='1']").wait_for()
    return page


def test_whole_flow_sync_every_page_then_walk_the_ready_orders_ship_pages(world):
    layout, srv, ctx, sw, helper = world
    for p in ctx.pages:
        p.close()
    page = ctx.new_page()
    page.goto(LIST)
    pop = popup(world)
    pop.locator("#all-pages").check()
    pop.locator("#sync-sales").click()
    pop.locator("#message", has_text="已同步").wait_for(timeout=90_000)
    pop.close()
    # Every order of every page reached the helper, and the list is back on page 1.
    orders = helper.api("GET", f"/api/v1/sales-orders?site={SITE}&limit=500").json()
    got = {o["order_id"] for o in orders.get("orders", orders if isinstance(orders, list) else [])}
    assert got == {o["order_id"] for o in ALL}
    assert page.locator("text=/订单号：|订单编号：/").first.count()
    assert page.evaluate("""() => [...document.querySelectorAll('button')].some((b) =>
        /current/.test(b.className) && b.textContent.trim() === '1')""")

    packages = [(PAID[0], "中通快递", "73012345678911"), (PAID[1], "顺丰速运", "SF1234567890111"),
                (PAID[2], "圆通速递", "YT7512345678911")]
    r = helper.api("POST", "/api/v1/purchase-orders",
                   json={"site": "alibaba-buyer", "orders": [purchase(o, c, n, i) for i, (o, c, n) in enumerate(packages)]})
    assert r.status_code in (200, 201), r.text

    pop = popup(world)
    pop.locator("#all-pages").uncheck()
    pop.locator("#fill").click()
    wait_for(lambda: "/consign-order" in here(page), timeout=60, what="the first 发货 page")
    pop.close()
    expected = {o: n for o, _, n in packages}
    clicked = []
    for _ in range(len(packages) + 2):
        def pointed_or_back():
            if here(page).startswith(LIST):
                return "list" if clicked else None
            return "pointed" if page.locator('[data-danhao-point="confirm"]').count() else None
        where = wait_for(pointed_or_back, timeout=60, what="a pointed 确认发货 or the list again")
        if where == "list":
            break
        order_id = next(o for o in expected if o in here(page))
        assert order_id in page.locator("body").inner_text()
        page.locator('[data-danhao-point="confirm"]').click()      # the person confirms
        clicked.append(order_id)
        wait_for(lambda: any(s["order_id"] == order_id for s in srv.state(SITE)["shipped"]),
                 timeout=30, what=f"{order_id} shipped")
    wait_for(lambda: here(page).startswith(LIST) and "已确认" in panel_text(page), timeout=60, what="the summary on the list")

    shipped = {s["order_id"]: s for s in srv.state(SITE)["shipped"]}
    assert set(shipped) == set(expected) == set(clicked)       # the ready orders, and only those
    for order_id, courier, number in packages:
        assert (shipped[order_id]["company_name"], shipped[order_id]["tracking_number"], shipped[order_id]["by"]) == (
            courier, number, "user")
    shipments = {s["order_id"]: s for s in helper.api("GET", f"/api/v1/shipments?site={SITE}").json()["shipments"]}
    for order_id, _, number in packages:
        assert shipments[order_id]["number"] == number
