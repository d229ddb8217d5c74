"""淘宝 已买到的宝贝 (`taobao-buyer`, buyertrade.taobao.com) in real Chromium with the real extension,
on the replicas "2026" and "2026-changed" written by another session from the public evidence
(tests/fixtures/sites/taobao-buyer/2026/README.md). The list shows no receiver, message, courier or
number: sync sends the list (every page), then the tab walks the shipped orders' own 订单详情 links
(through trade_item_detail.htm to trade.taobao.com's 交易详情) and sends what each shows.
"""
from __future__ import annotations

import json

import pytest

from tests.support.browser import launch_chromium
from tests.support.extension import SEND, service_worker, wait_for, here
from tests.support.helper_server import HelperProcess
from tests.support.replica_server import SITES_DIR, ReplicaServer
from tests.support.replicas import taobao_buyer_2026 as rep

pytestmark = pytest.mark.browser

SITE = "taobao-buyer"
REPO = SITES_DIR.parents[2]
PATTERN = "https://buyertrade.taobao.com/*"
LIST = "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm"
EXPECTED = json.loads((rep.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
ALL = [o for page in EXPECTED["pages"] for o in page]
SHIPPED = {"卖家已发货", "交易成功"}
PLAN = """async () => { const all = await chrome.storage.session.get(null);
  return Object.entries(all).filter(([k]) => k.startsWith('danhao.shipPlan.')).map(([, v]) => v); }"""


@pytest.fixture(scope="module", params=["2026", "2026-changed"])
def world(request, tmp_path_factory):
    srv = ReplicaServer([SITE], layouts={SITE: request.param}).start()
    ctx = launch_chromium(tmp_path_factory.mktemp("profile"), extension_dir=REPO,
                          resolver_rules=srv.host_resolver_rules())
    sw = service_worker(ctx)
    helper = HelperProcess(tmp_path_factory.mktemp("helper") / "danhao.db").start()
    sw.evaluate("""async ([url, token]) => {
        await globalThis.danhao.settings.set({helperUrl: url, token, operator: '小王', autoSubmit: false, autoSync: false});
    }""", [helper.url, helper.token])
    yield request.param, srv, ctx, sw, helper
    helper.stop()
    ctx.close()
    srv.stop()


def open_list(world):
    _, srv, ctx, _, _ = world
    srv.reset(SITE)
    for p in ctx.pages:
        p.close()
    page = ctx.new_page()
    page.goto(LIST)
    return page


def send(world, msg):
    r = world[3].evaluate(SEND, [PATTERN, msg])
    assert r and r.get("ok"), r
    return r["data"]



def events(helper) -> list[dict]:
    return helper.api("GET", "/api/v1/events?limit=500").json()["events"]


def test_the_list_reads_every_page_and_returns_to_the_first(world):
    page = open_list(world)
    got = [send(world, {"type": "test:extract"})]
    assert got[0]["source"] == "reply"
    while send(world, {"type": "test:next-page"}):
        got.append(send(world, {"type": "test:extract"}))
    assert [g["orders"] for g in got] == EXPECTED["pages"]
    # The page's text alone gives the same orders (the page's data is read first when it covers the rows).
    assert send(world, {"type": "test:extract-via", "source": "dom"})["orders"] == EXPECTED["pages"][-1]
    assert got[-1]["source"] == "reply"
    # No list payload carries keys the list does not show (they would overwrite a detail page's).
    assert all(not ({"ship_to", "remark", "packages"} & set(o)) for g in got for o in g["orders"])
    assert send(world, {"type": "test:page-info"}) == {"current": len(EXPECTED["pages"]), "total": len(EXPECTED["pages"])}
    page.close()


def test_sync_sends_the_list_then_walks_the_shipped_orders_detail_pages(world):
    layout, srv, _, sw, helper = world
    page = open_list(world)
    answer = send(world, {"type": "popup:sync", "allPages": True})
    assert answer["orders"] == len(ALL) and answer["pages"] == len(EXPECTED["pages"])
    shipped = [o["order_id"] for o in ALL if o["status"] in SHIPPED]
    assert answer["details"]["planned"] == len(shipped)
    wait_for(lambda: srv.state(SITE)["detailViews"], timeout=30, what="the first detail page")
    wait_for(lambda: not sw.evaluate(PLAN) and here(page).startswith(LIST), timeout=300, what="the walk back on the list")
    views = srv.state(SITE)["detailViews"]
    # The walk ends where the sync began: the list, on its first page.
    assert send(world, {"type": "test:page-info"})["current"] == 1
    # Only the shipped orders' pages were opened, each once, in list order (the changed pages too:
    # their JSON lost the number's field, their 物流信息 rows still show it).
    assert views == shipped
    for o in ALL:
        got = helper.api("GET", f"/api/v1/purchase-orders/{SITE}/{o['order_id']}").json()
        want = {**o, **EXPECTED["details"][o["order_id"]]["detail"]["order"]} if o["order_id"] in views else dict(o)
        for k, v in want.items():
            assert got.get(k) == v, (o["order_id"], k)
    kinds = [e["kind"] for e in events(helper) if e.get("site") in (None, SITE)]
    assert "page.changed" not in kinds
    if layout == "2026":
        assert "page.reply_changed" not in kinds
    else:
        assert "page.reply_changed" in kinds
    page.close()


def test_a_second_sync_opens_no_page_whose_number_the_helper_holds(world):
    _, srv, _, _, _ = world
    page = open_list(world)
    answer = send(world, {"type": "popup:sync", "allPages": True})
    # Shipped without a number (无需物流): visited again, the others are known to the helper.
    shipped = [o["order_id"] for o in ALL if o["status"] in SHIPPED]
    without = [i for i in shipped if not EXPECTED["details"][i]["detail"]["order"]["packages"]]
    assert answer["details"]["known"] == len(shipped) - len(without)
    assert answer["details"]["planned"] == len(without)
    wait_for(lambda: not world[3].evaluate(PLAN) and here(page).startswith(LIST) and srv.state(SITE)["detailViews"] == without,
             timeout=120, what="the short walk back on the list")
    page.close()


def test_whole_flow_the_sale_gets_the_suppliers_number(world, tmp_path):
    """A 抖店 sale named in a shipped 淘宝 purchase's buyer message, in a helper of its own:
    the supplier sync (list + walk through the detail pages) links the purchase, and converting the
    sale gives the number only the detail page showed."""
    layout, srv, _, sw, first = world
    helper = HelperProcess(tmp_path / "flow.db").start()
    try:
        sw.evaluate("async ([url, token]) => globalThis.danhao.settings.set({helperUrl: url, token})", [helper.url, helper.token])
        # A purchase whose buyer message names the sale (as dropshippers write it: "抖音 <order id>").
        oid, sale = next((o["order_id"], EXPECTED["details"][o["order_id"]]["detail"]["order"]["remark"].split()[-1]) for o in ALL
                         if o["status"] == "卖家已发货" and EXPECTED["details"][o["order_id"]]["detail"]["order"]["remark"].startswith("抖音 ")
                         and EXPECTED["details"][o["order_id"]]["detail"]["order"]["packages"])
        det = EXPECTED["details"][oid]["detail"]["order"]
        r = helper.api("POST", "/api/v1/sales-orders", json={"site": "douyin-seller", "orders": [{
            "order_id": sale, "status": "待发货",
            "items": [{"title": det["items"][0]["title"], "quantity": det["items"][0]["quantity"], "price": "30.00"}]}]})
        assert r.status_code == 200, r.text
        page = open_list(world)
        send(world, {"type": "popup:sync", "allPages": True})
        wait_for(lambda: not sw.evaluate(PLAN) and here(page).startswith(LIST) and srv.state(SITE)["detailViews"],
                 timeout=300, what="the walk back on the list")
        conv = helper.api("POST", "/api/v1/convert", json={"site": "douyin-seller", "order_ids": [sale]}).json()
        numbers = [s.get("number") for s in conv["shipments"]]
        assert numbers == [det["packages"][0]["tracking"]]
        page.close()
    finally:
        sw.evaluate("async ([url, token]) => globalThis.danhao.settings.set({helperUrl: url, token})", [first.url, first.token])
        helper.stop()
