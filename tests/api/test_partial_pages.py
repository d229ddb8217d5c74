"""A page shows part of an order: a supplier's list has no tracking number (拼多多 buyer's list,
淘宝's 已买到的宝贝), its detail page has. Syncing the list after the detail page must not lose
what only the detail page showed; what a page does send replaces the stored value."""

from .samples import purchase_order


def sync(api, orders, site="taobao-buyer"):
    r = api.post("/api/v1/purchase-orders", body={"site": site, "page_url": "https://example/", "orders": orders})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def stored(api, order_id, site="taobao-buyer"):
    return api.get(f"/api/v1/purchase-orders/{site}/{order_id}").get_json()


def list_entry(order_id, status="卖家已发货"):
    """What the list shows: no ship-to, remark or packages keys at all."""
    return {"order_id": order_id, "supplier": "义乌某某工厂", "status": status,
            "items": [{"title": "陶瓷杯 350ml", "quantity": 1, "price": "8.50"}], "amount": "8.50"}


def test_the_list_after_the_detail_page_keeps_the_number(api):
    oid = "4123456789012345678"
    sync(api, [list_entry(oid, "等待卖家发货")])
    detail = purchase_order(oid, remark="抖店 6931401081240665388",
                            packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}])
    del detail["items"]
    assert sync(api, [detail])["updated"] == 1
    # The list again (status moved on): an update, and the number stays.
    r = sync(api, [list_entry(oid)])
    assert (r["inserted"], r["updated"], r["unchanged"], r["rejected"]) == (0, 1, 0, [])
    got = stored(api, oid)
    assert got["status"] == "卖家已发货"
    assert got["packages"] == [{"courier_text": "中通快递", "tracking": "73012345678901"}]
    assert got["remark"] == "抖店 6931401081240665388"
    assert got["items"][0]["title"] == "陶瓷杯 350ml"
    # The same list once more changes nothing.
    assert sync(api, [list_entry(oid)])["unchanged"] == 1


def test_a_field_the_page_does_send_replaces_the_stored_one(api):
    oid = "4123456789012345679"
    sync(api, [purchase_order(oid, packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}])])
    sync(api, [{"order_id": oid, "packages": []}])          # the page now shows no package
    assert stored(api, oid)["packages"] == []


def test_the_number_found_on_the_detail_page_links_the_sale(api):
    api.post("/api/v1/sales-orders", body={"site": "douyin-seller", "page_url": "https://example/", "orders": [
        {"order_id": "6931401081240665388", "status": "待发货"}]})
    oid = "4123456789012345680"
    sync(api, [list_entry(oid)])
    sync(api, [{"order_id": oid, "remark": "抖店 6931401081240665388",
                "packages": [{"courier_text": "中通快递", "tracking": "73012345678901"}]}])
    conv = api.post("/api/v1/convert", body={"site": "douyin-seller", "order_ids": ["6931401081240665388"]}).get_json()
    assert [s["number"] for s in conv["shipments"]] == ["73012345678901"]


def test_a_remark_naming_a_xiaohongshu_package_links_that_package(api):
    """小红书 orders are packages with ids P + digits; buyers often have several, so the remark's id
    is what tells them apart (name and phone alone would be ambiguous)."""
    api.post("/api/v1/sales-orders", body={"site": "xhs-seller", "page_url": "https://example/", "orders": [
        {"order_id": "P771234567890123456", "status": "待发货"}, {"order_id": "P771234567890123457", "status": "待发货"}]})
    r = sync(api, [purchase_order("4123456789012345690", remark="小红书 P771234567890123457",
                                  packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}])], site="alibaba-buyer")
    assert r["match"]["matched"] == 1
    conv = api.post("/api/v1/convert", body={"site": "xhs-seller", "order_ids": ["P771234567890123457", "P771234567890123456"]}).get_json()
    assert [(s["order_id"], s["number"]) for s in conv["shipments"]] == [("P771234567890123457", "73012345678901")]
