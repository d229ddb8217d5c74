"""Issue #13: each sales order's one derived status, recomputed by every write that feeds it.

Real app, real SQLite file, the fake clock moved by hand; data goes in through the API the way
the extension sends it. The status is read back through `GET /api/v1/dashboard/orders` and the
order's review page, and the expected values are written out here from what each step did.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from helper.app import create_app
from tests.fakes.clock import Clock
from tests.fakes.providers import FakeKuaidi100

from .samples import person, purchase_order, sales_order
from .test_review_pages import sign_in

SALE = "261124-000000000000001"
OTHER = "261124-000000000000002"
PURCHASE = "3900000000000000001"
NUMBER = "YT7512348820461"
OPTIONS = ["中通快递", "圆通速递", "韵达快递"]
UTC = timezone.utc
FIXTURE = Path(__file__).resolve().parents[1] / "robustness" / "fixtures" / "schema-m003.db"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(db_path, clock):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": clock})


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def standing(api, order_id, site="pdd-seller"):
    rows = ok(api.get(f"/api/v1/dashboard/orders?order_id={order_id}&site={site}"))["orders"]
    assert len(rows) == 1, rows
    return rows[0]


def state(api, order_id, site="pdd-seller"):
    return standing(api, order_id, site)["order_status"]


def utc(text):
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()


def now_utc(clock):
    return datetime.fromtimestamp(clock(), UTC).isoformat()


def sync_sales(api, *orders, site="pdd-seller"):
    assert ok(api.post("/api/v1/sales-orders", body={"site": site, "orders": list(orders)}))["rejected"] == []


def sync_purchases(api, *orders, site="alibaba-buyer"):
    return ok(api.post("/api/v1/purchase-orders", body={"site": site, "orders": list(orders)}))


def convert(api, *order_ids, options=OPTIONS):
    return ok(api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": list(order_ids), "options": options}))


def fill(api, shipment, submitted):
    ok(api.post("/api/v1/fill-results", body={"site": "pdd-seller", "results": [{
        "shipment_id": shipment["shipment_id"], "order_id": shipment["order_id"], "result": "filled",
        "submitted": submitted}]}))


@pytest.fixture
def k100():
    with FakeKuaidi100() as fake:
        yield fake


def configure(api, db_path, k100):
    """A tracking provider, set as the person at the machine would (provider URLs are machine-only)."""
    from helper.cli import main

    res = CliRunner().invoke(main, ["config", "set", "kuaidi100_url", k100.url, "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    ok(api.put("/api/v1/settings", body={"kuaidi100_customer": k100.customer, "kuaidi100_key": k100.key}))


def test_one_order_walks_through_every_state_from_purchase_to_delivery(api, client, token, clock, db_path, k100):
    seen = []

    def step(expected):
        row = standing(api, SALE)
        assert row["order_status"] == expected, (seen, row)
        assert row["status_at"] == now_utc(clock)              # stamped when the status changed
        seen.append(expected)
        clock.hours(1)

    sync_sales(api, sales_order(SALE))
    step("to_purchase")
    sync_purchases(api, purchase_order(PURCHASE, remark=f"PDD {SALE}", packages=[]))        # ordered, no parcel yet
    step("purchased")
    sync_purchases(api, purchase_order(PURCHASE, remark=f"PDD {SALE}",
                                       packages=[{"courier_text": "圆通速递", "tracking": NUMBER}]))
    step("supplier_shipped")
    (shipment,) = convert(api, SALE)["shipments"]
    assert shipment["status"] == "ready"
    step("ready")
    fill(api, shipment, submitted=False)
    step("filled")
    fill(api, shipment, submitted=True)
    step("uploaded")

    # the courier's trace says delivered (a real refresh through the fake Kuaidi100)
    configure(api, db_path, k100)
    k100.add_trace(NUMBER, "yuantong", [
        {"time": "2026-11-25 09:00:00", "context": "【义乌市】 快件已被 义乌北苑 揽收", "areaName": "浙江,金华市", "status": "揽收"},
        {"time": "2026-11-26 12:00:00", "context": "【杭州市西湖区】 您的快件已签收，签收人：本人", "areaName": "浙江,杭州市", "status": "签收"},
    ], state="3")
    ok(api.post(f"/api/v1/shipments/{shipment['shipment_id']}/refresh"))
    step("delivered")
    assert seen == ["to_purchase", "purchased", "supplier_shipped", "ready", "filled", "uploaded", "delivered"]

    # a status that did not change keeps its time; the order page says the same in words
    unchanged = standing(api, SALE)["status_at"]
    sync_sales(api, sales_order(SALE, remark="再同步一次"))
    assert standing(api, SALE)["status_at"] == unchanged
    sign_in(client, token)
    html = client.get(f"/orders/pdd-seller/{SALE}").get_data(as_text=True)
    assert re.search(r'id="standing" data-state="delivered"', html) and "已签收" in html


def test_review_and_blocked_come_from_the_shipments_that_carry_a_number(api):
    away = person("王五", "137****2222", "北京市", "北京市", "朝阳区", "建国路88号")
    sync_sales(api, sales_order(SALE), sales_order(OTHER), sales_order("261124-000000000000003"))
    sync_purchases(
        api,
        purchase_order("3900000000000000001", remark=f"PDD {SALE}", ship_to=away,                 # another address
                       packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}]),
        purchase_order("3900000000000000002", remark=f"PDD {OTHER}",                               # courier not on the form
                       packages=[{"courier_text": "申通快递", "tracking": "773012345678901"}]),
        purchase_order("3900000000000000003", remark="PDD 261124-000000000000003", packages=[]))  # no number yet
    shipments = {s["order_id"]: s for s in convert(api, SALE, OTHER, "261124-000000000000003")["shipments"]}
    assert shipments[SALE]["status"] == "review" and shipments[OTHER]["status"] == "blocked"
    assert shipments["261124-000000000000003"]["status"] == "blocked" and not shipments["261124-000000000000003"]["number"]
    assert state(api, SALE) == "review"
    assert state(api, OTHER) == "blocked"
    # a shipment without a number only says the supplier has not given one: still 已采购
    assert state(api, "261124-000000000000003") == "purchased"


@pytest.mark.parametrize(("page", "extra", "expected"), [
    ("已发货，待收货", {}, "uploaded"),
    ("已发货", {"shipped_number": NUMBER}, "uploaded"),
    ("待发货", {"shipped_number": NUMBER}, "uploaded"),
    ("已签收", {}, "delivered"),
    ("交易成功", {}, "delivered"),
    ("已取消", {}, "cancelled"),
    ("交易关闭", {}, "cancelled"),
    ("未发货，退款成功", {}, "cancelled"),
    ("已发货，退款成功", {}, "after_sale"),
    ("售后中", {}, "after_sale"),
    ("退款中", {}, "after_sale"),
    ("待发货", {"after_sales_status": 1}, "after_sale"),
    ("待发货", {"after_sales_status": 0}, "to_purchase"),
    ("待付款", {}, "to_purchase"),
])
def test_the_pages_own_status_text_and_after_sale_info(api, page, extra, expected):
    sync_sales(api, sales_order(SALE, status=page, **extra))
    assert state(api, SALE) == expected


def test_a_status_goes_back_when_its_cause_does(api):
    sync_sales(api, sales_order(SALE), sales_order(OTHER, buyer=person("李四", "139****1111", "广东省", "深圳市", "南山区", "x")))
    sync_purchases(api, purchase_order(PURCHASE, remark=f"PDD {SALE}",
                                       packages=[{"courier_text": "圆通速递", "tracking": NUMBER}]))
    assert (state(api, SALE), state(api, OTHER)) == ("supplier_shipped", "to_purchase")
    # linked by hand to the other order: both orders move, in the same request
    ok(api.post("/api/v1/links", body={"sales_site": "pdd-seller", "sales_order_id": OTHER,
                                        "purchase_site": "alibaba-buyer", "purchase_order_id": PURCHASE}))
    assert (state(api, SALE), state(api, OTHER)) == ("to_purchase", "supplier_shipped")
    # the supplier cancels: no live purchase any more
    sync_purchases(api, purchase_order(PURCHASE, remark=f"PDD {SALE}", status="交易关闭",
                                       packages=[{"courier_text": "圆通速递", "tracking": NUMBER}]))
    assert state(api, OTHER) == "to_purchase"
    # the seller cancels the sale, then it comes back (a mistaken sync): derived again each time
    sync_sales(api, sales_order(OTHER, status="已取消", buyer=person("李四", "139****1111", "广东省", "深圳市", "南山区", "x")))
    assert state(api, OTHER) == "cancelled"
    sync_sales(api, sales_order(OTHER, buyer=person("李四", "139****1111", "广东省", "深圳市", "南山区", "x")))
    assert state(api, OTHER) == "to_purchase"


def test_ship_by_comes_from_the_page_else_the_platforms_default(api):
    sync_sales(api, sales_order(SALE, ship_by="2026-11-26T10:31:00+08:00"))
    sync_sales(api, sales_order(OTHER, ship_by=None, created_at="2026-11-24T09:00:00+08:00"))
    sync_sales(api, sales_order("261124-000000000000003", ship_by=None, created_at="2026-11-24T09:00:00+08:00",
                                paid_at="2026-11-24T11:30:00+08:00"))
    sync_sales(api, sales_order("261124-000000000000004", ship_by=None, created_at=None))
    sync_sales(api, sales_order("261124-000000000000005", ship_by=None, status="待付款"))
    sync_sales(api, sales_order("4981234567890123456", ship_by=None), site="douyin-seller")
    page = standing(api, SALE)
    assert (page["due_at"], page["due_source"]) == (utc("2026-11-26T10:31:00+08:00"), "page")
    # 拼多多 without a ship-by on the page: 48 h after payment, else after the order time
    assert (standing(api, OTHER)["due_at"], standing(api, OTHER)["due_source"]) == (utc("2026-11-26T09:00:00+08:00"), "default")
    assert standing(api, "261124-000000000000003")["due_at"] == utc("2026-11-26T11:30:00+08:00")
    assert standing(api, "261124-000000000000003")["paid_at"] == utc("2026-11-24T11:30:00+08:00")
    # no payment time on the page: no deadline is invented from when the helper saw the order
    assert standing(api, "261124-000000000000004")["due_at"] is None
    unpaid = standing(api, "261124-000000000000005")
    assert unpaid["due_at"] is None and unpaid["paid_at"] is None
    # no default known for 抖店: only the page's own time
    assert standing(api, "4981234567890123456", site="douyin-seller")["due_at"] is None


def test_an_old_database_gets_every_status_when_it_migrates(tmp_path):
    """m004 fills in the statuses of orders stored before it (the m001–m003 fixture)."""
    path = tmp_path / "danhao.db"
    shutil.copyfile(FIXTURE, path)
    create_app({"DB_PATH": str(path), "TESTING": True})
    conn = sqlite3.connect(path)
    try:
        rows = {r[0]: r[1:] for r in conn.execute(
            "SELECT order_id, order_status, due_at, due_source, paid_at, status_at FROM sales_orders")}
        purchases = conn.execute("SELECT placed_at, awaiting_number_since FROM purchase_orders").fetchall()
    finally:
        conn.close()
    assert len(rows) == 4
    # the fixture confirmed the first order's shipment; every other order has a ready or held shipment
    assert rows["261124-500000000000001"][0] == "uploaded"
    assert all(rows[o][0] in ("ready", "review", "blocked") for o in rows if o != "261124-500000000000001")
    for status, due_at, source, paid_at, status_at in rows.values():
        assert (due_at, source) == (utc("2026-11-26T10:31:00+08:00"), "page")
        assert paid_at == utc("2026-11-24T10:31:00+08:00") and status_at
    assert len(purchases) == 4 and all(placed and waiting is None for placed, waiting in purchases)
