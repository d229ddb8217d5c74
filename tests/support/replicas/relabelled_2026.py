"""The 2026 replicas with one field relabelled in words no adapter knows ("2026-relabelled"): the
bed for 指给我看 (self-healing). Each layout serves the 2026 pages of its site with a few strings of
the page scripts swapped at serve time (the 2026 files stay as they are; a swap whose text is no
longer in the script fails loudly instead of serving an unchanged page).

    ReplicaServer(["pdd-seller"], layouts={"pdd-seller": "2026-relabelled"})

- pdd-seller: the 发货 dialog's number field is labelled 面单编码 (no synonym of 运单号 says that)
  and has no placeholder: the adapter finds the courier but not the number, fills nothing and
  reports the page as changed.
- douyin-seller: the list's 实付金额 column is headed 顾客支付 and shows "22.90 元" (no ¥): the amount
  of every order is read as empty.
- alibaba-buyer: each package line reads "承运公司：<courier> 快件单号：<number>" instead of
  "<courier>：<number>", and the list reply carries the number under another key (`waybillNo`, as
  in 2026-changed): no tracking number is read for any shipped order.

GUESS: all three relabellings are invented (plausible wordings of a redesign), not evidenced.
The orders and the expected extraction are the 2026 ones (tests/fixtures/sites/<site>/2026/).
"""
from __future__ import annotations

import copy

from tests.support.replica_server import Reply, register_layout
from tests.support.replicas.alibaba_buyer_2026 import AIR_HOST, AlibabaBuyer2026
from tests.support.replicas.douyin_seller_2026 import DouyinSeller2026
from tests.support.replicas.pdd_seller_2026 import PddSeller2026

LAYOUT = "2026-relabelled"
JS = "application/javascript; charset=utf-8"

# asset file name -> [(text in the 2026 script, text served instead)]
PDD_SWAPS = {
    "mms-orders.js": [
        ("number: REDESIGN ? '快递单号' : '运单号'", "number: '面单编码'"),
        ("placeholder: '请输入' + T.number, onChange: function (e) { setNumber(e.target.value); }",
         "onChange: function (e) { setNumber(e.target.value); }"),
    ],
}
DOUYIN_SWAPS = {
    "fxg-order-list.js": [
        ("amount: '实付金额'", "amount: '顾客支付'"),
        ("'¥' + F.yuan(o.pay_amount)", "F.yuan(o.pay_amount) + ' 元'"),
    ],
}
ALIBABA_SWAPS = {
    "app.js": [
        ('<div class="logistics-main"><span class="logistics-company">${p.company}</span>：<span class="logistics-no">${p.no}</span>',
         '<div class="logistics-main"><span class="logistics-label">承运公司：</span><span class="logistics-company">${p.company}</span> '
         '<span class="logistics-label">快件单号：</span><span class="logistics-no">${p.no}</span> '),
    ],
    "layout.js": [
        ("trackingKeys: { entry: 'trackingNo', pkg: 'mailNo' }", "trackingKeys: { entry: 'logisticsNo', pkg: 'waybillNo' }"),
    ],
}


def swapped(folder, name: str, swaps: list[tuple[str, str]]) -> Reply:
    """The asset `name` of `folder` with each (old, new) swapped once; AssertionError when the
    2026 script no longer holds `old` exactly once."""
    text = (folder / name).read_text(encoding="utf-8")
    for old, new in swaps:
        assert text.count(old) == 1, f"{name}: the 2026 script no longer holds {old!r} once"
        text = text.replace(old, new)
    return Reply(200, text, JS)


class Relabelled:
    """Mixin: serves the 2026 assets with `SWAPS` applied (on `SWAP_HOST` when it is set)."""

    SWAPS: dict[str, list[tuple[str, str]]] = {}
    SWAP_HOST: str | None = None

    def handle(self, method, path, query, body, headers):
        host = (headers.get("Host") or "").split(":")[0].lower()
        name = path.rsplit("/", 1)[-1]
        if (method == "GET" and path.startswith("/__replica/assets/") and name in self.SWAPS
                and (self.SWAP_HOST is None or host == self.SWAP_HOST)):
            return swapped(self.folder, name, self.SWAPS[name])
        return super().handle(method, path, query, body, headers)


@register_layout
class PddSeller2026Relabelled(Relabelled, PddSeller2026):
    layout = LAYOUT
    SWAPS = PDD_SWAPS


@register_layout
class DouyinSeller2026Relabelled(Relabelled, DouyinSeller2026):
    layout = LAYOUT
    SWAPS = DOUYIN_SWAPS


@register_layout
class AlibabaBuyer2026Relabelled(Relabelled, AlibabaBuyer2026):
    layout = LAYOUT
    SWAPS = ALIBABA_SWAPS
    SWAP_HOST = AIR_HOST

    def reply_order(self, rec: dict) -> dict:
        rec = copy.deepcopy(rec)
        for entry in rec["orderEntries"]:
            ext = entry.get("entryExtension") or {}
            if "trackingNo" in ext:
                ext["logisticsNo"] = ext.pop("trackingNo")
        for pkg in rec.get("logisticsOrderList") or []:
            pkg["waybillNo"] = pkg.pop("mailNo")
        return rec
