"""拼多多商家后台 order list (`pdd-seller`) as the real page looks in 2026, and the same page after
a plausible redesign ("2026-changed").

Written from public evidence only (tests/fixtures/sites/pdd-seller/2026/README.md lists, for every
detail, the evidence it follows or why it is a guess). The adapter is not consulted: the point of
this replica is that the adapter cannot have been tuned to it.

    ReplicaServer(["pdd-seller"], layouts={"pdd-seller": "2026"})          # the page in 2026
    ReplicaServer(["pdd-seller"], layouts={"pdd-seller": "2026-changed"})  # after a redesign

Both layouts serve the same orders (`data.json`, the real `pageItems` shape: money in fen, times in
unix seconds) and the same page script; the redesign is the page script's other build (see
`CHANGES`), plus one renamed reply field.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import time
from pathlib import Path

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _int, _json_body, register_layout

FOLDER = SITES_DIR / "pdd-seller" / "2026"
LIST_PAGE_SIZE = 20  # the page's own request sends 20 (2026-04 recon)
DETAIL_URL = "https://mms.pinduoduo.com/orders/detail?sn={sn}"

# The courier catalogue of GET /express_base/shipping_list/mms: (shipping_id, shipping_name, phone).
# Ids, names and phones follow a captured reply published in a public Java bean (ref 38174837546,
# PddMmsMOdel.java, about 2019-20); the ids 115 = 中通快递, 85 = 圆通快递, 1 = 申通快递 also appear in
# public ship requests (ref 38180510305, 7806234824).
SHIPPING_COMPANIES: list[tuple[int, str, str | None]] = [
    (1, "申通快递", "95543"), (3, "百世快递", "95320"), (44, "顺丰快递", "95338"),
    (85, "圆通快递", "95554"), (115, "中通快递", "95311"), (117, "优速快递", "95349"),
    (118, "邮政EMS", "11183"), (119, "天天快递", "400-188-8888"), (120, "京东配送", "950616"),
    (121, "韵达快递", "95546"), (124, "国通快递", "95327"), (129, "宅急送快递", "400-678-9000"),
    (130, "如风达", "4000106660"), (131, "德邦快递", "95353"), (132, "邮政快递包裹", "11183"),
    (133, "龙邦快递", "02159218889"), (135, "联邦快递", "400-886-1888"), (136, "九曳供应链", "400-619-9939"),
    (148, "安达信", ""), (155, "速尔快递", "400-158-9888"), (156, "亚马逊物流", "400-810-5666"),
    (157, "黑猫宅急便", "02151097665"), (165, "汇通小红马", ""), (180, "其他", ""),
    (183, "跨越速运", "95324"), (186, "usps", "1-800-275-8777"), (187, "青岛安捷", "0532-68005985"),
    (195, "贝海国际速递", "021-60504200"), (197, "环球速运", "010-89198888"), (201, "全一快递", "400-663-1111"),
    (205, "远成快运", "400-168-1111"), (210, "天地华宇", "400-808-6666"), (211, "中邮速递", "95-0404-69-277"),
    (213, "EMS-国际件", "11183"), (214, "中铁物流", "400-000-5566"), (216, "新邦物流", "4008-000-222"),
    (217, "Flash Express", "13375273507"), (226, "EWE全球快递", "1300-09-6655"), (227, "日日顺物流", "400-800-9999"),
    (228, "苏宁快递", "95315"), (229, "百世快运", "400-8856-561"), (230, "德邦物流", "95353"),
    (232, "AAE全球专递", "021-26139188"), (233, "Aramex", None), (239, "DHL中国", "95380"),
    (246, "UPS", "800-820-8388"), (262, "传喜物流", "400-777-5656"), (263, "大田物流", "400-626-1166"),
    (264, "递四方", "0755-23508077"), (268, "飞豹快递", "400-000-5566"), (273, "恒路物流", "400-182-6666"),
    (275, "加运美", "0769-85515555"), (276, "佳吉快运", "400-820-5566"), (277, "佳怡物流", "400-631-9999"),
    (281, "京广速递", "0769-88626730"), (285, "联昊通", "400-8888-887"), (291, "民航快递", "400-817-4008"),
    (305, "盛丰物流", "4008-556688"), (306, "盛辉物流", "4008-222-222"), (312, "万家物流", "4001-156-561"),
    (315, "信丰物流", "400-830-6333"), (317, "亚风速递", "400-005-9958"), (319, "燕文物流", "400-108-5656"),
    (324, "邮政标准快递", "11183"), (325, "邮政国际包裹", ""), (332, "中铁快运", "95572"),
    (335, "优邦国际速运", "400-830-6050"), (336, "天际快递", None), (337, "飞洋快递", "1-877-387-9799"),
    (338, "斑马物联网", "400-7200-400"), (339, "易客满", "400-086-1756"), (340, "京东大件物流", "950616"),
    (341, "速必达", None), (343, "中通快运", "4000-270-270"), (344, "韵达快运", "95546"),
    (346, "安得物流", "400-000-0056"), (347, "中粮我买网", None), (348, "壹米滴答", "4008311311"),
    (349, "当当网", "0527-80876668"), (350, "品骏", "021-4009789888"), (351, "承诺达特快", "95554"),
    (352, "安迅物流", "400-128-8000"), (354, "D速物流", "400-628-7926"), (355, "申通国际", "95543"),
    (356, "一智通", "400-6006-111"), (358, "顺心捷达", "4000-300-688"), (359, "群航国际货运", "022-84889582*807"),
    (360, "中外运速递", "010-80418291"), (361, "卓志速运", "02062262811"), (362, "加州猫速递", "15371963023"),
    (363, "高捷物流", "(020)66616988"), (364, "商桥物流", "4008518666"), (365, "复融供应链", "4008785253"),
    (366, "中远", "17702060769"), (367, "韵达国际", "95546"), (368, "美快国际", "4008802969"),
    (370, "威时沛运", "020-86767799"), (371, "中通国际", "95311-9"), (372, "顺丰快运", "9533888"),
    (374, "HKE国际速递", "00852-3069 7070"), (375, "新西兰平安物流", "0064-9-6362112"),
    # GUESS: companies founded or renamed after that capture; a 2026 catalogue surely lists them,
    # but their ids here are invented (above the last captured id).
    (384, "极兔速递", "956025"), (385, "京东快运", "950616"), (386, "顺丰国际", "95338"),
    (387, "丰网速运", "400-811-1111"), (388, "众邮快递", "400-8866-365"), (389, "菜鸟速递", "95187"),
]

# What the redesign ("2026-changed") changes. `expect` says what a robust adapter does: `survive`
# (reads/fills the same as before, by meaning) or `report` (says "page changed" and fills nothing).
CHANGES: list[dict] = [
    {"id": "class-names", "expect": "survive",
     "what": "beast-core version suffix 5-163-0 -> 5-171-0 on every component class; every hashed "
             "class (BTN_…_1a7bz2d, CSS-module classes) rehashed; the plain 2021 classes "
             "package-center-table and goods-record-container are gone"},
    {"id": "column-moved", "expect": "survive",
     "what": "the 状态 column moved from 2nd place to after 实收金额 (header and row cells alike)"},
    {"id": "goods-lines", "expect": "survive",
     "what": "goods cell: the spec line now comes right after the name, before the `ID:` and "
             "`商家编码:` lines (it was last)"},
    {"id": "head-label", "expect": "survive",
     "what": "order head label 订单编号： -> 订单号："},
    {"id": "reply-field", "expect": "survive",
     "what": "recentOrderList pageItems[].receive_name renamed receiver_name; an XHR reader must notice "
             "that receive_name is gone and take the name from the DOM (or report), never send ''"},
    {"id": "dialog-labels", "expect": "survive",
     "what": "发货 dialog labels 物流公司 -> 快递公司 and 运单号 -> 快递单号 (placeholders likewise)"},
    {"id": "dialog-field-order", "expect": "survive",
     "what": "发货 dialog: the 快递单号 field now comes before the 快递公司 field"},
    {"id": "dialog-split-parcel", "expect": "report",
     "what": "for an order of more than one piece (goods_number > 1) the 发货 dialog first asks "
             "整单发货 / 拆分包裹发货 with nothing chosen, and shows no 快递公司/快递单号 field until the "
             "user chooses: how to pack is the user's decision, so the adapter fills nothing and "
             "reports the page as changed"},
]


def load_orders() -> list[dict]:
    return json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))["orders"]


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, BEIJING).isoformat(timespec="seconds")


def expected_order(rec: dict) -> dict:
    """One pageItems record as MODEL.md's sales order, holding only what the row shows."""
    return {
        "order_id": rec["order_sn"],
        # The list rows carry no shop, and this replica's header shows no shop name (see README).
        "shop": "",
        "status": rec["order_status_str"],
        "created_at": _iso(rec["order_time"]),
        "ship_by": _iso(rec["promise_shipping_time"]),
        "buyer": {"name": rec["receive_name"], "phone": rec["receive_mobile"],
                  "address": {"province": rec["province_name"], "city": rec["city_name"],
                              "district": rec["district_name"], "detail": ""}},
        "items": [{"title": rec["goods_name"], "sku": rec["spec"], "quantity": int(rec["goods_number"]),
                   "price": _yuan(rec["goods_price"])}],
        "amount": _yuan(rec["order_amount"]),
        "remark": rec["buyer_memo"] or "",
        "url": DETAIL_URL.format(sn=rec["order_sn"]),
    }


def expected_pages(records: list[dict] | None = None, page_size: int = LIST_PAGE_SIZE) -> dict:
    """expected-extract.json: the orders of each list page, in the order the page shows them."""
    records = load_orders() if records is None else records
    orders = [expected_order(r) for r in records]
    return {"pages": [orders[i:i + page_size] for i in range(0, len(orders), page_size)]}


def write_expected(path: Path = FOLDER / "expected-extract.json") -> None:
    path.write_text(json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@register_layout
class PddSeller2026(Site):
    site_id = "pdd-seller"
    layout = "2026"
    subfolder = "2026"
    hosts = ("mms.pinduoduo.com",)
    main_url = "https://mms.pinduoduo.com/orders/list?msfrom=mms_sidenav&tab=0"
    pages = {"/orders/list": "list.html"}

    max_page_size = 100  # GUESS: the real cap is unknown; danhao bench raises it to open 500 rows

    def load_dataset(self) -> dict:
        return json.loads((self.folder / "data.json").read_text(encoding="utf-8"))

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": 0, "shipRequests": []}

    def page_item(self, rec: dict) -> dict:
        """A record as the list reply carries it (the redesign renames a field)."""
        return copy.deepcopy(rec)

    def api(self, method, path, query, body, headers) -> Reply:
        if method == "POST" and path == "/mangkhut/mms/recentOrderList":
            return self._order_list(_json_body(body))
        if method == "GET" and path == "/express_base/shipping_list/mms":
            self.latency()
            # Envelope as captured for this endpoint (ref 38174837546): errorCode 1000000, errorMsg
            # null, `result` a bare list; PDD's endpoints differ here (recentOrderList answers 0/"成功").
            return Reply(200, {"success": True, "errorCode": 1000000, "errorMsg": None,
                               "result": [{"shipping_id": i, "shipping_name": n, "phone": p}
                                          for i, n, p in SHIPPING_COMPANIES]})
        if method == "POST" and path == "/express_base/shop/orders/shipping":
            return self._ship(body, headers)
        return super().api(method, path, query, body, headers)

    def _order_list(self, req: dict) -> Reply:
        page = _int(req.get("pageNumber"), 1, 1, 10**6)
        size = _int(req.get("pageSize"), LIST_PAGE_SIZE, 1, self.max_page_size)
        # GUESS: filters (orderType, afterSaleType, groupStartTime/EndTime, remarkStatus, …) are
        # accepted and ignored; the page always sends the same ones.
        self.latency()
        with self.lock:
            self.st["listRequests"] += 1
            orders = self.data["orders"]
            items = [self.page_item(o) for o in orders[(page - 1) * size: page * size]]
            total = len(orders)
        return Reply(200, {"success": True, "errorCode": 0, "errorMsg": "成功",
                           "result": {"totalItemNum": total, "pageItems": items}})

    def _ship(self, body: bytes, headers) -> Reply:
        req = _json_body(body)
        by = headers.get("X-Replica-Confirmed-By", "unknown")
        self.latency()
        lines = req.get("orderShipRequestList")
        line = lines[0] if isinstance(lines, list) and lines and isinstance(lines[0], dict) else {}
        sn = str(line.get("orderSn") or "")
        number = str(line.get("trackingNumber") or "").strip()
        courier = {str(i): n for i, n, _ in SHIPPING_COMPANIES}.get(str(line.get("shippingId") or ""))

        def fail(code: int, msg: str) -> Reply:
            # GUESS: the codes; the Chinese messages are ours. The real page's failures are unknown.
            return Reply(200, {"success": False, "errorCode": code, "errorMsg": msg, "result": None})

        with self.lock:
            self.st["shipRequests"].append({"body": req, "by": by})
            rec = next((o for o in self.data["orders"] if o["order_sn"] == sn), None)
            if not sn:
                return fail(1000, "订单号不能为空")  # the 2026 recon's message for a missing sn
            if rec is None:
                return fail(2000002, "订单不存在")
            if rec["order_status"] != 1:
                return fail(2000003, "订单状态已变更，当前订单不可发货，请刷新页面")
            if courier is None:
                return fail(2000004, "请选择物流公司")
            if not number:
                return fail(2000005, "请填写运单号")
            now = int(time.time())
            rec.update(order_status=2, order_status_str="已发货，待收货", shipping_status=1,
                       shipping_id=int(line["shippingId"]), tracking_number=number, shipping_time=now,
                       waybillDTOList=[{"shippingName": courier, "shippingPhone": ""}])
            self.st["shipped"].append({
                "orderSn": sn, "shippingId": int(line["shippingId"]), "shippingName": courier,
                "trackingNumber": number,
                "at": dt.datetime.fromtimestamp(now, BEIJING).isoformat(timespec="seconds"),
                # "user" when 确认发货 was a trusted click (a person, or Playwright/CDP), "script" when
                # page or content-script code called element.click()/dispatchEvent.
                "by": by,
            })
        # GUESS: success shape follows the 2021 public bean of the older ship path
        # (rcpdd shipping/result: result.orderShipResultList[{orderSn, shippingResultCode, …}]).
        return Reply(200, {"success": True, "errorCode": 1000000, "errorMsg": None,
                           "result": {"orderShipResultList": [{"orderSn": sn, "shippingResultCode": 0,
                                                               "shippingResultMsg": "", "warningInfo": None}]}})


@register_layout
class PddSeller2026Changed(PddSeller2026):
    """The same page after a redesign: another build of the page script, see CHANGES."""
    layout = "2026-changed"
    pages = {"/orders/list": "list-changed.html"}

    def page_item(self, rec: dict) -> dict:
        item = super().page_item(rec)
        item["receiver_name"] = item.pop("receive_name")  # CHANGES "reply-field"
        return item


if __name__ == "__main__":  # regenerate expected-extract.json after editing data.json
    write_expected()


def generate_dataset(n: int) -> dict:
    """`n` orders in this layout's reply shape, cloned from data.json's 待发货 records with
    fresh order numbers (for benchmarks: `ReplicaServer(datasets={"pdd-seller": …})`)."""
    base = [o for o in load_orders() if o["order_status"] == 1]
    out = []
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        rec["order_sn"] = f"261120-{900000000000000 + i:015d}"
        out.append(rec)
    return {"orders": out}
