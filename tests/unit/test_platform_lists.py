"""Option resolution on real platform courier lists kept as test data with their sources
(``tests/data/platform_options_*.json``, copied from an open-source ERP's dump of what the
platforms' APIs return): every main courier gets exactly its own label, near misses are never
picked, and the codes Danhao keeps agree with the platform's own."""
import json
from pathlib import Path

import pytest

from helper import couriers
from helper.convert import match_option

DATA = Path(__file__).parents[1] / "data"


def load(platform):
    doc = json.loads((DATA / f"platform_options_{platform}.json").read_text(encoding="utf-8"))
    assert doc["platform"] == platform and doc["source"]["what"] and doc["source"]["where"]
    assert doc["source"]["count"] == len(doc["options"])
    return doc["options"]


TAOBAO = load("taobao")
TAOBAO_LABELS = [o["label"] for o in TAOBAO]

# courier → the label of the 淘宝 list that stands for exactly it
TAOBAO_EXPECTED = {
    "sf": "顺丰速运", "zto": "中通快递", "yto": "圆通速递", "sto": "申通快递", "yunda": "韵达快递", "jt": "极兔速递",
    "ems": "EMS", "chinapost": "邮政快递包裹", "deppon": "德邦快递", "zjs": "宅急送", "tiantian": "天天快递",
    "zto_freight": "中通快运", "deppon_freight": "德邦物流", "best_freight": "百世快运", "fengwang": "丰网速运",
    "fedex": "联邦快递",
}


def test_taobao_list_is_the_published_copy():
    assert len(TAOBAO) == 51
    assert {"顺丰速运", "中通快递", "极兔速递", "邮政快递包裹", "德邦物流", "中通快运"} <= set(TAOBAO_LABELS)


@pytest.mark.parametrize("courier,label", sorted(TAOBAO_EXPECTED.items()))
@pytest.mark.parametrize("order", ["as_listed", "reversed"])
def test_taobao_each_courier_gets_exactly_its_label(courier, label, order):
    labels = TAOBAO_LABELS if order == "as_listed" else TAOBAO_LABELS[::-1]
    m = match_option(courier, labels, "taobao")
    assert m.option == label and m.reason is None, (courier, m)


def test_taobao_codes_agree_with_the_courier_data():
    # where Danhao keeps a 淘宝 code for a courier, it is the code the platform lists for its label
    by_label = {o["label"]: o["code"] for o in TAOBAO}
    checked = 0
    for courier, label in TAOBAO_EXPECTED.items():
        code = couriers.platform_code(courier, "taobao")
        if code is not None:
            assert code == by_label[label], (courier, code, by_label[label])
            checked += 1
    assert checked >= 10
    assert couriers.platform_code("jt", "taobao") == "HTKY"    # 淘宝 moved 百世's code to 极兔


def test_taobao_labels_that_are_not_one_courier_resolve_to_unknown():
    for label in ("其他", "中国邮政", "菜鸟大件-中铁配", "大食品商家自配", "派易国际物流77"):
        assert couriers.resolve_label(label, "taobao") is None, label
    # and no main brand is picked from them
    for courier in ("ems", "chinapost", "sf", "zto"):
        assert match_option(courier, ["其他", "中国邮政", "菜鸟大件-中铁配"], "taobao").option is None
