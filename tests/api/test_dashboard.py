"""Issue #13: `GET /api/v1/dashboard` and the review pages show the right figures.

A seeded database is built through the real API (sales orders on two sites and three shops,
purchase orders placed at known times, numbers, conversions, fill results, trace alerts through
the fake Kuaidi100), with the fake clock. The expected figures are computed here, from the seed
alone, with the rules of the issue written out again (not by calling the helper's code); the
dashboard, every site and shop, the dashboard page and the filtered orders pages must all agree.
Then the alerts are moved through time: each fires after its hours and clears when its cause goes.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from helper.app import create_app
from tests.fakes.clock import Clock
from tests.fakes.providers import FakeKuaidi100

from .samples import person, purchase_order, sales_order
from .test_order_status import configure
from .test_review_pages import sign_in

NOW = datetime.fromisoformat("2026-11-25T10:00:00+08:00")          # the fake clock's start
OPTIONS = ["中通快递", "圆通速递", "韵达快递"]
SHOPS = [("pdd-seller", "杯具生活馆"), ("pdd-seller", "佳居日用百货店"), ("douyin-seller", "抖店小铺")]
KINDS = ["to_purchase", "purchased", "supplier_shipped", "ready", "review", "blocked", "filled", "uploaded",
         "delivered", "cancelled", "after_sale"]
OPEN = {"to_purchase", "purchased", "supplier_shipped", "ready", "review", "blocked", "filled"}
PAGE_STATUS = {"delivered": "已签收", "cancelled": "已取消", "after_sale": "退款中"}
DUE_SOON_H, LOST_H, UNLINKED_H, PDD_DEFAULT_H = 12, 48, 24, 48     # the defaults the issue names
OTHER_OPERATOR = {"X-Danhao-Operator": "%E5%B0%8F%E6%9D%8E"}       # 小李


@dataclass
class Sale:
    i: int
    site: str
    shop: str
    kind: str
    created: datetime
    ship_by: datetime | None
    by_page: bool = False                 # uploaded: shown shipped on the page (else confirmed by a fill)

    @property
    def order_id(self) -> str:
        return f"261120-{self.i:015d}" if self.site == "pdd-seller" else f"49800000000000{self.i:05d}"

    @property
    def buyer(self) -> dict:
        return person(f"买家{self.i}", f"138****{self.i:04d}", "浙江省", "杭州市", "西湖区", f"文三路{self.i}号")

    @property
    def due(self) -> datetime | None:
        if self.ship_by:
            return self.ship_by
        return self.created + timedelta(hours=PDD_DEFAULT_H) if self.site == "pdd-seller" else None


@dataclass
class Purchase:
    order_id: str
    sale: Sale | None
    number: str | None
    courier: str
    placed: datetime
    placed_on_page: bool                   # the page gave the time; else the helper first saw it then
    ship_to: dict = field(default_factory=dict)


def plan(rng: random.Random) -> tuple[list[Sale], list[Purchase]]:
    """Every kind in every shop (twice), at random times around now; purchase orders to match."""
    sales, purchases = [], []
    for i in range(66):
        site, shop = SHOPS[(i // 11) % 3]
        created = NOW - timedelta(minutes=rng.randrange(60, 100 * 60))
        ship_by = None if rng.random() < 0.5 else NOW + timedelta(minutes=rng.randrange(-30 * 60, 40 * 60))
        sale = Sale(i, site, shop, KINDS[i % 11], created, ship_by, by_page=(i // 11) % 2 == 1)
        sales.append(sale)
        if sale.kind == "to_purchase":
            continue
        has_number = sale.kind not in ("purchased", "cancelled", "after_sale")
        placed = min(created + timedelta(minutes=rng.randrange(0, 80 * 60)), NOW - timedelta(minutes=30))
        courier = "顺丰速运" if sale.kind == "blocked" else "圆通速递"
        number = (("SF" if courier == "顺丰速运" else "YT") + "".join(rng.choice("0123456789") for _ in range(13))
                  if has_number else None)
        ship_to = (person(f"买家{i}", f"138****{i:04d}", "黑龙江省", "哈尔滨市", "南岗区", "西大直街1号")
                   if sale.kind == "review" else sale.buyer)
        purchases.append(Purchase(f"39{i:017d}", sale, number, courier, placed, rng.random() < 0.5, ship_to))
    for k, hours in enumerate((60, 50, 48.5, 47, 10)):       # purchases linked to no sale, no number yet
        purchases.append(Purchase(f"38{k:017d}", None, None, "圆通速递", NOW - timedelta(hours=hours), k % 2 == 0,
                                  person(f"路人{k}", f"150****99{k:02d}", "江苏省", "南京市", "鼓楼区", "中山路1号")))
    purchases.append(Purchase("3800000000000000099", None, "YT1234567890123", "圆通速递", NOW - timedelta(hours=90),
                              True, person("路人9", "150****9999", "江苏省", "南京市", "鼓楼区", "中山路9号")))
    return sales, purchases


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(db_path, clock):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": clock})


@pytest.fixture
def k100():
    with FakeKuaidi100() as fake:
        yield fake


def seed(api, clock, db_path, k100) -> tuple[list[Sale], list[Purchase], dict]:
    sales, purchases = plan(random.Random(13))
    clock.t = (NOW - timedelta(hours=120)).timestamp()
    for sale in sales:
        order = sales_order(sale.order_id, shop=sale.shop, buyer=sale.buyer, created_at=iso(sale.created),
                            ship_by=iso(sale.ship_by) if sale.ship_by else None,
                            status="已发货，待收货" if sale.kind == "uploaded" and sale.by_page
                            else PAGE_STATUS.get(sale.kind, "待发货"))
        r = api.post("/api/v1/sales-orders", body={"site": sale.site, "orders": [order]},
                     headers=OTHER_OPERATOR if sale.i % 4 == 0 else {})
        assert ok(r)["rejected"] == []
    for p in sorted(purchases, key=lambda p: p.placed):
        clock.t = p.placed.timestamp()
        extra = {"created_at": iso(p.placed)} if p.placed_on_page else {}
        body = purchase_order(p.order_id, remark=f"PDD {p.sale.order_id}" if p.sale else "", ship_to=p.ship_to,
                              packages=[{"courier_text": p.courier, "tracking": p.number}] if p.number else [], **extra)
        counts = ok(api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [body]}))
        assert counts["match"]["matched"] == (1 if p.sale else 0), (p, counts)
    clock.t = NOW.timestamp()
    shipments = {}
    for site in ("pdd-seller", "douyin-seller"):
        ids = [s.order_id for s in sales if s.site == site and s.kind in ("ready", "review", "blocked", "filled")
               or s.site == site and s.kind == "uploaded" and not s.by_page]
        for shipment in ok(api.post("/api/v1/convert", body={"site": site, "order_ids": ids, "options": OPTIONS}))["shipments"]:
            shipments[shipment["order_id"]] = shipment
    for sale in sales:                    # the seed is what this test thinks it is
        want = {"ready": "ready", "filled": "ready", "uploaded": "ready", "review": "review", "blocked": "blocked"}
        if sale.order_id in shipments:
            assert shipments[sale.order_id]["status"] == want[sale.kind], (sale, shipments[sale.order_id]["checks"])
    for sale in sales:
        if sale.kind in ("filled", "uploaded") and sale.order_id in shipments:
            s = shipments[sale.order_id]
            ok(api.post("/api/v1/fill-results", body={"site": sale.site, "results": [{
                "shipment_id": s["shipment_id"], "order_id": sale.order_id, "result": "filled",
                "submitted": sale.kind == "uploaded"}]}))
    # Two confirmed parcels stall after their pickup scan (30 h without news): trace alerts.
    configure(api, db_path, k100)
    stalled = [s for s in sales if s.kind == "uploaded" and not s.by_page][:2]
    pickup = (NOW - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M:%S")
    for sale in stalled:
        s = shipments[sale.order_id]
        k100.add_trace(s["number"], "yuantong", [{"time": pickup, "context": "【义乌市】 快件已被 义乌北苑 揽收",
                                                  "areaName": "浙江,金华市", "status": "揽收"}], state="1")
        ok(api.post(f"/api/v1/shipments/{s['shipment_id']}/refresh"))
    return sales, purchases, shipments


def expected(sales: list[Sale], purchases: list[Purchase], alerts: list[dict], now: datetime,
             site=None, shop=None) -> dict:
    """The figures, from the seed, for everything or one site / shop."""
    def inside(s: Sale | None) -> bool:
        if s is None:
            return site is None and shop is None
        return (site is None or s.site == site) and (shop is None or s.shop == shop)

    mine = [s for s in sales if inside(s)]
    soon_until = now + timedelta(hours=DUE_SOON_H)
    overdue = [s for s in mine if s.kind in OPEN and s.due and s.due <= now]
    soon = [s for s in mine if s.kind in OPEN and s.due and now < s.due <= soon_until]
    lost_sales = [s for s in mine if s.kind == "to_purchase" and s.created <= now - timedelta(hours=UNLINKED_H)]
    lost_purchases = [p for p in purchases if inside(p.sale) and p.number is None
                      and p.placed <= now - timedelta(hours=LOST_H) and (p.sale is None or p.sale.kind in OPEN)]
    by_order = {(s.site, s.order_id): s for s in sales}
    trace = [a for a in alerts if (site is None or a["site"] == site)
             and (shop is None or by_order[(a["site"], a["order_id"])].shop == shop)]
    by_status = Counter(s.kind for s in mine)
    return {
        "orders": {"total": len(mine), "by_status": {k: by_status.get(k, 0) for k in KINDS}},
        "deadlines": {"due_soon": len(soon), "overdue": len(overdue)},
        "lost_numbers": {"purchases": len(lost_purchases), "sales": len(lost_sales),
                         "total": len(lost_purchases) + len(lost_sales)},
        "trace_alerts": len(trace),
        "alerts": {"total": len(lost_purchases) + len(lost_sales) + len(trace)},
        "_sets": {"overdue": {s.order_id for s in overdue}, "soon": {s.order_id for s in soon},
                  "unlinked": {s.order_id for s in lost_sales},
                  "no_number": {p.sale.order_id for p in lost_purchases if p.sale}},
    }


def shown(figures: dict) -> dict:
    return {k: figures[k] for k in ("orders", "deadlines", "lost_numbers", "trace_alerts", "alerts")}


def listed(client, query: str) -> set[str]:
    """The order ids an orders page lists for ``query``, every page of it."""
    ids, page = set(), 1
    while True:
        html = client.get(f"/orders?{query}&page={page}").get_data(as_text=True)
        ids |= set(re.findall(r'<tr data-order-id="([^"]+)"', html))
        if f"page={page + 1}" not in html:
            return ids
        page += 1


def test_the_dashboard_and_the_pages_show_the_seeds_figures(api, client, token, clock, db_path, k100):
    sales, purchases, _ = seed(api, clock, db_path, k100)
    alerts = ok(api.get("/api/v1/alerts"))["alerts"]
    assert len(alerts) >= 2                                  # the two stalled parcels
    want = expected(sales, purchases, alerts, NOW)
    # the seed reaches every figure, so that a wrong count cannot hide behind a zero
    assert all(want["deadlines"].values()) and all(want["lost_numbers"].values())
    assert all(want["orders"]["by_status"].values())
    got = ok(api.get("/api/v1/dashboard"))
    assert shown(got) == {k: v for k, v in want.items() if k != "_sets"}
    assert got["hours"] == {"due_soon_hours": DUE_SOON_H, "lost_number_hours": LOST_H, "unlinked_sale_hours": UNLINKED_H}

    # every site and every shop: what the popup asks for the page it is on
    for site, shop in [("pdd-seller", None), ("douyin-seller", None), *SHOPS]:
        query = f"site={site}" + (f"&shop={shop}" if shop else "")
        got = ok(api.get(f"/api/v1/dashboard?{query}"))
        mine = expected(sales, purchases, alerts, NOW, site, shop)
        assert shown(got) == {k: v for k, v in mine.items() if k != "_sets"}, query
        assert got["scope"] == {"site": site, "shop": shop}

    # the orders behind each figure, through the API and the orders page (filters and pages)
    sets = want["_sets"]
    for query, ids in (("due=overdue", sets["overdue"]), ("due=soon", sets["soon"]),
                       ("lost=unlinked", sets["unlinked"]), ("lost=no_number", sets["no_number"])):
        api_ids = {r["order_id"] for r in ok(api.get(f"/api/v1/dashboard/orders?{query}&limit=500"))["orders"]}
        assert api_ids == ids, query
    sign_in(client, token)
    for query, ids in (("due=overdue", sets["overdue"]), ("due=soon", sets["soon"]),
                       ("lost=unlinked", sets["unlinked"]), ("lost=no_number", sets["no_number"])):
        assert listed(client, query) == ids, query
    for kind in KINDS:
        assert listed(client, f"status={kind}") == {s.order_id for s in sales if s.kind == kind}, kind
    assert listed(client, "status=open") == {s.order_id for s in sales if s.kind in OPEN}
    for site, shop in SHOPS:
        assert listed(client, f"site={site}&shop={shop}") == {s.order_id for s in sales if s.shop == shop}
        assert listed(client, f"shop={shop}&due=overdue") == {
            s.order_id for s in sales if s.shop == shop and s.order_id in sets["overdue"]}
    assert listed(client, "site=douyin-seller") == {s.order_id for s in sales if s.site == "douyin-seller"}
    # operator: the orders whose history names that operator (as the event log records it)
    log = ok(api.get("/api/v1/events?limit=1000"))["events"]
    operators = {e["operator"] for e in log if e["operator"] and e["kind"].startswith(("sales_order.", "fill.", "shipment."))}
    assert operators
    for name in operators:
        by_log = {e["order_id"] for e in log if e["operator"] == name and e["site"] in ("pdd-seller", "douyin-seller")}
        assert listed(client, f"operator={name}") == by_log, name
    assert listed(client, "operator=nobody-at-all") == set()
    # the dashboard page: each card holds its figure and links to its orders
    html = client.get("/").get_data(as_text=True)

    def card(name, extra=""):
        m = re.search(rf'data-figure="{name}"{extra}[^>]*href="([^"]*)">.*?<span class="stat-value">(\d+)</span>', html, re.S)
        assert m, name
        return int(m.group(2)), m.group(1)

    assert card("overdue") == (want["deadlines"]["overdue"], "/orders?due=overdue")
    assert card("due_soon") == (want["deadlines"]["due_soon"], "/orders?due=soon")
    assert card("lost_sales") == (want["lost_numbers"]["sales"], "/orders?lost=unlinked")
    assert card("lost_purchases")[0] == want["lost_numbers"]["purchases"]
    assert card("trace_alerts")[0] == want["trace_alerts"]
    assert card("open")[0] == sum(1 for s in sales if s.kind in OPEN)
    for kind in KINDS:
        assert card("status", f' data-status="{kind}"') == (want["orders"]["by_status"][kind], f"/orders?status={kind}")
    lost_rows = set(re.findall(r'<tr data-purchase="([^"]+)"', html))
    assert lost_rows == {p.order_id for p in purchases if p.number is None and p.placed <= NOW - timedelta(hours=LOST_H)
                         and (p.sale is None or p.sale.kind in OPEN)}
    # the CSV follows the filters
    csv_rows = client.get("/orders.csv?due=overdue").get_data(as_text=True).strip().splitlines()
    assert len(csv_rows) - 1 == len(sets["overdue"])


def test_a_lost_number_fires_after_its_hours_and_clears_when_the_number_arrives(api, clock):
    sale = sales_order("261124-000000000000001", created_at=iso(NOW - timedelta(hours=1)))
    ok(api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sale]}))
    waiting = purchase_order("3900000000000000001", remark="PDD 261124-000000000000001", packages=[])
    ok(api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [waiting]}))   # seen now: placed now

    def lost():
        return ok(api.get("/api/v1/dashboard"))["lost_numbers"]

    clock.hours(LOST_H - 0.01)
    assert lost() == {"purchases": 0, "sales": 0, "total": 0}
    clock.hours(0.01)
    assert lost() == {"purchases": 1, "sales": 0, "total": 1}
    assert ok(api.get("/api/v1/dashboard"))["alerts"]["total"] == 1
    assert ok(api.get("/api/v1/dashboard?site=pdd-seller&shop=杯具生活馆"))["lost_numbers"]["purchases"] == 1
    assert ok(api.get("/api/v1/dashboard?site=pdd-seller&shop=别家"))["lost_numbers"]["purchases"] == 0
    # the window is a setting
    ok(api.put("/api/v1/settings", body={"lost_number_hours": "72"}))
    assert lost()["purchases"] == 0
    ok(api.put("/api/v1/settings", body={"lost_number_hours": None}))
    assert lost()["purchases"] == 1
    # the supplier's number arrives: gone, and the order moves on
    waiting["packages"] = [{"courier_text": "圆通速递", "tracking": "YT7512348820461"}]
    ok(api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [waiting]}))
    assert lost()["purchases"] == 0
    rows = ok(api.get("/api/v1/dashboard/orders?order_id=261124-000000000000001"))["orders"]
    assert rows[0]["order_status"] == "supplier_shipped"


def test_a_lost_number_also_clears_when_the_purchase_or_the_sale_is_done_with(api, clock):
    orders = [sales_order(f"261124-00000000000000{i}", buyer=person(f"买家{i}", f"138****000{i}", "浙江省", "杭州市",
                                                                   "西湖区", "x")) for i in (1, 2)]
    ok(api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": orders}))
    purchases = [purchase_order(f"390000000000000000{i}", remark=f"PDD 261124-00000000000000{i}", packages=[],
                                ship_to=orders[i - 1]["buyer"]) for i in (1, 2)]
    ok(api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": purchases}))
    clock.hours(LOST_H + 1)
    assert ok(api.get("/api/v1/dashboard"))["lost_numbers"]["purchases"] == 2
    purchases[0]["status"] = "交易关闭"                                # the supplier cancelled it
    ok(api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [purchases[0]]}))
    assert ok(api.get("/api/v1/dashboard"))["lost_numbers"]["purchases"] == 1
    orders[1]["status"] = "已发货，待收货"                               # shipped another way on the platform
    ok(api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [orders[1]]}))
    assert ok(api.get("/api/v1/dashboard"))["lost_numbers"]["purchases"] == 0


def test_an_unpurchased_sale_fires_after_its_hours_and_clears_when_a_purchase_is_linked(api, client, token, clock):
    paid = NOW
    orders = [sales_order(f"261124-00000000000000{i}", created_at=iso(paid),
                          buyer=person(f"买家{i}", f"138****000{i}", "浙江省", "杭州市", "西湖区", "x")) for i in (1, 2, 3)]
    orders[2]["status"] = "待付款"                                     # not paid: no clock runs
    ok(api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": orders}))

    def lost_sales():
        return ok(api.get("/api/v1/dashboard"))["lost_numbers"]["sales"]

    clock.hours(UNLINKED_H - 0.01)
    assert lost_sales() == 0
    clock.hours(0.01)
    assert lost_sales() == 2
    sign_in(client, token)
    assert listed(client, "lost=unlinked") == {"261124-000000000000001", "261124-000000000000002"}
    page = client.get("/orders/pdd-seller/261124-000000000000001").get_data(as_text=True)
    assert 'data-alert="unlinked"' in page and "单号丢失" in page
    # a purchase the matcher cannot place, linked by hand: the alert goes
    stray = purchase_order("3900000000000000001", remark="", packages=[],
                           ship_to=person("别人", "150****1234", "江苏省", "南京市", "鼓楼区", "y"))
    ok(api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [stray]}))
    assert lost_sales() == 2
    ok(api.post("/api/v1/links", body={"sales_site": "pdd-seller", "sales_order_id": "261124-000000000000001",
                                        "purchase_site": "alibaba-buyer", "purchase_order_id": "3900000000000000001"}))
    assert lost_sales() == 1
    assert 'data-alert="unlinked"' not in client.get("/orders/pdd-seller/261124-000000000000001").get_data(as_text=True)
    # the other one is cancelled by the buyer: gone too
    orders[1]["status"] = "已取消"
    ok(api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [orders[1]]}))
    assert lost_sales() == 0
    ok(api.put("/api/v1/settings", body={"unlinked_sale_hours": "1"}))
    assert lost_sales() == 0                                           # the unpaid one still has no clock


def test_deadline_views_move_with_the_clock_and_end_when_the_order_is_shipped(api, client, token, clock):
    order = sales_order("261124-000000000000001", ship_by=iso(NOW + timedelta(hours=20)))
    ok(api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [order]}))

    def deadlines():
        return ok(api.get("/api/v1/dashboard"))["deadlines"]

    assert deadlines() == {"due_soon": 0, "overdue": 0}
    clock.hours(7.99)
    assert deadlines() == {"due_soon": 0, "overdue": 0}
    clock.hours(0.01)                                                  # 12 h before the ship-by time
    assert deadlines() == {"due_soon": 1, "overdue": 0}
    ok(api.put("/api/v1/settings", body={"due_soon_hours": "6"}))
    assert deadlines() == {"due_soon": 0, "overdue": 0}
    clock.hours(12)
    assert deadlines() == {"due_soon": 0, "overdue": 1}
    sign_in(client, token)
    page = client.get("/orders/pdd-seller/261124-000000000000001").get_data(as_text=True)
    assert "已超时" in page and "平台页面上的承诺发货时间" in page
    order["status"] = "已发货，待收货"
    ok(api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [order]}))
    assert deadlines() == {"due_soon": 0, "overdue": 0}


def test_bad_parameters_are_json_errors_in_both_languages(api):
    for path, field_name in (("/api/v1/dashboard/orders?due=tomorrow", "due"),
                             ("/api/v1/dashboard/orders?lost=maybe", "lost"),
                             ("/api/v1/dashboard?shop=" + "店" * 201, "shop"),
                             ("/api/v1/dashboard/orders?limit=0", "limit")):
        r = api.get(path)
        assert r.status_code == 400, path
        error = r.get_json()["error"]
        assert error["code"] == "invalid_param" and error["details"]["field"] == field_name
        assert re.search(r"[\u4e00-\u9fff]", error["message"]) and re.search(r"[A-Za-z]{4}", error["message"])
