"""Trace verification through the real app: before filling, refresh, alerts, restarts.

The tracking provider is the fake Kuaidi100 (real HTTP on 127.0.0.1, checking the sign);
time is a fake clock handed to the app, so the platforms' 24 h rules are tested without
waiting.
"""


import pytest

from helper.app import create_app
from helper.store import connect
from helper.verify import Refresher, Verifier, refresh_due
from tests.fakes.clock import Clock
from tests.fakes.providers import FakeKuaidi100

from .samples import person, purchase_order, sales_order

NUMBER = "YT7512348820461"
BUYER = person("李娜", "159****3307", "广东省", "深圳市", "南山区", "科技园1栋")
PICKUP = {"time": "2026-11-25 09:00:00", "context": "【义乌市】 快件已被 义乌北苑 揽收", "areaName": "浙江,金华市", "status": "揽收"}
HUB = {"time": "2026-11-25 22:00:00", "context": "【义乌转运中心】 已发出 下一站 【深圳转运中心】", "areaName": "浙江,金华市", "status": "在途"}
DELIVERED = [
    {"time": "2026-11-27 09:00:00", "context": "【深圳市南山区】 快件已到达 科技园，派件员：张三 正在派件", "areaName": "广东,深圳市", "status": "派件"},
    {"time": "2026-11-27 12:00:00", "context": "【深圳市南山区】 您的快件已签收，签收人：本人", "areaName": "广东,深圳市", "status": "签收"},
]
OPTIONS = ["中通快递", "圆通速递", "韵达快递", "极兔速递", "中国邮政", "邮政快递包裹", "EMS"]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def k100():
    with FakeKuaidi100() as fake:
        yield fake


@pytest.fixture
def app(db_path, clock):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": clock})


@pytest.fixture
def configured(api, k100, db_path):
    # A provider URL receives the provider's key: only the person at the machine sets it (issue #10).
    from click.testing import CliRunner

    from helper.cli import main

    res = CliRunner().invoke(main, ["config", "set", "kuaidi100_url", k100.url, "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    r = api.put("/api/v1/settings", body={"kuaidi100_customer": k100.customer, "kuaidi100_key": k100.key})
    assert r.status_code == 200
    return k100


def setup_order(api, number=NUMBER, courier_text="圆通速递", buyer=BUYER):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [
        sales_order("261124-740859411842785", buyer=buyer)]})
    api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [purchase_order(
        "3643748111487262648", remark="PDD 261124-740859411842785", ship_to=buyer,
        packages=[{"courier_text": courier_text, "tracking": number}])]})


def convert(api):
    r = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": ["261124-740859411842785"], "options": OPTIONS})
    assert r.status_code == 200, r.get_json()
    (shipment,) = r.get_json()["shipments"]
    return shipment


def codes(shipment, level=None):
    return {c["code"] for c in shipment["checks"] if level is None or c["level"] == level}


def test_without_providers_the_shipment_says_pickup_is_unverified(api):
    setup_order(api)
    shipment = convert(api)
    assert shipment["status"] == "ready"
    assert "trace_not_checked" in codes(shipment, "warn")


def test_no_pickup_holds_the_fill_back_until_the_courier_scans(api, configured, clock):
    setup_order(api)
    shipment = convert(api)  # the fake has no trace for the number yet: 查询无结果
    assert shipment["status"] == "review" and "no_pickup" in codes(shipment, "review")
    assert configured.count() == 1

    configured.add_trace(NUMBER, "yuantong", [PICKUP], state="1")
    again = convert(api)  # within 30 minutes: answered from the cache, not asked again
    assert configured.count() == 1 and again["status"] == "review"

    clock.hours(0.6)
    r = api.post(f"/api/v1/shipments/{shipment['shipment_id']}/refresh")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "ready" and "picked_up" in codes(body, "ok")
    assert body["trace"]["status"] == "picked_up" and body["trace_full"]["provider"] == "kuaidi100"
    assert configured.count() == 2
    kinds = [e["kind"] for e in api.get("/api/v1/events?kind=shipment").get_json()["events"]]
    assert "shipment.status_changed" in kinds


def test_allowing_fill_without_pickup_turns_it_into_a_warning(api, configured):
    api.put("/api/v1/settings", body={"allow_fill_without_pickup": "1"})
    setup_order(api)
    shipment = convert(api)
    assert shipment["status"] == "ready" and "no_pickup" in codes(shipment, "warn")


def test_destination_in_another_city_sends_to_review(api, configured):
    elsewhere = person("李娜", "159****3307", "黑龙江省", "哈尔滨市", "南岗区", "西大直街1号")
    configured.add_trace(NUMBER, "yuantong", [PICKUP, HUB, {
        "time": "2026-11-25 23:00:00", "context": "【深圳市】 快件已到达 深圳转运中心", "areaName": "广东,深圳市", "status": "在途"}],
        state="0", route_to="广东,深圳市")
    setup_order(api, buyer=elsewhere)
    shipment = convert(api)
    assert "destination_mismatch" in codes(shipment, "review") and shipment["status"] == "review"


def test_uploaded_shipment_stalls_raise_an_alert_and_delivery_closes_it(api, configured, clock, db_path):
    configured.add_trace(NUMBER, "yuantong", [PICKUP], state="1")
    setup_order(api)
    shipment = convert(api)
    assert shipment["status"] == "ready"
    r = api.post("/api/v1/fill-results", body={"site": "pdd-seller", "results": [{
        "shipment_id": shipment["shipment_id"], "order_id": shipment["order_id"], "result": "filled", "submitted": True}]})
    assert r.status_code == 200

    # 25 hours after the upload, still only the pickup scan: the platforms' 24 h rule.
    clock.hours(25)
    db = connect(db_path)
    verifier = Verifier.for_db(db, str(db_path), clock)
    assert refresh_due(db, verifier) == {"refreshed": 1, "failed": 0}
    alerts = api.get("/api/v1/alerts").get_json()["alerts"]
    assert {a["code"] for a in alerts} >= {"no_update_after_upload"}
    assert all(a["number"] == NUMBER for a in alerts)
    assert api.get("/api/v1/status").get_json()["alerts"] == len(alerts)

    # Not due again before its next check time: nothing is asked.
    asked = configured.count()
    assert refresh_due(db, verifier) == {"refreshed": 0, "failed": 0}
    assert configured.count() == asked

    # Delivered: alerts close, the shipment leaves the refresh schedule for good.
    configured.add_trace(NUMBER, "yuantong", [PICKUP, HUB, *DELIVERED], state="3")
    clock.hours(48)
    assert refresh_due(db, verifier)["refreshed"] == 1
    assert api.get("/api/v1/alerts").get_json()["alerts"] == []
    resolved = api.get("/api/v1/alerts?all=1").get_json()["alerts"]
    assert resolved and all(a["resolved_at"] for a in resolved)
    clock.hours(240)
    asked = configured.count()
    assert refresh_due(db, verifier) == {"refreshed": 0, "failed": 0}
    assert configured.count() == asked
    db.conn.close()


def test_schedule_and_cache_survive_a_restart(api, configured, clock, db_path):
    configured.add_trace(NUMBER, "yuantong", [PICKUP], state="1")
    setup_order(api)
    convert(api)
    assert configured.count() == 1
    # A new helper process on the same database: the trace is still cached, the schedule kept.
    restarted = create_app({"DB_PATH": str(db_path), "CLOCK": clock})
    with restarted.test_request_context():
        db = connect(db_path)
        verifier = Verifier.for_db(db, str(db_path), clock)
        assert refresh_due(db, verifier) == {"refreshed": 0, "failed": 0}  # next check is hours away
        clock.hours(7)
        assert Refresher(str(db_path), clock=clock).tick() == {"refreshed": 1, "failed": 0}
        db.conn.close()
    assert configured.count() == 2


def test_transfer_replaces_the_first_mile_number_with_evidence(api, configured):
    first = "73012345678901"
    configured.add_trace(first, "zhongtong", [
        {"time": "2026-11-24 10:00:00", "context": "【深圳市】 快件已被 宝安 揽收", "areaName": "广东,深圳市", "status": "揽收"},
        {"time": "2026-11-25 09:00:00", "context": "【深圳市】 快件超区，已转投至邮政快递包裹，新单号：9876543210123",
         "areaName": "广东,深圳市", "status": "转投"}], state="7", phone="3307")
    configured.add_trace("9876543210123", "youzhengguonei", [
        {"time": "2026-11-25 11:00:00", "context": "【深圳市】 邮政已收寄", "areaName": "广东,深圳市", "status": "揽收"}], state="1")
    setup_order(api, number=first, courier_text="中通快递")
    shipment = convert(api)
    assert shipment["number"] == "9876543210123"
    assert shipment["first_mile"]["number"] == first
    assert shipment["courier"]["id"] == "chinapost" and shipment["target"]["option"] == "邮政快递包裹"
    assert "number_replaced" in codes(shipment)
    (event,) = api.get("/api/v1/events?kind=shipment.number_replaced").get_json()["events"]
    assert event["data"]["from"] == first and event["data"]["to"] == "9876543210123"
    assert "9876543210123" in event["data"]["evidence"]["text"]


def test_provider_errors_are_clear_and_never_show_the_key(api, configured, k100, clock):
    setup_order(api)
    shipment = convert(api)
    api.put("/api/v1/settings", body={"kuaidi100_key": "wrong-key-abcdef"})
    clock.hours(1)  # past the 30-minute cache
    r = api.post(f"/api/v1/shipments/{shipment['shipment_id']}/refresh")
    assert r.status_code == 502
    err = r.get_json()["error"]
    assert err["code"] == "provider_bad_signature"
    assert "wrong-key-abcdef" not in r.get_data(as_text=True)
    assert k100.key not in r.get_data(as_text=True)
    assert "wrong-key-abcdef" not in api.get("/api/v1/events?limit=500").get_data(as_text=True)


def test_refresh_without_providers_is_a_409(api):
    setup_order(api)
    shipment = convert(api)
    r = api.post(f"/api/v1/shipments/{shipment['shipment_id']}/refresh")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "tracking_not_configured"
    assert api.post("/api/v1/shipments/s_nope/refresh").status_code == 404
