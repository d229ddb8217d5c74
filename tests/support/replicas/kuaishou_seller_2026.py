"""快手小店 seller backend (`kuaishou-seller`, s.kwaixiaodian.com): the 订单查询 list with a 发货 dialog per
row as it plausibly looks in 2026, and the same page after a redesign ("2026-changed").

Written from public evidence only; tests/fixtures/sites/kuaishou-seller/2026/README.md lists, per detail,
the evidence it follows or why it is a guess. No public markup of this page exists: the replica says so,
keeps the evidenced reply exact, and puts the labels a reader by meaning needs on the page. No adapter was
consulted.

    ReplicaServer(["kuaishou-seller"], layouts={"kuaishou-seller": "2026"})
    ReplicaServer(["kuaishou-seller"], layouts={"kuaishou-seller": "2026-changed"})

Rows come from `POST /rest/app/tts/ks/seller/order/query/v2` (ref 9003149222): `{result: 1, total,
orderList: [...]}`, money in fen, times in ms, four-level addresses (`province, city, district, town`).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _int, _json_body, register_layout

FOLDER = SITES_DIR / "kuaishou-seller" / "2026"
HOST = "s.kwaixiaodian.com"
LIST_PATH = "/zone/order/list"
LIST_PAGE_SIZE = 10            # GUESS: the page's own `limit` (the public export script asks for 100000)
SHOP_NAME = "山野好物旗舰店"    # GUESS: any name; the header shows it (rows carry no shop)
DETAIL_URL = "https://s.kwaixiaodian.com/zone/order/detail?id={oid}"  # GUESS

# (expressCode, expressName). Codes are Kuaishou's 物流公司编号 (official doc 401927, 2025, as summarised
# in the project's couriers reference); the labels are GUESSES (no public capture of the web dropdown).
# Look-alike kept on purpose: 韵达快运 (7) next to 韵达快递 (11).
COURIERS: list[tuple[int, str]] = [
    (4, "顺丰速运"), (9, "中通快递"), (6, "圆通速递"), (3, "申通快递"), (11, "韵达快递"), (109, "极兔速递"),
    (14, "京东快递"), (2, "EMS"), (8, "邮政快递包裹"), (53, "德邦快递"), (127, "丰网速运"), (112, "众邮快递"),
    (10, "宅急送"), (113, "菜鸟速递"), (5, "天天快递"), (7, "韵达快运"),
]

# GUESS: number checks (public heuristics from the couriers reference, "rank, don't assert").
NUMBER_RULES = {
    4: r"SF\d{12,13}|\d{12}", 9: r"7[3568]\d{12}|\d{12}", 6: r"YT\d{13}", 3: r"77\d{13}|\d{13}",
    11: r"[34]\d{14}|\d{13}", 109: r"JT\d{13}", 14: r"JD[A-Z0-9]{11,13}", 2: r"[19]\d{12}", 8: r"[19]\d{12}",
}

# GUESS: the shop's return addresses (only the redesign asks for one).
RETURN_ADDRESSES = [
    {"addressId": 70011, "label": "默认退货地址：浙江省 金华市 义乌市 福田街道 商城大道**号 (王仓管)"},
    {"addressId": 70012, "label": "广东省 广州市 白云区 太和镇 永兴村**号仓 (李仓管)"},
]

# What the redesign ("2026-changed") changes; `expect`: `survive` (reads/fills as before, by meaning) or
# `report` (says "page changed" and fills nothing).
CHANGES: list[dict] = [
    {"id": "component-prefix", "expect": "survive",
     "what": "component classes renamed ant-* -> kpro-* (select, modal, form-item, pagination, tabs, btn, tag)"},
    {"id": "class-hashes", "expect": "survive",
     "what": "every opaque 20-character CSS-module class rehashed"},
    {"id": "column-moved", "expect": "survive",
     "what": "the 收货信息 column moved from 3rd to 1st place (column headers and cells alike)"},
    {"id": "head-labels", "expect": "survive",
     "what": "order head labels 订单编号： -> 订单号： and 承诺发货时间： -> 最晚发货时间："},
    {"id": "reply-field", "expect": "survive",
     "what": "query/v2 orderList[].buyerPhone renamed consigneePhone (the name of the request's search field); "
             "a reply reader must notice buyerPhone is gone and take the phone from the page (or report), "
             "never send ''"},
    {"id": "dialog-labels", "expect": "survive",
     "what": "发货 dialog labels 物流公司 -> 快递公司, 快递单号 -> 运单号 (placeholders 请选择快递公司 / 请输入运单号), "
             "button 确定 -> 确认发货, 订单编号： -> 订单号："},
    {"id": "popup-shadow-root", "expect": "survive",
     "what": "the courier dropdown is portalled into an open shadow root of a <kpro-popup-layer> element at body "
             "level (it was a plain child of <body>), and its options arrive later (600 ms instead of 250 ms "
             "after the reply)"},
    {"id": "return-address", "expect": "report",
     "what": "发货 dialog: a required 退货地址 dropdown with nothing chosen (two addresses); 确认发货 without it is "
             "refused (请选择退货地址, and the server answers 请选择退货地址 too). Which warehouse takes returns "
             "is the seller's decision: the adapter fills nothing and reports the page as changed"},
]

STATUS_TEXT = {10: "待付款", 30: "待发货", 40: "已发货", 50: "已签收", 70: "交易成功", 80: "交易关闭"}  # GUESS numbering
TAB_STATUSES = {0: None, 1: {10}, 2: {30}, 3: {40, 50}, 4: {70}, 5: {80}}                             # GUESS


def load_orders() -> list[dict]:
    return json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))["orderList"]


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _iso(msec: int) -> str:
    return dt.datetime.fromtimestamp(msec / 1000, BEIJING).isoformat(timespec="seconds")


def expected_order(rec: dict) -> dict:
    """One query/v2 row as MODEL.md's sales order, holding what the list shows. The four-level address
    keeps `town` in `detail`: `detail` = town + one space + the masked street address, as the address
    line shows it after its first three spaces."""
    return {
        "order_id": str(rec["oid"]),
        "shop": SHOP_NAME,
        "status": STATUS_TEXT[rec["status"]],
        "created_at": _iso(rec["createTime"]),
        "ship_by": _iso(rec["promiseDeliveryTime"]),
        "buyer": {"name": rec["consignee"], "phone": rec["buyerPhone"],
                  "address": {"province": rec["province"], "city": rec["city"], "district": rec["district"],
                              "detail": f"{rec['town']} {rec['address']}"}},
        "items": [{"title": rec["itemTitle"], "sku": rec["skuDesc"], "quantity": int(rec["num"]),
                   "price": _yuan(rec["price"])}],
        "amount": _yuan(rec["totalFee"]),
        "remark": rec["remark"] or "",
        "url": DETAIL_URL.format(oid=rec["oid"]),
    }


def expected_pages(records: list[dict] | None = None, page_size: int = LIST_PAGE_SIZE) -> dict:
    """expected-extract.json: the orders of each list page (全部 tab), in the order the page shows them."""
    records = load_orders() if records is None else records
    orders = [expected_order(r) for r in records]
    return {"pages": [orders[i:i + page_size] for i in range(0, len(orders), page_size)]}


def write_expected(path: Path = FOLDER / "expected-extract.json") -> None:
    path.write_text(json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def number_problem(code: int, number: str) -> str:
    """'' when `number` fits courier `code`, else the page's message (GUESS: rules and wording)."""
    if not re.fullmatch(r"[A-Za-z0-9]{8,32}", number):
        return "快递单号格式不正确，请核对后重新填写"
    rule = NUMBER_RULES.get(code)
    if rule and not re.fullmatch(rule, number):
        return "快递单号与物流公司不匹配，请核对后重新填写"
    return ""


@register_layout
class KuaishouSeller2026(Site):
    site_id = "kuaishou-seller"
    layout = "2026"
    subfolder = "2026"
    hosts = (HOST,)
    main_url = f"https://{HOST}{LIST_PATH}"
    pages = {LIST_PATH: "list.html"}
    max_page_size = 500
    changed = False

    def load_dataset(self) -> dict:
        return json.loads((self.folder / "data.json").read_text(encoding="utf-8"))

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": [], "shipRequests": [], "courierRequests": 0}

    def row(self, rec: dict) -> dict:
        """A record as query/v2 carries it (the redesign renames a field)."""
        return copy.deepcopy(rec)

    @staticmethod
    def _signed_in(headers) -> bool:
        """The page copies two cookies into headers; a call without them is answered result 109."""
        jar = SimpleCookie()
        try:
            jar.load(headers.get("Cookie") or "")
        except Exception:  # an odd cookie must not crash the replica
            return False
        for name in ("KS-CSRF-Token", "merchantSessionKey"):
            sent = headers.get(name) or ""
            if not sent or name not in jar or jar[name].value != sent:
                return False
        return True

    def api(self, method, path, query, body, headers) -> Reply:
        if method != "POST" or not path.startswith("/rest/app/tts/ks/seller/"):
            return super().api(method, path, query, body, headers)
        if not self._signed_in(headers):
            # `result` 109 = not signed in, as a public tool treats it (ref 55364490547). GUESS: wording.
            return Reply(200, {"result": 109, "error_msg": "登录状态已失效，请重新登录"})
        if path == "/rest/app/tts/ks/seller/order/query/v2":
            return self._query(_json_body(body))
        if path == "/rest/app/tts/ks/seller/order/express/company/list":  # GUESS: path and shape
            self.latency()
            with self.lock:
                self.st["courierRequests"] += 1
            return Reply(200, {"result": 1, "error_msg": "",
                               "data": [{"expressCode": c, "expressName": n} for c, n in COURIERS]})
        if path == "/rest/app/tts/ks/seller/order/returnAddress/list":  # GUESS: path and shape
            self.latency()
            return Reply(200, {"result": 1, "error_msg": "", "data": RETURN_ADDRESSES})
        if path == "/rest/app/tts/ks/seller/order/deliver":  # GUESS: path and body
            return self._deliver(_json_body(body), headers)
        return Reply(200, {"result": 404, "error_msg": f"no route {path}"})

    def _query(self, req: dict) -> Reply:
        p = req.get("orderEsSearchParam") if isinstance(req.get("orderEsSearchParam"), dict) else {}
        offset = _int(p.get("offset"), 0, 0, 10**9)
        limit = _int(p.get("limit"), LIST_PAGE_SIZE, 1, self.max_page_size)
        tab = _int(p.get("status"), 0, 0, 99)
        oid = str(p.get("oid") or "").strip()
        wanted = TAB_STATUSES.get(tab)
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"offset": offset, "limit": limit, "status": tab, "oid": oid})
            rows = [o for o in self.data["orderList"]
                    if (wanted is None or o["status"] in wanted) and (not oid or str(o["oid"]) == oid)]
            page = [self.row(o) for o in rows[offset:offset + limit]]
        return Reply(200, {"result": 1, "error_msg": "", "total": len(rows), "orderList": page,
                           "requestId": str(uuid.uuid4().int)[:18]})

    def _deliver(self, req: dict, headers) -> Reply:
        by = headers.get("X-Replica-Confirmed-By", "unknown")
        oid = str(req.get("oid") or "").strip()
        code = _int(req.get("expressCode"), 0, 0, 10**6)
        number = str(req.get("expressNo") or "").strip()
        deliver_type = _int(req.get("deliverType"), 1, 1, 2)
        company = next(((c, n) for c, n in COURIERS if c == code), None)
        self.latency()

        def fail(result: int, msg: str) -> Reply:  # GUESS: codes and wording
            return Reply(200, {"result": result, "error_msg": msg})

        with self.lock:
            self.st["shipRequests"].append({"body": req, "by": by})
            rec = next((o for o in self.data["orderList"] if str(o["oid"]) == oid), None)
            if rec is None:
                return fail(20001, "订单不存在")
            if rec["status"] != 30:
                return fail(20002, "订单状态已变更，请刷新后重试")
            if self.changed and req.get("returnAddressId") not in {a["addressId"] for a in RETURN_ADDRESSES}:
                return fail(20006, "请选择退货地址")
            if deliver_type == 1:
                if company is None:
                    return fail(20003, "请选择物流公司")
                if not number:
                    return fail(20004, "请输入快递单号")
                problem = number_problem(code, number)
                if problem:
                    return fail(20005, problem)
            now = int(time.time())
            rec["status"] = 40
            rec["expressCode"], rec["expressNo"] = (code, number) if deliver_type == 1 else (0, "")
            self.st["shipped"].append({
                "oid": oid, "deliverType": deliver_type,
                "expressCode": code if deliver_type == 1 else None,
                "expressName": company[1] if (deliver_type == 1 and company) else None,
                "expressNo": number if deliver_type == 1 else "",
                "returnAddressId": req.get("returnAddressId"),
                "at": dt.datetime.fromtimestamp(now, BEIJING).isoformat(timespec="seconds"),
                # "user" for a trusted click on the dialog's confirm button, "script" for element.click()
                "by": by,
            })
        return Reply(200, {"result": 1, "error_msg": ""})


@register_layout
class KuaishouSeller2026Changed(KuaishouSeller2026):
    """The same page after a redesign: the script's other build, see CHANGES."""
    layout = "2026-changed"
    pages = {LIST_PATH: "list-changed.html"}
    changed = True

    def row(self, rec: dict) -> dict:
        item = super().row(rec)
        item["consigneePhone"] = item.pop("buyerPhone")  # CHANGES "reply-field"
        return item


def generate_dataset(n: int) -> dict:
    """`n` 待发货 orders in the reply shape, cloned from data.json with fresh ids (for benchmarks:
    `ReplicaServer(datasets={"kuaishou-seller": …})`)."""
    base = [o for o in load_orders() if o["status"] == 30]
    out = []
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        rec["oid"] = 2690000000000000 + i
        out.append(rec)
    return {"orderList": out}


if __name__ == "__main__":  # regenerate expected-extract.json after editing data.json
    write_expected()
