"""Probe variants of the 2026 1688 replica (new layouts "probe-*", nothing existing edited)."""
from __future__ import annotations

import copy

from tests.support.replica_server import Reply, register_layout
from tests.support.replicas.alibaba_buyer_2026 import AIR_HOST, FOLDER_2026, AlibabaBuyer2026, load_data

ORDER_TIME = '<span class="order-time">${o.gmtCreate}</span>'
DOWNSTREAM_ID = "3928475610293847561"   # a 19-digit downstream (淘宝/抖音) order number


def target_order() -> dict:
    return next(o for o in load_data()["orders"] if o.get("logisticsOrderList"))


@register_layout
class AliDownstream(AlibabaBuyer2026):
    """代发 orders show "下游订单号：<n>" in the header (1688's own search box names 下游订单号)."""
    layout = "probe-downstream"

    def load_dataset(self):
        data = copy.deepcopy(super().load_dataset())
        tid = target_order()["idStr"]
        for o in data["orders"]:
            if o["idStr"] == tid:
                o["downstreamOrderId"] = DOWNSTREAM_ID
        return data

    def handle(self, method, path, query, body, headers):
        host = (headers.get("Host") or "").split(":")[0].lower()
        if host == AIR_HOST and method == "GET" and path == "/__replica/assets/app.js":
            text = (FOLDER_2026 / "app.js").read_text(encoding="utf-8")
            assert text.count(ORDER_TIME) == 1
            text = text.replace(ORDER_TIME, ORDER_TIME + '${o.downstreamOrderId ? html`<span class="downstream-id">下游订单号：${o.downstreamOrderId}</span>` : nothing}')
            return Reply(200, text, "application/javascript; charset=utf-8")
        return super().handle(method, path, query, body, headers)


@register_layout
class AliDownstreamOneNode(AliDownstream):
    """Same, with label and number in one text node (as a template that concatenates strings would)."""
    layout = "probe-downstream-onenode"

    def handle(self, method, path, query, body, headers):
        host = (headers.get("Host") or "").split(":")[0].lower()
        if host == AIR_HOST and method == "GET" and path == "/__replica/assets/app.js":
            text = (FOLDER_2026 / "app.js").read_text(encoding="utf-8")
            text = text.replace(ORDER_TIME, ORDER_TIME + "${o.downstreamOrderId ? html`<span class=\"downstream-id\">${'下游订单号：' + o.downstreamOrderId}</span>` : nothing}")
            return Reply(200, text, "application/javascript; charset=utf-8")
        return super().handle(method, path, query, body, headers)
