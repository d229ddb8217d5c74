"""compare_addresses: buyer vs the supplier's ship-to, with page forms and masks."""
import copy

import pytest

from helper.convert import compare_addresses
from helper.convert.address import phone_tail, region_key

BUYER = {"name": "张三", "phone": "138****0000",
         "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路1号"}}


def person(name="张三", phone="13812340000", province="浙江", city="杭州", district="西湖区", detail="文三路1号"):
    return {"name": name, "phone": phone,
            "address": {"province": province, "city": city, "district": district, "detail": detail}}


def codes(checks):
    return [(c["code"], c["level"]) for c in checks]


def test_same_address_in_other_forms():
    checks = compare_addresses(BUYER, person())
    assert codes(checks) == [("address_match", "ok")]
    assert checks[0]["message"] == {"zh": "收货地址与采购单一致", "en": "Ship-to matches the purchase order"}


@pytest.mark.parametrize("a,b", [
    ("浙江省", "浙江"), ("广西壮族自治区", "广西"), ("内蒙古自治区", "内蒙古"), ("新疆维吾尔自治区", "新疆"),
    ("宁夏回族自治区", "宁夏"), ("西藏自治区", "西藏"), ("香港特别行政区", "香港"), ("北京市", "北京"),
])
def test_province_forms(a, b):
    assert codes(compare_addresses(person(province=a), person(province=b))) == [("address_match", "ok")]


def test_autonomous_prefecture_forms():
    a = person(province="湖北省", city="恩施土家族苗族自治州", district="恩施市")
    for city in ("恩施州", "恩施"):
        assert codes(compare_addresses(a, person(province="湖北", city=city, district="恩施市"))) == [("address_match", "ok")]


def test_municipality_city_placeholder_is_skipped():
    a = person(province="北京市", city="北京市", district="朝阳区")
    b = person(province="北京", city="市辖区", district="朝阳区")
    assert codes(compare_addresses(a, b)) == [("address_match", "ok")]


@pytest.mark.parametrize("field,value,part", [
    ("province", "江苏省", "province"), ("city", "宁波市", "city"), ("district", "上城区", "district"),
])
def test_region_mismatch_is_review(field, value, part):
    other = person(**{field: value})
    checks = compare_addresses(BUYER, other)
    assert codes(checks) == [("address_mismatch", "review")]
    assert part in checks[0]["message"]["en"] and value in checks[0]["message"]["zh"]


def test_phone_masks_compare_visible_digits_only():
    assert codes(compare_addresses(BUYER, person(phone="13899990000"))) == [("address_match", "ok")]
    checks = compare_addresses(BUYER, person(phone="13899991111"))
    assert codes(checks) == [("address_mismatch", "review")] and "phone" in checks[0]["message"]["en"]
    checks = compare_addresses(BUYER, person(phone="139****0000"))
    assert codes(checks) == [("address_mismatch", "review")]
    # fully masked: nothing to compare, not a mismatch
    assert codes(compare_addresses(BUYER, person(phone="***********"))) == [("address_match", "ok")]


def test_virtual_number_extension_is_ignored():
    a = dict(BUYER, name="程玲[2817]", phone="17012345678[2817]")
    b = person(name="程玲", phone="170****5678")
    assert codes(compare_addresses(a, b)) == [("address_match", "ok")]


def test_name_masks():
    assert codes(compare_addresses(dict(BUYER, name="张**"), person(name="张三"))) == [("address_match", "ok")]
    assert codes(compare_addresses(dict(BUYER, name="*三"), person(name="张三"))) == [("address_match", "ok")]
    checks = compare_addresses(dict(BUYER, name="李**"), person(name="张三"))
    assert codes(checks) == [("address_mismatch", "review")] and "name" in checks[0]["message"]["en"]
    assert codes(compare_addresses(person(name="张三"), person(name="张三丰")))[0] == ("address_mismatch", "review")


def test_several_differences_are_all_named():
    checks = compare_addresses(BUYER, person(name="李四", phone="13911112222", city="宁波", district="海曙区"))
    msg = checks[0]["message"]
    for part in ("city", "district", "phone", "recipient name"):
        assert part in msg["en"]
    assert "城市" in msg["zh"] and "手机号" in msg["zh"]


def test_missing_sides():
    assert codes(compare_addresses(BUYER, None)) == [("address_unknown", "warn")]
    assert codes(compare_addresses(None, BUYER)) == [("address_unknown", "warn")]
    assert codes(compare_addresses({"name": ""}, {"address": {}})) == [("address_unknown", "warn")]


def test_detail_written_differently_only_warns():
    checks = compare_addresses(BUYER, person(detail="古墩路88号"))
    assert codes(checks) == [("address_match", "ok"), ("address_detail_differs", "warn")]
    # a shortened or masked detail is not flagged
    assert codes(compare_addresses(BUYER, person(detail="文三路1号 2单元"))) == [("address_match", "ok")]
    assert codes(compare_addresses(BUYER, person(detail="文三路****"))) == [("address_match", "ok")]


def test_inputs_are_not_modified():
    a, b = copy.deepcopy(BUYER), person()
    compare_addresses(a, b)
    assert a == BUYER and b == person()


def test_helpers():
    assert region_key("西湖区") == "西湖" and region_key("城区") == "城区"
    assert phone_tail("138****0000") == "0000"
    assert phone_tail("138****") is None and phone_tail(None) is None
