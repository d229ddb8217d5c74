"""Issue #10, item 3: buyer-controlled text never becomes a spreadsheet formula.

orders.csv, events.csv and the bulk-shipping CSV went out verbatim before the fix. The rule
is defusedcsv's (a leading `'` for cells starting `=`, `+`, `-`, `@`, `|`, `%` unless they
are plain numbers such as `-1`), plus tab and carriage return.
"""

import csv
import io
import re

import pytest

from helper.web.auth import COOKIE, session_value
from tests.api.samples import purchase_order, sales_order

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def assert_inert(rows):
    """No cell starts a formula: plain numbers (-1) and a tab before a plain id are text."""
    for row in rows:
        for cell in row:
            if cell[:1] in FORMULA_START:
                number = re.fullmatch(r"-?[0-9,.]+", cell)
                plain_id = re.fullmatch(r"\t[^\W_][\w\-.:/#]*", cell)
                assert number or plain_id, f"formula cell {cell!r}"


@pytest.fixture
def signed_in(client, token):
    client.set_cookie(COOKIE, session_value(token), domain="localhost")
    return client


def test_orders_and_events_csv_neutralise_hostile_cells(api, signed_in):
    orders = [sales_order(f"261124-40000000000000{i}", shop=text, status=text,
                          buyer={"name": text, "phone": "+8613812345678"}) for i, text in enumerate(HOSTILE)]
    orders.append(sales_order("261124-400000000000009", amount="-1", shop="正常店铺"))
    assert api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": orders}).get_json()["rejected"] == []
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [
        {**o, "status": "=cmd|' /C calc'!A0"} for o in orders[:2]]})   # updates: hostile text in the event data
    for path in ("/orders.csv", "/events.csv"):
        rows = cells(signed_in.get(path).get_data(as_text=True))
        assert len(rows) > len(HOSTILE)
        assert_inert(rows)
    rows = cells(signed_in.get("/orders.csv").get_data(as_text=True))
    header = rows[0]
    plain = next(r for r in rows if r[header.index("订单号")] == "261124-400000000000009")
    assert plain[header.index("金额")] == "-1" and plain[header.index("店铺")] == "正常店铺"
    shops = {r[header.index("店铺")] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in shops and "'\t=1+1" in shops


def test_bulk_shipping_csv_keeps_numbers_readable_and_hostile_text_inert(api, signed_in):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order("-1.5")]})
    api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [purchase_order(
        "3900000000000000301", remark="", packages=[{"courier_text": "圆通速递", "tracking": "YT7512348820461"}])]})
    api.post("/api/v1/links", body={"sales_site": "pdd-seller", "sales_order_id": "-1.5",
                                    "purchase_site": "alibaba-buyer", "purchase_order_id": "3900000000000000301"})
    (shipment,) = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": ["-1.5"],
                                                    "options": ["@圆通速递", "圆通速递"]}).get_json()["shipments"]
    assert shipment["status"] == "ready", shipment["checks"]
    for text in (api.get("/api/v1/exports/bulk-shipping?site=pdd-seller").get_data(as_text=True),
                 signed_in.get("/exports/bulk-shipping.csv?site=pdd-seller").get_data(as_text=True)):
        rows = cells(text)
        assert rows[1] == ["-1.5", "圆通速递", "\tYT7512348820461"]   # a plain number stays readable; ids stay text
        assert_inert(rows[1:2])
