"""`danhao track` through click's CliRunner, configured by env vars pointing at the fakes."""
import json
import os

from click.testing import CliRunner

from helper.commands.track import track
from tests.tracking.samples import K100_TRANSFER, K100_ZTO_IN_TRANSIT, KDN_YTO_OFD, YTO_NUMBER, ZTO_NUMBER

CLEAN = {k: None for k in ("DANHAO_KUAIDI100_URL", "DANHAO_KUAIDI100_CUSTOMER", "DANHAO_KUAIDI100_KEY",
                           "DANHAO_KDNIAO_URL", "DANHAO_KDNIAO_EBUSINESS_ID", "DANHAO_KDNIAO_APP_KEY",
                           "DANHAO_17TRACK_URL", "DANHAO_17TRACK_TOKEN", "DANHAO_KDNIAO_DAILY_QUOTA")}


def k100_env(fake, **extra):
    env = dict(CLEAN, DANHAO_KUAIDI100_URL=fake.url, DANHAO_KUAIDI100_CUSTOMER=fake.customer,
               DANHAO_KUAIDI100_KEY=fake.key)
    env.update(extra)
    return env


def test_help_ends_with_an_example():
    out = CliRunner().invoke(track, ["--help"]).output
    assert out.rstrip().splitlines()[-1].strip().startswith("danhao track ")


def test_kuaidi100_from_env_json(k100):
    k100.add_trace(ZTO_NUMBER, "zhongtong", K100_ZTO_IN_TRANSIT, phone="13800000000")
    res = CliRunner().invoke(track, [ZTO_NUMBER, "--courier", "zto", "--phone", "0000", "--json",
                                    "--now", "2026-11-27T10:00:00+08:00", "--uploaded-at", "2026-11-23T12:00:00+08:00"],
                             env=k100_env(k100))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["trace"]["provider"] == "kuaidi100" and data["trace"]["status"] == "in_transit"
    assert data["trace"]["events"][0]["time"] == "2026-11-23T18:02:11+08:00"
    levels = {c["code"]: c["level"] for c in data["checks"]}
    # hub left 23-11 23:40, last scan 24-11 21:15, now 27-11 10:00: 61 h quiet > 48 h
    assert levels == {"picked_up": "ok", "stall_after_hub": "review"}
    assert k100.count() == 1


def test_kdniao_from_env_human_output(kdn):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2", state_ex="202", location="浙江省杭州市")
    env = dict(CLEAN, DANHAO_KDNIAO_URL=kdn.url, DANHAO_KDNIAO_EBUSINESS_ID=kdn.ebusiness_id,
               DANHAO_KDNIAO_APP_KEY=kdn.app_key)
    res = CliRunner().invoke(track, [YTO_NUMBER], env=env)   # courier detected from the number
    assert res.exit_code == 0, res.output
    assert "yto" in res.output and "via kdniao" in res.output and "派送中 / out_for_delivery" in res.output
    assert "目的地 / destination: 浙江 杭州市" in res.output
    assert "正在为您派件" in res.output
    assert kdn.app_key not in res.output


def test_17track_from_env(t17):
    t17.add_trace("LP00123456789012", "Delivered", "Delivered_Other", [{"name": "Cainiao", "events": [
        {"time_iso": "2026-11-20T10:00:00+08:00", "description": "包裹已揽收", "location": "深圳市", "stage": "PickedUp"},
        {"time_iso": "2026-11-22T10:00:00+08:00", "description": "已签收，本人签收", "location": "杭州市", "stage": "Delivered"}]}])
    env = dict(CLEAN, DANHAO_17TRACK_URL=t17.url, DANHAO_17TRACK_TOKEN=t17.token)
    res = CliRunner().invoke(track, ["LP00123456789012", "--provider", "17track", "--json"], env=env)
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["trace"]["status"] == "delivered" and data["trace"]["provider"] == "17track"
    assert {"code": "delivered", "level": "ok", "message": {"zh": "包裹已签收", "en": "The parcel was delivered"}} in data["checks"]


def test_transfer_is_printed(k100):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_TRANSFER, state="7")
    res = CliRunner().invoke(track, [YTO_NUMBER, "--courier", "圆通"], env=k100_env(k100))
    assert res.exit_code == 0, res.output
    assert "转投 / transfer: chinapost 9876543210123" in res.output


def test_provider_error_exits_1_without_the_key(k100):
    res = CliRunner().invoke(track, [YTO_NUMBER, "--courier", "yto", "--json"],
                             env=k100_env(k100, DANHAO_KUAIDI100_KEY="wrong-key-7777"))
    assert res.exit_code == 1
    err = json.loads(res.output)["error"]
    assert err["code"] == "bad_signature" and err["provider"] == "kuaidi100"
    assert "wrong-key-7777" not in res.output


def test_settings_from_ctx_obj_and_env_wins(k100):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    settings = {"kuaidi100_url": k100.url, "kuaidi100_customer": k100.customer, "kuaidi100_key": k100.key}
    res = CliRunner().invoke(track, [YTO_NUMBER, "--courier", "yto", "--json"], env=CLEAN,
                             obj={"settings": settings})
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(track, [YTO_NUMBER, "--courier", "yto", "--json"],
                             env=dict(CLEAN, DANHAO_KUAIDI100_KEY="env-key-wins-1"), obj={"settings": settings})
    assert res.exit_code == 1 and json.loads(res.output)["error"]["code"] == "bad_signature"


def test_nothing_configured():
    res = CliRunner().invoke(track, [YTO_NUMBER, "--courier", "yto", "--json"], env=CLEAN)
    assert res.exit_code == 1 and json.loads(res.output)["error"]["code"] == "not_configured"


def test_unknown_courier_is_a_usage_error():
    res = CliRunner().invoke(track, [YTO_NUMBER, "--courier", "nosuch"], env=CLEAN)
    assert res.exit_code == 2 and "--courier" in res.output


def test_track_reads_provider_settings_from_the_helper_database(tmp_path, k100, monkeypatch):
    """`danhao config set` once, then `danhao track --db` needs no environment variables."""
    from click.testing import CliRunner

    from helper.cli import main

    for name in list(os.environ):
        if name.startswith("DANHAO_"):
            monkeypatch.delenv(name)
    db = str(tmp_path / "danhao.db")
    for name, value in (("kuaidi100_url", k100.url), ("kuaidi100_customer", k100.customer), ("kuaidi100_key", k100.key)):
        assert CliRunner().invoke(main, ["config", "set", name, value, "--db", db]).exit_code == 0
    k100.add_trace("YT7512348820461", "yuantong", [
        {"time": "2026-11-24 09:00:00", "context": "【义乌市】 快件已被揽收", "areaName": "浙江,金华市", "status": "揽收"}], state="1")
    result = CliRunner().invoke(main, ["track", "YT7512348820461", "--courier", "yto", "--json", "--db", db,
                                       "--now", "2026-11-24T10:00:00+08:00"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["trace"]["status"] == "picked_up"
    assert k100.key not in result.output
