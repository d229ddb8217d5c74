"""match_option against option lists like the ones the platforms' shipping forms offer."""
import pytest

from helper.convert import match_option

# 拼多多 发货 dialog (~45 labels, incl. the near misses the replica page lists)
PDD = ["申通快递", "百世快递", "顺丰速运", "圆通快递", "中通快递", "韵达快递", "邮政快递包裹", "EMS", "天天快递",
       "京东配送", "德邦快递", "宅急送", "极兔速递", "丰网速运", "众邮快递", "中通快运", "顺丰快运", "韵达快运",
       "德邦物流", "京东快运", "百世快运", "安能物流", "壹米滴答", "优速快递", "跨越速运", "速尔快递", "国通快递",
       "全峰快递", "快捷快递", "如风达", "苏宁物流", "日日顺物流", "中铁快运", "EMS经济快递", "安得物流",
       "远成快运", "信丰物流", "加运美", "品骏快递", "菜鸟速递", "UPS", "DHL", "联邦快递", "中国邮政", "其他"]
TAOBAO = ["顺丰速运", "中通快递", "圆通速递", "申通快递", "韵达快递", "邮政快递包裹", "EMS", "极兔速递", "京东快递",
          "德邦快递", "宅急送", "天天快递", "丹鸟", "百世快递", "中通快运", "顺丰快运", "德邦物流", "韵达快运",
          "安能物流", "其他"]
DOUYIN = ["顺丰速运", "中通快递", "圆通速递", "申通快递", "韵达速递", "极兔速递", "京东快递", "邮政快递包裹", "EMS",
          "德邦快递", "中通快运", "顺丰快运", "京东快运", "德邦物流", "丰网速运", "众邮快递"]
KUAISHOU = ["申通快递", "EMS", "顺丰速运", "天天快递", "圆通速递", "中通快递", "韵达快递", "韵达快运", "邮政快递包裹",
            "宅急送", "京东快递", "德邦快递", "极兔速递", "百世快递", "众邮快递", "菜鸟速递", "丰网速运"]
WECHAT = ["顺丰速运", "中通快递", "圆通速递", "申通快递", "韵达快递", "极兔速递", "京东快递", "中国邮政", "德邦快递",
          "宅急送", "菜鸟速递"]


@pytest.mark.parametrize("courier,option", [
    ("sf", "顺丰速运"), ("zto", "中通快递"), ("yto", "圆通快递"), ("sto", "申通快递"), ("yunda", "韵达快递"),
    ("jt", "极兔速递"), ("jd", "京东配送"), ("ems", "EMS"), ("chinapost", "邮政快递包裹"), ("best", "百世快递"),
    ("deppon", "德邦快递"), ("fengwang", "丰网速运"), ("zhongyou", "众邮快递"), ("zjs", "宅急送"),
    ("danniao", "菜鸟速递"), ("tiantian", "天天快递"), ("zto_freight", "中通快运"), ("sf_freight", "顺丰快运"),
    ("yunda_freight", "韵达快运"), ("deppon_freight", "德邦物流"), ("jd_freight", "京东快运"),
    ("best_freight", "百世快运"), ("ups", "UPS"), ("dhl", "DHL"), ("fedex", "联邦快递"),
])
def test_pdd_every_courier_gets_its_own_option(courier, option):
    m = match_option(courier, PDD, "pdd")
    assert m.option == option and m.reason is None


@pytest.mark.parametrize("courier,near_miss", [
    ("zto", "中通快运"), ("sf", "顺丰快运"), ("yunda", "韵达快运"), ("deppon", "德邦物流"), ("jd", "京东快运"),
    ("best", "百世快运"),
])
def test_near_miss_is_never_chosen(courier, near_miss):
    # the form offers only the near miss (and unrelated couriers): blocked, not guessed
    options = [near_miss, "安能物流", "壹米滴答"]
    m = match_option(courier, options, "pdd")
    assert m.option is None and m.reason == "courier_not_offered" and m.via == "none"
    # and with both present the right one wins whatever the order
    right = match_option(courier, PDD, "pdd").option
    assert match_option(courier, [near_miss, right], "pdd").option == right
    assert match_option(courier, [right, near_miss], "pdd").option == right


@pytest.mark.parametrize("options,platform", [(TAOBAO, "taobao"), (DOUYIN, "douyin"), (KUAISHOU, "kuaishou"),
                                              (WECHAT, "wechat")])
def test_other_platforms(options, platform):
    for courier in ("sf", "zto", "yto", "sto", "yunda", "jt", "jd", "deppon"):
        m = match_option(courier, options, platform)
        assert m.option is not None, (platform, courier)
        assert m.option not in ("中通快运", "顺丰快运", "韵达快运", "德邦物流", "京东快运")


def test_taobao_specifics():
    assert match_option("danniao", TAOBAO, "taobao").option == "丹鸟"
    assert match_option("ups", TAOBAO, "taobao").reason == "courier_not_offered"


def test_douyin_yunda_label_variant():
    assert match_option("yunda", DOUYIN, "douyin").option == "韵达速递"
    assert match_option("best", DOUYIN, "douyin").option == "极兔速递"   # no 百世 on 抖店: successor


def test_kuaishou_lists_both_best_and_jt():
    assert match_option("best", KUAISHOU, "kuaishou").option == "百世快递"
    assert match_option("jt", KUAISHOU, "kuaishou").option == "极兔速递"
    assert match_option("yunda", KUAISHOU, "kuaishou").option == "韵达快递"
    assert match_option("yunda_freight", KUAISHOU, "kuaishou").option == "韵达快运"


def test_best_maps_to_jt_where_only_jt_is_listed():
    m = match_option("best", ["中通快递", "极兔速递"], "pdd")
    assert m.option == "极兔速递" and m.via == "successor" and m.courier == "jt"


def test_china_post_label_is_read_per_platform():
    # WeChat calls EMS 中国邮政; elsewhere the label is ambiguous and never chosen by guess
    assert match_option("ems", WECHAT, "wechat").option == "中国邮政"
    assert match_option("chinapost", WECHAT, "wechat").reason == "courier_not_offered"
    assert match_option("ems", ["中国邮政", "中通快递"], "pdd").reason == "courier_not_offered"


@pytest.mark.parametrize("label", ["中通快递(ZTO)", " 中通 快递 ", "中通快递（ZTO）", "ZTO", "ＺＴＯ", "中通速递"])
def test_decorated_and_folded_labels(label):
    m = match_option("zto", ["中通快运", label], "pdd")
    assert m.option == label


def test_exact_beats_decorated():
    assert match_option("zto", ["中通快递(推荐)", "中通快递"], "pdd").option == "中通快递"
    assert match_option("zto", ["中通", "中通快递"], "pdd").option == "中通快递"   # the Chinese name first


def test_merged_label_serves_both_best_and_jt():
    assert match_option("jt", ["极兔速递(原百世快递)"], "pdd").option == "极兔速递(原百世快递)"
    assert match_option("best", ["极兔速递(原百世快递)"], "pdd").option == "极兔速递(原百世快递)"


def test_nothing_offered():
    assert match_option("zto", [], "pdd").reason == "courier_not_offered"
    assert match_option("zto", ["", "  "], "pdd").reason == "courier_not_offered"
    assert match_option("nope", PDD, "pdd").reason == "unknown_courier"


# --- issue #9: a real 抖店 list (tests/data/platform_options_douyin.json, with its source) ---
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from helper import couriers as _couriers  # noqa: E402

DOUYIN_LIVE = json.loads((Path(__file__).parents[1] / "data" / "platform_options_douyin.json")
                         .read_text(encoding="utf-8"))
DOUYIN_LABELS = [o["label"] for o in DOUYIN_LIVE["options"]]


def test_douyin_list_has_its_source_and_the_decorated_brands():
    assert DOUYIN_LIVE["source"]["what"] and len(DOUYIN_LABELS) >= 150
    assert {"顺丰速运(常用)", "京东物流(常用)", "顺丰国际", "京东酒世界", "德邦快运", "中通国际", "圆通国际"} <= set(DOUYIN_LABELS)


@pytest.mark.parametrize("order", ["as_listed", "reversed"])
@pytest.mark.parametrize("courier,expected", [
    ("sf", "顺丰速运(常用)"), ("jd", "京东物流(常用)"), ("deppon", "德邦快递(常用)"), ("zto", "中通快递(常用)"),
    ("yto", "圆通快递(常用)"), ("sto", "申通快递(常用)"), ("yunda", "韵达快递(常用)"), ("ems", "EMS(常用)"),
    ("chinapost", "邮政快递包裹"), ("jt", "极兔速递"), ("zto_freight", "中通快运"), ("deppon_freight", "德邦快运"),
    ("sf_intl", "顺丰国际"), ("zto_intl", "中通国际"), ("yto_intl", "圆通国际"),
])
def test_douyin_live_list_picks_exactly_the_brand(courier, expected, order):
    labels = DOUYIN_LABELS if order == "as_listed" else DOUYIN_LABELS[::-1]
    m = match_option(courier, labels, "douyin")
    assert m.option == expected, m


def test_a_label_that_merely_contains_a_short_name_is_not_that_courier():
    assert match_option("sf", ["顺丰国际", "顺丰同城", "顺丰城配"], "douyin").reason == "courier_not_offered"
    assert match_option("jd", ["京东酒世界", "京东大件"], "douyin").reason == "courier_not_offered"
    assert match_option("deppon", ["德邦快运"], "douyin").reason == "courier_not_offered"
    assert match_option("zto", ["中通国际", "中通冷链", "中通快运"], "douyin").reason == "courier_not_offered"
    assert match_option("yto", ["圆通国际"], "douyin").reason == "courier_not_offered"


def test_every_live_label_resolves_to_one_courier_or_unknown():
    resolved = {label: _couriers.resolve_label(label, "douyin") for label in DOUYIN_LABELS}
    assert resolved["京东酒世界"] is None and resolved["顺丰国际"] == "sf_intl"
    # no two labels of the list stand for the same courier (else picking would be a guess)
    known = [cid for cid in resolved.values() if cid]
    assert len(known) == len(set(known)), sorted(known)


def test_several_labels_for_the_courier_are_blocked_with_the_labels():
    m = match_option("zto", ["中通快递(常用)", "中通快递(推荐)"], "douyin")
    assert m.option is None and m.reason == "courier_option_ambiguous"
    assert set(m.labels) == {"中通快递(常用)", "中通快递(推荐)"}
