"""Issue #9, evidence not a gate: a number of a shape plausible for the supplier's courier
but of no known pattern is held for review ("中通单号格式少见：12…，请核对"); the courier's
own trace of that number, returned by a tracking provider, makes it ready with a check
saying so.

Through the real Flask app on a real SQLite file, with the local fake providers (real HTTP
on 127.0.0.1, speaking the documented protocols). Provider settings are written the way the
person at the machine writes them: ``danhao config set`` (URLs are machine-only settings).
"""
import json

import pytest
from click.testing import CliRunner

from helper.app import create_app
from helper.cli import main
from tests.fakes.clock import Clock
from tests.fakes.providers import Fake17Track, FakeKdniao, FakeKuaidi100

from .samples import purchase_order, sales_order

ORDER = "261124-000000000000901"
NUMBER = "12012345678906"          # 14 digits: 中通's length, but no 中通 prefix Danhao knows
OPTIONS = ["申通快递", "圆通快递", "中通快递", "韵达快递", "邮政快递包裹", "极兔速递"]
K100_EVENTS = [
    {"time": "2026-11-25 09:00:00", "context": "【义乌市】 快件已被 中通义乌北苑 揽收", "areaName": "浙江,金华市", "status": "揽收"},
    {"time": "2026-11-25 22:00:00", "context": "【义乌转运中心】 已发出 下一站 【杭州转运中心】", "areaName": "浙江,金华市",
     "status": "在途"},
]
KDN_TRACES = [
    {"AcceptTime": "2026-11-25 09:00:00", "AcceptStation": "【浙江省金华市义乌市公司】 已收件 取件人: 王五",
     "Location": "金华市", "Action": "1"},
    {"AcceptTime": "2026-11-25 22:00:00", "AcceptStation": "【义乌转运中心】 已发出 下一站 【杭州转运中心】",
     "Location": "金华市", "Action": "2"},
]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(db_path, clock):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": clock})


def config_set(db_path, **settings):
    for name, value in settings.items():
        res = CliRunner().invoke(main, ["config", "set", name.replace("track17", "17track"), value, "--db", str(db_path)])
        assert res.exit_code == 0, res.output


@pytest.fixture
def k100(db_path, token):
    with FakeKuaidi100() as fake:
        config_set(db_path, kuaidi100_url=fake.url, kuaidi100_customer=fake.customer, kuaidi100_key=fake.key)
        yield fake


@pytest.fixture
def kdn(db_path, token):
    with FakeKdniao() as fake:
        config_set(db_path, kdniao_url=fake.url, kdniao_ebusiness_id=fake.ebusiness_id, kdniao_app_key=fake.app_key)
        yield fake


@pytest.fixture
def t17(db_path, token):
    with Fake17Track() as fake:
        config_set(db_path, track17_url=fake.url, track17_token=fake.token)
        yield fake


def setup_order(api, courier_text="中通快递", number=NUMBER):
    r = api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order(ORDER)]})
    assert r.status_code == 200, r.get_json()
    r = api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [purchase_order(
        "3900000000000000901", remark=f"PDD {ORDER}", packages=[{"courier_text": courier_text, "tracking": number}])]})
    assert r.status_code == 200, r.get_json()


def convert(api):
    r = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": [ORDER], "options": OPTIONS})
    assert r.status_code == 200, r.get_json()
    (shipment,) = r.get_json()["shipments"]
    return shipment


def check(shipment, code):
    return next((c for c in shipment["checks"] if c["code"] == code), None)


def levels(shipment):
    return {c["code"]: c["level"] for c in shipment["checks"]}


def test_without_a_provider_the_unusual_number_stays_review(api):
    setup_order(api)
    s = convert(api)
    assert s["status"] == "review" and s["number"] == NUMBER and s["courier"]["id"] == "zto"
    unusual = check(s, "courier_format_unusual")
    assert unusual["level"] == "review" and "中通单号格式少见：12…，请核对" in unusual["message"]["zh"]
    assert check(s, "courier_format_confirmed") is None


def test_kuaidi100_trace_of_that_courier_makes_it_ready(api, k100):
    k100.add_trace(NUMBER, "zhongtong", K100_EVENTS, state="0")
    setup_order(api)
    s = convert(api)
    assert s["status"] == "ready", s["checks"]
    assert s["number"] == NUMBER and s["courier"]["id"] == "zto" and s["target"]["option"] == "中通快递"
    confirmed = check(s, "courier_format_confirmed")
    assert confirmed["level"] == "ok" and confirmed["source"] == "trace"
    assert "快递100" in confirmed["message"]["zh"] and "中通快递" in confirmed["message"]["zh"]
    assert "kuaidi100" in confirmed["message"]["en"]
    assert levels(s)["courier_format_unusual"] == "warn"     # still shown, no longer holding it back
    assert levels(s)["picked_up"] == "ok"
    # what was asked: exactly this number, under 中通's own code
    (asked,) = [r for r in k100.requests if r.path == FakeKuaidi100.PATH]
    param = json.loads(asked.form["param"])
    assert param["com"] == "zhongtong" and param["num"] == NUMBER
    # and it is what the review data shows later
    stored = api.get(f"/api/v1/sales-orders/pdd-seller/{ORDER}").get_json()
    (again,) = [x for x in stored["shipments"] if x["number"] == NUMBER]
    assert again["status"] == "ready"


def test_a_trace_arriving_later_turns_review_into_ready_on_refresh(api, k100, clock):
    setup_order(api)
    s = convert(api)                       # 查询无结果: no trace yet
    assert s["status"] == "review"
    assert levels(s)["courier_format_unusual"] == "review" and levels(s)["no_pickup"] == "review"
    k100.add_trace(NUMBER, "zhongtong", K100_EVENTS, state="0")
    clock.hours(0.6)                       # past the 30-minute cache
    r = api.post(f"/api/v1/shipments/{s['shipment_id']}/refresh")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "ready", body["checks"]
    assert levels(body)["courier_format_confirmed"] == "ok" and levels(body)["courier_format_unusual"] == "warn"


def test_kdniao_trace_of_that_courier_makes_it_ready(api, kdn):
    kdn.add_trace(NUMBER, "ZTO", KDN_TRACES, state="2")
    setup_order(api)
    s = convert(api)
    assert s["status"] == "ready", s["checks"]
    assert "快递鸟" in check(s, "courier_format_confirmed")["message"]["zh"]


def test_a_trace_with_order_data_only_is_no_confirmation(api, k100):
    k100.add_trace(NUMBER, "zhongtong", [{"time": "2026-11-25 09:00:00", "context": "商家已下单，等待揽收",
                                          "areaName": "", "status": "已下单"}], state="101")
    setup_order(api)
    s = convert(api)
    assert s["status"] == "review"
    assert levels(s)["courier_format_unusual"] == "review" and check(s, "courier_format_confirmed") is None


def test_another_couriers_trace_of_the_number_is_no_confirmation(api, k100):
    # the provider knows the number only under 申通: the 中通 query finds nothing
    k100.add_trace(NUMBER, "shentong", K100_EVENTS, state="0")
    setup_order(api)
    s = convert(api)
    assert s["status"] == "review" and levels(s)["courier_format_unusual"] == "review"


def test_17track_guessing_the_carrier_is_not_that_couriers_answer(api, t17):
    # Danhao has no 17TRACK code for 中通, so 17TRACK is asked without one and detects a
    # carrier by itself: its trace does not show that 中通 carries this number
    t17.add_trace(NUMBER, "InTransit", "InTransit_Other", providers=[{"name": "ZTO Express", "key": 190456, "events": [
        {"time_iso": "2026-11-25T09:00:00+08:00", "description": "【义乌市】 快件已被 义乌北苑 揽收",
         "location": "浙江,金华市", "stage": "PickedUp"}]}])
    setup_order(api)
    s = convert(api)
    assert levels(s).get("picked_up") == "ok"           # the trace itself was read
    assert s["status"] == "review" and levels(s)["courier_format_unusual"] == "review"
    assert check(s, "courier_format_confirmed") is None


def test_a_well_formed_number_is_not_touched_by_the_rule(api, k100):
    k100.add_trace("73012345678901", "zhongtong", K100_EVENTS, state="0")
    setup_order(api, number="73012345678901")
    s = convert(api)
    assert s["status"] == "ready" and check(s, "courier_format_confirmed") is None
    assert check(s, "courier_format_unusual") is None
