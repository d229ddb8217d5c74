"""1688 已买到的货品 (`alibaba-buyer`) as the real page looks in 2026, from public evidence only.

Evidence: the team's notes on the public evidence of the real 1688 list; the facts and the guesses are listed per detail in
tests/fixtures/sites/alibaba-buyer/2026/README.md. Every detail not backed by evidence is marked
`# GUESS:` here (and `// GUESS:` in the page's JS).

Hosts (routed by the Host header, one `Site` answers all three):
- trade.1688.com   GET /order/buyer_order_list.htm -> 302 to the air.1688.com list (evidence: strong).
- air.1688.com     the list page (Lit web components, nested open shadow roots) and its assets.
- h5api.m.1688.com the mtop gateway: mtop.1688.trading.dataline.service /
                   OrderListDataLineService.buyerOrderList, JSONP, `data.data.result` a JSON string.

Layouts: "2026" (the page as evidenced) and "2026-changed" (a plausible redesign; `CHANGES`
says what changed and whether a robust adapter should survive it or report "page changed").

    python -m tests.support.replicas.alibaba_buyer_2026   # rewrites the expected-extract.json files
"""
from __future__ import annotations

import copy
import hashlib
import json
import secrets
import time
from urllib.parse import parse_qs, quote, urlencode

from tests.support.replica_server import SITES_DIR, Reply, Site, _file, _int, register_layout

SITE_ID = "alibaba-buyer"
FOLDER_2026 = SITES_DIR / SITE_ID / "2026"
FOLDER_CHANGED = SITES_DIR / SITE_ID / "2026-changed"

TRADE_HOST = "trade.1688.com"
AIR_HOST = "air.1688.com"
MTOP_HOST = "h5api.m.1688.com"

OLD_LIST_PATH = "/order/buyer_order_list.htm"
LIST_PATH = "/app/ctf-page/trade-order-list/buyer-order-list.html"
DETAIL_PATH = "/app/ctf-page/trade-order-detail/index.html"
MTOP_API = "mtop.1688.trading.dataline.service"
MTOP_PATH = f"/h5/{MTOP_API}/1.0/"
SERVICE_ID = "OrderListDataLineService.buyerOrderList"
APP_KEY = "12574478"
LIST_URL = f"https://{AIR_HOST}{LIST_PATH}"

PAGE_SIZE = 10          # evidence: the redirect lands on page=1&pageSize=10
MAX_PAGE_SIZE = 100     # evidence: a 2026 script asked pageSize 100 (later 50); GUESS: the cap itself

# tradeStatus (camelCase, evidence) -> the record `status` values it shows.
# GUESS: record `status` uses the same lower-case words as the filter; "success" for 已完成.
STATUS_FILTER = {
    "waitbuyerpay": {"waitbuyerpay"},
    "waitsellersend": {"waitsellersend"},
    "waitbuyerreceive": {"waitbuyerreceive"},
    "success": {"success"},  # GUESS: a tab for finished orders with this value
}

# mtop failure codes. FAIL_SYS_TOKEN_EMPTY is evidenced (taobao, same gateway); the others are
# GUESS (general mtop behaviour: an unknown/expired token or a bad sign is refused and the
# gateway hands out a fresh `_m_h5_tk` cookie, after which lib-mtop re-signs and retries once).
RET_OK = "SUCCESS::调用成功"
RET_TOKEN_EMPTY = "FAIL_SYS_TOKEN_EMPTY::令牌为空"
RET_TOKEN_EXPIRED = "FAIL_SYS_TOKEN_EXOIRED::令牌过期"
RET_BAD_SIGN = "FAIL_SYS_ILLEGAL_ACCESS::非法请求"
RET_BAD_PARAM = "FAIL_SYS_PARAMINVALID_ERROR::参数错误"
RET_NO_API = "FAIL_SYS_API_NOT_FOUNDED::请求API不存在"

TOKEN_TTL_MS = 24 * 3600 * 1000  # GUESS


# ---------------------------------------------------------------- expected extract (MODEL.md)

def load_data(folder=FOLDER_2026) -> dict:
    return json.loads((folder / "data.json").read_text(encoding="utf-8"))


def yuan(fen: int) -> str:
    """Integer fen -> decimal string in yuan ("8.50")."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def expected_order(rec: dict) -> dict:
    """One mtop order record -> the MODEL.md "Purchase order" the page shows for it."""
    rcv = rec.get("receiverInfo") or {}
    return {
        "order_id": rec["idStr"],
        "supplier": rec["sellerInfo"]["companyName"],
        "status": rec["statusLabel"],
        "ship_to": {
            "name": rcv.get("toFullName", ""),
            "phone": rcv.get("toMobile", ""),
            "address": {"province": rcv.get("toProvince", ""), "city": rcv.get("toCity", ""),
                        "district": rcv.get("toArea", ""), "detail": rcv.get("toAddress", "")},
        },
        "items": [{"title": e["productName"], "quantity": int(e["quantity"]["realAmountStr"]),
                   "price": yuan(e["price"])} for e in rec["orderEntries"]],
        "remark": rec.get("remark") or "",
        "packages": [{"courier_text": p["logisticsCompanyName"], "tracking": p["mailNo"]}
                     for p in rec.get("logisticsOrderList") or []],
    }


def expected_pages(data: dict | None = None, page_size: int = PAGE_SIZE) -> dict:
    """{"pages": [[orders of page 1], [page 2], ...]} for the unfiltered list, in page order."""
    orders = (data or load_data())["orders"]
    return {"pages": [[expected_order(r) for r in orders[i:i + page_size]]
                      for i in range(0, len(orders), page_size)]}


def write_expected() -> None:
    text = json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n"
    for folder in (FOLDER_2026, FOLDER_CHANGED):
        (folder / "expected-extract.json").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- the replica

def _one(query: dict, name: str, default: str = "") -> str:
    values = query.get(name)
    return values[0] if values else default


def _cookie(headers, name: str) -> str:
    for part in (headers.get("Cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def _jsonp_name_ok(name: str) -> bool:
    return bool(name) and len(name) < 64 and all(c.isalnum() or c in "_$." for c in name)


@register_layout
class AlibabaBuyer2026(Site):
    site_id = SITE_ID
    layout = "2026"
    subfolder = "2026"
    hosts = (TRADE_HOST, AIR_HOST, MTOP_HOST)
    main_url = f"{LIST_URL}?page=1&pageSize=10"
    pages = {LIST_PATH: "buyer-order-list.html"}

    def load_dataset(self) -> dict:
        return load_data(FOLDER_2026)

    def fresh_state(self) -> dict:
        return {"listRequests": []}

    def reset(self) -> None:
        super().reset()
        self.tokens: dict[str, int] = {}  # issued `_m_h5_tk` tokens -> expiry (ms)

    # -- routing by host
    def handle(self, method, path, query, body, headers) -> Reply:
        host = (headers.get("Host") or "").split(":")[0].lower()
        if host == TRADE_HOST:
            return self.trade(method, path, query)
        if host == MTOP_HOST:
            if path == "/favicon.ico":
                return Reply(204, b"", "image/x-icon")
            return self.mtop(method, path, query, body, headers)
        if host == AIR_HOST:
            if method in ("GET", "HEAD") and path == DETAIL_PATH:
                # GUESS: the detail page is not modelled; a stub so the 订单详情 link lands somewhere.
                return Reply(200, "<!DOCTYPE html><meta charset=utf-8><title>订单详情</title>"
                             "<p>replica: order detail page not modelled</p>", "text/html; charset=utf-8")
            if method == "HEAD" and path in self.pages:
                return _file(self.folder / self.pages[path])
            return super().handle(method, path, query, body, headers)
        return Reply(421, {"error": f"alibaba-buyer replica does not serve host {host!r}"})

    def trade(self, method, path, query) -> Reply:
        if method in ("GET", "HEAD") and path == OLD_LIST_PATH:
            # Evidence: 302 to air.1688.com/...buyer-order-list.html?page=1&pageSize=10; the tab
            # filter survives. GUESS: the parameter order (tradeStatus first, as in a 2026 capture).
            params = []
            status = _one(query, "tradeStatus")
            if status:
                params.append(("tradeStatus", status))
            params += [("page", "1"), ("pageSize", "10")]
            # GUESS: ?oldBuyerOrderList=y (old list, evidence) is not modelled: it redirects too.
            return Reply(302, b"", "text/html; charset=utf-8",
                         {"Location": f"{LIST_URL}?{urlencode(params)}"})
        if path == "/favicon.ico":
            return Reply(204, b"", "image/x-icon")
        return Reply(404, {"error": f"no route {method} {path} on {TRADE_HOST}"})

    # -- the mtop gateway
    def mtop(self, method, path, query, body, headers) -> Reply:
        params = {k: v for k, v in query.items()}
        if method == "POST":  # GUESS: form-encoded POST accepted like GET (mtop does both)
            for k, v in parse_qs(body.decode("utf-8", "replace")).items():
                params.setdefault(k, v)
        if method == "OPTIONS":
            return Reply(204, b"", "text/plain", self._cors(headers))
        callback = _one(params, "callback")
        if callback and not _jsonp_name_ok(callback):
            callback = ""
        api = _one(params, "api") or (path.strip("/").split("/") + ["", ""])[1]
        version = _one(params, "v", "1.0")
        extra: dict[str, str] = {}

        def answer(ret: str, data: dict | None = None) -> Reply:
            reply = {"api": api or MTOP_API, "data": data or {}, "ret": [ret], "v": version}
            return self._mtop_reply(reply, callback, {**self._cors(headers), **extra})

        if path.lower() != MTOP_PATH or api.lower() != MTOP_API:
            return answer(RET_NO_API)

        # token + sign (evidence: sign = md5(token&t&appKey&data), token = `_m_h5_tk` before "_")
        now_ms = int(time.time() * 1000)
        cookie = _cookie(headers, "_m_h5_tk")
        token = cookie.split("_")[0] if cookie else ""
        data_str = _one(params, "data")
        t = _one(params, "t")
        sign = _one(params, "sign")
        with self.lock:
            expiry = self.tokens.get(token)
        if not token or expiry is None or expiry < now_ms:
            extra.update(self._new_token_cookie(now_ms))
            return answer(RET_TOKEN_EMPTY if not token else RET_TOKEN_EXPIRED)
        wanted = hashlib.md5(f"{token}&{t}&{_one(params, 'appKey')}&{data_str}".encode("utf-8")).hexdigest()
        if _one(params, "appKey") != APP_KEY or sign.lower() != wanted:
            extra.update(self._new_token_cookie(now_ms))
            return answer(RET_BAD_SIGN)

        try:
            outer = json.loads(data_str)
            inner = outer.get("param", "{}")
            req = json.loads(inner) if isinstance(inner, str) else dict(inner or {})
        except (ValueError, TypeError, AttributeError):
            return answer(RET_BAD_PARAM)
        if not isinstance(outer, dict) or outer.get("serviceId") != SERVICE_ID or not isinstance(req, dict):
            return answer(RET_BAD_PARAM)

        page = _int(req.get("page"), 1, 1, 10**6)
        size = _int(req.get("pageSize"), PAGE_SIZE, 1, MAX_PAGE_SIZE)
        wanted_status = STATUS_FILTER.get(str(req.get("tradeStatus") or ""))
        word = str(req.get("word") or "").strip()  # GUESS: the keyword's name in `param`
        seller_word = str(req.get("sellerWord") or "").strip()  # GUESS: the seller box's name
        self.latency()
        with self.lock:
            orders = [o for o in self.data["orders"]
                      if (wanted_status is None or o["status"] in wanted_status)
                      and self._matches(o, word) and self._matches_seller(o, seller_word)]
            chosen = copy.deepcopy(orders[(page - 1) * size: page * size])
            total = len(orders)
            self.st["listRequests"].append(page)
        result = self.result_payload([self.reply_order(o) for o in chosen], total, page, size)
        # Evidence: data.data.result is a JSON *string*.
        return answer(RET_OK, {"data": {"result": json.dumps(result, ensure_ascii=False)}})

    def result_payload(self, orders: list, total: int, page: int, size: int) -> dict:
        # Evidence: parsed, `.data.data[]` are the orders and total/pages are given.
        # GUESS: page/pageSize echoed beside them.
        pages = (total + size - 1) // size
        return {"data": {"data": orders, "total": total, "pages": pages, "page": page, "pageSize": size}}

    def reply_order(self, rec: dict) -> dict:
        """The record as the reply carries it (the 2026-changed layout renames fields here)."""
        return rec

    @staticmethod
    def _matches(rec: dict, word: str) -> bool:
        # Placeholder (evidence): 商品名称/订单号/下游订单号/运单号/批次号. GUESS: substring match.
        if not word:
            return True
        hay = [rec["idStr"]] + [e["productName"] for e in rec["orderEntries"]]
        hay += [p.get("mailNo", "") for p in rec.get("logisticsOrderList") or []]
        hay += [str((e.get("entryExtension") or {}).get("trackingNo", "")) for e in rec["orderEntries"]]
        return any(word in h for h in hay)

    @staticmethod
    def _matches_seller(rec: dict, word: str) -> bool:
        # Placeholder (evidence): 卖家登录名/公司/店铺名. GUESS: substring match.
        if not word:
            return True
        return word in rec["sellerInfo"]["companyName"] or word in rec["sellerInfo"]["loginId"]

    def _new_token_cookie(self, now_ms: int) -> dict:
        token = secrets.token_hex(16)
        expiry = now_ms + TOKEN_TTL_MS
        with self.lock:
            self.tokens[token] = expiry
        # GUESS: attributes; the real gateway also sets `_m_h5_tk_enc` (omitted here).
        return {"Set-Cookie": f"_m_h5_tk={token}_{expiry}; Domain=.1688.com; Path=/; Secure; SameSite=None"}

    @staticmethod
    def _cors(headers) -> dict:
        origin = headers.get("Origin") or ""
        if origin.endswith(".1688.com") and origin.startswith("https://"):
            # GUESS: the gateway answers credentialed CORS for 1688 origins (fetch/XHR callers).
            return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
                    "Access-Control-Allow-Headers": "Content-Type", "Vary": "Origin"}
        return {}

    @staticmethod
    def _mtop_reply(reply: dict, callback: str, headers: dict) -> Reply:
        text = json.dumps(reply, ensure_ascii=False)
        if callback:  # type=jsonp: `mtopjsonpN({...})` as JavaScript (evidence)
            return Reply(200, f"{callback}({text})", "application/javascript;charset=UTF-8", headers)
        # GUESS: without a callback (type=originaljson) the same object as JSON.
        return Reply(200, text, "application/json;charset=UTF-8", headers)


# ---------------------------------------------------------------- the redesigned page

# Each change: id, where it is ("dom" or "reply"), what changed, and what a robust adapter should
# do when reading that side alone: "survive" (same orders as expected-extract.json) or "report"
# ("page changed" instead of returning wrong data).
CHANGES = [
    {"id": "theme-wrapper", "where": "dom", "expect": "survive",
     "what": "app-root's shadow wraps order-list in <q-config-provider> instead of <q-theme> "
             "(the path app-root > div > main > q-theme > order-list no longer matches)"},
    {"id": "header-classes", "where": "dom", "expect": "survive",
     "what": "order-item header classes renamed: div.order-item-header -> div.order-item-head, "
             "div.item-header-left/-right -> div.head-left/-right, span.buyer-account -> span.buyer-login; "
             "the 订单号 label, copy-to-clipboard[text] and data-tracker-args stay"},
    {"id": "logistics-moved", "where": "dom", "expect": "survive",
     "what": "the package lines (div.order-logistics-container) moved from the order-item's own shadow "
             "root into the order-item-status shadow root, renamed div.logistics-brief; each line still "
             "reads '<物流名>：<单号>' followed by date/time and the latest track"},
    {"id": "unit-price-class", "where": "dom", "expect": "survive",
     "what": "div.actual-unit-price -> div.unit-price-actual inside order-item-entry-unit-price "
             "(still '¥' then the amount as the last text node)"},
    {"id": "seller-id-class", "where": "dom", "expect": "survive",
     "what": "span.seller-id-text -> span.seller-login-id (not part of the output)"},
    {"id": "pager-text", "where": "dom", "expect": "survive",
     "what": "lu-pagination's .simple-page reads '第 1 / 3 页' instead of '1/ 3'"},
    {"id": "memo-json", "where": "dom", "expect": "survive",
     "what": "q-form[initialvalues] JSON gains keys before remark ({\"flag\":0,\"memoType\":\"buyer\",\"remark\":…})"},
    {"id": "reply-extra-fields", "where": "reply", "expect": "survive",
     "what": "orders carry new keys (bizTags, tradeTypeLabel) and the parsed result a new key (extInfo)"},
    {"id": "reply-tracking-renamed", "where": "reply", "expect": "report",
     "what": "the tracking number fields are renamed: orderEntries[].entryExtension.trackingNo -> "
             ".logisticsNo and logisticsOrderList[].mailNo -> .waybillNo. Reading the reply alone, "
             "shipped orders then have no known tracking field: a robust adapter reports 'page changed' "
             "instead of returning packages without numbers (or orders without packages)"},
]


@register_layout
class AlibabaBuyer2026Changed(AlibabaBuyer2026):
    layout = "2026-changed"
    subfolder = "2026-changed"
    CHANGES = CHANGES

    def handle(self, method, path, query, body, headers) -> Reply:
        host = (headers.get("Host") or "").split(":")[0].lower()
        if host == AIR_HOST and method == "GET" and path.startswith("/__replica/assets/"):
            name = path.rsplit("/", 1)[-1]
            if name.endswith(".js"):  # this layout's files first, the 2026 ones otherwise
                own = self.folder / name
                return _file(own if own.is_file() else FOLDER_2026 / name)
        return super().handle(method, path, query, body, headers)

    def result_payload(self, orders, total, page, size) -> dict:
        result = super().result_payload(orders, total, page, size)
        result["extInfo"] = {"grayVersion": "v2"}  # change reply-extra-fields
        return result

    def reply_order(self, rec: dict) -> dict:
        rec = copy.deepcopy(rec)
        rec["bizTags"] = ["dropshipping"]            # change reply-extra-fields
        rec["tradeTypeLabel"] = "担保交易"
        for entry in rec["orderEntries"]:           # change reply-tracking-renamed
            ext = entry.get("entryExtension") or {}
            if "trackingNo" in ext:
                ext["logisticsNo"] = ext.pop("trackingNo")
        for pkg in rec.get("logisticsOrderList") or []:
            pkg["waybillNo"] = pkg.pop("mailNo")
        return rec


def mtop_url(page: int = 1, page_size: int = PAGE_SIZE, trade_status: str = "", *, token: str = "",
             callback: str = "mtopjsonp1", t: str | None = None) -> str:
    """A signed gateway URL the way lib-mtop builds it (for tests and tools)."""
    param = {"page": page, "pageSize": page_size}
    if trade_status:
        param["tradeStatus"] = trade_status
    data = json.dumps({"serviceId": SERVICE_ID, "param": json.dumps(param)}, separators=(",", ":"))
    t = t or str(int(time.time() * 1000))
    sign = hashlib.md5(f"{token}&{t}&{APP_KEY}&{data}".encode("utf-8")).hexdigest()
    return (f"https://{MTOP_HOST}{MTOP_PATH}?jsv=2.7.2&appKey={APP_KEY}&t={t}&sign={sign}"
            f"&api={MTOP_API}&v=1.0&type=jsonp&dataType=jsonp&callback={callback}&data={quote(data, safe='')}")


if __name__ == "__main__":
    write_expected()
    print("wrote", FOLDER_2026 / "expected-extract.json", "and", FOLDER_CHANGED / "expected-extract.json")
