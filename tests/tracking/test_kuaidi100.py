"""Kuaidi100 client against the fake Kuaidi100 (real HTTP on 127.0.0.1)."""
import json

import pytest

from helper.tracking import ProviderError
from helper.tracking.kuaidi100 import make_param, make_sign
from tests.fakes.providers import kuaidi100_sign
from tests.tracking.conftest import make_service
from tests.tracking.samples import K100_TRANSFER, K100_ZTO_DELIVERED, K100_ZTO_IN_TRANSIT, YTO_NUMBER, ZTO_NUMBER


def test_sign_is_md5_of_exact_param_key_customer_upper_hex():
    param = make_param("yuantong", YTO_NUMBER)
    # the documented recipe, computed independently by the fake's helper
    assert make_sign(param, "KEY", "CUST") == kuaidi100_sign(param, "KEY", "CUST")
    assert make_sign(param, "KEY", "CUST").isupper() and len(make_sign(param, "KEY", "CUST")) == 32
    assert json.loads(param) == {"com": "yuantong", "num": YTO_NUMBER, "phone": "", "from": "", "to": "",
                                 "resultv2": "1", "show": "0", "order": "desc"}


def test_query_sends_documented_form_and_parses_newest_first_into_oldest_first(k100, clock):
    k100.add_trace(ZTO_NUMBER, "zhongtong", K100_ZTO_IN_TRANSIT, state="0", phone="13800000000")
    trace = make_service(clock, k100).query(ZTO_NUMBER, "zto", phone_tail="0000")
    req = k100.requests[0]
    assert req.path == "/poll/query.do" and set(req.form) == {"customer", "sign", "param"}
    assert req.form["sign"] == kuaidi100_sign(req.form["param"], k100.key, k100.customer)
    assert json.loads(req.form["param"])["phone"] == "0000"
    assert trace.provider == "kuaidi100" and trace.courier == "zto" and trace.number == ZTO_NUMBER
    assert trace.status == "in_transit"
    assert [e.time for e in trace.events] == ["2026-11-23T18:02:11+08:00", "2026-11-23T23:40:05+08:00",
                                              "2026-11-24T21:15:00+08:00"]
    assert [e.stage for e in trace.events] == ["picked_up", "departed_hub", "in_transit"]
    assert trace.events[0].place == "浙江,金华市"


def test_ascending_answers_are_also_oldest_first(k100):
    # the fake honours order=asc; the parser sorts by time whatever the order
    from helper.tracking.http import ProviderHTTP
    from helper.tracking.kuaidi100 import Kuaidi100Client
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    client = Kuaidi100Client(k100.url, k100.customer, k100.key, ProviderHTTP("kuaidi100"))
    param = make_param("yuantong", YTO_NUMBER).replace('"order":"desc"', '"order":"asc"')
    resp = client.http.post(client.url, data={"customer": k100.customer, "param": param,
                                              "sign": make_sign(param, k100.key, k100.customer)})
    body = resp.json()
    assert body["data"][0]["time"] == "2026-11-23 18:02:11"   # served oldest first
    trace = client._parse(body, YTO_NUMBER)
    assert trace.events[0].time.startswith("2026-11-23T18:02")


def test_wrong_key_gets_bad_signature(k100, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    service = make_service(clock, k100, overrides={"kuaidi100_key": "wrong-key-123456"})
    with pytest.raises(ProviderError) as ei:
        service.query(YTO_NUMBER, "yto")
    assert ei.value.code == "bad_signature" and not ei.value.retryable
    assert "wrong-key-123456" not in str(ei.value) and "wrong-key-123456" not in repr(ei.value)
    assert k100.count() == 1   # a business error is not retried


@pytest.mark.parametrize("behaviour,code", [
    ("too_frequent", "too_frequent"), ("no_quota", "no_quota"), ("bad_key", "bad_key"),
    ("bad_signature", "bad_signature")])
def test_error_codes_are_mapped(k100, clock, behaviour, code):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    k100.always(behaviour)
    with pytest.raises(ProviderError) as ei:
        make_service(clock, k100).query(YTO_NUMBER, "yto")
    assert ei.value.code == code and ei.value.provider == "kuaidi100"
    assert k100.count() == 1


def test_unknown_company_is_unsupported_courier(k100, clock):
    from helper.tracking.http import ProviderHTTP
    from helper.tracking.kuaidi100 import Kuaidi100Client
    client = Kuaidi100Client(k100.url, k100.customer, k100.key, ProviderHTTP("kuaidi100"))
    with pytest.raises(ProviderError) as ei:
        client.fetch(YTO_NUMBER, "nosuchcourier")
    assert ei.value.code == "unsupported_courier"


def test_phone_is_required_for_zto_and_checked_by_the_provider(k100, clock):
    k100.add_trace(ZTO_NUMBER, "zhongtong", K100_ZTO_IN_TRANSIT, phone="13800001234")
    service = make_service(clock, k100)
    with pytest.raises(ProviderError) as ei:
        service.query(ZTO_NUMBER, "zto")            # refused locally: no call made
    assert ei.value.code == "phone_required" and k100.count() == 0
    with pytest.raises(ProviderError) as ei:
        service.query(ZTO_NUMBER, "zto", phone_tail="9999")
    assert ei.value.code == "phone_required" and k100.count() == 1   # 408 from the provider
    assert service.query(ZTO_NUMBER, "zto", phone_tail="138-0000-1234").status == "in_transit"


def test_no_result_is_a_trace_with_status_none(k100, clock):
    trace = make_service(clock, k100).query(YTO_NUMBER, "yto")
    assert trace.status == "none" and trace.events == [] and trace.provider_state == "no_result"


def test_delivered_to_a_proxy_with_destination(k100, clock):
    k100.add_trace(ZTO_NUMBER, "zhongtong", K100_ZTO_DELIVERED, state="3")
    trace = make_service(clock, k100).query(ZTO_NUMBER, "zto", phone_tail="0000")
    assert trace.status == "delivered"
    assert trace.signed_by == "门卫" and trace.sign_type == "proxy"
    assert trace.destination == {"province": "广东", "city": "广州市"}
    assert trace.events[-1].stage == "delivered" and trace.events[-2].stage == "out_for_delivery"


def test_route_info_gives_the_destination(k100, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT, route_to="四川,成都市")
    trace = make_service(clock, k100).query(YTO_NUMBER, "yto")
    assert trace.destination == {"province": "四川", "city": "成都市"}


@pytest.mark.parametrize("state,status", [
    ("0", "in_transit"), ("1", "picked_up"), ("2", "problem"), ("3", "delivered"), ("4", "returned"),
    ("5", "out_for_delivery"), ("6", "returned"), ("7", "in_transit"), ("10", "in_transit"),
    ("14", "problem"), ("103", "picked_up"), ("1001", "in_transit"), ("1002", "in_transit"),
    ("501", "out_for_delivery"), ("301", "delivered"), ("303", "delivered"), ("304", "delivered"),
    ("401", "problem")])
def test_state_codes_map_to_one_status(k100, clock, state, status):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT, state=state)
    assert make_service(clock, k100).query(YTO_NUMBER, "yto").status == status


def test_ordered_but_not_picked_up_is_none(k100, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", [
        {"time": "2026-11-24 09:00:00", "context": "商家已下单，等待揽收", "status": "已下单"}], state="1")
    trace = make_service(clock, k100).query(YTO_NUMBER, "yto")
    assert trace.status == "none" and trace.events[0].stage == "info"


def test_303_is_a_proxy_signature_and_304_a_locker(k100, clock):
    done = K100_ZTO_IN_TRANSIT + [{"time": "2026-11-25 09:00:00", "context": "已签收", "status": "签收"}]
    k100.add_trace(YTO_NUMBER, "yuantong", done, state="303")
    assert make_service(clock, k100).query(YTO_NUMBER, "yto").sign_type == "proxy"
    k100.add_trace(YTO_NUMBER, "yuantong", done, state="304")
    clock.advance(3600)   # past the cache
    assert make_service(clock, k100).query(YTO_NUMBER, "yto").sign_type == "locker"


def test_transfer_links_the_last_mile_number(k100, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_TRANSFER, state="7")
    trace = make_service(clock, k100).query(YTO_NUMBER, "yto")
    assert trace.status == "in_transit"
    assert trace.transfer["number"] == "9876543210123" and trace.transfer["courier"] == "chinapost"
    assert trace.transfer["evidence"]["time"] == "2026-11-21T09:00:00+08:00"
    assert "转投" in trace.transfer["evidence"]["text"]
    assert trace.events[-1].stage == "transfer"


def test_malformed_json_is_bad_response(k100, clock):
    k100.always("malformed")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, k100).query(YTO_NUMBER, "yto")
    assert ei.value.code == "bad_response" and k100.count() == 1
