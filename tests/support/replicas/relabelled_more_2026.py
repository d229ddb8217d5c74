"""More "2026-relabelled" layouts: the 2026 replicas of the newer adapters with one field the adapter
needs worded so that no synonym knows it — the bed for 指给我看 (self-healing) on those sites. Same
pattern as relabelled_2026.py: each layout subclasses the site's 2026 replica and serves its page
scripts with a few strings swapped at serve time (the 2026 files stay as they are; a swap whose text
is no longer in the script exactly once fails loudly instead of serving an unchanged page).

    ReplicaServer(["taobao-seller"], layouts={"taobao-seller": "2026-relabelled"})

- taobao-seller: on the consign-order 发货 page (one order a page) the 自己联系物流 form's number
  field is labelled 面单编码 with the placeholder 请填写面单编码: the adapter finds 物流公司 but not
  the number, fills nothing and reports the page as changed.
- jd-seller: in the 订单出库 dialog the carrier <select> is labelled 承运方 and its empty option reads
  请选择承运方 (承运方 is not 承运商): the adapter finds 运单号 but not the carrier, reads no options,
  opens no order and reports the page as changed.
- kuaishou-seller: the 发货 dialog's confirm button reads 提交运单 instead of 确定: the adapter finds
  物流公司 and 快递单号 but no button it knows, fills nothing, closes the dialog and reports the page
  as changed.
- wechat-seller: in the 订单发货 dialog the courier <select> is labelled 配送快递 and its empty option
  reads 请选择配送快递: the adapter finds 快递单号 but not the courier, reads no options, opens no
  order and reports the page as changed.

GUESS: the relabellings are invented (plausible wordings of a redesign), not evidenced. The orders
and the expected extraction are the 2026 ones (tests/fixtures/sites/<site>/2026/).
"""
from __future__ import annotations

from tests.support.replica_server import register_layout
from tests.support.replicas.jd_seller_2026 import JdSeller2026
from tests.support.replicas.kuaishou_seller_2026 import KuaishouSeller2026
from tests.support.replicas.relabelled_2026 import LAYOUT, Relabelled, swapped  # noqa: F401 (swapped: for tests)
from tests.support.replicas.taobao_seller_2026 import TaobaoSeller2026
from tests.support.replicas.wechat_seller_2026 import WechatSeller2026

# asset file name -> [(text in the 2026 script, text served instead)]
TAOBAO_SWAPS = {
    "qn-consign.js": [
        ("number: '运单号', numberPh: '请输入运单号'", "number: '面单编码', numberPh: '请填写面单编码'"),
    ],
}
JD_SWAPS = {
    "jdm-order-list.js": [
        ("{ courier: '物流公司', courierPh: '请选择物流公司', number: '运单号'",
         "{ courier: '承运方', courierPh: '请选择承运方', number: '运单号'"),
    ],
}
KUAISHOU_SWAPS = {
    "ks-order-list.js": [
        ("numberPh: '请输入快递单号', ok: '确定', id: '订单编号：'", "numberPh: '请输入快递单号', ok: '提交运单', id: '订单编号：'"),
    ],
}
WECHAT_SWAPS = {
    "shop-order-list.js": [
        ("{ courier: '快递公司', courierPh: '请选择快递公司', number: '快递单号'",
         "{ courier: '配送快递', courierPh: '请选择配送快递', number: '快递单号'"),
    ],
}

# site id -> its swaps (a test checks each text is still in the 2026 scripts).
SWAPS = {"taobao-seller": TAOBAO_SWAPS, "jd-seller": JD_SWAPS, "kuaishou-seller": KUAISHOU_SWAPS,
         "wechat-seller": WECHAT_SWAPS}


@register_layout
class TaobaoSeller2026Relabelled(Relabelled, TaobaoSeller2026):
    layout = LAYOUT
    SWAPS = TAOBAO_SWAPS


@register_layout
class JdSeller2026Relabelled(Relabelled, JdSeller2026):
    layout = LAYOUT
    SWAPS = JD_SWAPS


@register_layout
class KuaishouSeller2026Relabelled(Relabelled, KuaishouSeller2026):
    layout = LAYOUT
    SWAPS = KUAISHOU_SWAPS


@register_layout
class WechatSeller2026Relabelled(Relabelled, WechatSeller2026):
    layout = LAYOUT
    SWAPS = WECHAT_SWAPS
