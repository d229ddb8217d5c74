"""拼多多 buyer side (`pdd-buyer`, mobile.yangkeduo.com): the order list, the order detail and the
logistics page as they look in 2026, and the same pages after a plausible redesign ("2026-changed").

A supplier (purchase) site: no ship form. Written from public evidence only; the facts and the guesses
are listed per detail in tests/fixtures/sites/pdd-buyer/2026/README.md, and every detail not backed by
evidence is marked `# GUESS:` here (`// GUESS:` in the page script). No adapter was consulted.

    ReplicaServer(["pdd-buyer"], layouts={"pdd-buyer": "2026"})
    ReplicaServer(["pdd-buyer"], layouts={"pdd-buyer": "2026-changed"})

Pages (one host, mobile.yangkeduo.com; a phone page, the tests use a phone viewport):
- `/orders.html[?type=N]`  React infinite list; rows only from the page's own
  `POST /proxy/api/api/aristotle/order_list_v4?pdduid=…` (money in fen, `tracking_number` always "").
- `/order.html?order_sn=…` server-rendered: inlines `window.rawData={…};` (trackingNumber,
  shipping.shippingName, expressInfo{…}); the DOM shows no number.
- `/goods_express.html?tracking_number=…&shipping_id=…&order_sn=…` shows "中通快递 : <no> 复制".

    python -m tests.support.replicas.pdd_buyer_2026   # rewrites both expected-extract.json files
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
from pathlib import Path
from urllib.parse import urlencode

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _file, _int, _json_body, register_layout

SITE_ID = "pdd-buyer"
HOST = "mobile.yangkeduo.com"
ORIGIN = f"https://{HOST}"
FOLDER = SITES_DIR / SITE_ID / "2026"
FOLDER_CHANGED = SITES_DIR / SITE_ID / "2026-changed"
LIST_API = "/proxy/api/api/aristotle/order_list_v4"
PAGE_SIZE = 10  # GUESS (single hint): a 2026 client fetches page 2 "when page 1 is full with 10" (ref 71018495837)

# Tab index in `orders.html?type=N` (pages.md; ?type=1 = 待付款, ref 58533395449) -> request `type` and label.
# Evidence: labels 全部/待付款/待分享/待发货/待收货/评价 (ref 61295059118); request types "all" and
# "unreceived" (refs 68866531327, 58605044079). GUESS: the other four type strings.
TABS = [("all", "全部"), ("unpaid", "待付款"), ("grouping", "待分享"), ("unshipping", "待发货"),
        ("unreceived", "待收货"), ("uncomment", "评价")]


def _tab_matches(kind: str, rec: dict) -> bool:
    """GUESS: which records each tab lists (by the numeric status fields, whose values are ours)."""
    if kind == "all":
        return True
    if kind == "unpaid":
        return rec["pay_status"] == 0 and rec["order_status"] == 0
    if kind == "grouping":
        return rec["pay_status"] == 2 and rec["group_status"] == 0
    if kind == "unshipping":
        return rec["order_status"] == 1 and rec["group_status"] == 1 and rec["shipping_status"] == 0
    if kind == "unreceived":
        return rec["order_status"] == 1 and rec["shipping_status"] == 1
    if kind == "uncomment":
        return rec["order_status"] == 2 and rec["comment_status"] == 0
    return False


# ---------------------------------------------------------------- data and the expected extract

def load_data(folder: Path = FOLDER) -> dict:
    return json.loads((folder / "data.json").read_text(encoding="utf-8"))


def yuan(fen: int) -> str:
    """Integer fen -> decimal string in yuan ("19.90")."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _items(rec: dict) -> list[dict]:
    return [{"title": g["goods_name"], "sku": g["spec"], "quantity": int(g["goods_number"]),
             "price": yuan(g["goods_price"])} for g in rec["order_goods"]]


def list_order(rec: dict) -> dict:
    """What the list shows for one order: no ship-to, no remark and no number (the 2026 capture: the
    list reply's `tracking_number` is always empty and the card shows no logistics), so those keys are
    absent rather than empty (an empty value would wipe what a detail page gave)."""
    return {"order_id": rec["order_sn"], "supplier": rec["mall"]["mall_name"],
            "status": rec["order_status_prompt"], "items": _items(rec), "amount": yuan(rec["order_amount"])}


def express_url(rec: dict) -> str:
    """The 查看物流 link of order.html (evidence: goods_express.html?tracking_number=&shipping_id=&order_sn=)."""
    d = rec["detail"]
    return (f"{ORIGIN}/goods_express.html?" +
            urlencode({"tracking_number": d["tracking_number"], "shipping_id": d["shipping_id"],
                       "order_sn": rec["order_sn"]}))


def detail_order(rec: dict) -> dict:
    """What order.html gives (its inline window.rawData and its DOM): the list's fields plus the
    ship-to (phone masked as shown) and the package from rawData. No remark: 拼多多 has no buyer note."""
    d = rec["detail"]
    out = list_order(rec)
    out["ship_to"] = {"name": d["receive_name"], "phone": d["mobile"],
                      "address": {"province": d["province_name"], "city": d["city_name"],
                                  "district": d["district_name"], "detail": d["shipping_address"]}}
    out["packages"] = ([{"courier_text": d["shipping_name"], "tracking": d["tracking_number"]}]
                       if d.get("tracking_number") else [])
    return out


def expected_pages(data: dict | None = None, page_size: int = PAGE_SIZE) -> dict:
    """expected-extract.json: `pages` = the batches the infinite list appends (page 1 on load, page 2
    after the first scroll to the end, ...); `details` = per order id, what the detail page
    (order.html) and, for shipped orders, the logistics page (goods_express.html) give."""
    orders = (data or load_data())["orders"]
    pages = [[list_order(r) for r in orders[i:i + page_size]] for i in range(0, len(orders), page_size)]
    details = {}
    for r in orders:
        entry = {"detail": {"url": f"{ORIGIN}/order.html?order_sn={r['order_sn']}", "order": detail_order(r)}}
        if r["detail"].get("tracking_number"):
            d = r["detail"]
            entry["tracking"] = {"url": express_url(r), "order": {
                "order_id": r["order_sn"],
                "packages": [{"courier_text": d["shipping_name"], "tracking": d["tracking_number"]}]}}
        details[r["order_sn"]] = entry
    return {"pages": pages, "details": details}


def write_expected() -> None:
    text = json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n"
    for folder in (FOLDER, FOLDER_CHANGED):
        (folder / "expected-extract.json").write_text(text, encoding="utf-8")


def generate_dataset(n: int) -> dict:
    """`n` orders cloned from data.json with fresh order numbers (for benchmarks:
    `ReplicaServer(["pdd-buyer"], datasets={"pdd-buyer": generate_dataset(500)})`)."""
    base = load_data()
    out = []
    for i in range(n):
        rec = copy.deepcopy(base["orders"][i % len(base["orders"])])
        rec["order_sn"] = f"261101-{900000000000000 + i:015d}"
        rec["order_link_url"] = f"order.html?order_sn={rec['order_sn']}"
        out.append(rec)
    return {**{k: v for k, v in base.items() if k != "orders"}, "orders": out}


# ---------------------------------------------------------------- page data (what the server inlines)

def list_row(rec: dict) -> dict:
    """One `orders[]` entry of order_list_v4 (the record without its detail part)."""
    row = {k: copy.deepcopy(v) for k, v in rec.items() if k != "detail"}
    row["tracking_number"] = ""  # evidence: always empty in the list (2026-08 capture, ref 61295059118)
    return row


def raw_data(rec: dict) -> dict:
    """window.rawData of order.html. Evidence (refs 71018495837, 30354238674): `data.orderSn`,
    `data.trackingNumber`, `data.shipping.shippingName`, `data.expressInfo{trackingNumber, shippingName,
    traces[{time, info, status}], pddStatus, pddStatusDesc}`, `data.orderButtons[{briefPrompt,
    typeValue{url}}]`, `data.shippingAddress`/`data.address`. GUESS: every other key and the money/time
    units (fen, unix seconds, as in the list)."""
    d = rec["detail"]
    full = d["province_name"] + d["city_name"] + d["district_name"] + d["shipping_address"]
    data = {
        "orderSn": rec["order_sn"], "orderStatus": rec["order_status"], "payStatus": rec["pay_status"],
        "shippingStatus": rec["shipping_status"], "orderStatusPrompt": rec["order_status_prompt"],
        "orderTime": rec["order_time"], "payTime": d["pay_time"], "shippingTime": d.get("shipping_time", 0),
        "orderAmount": rec["order_amount"], "goodsAmount": d["goods_amount"],
        "shippingAmount": d["shipping_amount"], "discountAmount": d["discount_amount"], "payWay": d["pay_way"],
        "mall": {"mallId": rec["mall"]["mall_id"], "mallName": rec["mall"]["mall_name"]},
        "orderGoods": [{"goodsId": g["goods_id"], "goodsName": g["goods_name"], "goodsPrice": g["goods_price"],
                        "goodsNumber": g["goods_number"], "spec": g["spec"], "thumbUrl": g["thumb_url"]}
                       for g in rec["order_goods"]],
        "receiveName": d["receive_name"], "mobile": d["mobile"], "provinceName": d["province_name"],
        "cityName": d["city_name"], "districtName": d["district_name"],
        "shippingAddress": d["shipping_address"], "address": full,
        "afterSales": rec.get("after_sales"),
        "trackingNumber": d.get("tracking_number", ""),
        "shipping": {"shippingId": d.get("shipping_id", 0), "shippingName": d.get("shipping_name", "")},
        "orderButtons": [],
    }
    if d.get("tracking_number"):
        data["expressInfo"] = {"trackingNumber": d["tracking_number"], "shippingName": d["shipping_name"],
                               "traces": copy.deepcopy(d["traces"]), "pddStatus": d["pdd_status"],
                               "pddStatusDesc": d["pdd_status_desc"]}
    for b in rec["order_buttons"]:
        btn = {"briefPrompt": b["text"], "type": b["type"]}
        if b["text"] == "查看物流" and d.get("tracking_number"):
            btn["typeValue"] = {"url": express_url(rec)[len(ORIGIN) + 1:]}
        data["orderButtons"].append(btn)
    return {"data": data}


def trace_data(rec: dict) -> dict:
    """GUESS: goods_express.html's inline data (a 2026 client looks for `window.rawData.store.traceData`,
    ref 68866531327; its content is ours)."""
    d = rec["detail"]
    return {"store": {"traceData": {
        "orderSn": rec["order_sn"], "trackingNumber": d["tracking_number"], "shippingId": d["shipping_id"],
        "shippingName": d["shipping_name"], "courierName": d["courier_man"], "pddStatus": d["pdd_status"],
        "pddStatusDesc": d["pdd_status_desc"], "thumbUrl": rec["order_goods"][0]["thumb_url"],
        "receiveAddress": d["province_name"] + d["city_name"] + d["district_name"] + d["shipping_address"],
        "traces": copy.deepcopy(d["traces"])}}}


def _script_json(value) -> str:
    """JSON for an inline <script>, on one line (evidence: `window.rawData={…};` matched by a one-line
    regex), with `<`, `>`, `&` escaped so no string can close the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------- the replica

BUILD_2026 = {"layout": "2026", "salt": "h5-2026.11.2", "changed": False}


def _cookie(headers, name: str) -> str:
    for part in (headers.get("Cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


@register_layout
class PddBuyer2026(Site):
    site_id = SITE_ID
    layout = "2026"
    subfolder = "2026"
    hosts = (HOST,)
    main_url = f"{ORIGIN}/orders.html"
    build = BUILD_2026

    def load_dataset(self) -> dict:
        return load_data(FOLDER)

    def fresh_state(self) -> dict:
        return {"listRequests": [], "detailViews": [], "expressViews": []}

    # -- routing
    def handle(self, method, path, query, body, headers) -> Reply:
        q = {k: v[0] for k, v in query.items()}
        if method == "GET" and path.startswith("/__replica/assets/"):
            name = path.rsplit("/", 1)[-1]
            return _file(FOLDER / name) if name.endswith(".js") else Reply(404)
        if method == "GET" and path in ("/orders.html", "/"):
            return self._page("orders.html", {"page": "orders"}, headers)
        if method == "GET" and path == "/order.html":
            return self._order_page(q.get("order_sn", ""), headers)
        if method == "GET" and path == "/goods_express.html":
            return self._express_page(q, headers)
        if method == "GET" and path == "/login.html":
            # GUESS: a stub; expired sessions are sent here (evidence: redirect to login.html or HTTP 424).
            return Reply(200, "<!DOCTYPE html><meta charset=utf-8><title>登录</title><p>replica: 手机登录</p>",
                         "text/html; charset=utf-8")
        if method == "POST" and path == LIST_API:
            return self._list(q, body, headers)
        return super().handle(method, path, query, body, headers)

    def _session_cookies(self, headers) -> list[str]:
        """The page sets the logged-in cookies a real session would already have (evidence: `pdd_user_id`
        and `PDDAccessToken` are the login keys, refs 61295059118, 30354238674). GUESS: attributes."""
        if _cookie(headers, "PDDAccessToken"):
            return []
        uid = self.data["pdduid"]
        return [f"pdd_user_id={uid}; Path=/; Secure; SameSite=Lax",
                f"PDDAccessToken={secrets.token_hex(20).upper()}; Path=/; Secure; HttpOnly; SameSite=Lax"]

    def _render(self, template: str, inline: str, headers) -> Reply:
        text = (FOLDER / template).read_text(encoding="utf-8")
        text = text.replace("/*__INLINE__*/", inline)
        reply = Reply(200, text, "text/html; charset=utf-8")
        cookies = self._session_cookies(headers)
        if cookies:
            reply.headers = _CookieHeaders(reply.headers, cookies)
        return reply

    def _build_js(self, extra: dict) -> str:
        return f"window.__PDD_H5__={_script_json({**self.build, **extra})};"

    def _page(self, template: str, extra: dict, headers) -> Reply:
        return self._render(template, self._build_js(extra), headers)

    def _order_page(self, sn: str, headers) -> Reply:
        with self.lock:
            rec = next((o for o in self.data["orders"] if o["order_sn"] == sn), None)
            self.st["detailViews"].append(sn)
            raw = self.raw_data(rec) if rec else {"data": None, "errorMsg": "订单不存在"}  # GUESS
        inline = self._build_js({"page": "order"}) + f"window.rawData={_script_json(raw)};"
        return self._render("order.html", inline, headers)

    def _express_page(self, q: dict, headers) -> Reply:
        sn = q.get("order_sn", "")
        with self.lock:
            rec = next((o for o in self.data["orders"] if o["order_sn"] == sn), None)
            self.st["expressViews"].append(sn)
            ok = rec is not None and rec["detail"].get("tracking_number") == q.get("tracking_number")
            raw = trace_data(rec) if ok else {"store": {"traceData": None}}  # GUESS: unknown number -> empty page
        inline = self._build_js({"page": "express"}) + f"window.rawData={_script_json(raw)};"
        return self._render("goods_express.html", inline, headers)

    def raw_data(self, rec: dict) -> dict:
        """order.html's window.rawData (the 2026-changed layout renames fields here)."""
        return raw_data(rec)

    def row(self, rec: dict) -> dict:
        """One orders[] entry of the list reply (the 2026-changed layout adds keys here)."""
        return list_row(rec)

    def _list(self, q: dict, body: bytes, headers) -> Reply:
        # Evidence: expired login -> HTTP 424 (refs 71018495837, 55341033352). GUESS: the JSON body.
        if not _cookie(headers, "PDDAccessToken"):
            return Reply(424, {"error_code": 40001, "error_msg": "会话已过期"})
        req = _json_body(body)
        kind = str(req.get("type") or "all")
        page = _int(req.get("page"), 1, 1, 10**6)
        signed = bool(str(req.get("anti_content") or ""))
        if not signed:
            # Evidence (2026-08, ref 61295059118): a request without the page SDK's anti_content gets the
            # default first page whatever `page` says.
            page = 1
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"type": kind, "page": page, "signed": signed,
                                            "pdduid": q.get("pdduid", ""), "scene": req.get("scene", "")})
            orders = [o for o in self.data["orders"] if _tab_matches(kind, o)]
            chunk = [self.row(o) for o in orders[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
        now = int(dt.datetime.now(BEIJING).timestamp())
        # Evidence: {server_time, orders[], extra_info}. GUESS: extra_info's content.
        return Reply(200, {"server_time": now, "orders": chunk, "extra_info": self.extra_info(kind)})

    def extra_info(self, kind: str) -> dict:
        return {"type": kind}


class _CookieHeaders(dict):
    """Reply headers with several Set-Cookie lines: the shared server sends `reply.headers.items()`
    one line each, and a dict cannot hold one name twice, so items() adds a pair per cookie."""

    def __init__(self, base: dict, cookies: list[str]):
        super().__init__(base)
        self._cookies = cookies

    def items(self):  # noqa: D401 - used by the shared server's header loop
        return list(super().items()) + [("Set-Cookie", c) for c in self._cookies]


# ---------------------------------------------------------------- the redesigned pages

# Each change: id, where ("dom" or "reply"), what changed, and what a robust adapter does when reading
# that side alone: "survive" (gives the same as expected-extract.json) or "report" ("page changed").
CHANGES = [
    {"id": "class-hashes", "where": "dom", "expect": "survive",
     "what": "every hashed CSS-module class renamed (another build salt)"},
    {"id": "card-wrapper", "where": "dom", "expect": "survive",
     "what": "each order card sits in two more wrapper divs and the mall name moved from the card's "
             "header into a row above the goods; the status text stays in the header"},
    {"id": "tab-label", "where": "dom", "expect": "survive",
     "what": "the last tab reads 待评价 instead of 评价"},
    {"id": "paid-label", "where": "dom", "expect": "survive",
     "what": "the card footer reads '共N件 实付款¥X' instead of '共N件商品 实付:¥X'"},
    {"id": "express-label", "where": "dom", "expect": "survive",
     "what": "goods_express.html: the number line reads '中通快递 快递单号：<no> 复制' instead of "
             "'中通快递 : <no> 复制'"},
    {"id": "address-first", "where": "dom", "expect": "survive",
     "what": "order.html: the address card shows the address line above the name and phone"},
    {"id": "reply-extra-fields", "where": "reply", "expect": "survive",
     "what": "order_list_v4 orders carry new keys (order_tags, display_amount) and extra_info new keys"},
    {"id": "rawdata-number-renamed", "where": "reply", "expect": "report",
     "what": "order.html's window.rawData.data renames trackingNumber -> waybillNo and "
             "expressInfo.trackingNumber -> expressInfo.mailNo (shipping.shippingName stays). Reading "
             "rawData alone, a shipped order has a courier but no known number field: report 'page "
             "changed', never a package without a number. goods_express.html still shows the number."},
]

BUILD_CHANGED = {"layout": "2026-changed", "salt": "h5-2026.12.1", "changed": True}


@register_layout
class PddBuyer2026Changed(PddBuyer2026):
    layout = "2026-changed"
    subfolder = "2026-changed"
    build = BUILD_CHANGED
    CHANGES = CHANGES

    def row(self, rec: dict) -> dict:
        row = super().row(rec)
        row["order_tags"] = [{"text": "极速退款"}] if rec["pay_status"] == 2 else []  # reply-extra-fields
        row["display_amount"] = "¥" + yuan(rec["order_amount"])
        return row

    def extra_info(self, kind: str) -> dict:
        return {**super().extra_info(kind), "list_version": "v5-gray", "recommend_position": 3}

    def raw_data(self, rec: dict) -> dict:
        raw = super().raw_data(rec)
        data = raw["data"]
        data["waybillNo"] = data.pop("trackingNumber")                 # rawdata-number-renamed
        if "expressInfo" in data:
            data["expressInfo"]["mailNo"] = data["expressInfo"].pop("trackingNumber")
        return raw


if __name__ == "__main__":
    write_expected()
    print("wrote", FOLDER / "expected-extract.json", "and", FOLDER_CHANGED / "expected-extract.json")
