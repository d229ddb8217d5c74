"""Money per order, per Beijing day and per shop (issue #13, "Money and suppliers").

A seeded database built through the real API (sales orders with amounts or priced items, several
purchase orders per order, cancelled orders and purchases, an order shipped on the platform and
one confirmed by the extension, an order with no time of its own), on a fake clock. The test
computes every expected figure itself from the seed, with `fractions.Fraction` (not the helper's
`Decimal` code), and compares with `GET /api/v1/money`, the per-order route, the 资金 page and its
CSV files. Money must come back as decimal strings, exact (0.10 + 0.20 is "0.30").
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest

from helper.app import create_app
from tests.fakes.clock import Clock

from .samples import purchase_order, sales_order

BJ = timezone(timedelta(hours=8))
SHOP_P, SHOP_D = "杯具生活馆", "好物小铺"
MONEY_TEXT = re.compile(r"^-?\d+\.\d{2,4}$")
FIELDS = ("orders", "cancelled", "revenue", "cost", "margin", "margin_orders", "unknown_sale", "unknown_cost",
          "no_purchase", "waiting", "waiting_orders", "cancelled_cost")
MONEY_FIELDS = {"revenue", "cost", "margin", "waiting", "cancelled_cost"}


def pdd(n):
    return f"261124-1000000000000{n:02d}"


def dy(n):
    return f"69312345678901234{n:02d}"


def buy(n):
    return f"39000000000000001{n:02d}"


# The seed. Each sales order: where it is sold, its page fields, its purchases (the purchase
# page's amount / items / status), and how it left (shown shipped by its status, or confirmed
# through the extension's fill result).
SEED = [
    {"site": "pdd-seller", "id": pdd(1), "shop": SHOP_P, "created_at": "2026-11-24T10:31:00+08:00", "amount": "0.30",
     "purchases": [{"id": buy(1), "amount": "0.10"}, {"id": buy(2), "amount": "0.20"}]},
    {"site": "pdd-seller", "id": pdd(2), "shop": SHOP_P, "created_at": "2026-11-24T15:59:59Z", "amount": "",
     "items": [{"title": "杯", "quantity": 2, "price": "12.50"}],
     "purchases": [{"id": buy(3), "items": [{"title": "杯", "quantity": 2, "price": "6.05"}]}]},
    {"site": "pdd-seller", "id": pdd(3), "shop": SHOP_P, "created_at": "2026-11-24T16:00:00Z", "amount": "19.90",
     "status": "已发货", "purchases": [{"id": buy(4), "amount": "8.50"}]},
    {"site": "pdd-seller", "id": pdd(4), "shop": SHOP_P, "created_at": "2026-11-25T08:00:00+08:00", "amount": "25.00",
     "purchases": [{"id": buy(5), "items": [{"title": "没有单价的货", "quantity": 1}]}]},
    {"site": "pdd-seller", "id": pdd(5), "shop": SHOP_P, "created_at": "2026-11-25T09:00:00+08:00", "amount": "9.99",
     "purchases": []},
    {"site": "pdd-seller", "id": pdd(6), "shop": SHOP_P, "created_at": "2026-11-23T12:00:00+08:00", "amount": "30.00",
     "status": "已取消", "purchases": [{"id": buy(6), "amount": "5.00"}]},
    {"site": "douyin-seller", "id": dy(1), "shop": SHOP_D, "created_at": "2026-11-24T20:00:00+08:00", "amount": "15.00",
     "purchases": [{"id": buy(7), "amount": "4.00", "status": "交易关闭"}, {"id": buy(8), "amount": "3.33"}]},
    {"site": "douyin-seller", "id": dy(2), "shop": SHOP_D, "created_at": "2026-11-25T11:00:00+08:00", "amount": "",
     "items": [{"title": "没有单价", "quantity": 1}], "purchases": [{"id": buy(9), "amount": "2.00"}]},
    {"site": "douyin-seller", "id": dy(3), "shop": SHOP_D, "created_at": "2026-11-25T12:00:00+08:00", "amount": "5.00",
     "confirm": True, "purchases": [{"id": buy(10), "amount": "7.25", "number": "73012345678910"}]},
    # No 下单时间 on the page: the day is the Beijing date the helper first saw it (clock moved on).
    {"site": "douyin-seller", "id": dy(4), "shop": SHOP_D, "created_at": None, "amount": "1.2345", "late": True,
     "purchases": [{"id": buy(11), "amount": "0.0045"}]},
]
LATE_CLOCK = "2026-11-26T01:00:00+08:00"      # when the order without a time is first synced


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(db_path, clock):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": clock})


def _sales(o):
    extra = {"items": o["items"]} if "items" in o else {}
    order = sales_order(o["id"], shop=o["shop"], amount=o["amount"], status=o.get("status", "待发货"), **extra)
    if o["created_at"] is None:
        order.pop("created_at")
    else:
        order["created_at"] = o["created_at"]
    return order


def _purchase(o, p):
    over = {"status": p.get("status", "已发货")}
    if "amount" in p:
        over["amount"] = p["amount"]
    if "items" in p:
        over["items"] = p["items"]
    packages = [{"courier_text": "中通快递", "tracking": p["number"]}] if p.get("number") else []
    return purchase_order(p["id"], remark=f"下游单 {o['id']}", packages=packages, **over)


def ok(response):
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def seeded(api, clock):
    """The seed, posted through the API as the extension would; returns {order id: first-seen Beijing date}."""
    first_seen = {}
    for late in (False, True):
        if late:
            clock.t = datetime.fromisoformat(LATE_CLOCK).timestamp()
        batch = [o for o in SEED if bool(o.get("late")) == late]
        for site in ("pdd-seller", "douyin-seller"):
            orders = [_sales(o) for o in batch if o["site"] == site]
            if orders:
                assert ok(api.post("/api/v1/sales-orders", {"site": site, "orders": orders}))["rejected"] == []
        purchases = [_purchase(o, p) for o in batch for p in o["purchases"]]
        if purchases:
            body = ok(api.post("/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": purchases}))
            assert body["rejected"] == [] and body["match"]["matched"] == len(purchases), body
        for o in batch:
            first_seen[o["id"]] = datetime.fromtimestamp(clock.t, BJ).date().isoformat()
    for o in SEED:
        if o.get("confirm"):
            (shipment,) = ok(api.post("/api/v1/convert", {"site": o["site"], "order_ids": [o["id"]]}))["shipments"]
            ok(api.post("/api/v1/fill-results", {"site": o["site"], "results": [{
                "shipment_id": shipment["shipment_id"], "order_id": o["id"], "result": "filled", "submitted": True}]}))
    return first_seen


# ------------------------------------------------------------------ the test's own arithmetic

def f(text):
    return Fraction(text)


def price_total(items):
    if not items or any("price" not in i for i in items):
        return None
    return sum((f(i["price"]) * i.get("quantity", 1) for i in items), Fraction(0))


def expected_order(o, first_seen):
    sale = f(o["amount"]) if o["amount"] else price_total(o.get("items", sales_order()["items"]))
    live = [p for p in o["purchases"] if p.get("status", "已发货") not in ("交易关闭",)]
    costs = [f(p["amount"]) if "amount" in p else price_total(p["items"]) for p in live]
    state = "no_purchase" if not live else ("unknown" if None in costs else "known")
    cost = sum(costs, Fraction(0)) if state == "known" else None
    when = o["created_at"]
    day = (datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(BJ).date().isoformat()
           if when else first_seen[o["id"]])
    cancelled = o.get("status") == "已取消"
    uploaded = o.get("status") == "已发货" or bool(o.get("confirm"))
    return {"o": o, "sale": sale, "cost": cost, "state": state, "day": day, "cancelled": cancelled,
            "waiting": bool(live) and not uploaded and not cancelled,
            "margin": sale - cost if sale is not None and cost is not None else None,
            "cancelled_cost": sum((c for c in costs if c is not None), Fraction(0))}


def expected_sums(orders) -> dict:
    out = {k: 0 for k in FIELDS} | {k: Fraction(0) for k in MONEY_FIELDS}
    for e in orders:
        out["orders"] += 1
        if e["cancelled"]:
            out["cancelled"] += 1
            out["cancelled_cost"] += e["cancelled_cost"]
            continue
        if e["sale"] is None:
            out["unknown_sale"] += 1
        else:
            out["revenue"] += e["sale"]
        if e["state"] == "no_purchase":
            out["no_purchase"] += 1
        elif e["state"] == "unknown":
            out["unknown_cost"] += 1
        else:
            out["cost"] += e["cost"]
        if e["margin"] is not None:
            out["margin"] += e["margin"]
            out["margin_orders"] += 1
        if e["waiting"]:
            out["waiting_orders"] += 1
            out["waiting"] += e["cost"] or 0
    return out


def same(api_row: dict, want: dict) -> None:
    for k in FIELDS:
        if k in MONEY_FIELDS:
            assert isinstance(api_row[k], str) and MONEY_TEXT.match(api_row[k]), (k, api_row[k])
            assert f(api_row[k]) == want[k], (k, api_row[k], want[k])
        else:
            assert api_row[k] == want[k], (k, api_row[k], want[k])


def expected(first_seen, start=None, end=None):
    orders = [expected_order(o, first_seen) for o in SEED]
    return [e for e in orders if (start is None or e["day"] >= start) and (end is None or e["day"] <= end)]


# ------------------------------------------------------------------ tests

def test_every_day_and_its_totals_match_the_seed(api, seeded):
    body = ok(api.get("/api/v1/money?by=day"))
    orders = expected(seeded)
    days = sorted({e["day"] for e in orders}, reverse=True)
    assert days == ["2026-11-26", "2026-11-25", "2026-11-24", "2026-11-23"]      # boundaries in Beijing time
    assert [r["day"] for r in body["rows"]] == days
    for row in body["rows"]:
        same(row, expected_sums([e for e in orders if e["day"] == row["day"]]))
    same(body["total"], expected_sums(orders))
    assert body["by"] == "day" and body["from"] is None and body["to"] is None


def test_every_shop_matches_the_seed(api, seeded):
    body = ok(api.get("/api/v1/money?by=shop"))
    orders = expected(seeded)
    groups = {}
    for e in orders:
        groups.setdefault((e["o"]["site"], e["o"]["shop"]), []).append(e)
    want = {k: expected_sums(v) for k, v in groups.items()}
    order = sorted(want, key=lambda k: (-want[k]["revenue"], k))
    assert [(r["site"], r["shop"]) for r in body["rows"]] == order
    for row in body["rows"]:
        same(row, want[(row["site"], row["shop"])])
    same(body["total"], expected_sums(orders))


@pytest.mark.parametrize("start,end", [("2026-11-25", "2026-11-25"), ("2026-11-24", None), (None, "2026-11-24"),
                                       ("2026-11-27", "2026-12-31")])
def test_a_date_range_keeps_the_beijing_days_inside_it(api, seeded, start, end):
    query = "&".join(f"{k}={v}" for k, v in (("from", start), ("to", end)) if v)
    for by in ("day", "shop"):
        body = ok(api.get(f"/api/v1/money?by={by}&{query}"))
        orders = expected(seeded, start, end)
        same(body["total"], expected_sums(orders))
        assert body["from"] == start and body["to"] == end
        if by == "day":
            assert [r["day"] for r in body["rows"]] == sorted({e["day"] for e in orders}, reverse=True)


def test_each_order_has_its_sale_cost_and_margin(api, seeded):
    for o in SEED:
        e = expected_order(o, seeded)
        got = ok(api.get(f"/api/v1/money/orders/{o['site']}/{o['id']}"))
        for key in ("sale", "cost", "margin"):
            assert (got[key] is None) == (e[key] is None), (o["id"], key)
            if e[key] is not None:
                assert MONEY_TEXT.match(got[key]) and f(got[key]) == e[key], (o["id"], key, got[key])
        assert got["cost_state"] == e["state"] and got["day"] == e["day"] and got["cancelled"] == e["cancelled"]
        assert got["waiting"] == e["waiting"], o["id"]
        assert sorted(p["order_id"] for p in got["purchases"]) == sorted(p["id"] for p in o["purchases"])
    r = api.get("/api/v1/money/orders/pdd-seller/261124-999999999999999")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


def test_decimal_sums_are_exact(api, seeded):
    """0.10 + 0.20 is 0.30 (floats say 0.30000000000000004), 4-place amounts are not rounded, and a sum that is whole cents shows as cents."""
    assert 0.1 + 0.2 != 0.3
    first = ok(api.get(f"/api/v1/money/orders/pdd-seller/{pdd(1)}"))
    assert (first["sale"], first["cost"], first["margin"]) == ("0.30", "0.30", "0.00")
    small = ok(api.get(f"/api/v1/money/orders/douyin-seller/{dy(4)}"))
    assert (small["sale"], small["cost"], small["margin"]) == ("1.2345", "0.0045", "1.23")
    negative = ok(api.get(f"/api/v1/money/orders/douyin-seller/{dy(3)}"))
    assert negative["margin"] == "-2.25" and negative["uploaded"] and not negative["waiting"]
    body = api.get("/api/v1/money?by=day").get_data(as_text=True)
    assert "0.30000000000000004" not in body


def test_unknown_sale_and_cost_are_counted_apart_never_as_zero(api, seeded):
    unknown = ok(api.get(f"/api/v1/money/orders/pdd-seller/{pdd(4)}"))
    assert unknown["cost"] is None and unknown["cost_state"] == "unknown" and unknown["margin"] is None
    assert unknown["waiting"]            # purchased and not shipped, even if its cost is unknown
    nothing = ok(api.get(f"/api/v1/money/orders/pdd-seller/{pdd(5)}"))
    assert nothing["cost_state"] == "no_purchase" and nothing["margin"] is None and not nothing["waiting"]
    no_sale = ok(api.get(f"/api/v1/money/orders/douyin-seller/{dy(2)}"))
    assert no_sale["sale"] is None and no_sale["cost"] == "2.00" and no_sale["margin"] is None
    day = {r["day"]: r for r in ok(api.get("/api/v1/money?by=day"))["rows"]}["2026-11-25"]
    assert day["unknown_cost"] == 1 and day["no_purchase"] == 1 and day["unknown_sale"] == 1
    want = expected_sums([e for e in expected(seeded) if e["day"] == "2026-11-25"])
    # the day's margin counts only the orders whose sale and cost are both known
    assert day["margin_orders"] == want["margin_orders"] == 2
    assert day["orders"] == 5 and f(day["margin"]) == f("11.40") + f("-2.25")


def test_a_purchase_that_arrives_later_changes_the_figures(api, seeded):
    """Adding a second purchase to an order adds its cost: the sum is over all linked purchases."""
    before = ok(api.get(f"/api/v1/money/orders/pdd-seller/{pdd(3)}"))
    extra = purchase_order(buy(40), remark=f"下游单 {pdd(3)}", packages=[], amount="1.05")
    ok(api.post("/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [extra]}))
    after = ok(api.get(f"/api/v1/money/orders/pdd-seller/{pdd(3)}"))
    assert f(after["cost"]) == f(before["cost"]) + f("1.05")
    assert f(after["margin"]) == f(before["margin"]) - f("1.05")


@pytest.mark.parametrize("query,field", [
    ("by=week", "by"), ("by=", "by"), ("from=2026-13-01", "from"), ("from=20261125", "from"),
    ("to=2026-11-25T00:00:00", "to"), ("from=2026-11-26&to=2026-11-25", "from"), ("to=1999-12-31", "to"),
    ("from=9999-12-31", "from"), ("from=%EF%BC%92026-11-25", "from"),
])
def test_bad_parameters_are_a_json_400(api, seeded, query, field):
    r = api.get(f"/api/v1/money?{query}")
    assert r.status_code == 400, query
    error = r.get_json()["error"]
    assert error["code"] == "invalid_param" and error["details"]["field"] == field
    assert re.search(r"[\u4e00-\u9fff]", error["message"]) and re.search(r"/ [a-z]", error["message"])


def sign_in(client, token):
    assert client.post("/login", data={"token": token}).status_code == 302


def test_the_money_page_shows_the_same_figures(client, token, api, seeded):
    sign_in(client, token)
    html = client.get("/money").get_data(as_text=True)
    total = expected_sums(expected(seeded))

    def yuan(x: Fraction) -> str:
        places = 2 if (x * 100).denominator == 1 else 4
        scaled = abs(x) * 10 ** places
        assert scaled.denominator == 1
        digits = str(scaled.numerator).rjust(places + 1, "0")
        return ("-" if x < 0 else "") + f"¥{digits[:-places]}.{digits[-places:]}"

    for key in ("revenue", "cost", "margin", "waiting"):
        shown = re.search(rf'data-figure="{key}">([^<]+)<', html).group(1)
        assert shown == yuan(total[key]), (key, shown)
    # both tables, days newest first, shops by revenue
    days = re.findall(r'<td class="nowrap">(\d{4}-\d{2}-\d{2})</td>', html)
    assert days == ["2026-11-26", "2026-11-25", "2026-11-24", "2026-11-23"]
    assert html.index(SHOP_P) < html.index(SHOP_D)
    ranged = client.get("/money?from=2026-11-25&to=2026-11-25").get_data(as_text=True)
    assert re.findall(r'<td class="nowrap">(\d{4}-\d{2}-\d{2})</td>', ranged) == ["2026-11-25"]
    bad = client.get("/money?from=yesterday")
    assert bad.status_code == 400 and bad.get_json()["error"]["details"]["field"] == "from"


def test_money_csv_files_open_in_excel_and_match(client, token, api, seeded):
    sign_in(client, token)
    orders = expected(seeded)
    for by in ("day", "shop"):
        r = client.get(f"/money.csv?by={by}")
        text = r.get_data(as_text=True)
        assert r.mimetype == "text/csv" and text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        head = rows[0]
        assert head[0] == ("日期（北京时间）" if by == "day" else "站点") and "毛利" in head and "销售额" in head
        body, total = rows[1:-1], rows[-1]
        assert total[0] == "合计"
        start = 1 if by == "day" else 2
        names = head[start:]
        want_total = expected_sums(orders)
        for name, value in zip(names, total[start:]):
            key = {"销售额": "revenue", "采购成本": "cost", "毛利": "margin", "订单数": "orders"}.get(name)
            if key:
                assert Fraction(value) == want_total[key], (by, name, value)
        if by == "day":
            assert [r[0] for r in body] == ["2026-11-26", "2026-11-25", "2026-11-24", "2026-11-23"]
        else:
            assert [r[0] for r in body] == ["拼多多商家后台", "抖店"] and [r[1] for r in body] == [SHOP_P, SHOP_D]
    assert client.get("/money.csv?by=week").status_code == 400
    english = client.get("/money.csv?by=day&lang=en").get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith("Date (Beijing),Orders,Revenue")


def test_the_order_page_shows_its_money(client, token, api, seeded):
    sign_in(client, token)
    html = client.get(f"/orders/pdd-seller/{pdd(1)}").get_data(as_text=True)
    card = html[html.index('class="card order-money"'):]
    assert re.search(r'data-figure="sale">¥0\.30', card) and re.search(r'data-figure="cost">¥0\.30', card)
    assert "¥0.00" in re.search(r'data-figure="margin">(.*?)</dd>', card, re.S).group(1)
    assert buy(1) in card and buy(2) in card and "¥0.10" in card and "¥0.20" in card
    unknown = client.get(f"/orders/pdd-seller/{pdd(4)}").get_data(as_text=True)
    assert "成本未知" in unknown and "无法计算" in unknown
    cancelled = client.get(f"/orders/douyin-seller/{dy(1)}").get_data(as_text=True)
    assert "已取消，不计" in cancelled and "¥11.67" in cancelled


def test_only_decimal_strings_are_money():
    """A float, a number with a currency sign or an exponent never becomes an amount (it is unknown)."""
    from decimal import Decimal

    from helper.money import amount_of, money_text, to_decimal

    assert to_decimal("19.90") == Decimal("19.90") and to_decimal("-1.5") == Decimal("-1.5")
    for bad in (19.9, 19, True, None, "", "¥19.90", "1e3", "19.90元", "1,299.00", "0.12345", " 1.00", "NaN"):
        assert to_decimal(bad) is None, bad
    assert amount_of("", [{"price": "0.10", "quantity": 3}]) == (Decimal("0.30"), "items")
    assert amount_of("", [{"price": 0.1, "quantity": 3}]) == (None, None)          # a float price: unknown
    assert amount_of("", [{"price": "0.10", "quantity": 3}, {"title": "无价"}]) == (None, None)   # never a partial sum
    assert [money_text(Decimal(x)) for x in ("0.3", "0.30", "1.2300", "1.2345", "-2.250", "12")] == \
        ["0.30", "0.30", "1.23", "1.2345", "-2.25", "12.00"]
