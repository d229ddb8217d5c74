"""Data shared by the whole-flow browser test and `danhao demo`: the two evidence replicas
(layout "2026") tied together the way a seller's purchases are tied to the sales they serve.

The 拼多多 and 1688 replicas were written by different hands with unrelated orders; here each
shipped 1688 purchase gets a 待发货 拼多多 order: the sales order id in the purchase remark,
shipped to the buyer's (masked) name, phone and region. Registers no layout.
"""
from __future__ import annotations

import copy

from tests.support.replicas import alibaba_buyer_2026, pdd_seller_2026


def linked_purchases() -> dict:
    """The 1688 dataset with each shipped purchase tied to a 待发货 拼多多 order."""
    sales = [o for o in pdd_seller_2026.load_orders() if o["order_status"] == 1]
    data = copy.deepcopy(alibaba_buyer_2026.load_data())
    shipped = [o for o in data["orders"] if o.get("logisticsOrderList")]
    for order in data["orders"]:
        order["remark"] = ""
    for purchase, sale in zip(shipped, sales):
        name = sale["receive_name"].split("[")[0]
        purchase["remark"] = f"PDD {sale['order_sn']}"
        purchase["receiverInfo"] = {"toFullName": name[0] + "*" * (len(name) - 1), "toMobile": sale["receive_mobile"],
                                    "toProvince": sale["province_name"], "toCity": sale["city_name"],
                                    "toArea": sale["district_name"], "toAddress": ""}
    return data
