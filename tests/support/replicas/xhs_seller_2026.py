"""小红书千帆 seller backend (`xhs-seller`, ark.xiaohongshu.com): the 订单管理 list and its 批量发货 drawer as
they plausibly look in 2026, and the same page after a redesign ("2026-changed").

Written from public evidence only; tests/fixtures/sites/xhs-seller/2026/README.md lists, per detail, the
evidence it follows or why it is a guess. No public markup of this page exists: the replica says so, keeps
the evidenced reply exact and puts the labels a reader by meaning needs on the page. No adapter was
consulted.

    ReplicaServer(["xhs-seller"], layouts={"xhs-seller": "2026"})
    ReplicaServer(["xhs-seller"], layouts={"xhs-seller": "2026-changed"})

Orders are packages: rows come from `POST /api/edith/fulfillment/order/page` as
`{code: 0, success: true, msg, data: {total, packages: [...]}}`, ids `P…`, money in yuan numbers, times in ms.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
from decimal import Decimal
from pathlib import Path

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _int, _json_body, register_layout

FOLDER = SITES_DIR / "xhs-seller" / "2026"
HOST = "ark.xiaohongshu.com"
LIST_PATH = "/app-order/order/query"
LIST_PAGE_SIZE = 20     # real-pages.md §7: page_size 20
SHOP_NAME = "Lumi生活馆"  # GUESS: any name; the header shows it
DETAIL_URL = "https://ark.xiaohongshu.com/app-order/order/detail/{package_id}"  # pages.md: detail/P<packageId>

# (express_company_code, name) offered by POST /api/edith/package/logistics/companies. GUESS, all of it: no
# public copy of 小红书's list was found; codes follow the lowercase style of the evidenced
# `express_company_code: "selfdelivery"` (ref 63187010491) and the names common Chinese labels. Look-alikes on
# purpose: 顺丰快运 / 顺丰国际 next to 顺丰速运, 中通快运 / 中通国际, 韵达快运, 德邦物流 vs 德邦快递, 京东快运.
COURIERS: list[tuple[str, str]] = [
    ("shunfeng", "顺丰速运"), ("zhongtong", "中通快递"), ("yuantong", "圆通速递"), ("shentong", "申通快递"),
    ("yunda", "韵达快递"), ("jtexpress", "极兔速递"), ("jd", "京东快递"), ("ems", "EMS"),
    ("youzhengguonei", "邮政快递包裹"), ("debangkuaidi", "德邦快递"), ("danniao", "菜鸟速递"),
    ("zhaijisong", "宅急送"), ("fengwang", "丰网速运"), ("zhongyouex", "众邮快递"),
    ("shunfengkuaiyun", "顺丰快运"), ("shunfengguoji", "顺丰国际"), ("zhongtongkuaiyun", "中通快运"),
    ("zhongtongguoji", "中通国际"), ("yundakuaiyun", "韵达快运"), ("debangwuliu", "德邦物流"),
    ("jingdongkuaiyun", "京东快运"), ("youzhengbk", "邮政标准快递"),
]

# GUESS: number checks (public heuristics from the couriers reference, "rank, don't assert").
NUMBER_RULES = {
    "shunfeng": r"SF\d{12,13}|\d{12}", "zhongtong": r"7[3568]\d{12}|\d{12}", "yuantong": r"YT\d{13}",
    "shentong": r"77\d{13}|\d{13}", "yunda": r"[34]\d{14}|\d{13}", "jtexpress": r"JT\d{13}",
    "jd": r"JD[A-Z0-9]{11,13}", "ems": r"[19]\d{12}", "youzhengguonei": r"[19]\d{12}",
}

CHANGES: list[dict] = [
    {"id": "component-prefix", "expect": "survive",
     "what": "component classes renamed d-* -> ark-* (table, select, drawer, pagination, tabs, btn, input, tag)"},
    {"id": "class-hashes", "expect": "survive",
     "what": "every scoped class (name--6 hex) rehashed"},
    {"id": "column-moved", "expect": "survive",
     "what": "list columns: 实付金额 and 订单状态 now come before 收货信息, which is last before 操作"},
    {"id": "id-label", "expect": "survive",
     "what": "the package head label 订单号： -> 包裹号： (the value is the same P… id)"},
    {"id": "reply-field", "expect": "survive",
     "what": "order/page packages[].promiseShipTime renamed promiseLastDeliveryTime; a reply reader must notice "
             "and take 最晚发货时间 from the page (or report), never send ''"},
    {"id": "drawer-labels", "expect": "survive",
     "what": "批量发货 drawer labels 物流公司 -> 快递公司 and 运单号 -> 快递单号 (placeholders 请选择快递公司 / "
             "请输入快递单号), column 订单号 -> 包裹号"},
    {"id": "drawer-columns", "expect": "survive",
     "what": "drawer columns reordered: 商品, 包裹号, 收货人, 快递单号, 快递公司, 结果 (number before courier)"},
    {"id": "drawer-shadow-root", "expect": "survive",
     "what": "the drawer is portalled into an open shadow root of an <ark-drawer-host> element at body level"},
    {"id": "merge-rows", "expect": "report",
     "what": "批量发货 drawer: 待发货 packages of the same buyer are merged into one 合并发货（N个包裹） row with ONE "
             "courier and ONE number field, sent with delivery_group: true and every package id. One number for "
             "several packages is the seller's decision: the adapter fills nothing in that row and reports the "
             "page as changed (other rows of the drawer may still be filled)"},
]

STATUS_FILTER_OK = {1, 4, 5, 6, 7, 998}


def load_packages() -> list[dict]:
    return json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))["packages"]


def _money(v) -> str:
    return f"{Decimal(str(v)):.2f}"


def _iso(msec: int) -> str:
    return dt.datetime.fromtimestamp(msec / 1000, BEIJING).isoformat(timespec="seconds")


def expected_order(p: dict) -> dict:
    """One package as MODEL.md's sales order, holding what the list shows (order_id = the P… package id)."""
    u = p["userInfo"]
    province, city, district, detail = (u["address"].split(" ", 3) + ["", "", "", ""])[:4]
    return {
        "order_id": p["packageId"],
        "shop": SHOP_NAME,
        "status": p["statusDesc"],
        "created_at": _iso(p["orderedAt"]),
        "ship_by": _iso(p["promiseShipTime"]),
        "buyer": {"name": u["name"], "phone": u["phone"],
                  "address": {"province": province, "city": city, "district": district, "detail": detail}},
        "items": [{"title": s["displayName"], "sku": s["skuSpecification"], "quantity": int(s["skuQuantity"]),
                   "price": _money(s["skuSoldPrice"])} for s in p["skus"]],
        "amount": _money(p["actualPaid"]),
        "remark": p["buyerRemark"] or "",
        "url": DETAIL_URL.format(package_id=p["packageId"]),
    }


def expected_pages(records: list[dict] | None = None, page_size: int = LIST_PAGE_SIZE) -> dict:
    """expected-extract.json: the packages of each list page (全部 tab), in the order the page shows them."""
    records = load_packages() if records is None else records
    orders = [expected_order(r) for r in records]
    return {"pages": [orders[i:i + page_size] for i in range(0, len(orders), page_size)]}


def write_expected(path: Path = FOLDER / "expected-extract.json") -> None:
    path.write_text(json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def number_problem(code: str, number: str) -> str:
    """'' when `number` fits courier `code`, else the server's message (GUESS: rules and wording, except the
    200-character limit, seen in a 2026 capture: ref 63187010491)."""
    if len(number) > 200:
        return "填写的发货内容超过200字"
    if not re.fullmatch(r"[A-Za-z0-9]{8,32}", number):
        return "运单号格式错误，请核对后重新填写"
    rule = NUMBER_RULES.get(code)
    if rule and not re.fullmatch(rule, number):
        return "运单号与物流公司不匹配，请核对后重新填写"
    return ""


def _ok(data) -> Reply:
    return Reply(200, {"code": 0, "success": True, "msg": "成功", "data": data})


def _fail(code: int, msg: str) -> Reply:  # GUESS: codes and wording
    return Reply(200, {"code": code, "success": False, "msg": msg, "data": None})


@register_layout
class XhsSeller2026(Site):
    site_id = "xhs-seller"
    layout = "2026"
    subfolder = "2026"
    hosts = (HOST,)
    main_url = f"https://{HOST}{LIST_PATH}"
    pages = {LIST_PATH: "query.html"}
    max_page_size = 500
    changed = False

    def load_dataset(self) -> dict:
        return json.loads((self.folder / "data.json").read_text(encoding="utf-8"))

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": [], "shipRequests": [], "courierRequests": []}

    def row(self, rec: dict) -> dict:
        """A package as order/page carries it (the redesign renames a field)."""
        return copy.deepcopy(rec)

    def api(self, method, path, query, body, headers) -> Reply:
        if method != "POST" or not path.startswith("/api/edith/"):
            return super().api(method, path, query, body, headers)
        if not (headers.get("x-s") and headers.get("x-t")):
            return _fail(-1, "签名校验失败")  # GUESS: wording; the signature headers are evidenced
        req = _json_body(body)
        if path == "/api/edith/fulfillment/order/page":
            return self._page(req)
        if path == "/api/edith/package/logistics/companies":
            self.latency()
            with self.lock:
                self.st["courierRequests"].append(req)
            return _ok({"companies": [{"expressCompanyCode": c, "expressCompanyName": n} for c, n in COURIERS]})
        if path == "/api/edith/fulfillment/order_delivering_api":
            return self._deliver(req, headers)
        return _fail(404, f"no route {path}")

    def _page(self, req: dict) -> Reply:
        page = _int(req.get("page_no"), 1, 1, 10**6)
        size = _int(req.get("page_size"), LIST_PAGE_SIZE, 1, self.max_page_size)
        statuses = req.get("status", [])
        if not isinstance(statuses, list) or any(not isinstance(s, int) or s not in STATUS_FILTER_OK for s in statuses):
            # a number instead of a list is refused silently with no packages (ref 62511117463)
            statuses = [-1]
        search = str(req.get("multi_search_field") or "").strip()
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"page_no": page, "page_size": size, "status": statuses, "search": search,
                                            "time_range_list": req.get("time_range_list")})
            rows = [p for p in self.data["packages"]
                    if (not statuses or p["status"] in statuses)
                    and (not search or search in (p["packageId"], p["orderId"])
                         or any(search in s["displayName"] for s in p["skus"]))]
            items = [self.row(p) for p in rows[(page - 1) * size: page * size]]
        return _ok({"total": len(rows), "page_no": page, "page_size": size, "packages": items})

    def _deliver(self, req: dict, headers) -> Reply:
        by = headers.get("X-Replica-Confirmed-By", "unknown")
        pid = str(req.get("delivery_package_id") or req.get("package_id") or "").strip()
        group = bool(req.get("delivery_group"))
        ids = [str(x) for x in req.get("package_id_list") or []] if group else [pid]
        code = str(req.get("express_company_code") or "").strip()
        number = str(req.get("express_no") or "").strip()
        company = next(((c, n) for c, n in COURIERS if c == code), None)
        self.latency()
        with self.lock:
            self.st["shipRequests"].append({"body": req, "by": by})
            recs = [next((p for p in self.data["packages"] if p["packageId"] == i), None) for i in ids]
            if not ids or any(r is None for r in recs):
                return _fail(10002, "包裹不存在")
            if any(r["status"] != 5 for r in recs):
                return _fail(10003, "包裹状态已变更，请刷新后重试")
            if company is None:
                return _fail(10004, "请选择物流公司")
            if not number:
                return _fail(10005, "请输入运单号")
            problem = number_problem(code, number)
            if problem:
                return _fail(10006, problem)
            now = int(time.time())
            for r in recs:
                r["status"], r["statusDesc"] = 6, "已发货"
                r["expressNo"], r["expressCompanyName"] = number, company[1]
            self.st["shipped"].append({
                "packageId": pid, "packageIds": ids, "deliveryGroup": group,
                "expressCompanyCode": code, "expressCompanyName": company[1], "expressNo": number,
                "at": dt.datetime.fromtimestamp(now, BEIJING).isoformat(timespec="seconds"),
                # "user" for a trusted click on 确认发货, "script" for element.click()/dispatchEvent
                "by": by,
            })
        return _ok({})


@register_layout
class XhsSeller2026Changed(XhsSeller2026):
    """The same page after a redesign: the script's other build, see CHANGES."""
    layout = "2026-changed"
    pages = {LIST_PATH: "query-changed.html"}
    changed = True

    def row(self, rec: dict) -> dict:
        item = super().row(rec)
        item["promiseLastDeliveryTime"] = item.pop("promiseShipTime")  # CHANGES "reply-field"
        return item


def generate_dataset(n: int) -> dict:
    """`n` 待发货 packages in the reply shape, cloned from data.json with fresh ids (for benchmarks:
    `ReplicaServer(datasets={"xhs-seller": …})`)."""
    base = [p for p in load_packages() if p["status"] == 5]
    out = []
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        rec["packageId"] = f"P79{i:017d}"
        rec["orderId"] = f"P78{i:017d}"
        out.append(rec)
    return {"packages": out}


if __name__ == "__main__":  # regenerate expected-extract.json after editing data.json
    write_expected()
