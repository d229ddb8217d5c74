"""Issue #9 through the real app on a real SQLite file: real domestic numbers with the
supplier's courier text are never blocked, and one number on two buyers' orders is held."""
import json
from pathlib import Path

from .samples import person, purchase_order, sales_order

PDD_OPTIONS = ["申通快递", "百世快递", "顺丰快递", "圆通快递", "中通快递", "韵达快递", "邮政快递包裹", "邮政EMS", "极兔速递",
               "京东配送", "德邦快递", "中通快运", "顺丰快运", "韵达快运", "德邦物流", "燕文物流", "中通国际", "圆通国际",
               "顺丰国际", "usps"]
DOUYIN = [o["label"] for o in json.loads((Path(__file__).parents[1] / "data" / "platform_options_douyin.json")
                                         .read_text(encoding="utf-8"))["options"]]

# (supplier courier text, tracking as shown, expected courier, expected number)
REAL = [
    ("中通快递(ZTO)", "79012345678906", "zto", "79012345678906"),
    ("京东快递", "JD0012345678901", "jd", "JD0012345678901"),
    ("EMS", "5012345678901", "ems", "5012345678901"),
    ("燕文物流", "UG123456785YP", "yanwen", "UG123456785YP"),
    ("圆通快递", "880123456789", "yto", "880123456789"),
    ("中通快递", "73012345678903.0", "zto", "73012345678903"),
    ("中通", "12012345678906", "zto", "12012345678906"),           # unusual prefix: review, not blocked
    ("USPS", "420787459400111206206406260787", "usps", "420787459400111206206406260787"),
]


def sync(api, kind, site, orders):
    r = api.post(f"/api/v1/{kind}", body={"site": site, "page_url": "https://example.test/", "orders": orders})
    assert r.status_code == 200, r.get_json()


def test_real_numbers_with_the_supplier_text_are_never_blocked(api):
    sales, purchases, ids = [], [], []
    for i, (text, tracking, _, _) in enumerate(REAL):
        oid = f"261124-00000000000{i:04d}"
        ids.append(oid)
        sales.append(sales_order(oid))
        purchases.append(purchase_order(f"39000000000000{i:05d}", remark=f"PDD {oid}",
                                        packages=[{"courier_text": text, "tracking": tracking}]))
    sync(api, "sales-orders", "pdd-seller", sales)
    sync(api, "purchase-orders", "alibaba-buyer", purchases)
    shipments = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": ids, "options": PDD_OPTIONS}
                         ).get_json()["shipments"]
    by_order = {s["order_id"]: s for s in shipments}
    for oid, (text, tracking, courier, number) in zip(ids, REAL):
        s = by_order[oid]
        assert s["status"] != "blocked", (tracking, s["checks"])
        assert s["number"] == number and s["courier"]["id"] == courier, (tracking, s["courier"])
    unusual = by_order[ids[6]]
    assert unusual["status"] == "review"
    assert any(c["code"] == "courier_format_unusual" and "中通单号格式少见：12…" in c["message"]["zh"]
               for c in unusual["checks"])


def test_scientific_notation_is_blocked_with_its_own_reason(api):
    sync(api, "sales-orders", "pdd-seller", [sales_order("261124-000000000000777")])
    sync(api, "purchase-orders", "alibaba-buyer", [purchase_order(
        "3900000000000000777", remark="PDD 261124-000000000000777",
        packages=[{"courier_text": "中通快递", "tracking": "7.3012345678901E+13"}])])
    [s] = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": ["261124-000000000000777"],
                                            "options": PDD_OPTIONS}).get_json()["shipments"]
    assert s["status"] == "blocked" and s["number"] is None
    c = next(c for c in s["checks"] if c["code"] == "sci_notation")
    assert c["message"]["zh"] == "单号被 Excel 改成了科学计数法，请从供应商页面重新复制" and c["message"]["en"]


def test_douyin_live_list_gets_the_exact_brand(api):
    orders = [("261124-000000000000801", "顺丰速运", "SF1234567890123", "顺丰速运(常用)"),
              ("261124-000000000000802", "京东快递", "JDA123456789012", "京东物流(常用)"),
              ("261124-000000000000803", "德邦快递", "DPK123456789012", "德邦快递(常用)")]
    sync(api, "sales-orders", "douyin-seller", [sales_order(o) for o, *_ in orders])
    sync(api, "purchase-orders", "alibaba-buyer", [
        purchase_order(f"39000000000008{i:05d}", remark=f"抖店 {o}", packages=[{"courier_text": t, "tracking": n}])
        for i, (o, t, n, _) in enumerate(orders)])
    for labels in (DOUYIN, DOUYIN[::-1]):
        shipments = api.post("/api/v1/convert", body={"site": "douyin-seller", "order_ids": [o for o, *_ in orders],
                                                      "options": labels}).get_json()["shipments"]
        got = {s["order_id"]: s["target"]["option"] for s in shipments}
        assert got == {o: label for o, _, _, label in orders}
        assert all(s["status"] != "blocked" for s in shipments)


def _two_buyers_one_number(api):
    a, b = "261124-000000000000901", "261124-000000000000902"
    sync(api, "sales-orders", "pdd-seller", [
        sales_order(a), sales_order(b, buyer=person("李四", "139****1234", "广东省", "深圳市", "南山区", "科技园1栋"))])
    sync(api, "purchase-orders", "alibaba-buyer", [
        purchase_order("3900000000000000901", remark=f"PDD {a}",
                       packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}]),
        purchase_order("3900000000000000902", remark=f"PDD {b}",
                       ship_to=person("李四", "139****1234", "广东省", "深圳市", "南山区", "科技园1栋"),
                       packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}])])
    return a, b


def _convert(api, ids):
    shipments = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": ids, "options": PDD_OPTIONS}
                         ).get_json()["shipments"]
    return {s["order_id"]: s for s in shipments}


def _reuse(s):
    return {c["code"]: c for c in s["checks"] if c["code"].startswith("number_reused")}


def test_one_number_on_two_buyers_orders_holds_both_naming_the_other(api):
    a, b = _two_buyers_one_number(api)
    got = _convert(api, [a, b])
    for me, other in ((a, b), (b, a)):
        assert got[me]["status"] == "review"
        check = _reuse(got[me])["number_reused"]
        assert check["level"] == "review" and other in check["message"]["zh"]


def test_the_uploaded_order_keeps_the_number_and_the_other_is_blocked(api):
    a, b = _two_buyers_one_number(api)
    got = _convert(api, [a, b])
    r = api.post("/api/v1/fill-results", body={"site": "pdd-seller", "results": [{
        "shipment_id": got[a]["shipment_id"], "order_id": a, "result": "filled", "submitted": True}]})
    assert r.status_code == 200
    got = _convert(api, [a, b])
    assert "number_reused" not in _reuse(got[a]) and _reuse(got[a])["number_reused_kept"]["level"] == "warn"
    assert got[a]["status"] != "blocked"
    assert got[b]["status"] == "blocked" and _reuse(got[b])["number_reused"]["level"] == "block"
