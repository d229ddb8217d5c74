"""17TRACK v2.2 client against the fake 17TRACK (real HTTP on 127.0.0.1)."""
import pytest

from helper.tracking import ProviderError
from tests.tracking.conftest import make_service

NUM = "LP00123456789012"
EVENTS_CN = [
    {"time_iso": "2026-11-20T10:00:00+08:00", "description": "【深圳市】 包裹已揽收", "location": "深圳市", "stage": "PickedUp"},
    {"time_iso": "2026-11-21T02:00:00+08:00", "description": "【深圳转运中心】 已发出", "location": "深圳市", "stage": "Departure"},
]
EVENTS_US = [
    {"time_iso": "2026-11-26T09:00:00-05:00", "description": "Out for delivery", "location": "New York, NY", "stage": "OutForDelivery"},
]


def test_token_header_and_json_body(t17, clock):
    t17.add_trace(NUM, "InTransit", "InTransit_Other", [{"name": "Cainiao", "key": 190271, "events": EVENTS_CN}])
    trace = make_service(clock, t17=t17).query(NUM, "cainiao")
    req = t17.requests[0]
    assert req.path == "/track/v2.2/gettrackinfo" and req.headers["17token"] == t17.token
    assert req.json == [{"number": NUM}]          # no 17TRACK code known: carrier auto-detect
    assert trace.status == "in_transit" and trace.provider == "17track"
    assert [e.stage for e in trace.events] == ["picked_up", "departed_hub"]


def test_known_carrier_code_is_sent(t17, clock):
    t17.add_trace("RR123456785CN", "InTransit", "", [{"name": "China Post", "events": EVENTS_CN}])
    make_service(clock, t17=t17).query("RR123456785CN", "chinapost")
    assert t17.requests[0].json == [{"number": "RR123456785CN", "carrier": 3011}]


def test_unregistered_number_is_registered_then_read(t17, clock):
    t17.add_trace(NUM, "InTransit", "", [{"name": "Cainiao", "events": EVENTS_CN}], registered=False)
    trace = make_service(clock, t17=t17).query(NUM, None)
    assert [r.path.rsplit("/", 1)[1] for r in t17.requests] == ["gettrackinfo", "register", "gettrackinfo"]
    assert trace.status == "in_transit"


def test_registered_without_information_yet_is_status_none(t17, clock):
    trace = make_service(clock, t17=t17).query(NUM, None)   # registers, then -18019909
    assert trace.status == "none" and trace.events == []


def test_bad_token_is_bad_key(t17, clock):
    service = make_service(clock, t17=t17, overrides={"track17_token": "bad-token-xyz"})
    with pytest.raises(ProviderError) as ei:
        service.query(NUM, None)
    assert ei.value.code == "bad_key" and "bad-token-xyz" not in str(ei.value) and t17.count() == 1


def test_http_429_is_too_frequent_without_retry(t17, clock):
    t17.always("too_frequent")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, t17=t17).query(NUM, None)
    assert ei.value.code == "too_frequent" and t17.count() == 1


def test_quota_codes(t17, clock):
    t17.always("no_quota")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, t17=t17).query(NUM, None)
    assert ei.value.code == "no_quota"


def test_register_quota_used_up(t17, clock):
    t17.script("ok", "no_quota")   # gettrackinfo says not registered, register says quota used up
    with pytest.raises(ProviderError) as ei:
        make_service(clock, t17=t17).query(NUM, None)
    assert ei.value.code == "no_quota" and "-18019908" in ei.value.detail


@pytest.mark.parametrize("status,sub,expected", [
    ("NotFound", "NotFound_Other", "none"), ("InfoReceived", "InfoReceived", "none"),
    ("InTransit", "InTransit_PickedUp", "picked_up"), ("InTransit", "InTransit_Other", "in_transit"),
    ("Expired", "Expired_Other", "problem"), ("AvailableForPickup", "", "out_for_delivery"),
    ("OutForDelivery", "", "out_for_delivery"), ("DeliveryFailure", "", "problem"),
    ("Delivered", "Delivered_Other", "delivered"), ("Exception", "Exception_Other", "problem"),
    ("Exception", "Exception_Returning", "returned"), ("Exception", "Exception_Returned", "returned")])
def test_statuses_map_to_one_status(t17, clock, status, sub, expected):
    events = [] if expected == "none" else EVENTS_CN
    t17.add_trace(NUM, status, sub, [{"name": "Cainiao", "events": events}])
    assert make_service(clock, t17=t17).query(NUM, None).status == expected


def test_first_and_last_mile_events_merge_oldest_first_in_china_time(t17, clock):
    t17.add_trace(NUM, "OutForDelivery", "", [{"name": "Cainiao", "events": EVENTS_CN},
                                              {"name": "USPS", "events": EVENTS_US}])
    trace = make_service(clock, t17=t17).query(NUM, None)
    assert [e.time for e in trace.events] == ["2026-11-20T10:00:00+08:00", "2026-11-21T02:00:00+08:00",
                                              "2026-11-26T22:00:00+08:00"]
    assert trace.destination is None   # an English place is not compared with a Chinese address


def test_last_mile_number_in_event_text_is_a_transfer(t17, clock):
    handed = {"time_iso": "2026-11-24T08:00:00+08:00", "stage": "Departure", "location": "",
              "description": "Handed over to last mile carrier USPS, tracking number: 9400111899223344556677"}
    t17.add_trace(NUM, "InTransit", "", [{"name": "Cainiao", "events": EVENTS_CN + [handed]}])
    trace = make_service(clock, t17=t17).query(NUM, None)
    assert trace.transfer["number"] == "9400111899223344556677" and trace.transfer["courier"] == "usps"


def test_recipient_address_gives_destination(t17, clock):
    t17.add_trace(NUM, "InTransit", "", [{"name": "x", "events": EVENTS_CN}],
                  recipient={"country": "CN", "state": "浙江省", "city": "杭州市"})
    assert make_service(clock, t17=t17).query(NUM, None).destination == {"province": "浙江", "city": "杭州市"}


def test_malformed_json_is_bad_response(t17, clock):
    t17.always("malformed")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, t17=t17).query(NUM, None)
    assert ei.value.code == "bad_response"
