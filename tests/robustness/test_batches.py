"""Issue #10, item 1: a bad order never costs the good ones, and nothing stored breaks a later step.

Each reproduction failed before the fix: a buyer with a name and "phone": "" made the whole
batch a 500 (helper/match.py); an address sent as a string was stored and then every
`POST /convert` including that order answered 500.
"""

from tests.api.samples import person, purchase_order, sales_order

from .support import assert_json_error, snapshot

OPTIONS = ["中通快递", "圆通速递", "韵达快递"]


def sync(api, kind, site, orders):
    return api.post(f"/api/v1/{kind}", body={"site": site, "page_url": "https://example/", "orders": orders})


def page_of(n, **over):
    return [sales_order(f"261124-1000000000000{i:02d}", **over) for i in range(n)]


def test_a_buyer_with_a_name_and_an_empty_phone_is_stored_with_the_rest(api):
    orders = page_of(50)
    orders[7]["buyer"] = {"name": "张三", "phone": "", "address": orders[7]["buyer"]["address"]}
    r = sync(api, "sales-orders", "pdd-seller", orders)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["inserted"] == 50 and r.get_json()["rejected"] == []


def test_an_address_given_as_one_line_is_split_and_convert_still_works(api):
    line = sales_order("261124-200000000000001", buyer={"name": "张三", "phone": "138****0000",
                                                        "address": "浙江省杭州市西湖区文三路1号"})
    healthy = sales_order("261124-200000000000002")
    r = sync(api, "sales-orders", "pdd-seller", [line, healthy])
    assert r.get_json()["inserted"] == 2
    stored = api.get("/api/v1/sales-orders/pdd-seller/261124-200000000000001").get_json()
    assert stored["buyer"]["address"] == {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路1号"}
    sync(api, "purchase-orders", "alibaba-buyer", [
        purchase_order("3900000000000000001", remark="PDD 261124-200000000000001",
                       ship_to={"name": "张三", "phone": "138****0000", "address": "浙江省 杭州市 西湖区 文三路1号"}),
        purchase_order("3900000000000000002", remark="PDD 261124-200000000000002",
                       packages=[{"courier_text": "圆通速递", "tracking": "YT7512348820461"}]),
    ])
    r = api.post("/api/v1/convert", body={"site": "pdd-seller", "options": OPTIONS,
                                          "order_ids": ["261124-200000000000001", "261124-200000000000002"]})
    assert r.status_code == 200, r.get_json()
    by_order = {s["order_id"]: s for s in r.get_json()["shipments"]}
    assert set(by_order) == {"261124-200000000000001", "261124-200000000000002"}
    assert "address_match" in [c["code"] for c in by_order["261124-200000000000001"]["checks"]]


POISON = [   # (change to a healthy order, the field named in the rejection)
    ({"status": ["待发货"]}, "status"),
    ({"amount": 19.9}, "amount"),
    ({"remark": {"text": "x"}}, "remark"),
    ({"buyer": {"name": ["张三"], "phone": "138****0000"}}, "buyer.name"),
    ({"buyer": {"name": "张三", "address": ["浙江省", "杭州市"]}}, "buyer.address"),
    ({"buyer": {"name": "张三", "address": {"province": 1}}}, "buyer.address.province"),
    ({"items": {"title": "杯"}}, "items"),
    ({"items": ["陶瓷杯"]}, "items[0]"),
    ({"items": [{"title": "杯", "quantity": -1}]}, "items[0].quantity"),
    ({"items": [{"title": "杯", "price": "十九块"}]}, "items[0].price"),
    ({"created_at": "昨天"}, "created_at"),
    ({"shipped_number": ["YT7512348820461"]}, "shipped_number"),
    ({"shop": "x" * 5000}, "shop"),
]


def test_each_poisoned_order_is_rejected_by_itself_and_convert_of_the_rest_works(api):
    orders = page_of(len(POISON) + 5)
    for i, (change, _field) in enumerate(POISON):
        orders[i].update(change)
    r = sync(api, "sales-orders", "pdd-seller", orders)
    assert r.status_code == 200
    body = r.get_json()
    assert body["inserted"] == 5
    assert [(x["index"], x["field"]) for x in body["rejected"]] == [
        (i, f"orders[{i}].{field}") for i, (_c, field) in enumerate(POISON)]
    assert all(x["order_id"] == orders[x["index"]]["order_id"] for x in body["rejected"])
    kept = [o["order_id"] for o in orders[len(POISON):]]
    sync(api, "purchase-orders", "alibaba-buyer", [
        purchase_order(f"39000000000000001{i:02d}", remark=f"PDD {oid}",
                       packages=[{"courier_text": "中通快递", "tracking": f"7301234567{i:04d}"}])
        for i, oid in enumerate(kept)])
    r = api.post("/api/v1/convert", body={"site": "pdd-seller", "options": OPTIONS,
                                          "order_ids": [o["order_id"] for o in orders]})
    assert r.status_code == 200, r.get_json()
    assert sorted(s["order_id"] for s in r.get_json()["shipments"]) == sorted(kept)


def test_purchase_orders_are_checked_one_by_one_too(api):
    good = purchase_order("3900000000000000201")
    bare = purchase_order("3900000000000000202", packages=["中通 73012345678901"])   # a bare string: normalised
    bad = purchase_order("3900000000000000203", packages=[{"tracking": ["73012345678901"]}])
    r = sync(api, "purchase-orders", "alibaba-buyer", [good, bare, bad])
    assert r.status_code == 200
    assert r.get_json()["inserted"] == 2
    assert [(x["order_id"], x["field"]) for x in r.get_json()["rejected"]] == [
        ("3900000000000000203", "orders[2].packages[0].tracking")]
    stored = api.get("/api/v1/purchase-orders/alibaba-buyer/3900000000000000202").get_json()
    assert stored["packages"] == [{"tracking": "中通 73012345678901"}]


def test_a_rejected_order_is_in_the_event_log_masked(api):
    bad = sales_order("261124-300000000000001", buyer=person("张三", "13812345678", "浙江省", "杭州市", "西湖区", "文三路1号"),
                      items=[{"title": "杯", "quantity": "13812345678"}])
    sync(api, "sales-orders", "pdd-seller", [bad, sales_order("261124-300000000000002")])
    (event,) = api.get("/api/v1/events?kind=sales_order.rejected").get_json()["events"]
    assert event["order_id"] == "261124-300000000000001" and event["site"] == "pdd-seller"
    assert event["data"]["field"] == "orders[0].items[0].quantity" and event["operator"] == "小王"
    text = str(event)
    assert "13812345678" not in text and "文三路" not in text


def test_a_malformed_envelope_changes_nothing(api, db_path):
    sync(api, "sales-orders", "pdd-seller", page_of(2))
    before = snapshot(db_path)
    for body in ({"site": "pdd-seller", "orders": {"0": sales_order()}}, {"site": "nope", "orders": page_of(2)},
                 {"site": "pdd-seller"}, {"site": "pdd-seller", "orders": page_of(2), "page_url": ["x"]},
                 {"site": "pdd-seller", "orders": page_of(1) * 1001}):
        assert_json_error(api.post("/api/v1/sales-orders", body=body), 400)
    assert snapshot(db_path) == before
