"""京东商家 order list (`jd-seller`, shop.jd.com/jdm/trade/orders/order-list) as it looks in 2026, with a 出库
dialog per row, and the same page after a plausible redesign ("2026-changed").

Written from public evidence only (tests/fixtures/sites/jd-seller/2026/README.md lists, per detail, the evidence it
follows or why it is a GUESS). No adapter was consulted.

    ReplicaServer(["jd-seller"], layouts={"jd-seller": "2026"})
    ReplicaServer(["jd-seller"], layouts={"jd-seller": "2026-changed"})

The page (Vue 3, vendored in the fixture folder) asks the gateway on another origin,
`POST https://sff.jd.com/api?v=1.0&appId=…&api=dsm.order.bff.orderListBffService.queryOrderPage`, with a JSON
body `{"request": {"source", "versionNo", "data": {orderTab, current, pageSize, …}}, "accessContext"}` and the
`dsm-*` / `h5st` headers (so the browser sends a CORS preflight first); the answer is
`{"code": 200, "data": {"current", "pageSize", "totalItem", "results": [...]}}` with times in epoch
milliseconds, 50 rows a page, newest first. Both layouts serve the same orders (`data.json`).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import time
from pathlib import Path

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _int, _json_body, register_layout
from tests.support.replicas.cross_origin import allow_preflight, cors_headers

allow_preflight()

FOLDER = SITES_DIR / "jd-seller" / "2026"
PAGE_HOSTS = ("shop.jd.com", "trade-order-jdm.jd.com")
API_HOST = "sff.jd.com"
LIST_PATH = "/jdm/trade/orders/order-list"
ALT_PATHS = ("/jdm/trade/order/orderList", "/orderList/waitOut", "/orderList/allOrders")
MAIN_URL = "https://shop.jd.com/jdm/trade/orders/order-list?tabType=waitOut"
ALL_URL = "https://shop.jd.com/jdm/trade/orders/order-list?tabType=allOrders"
DETAIL_URL = "https://shop.jd.com/jdm/trade/orders/order-detail?orderId={id}"  # GUESS
PAGE_SIZE = 50  # evidence: 50 a page (ref 70935100223, 66467389411)
ALLOWED_ORIGINS = tuple(f"https://{h}" for h in PAGE_HOSTS)
PREFLIGHT_HEADERS = ("content-type, dsm-platform, dsm-trace-id, dsm-lang, dsm-site, dsm-file-path, h5st, "
                     "x-requested-with, x-replica-confirmed-by")
API_LIST = "dsm.order.bff.orderListBffService.queryOrderPage"
API_TABS = "dsm.order.bff.orderListBffService.queryOrderTabs"
API_CARRIERS = "dsm.order.bff.orderOutboundBffService.queryVenderCarriers"   # GUESS: name
API_OUTBOUND = "dsm.order.bff.orderOutboundBffService.sopOutbound"            # GUESS: name
API_SMS = "dsm.order.bff.orderOutboundBffService.sendOutboundVerifyCode"      # GUESS: the redesign's
# orderTab → statuses listed (allOrders, waitOut evidenced; the other keys are GUESSES).
TABS = {"allOrders": None, "waitOut": {"等待出库"}, "waitReceive": {"已出库"}, "finished": {"已完成"},
        "canceled": {"已取消"}}

# GUESS: number checks (public heuristics from couriers.md, "rank, don't assert"), keyed by JD carrier id.
NUMBER_RULES = {"467": r"SF\d{12,13}", "1499": r"7[3568]\d{12}|\d{12}", "463": r"YT\d{13}", "470": r"77\d{13}|\d{13}",
                "1327": r"[34]\d{14}|\d{13}", "1255654": r"JT\d{13}", "2170": r"[19]\d{12}", "465": r"[19]\d{12}"}

# What the redesign ("2026-changed") changes. `expect`: `survive` (a robust adapter reads/fills the same as before,
# by meaning) or `report` (it says "page changed" and fills nothing).
CHANGES: list[dict] = [
    {"id": "component-prefix", "expect": "survive",
     "what": "component library prefix jd- -> jdd- (scrollbar, tag, only-child, pagination, pager, button, dialog, "
             "checkbox, input, tabs, loading, overlay, form-item)"},
    {"id": "class-renames", "expect": "survive",
     "what": "the card's own classes renamed: card -> order-card, shop-order-id -> order-no, order-info-btn -> "
             "order-no__btn, order-time-info -> order-times, sku-info-list__item -> goods-item, sku-name -> "
             "goods-item__name, config-view-item(__label|__value) -> kv-item(__label|__value), cons-address-text -> "
             "receiver-address, cons-mobile-phone-text -> receiver-phone, user-pin -> buyer-pin, order-status -> "
             "status-text, promise-out-ship-date -> ship-deadline, remark-cell__text -> buyer-remark__text, "
             "order-tags-item -> order-tags; the column `prop` attributes are kept"},
    {"id": "column-moved", "expect": "survive",
     "what": "the 订单状态 column moved before 收货人信息 (header and card cells alike)"},
    {"id": "micro-app-shadow", "expect": "survive",
     "what": "the list now renders inside <micro-app name=\"jdm-trade-order\"> with an open shadow root (JD's "
             "micro-app framework); dialogs still mount on document.body"},
    {"id": "reply-rows-renamed", "expect": "survive",
     "what": "queryOrderPage data.results renamed data.records (a name public scrapers already try); a reply reader "
             "must notice the rows are missing and read the DOM (or report), never conclude 'no orders'"},
    {"id": "dialog-labels", "expect": "survive",
     "what": "出库 dialog labels 物流公司 -> 快递公司 and 运单号 -> 快递单号; placeholders 请选择物流公司 -> 请选择快递公司, "
             "请输入运单号 -> 请输入快递单号; button 确定 -> 确认出库"},
    {"id": "sms-verify", "expect": "report",
     "what": "出库 dialog: a required 短信验证码 field (获取验证码 sends a code to the account's phone) above the "
             "buttons; without it the page refuses (请输入短信验证码) and nothing is sent. Only the person can pass "
             "it, so the adapter fills nothing and reports the page as changed"},
]


def load_data() -> dict:
    """data.json: {"shop": {"shopName", "shopId", "venderId", "pin"}, "results": [queryOrderPage rows]}."""
    return json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))


def load_orders() -> list[dict]:
    """The queryOrderPage rows as stored (the gateway sorts them newest first)."""
    return load_data()["results"]


def load_carriers() -> list[dict]:
    """[{"id", "name", "remark"}]: the carriers the 出库 dialog's select offers (carriers.json, ref 66841151652)."""
    return json.loads((FOLDER / "carriers.json").read_text(encoding="utf-8"))["carriers"]


def _iso_ms(ms: int | None) -> str:
    if not ms:
        return ""
    return dt.datetime.fromtimestamp(ms / 1000, BEIJING).isoformat(timespec="seconds")


def expected_order(rec: dict, shop: str) -> dict:
    """One queryOrderPage result as MODEL.md's sales order, holding what the card shows.

    `ship_by` is the 承诺出库 time, shown for 等待出库 orders only; the address parts are the reply's
    province/city/county names and `detail` the masked rest of `consigneeAddress`; `price` is the unit jdPrice,
    `sku` the spec line, `amount` the 应收 (receivables), `remark` the buyer's orderRemark."""
    c = rec["consigneeInfo"]
    prefix = c["provinceName"] + c["cityName"] + c["countyName"]
    assert c["consigneeAddress"].startswith(prefix), rec["orderId"]
    return {
        "order_id": str(rec["orderId"]),
        "shop": shop,
        "status": rec["orderStatusInfo"]["orderStatusName"],
        "created_at": _iso_ms(rec["orderCreateTime"]),
        "ship_by": _iso_ms(rec["promiseOutShipTime"]) if rec["orderStatusInfo"]["orderStatusName"] == "等待出库" else "",
        "buyer": {"name": c["consigneeName"], "phone": c["consigneeMobile"],
                  "address": {"province": c["provinceName"], "city": c["cityName"], "district": c["countyName"],
                              "detail": c["consigneeAddress"][len(prefix):]}},
        "items": [{"title": i["skuName"], "sku": i["skuSpec"], "quantity": int(i["num"]), "price": i["jdPrice"]}
                  for i in rec["orderItems"]],
        "amount": rec["orderPaymentInfo"]["receivables"],
        "remark": rec["orderRemark"] or "",
        "url": DETAIL_URL.format(id=rec["orderId"]),
    }


def _pages(orders: list[dict], size: int) -> list[list[dict]]:
    return [orders[i:i + size] for i in range(0, len(orders), size)] or [[]]


def expected_pages(data: dict | None = None, page_size: int = PAGE_SIZE) -> dict:
    """expected-extract.json: `pages` = each page of the main URL (tab 待出库, tabType=waitOut), `allOrders` = each
    page of tabType=allOrders (shipped, finished and cancelled orders too); newest first, 50 a page."""
    data = load_data() if data is None else data
    shop = data["shop"]["shopName"]
    every = sorted(data["results"], key=lambda r: -r["orderCreateTime"])
    waiting = [r for r in every if r["orderStatusInfo"]["orderStatusName"] == "等待出库"]
    return {"pages": _pages([expected_order(r, shop) for r in waiting], page_size),
            "allOrders": _pages([expected_order(r, shop) for r in every], page_size)}


def write_expected(path: Path = FOLDER / "expected-extract.json") -> None:
    path.write_text(json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def number_problem(carrier_id: str, number: str) -> bool:
    """True when the number does not fit the carrier (GUESS rules; see NUMBER_RULES)."""
    if not re.fullmatch(r"[A-Za-z0-9-]{8,32}", number):
        return True
    rule = NUMBER_RULES.get(carrier_id)
    return bool(rule and not re.fullmatch(rule, number))


@register_layout
class JdSeller2026(Site):
    site_id = "jd-seller"
    layout = "2026"
    subfolder = "2026"
    hosts = PAGE_HOSTS + (API_HOST,)
    main_url = MAIN_URL
    pages = {LIST_PATH: "order-list.html", **{p: "order-list.html" for p in ALT_PATHS}}

    max_page_size = 500  # GUESS: the real cap is unknown; ?pageSize= on the page URL is a bench hook

    def load_dataset(self) -> dict:
        return json.loads((self.folder / "data.json").read_text(encoding="utf-8"))

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": [], "shipRequests": [], "preflights": 0, "smsCodes": []}

    def page_data(self, rows: list[dict], page: int, size: int, total: int) -> dict:
        """`data` of the queryOrderPage answer (the redesign renames the row list)."""
        return {"current": page, "pageSize": size, "totalItem": total, "results": rows}

    def requires_sms(self) -> bool:
        return False

    def handle(self, method, path, query, body, headers) -> Reply:
        host = (headers.get("Host") or "").split(":")[0].lower()
        if host == API_HOST:
            return self._gateway(method, path, query, body, headers)
        return super().handle(method, path, query, body, headers)

    # -- sff.jd.com: the gateway ----------------------------------------------------------------------------
    def _gateway(self, method, path, query, body, headers) -> Reply:
        if method == "OPTIONS":
            with self.lock:
                self.st["preflights"] += 1
            return Reply(204, b"", headers=cors_headers(headers, ALLOWED_ORIGINS, allow_headers=PREFLIGHT_HEADERS))
        cors = cors_headers(headers, ALLOWED_ORIGINS)
        if path != "/api" or method != "POST":
            return Reply(404, {"code": 404, "msg": f"no route {method} {path}"}, headers=cors)
        api = (query.get("api") or [""])[0]
        if headers.get("dsm-platform") != "pc" or not headers.get("h5st"):
            # GUESS: code and words; the gateway refuses calls without the page's signature headers.
            return Reply(200, {"code": 601, "msg": "请求签名校验失败", "data": None}, headers=cors)
        req = _json_body(body).get("request") or {}
        data = req.get("data") if isinstance(req.get("data"), dict) else {}
        if api == API_LIST:
            return Reply(200, self._list(data, headers), headers=cors)
        if api == API_TABS:
            self.latency()
            with self.lock:
                counts = {k: sum(1 for r in self.data["results"] if v is None or r["orderStatusInfo"]["orderStatusName"] in v)
                          for k, v in TABS.items()}
            return Reply(200, {"code": 200, "msg": "success", "data": [{"tabType": k, "count": n} for k, n in counts.items()]},
                         headers=cors)
        if api == API_CARRIERS:
            self.latency()
            return Reply(200, {"code": 200, "msg": "success", "data": load_carriers()}, headers=cors)
        if api == API_SMS and self.requires_sms():
            code = f"{random.randrange(10**6):06d}"
            with self.lock:
                self.st["smsCodes"].append(code)
            return Reply(200, {"code": 200, "msg": "success", "data": {"mobile": "138****0712"}}, headers=cors)
        if api == API_OUTBOUND:
            return Reply(200, self._outbound(data, headers), headers=cors)
        return Reply(200, {"code": 404, "msg": f"api {api} not found", "data": None}, headers=cors)

    def _list(self, data: dict, headers) -> dict:
        tab = data.get("orderTab") or "allOrders"
        page = _int(data.get("current"), 1, 1, 10**6)
        size = _int(data.get("pageSize"), PAGE_SIZE, 1, self.max_page_size)
        order_id = str(data.get("orderId") or "").strip()
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"orderTab": tab, "current": page, "pageSize": size, "orderId": order_id,
                                            "origin": headers.get("Origin", ""), "traceId": headers.get("dsm-trace-id", "")})
            wanted = TABS.get(tab)
            rows = sorted((r for r in self.data["results"]
                           if (wanted is None or r["orderStatusInfo"]["orderStatusName"] in wanted)
                           and (not order_id or str(r["orderId"]) == order_id)),
                          key=lambda r: -r["orderCreateTime"])
            items = copy.deepcopy(rows[(page - 1) * size: page * size])
        return {"code": 200, "msg": "success", "data": self.page_data(items, page, size, len(rows))}

    def _outbound(self, data: dict, headers) -> dict:
        by = headers.get("X-Replica-Confirmed-By", "unknown")
        order_id = str(data.get("orderId") or "").strip()
        carrier_id = str(data.get("logiCoprId") or "").strip()
        number = str(data.get("logiNo") or "").strip()
        carrier = next((c for c in load_carriers() if c["id"] == carrier_id), None)
        self.latency()

        def fail(reason: str) -> dict:
            # Shape as the outbound services answer (ref 66467389411): failures listed in data.failList.
            return {"code": 200, "msg": "success",
                    "data": {"successList": [], "failList": [{"orderId": order_id, "failReason": reason}]}}

        with self.lock:
            self.st["shipRequests"].append({"body": data, "by": by})
            rec = next((r for r in self.data["results"] if str(r["orderId"]) == order_id), None)
            if rec is None:
                return fail("订单不存在")
            if rec["orderStatusInfo"]["orderStatusName"] != "等待出库":
                return fail("订单状态已变更，请刷新后重试")
            if carrier is None:
                return fail("请选择物流公司")
            if not number:
                return fail("请输入运单号")
            if self.requires_sms() and str(data.get("verifyCode") or "") not in self.st["smsCodes"]:
                return fail("短信验证码错误或已过期")
            if number_problem(carrier_id, number) or any(s["tracking_number"] == number for s in self.st["shipped"]):
                return fail("运单号不符合规则，请核对后重新输入")  # GUESS: wording
            now_ms = int(time.time() * 1000)
            rec["orderStatusInfo"] = {"orderStatus": 16, "orderStatusName": "已出库"}
            rec["promiseOutShipTime"] = None
            rec["logisticsInfo"] = {"logiCoprId": carrier_id, "logiName": carrier["name"], "logiNo": number}
            self.st["shipped"].append({
                "order_id": order_id, "carrier_id": carrier_id, "carrier_name": carrier["name"],
                "tracking_number": number,
                "at": dt.datetime.fromtimestamp(now_ms / 1000, BEIJING).isoformat(timespec="seconds"),
                # "user" when the 确定 click was trusted (a person, or Playwright/CDP), "script" when page or
                # content-script code called element.click()/dispatchEvent.
                "by": by,
            })
        return {"code": 200, "msg": "success", "data": {"successList": [order_id], "failList": []}}


@register_layout
class JdSeller2026Changed(JdSeller2026):
    """The same page after a redesign: the page script's other build plus a reply change (CHANGES)."""
    layout = "2026-changed"
    pages = {LIST_PATH: "order-list-changed.html", **{p: "order-list-changed.html" for p in ALT_PATHS}}

    def page_data(self, rows, page, size, total) -> dict:
        return {"current": page, "pageSize": size, "totalItem": total, "records": rows}  # CHANGES "reply-rows-renamed"

    def requires_sms(self) -> bool:  # CHANGES "sms-verify"
        return True


def generate_dataset(n: int) -> dict:
    """`n` 等待出库 orders in the reply shape, cloned from data.json with fresh order ids and newest-first times
    (for benchmarks: `ReplicaServer(datasets={"jd-seller": …})`, then open the list with `&pageSize=n`)."""
    data = load_data()
    base = [r for r in data["results"] if r["orderStatusInfo"]["orderStatusName"] == "等待出库"]
    top = max(r["orderCreateTime"] for r in base)
    out = []
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        rec["orderId"] = 700000000000 + i
        rec["orderCreateTime"] = top - i * 60_000
        rec["paymentConfirmTime"] = rec["orderCreateTime"] + 90_000
        rec["promiseOutShipTime"] = rec["paymentConfirmTime"] + 48 * 3600_000
        out.append(rec)
    return {"shop": data["shop"], "results": out}


if __name__ == "__main__":  # regenerate expected-extract.json after editing data.json
    write_expected()
