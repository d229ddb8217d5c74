"""Suppliers, worst first (issue #13, "Money and suppliers").

A seeded database built through the real API on a fake clock: purchase orders of four suppliers
placed at known times, tracking numbers arriving at known hours, one number too late, one after
the sale's ship-by, one never, one order cancelled, exceptions made the real way (a ship-to that
differs from the buyer, a tracking field that holds no number, a parcel the (fake) Kuaidi100
shows returned, an uploaded parcel whose trace stalls so the refresher raises alerts). The test
works every figure out itself from what it did (with `fractions.Fraction`), then compares with
`GET /api/v1/suppliers`, the 供应商 page and its CSV. It also rebuilds the number times from the
event log (migration m005's backfill) and checks they are the same.
"""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
from datetime import datetime, timedelta
from fractions import Fraction

import pytest

from helper.app import create_app
from helper.store import connect, init_db
from helper.verify import Verifier, refresh_due
from tests.fakes.clock import Clock
from tests.fakes.providers import FakeKuaidi100

from .samples import person, purchase_order, sales_order

T0 = datetime.fromisoformat("2026-11-25T10:00:00+08:00")
FAR = "2026-12-31T10:00:00+08:00"
ELSEWHERE = person("李四", "139****1111", "广东省", "深圳市", "南山区", "科技园1栋")
PICKUP = {"time": "2026-11-25 09:00:00", "context": "【义乌市】 快件已被 义乌北苑 揽收", "areaName": "浙江,金华市", "status": "揽收"}
RETURNED = {"time": "2026-11-25 14:00:00", "context": "【义乌市】 快件已退回寄件人", "areaName": "浙江,金华市", "status": "退回"}
KINDS = ("address", "no_pickup", "stall", "returned", "number")


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


# Each purchase order: its supplier, when it is first synced (hours after T0), whether the page gives
# a 下单时间 (hours after T0), the number and when it first shows, its status, the sale's ship-by,
# and which exceptions the test makes happen to it.
P = {
    "F1": dict(supplier="快厂", synced=0, number=("73012345678901", 2)),
    "F2": dict(supplier="快厂", synced=0, number=("73012345678902", 4)),
    "F3": dict(supplier="快厂", synced=0, placed=-6, number=("73012345678903", 0)),
    "S1": dict(supplier="慢厂", synced=0, number=("73012345678911", 10)),
    "S2": dict(supplier="慢厂", synced=0, number=("73012345678912", 50)),
    "S3": dict(supplier="慢厂", synced=0),
    "S4": dict(supplier="慢厂", synced=55),
    "S5": dict(supplier="慢厂", synced=0, number=("73012345678915", 0)),
    "B1": dict(supplier="坏厂", synced=0, number=("73012345678921", 20), ship_by=10),
    "B2": dict(supplier="坏厂", synced=0, placed=-1, number=("73012345678922", 0), ship_to=ELSEWHERE,
               kinds={"address"}),
    "B3": dict(supplier="坏厂", synced=0, bad_number="12345", kinds={"number"}),
    "B4": dict(supplier="坏厂", synced=0, status="交易关闭"),
    "B5": dict(supplier="坏厂", synced=0, number=("73012345678925", 3), kinds={"returned"}),
    "B6": dict(supplier="坏厂", synced=0, number=("73012345678926", 1), kinds={"no_pickup", "stall"}),
    "U1": dict(supplier=None, synced=0, number=("73012345678931", 1)),
}
NOW = 60


PO_IDS = {k: f"3912000000000000{i:03d}" for i, k in enumerate(P)}
SALE_IDS = {k: f"261125-200000000000{i:03d}" for i, k in enumerate(P)}


@pytest.fixture
def clock():
    return Clock(iso(T0))


@pytest.fixture
def app(db_path, clock):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": clock})


@pytest.fixture
def k100():
    with FakeKuaidi100() as fake:
        yield fake


def ok(response):
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def purchase(key: str, with_number: bool) -> dict:
    p = P[key]
    packages = []
    if p.get("bad_number"):
        packages = [{"courier_text": "中通快递", "tracking": p["bad_number"]}]
    elif with_number and p.get("number"):
        packages = [{"courier_text": "中通快递", "tracking": p["number"][0]}]
    over = {"supplier": p["supplier"], "status": p.get("status", "已发货")}
    if "placed" in p:
        over["created_at"] = iso(at(p["placed"]))
    if "ship_to" in p:
        over["ship_to"] = p["ship_to"]
    return purchase_order(PO_IDS[key], remark=f"PDD {SALE_IDS[key]}", packages=packages, **over)


def convert_one(api, key: str) -> dict:
    (shipment,) = ok(api.post("/api/v1/convert", {"site": "pdd-seller", "order_ids": [SALE_IDS[key]],
                                                   "options": ["中通快递", "圆通速递"]}))["shipments"]
    return shipment


@pytest.fixture
def seeded(api, clock, k100, db_path):
    """Walks the clock from T0 to T0+60 h, doing what the seed says at each hour."""
    from click.testing import CliRunner

    from helper.cli import main

    res = CliRunner().invoke(main, ["config", "set", "kuaidi100_url", k100.url, "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    ok(api.put("/api/v1/settings", {"kuaidi100_customer": k100.customer, "kuaidi100_key": k100.key}))

    sales = [sales_order(SALE_IDS[k], created_at=iso(at(-12)), ship_by=iso(at(p["ship_by"])) if "ship_by" in p else FAR)
             for k, p in P.items()]
    ok(api.post("/api/v1/sales-orders", {"site": "pdd-seller", "orders": sales}))

    def sync(keys, with_number):
        body = ok(api.post("/api/v1/purchase-orders", {"site": "alibaba-buyer",
                                                        "orders": [purchase(k, with_number) for k in keys]}))
        assert body["rejected"] == [] and body["match"]["matched"] == len(keys), body

    # T0: every order placed by then is synced; those whose number is already there carry it.
    first = [k for k, p in P.items() if p["synced"] == 0]
    sync([k for k in first if P[k].get("number", (None, None))[1] != 0], False)
    sync([k for k in first if P[k].get("number", (None, None))[1] == 0], True)
    events = sorted({p["number"][1] for p in P.values() if p.get("number") and p["number"][1] > 0} | {2, 3, 27, 55})
    for hour in events:
        clock.t = at(hour).timestamp()
        arriving = [k for k, p in P.items() if p.get("number") and p["number"][1] == hour]
        if arriving:
            sync(arriving, True)
        if hour == 2:
            k100.add_trace(P["B6"]["number"][0], "zhongtong", [PICKUP], state="1")
            b6 = convert_one(api, "B6")
            assert b6["status"] == "ready", b6["checks"]
            ok(api.post("/api/v1/fill-results", {"site": "pdd-seller", "results": [{
                "shipment_id": b6["shipment_id"], "order_id": SALE_IDS["B6"], "result": "filled", "submitted": True}]}))
            b2 = convert_one(api, "B2")
            assert {c["code"] for c in b2["checks"] if c["level"] == "review"} >= {"address_mismatch", "no_pickup"}
            assert convert_one(api, "B3")["checks"][0]["code"] == "not_a_tracking_number"
        if hour == 3:
            k100.add_trace(P["B5"]["number"][0], "zhongtong", [PICKUP, RETURNED], state="6")
            assert convert_one(api, "B5")["status"] == "blocked"
        if hour == 27:      # 25 h after B6 was uploaded: the refresher finds its trace stalled
            db = connect(db_path)
            try:
                assert refresh_due(db, Verifier.for_db(db, str(db_path), clock))["refreshed"] >= 1
            finally:
                db.conn.close()
        if hour == 55:
            sync([k for k, p in P.items() if p["synced"] == 55], False)
    clock.t = at(NOW).timestamp()
    alerts = {a["code"] for a in ok(api.get("/api/v1/alerts?all=1"))["alerts"]}
    assert {"returned", "no_update_after_upload", "stall_after_first_event"} <= alerts, alerts
    return P


# ------------------------------------------------------------------ the test's own arithmetic

def half_up(x: Fraction, places: int) -> float:
    return math.floor(x * 10 ** places + Fraction(1, 2)) / 10 ** places


def expected(limit_h: int = 48) -> list[dict]:
    rows: dict[str, dict] = {}
    for key, p in P.items():
        name = p["supplier"] or ""
        r = rows.setdefault(name, {"supplier": name, "orders": 0, "cancelled": 0, "late": 0, "judged": 0,
                                   "pending": 0, "unmeasured": 0, "hours": [], "exceptions": 0,
                                   "by_kind": {k: 0 for k in KINDS}})
        r["orders"] += 1
        kinds = p.get("kinds", set())
        r["exceptions"] += bool(kinds)
        for k in kinds:
            r["by_kind"][k] += 1
        if p.get("status") == "交易关闭":
            r["cancelled"] += 1
            continue
        placed = p.get("placed", p["synced"])              # page time, else first synced
        ship_by = p.get("ship_by")
        number_hour = p["number"][1] if p.get("number") else None
        if number_hour is not None:
            if "placed" not in p and number_hour == p["synced"]:
                r["unmeasured"] += 1
                continue
            hours = Fraction(number_hour - placed)
            r["hours"].append(hours)
            r["judged"] += 1
            r["late"] += hours > limit_h or (ship_by is not None and number_hour > ship_by)
        elif NOW - placed > limit_h or (ship_by is not None and NOW > ship_by):
            r["judged"] += 1
            r["late"] += 1
        else:
            r["pending"] += 1
    out = []
    for r in rows.values():
        median = statistics.median(r["hours"]) if r["hours"] else None
        score = Fraction(0)
        if r["judged"]:
            score += Fraction(35, 100) * Fraction(r["late"], r["judged"])
        score += Fraction(30, 100) * Fraction(r["exceptions"], r["orders"])
        score += Fraction(20, 100) * Fraction(r["cancelled"], r["orders"])
        if median is not None:
            score += Fraction(15, 100) * min(Fraction(median) / limit_h, 1)
        out.append({**r, "median_hours": half_up(Fraction(median), 1) if median is not None else None,
                    "measured": len(r.pop("hours")), "score": half_up(score * 100, 1),
                    "late_share": half_up(Fraction(r["late"], r["judged"]), 4) if r["judged"] else None,
                    "exception_share": half_up(Fraction(r["exceptions"], r["orders"]), 4),
                    "cancel_share": half_up(Fraction(r["cancelled"], r["orders"]), 4)})
    out.sort(key=lambda r: (-r["score"], -r["orders"], r["supplier"]))
    return out


FIELDS = ("supplier", "orders", "cancelled", "late", "judged", "pending", "unmeasured", "measured", "exceptions",
          "by_kind", "median_hours", "score", "late_share", "exception_share", "cancel_share")


def compare(got: list[dict], want: list[dict]) -> None:
    assert [r["supplier"] for r in got] == [r["supplier"] for r in want]
    for g, w in zip(got, want):
        assert g["site"] == "alibaba-buyer"
        for k in FIELDS:
            assert g[k] == w[k], (w["supplier"], k, g[k], w[k])


# ------------------------------------------------------------------ tests

def test_suppliers_worst_first_with_every_figure(api, seeded):
    body = ok(api.get("/api/v1/suppliers"))
    want = expected(48)
    compare(body["suppliers"], want)
    assert [r["supplier"] for r in body["suppliers"]] == ["坏厂", "慢厂", "快厂", ""]
    assert body["late_hours"] == 48 and "0.35" in body["score_rule"]
    bad = body["suppliers"][0]
    assert bad["by_kind"] == {"address": 1, "no_pickup": 1, "stall": 1, "returned": 1, "number": 1}
    assert bad["median_hours"] == 2.0 and bad["late"] == 2 and bad["judged"] == 5 and bad["cancelled"] == 1
    slow = body["suppliers"][1]
    assert slow["median_hours"] == 30.0 and (slow["late"], slow["judged"], slow["pending"], slow["unmeasured"]) == (2, 3, 1, 1)
    fast = body["suppliers"][2]
    assert fast["median_hours"] == 4.0 and fast["score"] == 1.3     # 1.25 rounds half up, not to 1.2


def test_the_late_limit_comes_from_the_setting_or_the_query(api, seeded):
    compare(ok(api.get("/api/v1/suppliers?late_hours=12"))["suppliers"], expected(12))
    ok(api.put("/api/v1/settings", {"lost_number_hours": "5"}))
    body = ok(api.get("/api/v1/suppliers"))
    assert body["late_hours"] == 5
    compare(body["suppliers"], expected(5))
    assert api.put("/api/v1/settings", {"lost_number_hours": "0"}).status_code == 400
    assert api.put("/api/v1/settings", {"lost_number_hours": "abc"}).status_code == 400
    assert ok(api.get("/api/v1/suppliers"))["late_hours"] == 5


def test_no_pickup_before_upload_is_not_an_exception(api, seeded):
    """B2's trace is still empty (no pickup, review) but it was never uploaded: only its address counts."""
    b2 = ok(api.get(f"/api/v1/shipments?order_id={SALE_IDS['B2']}"))["shipments"][0]
    assert "no_pickup" in {c["code"] for c in b2["checks"] if c["level"] == "review"}
    bad = next(r for r in ok(api.get("/api/v1/suppliers"))["suppliers"] if r["supplier"] == "坏厂")
    assert bad["by_kind"]["no_pickup"] == 1     # B6 (uploaded, no scan since), not B2


def test_filter_by_site(api, seeded):
    assert ok(api.get("/api/v1/suppliers?site=pdd-buyer"))["suppliers"] == []
    assert len(ok(api.get("/api/v1/suppliers?site=alibaba-buyer"))["suppliers"]) == 4


@pytest.mark.parametrize("query,field,code", [
    ("late_hours=0", "late_hours", "invalid_param"), ("late_hours=abc", "late_hours", "invalid_param"),
    ("late_hours=99999", "late_hours", "invalid_param"), ("late_hours=1.5", "late_hours", "invalid_param"),
    ("site=" + "x" * 65, "site", "unknown_site"), ("site=pdd-seller", "site", "unknown_site"),   # not a supplier site
    ("site=nope", "site", "unknown_site")])
def test_bad_parameters_are_a_json_400(api, seeded, query, field, code):
    r = api.get(f"/api/v1/suppliers?{query}")
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == code and error["details"]["field"] == field
    assert re.search(r"[\u4e00-\u9fff]", error["message"])


def test_number_times_are_kept_and_backfilled_from_the_event_log(api, seeded, db_path, clock):
    db = connect(db_path)
    try:
        times = {r[0]: r[1] for r in db.execute("SELECT order_id, number_at FROM purchase_number_times")}
        want = {PO_IDS[k]: at(p["number"][1]) for k, p in P.items() if p.get("number")}
        assert {k: datetime.fromisoformat(v) for k, v in times.items()} == want
        # a later sync with another number keeps the first time
        clock.t = at(70).timestamp()
        again = purchase("F1", True)
        again["packages"] = [{"courier_text": "中通快递", "tracking": "73012345678999"}]
        ok(api.post("/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [again]}))
        assert db.execute("SELECT number_at FROM purchase_number_times WHERE order_id = ?",
                          [PO_IDS["F1"]]).fetchone()[0] == times[PO_IDS["F1"]]
        # an older database: no table, no trigger, m005 not applied; the backfill finds the same times
        db.execute("DROP TRIGGER purchase_number_first_seen")
        db.execute("DROP TABLE purchase_number_times")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_supplier_times'")
    finally:
        db.conn.close()
    init_db(db_path)
    db = connect(db_path)
    try:
        rebuilt = {r[0]: (r[1], r[2]) for r in db.execute("SELECT order_id, number_at, source FROM purchase_number_times")}
    finally:
        db.conn.close()
    assert {k: datetime.fromisoformat(v[0]) for k, v in rebuilt.items()} == want
    assert {v[1] for v in rebuilt.values()} == {"backfill"}


def sign_in(client, token):
    assert client.post("/login", data={"token": token}).status_code == 302


def test_the_suppliers_page_and_csv_show_the_same(client, token, api, seeded):
    sign_in(client, token)
    want = expected(48)
    html = client.get("/suppliers").get_data(as_text=True)
    names = re.findall(r'class="strong supplier-name">([^<]+)<', html)
    assert names == ["坏厂", "慢厂", "快厂", "（未知供应商）"]
    scores = [float(x) for x in re.findall(r'data-score="([\d.]+)"', html)]
    assert scores == [w["score"] for w in want] and scores == sorted(scores, reverse=True)
    for text in ("出单号中位时长", "迟到", "异常", "取消", "评分", "每一项怎么算", "地址不符 1", "退回 1", "2.0 小时"):
        assert text in html, text
    r = client.get("/suppliers.csv")
    text = r.get_data(as_text=True)
    assert r.mimetype == "text/csv" and text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    head = rows[0]
    assert head[:3] == ["站点", "供应商", "采购单数"] and "评分（越高越差）" in head
    assert [row[1] for row in rows[1:]] == ["坏厂", "慢厂", "快厂", "（未知供应商）"]
    for row, w in zip(rows[1:], want):
        assert row[0] == "1688 采购"
        assert int(row[head.index("采购单数")]) == w["orders"] and float(row[head.index("评分（越高越差）")]) == w["score"]
        assert int(row[head.index("迟到")]) == w["late"] and int(row[head.index("已取消")]) == w["cancelled"]
    twelve = client.get("/suppliers?late_hours=12").get_data(as_text=True)
    assert [float(x) for x in re.findall(r'data-score="([\d.]+)"', twelve)] == [w["score"] for w in expected(12)]
    assert client.get("/suppliers?late_hours=zero").status_code == 400
