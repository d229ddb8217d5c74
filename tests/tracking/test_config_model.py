"""Configuration (env wins, keys hidden) and the trace model's parsing helpers."""
from datetime import datetime

from hypothesis import given, strategies as st

from helper.tracking import ProviderError, Trace, TraceEvent, TrackingConfig, TrackingService
from helper.tracking.model import classify_text, parse_place, to_cn_iso, transfer_from

ENV = {"DANHAO_KUAIDI100_URL": "http://127.0.0.1:1", "DANHAO_KUAIDI100_CUSTOMER": "CUST",
       "DANHAO_KUAIDI100_KEY": "env-k100-key", "DANHAO_17TRACK_TOKEN": "env-17-token"}


def test_env_wins_over_settings_and_settings_fill_the_rest():
    settings = {"kuaidi100_key": "db-k100-key", "kdniao_ebusiness_id": "1700001",
                "kdniao_app_key": "db-kdn-key", "17track_url": "http://127.0.0.1:2/track/v2.2",
                "kdniao_daily_quota": "300"}
    cfg = TrackingConfig.from_env(settings, environ=ENV)
    assert cfg.kuaidi100_key == "env-k100-key" and cfg.kdniao_app_key == "db-kdn-key"
    assert cfg.track17_url == "http://127.0.0.1:2/track/v2.2" and cfg.track17_token == "env-17-token"
    assert cfg.kdniao_daily_quota == 300
    assert cfg.configured() == ["kuaidi100", "kdniao", "17track"]


def test_empty_env_values_do_not_hide_settings():
    cfg = TrackingConfig.from_env({"kuaidi100_key": "db"}, environ={"DANHAO_KUAIDI100_KEY": ""})
    assert cfg.kuaidi100_key == "db"


def test_configured_needs_every_credential():
    assert TrackingConfig.from_env({}, environ={"DANHAO_KUAIDI100_KEY": "k"}).configured() == []
    assert TrackingConfig.from_env(None, environ={}).configured() == []


def test_repr_and_str_never_show_keys():
    cfg = TrackingConfig.from_env({"kdniao_app_key": "db-kdn-key"}, environ=ENV)
    for text in (repr(cfg), str(cfg), repr(TrackingService(cfg)), repr(TrackingService(cfg).client("kuaidi100"))):
        assert "env-k100-key" not in text and "env-17-token" not in text and "db-kdn-key" not in text
    assert "***" in repr(cfg)


def test_provider_error_shape():
    e = ProviderError("kdniao", "no_quota", detail="当日调用次数已达上限")
    assert e.to_json() == {"provider": "kdniao", "code": "no_quota", "retryable": False,
                           "message": {"zh": "查询额度已用完", "en": "query quota used up"},
                           "detail": "当日调用次数已达上限"}
    assert e.message.startswith("查询额度已用完 / query quota used up")
    assert ProviderError("x", "timeout").retryable and ProviderError("x", "server_error").retryable


def test_times_become_china_time_iso():
    assert to_cn_iso("2026-11-24 10:31:00") == "2026-11-24T10:31:00+08:00"
    assert to_cn_iso("2026/11/24 10:31:00") == "2026-11-24T10:31:00+08:00"
    assert to_cn_iso("2026-11-24T02:31:00Z") == "2026-11-24T10:31:00+08:00"
    assert to_cn_iso("2026-11-23T21:31:00-05:00") == "2026-11-24T10:31:00+08:00"


def test_places():
    assert parse_place("浙江,杭州市") == {"province": "浙江", "city": "杭州市"}
    assert parse_place("浙江省杭州市西湖区") == {"province": "浙江", "city": "杭州市"}
    assert parse_place("上海市浦东新区") == {"province": "上海", "city": "上海市"}
    assert parse_place("广西壮族自治区南宁市") == {"province": "广西", "city": "南宁市"}
    assert parse_place("New York, NY") is None and parse_place("") is None


def test_text_stages():
    assert classify_text("【义乌转运中心】已发出 下一站【广州转运中心】") == "departed_hub"
    assert classify_text("快件离开【广州分拨中心】") == "departed_hub"
    assert classify_text("快件已到达【广州转运中心】") == "in_transit"
    assert classify_text("【义乌北苑】已揽收") == "picked_up"
    assert classify_text("商家已下单，等待揽收") == "info"
    assert classify_text("快件已到达派件城市【广州】") == "in_transit"
    assert classify_text("已放入菜鸟驿站，请凭取件码取件") == "out_for_delivery"
    assert classify_text("您的快件已签收，签收人：本人") == "delivered"
    assert classify_text("收件人拒收，快件退回中") == "returned"


def test_transfer_needs_a_printed_number_other_than_our_own():
    own = TraceEvent("2026-11-24T10:00:00+08:00", "", "快件已转投，单号：YT1234567890123", "transfer")
    assert transfer_from([own], "YT1234567890123") is None
    vague = TraceEvent("2026-11-24T10:00:00+08:00", "", "快件已转投其他快递派送", "transfer")
    assert transfer_from([vague], "YT1234567890123") is None


events_st = st.lists(st.builds(
    TraceEvent,
    time=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
        lambda d: d.replace(microsecond=0).isoformat() + "+08:00"),
    place=st.text(max_size=10), text=st.text(max_size=40),
    stage=st.sampled_from(["info", "picked_up", "in_transit", "departed_hub", "delivered"])), max_size=6)


@given(events_st, st.sampled_from(["none", "in_transit", "delivered"]))
def test_trace_json_round_trip(events, status):
    t = Trace(number="N1", courier="zto", provider="kdniao", status=status, events=events,
              destination={"province": "浙江", "city": "杭州市"}, transfer=None)
    assert Trace.from_json(t.to_json()) == t


@given(st.text(max_size=80))
def test_text_helpers_never_crash(text):
    assert classify_text(text) in ("info", "picked_up", "in_transit", "departed_hub", "transfer",
                                   "out_for_delivery", "delivered", "returned", "problem")
    parse_place(text)
    transfer_from([TraceEvent("", "", text, "transfer")], "X")


def test_loopback_guard_is_active():
    import socket

    import pytest
    with pytest.raises(AssertionError):
        socket.create_connection(("203.0.113.1", 80), timeout=0.1)
