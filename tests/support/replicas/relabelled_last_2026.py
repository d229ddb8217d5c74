"""The last "2026-relabelled" layouts: the 2026 replicas of 小红书千帆 and of the supplier sites whose
number is only on each order's detail page, with one thing the adapter needs worded so that no synonym
knows it — the bed for 指给我看 (self-healing) there. Same pattern as relabelled_2026.py: each layout
subclasses the site's 2026 replica and serves its page script (and, for a detail page, its inline data)
with a few strings swapped at serve time; the 2026 files stay as they are, and a swap whose text is no
longer in the script exactly once fails loudly instead of serving an unchanged page.

    ReplicaServer(["xhs-seller"], layouts={"xhs-seller": "2026-relabelled"})

- xhs-seller: in the 批量发货 drawer the number column is headed 面单编码 and its inputs' placeholder
  reads 请填写面单编码: the adapter finds 物流公司 in each row but not the number, fills nothing, closes
  the drawer and reports the page as changed.
- taobao-buyer: on 交易详情 the inline JSON names the number `mailNo` (as in 2026-changed) and the
  物流信息 row that shows it is labelled 快件单号： (not 运单号：/快递单号：): neither the data nor the
  page's words give the number, so the order is sent without a package and the page reported.
- pdd-buyer: order.html's window.rawData names the number `waybillNo` / `expressInfo.mailNo` (as in
  2026-changed), so the number is read on the logistics page its 查看物流 link opens
  (goods_express.html). There the line "中通快递 : <no> 复制" becomes the courier on a line of its own
  and a row 物流凭证：<no> 复制, and the page's inline traceData names the number `mailNo`: neither the
  data nor the page's words give the number.

GUESS: the relabellings are invented (plausible wordings of a redesign), not evidenced. The orders are
the 2026 ones (tests/fixtures/sites/<site>/2026/).
"""
from __future__ import annotations

from tests.support.replica_server import register_layout
from tests.support.replicas.aliexpress_buyer_2026 import _RENAMED as _AE_RENAMED
from tests.support.replicas.aliexpress_buyer_2026 import AliexpressBuyer2026
from tests.support.replicas.pdd_buyer_2026 import PddBuyer2026
from tests.support.replicas.relabelled_2026 import LAYOUT, Relabelled, swapped  # noqa: F401 (swapped: for tests)
from tests.support.replicas.taobao_buyer_2026 import TaobaoBuyer2026
from tests.support.replicas.xhs_seller_2026 import XhsSeller2026

# asset file name -> [(text in the 2026 script, text served instead)]
XHS_SWAPS = {
    "ark-order-query.js": [
        ("number: '运单号', numberPh: '请输入运单号', id: '订单号' }",
         "number: '面单编码', numberPh: '请填写面单编码', id: '订单号' }"),
    ],
}
TAOBAO_BUYER_SWAPS = {
    "tb-detail.js": [
        ("if (number) logi.appendChild(row(CH ? '快递单号：' : '运单号：', number, 'mail-no'));",
         "if (number) logi.appendChild(row('快件单号：', number, 'mail-no'));"),
    ],
}
PDD_BUYER_SWAPS = {
    "pdd-h5.js": [
        ("e('div', { className: C.exNo }, CH ? t.shippingName + ' 快递单号：' + t.trackingNumber + ' ' : "
         "t.shippingName + ' : ' + t.trackingNumber + ' ',",
         "e('div', { className: C.exNo }, e('div', null, t.shippingName), e('span', null, '物流凭证：'), "
         "e('span', null, t.mailNo), ' ',"),
    ],
}

# site id -> its swaps (a test checks each text is still in the 2026 scripts).
SWAPS = {"xhs-seller": XHS_SWAPS, "taobao-buyer": TAOBAO_BUYER_SWAPS, "pdd-buyer": PDD_BUYER_SWAPS}


@register_layout
class XhsSeller2026Relabelled(Relabelled, XhsSeller2026):
    layout = LAYOUT
    SWAPS = XHS_SWAPS


@register_layout
class TaobaoBuyer2026Relabelled(Relabelled, TaobaoBuyer2026):
    layout = LAYOUT
    SWAPS = TAOBAO_BUYER_SWAPS

    def detail_data(self, rec: dict) -> dict:
        out = super().detail_data(rec)
        di = out["deliveryInfo"]
        di["mailNo"] = di.pop("logisticsNum")          # the page script shows di.logisticsNum || di.mailNo
        return out


@register_layout
class PddBuyer2026Relabelled(Relabelled, PddBuyer2026):
    layout = LAYOUT
    SWAPS = PDD_BUYER_SWAPS

    def raw_data(self, rec: dict) -> dict:
        raw = super().raw_data(rec)
        data = raw["data"]
        data["waybillNo"] = data.pop("trackingNumber")
        if "expressInfo" in data:
            data["expressInfo"]["mailNo"] = data["expressInfo"].pop("trackingNumber")
        return raw

    def _express_page(self, q: dict, headers):
        # The logistics page's inline data with the number renamed (the page script above shows t.mailNo).
        reply = super()._express_page(q, headers)
        reply.body = reply.body.replace(b'"trackingNumber":', b'"mailNo":')
        return reply


# aliexpress-buyer (appended): the tracking page (track.aliexpress.com/logisticsdetail.htm). Its JSON
# renames the number fields (logisticsNo / interMailNo / lgOrderCode → trackingNo / lastMileTrackingNo /
# cainiaoOrderCode, as in 2026-changed) and the first-mile number's row is labelled "Waybill:" (not
# "Tracking number:": no word of the adapter's label patterns). On a page whose only number is that
# one, neither the data nor the page's words give it: the order is sent without a package and the page
# reported. Like the 2026 page, it shows the order's id nowhere (the tab opened it from that order's own
# Track order link: pointing takes the whole page as that order). The last-mile and Cainiao rows keep
# their 2026 labels.
ALIEXPRESS_BUYER_SWAPS = {
    "ae-track.js": [
        ("{ no: 'Tracking number', last: 'Last-mile tracking number', lp: 'Logistics order number' };",
         "{ no: 'Waybill', last: 'Last-mile tracking number', lp: 'Logistics order number' };"),
    ],
}
SWAPS["aliexpress-buyer"] = ALIEXPRESS_BUYER_SWAPS


@register_layout
class AliexpressBuyer2026Relabelled(Relabelled, AliexpressBuyer2026):
    layout = LAYOUT
    SWAPS = ALIEXPRESS_BUYER_SWAPS

    def track_json(self, rec: dict) -> dict:
        out = super().track_json(rec)
        for p in out["data"]["packages"]:                      # the page script shows either name
            for old, new in _AE_RENAMED.items():
                p[new] = p.pop(old)
        return out
