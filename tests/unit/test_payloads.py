"""The door every body goes through: JSON limits, order normalisation, CSV cells (issue #10)."""

import io

import pytest

from helper import jsonbody
from helper.csvsafe import as_text, writer
from helper.errors import ApiError
from helper.payloads import dump, problem
from helper.payloads.address import split_address
from helper.payloads.orders import Order


@pytest.mark.parametrize("raw,code,field", [
    ('{"a": NaN}', "invalid_number", "$"), ('{"a": Infinity}', "invalid_number", "$"),
    ('{"a": 1e400}', "invalid_number", "$"), ('{"a": [9223372036854775808]}', "number_out_of_range", "a[0]"),
    ('{"a": {"b": -9223372036854775809}}', "number_out_of_range", "a.b"),
    ('{"a": "\\ud800"}', "invalid_unicode", "a"), ('{"\\udc00": 1}', "invalid_unicode", "$"),
    ("[" * 100000 + "]" * 100000, "too_deep", "$"), ("[" * 40 + "]" * 40, "too_deep", "[0]" * 32),
    (b"\xff", "invalid_json", "$"), ("{", "invalid_json", "$"),
])
def test_jsonbody_refuses_what_cannot_be_stored_or_echoed(raw, code, field):
    with pytest.raises(ApiError) as caught:
        jsonbody.load(raw.encode() if isinstance(raw, str) else raw)
    assert caught.value.code == code and caught.value.details["field"] == field


def test_jsonbody_keeps_ordinary_values_and_leaves_batch_items_to_the_route():
    assert jsonbody.load(b'{"a": [1, 2.5, "\\u4e2d", true, null], "b": 9223372036854775807}') == {
        "a": [1, 2.5, "中", True, None], "b": 2**63 - 1}
    body = jsonbody.load(b'{"orders": [{"x": "\\ud800"}], "site": "s"}', skip="orders")
    with pytest.raises(ApiError):
        jsonbody.check(body["orders"][0], "orders[0]")


@pytest.mark.parametrize("line,parts", [
    ("浙江省杭州市西湖区文三路1号", ("浙江省", "杭州市", "西湖区", "文三路1号")),
    ("北京市朝阳区建国路88号", ("北京市", "北京市", "朝阳区", "建国路88号")),
    ("广西壮族自治区 南宁市 青秀区 民族大道1号", ("广西壮族自治区", "南宁市", "青秀区", "民族大道1号")),
    ("湖北省恩施土家族苗族自治州恩施市舞阳大街", ("湖北省", "恩施土家族苗族自治州", "恩施市", "舞阳大街")),
])
def test_a_one_line_address_is_split_into_the_model_shape(line, parts):
    assert split_address(line) == dict(zip(("province", "city", "district", "detail"), parts))


def test_an_address_that_cannot_be_split_safely_stays_in_detail():
    assert split_address("文三路1号 3单元") == {"detail": "文三路1号 3单元"}


def test_an_order_keeps_unknown_fields_and_normalises_known_ones():
    order, trouble = problem(Order, {"order_id": " 1 ", "risk": {"a": [1]}, "packages": ["YT1"],
                                     "buyer": {"name": "张三", "phone": "", "address": "上海市浦东新区世纪大道"}})
    assert trouble is None
    assert dump(order) == {"order_id": "1", "risk": {"a": [1]}, "packages": [{"tracking": "YT1"}],
                           "buyer": {"name": "张三", "phone": "",
                                     "address": {"province": "上海市", "city": "上海市", "district": "浦东新区",
                                                 "detail": "世纪大道"}}}


@pytest.mark.parametrize("order,field", [
    ({}, "orders[2].order_id"), ({"order_id": 1}, "orders[2].order_id"), ({"order_id": True}, "orders[2].order_id"),
    ({"order_id": "1", "status": ["a"]}, "orders[2].status"), ({"order_id": "1", "items": [{"quantity": 1.5}]},
                                                               "orders[2].items[0].quantity"),
    ({"order_id": "1", "ship_to": {"address": 5}}, "orders[2].ship_to.address"),
    ({"order_id": "1", "ship_by": "2026-02-30T10:00:00+08:00"}, "orders[2].ship_by"),
])
def test_a_bad_order_names_its_field_in_both_languages(order, field):
    _, (where, message) = problem(Order, order, "orders[2]")
    assert where == field and message.startswith(field)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message) and "/" in message


def test_csv_cells_follow_defusedcsv_plus_tab_and_carriage_return():
    buffer = io.StringIO()
    writer(buffer, lineterminator="\n").writerow(
        ["=1+1", "+8613812345678", "-1", "-12.50", "@A1", "\t=1", "\r=1", "普通", 7, None, as_text("YT1"), as_text("-x")])
    assert buffer.getvalue() == "'=1+1,'+8613812345678,-1,-12.50,'@A1,'\t=1,'\r=1,普通,7,,\tYT1,'-x\n"
