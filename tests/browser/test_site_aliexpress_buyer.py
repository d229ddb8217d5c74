"""AliExpress My orders (`aliexpress-buyer`, www.aliexpress.com + track.aliexpress.com) in real Chromium
with the real extension, on the replicas "2026" and "2026-changed" written by another session from the
public evidence (tests/fixtures/sites/aliexpress-buyer/2026/README.md). The list shows no ship-to and no
number: sync sends the list (every "View orders" batch), then the tab walks the shipped orders' own
"Track order" links and sends every number each tracking page shows, each as its own package with its
`kind` (tracking / last_mile / cainiao_order): a first-mile and a last-mile number are never one parcel here.
"""
from __future__ import annotations

import json

import pytest

from tests.support.browser import launch_chromium
from tests.support.extension import SEND, service_worker, wait_for, here
from tests.support.helper_server import HelperProcess
from tests.support.replica_server import SITES_DIR, ReplicaServer
from tests.support.replicas import aliexpress_buyer_2026 as rep

pytestmark = pytest.mark.browser

SITE = "aliexpress-buyer"
REPO = SITES_DIR.parents[2]
PATTERN = "https://*.aliexpress.com/*"
LIST = "https://www.aliexpress.com/p/order/index.html"
EXPECTED = json.loads((rep.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
ALL = [o for page in EXPECTED["pages"] for o in page]
SHIPPED = [o["order_id"] for o in ALL if "tracking" in EXPECTED["details"][o["order_id"]]]
PLAN = """async () => { const all = await chrome.storage.session.get(null);
  return Object.entries(all).filter(([k]) => k.startsWith('danhao.shipPlan.')).map(([, v]) => v); }"""


def tracking_of(oid: str) -> dict:
    return EXPECTED["details"][oid]["tracking"]["order"]


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


def open_page(world, url=LIST):
    _, srv, ctx, _, _ = world
    srv.reset(SITE)
    for p in ctx.pages:
        p.close()
    page = ctx.new_page()
    page.goto(url)
    return page


def send(world, msg):
    r = world[3].evaluate(SEND, [PATTERN, msg])
    assert r and r.get("ok"), r
    return r["data"]



def events(helper) -> list[dict]:
    return helper.api("GET", "/api/v1/events?limit=500").json()["events"]


def dom_view(order: dict) -> dict:
    """What a card shows: an order of several lines shows only their pictures (no items key)."""
    return {k: v for k, v in order.items() if not (k == "items" and len(v) > 1)}


def test_the_list_reads_every_batch_view_orders_appends(world):
    page = open_page(world)
    got = [send(world, {"type": "test:extract"})]
    assert got[0]["source"] == "reply"          # page 1: the data inlined in the page
    while send(world, {"type": "test:next-page"}):
        got.append(send(world, {"type": "test:extract"}))
    assert [g["orders"] for g in got] == EXPECTED["pages"]
    assert all(g["source"] == "reply" for g in got)   # later batches: the page's own order.list replies
    # The cards alone give the same orders (the page's data is read first when it covers the cards).
    dom = send(world, {"type": "test:extract-via", "source": "dom"})["orders"]
    assert dom == [dom_view(o) for o in EXPECTED["pages"][-1]]
    # No list payload carries keys the list does not show (they would overwrite a tracking page's).
    assert all(not ({"ship_to", "remark", "packages"} & set(o)) for g in got for o in g["orders"])
    assert send(world, {"type": "test:page-info"}) == {"current": len(EXPECTED["pages"]), "total": len(EXPECTED["pages"])}
    page.close()


def test_the_first_batch_read_from_the_cards_alone(world):
    page = open_page(world)
    dom = send(world, {"type": "test:extract-via", "source": "dom"})["orders"]
    assert dom == [dom_view(o) for o in EXPECTED["pages"][0]]
    # The batch holds an order of several lines: its card shows pictures only, so no items key.
    assert any("items" not in o for o in dom) and any("items" in o for o in dom)
    page.close()


@pytest.mark.parametrize("which", ["three numbers", "one S10 number", "two parcels"])
def test_a_tracking_page_gives_every_number_with_its_role(world, which):
    layout, srv, _, _, _ = world
    pick = {
        "three numbers": lambda o: {p["kind"] for p in tracking_of(o)["packages"]} == {"tracking", "last_mile", "cainiao_order"},
        "one S10 number": lambda o: len(tracking_of(o)["packages"]) == 1,
        "two parcels": lambda o: len(EXPECTED["details"][o]["detail"]["order"]["packages"]) == 2,
    }[which]
    oid = next(o for o in SHIPPED if pick(o))
    want = tracking_of(oid)
    page = open_page(world, EXPECTED["details"][oid]["tracking"]["url"])
    dom = send(world, {"type": "test:extract-via", "source": "dom"})
    assert dom["orders"] == [want]
    via_json = send(world, {"type": "test:extract-via", "source": "reply"})
    if layout == "2026":
        assert via_json["orders"] == [want] and via_json["problem"] is None
    else:
        # track-json-renamed: reading the JSON alone, no known number field → reported, no package.
        assert via_json["orders"] is None and via_json["problem"].startswith("页面已改版")
    got = send(world, {"type": "test:extract"})
    assert got["orders"] == [want]
    if layout == "2026":
        assert got["notes"] == [] and got["source"] == "reply"
    else:
        assert len(got["notes"]) == 1 and "logisticsNo" in got["notes"][0] and got["source"] == "dom"
    assert srv.state(SITE)["trackViews"] == [oid]
    page.close()


def test_sync_sends_the_list_then_walks_the_shipped_orders_tracking_pages(world):
    layout, srv, _, sw, helper = world
    page = open_page(world)
    answer = send(world, {"type": "popup:sync", "allPages": True})
    assert answer["orders"] == len(ALL) and answer["pages"] == len(EXPECTED["pages"])
    assert answer["details"]["planned"] == len(SHIPPED) and answer["details"]["unreachable"] == 0
    wait_for(lambda: srv.state(SITE)["trackViews"], timeout=30, what="the first tracking page")
    wait_for(lambda: not sw.evaluate(PLAN) and here(page).startswith(LIST), timeout=300, what="the walk back on the list")
    # Only the shipped orders' tracking pages were opened, each once, in list order; the list itself
    # was read from the page (page 1 inlined) and its own order.list requests, none of Danhao's.
    assert srv.state(SITE)["trackViews"] == SHIPPED
    assert srv.state(SITE)["detailRequests"] == []
    assert send(world, {"type": "test:page-info"})["current"] == 1
    for o in ALL:
        got = helper.api("GET", f"/api/v1/purchase-orders/{SITE}/{o['order_id']}").json()
        want = {**o, **tracking_of(o["order_id"])} if o["order_id"] in SHIPPED else dict(o)
        for k, v in want.items():
            assert got.get(k) == v, (o["order_id"], k, got.get(k))
        if o["order_id"] not in SHIPPED:
            assert not got.get("packages")
    kinds = [e["kind"] for e in events(helper) if e.get("site") in (None, SITE)]
    assert "page.changed" not in kinds
    if layout == "2026":
        assert "page.reply_changed" not in kinds
    else:
        # track-json-renamed is reported (once per tracking page), the rows on the page were read.
        assert kinds.count("page.reply_changed") >= len(SHIPPED)
    page.close()


def test_a_second_sync_opens_no_tracking_page_whose_numbers_the_helper_holds(world):
    _, srv, _, sw, _ = world
    page = open_page(world)
    answer = send(world, {"type": "popup:sync", "allPages": True})
    assert answer["details"] == {"planned": 0, "unreachable": 0, "known": len(SHIPPED)}
    wait_for(lambda: here(page).startswith(LIST) and not sw.evaluate(PLAN), timeout=30, what="no walk")
    assert srv.state(SITE)["trackViews"] == []
    page.close()


def test_whole_flow_the_sale_gets_the_suppliers_number(world, tmp_path):
    """A 抖店 sale fulfilled by a shipped AliExpress purchase, in a helper of its own: the supplier sync
    (list + walk through the tracking pages) stores the purchase's number; the seller links the purchase
    to the sale (AliExpress shows no remark and the tracking page no ship-to Danhao sends), and
    converting the sale gives the number only the tracking page showed."""
    layout, srv, _, sw, first = world
    helper = HelperProcess(tmp_path / "flow.db").start()
    try:
        sw.evaluate("async ([url, token]) => globalThis.danhao.settings.set({helperUrl: url, token})", [helper.url, helper.token])
        oid = next(o for o in SHIPPED if len(tracking_of(o)["packages"]) == 1)
        number = tracking_of(oid)["packages"][0]["tracking"]
        order = next(o for o in ALL if o["order_id"] == oid)
        sale = "6937" + oid[-15:]
        r = helper.api("POST", "/api/v1/sales-orders", json={"site": "douyin-seller", "orders": [{
            "order_id": sale, "status": "待发货",
            "items": [{"title": order["items"][0]["title"], "quantity": order["items"][0]["quantity"], "price": "30.00"}]}]})
        assert r.status_code == 200, r.text
        page = open_page(world)
        send(world, {"type": "popup:sync", "allPages": True})
        wait_for(lambda: not sw.evaluate(PLAN) and here(page).startswith(LIST) and srv.state(SITE)["trackViews"],
                 timeout=300, what="the walk back on the list")
        r = helper.api("POST", "/api/v1/links", json={"sales_site": "douyin-seller", "sales_order_id": sale,
                                                      "purchase_site": SITE, "purchase_order_id": oid})
        assert r.status_code == 200, r.text
        conv = helper.api("POST", "/api/v1/convert", json={"site": "douyin-seller", "order_ids": [sale]}).json()
        assert [s.get("number") for s in conv["shipments"]] == [number]
        page.close()
    finally:
        sw.evaluate("async ([url, token]) => globalThis.danhao.settings.set({helperUrl: url, token})", [first.url, first.token])
        helper.stop()
