"""Issue #13, 法律法规: buyer names, phones and street addresses are masked in place once an
order is `retention_days` past its delivery (or, with no delivery known, past its last update
and ship-by time); orders, numbers and money stay; dry runs change nothing; a second run changes
nothing; the helper runs it itself once a day; events never hold clear buyer data.

Real app, real SQLite file, the fake Kuaidi100 for a real delivered trace, and the fake clock
(tests/fakes/clock.py) moved by hand to the second a retention falls due.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import datetime

import pytest

from helper.app import create_app
from helper.retention import RetentionRunner, purge
from helper.store import connect
from tests.fakes.clock import Clock
from tests.fakes.providers import FakeKuaidi100
from tests.robustness.support import assert_json_error
from tests.support.replica_data import expected_extract

from .samples import person, purchase_order, sales_order

NUMBER = "YT7512348820461"
S1, P1 = "261124-740859411842785", "3643748111487262648"
S2, P3 = "261124-000000000000002", "3900000000000000003"
BUYER = person("欧阳娜娜", "13912345678", "广东省", "深圳市", "南山区", "科苑路15号讯美科技广场2栋")
OTHER = person("司马光", "13700002222", "浙江省", "杭州市", "西湖区", "人民路8号3单元502")
LONE = person("诸葛亮", "13600003333", "四川省", "成都市", "武侯区", "解放路99号二楼")
CLEAR = ["欧阳娜娜", "13912345678", "科苑路15号讯美科技广场2栋", "讯美科技广场"]
TRACE = [
    {"time": "2026-11-25 09:00:00", "context": "【深圳市】 快件已被 深圳科技园 揽收", "areaName": "广东,深圳市", "status": "揽收"},
    {"time": "2026-11-27 09:00:00", "context": "【深圳市南山区】 快件派送至 科苑路15号讯美科技广场2栋", "areaName": "广东,深圳市",
     "status": "派件"},
    {"time": "2026-11-27 12:00:00", "context": "【深圳市南山区】 您的快件已签收，签收人：欧阳娜娜", "areaName": "广东,深圳市",
     "status": "签收"},
]


def at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.fixture
def clock():
    return Clock("2026-11-25T10:00:00+08:00")


@pytest.fixture
def app(db_path, clock):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": clock})


@pytest.fixture
def world(api, db_path, clock):
    """S1 delivered (trace: 2026-11-27 12:00) with its purchase P1, S2 never shipped (ship-by
    2026-11-26 10:31), P3 a purchase linked to nothing; retention_days = 30."""
    from click.testing import CliRunner

    from helper.cli import main

    with FakeKuaidi100() as k100:
        assert CliRunner().invoke(main, ["config", "set", "kuaidi100_url", k100.url, "--db", str(db_path)]).exit_code == 0
        assert api.put("/api/v1/settings", body={"kuaidi100_customer": k100.customer, "kuaidi100_key": k100.key,
                                                 "retention_days": "30"}).status_code == 200
        k100.add_trace(NUMBER, "yuantong", TRACE, state="3")
        api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [
            sales_order(S1, buyer=BUYER, remark="放门卫，电话13912345678"),
            sales_order(S2, buyer=OTHER, amount="29.90")]})
        api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [
            purchase_order(P1, remark=f"PDD {S1} 欧阳娜娜", ship_to=BUYER,
                           packages=[{"courier_text": "圆通速递", "tracking": NUMBER}]),
            purchase_order(P3, remark="", ship_to=LONE, packages=[])]})
        r = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": [S1],
                                              "options": ["圆通速递", "中通快递"]})
        (shipment,) = r.get_json()["shipments"]
        api.post("/api/v1/fill-results", body={"site": "pdd-seller", "results": [{
            "shipment_id": shipment["shipment_id"], "order_id": S1, "result": "filled", "submitted": True}]})
        clock.hours(1)
        assert api.post(f"/api/v1/shipments/{shipment['shipment_id']}/refresh").status_code == 200
    found = rows(db_path, "SELECT trace_status, number FROM shipments")
    assert found == [{"trace_status": "delivered", "number": NUMBER}]
    assert rows(db_path, "SELECT sales_order_id FROM purchase_orders WHERE order_id = ?", [P1])[0]["sales_order_id"] == S1
    assert rows(db_path, "SELECT sales_order_id FROM purchase_orders WHERE order_id = ?", [P3])[0]["sales_order_id"] is None
    return shipment


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def everything(db_path) -> dict[str, list]:
    """Every row of every table (new tables included)."""
    conn = sqlite3.connect(str(db_path))
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(map(tuple, conn.execute(f"SELECT * FROM {n}")), key=repr) for n in names}
    finally:
        conn.close()


def where_found(db_path, strings) -> set[tuple[str, str]]:
    """(table, string) for every clear string still stored somewhere."""
    found = set()
    for table, table_rows in everything(db_path).items():
        text = json.dumps(table_rows, ensure_ascii=False)
        found |= {(table, s) for s in strings if s in text}
    return found


def run(db_path, when: str, **kw) -> dict:
    db = connect(db_path)
    try:
        result = purge(db, now=at(when), **kw)
    finally:
        db.conn.close()
    return {k: v for k, v in result.items() if k in ("sales_orders", "purchase_orders", "shipments", "events")}


def masked(db_path) -> dict[str, bool]:
    out = {r["order_id"]: r["masked_at"] is not None for r in rows(db_path, "SELECT order_id, masked_at FROM sales_orders")}
    out |= {r["order_id"]: r["masked_at"] is not None for r in rows(db_path, "SELECT order_id, masked_at FROM purchase_orders")}
    return out


def test_each_order_is_masked_at_the_second_its_retention_falls_due(world, db_path):
    # P3 (no link): last update 2026-11-25 10:00 + 30 days.
    assert run(db_path, "2026-12-25T09:59:59+08:00")["purchase_orders"] == 0
    assert masked(db_path) == {S1: False, S2: False, P1: False, P3: False}
    assert run(db_path, "2026-12-25T10:00:00+08:00")["purchase_orders"] == 1
    assert masked(db_path) == {S1: False, S2: False, P1: False, P3: True}
    # S2 (never shipped): the later of its last update and its ship-by time, 2026-11-26 10:31, + 30 days.
    assert run(db_path, "2026-12-26T10:30:59+08:00")["sales_orders"] == 0
    assert run(db_path, "2026-12-26T10:31:00+08:00")["sales_orders"] == 1
    assert masked(db_path) == {S1: False, S2: True, P1: False, P3: True}
    # S1: delivered 2026-11-27 12:00 (its trace), + 30 days — although its last update is older.
    assert run(db_path, "2026-12-27T11:59:59+08:00") == {"sales_orders": 0, "purchase_orders": 0, "shipments": 0, "events": 0}
    done = run(db_path, "2026-12-27T12:00:00+08:00")
    assert done["sales_orders"] == 1 and done["purchase_orders"] == 1 and done["shipments"] == 1
    assert masked(db_path) == {S1: True, S2: True, P1: True, P3: True}


def test_masking_keeps_the_order_its_numbers_and_its_money(world, db_path):
    keep = {
        "sales_orders": "SELECT site, order_id, shop, status, created_at, ship_by, phone_tail, province, city, district, "
                        "amount, url, first_seen, updated_at FROM sales_orders ORDER BY id",
        "purchase_orders": "SELECT site, order_id, supplier, status, phone_tail, province, sales_site, sales_order_id, "
                           "match_method, first_seen, updated_at FROM purchase_orders ORDER BY id",
        "numbers": "SELECT * FROM purchase_numbers ORDER BY number",
        "shipments": "SELECT shipment_id, number, courier_id, status, fill_result, submitted, uploaded_at, updated_at, "
                     "trace_status FROM shipments",
        "fills": "SELECT shipment_id, order_id, result, submitted, operator, at FROM fill_results",
        "links": "SELECT * FROM links",
    }
    before = {k: rows(db_path, sql) for k, sql in keep.items()}
    data_before = {r["order_id"]: json.loads(r["data"]) for r in rows(db_path, "SELECT order_id, data FROM sales_orders")}
    po_before = {r["order_id"]: json.loads(r["data"]) for r in rows(db_path, "SELECT order_id, data FROM purchase_orders")}
    run(db_path, "2027-06-01T00:00:00+08:00")
    assert {k: rows(db_path, sql) for k, sql in keep.items()} == before
    s1 = rows(db_path, "SELECT buyer_name, buyer_phone, remark, data FROM sales_orders WHERE order_id = ?", [S1])[0]
    assert (s1["buyer_name"], s1["buyer_phone"], s1["remark"]) == ("欧***", "139****5678", "放门卫，电话139****5678")
    data = json.loads(s1["data"])
    assert data["buyer"] == {"name": "欧***", "phone": "139****5678", "address": {
        "province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科苑***"}}
    for key in ("order_id", "amount", "items", "created_at", "ship_by", "shop", "status", "url"):
        assert data[key] == data_before[S1][key], key
    p1 = json.loads(rows(db_path, "SELECT data FROM purchase_orders WHERE order_id = ?", [P1])[0]["data"])
    assert p1["packages"] == po_before[P1]["packages"] == [{"courier_text": "圆通速递", "tracking": NUMBER}]
    assert p1["items"] == po_before[P1]["items"] and p1["remark"] == f"PDD {S1} 欧***"
    assert p1["ship_to"]["name"] == "欧***" and p1["ship_to"]["address"]["detail"] == "科苑***"
    trace = json.loads(rows(db_path, "SELECT trace FROM shipments")[0]["trace"])
    assert trace["number"] == NUMBER and trace["status"] == "delivered"
    assert [e["time"] for e in trace["events"]] == ["2026-11-25T09:00:00+08:00", "2026-11-27T09:00:00+08:00",
                                                    "2026-11-27T12:00:00+08:00"]


def test_after_masking_no_clear_buyer_string_is_left_anywhere(world, db_path):
    assert {t for t, _ in where_found(db_path, CLEAR)} >= {"sales_orders", "purchase_orders", "shipments"}
    run(db_path, "2027-06-01T00:00:00+08:00")
    everyone = CLEAR + ["司马光", "13700002222", "人民路8号3单元502", "诸葛亮", "13600003333", "解放路99号二楼"]
    assert where_found(db_path, everyone) == set()


def test_a_dry_run_counts_the_same_and_changes_nothing(world, db_path):
    before = everything(db_path)
    dry = run(db_path, "2027-06-01T00:00:00+08:00", dry_run=True)
    assert everything(db_path) == before
    assert dry["sales_orders"] == 2 and dry["purchase_orders"] == 2
    assert run(db_path, "2027-06-01T00:00:00+08:00") == dry


def test_running_twice_changes_nothing_the_second_time(world, db_path):
    first = run(db_path, "2027-06-01T00:00:00+08:00")
    assert first["sales_orders"] == 2
    after = everything(db_path)
    again = run(db_path, "2027-06-02T00:00:00+08:00")
    assert again == {"sales_orders": 0, "purchase_orders": 0, "shipments": 0, "events": 0}
    assert everything(db_path) == after                      # not even a retention event
    kinds = [r["data"] for r in rows(db_path, "SELECT data FROM events WHERE kind = 'retention.masked'")]
    assert len(kinds) == 1 and json.loads(kinds[0])["sales_orders"] == 2


def test_an_old_order_synced_again_with_its_buyer_data_is_masked_again(world, api, db_path, clock):
    run(db_path, "2027-06-01T00:00:00+08:00")
    clock.t = at("2027-06-02T09:00:00+08:00")
    r = api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [
        sales_order(S1, buyer=BUYER, remark="放门卫，电话13912345678")]})
    assert r.get_json()["updated"] == 1
    assert ("sales_orders", "欧阳娜娜") in where_found(db_path, CLEAR)
    # Not 30 days after this update: masked at once because it had been masked before.
    assert run(db_path, "2027-06-02T09:00:01+08:00")["sales_orders"] == 1
    assert where_found(db_path, CLEAR) == set()


def test_retention_days_is_a_checked_setting(api, db_path):
    for bad in ("0", "abc", "3651", "-5"):
        error = assert_json_error(api.put("/api/v1/settings", body={"retention_days": bad}), 400)
        assert error["details"]["field"] == "retention_days"
    assert api.put("/api/v1/settings", body={"retention_days": "180"}).status_code == 200
    db = connect(db_path)
    try:
        assert purge(db, dry_run=True)["days"] == 180
    finally:
        db.conn.close()


def test_the_helper_runs_it_at_start_and_again_a_day_later_by_its_clock(world, db_path):
    fake = Clock("2026-12-25T10:00:00+08:00")       # P3 is due, nothing else
    runner = RetentionRunner(str(db_path), clock=fake, tick_s=0.02)
    runner.start()
    try:
        deadline = time.time() + 10
        while not runner.results and time.time() < deadline:
            time.sleep(0.02)
        assert masked(db_path) == {S1: False, S2: False, P1: False, P3: True}
        time.sleep(0.2)
        assert len(runner.results) == 1                # ticks within the day do not run it again
        fake.hours(72)                                   # 2026-12-28: S1, S2 and P1 are due
        while len(runner.results) < 2 and time.time() < deadline:
            time.sleep(0.02)
        assert masked(db_path) == {S1: True, S2: True, P1: True, P3: True}
    finally:
        runner.stop()
        runner.join(5)
    assert not runner.is_alive()
    auto = rows(db_path, "SELECT operator, at FROM events WHERE kind = 'retention.masked' ORDER BY id")
    assert [e["operator"] for e in auto] == [None, None]
    assert [e["at"][:10] for e in auto] == ["2026-12-25", "2026-12-28"] or \
        [datetime.fromisoformat(e["at"]).timestamp() for e in auto] == [at("2026-12-25T10:00:00+08:00"),
                                                                           at("2026-12-28T10:00:00+08:00")]


# ------------------------------------------------------------------ events never hold clear buyer data

def _full_phone(masked_phone: str, i: int) -> str:
    """The seed shows phones as the platforms do (138****5821); a page may show them whole:
    a full number with the same first three and last four digits."""
    digits = re.sub(r"\D", "", masked_phone)
    return digits[:3] + f"{1000 + i:04d}"[-4:] + digits[-4:]


def test_events_never_hold_clear_buyer_data_after_a_realistic_flow(api, client, db_path, app):
    from helper import operators

    db = connect(db_path)
    try:
        _, li = operators.add(db, "小李")
    finally:
        db.conn.close()
    as_li = {"X-Danhao-Token": li}
    sales = [o for page in expected_extract("pdd-seller")["pages"] for o in page]
    purchases = [o for page in expected_extract("alibaba-buyer")["pages"] for o in page]
    people: list[dict] = []
    for i, o in enumerate(sales):
        o["buyer"]["phone"] = _full_phone(o["buyer"]["phone"], i)
        people.append(o["buyer"])
    for i, o in enumerate(purchases):
        o["ship_to"]["phone"] = _full_phone(o["ship_to"]["phone"], i)
        people.append(o["ship_to"])
    # Sync both sides, as two people, page by page.
    for start in range(0, len(sales), 10):
        assert api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": sales[start:start + 10]}).status_code == 200
    for start in range(0, len(purchases), 5):
        assert client.post("/api/v1/purchase-orders", json={"site": "alibaba-buyer", "orders": purchases[start:start + 5]},
                           headers=as_li).status_code == 200
    # Buyers change their minds: new address, new phone, a remark naming them; the seller puts the
    # buyer's name and phone in a purchase memo for the supplier.
    changed = []
    for i, o in enumerate(sales[:6]):
        o = json.loads(json.dumps(o))
        o["buyer"]["address"]["detail"] = o["buyer"]["address"]["detail"] + "（改地址）"
        o["buyer"]["phone"] = _full_phone(o["buyer"]["phone"], 50 + i)
        o["remark"] = f"收件人{o['buyer']['name']}，电话{o['buyer']['phone']}，放{o['buyer']['address']['detail']}"
        o["status"] = "已发货" if i % 2 else o["status"]
        people.append(o["buyer"])
        changed.append(o)
    assert api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": changed}).get_json()["updated"] == 6
    memo = []
    for o in purchases[:4]:
        o = json.loads(json.dumps(o))
        o["remark"] = f"{o['remark']} 代发 {o['ship_to']['name']} {o['ship_to']['phone']}"
        o["ship_to"]["name"] = o["ship_to"]["name"] + "收"
        people.append(o["ship_to"])
        memo.append(o)
    assert client.post("/api/v1/purchase-orders", json={"site": "alibaba-buyer", "orders": memo},
                       headers=as_li).get_json()["updated"] == 4
    # Convert everything, fill what is ready, report a failure and a page change, link one by hand.
    r = client.post("/api/v1/convert", json={"site": "pdd-seller", "order_ids": [o["order_id"] for o in sales]},
                    headers=as_li)
    assert r.status_code == 200
    shipments = r.get_json()["shipments"]
    assert shipments
    results = [{"shipment_id": s["shipment_id"], "order_id": s["order_id"], "result": "filled", "submitted": True,
                "number": s.get("number"), "option": "中通快递"} for s in shipments if s["status"] == "ready"]
    results.append({"shipment_id": shipments[0]["shipment_id"], "order_id": shipments[0]["order_id"],
                    "result": "failed", "submitted": False,
                    "reason": f"page_changed: 收件人 {people[0]['name']} {people[0]['phone']} 的发货弹窗没有运单号输入框"})
    assert api.post("/api/v1/fill-results", body={"site": "pdd-seller", "results": results}).status_code == 200
    assert api.post("/api/v1/page-reports", body={"site": "pdd-seller", "code": "page_changed",
                                                   "message": "页面已改版：找不到 运单号 输入框"}).status_code == 201
    unmatched = [r for r in rows(db_path, "SELECT order_id FROM purchase_orders WHERE sales_order_id IS NULL")]
    if unmatched:
        assert api.post("/api/v1/links", body={"sales_site": "pdd-seller", "sales_order_id": sales[-1]["order_id"],
                                                "purchase_site": "alibaba-buyer",
                                                "purchase_order_id": unmatched[0]["order_id"]}).status_code == 200

    stored = rows(db_path, "SELECT id, kind, operator, data FROM events")
    assert len(stored) > len(sales) + len(purchases)
    leaks = []
    for person_ in people:
        clear = [person_["name"], person_["phone"], person_["address"]["detail"][2:]]
        for e in stored:
            leaks += [(e["kind"], s) for s in clear if s and s in e["data"]]
    assert leaks == [], sorted(set(leaks))
    # The clear data is still where the seller needs it (the orders), so the scan looked at real strings.
    assert rows(db_path, "SELECT COUNT(*) AS n FROM sales_orders WHERE buyer_phone = ?", [sales[-1]["buyer"]["phone"]])[0]["n"] == 1
