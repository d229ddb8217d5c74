"""The courier data file: complete, consistent with the reference, and only cited codes."""
import json
import re
from pathlib import Path

import pytest

from helper import couriers
from helper.convert.validate import CHECKS

DATA = json.loads((Path(couriers.__file__).with_name("couriers.json")).read_text(encoding="utf-8"))
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "courier_reference.md"
PLATFORMS = ["taobao", "pdd", "douyin", "kuaishou", "jd", "xhs", "wechat", "alibaba", "kuaidi100", "kdniao", "17track"]
# column order of the reference table
REF_COLUMNS = ["taobao", "pdd", "douyin", "kuaishou", "jd", "wechat", "kuaidi100", "kdniao"]
REQUIRED = {"sf", "zto", "yto", "sto", "yunda", "jt", "jd", "ems", "chinapost", "best", "deppon", "fengwang",
            "zhongyou", "zjs", "danniao", "tiantian", "sf_freight", "zto_freight", "yunda_freight", "best_freight",
            "jd_freight", "deppon_freight", "yunexpress", "4px", "cainiao", "s10", "ups", "fedex", "usps", "dhl"}


def reference_table() -> dict[str, dict[str, str | None]]:
    """Parse the canonical-id table of reference/couriers.md: id → platform → code/None."""
    rows = {}
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([a-z0-9_]+)`\s*\|(.*)\|\s*$", line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(2).split("|")]
        codes = cells[1:]
        assert len(codes) == len(REF_COLUMNS), line
        rows[m.group(1)] = {p: (None if v in ("?", "—") else v) for p, v in zip(REF_COLUMNS, codes)}
    return rows


def test_at_least_45_couriers_and_all_required_ids():
    ids = [c["id"] for c in DATA["couriers"]]
    assert len(ids) >= 45     # issue #9: every courier a Chinese seller meets
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert REQUIRED <= set(ids)


@pytest.mark.parametrize("c", DATA["couriers"], ids=lambda c: c["id"])
def test_each_courier_is_complete(c):
    assert c["name_zh"] and c["name_en"]
    assert c["aliases"] and all(isinstance(a, str) and a.strip() for a in c["aliases"])
    assert set(c["codes"]) == set(PLATFORMS)
    assert all(v is None or (isinstance(v, str) and v) for v in c["codes"].values())
    assert "{number}" in c["url"] and c["url"].startswith("https://")
    assert isinstance(c["needs_phone"], bool) and isinstance(c["freight"], bool)
    if c["successor"]:
        assert c["successor"] in {x["id"] for x in DATA["couriers"]}
    for p in c["patterns"]:
        compiled = re.compile(p["regex"])
        assert p["regex"].startswith("^") and p["regex"].endswith("$")
        assert 0 < p["weight"] <= 1
        assert p["check"] is None or p["check"] in CHECKS
        assert not compiled.fullmatch(""), "a pattern must not match the empty string"
    if not c["patterns"]:
        # a courier without its own format says why (or borrows one when its text names it)
        assert c["format_note"]
    if c["format_of"]:
        assert c["format_of"] in {x["id"] for x in DATA["couriers"]}


def test_codes_only_from_the_reference():
    ref = reference_table()
    assert set(ref) == {"sf", "zto", "yto", "sto", "yunda", "jt", "jd", "ems", "chinapost", "best", "deppon",
                        "fengwang", "zhongyou", "zjs", "danniao", "tiantian"}
    by_id = {c["id"]: c for c in DATA["couriers"]}
    ref_text = REFERENCE.read_text(encoding="utf-8") + REFERENCE.with_name("tracking_api_reference.md").read_text(
        encoding="utf-8")
    cited = DATA["sources"]["platform_codes"]   # read from the platforms' own lists (issue #9)
    for cid, row in ref.items():
        for platform, value in row.items():
            if value is None and by_id[cid]["codes"][platform] is not None:
                # the reference had no citable code: only one read from a platform list
                assert cited[platform][cid] == by_id[cid]["codes"][platform], (cid, platform)
                continue
            assert by_id[cid]["codes"][platform] == value, (cid, platform)
    for c in DATA["couriers"]:
        for platform, value in c["codes"].items():
            if c["id"] in ref and platform in REF_COLUMNS:
                continue
            if value is not None and not (platform in cited and cited[platform].get(c["id"]) == value):
                # outside the table: only values the reference states in its notes or examples,
                # or codes read from a platform's own list (sources.platform_codes)
                assert value in ref_text, (c["id"], platform, value)
    # notes of the reference: 韵达 on Kuaishou: 7 = 快运; the freight brands otherwise unknown
    assert by_id["yunda_freight"]["codes"]["kuaishou"] == "7"
    for cid in ("xhs", "alibaba"):
        assert all(c["codes"][cid] is None for c in DATA["couriers"])


def test_reference_aliases_are_present():
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split("## Aliases seen in supplier pages")[1].split("## Number formats")[0]
    for line in section.splitlines():
        for part in line.lstrip("- ").split(";"):
            if ":" not in part:
                continue
            cid, aliases = part.split(":", 1)
            courier = couriers.get(cid.strip())
            for alias in aliases.split(","):
                assert couriers.fold(alias) in courier.aliases, (cid, alias)


def test_flags_from_the_reference():
    assert couriers.get("sf").needs_phone and couriers.get("zto").needs_phone
    assert not couriers.get("yto").needs_phone
    assert couriers.get("best").successor == "jt"
    freight = {c.id for c in couriers.all_couriers() if c.freight}
    assert freight == {"sf_freight", "zto_freight", "yunda_freight", "best_freight", "jd_freight", "deppon_freight"}


def test_lookups():
    assert couriers.get("zto").name_zh == "中通快递"
    with pytest.raises(KeyError):
        couriers.get("nope")
    assert couriers.platform_code("zto", "pdd") == "115"
    assert couriers.platform_code("jt", "taobao") == "HTKY"   # 淘宝 kept 百世's code for 极兔 (issue #9)
    assert couriers.platform_code("jd", "taobao") is None
    assert couriers.platform_code("nope", "pdd") is None
    assert couriers.PLATFORM_OF_SITE["pdd-seller"] == "pdd"
    assert couriers.PLATFORM_OF_SITE == {
        "pdd-seller": "pdd", "taobao-seller": "taobao", "douyin-seller": "douyin", "kuaishou-seller": "kuaishou",
        "jd-seller": "jd", "xhs-seller": "xhs", "wechat-seller": "wechat"}
    assert couriers.get("sf").tracking_url("SF1") == "https://www.kuaidi100.com/chaxun?com=shunfeng&nu=SF1"


@pytest.mark.parametrize("text,expected", [
    ("中通快递", ["zto"]), ("中通", ["zto"]), ("中通快运", ["zto_freight"]), ("顺丰快运", ["sf_freight"]),
    ("顺丰速运", ["sf"]), ("德邦物流", ["deppon_freight"]), ("德邦快递", ["deppon"]), ("德邦", ["deppon"]),
    ("韵达快运", ["yunda_freight"]), ("京东快运", ["jd_freight"]), ("京东物流", ["jd"]), ("百世快运", ["best_freight"]),
    ("百世快递", ["best"]), ("菜鸟速递", ["danniao"]), ("菜鸟裹裹", []), ("中通快递(ZTO)", ["zto"]),
    ("ＺＴＯ", ["zto"]), ("J&T Express", ["jt"]), ("j&t  express", ["jt"]), ("中 通 快 递", ["zto"]),
    ("物流公司：圆通速递", ["yto"]), ("JDL", ["jd"]), ("DHL", ["dhl"]), ("随便写写", []), ("", []),
])
def test_by_alias_longest_alias_wins(text, expected):
    assert [c.id for c in couriers.by_alias(text)] == expected


def test_by_alias_shared_alias_is_ambiguous():
    assert {c.id for c in couriers.by_alias("中国邮政")} == {"ems", "chinapost"}


def test_ascii_alias_only_as_whole_word():
    # "SF" inside a word or a number is not the courier SF
    assert couriers.by_alias("SFX") == []
    assert [c.id for c in couriers.by_alias("SF 顺丰")] == ["sf"]
