"""微信小店 seller backend (`wechat-seller`, store.weixin.qq.com): the 订单管理 list with a 发货 dialog per row as
it plausibly looks in 2026, and the same page after a redesign ("2026-changed").

Written from public evidence only; tests/fixtures/sites/wechat-seller/2026/README.md lists, per detail, the
evidence it follows or why it is a guess. No public markup of this page exists: the replica says so, keeps the
evidenced replies and error texts exact and puts the labels a reader by meaning needs on the page. No adapter
was consulted.

    ReplicaServer(["wechat-seller"], layouts={"wechat-seller": "2026"})
    ReplicaServer(["wechat-seller"], layouts={"wechat-seller": "2026-changed"})

Rows come from `POST /shop-faas/mmchannelstradeorder/list/cgi/orderSearch?token=&lang=zh_CN` as
`{code: 0, orderList: [{commonInfo{orderId, createTime (s), status}, buyerInfo, priceInfo{orderPrice (fen, a
string)}, orderProductInfo[...]}], totalNum}`; ship = `ship/cgi/initShipData` then `ship/cgi/updateDeliveryInfo`.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
from http.cookies import SimpleCookie
from pathlib import Path

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _int, _json_body, register_layout

FOLDER = SITES_DIR / "wechat-seller" / "2026"
HOST = "store.weixin.qq.com"
LIST_PATH = "/shop/order/list"
CGI = "/shop-faas/mmchannelstradeorder/"
LIST_PAGE_SIZE = 10        # GUESS: the page's own pageSize (public tools ask for 30 or 100)
SHOP_NAME = "禾木良品小店"   # GUESS: any name; the header shows it
DETAIL_URL = "https://store.weixin.qq.com/shop/order/detail?orderid={order_id}"  # GUESS

# (deliveryId, deliveryName): the 微信小店 courier ids and names of its own documentation (developers.weixin.qq.com
# doc/store … deliverycompanylist_get and ewaybill get_acctdeliverylist: the example reply gives the first ten
# names, the id table the rest). Look-alikes on purpose: 中通快运 / 韵达快运 next to 中通快递 / 韵达速递; 中国邮政 is EMS.
COURIERS: list[tuple[str, str]] = [
    ("JTSD", "极兔速递"), ("STO", "申通快递"), ("YTO", "圆通速递"), ("YUNDA", "韵达速递"), ("ZTO", "中通快递"),
    ("SF", "顺丰速运"), ("JD", "京东"), ("EMS", "中国邮政"), ("CNSD", "菜鸟速递(丹鸟)"), ("DBKD", "德邦快递"),
    ("SXJD", "顺心捷达"), ("ZTOKY", "中通快运"), ("YDKY", "韵达快运"), ("ANEKY", "安能物流"), ("BTWL", "百世快运"),
    ("KYSY", "跨越速运"), ("YMDD", "壹米滴答"), ("RJTCSD", "锐界同城速递"), ("ZJS", "宅急送"), ("JSD", "吉时达"),
    ("XFEX", "信丰物流"),
]

# GUESS: which numbers the server takes for which courier (public heuristics, "rank, don't assert").
NUMBER_RULES = {
    "SF": r"SF\d{12,13}|\d{12}", "ZTO": r"7[3568]\d{12}|\d{12}", "YTO": r"YT\d{13}", "STO": r"77\d{13}|\d{13}",
    "YUNDA": r"[34]\d{14}|\d{13}", "JTSD": r"JT\d{13}", "JD": r"JD[A-Z0-9]{11,13}", "EMS": r"[19]\d{12}",
}

# The server's error texts. Exact, from public tools that match on them (refs 58510048786, 58514662759,
# 58667662761, 58542761208); which condition yields which text is a GUESS except the mismatch.
MISMATCH = "快递单号与所选物流商不匹配"
BAD_NUMBER = "快递单号有误"
NOTHING_TO_UPDATE = "没有可更新的物流信息"
NO_CARRIER = "缺少承运商信息"

CHANGES: list[dict] = [
    {"id": "component-prefix", "expect": "survive",
     "what": "kit classes renamed weui-desktop-* -> t-* (btn, table, dialog, form, tab, pagination, toast)"},
    {"id": "class-hashes", "expect": "survive", "what": "every scoped class (name_xxxxx) rehashed"},
    {"id": "micro-frontend", "expect": "survive",
     "what": "the whole app (list, dialog, toast) now renders inside the open shadow root of a <wujie-app> "
             "element: nothing of it is reachable with document.querySelector"},
    {"id": "column-moved", "expect": "survive",
     "what": "实付款 column moved before 收货信息 (header and cells alike)"},
    {"id": "head-label", "expect": "survive", "what": "order head label 订单号 -> 订单编号 (list and dialog)"},
    {"id": "reply-field", "expect": "survive",
     "what": "orderSearch orderList[].deliveryInfo.addressInfo.countyName renamed districtName; a reply reader must "
             "notice countyName is gone and take the district from the page (or report), never send ''"},
    {"id": "dialog-labels", "expect": "survive",
     "what": "发货 dialog labels 快递公司 -> 物流公司 and 快递单号 -> 运单号 (placeholders 请选择物流公司 / 请输入运单号); "
             "confirm button 发货 -> 确认发货"},
    {"id": "product-scope", "expect": "report",
     "what": "发货 dialog, for an order with several products: a required choice 全部商品发货 / 部分商品发货 with "
             "nothing chosen comes first and there is no 物流公司 / 运单号 field until one is chosen (部分商品发货 is "
             "refused: 部分发货请在订单详情页操作). Whether everything goes in one parcel is the seller's decision: "
             "the adapter fills nothing and reports the page as changed"},
]

STATUS_TEXT = {10: "待付款", 20: "待发货", 21: "部分发货", 30: "待收货", 100: "已完成", 200: "已取消", 250: "已取消"}  # GUESS
TAB_STATUSES = {0: None, 10: {10}, 20: {20, 21}, 30: {30}, 100: {100}, 250: {200, 250}}                        # GUESS


def load_orders() -> list[dict]:
    return json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))["orderList"]


def _yuan(fen) -> str:
    fen = int(fen)
    return f"{fen // 100}.{fen % 100:02d}"


def _iso(sec: int) -> str:
    return dt.datetime.fromtimestamp(sec, BEIJING).isoformat(timespec="seconds")


def expected_order(rec: dict) -> dict:
    """One orderSearch row as MODEL.md's sales order, holding what the list shows."""
    c, a = rec["commonInfo"], rec["deliveryInfo"]["addressInfo"]
    return {
        "order_id": c["orderId"],
        "shop": SHOP_NAME,
        "status": STATUS_TEXT[c["status"]],
        "created_at": _iso(c["createTime"]),
        "ship_by": _iso(c["deliveryDeadline"]),
        "buyer": {"name": a["userName"], "phone": a["telNumber"],
                  "address": {"province": a["provinceName"], "city": a["cityName"], "district": a["countyName"],
                              "detail": a["detailInfo"]}},
        "items": [{"title": p["title"], "sku": " ".join(p["saleParam"]), "quantity": int(p["productCnt"]),
                   "price": _yuan(p["salePrice"])} for p in rec["orderProductInfo"]],
        "amount": _yuan(rec["priceInfo"]["orderPrice"]),
        "remark": rec["extInfo"]["customerNotes"] or "",
        "url": DETAIL_URL.format(order_id=c["orderId"]),
    }


def expected_pages(records: list[dict] | None = None, page_size: int = LIST_PAGE_SIZE) -> dict:
    """expected-extract.json: the orders of each list page (全部 tab), in the order the page shows them."""
    records = load_orders() if records is None else records
    orders = [expected_order(r) for r in records]
    return {"pages": [orders[i:i + page_size] for i in range(0, len(orders), page_size)]}


def write_expected(path: Path = FOLDER / "expected-extract.json") -> None:
    path.write_text(json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def number_problem(delivery_id: str, number: str) -> str:
    """'' when `number` fits `delivery_id`, else the server's error text (the texts are the evidence's)."""
    if not re.fullmatch(r"[A-Za-z0-9]{8,32}", number):
        return BAD_NUMBER
    rule = NUMBER_RULES.get(delivery_id)
    if rule and not re.fullmatch(rule, number):
        return MISMATCH
    return ""


def _err(code: int, msg: str) -> Reply:
    # Failures carry errmsg (read first by every public tool), code/errcode non-zero, success false. GUESS: codes.
    return Reply(200, {"code": code, "errcode": code, "errmsg": msg, "msg": msg, "success": False})


@register_layout
class WechatSeller2026(Site):
    site_id = "wechat-seller"
    layout = "2026"
    subfolder = "2026"
    hosts = (HOST,)
    main_url = f"https://{HOST}{LIST_PATH}"
    pages = {LIST_PATH: "list.html"}
    max_page_size = 500

    def load_dataset(self) -> dict:
        return json.loads((self.folder / "data.json").read_text(encoding="utf-8"))

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": [], "shipRequests": [], "initRequests": []}

    def row(self, rec: dict) -> dict:
        """An order as orderSearch carries it (the redesign renames a field)."""
        return copy.deepcopy(rec)

    @staticmethod
    def _signed_in(headers) -> bool:
        jar = SimpleCookie()
        try:
            jar.load(headers.get("Cookie") or "")
        except Exception:
            return False
        sent = headers.get("biz_magic") or ""
        return bool(sent) and "biz_magic" in jar and jar["biz_magic"].value == sent

    def api(self, method, path, query, body, headers) -> Reply:
        if method != "POST" or not path.startswith(CGI):
            return super().api(method, path, query, body, headers)
        if not self._signed_in(headers):
            return _err(-1001, "登录态已失效，请重新登录")  # -1001 = signed out (ref 41888629990); GUESS: wording
        req = _json_body(body)
        sub = path[len(CGI):]
        if sub == "list/cgi/orderSearch":
            return self._search(req)
        if sub in ("ship/cgi/initShipData", "detail/cgi/orderDetail"):
            return self._detail(sub, req)
        if sub == "ship/cgi/updateDeliveryInfo":
            return self._update(req, headers)
        return _err(404, f"no route {path}")

    def _search(self, req: dict) -> Reply:
        page = _int(req.get("pageNum"), 1, 1, 10**6)
        size = _int(req.get("pageSize"), LIST_PAGE_SIZE, 1, self.max_page_size)
        status = _int(req.get("orderStatus"), 0, 0, 10**4)
        wanted = TAB_STATUSES.get(status)
        oid = str(req.get("orderId") or "").strip() if req.get("isSearch") else ""
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"pageNum": page, "pageSize": size, "orderStatus": status, "orderId": oid})
            rows = [o for o in self.data["orderList"]
                    if (wanted is None or o["commonInfo"]["status"] in wanted)
                    and (not oid or o["commonInfo"]["orderId"] == oid)]
            items = [self.row(o) for o in rows[(page - 1) * size: page * size]]
        if not items and page > 1:
            return _err(10003, "没有更多数据")  # 10003 ends a public tool's paging (ref 58518899540); wording GUESS
        return Reply(200, {"code": 0, "msg": "ok", "orderList": items, "totalNum": len(rows),
                           "nextKey": items[-1]["commonInfo"]["orderId"] if items else ""})

    def _detail(self, sub: str, req: dict) -> Reply:
        oid = str(req.get("id") or "").strip()
        self.latency()
        with self.lock:
            if sub == "ship/cgi/initShipData":
                self.st["initRequests"].append(oid)
            rec = next((o for o in self.data["orderList"] if o["commonInfo"]["orderId"] == oid), None)
            if rec is None:
                return _err(10001, "订单不存在")  # GUESS
            order = self.row(rec)
        if sub == "detail/cgi/orderDetail":
            return Reply(200, {"code": 0, "msg": "ok", **order})  # expressInfo at the top (refs 58542761208, 58514662759)
        # initShipData: the order under orderDetail (ref 58542761208); the courier list beside it is a GUESS.
        return Reply(200, {"code": 0, "msg": "ok", "orderDetail": order,
                           "deliveryCompanyList": [{"deliveryId": i, "deliveryName": n} for i, n in COURIERS]})

    def _update(self, req: dict, headers) -> Reply:
        by = headers.get("X-Replica-Confirmed-By", "unknown")
        oid = str(req.get("orderId") or "").strip()
        info = req.get("deliveryInfo") if isinstance(req.get("deliveryInfo"), dict) else {}
        items = info.get("deliveryProductInfo") if isinstance(info.get("deliveryProductInfo"), list) else []
        deliver_type = _int(info.get("deliverType"), 1, 1, 10)
        self.latency()
        with self.lock:
            self.st["shipRequests"].append({"body": req, "by": by})
            rec = next((o for o in self.data["orderList"] if o["commonInfo"]["orderId"] == oid), None)
            if rec is None:
                return _err(10001, "订单不存在")
            status = rec["commonInfo"]["status"]
            if status not in (20, 21, 30):
                return _err(10002, "当前订单状态不支持发货")  # GUESS
            if not items or not all(isinstance(x, dict) and x.get("productInfos") for x in items):
                return _err(10004, NOTHING_TO_UPDATE)
            item = items[0]
            delivery_id = str(item.get("deliveryId") or "").strip()
            number = str(item.get("waybillId") or "").strip()
            company = next(((i, n) for i, n in COURIERS if i == delivery_id), None)
            if deliver_type == 1:
                if company is None:
                    return _err(10005, NO_CARRIER)
                problem = number_problem(delivery_id, number)
                if problem:
                    return _err(10006 if problem == BAD_NUMBER else 10007, problem)
            now = int(time.time())
            kind = "ship" if status in (20, 21) else "update"  # on a shipped order the same call changes the waybill
            rec["commonInfo"]["status"] = 30
            rec["expressInfo"]["deliveryProductInfo"] = [{
                "waybillId": number, "deliveryId": delivery_id, "deliveryName": company[1] if company else "",
                "deliverType": deliver_type, "isAllProduct": bool(item.get("isAllProduct")), "waybillStatus": 2,
                "deliveryTime": now, "productInfos": item.get("productInfos")}]
            self.st["shipped"].append({
                "orderId": oid, "kind": kind, "deliverType": deliver_type,
                "deliveryId": delivery_id if deliver_type == 1 else None,
                "deliveryName": company[1] if (company and deliver_type == 1) else None,
                "waybillId": number if deliver_type == 1 else "",
                "isAllProduct": bool(item.get("isAllProduct")),
                "at": dt.datetime.fromtimestamp(now, BEIJING).isoformat(timespec="seconds"),
                # "user" for a trusted click on the dialog's confirm button, "script" for element.click()
                "by": by,
            })
        return Reply(200, {"code": 0, "errcode": 0, "errmsg": "ok", "success": True})


@register_layout
class WechatSeller2026Changed(WechatSeller2026):
    """The same page after a redesign: the script's other build, see CHANGES."""
    layout = "2026-changed"
    pages = {LIST_PATH: "list-changed.html"}

    def row(self, rec: dict) -> dict:
        item = super().row(rec)
        addr = item["deliveryInfo"]["addressInfo"]
        addr["districtName"] = addr.pop("countyName")  # CHANGES "reply-field"
        return item


def generate_dataset(n: int) -> dict:
    """`n` 待发货 orders in the reply shape, cloned from data.json with fresh ids (for benchmarks:
    `ReplicaServer(datasets={"wechat-seller": …})`)."""
    base = [o for o in load_orders() if o["commonInfo"]["status"] == 20]
    out = []
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        rec["commonInfo"]["orderId"] = f"37357{i:014d}"
        out.append(rec)
    return {"orderList": out}


if __name__ == "__main__":  # regenerate expected-extract.json after editing data.json
    write_expected()
