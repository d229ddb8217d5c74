"""淘宝/天猫 千牛 seller pages (`taobao-seller`): the sold list (已卖出的宝贝) on myseller.taobao.com and the
consign-order 发货 page on qn.taobao.com as they look in 2026, and the same pages after a plausible
redesign ("2026-changed").

Written from public evidence only (tests/fixtures/sites/taobao-seller/2026/README.md lists, per detail, the
evidence it follows or why it is a GUESS). No adapter was consulted.

    ReplicaServer(["taobao-seller"], layouts={"taobao-seller": "2026"})
    ReplicaServer(["taobao-seller"], layouts={"taobao-seller": "2026-changed"})

Three hosts: the list page (myseller.taobao.com, also served on qn.taobao.com), its rows from the page's
own cross-origin POST to trade.taobao.com/trade/itemlist/asyncSold.htm (form-encoded, 15 a page, answered
in GBK with credentialed CORS), and the consign page (qn.taobao.com/home.htm/consign-order/) with its own
same-origin endpoints. Both layouts serve the same orders (`data.json`: `mainOrders` in the asyncSold
shape, order ids 19-digit strings, sub-order `id` a JSON number that JavaScript rounds plus `idStr`).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _int, register_layout
from tests.support.replicas.cross_origin import allow_preflight, cors_headers

allow_preflight()

FOLDER = SITES_DIR / "taobao-seller" / "2026"
COURIER_FILE = Path(__file__).resolve().parents[2] / "data" / "platform_options_taobao.json"
LIST_HOSTS = ("myseller.taobao.com", "qn.taobao.com")
TRADE_HOST = "trade.taobao.com"
CONSIGN_HOST = "qn.taobao.com"
SOLD_PATH = "/home.htm/trade-platform/tp/sold"
CONSIGN_PATH = "/home.htm/consign-order/"
ASYNC_SOLD_PATH = "/trade/itemlist/asyncSold.htm"
PAGE_SIZE = 15  # the page's own form posts pageSize=15 (refs 9105807708, largesky/shoperp TAOBAOJS.js)
MAIN_URL = "https://myseller.taobao.com" + SOLD_PATH
DETAIL_URL = "https://qn.taobao.com/home.htm/trade-platform/tp/detail?bizOrderId={id}"
CONSIGN_URL = "https://qn.taobao.com/home.htm/consign-order/?from=list&tradeId={id}&type=1"
ALLOWED_ORIGINS = tuple(f"https://{h}" for h in LIST_HOSTS)

# tabCode → which statusInfo.text the tab lists (tab codes: waitSend, haveSendGoods, success, latest3Months
# are evidenced; waitBuyerPay, refunding, closed are GUESSES).
TABS = {
    "latest3Months": None,
    "waitBuyerPay": {"等待买家付款"},
    "waitSend": {"买家已付款"},
    "haveSendGoods": {"卖家已发货"},
    "refunding": "refunding",
    "success": {"交易成功"},
    "closed": {"交易关闭"},
}
AFTER_SALE_OPEN = {"请卖家处理", "请退款", "待退货"}  # sub-order operation texts (largesky/shoperp)

# GUESS: number checks (public heuristics from couriers.md, "rank, don't assert"); the real rules are unknown.
# Keyed by Taobao company code. Every number must be 8–32 letters/digits.
NUMBER_RULES = {
    "SF": r"SF\d{12,13}",
    "ZTO": r"7[3568]\d{12}|\d{12}",
    "YTO": r"YT\d{13}",
    "STO": r"77\d{13}|\d{13}",
    "YUNDA": r"[34]\d{14}|\d{13}",
    "HTKY": r"JT\d{13}",          # 极兔速递 carries the code Taobao moved from 百世 (data file note)
    "POSTB": r"[19]\d{12}",
    "EMS": r"[19]\d{12}|[A-Z]{2}\d{9}CN",
}
# Evidenced text: the old consign page answered exactly this for a bad or reused number (largesky/shoperp).
BAD_NUMBER = "运单号不符合规则或已经被使用"
# GUESS: the "常用" group the search-select shows before anything is typed.
COMMON_CODES = ["ZTO", "YTO", "YUNDA", "STO", "SF", "HTKY", "POSTB", "EMS"]

# What the redesign ("2026-changed") changes. `expect`: `survive` (a robust adapter reads/fills the same as
# before, by meaning) or `report` (it says "page changed" and fills nothing).
CHANGES: list[dict] = [
    {"id": "component-prefix", "expect": "survive",
     "what": "Fusion components built with another prefix (ConfigProvider prefix): every `next-…` class is now "
             "`qn-…` (table, pagination, tabs, dialog, select, menu, input, btn, checkbox, message, loading)"},
    {"id": "class-hashes", "expect": "survive",
     "what": "every CSS-module class (orderHead--xxxxx, consignForm--xxxxx, …) rehashed"},
    {"id": "column-moved", "expect": "survive",
     "what": "sold list: the 交易状态 column moved from 6th place to 2nd (header and row cells alike)"},
    {"id": "head-label", "expect": "survive",
     "what": "order head labels 订单号： -> 订单编号： and 创建时间： -> 下单时间："},
    {"id": "reply-id-number", "expect": "survive",
     "what": "asyncSold mainOrders[].id is now a JSON number (JSON.parse rounds a 19-digit id) with the exact "
             "string in a new mainOrders[].idStr, as subOrders already had; a reply reader must take idStr or "
             "the DOM and never send a rounded id"},
    {"id": "consign-labels", "expect": "survive",
     "what": "发货 page labels 物流公司 -> 快递公司 and 运单号 -> 快递单号; placeholders 请输入物流公司名称 -> "
             "搜索快递公司, 请输入运单号 -> 请输入快递单号; button 确认发货 -> 发货; tab 自己联系物流 -> 自己联系快递"},
    {"id": "number-autodetect", "expect": "survive",
     "what": "发货 page: a number typed while no company is chosen makes the page pick a company by the "
             "number's prefix (SF…, YT…, JT…, 7x… 14 digits, 77… 15 digits) after 300 ms; a filler must check "
             "the chosen company before confirming"},
    {"id": "refund-confirm", "expect": "report",
     "what": "发货 page, for an order with a sub-order in an open refund (售后 请卖家处理): a required checkbox "
             "「该订单有退款申请，确认继续发货」 above the button; without it the page refuses (该订单有未处理的退款，"
             "请确认后发货). Shipping through an open refund is the person's call, so the adapter fills nothing "
             "and reports the page as changed"},
]


def load_data() -> dict:
    """data.json: {"shop": {"name", "sellerNick"}, "mainOrders": [asyncSold records], "receivers": {id: {...}}}."""
    return json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))


def load_orders() -> list[dict]:
    """The asyncSold `mainOrders` records, newest first (the order every tab lists them in)."""
    return load_data()["mainOrders"]


def load_couriers() -> list[dict]:
    """The 淘宝 courier list the 发货 page offers: [{"id", "code", "name"}], labels exactly as stored
    (one has a trailing space) — tests/data/platform_options_taobao.json (qihang-erp dump, ref 66841151652)."""
    raw = json.loads(COURIER_FILE.read_text(encoding="utf-8"))["options"]
    return [{"id": o["logistics_id"], "code": o["code"], "name": o["label"]} for o in raw]


def _iso(text: str) -> str:
    """`2026-11-28 19:22:47` (Beijing time as the page shows it) → `2026-11-28T19:22:47+08:00`."""
    return text.replace(" ", "T") + "+08:00"


def expected_order(rec: dict, shop: str) -> dict:
    """One asyncSold mainOrders record as MODEL.md's sales order, holding what the list row shows.

    The sold list shows no receiver (the address needs a separate encrypted-info call) and no ship-by
    time, so `buyer` parts and `ship_by` are empty strings; `price` is the unit price (priceInfo.realTotal),
    `sku` the skuText values joined by one space, `amount` payInfo.actualFee (实收款)."""
    return {
        "order_id": rec["id"] if isinstance(rec["id"], str) else rec["idStr"],
        "shop": shop,
        "status": rec["statusInfo"]["text"],
        "created_at": _iso(rec["orderInfo"]["createTime"]),
        "ship_by": "",
        "buyer": {"name": "", "phone": "",
                  "address": {"province": "", "city": "", "district": "", "detail": ""}},
        "items": [{"title": s["itemInfo"]["title"], "sku": " ".join(x["value"] for x in s["itemInfo"]["skuText"]),
                   "quantity": int(s["quantity"]), "price": s["priceInfo"]["realTotal"]}
                  for s in rec["subOrders"]],
        "amount": rec["payInfo"]["actualFee"],
        "remark": rec["orderInfo"].get("buyerMessage") or "",
        "url": DETAIL_URL.format(id=rec["orderInfo"]["id"]),
    }


def _pages(orders: list[dict], page_size: int) -> list[list[dict]]:
    return [orders[i:i + page_size] for i in range(0, len(orders), page_size)] or [[]]


def expected_pages(data: dict | None = None, page_size: int = PAGE_SIZE) -> dict:
    """expected-extract.json: `pages` = the orders of each page of the main URL (tab 近三个月订单, every
    order, newest first); `waitSend` = the pages of the 等待发货 tab."""
    data = load_data() if data is None else data
    shop = data["shop"]["name"]
    orders = [expected_order(r, shop) for r in data["mainOrders"]]
    waiting = [expected_order(r, shop) for r in data["mainOrders"] if r["statusInfo"]["text"] == "买家已付款"]
    return {"pages": _pages(orders, page_size), "waitSend": _pages(waiting, page_size)}


def write_expected(path: Path = FOLDER / "expected-extract.json") -> None:
    path.write_text(json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def number_problem(code: str, number: str) -> bool:
    """True when the number does not fit the company (GUESS rules; see NUMBER_RULES)."""
    if not re.fullmatch(r"[A-Za-z0-9]{8,32}", number):
        return True
    rule = NUMBER_RULES.get(code)
    return bool(rule and not re.fullmatch(rule, number))


def _form(body: bytes) -> dict:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("gbk", errors="replace")
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _gbk_json(payload: dict, headers: dict) -> Reply:
    """The asyncSold answer: GBK bytes (evidence: "response may be GBK"), declared in Content-Type."""
    return Reply(200, json.dumps(payload, ensure_ascii=False).encode("gbk"), "application/json;charset=GBK", headers)


@register_layout
class TaobaoSeller2026(Site):
    site_id = "taobao-seller"
    layout = "2026"
    subfolder = "2026"
    hosts = LIST_HOSTS + (TRADE_HOST,)
    main_url = MAIN_URL
    pages = {SOLD_PATH: "sold.html", CONSIGN_PATH: "consign.html", CONSIGN_PATH.rstrip("/"): "consign.html"}

    max_page_size = 500  # GUESS: the real server's cap is unknown; ?pageSize= on the list URL is a bench hook

    def load_dataset(self) -> dict:
        return json.loads((self.folder / "data.json").read_text(encoding="utf-8"))

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": [], "shipRequests": []}

    # -- what the replies carry (the redesign changes one field) ------------------------------------------
    def main_order(self, rec: dict) -> dict:
        return copy.deepcopy(rec)

    # -- routing by host ------------------------------------------------------------------------------------
    def handle(self, method, path, query, body, headers) -> Reply:
        host = (headers.get("Host") or "").split(":")[0].lower()
        if host == TRADE_HOST:
            return self._trade(method, path, query, body, headers)
        if path.startswith("/home.htm/consign-order") and host != CONSIGN_HOST:
            return Reply(404, {"error": "the consign page lives on qn.taobao.com"})
        return super().handle(method, path, query, body, headers)

    def api(self, method, path, query, body, headers) -> Reply:
        host = (headers.get("Host") or "").split(":")[0].lower()
        if host == CONSIGN_HOST and path.startswith("/consign-order/api/"):
            return self._consign_api(method, path, query, body, headers)
        return super().api(method, path, query, body, headers)

    # -- trade.taobao.com: the list's rows ------------------------------------------------------------------
    def _trade(self, method, path, query, body, headers) -> Reply:
        allow = cors_headers(headers, ALLOWED_ORIGINS, allow_headers="content-type, x-requested-with")
        if path != ASYNC_SOLD_PATH:
            return Reply(404, {"error": f"no route {method} {path}"}, headers=allow)
        if method == "OPTIONS":
            return Reply(204, b"", headers=allow)
        if method != "POST":
            return Reply(405, {"error": "POST only"}, headers=allow)
        cors = cors_headers(headers, ALLOWED_ORIGINS)
        q = {k: v[0] for k, v in query.items()}
        form = _form(body)
        if q.get("event_submit_do_query") != "1" or form.get("action") != "itemlist/SoldQueryAction":
            # GUESS: what the real endpoint says to a malformed query.
            return _gbk_json({"error": "参数错误", "mainOrders": None}, cors)
        tab = form.get("tabCode") or "latest3Months"
        page = _int(form.get("pageNum"), 1, 1, 10**6)
        size = _int(form.get("pageSize"), PAGE_SIZE, 1, self.max_page_size)
        ids = [x for x in re.split(r"[,\s]+", form.get("bizOrderId", "")) if x][:50]  # batch search, ≤ 50 ids
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"origin": headers.get("Origin", ""), "tabCode": tab, "pageNum": page,
                                            "pageSize": size, "bizOrderId": ids,
                                            "withCookie": bool(headers.get("Cookie"))})
            wanted = TABS.get(tab)
            rows = [o for o in self.data["mainOrders"]
                    if (wanted is None
                        or (wanted == "refunding" and any(op["text"] in AFTER_SALE_OPEN
                                                          for s in o["subOrders"] for op in s["operations"]))
                        or (isinstance(wanted, set) and o["statusInfo"]["text"] in wanted))
                    and (not ids or o["id"] in ids)]
            total = len(rows)
            items = [self.main_order(o) for o in rows[(page - 1) * size: page * size]]
        payload = {
            "traceId": uuid.uuid4().hex[:30],
            "isQnNewHideNick": True,
            "extra": {"batchFlagUrl": 1, "sellerFlag": 0, "currencySymbol": "￥", "isQnNew": True,
                      "isShowSellerService": False, "isQnNewExportNew": True, "isQnNewHideNick": True,
                      "isQnNewShowSellerService": False},
            "query": {k: form[k] for k in sorted(form)},
            "page": {"currentPage": page, "pageSize": size, "totalNumber": total,
                     "totalPage": max(1, -(-total // size))},
            "mainOrders": items,
        }
        return _gbk_json(payload, cors)

    # -- qn.taobao.com: the 发货 page's own endpoints (GUESS: paths and shapes) --------------------------------
    def _consign_api(self, method, path, query, body, headers) -> Reply:
        if method == "GET" and path == "/consign-order/api/order":
            trade_id = (query.get("tradeId") or [""])[0]
            self.latency()
            with self.lock:
                rec = next((o for o in self.data["mainOrders"] if o["id"] == trade_id), None)
                if rec is None:
                    return Reply(200, {"success": False, "errorCode": "ORDER_NOT_FOUND", "errorMsg": "订单不存在"})
                return Reply(200, {"success": True, "data": {
                    "mainOrder": self.main_order(rec), "receiver": copy.deepcopy(self.data["receivers"][trade_id]),
                    "shopName": self.data["shop"]["name"]}})
        if method == "GET" and path == "/consign-order/api/companies":
            self.latency()
            return Reply(200, {"success": True, "data": {"common": COMMON_CODES, "list": load_couriers()}})
        if method == "POST" and path == "/consign-order/api/offlineConsign":
            return self._ship(_form(body), headers)
        return Reply(404, {"error": f"no route {method} {path}"})

    def needs_refund_confirm(self, rec: dict) -> bool:
        return False

    def _ship(self, form: dict, headers) -> Reply:
        by = headers.get("X-Replica-Confirmed-By", "unknown")
        trade_id = (form.get("tradeId") or "").strip()
        code = (form.get("companyCode") or "").strip()
        number = (form.get("mailNo") or "").strip()
        couriers = load_couriers()
        company = next((c for c in couriers if c["code"] == code), None)
        self.latency()

        def fail(err: str, msg: str) -> Reply:
            return Reply(200, {"success": False, "errorCode": err, "errorMsg": msg})  # GUESS: codes

        with self.lock:
            self.st["shipRequests"].append({"body": form, "by": by})
            rec = next((o for o in self.data["mainOrders"] if o["id"] == trade_id), None)
            if rec is None or form.get("event_submit_do_offline_consign") != "1":
                return fail("ORDER_NOT_FOUND", "订单不存在")
            text = rec["statusInfo"]["text"]
            if text == "交易关闭":
                return fail("TRADE_CLOSED", "交易已关闭，不能发货")
            if text == "等待买家付款":
                return fail("NOT_PAID", "买家尚未付款，不能发货")
            if text != "买家已付款":
                return fail("ALREADY_CONSIGNED", "该订单已发货，请勿重复操作")
            if company is None:
                return fail("COMPANY_EMPTY", "请选择物流公司")
            if not number:
                return fail("MAILNO_EMPTY", "请输入运单号")
            used = any(s["tracking_number"] == number for s in self.st["shipped"])
            if used or number_problem(code, number):
                return fail("MAILNO_ILLEGAL", BAD_NUMBER)
            if self.needs_refund_confirm(rec) and form.get("confirmRefund") != "1":
                return fail("REFUND_UNCONFIRMED", "该订单有未处理的退款，请确认后发货")
            now = int(time.time())
            rec["statusInfo"]["text"] = "卖家已发货"
            rec["statusInfo"]["operations"] = [op for op in rec["statusInfo"]["operations"] if op["text"] == "详情"] + [
                {"style": "t16", "text": "查看物流", "type": "operation",
                 "url": f"//qn.taobao.com/home.htm/trade-platform/tp/logistics?bizOrderId={trade_id}"}]
            rec["extra"]["batchSendGoods"] = 0
            rec["extra"]["disableCheckbox"] = True
            self.st["shipped"].append({
                "order_id": trade_id, "company_code": company["code"], "company_name": company["name"],
                "tracking_number": number,
                "at": dt.datetime.fromtimestamp(now, BEIJING).isoformat(timespec="seconds"),
                # "user" when the 确认发货 click was trusted (a person, or Playwright/CDP), "script" when page or
                # content-script code called element.click()/dispatchEvent.
                "by": by,
            })
        return Reply(200, {"success": True, "data": {"tradeId": trade_id, "companyName": company["name"],
                                                     "mailNo": number}})


@register_layout
class TaobaoSeller2026Changed(TaobaoSeller2026):
    """The same pages after a redesign: other builds of the page scripts plus a reply change (CHANGES)."""
    layout = "2026-changed"
    pages = {SOLD_PATH: "sold-changed.html", CONSIGN_PATH: "consign-changed.html",
             CONSIGN_PATH.rstrip("/"): "consign-changed.html"}

    def main_order(self, rec: dict) -> dict:
        out = super().main_order(rec)
        out["idStr"] = out["id"]
        out["id"] = int(out["id"])  # CHANGES "reply-id-number": a JSON number JavaScript rounds
        return out

    def needs_refund_confirm(self, rec: dict) -> bool:  # CHANGES "refund-confirm"
        return any(op["text"] in AFTER_SALE_OPEN for s in rec["subOrders"] for op in s["operations"])


def generate_dataset(n: int) -> dict:
    """`n` orders in the reply shape, cloned from data.json's 买家已付款 rows with fresh 19-digit ids (for
    benchmarks: `ReplicaServer(datasets={"taobao-seller": …})`, then open the list with `?pageSize=n`)."""
    data = load_data()
    base = [o for o in data["mainOrders"] if o["statusInfo"]["text"] == "买家已付款"]
    out, receivers = [], {}
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        oid = f"48{i:017d}"
        old = rec["id"]
        rec["id"] = oid
        rec["orderInfo"]["id"] = oid
        for k, s in enumerate(rec["subOrders"]):
            sid = oid if len(rec["subOrders"]) == 1 else f"49{i:015d}{k:02d}"
            s["id"], s["idStr"] = int(sid), sid
        for op in rec["statusInfo"]["operations"]:
            op["url"] = op["url"].replace(old, oid)
            for key in op.get("params", {}):
                op["params"][key] = op["params"][key].replace(old, oid)
        receivers[oid] = data["receivers"][old]
        out.append(rec)
    return {"shop": data["shop"], "mainOrders": out, "receivers": receivers}


if __name__ == "__main__":  # regenerate expected-extract.json after editing data.json
    write_expected()
