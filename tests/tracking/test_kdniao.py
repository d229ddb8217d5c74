"""Kdniao client against the fake Kdniao (real HTTP on 127.0.0.1)."""
import base64
import hashlib
import json
from urllib.parse import quote, unquote_plus

import pytest

from helper.tracking import ProviderError
from helper.tracking.kdniao import make_request_data, make_sign
from tests.tracking.conftest import make_service
from tests.tracking.samples import KDN_YTO_OFD, SF_NUMBER, YTO_NUMBER


def test_datasign_is_base64_of_lower_hex_md5():
    data = make_request_data("YTO", YTO_NUMBER)
    expected = base64.b64encode(hashlib.md5((data + "APPKEY").encode()).hexdigest().encode()).decode()
    assert make_sign(data, "APPKEY") == expected
    assert json.loads(data) == {"OrderCode": "", "ShipperCode": "YTO", "LogisticCode": YTO_NUMBER,
                                "CustomerName": ""}


def test_form_on_the_wire_url_encodes_the_sign_once(kdn, clock):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2", state_ex="202", location="杭州市")
    make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto")
    req = kdn.requests[0]
    raw = req.body.decode()
    assert "DataSign=" + quote(req.form["DataSign"], safe="") in raw   # base64 '=' / '+' are encoded
    assert req.form["RequestType"] == "1002" and req.form["DataType"] == "2"
    assert req.form["EBusinessID"] == kdn.ebusiness_id
    assert json.loads(req.form["RequestData"])["ShipperCode"] == "YTO"
    assert unquote_plus(raw.split("RequestData=")[1].split("&")[0]) == req.form["RequestData"]


def test_oldest_first_trace_out_for_delivery_with_destination(kdn, clock):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2", state_ex="202", location="浙江省杭州市")
    trace = make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto")
    assert trace.provider == "kdniao" and trace.status == "out_for_delivery"
    assert trace.events[0].time == "2026-11-23T17:00:00+08:00" and trace.events[0].stage == "picked_up"
    assert trace.events[1].stage == "departed_hub"
    assert trace.events[-1].stage == "out_for_delivery"
    assert trace.destination == {"province": "浙江", "city": "杭州市"}
    assert trace.provider_state == "2/202"


def test_wrong_app_key_gets_bad_signature(kdn, clock):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2")
    service = make_service(clock, kdn=kdn, overrides={"kdniao_app_key": "not-the-app-key"})
    with pytest.raises(ProviderError) as ei:
        service.query(YTO_NUMBER, "yto")
    assert ei.value.code == "bad_signature" and kdn.count() == 1
    assert "not-the-app-key" not in str(ei.value)


def test_wrong_ebusiness_id_is_bad_key(kdn, clock):
    service = make_service(clock, kdn=kdn, overrides={"kdniao_ebusiness_id": "999"})
    with pytest.raises(ProviderError) as ei:
        service.query(YTO_NUMBER, "yto")
    assert ei.value.code == "bad_key"


@pytest.mark.parametrize("behaviour,code", [
    ("too_frequent", "too_frequent"), ("no_quota", "no_quota"), ("bad_key", "bad_key"),
    ("bad_signature", "bad_signature")])
def test_reasons_map_to_codes(kdn, clock, behaviour, code):
    kdn.always(behaviour)
    with pytest.raises(ProviderError) as ei:
        make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto")
    assert ei.value.code == code and ei.value.provider == "kdniao" and kdn.count() == 1
    assert ei.value.detail   # Kdniao's own reason is kept for the log


def test_no_trace_yet_is_status_none(kdn, clock):
    trace = make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto")
    assert trace.status == "none" and trace.events == [] and trace.provider_state == "0"


def test_sf_needs_customer_name(kdn, clock):
    kdn.add_trace(SF_NUMBER, "SF", KDN_YTO_OFD, state="2", customer_name="13900005678")
    service = make_service(clock, kdn=kdn)
    with pytest.raises(ProviderError) as ei:
        service.query(SF_NUMBER, "sf")
    assert ei.value.code == "phone_required" and kdn.count() == 0
    with pytest.raises(ProviderError) as ei:
        service.query(SF_NUMBER, "sf", phone_tail="1111")
    assert ei.value.code == "phone_required" and kdn.count() == 1
    assert service.query(SF_NUMBER, "sf", phone_tail="5678").status == "in_transit"
    assert json.loads(kdn.requests[-1].form["RequestData"])["CustomerName"] == "5678"


@pytest.mark.parametrize("state,state_ex,status", [
    ("0", "", "none"), ("1", "", "picked_up"), ("2", "", "in_transit"), ("2", "201", "in_transit"),
    ("2", "202", "out_for_delivery"), ("2", "211", "out_for_delivery"), ("3", "", "delivered"),
    ("3", "301", "delivered"), ("3", "304", "delivered"), ("3", "311", "delivered"),
    ("4", "", "problem"), ("4", "402", "problem"), ("4", "403", "problem"), ("4", "404", "returned"),
    ("4", "407", "returned")])
def test_state_and_state_ex_map_to_one_status(kdn, clock, state, state_ex, status):
    traces = [] if status == "none" else KDN_YTO_OFD[:3]
    kdn.add_trace(YTO_NUMBER, "YTO", traces, state=state, state_ex=state_ex)
    assert make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto").status == status


def test_state_ex_sign_types(kdn, clock):
    done = KDN_YTO_OFD + [{"AcceptTime": "2026-11-24 15:00:00", "Location": "杭州市",
                           "AcceptStation": "已签收，签收人是【菜鸟驿站】", "Action": "311"}]
    kdn.add_trace(YTO_NUMBER, "YTO", done, state="3", state_ex="311")
    trace = make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto")
    assert trace.status == "delivered" and trace.sign_type == "locker"


def test_transfer_in_kdniao_text(kdn, clock):
    traces = KDN_YTO_OFD[:2] + [{"AcceptTime": "2026-11-24 08:00:00", "Location": "拉萨市", "Action": "5",
                                 "AcceptStation": "快件已转寄，交由EMS派送，运单号：1234567890123"}]
    kdn.add_trace(YTO_NUMBER, "YTO", traces, state="2", state_ex="5")
    trace = make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto")
    assert trace.transfer["number"] == "1234567890123" and trace.transfer["courier"] == "ems"
    assert trace.events[-1].stage == "transfer"


def test_malformed_json_is_bad_response(kdn, clock):
    kdn.always("malformed")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, kdn=kdn).query(YTO_NUMBER, "yto")
    assert ei.value.code == "bad_response"


def test_fake_accepts_the_python_demo_double_encoding(kdn):
    """Kdniao's Python demo quote()s RequestData before form-encoding; the sign is over the raw JSON."""
    import requests
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2")
    data = make_request_data("YTO", YTO_NUMBER)
    resp = requests.post(kdn.url + "/Ebusiness/EbusinessOrderHandle.aspx", timeout=5, data={
        "RequestData": quote(data), "EBusinessID": kdn.ebusiness_id, "RequestType": "1002",
        "DataSign": make_sign(data, kdn.app_key), "DataType": "2"})
    assert resp.json()["Success"] is True and resp.json()["State"] == "2"
