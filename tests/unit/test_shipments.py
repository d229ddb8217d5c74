"""build_shipments: the ready / review / blocked decisions and their explanations."""
import copy
from datetime import datetime, timedelta, timezone

import pytest

from helper.convert import build_shipments
from helper.convert.validate import s10_check_digit

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)      # 10:00 Beijing time
PDD_OPTIONS = ["申通快递", "百世快递", "顺丰速运", "圆通快递", "中通快递", "韵达快递", "邮政快递包裹", "EMS", "极兔速递",
               "京东配送", "德邦快递", "中通快运", "顺丰快运", "韵达快运", "德邦物流", "京东快运"]
BUYER = {"name": "张三", "phone": "138****0000",
         "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路1号"}}
SHIPMENT_KEYS = {"site", "order_id", "number", "courier", "target", "status", "checks", "candidates", "pieces", "source"}


def sales(**kw):
    order = {"order_id": "240101-123456789012345", "status": "待发货", "created_at": "2026-11-24T10:31:00+08:00",
             "ship_by": "2026-11-26T10:31:00+08:00", "buyer": copy.deepcopy(BUYER)}
    order.update(kw)
    return order


def purchase(packages=None, **kw):
    order = {"order_id": "3912345678901234567", "supplier": "义乌某某工厂", "status": "已发货",
             "ship_to": {"name": "张三", "phone": "13800000000",
                         "address": {"province": "浙江", "city": "杭州", "district": "西湖区", "detail": "文三路1号"}},
             "packages": [{"courier_text": "中通快递", "tracking": "73012345678901"}] if packages is None else packages}
    order.update(kw)
    return order


def no_uses(number):
    return []


def build(so=None, po="default", options=PDD_OPTIONS, uses=no_uses, site="pdd-seller", now=NOW):
    po = purchase() if po == "default" else po
    return build_shipments(site, so or sales(), po, options, uses, now=now)


def codes(shipment):
    return {c["code"]: c["level"] for c in shipment["checks"]}


def test_ready_shipment_shape():
    [s] = build()
    assert set(s) == SHIPMENT_KEYS and "shipment_id" not in s
    assert s["site"] == "pdd-seller" and s["order_id"] == "240101-123456789012345"
    assert s["number"] == "73012345678901"
    assert s["courier"]["id"] == "zto" and s["courier"]["name"] == "中通快递" and s["courier"]["confidence"] >= 0.9
    assert s["target"] == {"code": "115", "option": "中通快递"}
    assert s["status"] == "ready"
    assert s["candidates"][0]["courier"] == "zto"
    assert s["pieces"] == []
    assert s["source"] == {"site": "alibaba-buyer", "order_id": "3912345678901234567"}
    assert codes(s) == {"courier_identified": "ok", "address_match": "ok", "phone_tail": "ok"}
    for c in s["checks"]:
        assert set(c) == {"code", "level", "message"} and c["message"]["zh"] and c["message"]["en"]


def test_source_site_from_purchase_order():
    [s] = build(po=purchase(site="pdd-buyer"))
    assert s["source"]["site"] == "pdd-buyer"


def test_no_purchase_order_gives_nothing():
    assert build(po=None) == []


@pytest.mark.parametrize("packages", [[], [{"courier_text": "", "tracking": ""}], [{"courier_text": "中通", "tracking": "暂无"}],
                                      [{"tracking": "-"}]])
def test_not_shipped_yet_is_blocked(packages):
    [s] = build(po=purchase(packages))
    assert s["number"] is None and s["status"] == "blocked" and s["courier"] is None
    assert codes(s)["no_tracking"] == "block"
    assert s["target"] == {"code": None, "option": None}


@pytest.mark.parametrize("tracking", ["13812345678", "240101-123456789012345", "3912345678901234567", "SF12****5678"])
def test_something_else_in_the_tracking_field_is_blocked(tracking):
    [s] = build(po=purchase([{"courier_text": "顺丰", "tracking": tracking}]))
    assert s["number"] is None and s["status"] == "blocked"
    assert codes(s)["not_a_tracking_number"] == "block"


def test_several_numbers_several_shipments():
    shipments = build(po=purchase([{"courier_text": "极兔速递", "tracking": "JT3012345678901，JT3012345678902"}]))
    assert [s["number"] for s in shipments] == ["JT3012345678901", "JT3012345678902"]
    assert all(s["status"] == "ready" and s["target"]["option"] == "极兔速递" for s in shipments)


def test_several_packages_and_duplicates():
    shipments = build(po=purchase([{"courier_text": "中通快递", "tracking": "73012345678901"},
                                   {"courier_text": "中通快递", "tracking": "7301 2345 6789 01"},
                                   {"courier_text": "圆通速递", "tracking": "YT1234567890123"}]))
    assert [s["number"] for s in shipments] == ["73012345678901", "YT1234567890123"]


def test_pieces_stay_on_one_shipment():
    [s] = build(po=purchase([{"courier_text": "京东快递", "tracking": "JDVA12345678901-1-2,JDVA12345678901-2-2"}]),
                options=PDD_OPTIONS)
    assert s["number"] == "JDVA12345678901" and s["pieces"] == ["-1-2", "-2-2"]
    assert s["target"]["option"] == "京东配送" and codes(s)["pieces"] == "ok"


BAD_S10 = f"RR12345678{(s10_check_digit('12345678') + 1) % 10}CN"   # wrong check digit on purpose


def test_failed_check_digit_is_blocked():
    [s] = build(po=purchase([{"courier_text": "", "tracking": BAD_S10}]))
    assert s["status"] == "blocked" and codes(s)["invalid_format"] == "block"


def test_unrecognised_format_is_review_never_blocked():
    # issue #9: blocked only for what is surely wrong; an unknown shape is for a person to check
    [s] = build(po=purchase([{"courier_text": "", "tracking": "ABCDEFGH12"}]))
    assert s["status"] == "review" and codes(s)["format_unrecognised"] == "review"


def test_ambiguous_numeric_without_hint_goes_to_review():
    [s] = build(po=purchase([{"courier_text": "", "tracking": "1123456789012"}]))
    assert s["status"] == "review" and codes(s)["courier_ambiguous"] == "review"
    assert len(s["candidates"]) >= 2
    assert "邮政快递包裹" in s["checks"][0]["message"]["zh"] or "EMS" in s["checks"][0]["message"]["zh"]


def test_conflicting_courier_text_goes_to_review():
    [s] = build(po=purchase([{"courier_text": "圆通速递", "tracking": "73012345678901"}]))
    assert s["status"] == "review" and codes(s)["courier_conflict"] == "review"
    assert "圆通速递" in next(c for c in s["checks"] if c["code"] == "courier_conflict")["message"]["zh"]


def test_unknown_courier_text_is_noted():
    [s] = build(po=purchase([{"courier_text": "神秘快递", "tracking": "JT3012345678901"}]))
    assert codes(s)["courier_text_unknown"] == "warn" and s["status"] == "ready"


def test_courier_not_offered_is_blocked_never_a_near_miss():
    [s] = build(options=["中通快运", "顺丰快运", "圆通快递"])
    assert s["status"] == "blocked" and codes(s)["courier_not_offered"] == "block"
    assert s["target"] == {"code": None, "option": None}


def test_freight_text_picks_the_freight_option_but_needs_review():
    [s] = build(po=purchase([{"courier_text": "中通快运", "tracking": "73012345678901"}]))
    assert s["courier"]["id"] == "zto_freight" and s["target"]["option"] == "中通快运"
    assert s["status"] == "review" and codes(s)["courier_ambiguous"] == "review"


def test_unknown_platform_code_with_option_is_only_a_warning():
    # 京东 has no citable Taobao code: the form option is what matters
    [s] = build(site="taobao-seller", po=purchase([{"courier_text": "京东快递", "tracking": "JDA123456789012"}]),
                options=["中通快递", "京东快递"])
    assert s["target"] == {"code": None, "option": "京东快递"}
    assert codes(s)["platform_code_unknown"] == "warn" and s["status"] == "ready"


def test_without_options_the_code_decides():
    [s] = build(options=None)
    assert s["target"] == {"code": "115", "option": None} and s["status"] == "ready"
    [s] = build(site="taobao-seller", options=None, po=purchase([{"courier_text": "京东", "tracking": "JDA123456789012"}]))
    assert s["target"]["code"] is None and codes(s)["platform_code_unknown"] == "review"


def test_best_ships_as_jt_where_only_jt_is_listed():
    [s] = build(po=purchase([{"courier_text": "百世快递", "tracking": "JT3012345678901"}]),
                options=["中通快递", "极兔速递"])
    assert s["courier"]["id"] == "jt" and s["target"] == {"code": "384", "option": "极兔速递"}
    [s] = build(po=purchase([{"courier_text": "百世快递", "tracking": "88001234567"}]), options=["中通快递", "极兔速递"])
    assert s["courier"]["id"] == "best" and s["target"]["option"] == "极兔速递"
    assert codes(s)["courier_successor"] == "warn"


OTHER_BUYER = {"name": "李四", "phone": "139****1111",
               "address": {"province": "江苏省", "city": "南京市", "district": "玄武区"}}


def test_number_reused_for_another_buyer_holds_both_for_review():
    seen = []

    def uses(number):
        seen.append(number)
        return [{"site": "pdd-seller", "order_id": "240101-999999999999999", "buyer": OTHER_BUYER, "uploaded": False}]
    [s] = build(uses=uses)
    assert seen == ["73012345678901"]
    assert s["status"] == "review" and codes(s)["number_reused"] == "review"
    assert "240101-999999999999999" in next(c for c in s["checks"] if c["code"] == "number_reused")["message"]["zh"]


def test_number_already_uploaded_for_another_buyer_is_blocked():
    def uses(number):
        return [{"site": "pdd-seller", "order_id": "240101-999999999999999", "buyer": OTHER_BUYER, "uploaded": True}]
    [s] = build(uses=uses)
    assert s["status"] == "blocked" and codes(s)["number_reused"] == "block"


def test_the_order_that_uploaded_the_number_keeps_it():
    def uses(number):
        return [{"site": "pdd-seller", "order_id": "240101-999999999999999", "buyer": OTHER_BUYER, "uploaded": False},
                {"site": "pdd-seller", "order_id": "240101-123456789012345", "self": True, "uploaded": True}]
    [s] = build(uses=uses)
    assert codes(s)["number_reused_kept"] == "warn" and "number_reused" not in codes(s)
    assert s["status"] == "ready"


def test_number_reused_for_the_same_buyer_is_review():
    def uses(number):
        return [{"site": "pdd-seller", "order_id": "240101-888888888888888", "buyer": copy.deepcopy(BUYER)}]
    [s] = build(uses=uses)
    assert s["status"] == "review" and codes(s)["number_reused_same_buyer"] == "review"


def test_number_reused_unknown_buyer_is_review_and_own_order_ignored():
    def uses(number):
        return [{"site": "pdd-seller", "order_id": "240101-123456789012345", "buyer": {"name": "李四"}},
                {"site": "taobao-seller", "order_id": "1234", "buyer": {}}]
    [s] = build(uses=uses)
    assert "number_reused" not in codes(s)
    assert codes(s)["number_reused_unknown_buyer"] == "review" and s["status"] == "review"


def test_order_with_another_number_is_review():
    [s] = build(so=sales(shipped_number="JT9999999999999"))
    assert s["status"] == "review" and codes(s)["order_has_other_number"] == "review"
    [s] = build(so=sales(status="已发货"))
    assert s["status"] == "review" and codes(s)["order_has_other_number"] == "review"
    [s] = build(so=sales(shipped_number="7301 2345 6789 01", status="已发货"))
    assert codes(s).get("already_shipped") == "warn" and "order_has_other_number" not in codes(s)


def test_ship_to_differs_is_review():
    po = purchase()
    po["ship_to"]["address"]["city"] = "宁波市"
    [s] = build(po=po)
    assert s["status"] == "review" and codes(s)["address_mismatch"] == "review"


def test_phone_tail_recorded_for_sf_and_zto_only():
    so = sales()
    so["buyer"]["phone"] = "138********"
    po = purchase([{"courier_text": "顺丰", "tracking": "SF1234567890123"}])
    po["ship_to"]["phone"] = ""
    [s] = build(so=so, po=po)
    assert codes(s)["phone_tail"] == "warn" and s["status"] == "ready"
    [s] = build(po=purchase([{"courier_text": "顺丰", "tracking": "SF1234567890123"}]))
    assert codes(s)["phone_tail"] == "ok"
    [s] = build(po=purchase([{"courier_text": "圆通", "tracking": "YT1234567890123"}]))
    assert "phone_tail" not in codes(s)


@pytest.mark.parametrize("ship_by,code", [
    ("2026-11-25T09:00:00+08:00", "ship_by_passed"),
    ("2026-11-25T14:00:00+08:00", "ship_by_soon"),
    ("2026-11-25T06:30:00Z", "ship_by_soon"),
    ("2026-11-26T10:31:00+08:00", None),
    ("not a time", None),
])
def test_ship_by(ship_by, code):
    [s] = build(so=sales(ship_by=ship_by))
    found = {c for c in codes(s) if c.startswith("ship_by")}
    assert found == ({code} if code else set())
    assert s["status"] == "ready"   # a deadline warns, it does not stop the shipment


def test_block_beats_review():
    po = purchase([{"courier_text": "圆通速递", "tracking": "73012345678901"}])   # conflict → review
    [s] = build(po=po, options=["圆通快递"])                                      # zto not offered → block
    assert s["status"] == "blocked"
    assert {"courier_conflict", "courier_not_offered"} <= set(codes(s))


def test_default_now_is_used_without_injection():
    so = sales(ship_by=(datetime.now(timezone.utc) - timedelta(hours=1)).isoformat())
    [s] = build_shipments("pdd-seller", so, purchase(), PDD_OPTIONS, no_uses)
    assert "ship_by_passed" in codes(s)


def test_inputs_are_not_modified():
    so, po = sales(), purchase([{"courier_text": "京东", "tracking": "JDVA12345678901-1-2"}])
    so0, po0 = copy.deepcopy(so), copy.deepcopy(po)
    build(so=so, po=po)
    assert so == so0 and po == po0
