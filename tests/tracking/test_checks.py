"""trace_checks: every rule with concrete timestamps (China time)."""
import pytest

from helper.tracking import Trace, TraceEvent, trace_checks

BUYER = {"name": "张三", "address": {"province": "广东省", "city": "广州市", "district": "天河区", "detail": "五山路1号"}}


def ev(time, stage, text="", place=""):
    return TraceEvent(time=time + "+08:00", place=place, text=text, stage=stage)


def trace(status, events, **kw):
    return Trace(number="73012345678901", courier="zto", provider="kuaidi100", status=status, events=events, **kw)


def by_code(checks):
    out = {}
    for c in checks:
        assert set(c) == {"code", "level", "message"} and c["message"]["zh"] and c["message"]["en"]
        assert c["level"] in ("ok", "warn", "review", "block")
        out[c["code"]] = c["level"]
    return out


PICKED = ev("2026-11-24T10:00:00", "picked_up", "【义乌市】快件已揽收")
HUB = ev("2026-11-24T20:00:00", "departed_hub", "【义乌转运中心】已发出")


def test_no_pickup_scan_is_review():
    t = trace("none", [])
    c = by_code(trace_checks(t, buyer=None, uploaded_at=None, now="2026-11-24T10:00:00+08:00"))
    assert c["no_pickup"] == "review"


def test_no_pickup_allowed_is_warn():
    t = trace("none", [ev("2026-11-24T09:00:00", "info", "已下单")])
    c = by_code(trace_checks(t, buyer=None, uploaded_at=None, now="2026-11-24T10:00:00+08:00",
                             allow_no_pickup=True))
    assert c["no_pickup"] == "warn"


def test_pickup_scan_is_ok():
    c = by_code(trace_checks(trace("picked_up", [PICKED]), buyer=None, uploaded_at=None,
                             now="2026-11-24T12:00:00+08:00"))
    assert c["picked_up"] == "ok" and "no_pickup" not in c


# ---- rule: an update within 24 h of the upload

def test_no_update_24h_after_upload_is_review():
    t = trace("none", [])
    checks = trace_checks(t, buyer=None, uploaded_at="2026-11-24T10:00:00+08:00", now="2026-11-25T10:00:00+08:00")
    c = by_code(checks)
    assert c["no_update_after_upload"] == "review"
    msg = next(x for x in checks if x["code"] == "no_update_after_upload")["message"]
    assert "24" in msg["zh"] and "24 h" in msg["en"]


def test_no_update_20h_after_upload_warns_in_time():
    t = trace("none", [])
    c = by_code(trace_checks(t, buyer=None, uploaded_at="2026-11-24T10:00:00+08:00", now="2026-11-25T06:00:00+08:00"))
    assert c["no_update_after_upload"] == "warn"


def test_no_update_10h_after_upload_is_quiet():
    c = by_code(trace_checks(trace("none", []), buyer=None, uploaded_at="2026-11-24T10:00:00+08:00",
                             now="2026-11-24T20:00:00+08:00"))
    assert "no_update_after_upload" not in c


def test_a_scan_after_the_upload_satisfies_the_upload_rule():
    c = by_code(trace_checks(trace("picked_up", [PICKED]), buyer=None, uploaded_at="2026-11-24T09:00:00+08:00",
                             now="2026-11-25T12:00:00+08:00"))
    assert "no_update_after_upload" not in c


def test_only_scans_before_the_upload_still_count_as_no_update():
    c = by_code(trace_checks(trace("picked_up", [PICKED]), buyer=None, uploaded_at="2026-11-24T11:00:00+08:00",
                             now="2026-11-25T11:00:00+08:00"))
    assert c["no_update_after_upload"] == "review"


# ---- rule: a stall of 24 h after the first event

def test_stall_24h_after_first_event_is_review():
    c = by_code(trace_checks(trace("picked_up", [PICKED]), buyer=None, uploaded_at=None,
                             now="2026-11-25T10:00:00+08:00"))
    assert c["stall_after_first_event"] == "review"


def test_23h_after_first_event_warns():
    c = by_code(trace_checks(trace("picked_up", [PICKED]), buyer=None, uploaded_at=None,
                             now="2026-11-25T09:00:00+08:00"))
    assert c["stall_after_first_event"] == "warn"


def test_second_event_within_24h_satisfies_the_rule():
    c = by_code(trace_checks(trace("in_transit", [PICKED, HUB]), buyer=None, uploaded_at=None,
                             now="2026-11-25T12:00:00+08:00"))
    assert "stall_after_first_event" not in c


def test_second_event_after_30h_is_a_past_breach():
    late = ev("2026-11-25T16:00:00", "in_transit", "【杭州转运中心】已收入")
    c = by_code(trace_checks(trace("in_transit", [PICKED, late]), buyer=None, uploaded_at=None,
                             now="2026-11-25T17:00:00+08:00"))
    assert c["stall_after_first_event"] == "review"


# ---- rule: after leaving the hub, an update within 48 / 72 / 120 h by area

@pytest.mark.parametrize("area,hours_quiet,level", [
    ("normal", 47, "warn"), ("normal", 48, "review"), ("normal", 30, None),
    ("remote", 60, None), ("remote", 70, "warn"), ("remote", 72, "review"),
    ("very_remote", 100, None), ("very_remote", 119, "warn"), ("very_remote", 121, "review")])
def test_stall_after_hub_by_area(area, hours_quiet, level):
    from datetime import datetime, timedelta
    now = (datetime.fromisoformat("2026-11-24T20:00:00+08:00") + timedelta(hours=hours_quiet)).isoformat()
    c = by_code(trace_checks(trace("in_transit", [PICKED, HUB]), buyer=None, uploaded_at=None, now=now, area=area))
    assert c.get("stall_after_hub") == level


def test_past_gap_after_hub_is_a_breach_even_if_moving_again():
    events = [PICKED, HUB, ev("2026-11-27T08:00:00", "in_transit", "【广州转运中心】已收入")]   # 60 h gap
    c = by_code(trace_checks(trace("in_transit", events), buyer=None, uploaded_at=None,
                             now="2026-11-27T09:00:00+08:00"))
    assert c["stall_after_hub"] == "review"
    c = by_code(trace_checks(trace("in_transit", events), buyer=None, uploaded_at=None,
                             now="2026-11-27T09:00:00+08:00", area="remote"))
    assert "stall_after_hub" not in c


def test_no_hub_departure_no_hub_rule():
    c = by_code(trace_checks(trace("picked_up", [PICKED]), buyer=None, uploaded_at=None,
                             now="2026-11-30T10:00:00+08:00"))
    assert "stall_after_hub" not in c


def test_unknown_area_is_rejected():
    with pytest.raises(ValueError):
        trace_checks(trace("none", []), buyer=None, uploaded_at=None, now="2026-11-24T10:00:00+08:00", area="moon")


# ---- destination

def test_destination_other_city_is_review():
    t = trace("out_for_delivery", [PICKED, HUB], destination={"province": "广东", "city": "深圳市"})
    checks = trace_checks(t, buyer=BUYER, uploaded_at=None, now="2026-11-25T10:00:00+08:00")
    assert by_code(checks)["destination_mismatch"] == "review"
    msg = next(x for x in checks if x["code"] == "destination_mismatch")["message"]
    assert "深圳" in msg["zh"] and "广州" in msg["zh"]


def test_destination_other_province_is_review():
    t = trace("in_transit", [PICKED, HUB], destination={"province": "浙江", "city": None})
    assert by_code(trace_checks(t, buyer=BUYER, uploaded_at=None, now="2026-11-25T10:00:00+08:00"))[
        "destination_mismatch"] == "review"


def test_destination_match_is_ok_with_plain_buyer_dict():
    t = trace("out_for_delivery", [PICKED, HUB], destination={"province": "广东", "city": "广州市"})
    c = by_code(trace_checks(t, buyer={"province": "广东省", "city": "广州"}, uploaded_at=None,
                             now="2026-11-25T10:00:00+08:00"))
    assert c["destination_match"] == "ok"


def test_unknown_destination_is_not_judged():
    c = by_code(trace_checks(trace("in_transit", [PICKED, HUB]), buyer=BUYER, uploaded_at=None,
                             now="2026-11-25T10:00:00+08:00"))
    assert "destination_match" not in c and "destination_mismatch" not in c


# ---- delivered / signed / returned / problem

DELIVERED = [PICKED, HUB, ev("2026-11-25T08:00:00", "out_for_delivery", "派件中"),
             ev("2026-11-25T12:00:00", "delivered", "已签收，签收人：门卫")]


def test_delivered_is_ok_and_stall_rules_stop():
    t = trace("delivered", DELIVERED, sign_type="self", signed_by="本人")
    c = by_code(trace_checks(t, buyer=None, uploaded_at="2026-11-24T09:00:00+08:00", now="2026-12-10T10:00:00+08:00"))
    assert c["delivered"] == "ok"
    assert not {"stall_after_hub", "stall_after_first_event", "no_update_after_upload", "signed_by_other"} & set(c)


def test_signed_by_someone_else_warns():
    t = trace("delivered", DELIVERED, sign_type="proxy", signed_by="门卫")
    checks = trace_checks(t, buyer=None, uploaded_at=None, now="2026-11-25T13:00:00+08:00")
    assert by_code(checks)["signed_by_other"] == "warn"
    assert "门卫" in next(x for x in checks if x["code"] == "signed_by_other")["message"]["zh"]


def test_locker_signature_warns():
    t = trace("delivered", DELIVERED, sign_type="locker", signed_by="菜鸟驿站")
    assert by_code(trace_checks(t, buyer=None, uploaded_at=None, now="2026-11-25T13:00:00+08:00"))[
        "signed_by_other"] == "warn"


def test_returned_is_block():
    t = trace("returned", [PICKED, ev("2026-11-25T10:00:00", "returned", "快件已退回")])
    c = by_code(trace_checks(t, buyer=None, uploaded_at=None, now="2026-11-30T10:00:00+08:00"))
    assert c["returned"] == "block" and "stall_after_first_event" not in c


def test_problem_is_review():
    t = trace("problem", [PICKED, ev("2026-11-24T12:00:00", "problem", "快件滞留")])
    assert by_code(trace_checks(t, buyer=None, uploaded_at=None, now="2026-11-24T13:00:00+08:00"))[
        "trace_problem"] == "review"


def test_transfer_is_reported():
    t = trace("in_transit", [PICKED], transfer={"number": "9876543210123", "courier": "chinapost",
                                                "evidence": {"time": "", "text": ""}})
    checks = trace_checks(t, buyer=None, uploaded_at=None, now="2026-11-24T13:00:00+08:00")
    assert by_code(checks)["transfer"] == "warn"
    assert "9876543210123" in next(x for x in checks if x["code"] == "transfer")["message"]["zh"]


def test_checks_from_a_real_provider_trace(k100, clock):
    """End to end: fake Kuaidi100 → trace → checks."""
    from tests.tracking.conftest import make_service
    from tests.tracking.samples import K100_ZTO_DELIVERED, ZTO_NUMBER
    k100.add_trace(ZTO_NUMBER, "zhongtong", K100_ZTO_DELIVERED, state="3")
    t = make_service(clock, k100).query(ZTO_NUMBER, "zto", phone_tail="0000")
    c = by_code(trace_checks(t, buyer=BUYER, uploaded_at="2026-11-23T20:00:00+08:00", now=clock.iso()))
    assert c == {"delivered": "ok", "signed_by_other": "warn", "picked_up": "ok", "destination_match": "ok"}
