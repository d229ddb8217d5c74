"""抖店 seller backend (`douyin-seller`, fxg.jinritemai.com): the order list and the 发货 page as they
look in 2026, and the same pages after a plausible redesign ("2026-changed").

Written from public evidence only (tests/fixtures/sites/douyin-seller/2026/README.md lists, per detail,
the evidence it follows or why it is a guess). No adapter was consulted.

    ReplicaServer(["douyin-seller"], layouts={"douyin-seller": "2026"})
    ReplicaServer(["douyin-seller"], layouts={"douyin-seller": "2026-changed"})

Both layouts serve the same orders (`data.json`, rows in the `GET /api/order/searchlist` shape: money in
fen, times in unix seconds, masked `receiver_info`) and the same page scripts; the redesign is the scripts'
other build (see `CHANGES`) plus one renamed reply field.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
from pathlib import Path

from tests.support.replica_server import BEIJING, SITES_DIR, Reply, Site, _int, _json_body, register_layout

FOLDER = SITES_DIR / "douyin-seller" / "2026"
HOST = "fxg.jinritemai.com"
LIST_PAGE_SIZE = 20   # the page's own searchlist request carried pageSize=20 (ref 11170630373)
SHOP_NAME = "晨光家居旗舰店"  # GUESS: any name; the header shows it (the 2026 scraper ref 55864427870 reads
#                             the shop name from the page text by its 旗舰店 suffix)
# GUESS: the detail page URL (the 2021 script only shows a link text 订单详情 opening a new tab).
DETAIL_URL = "https://fxg.jinritemai.com/ffa/morder/order/detail?id={id}"
# GUESS: the ship page's order parameter (no public URL with a query was found).
SHIP_URL = "https://fxg.jinritemai.com/ffa/morder/logistics/delivery?order_id={id}"

# The courier list the ship page offers: (id, code, name). Ids, codes and names (with the "(常用)"
# decoration) are 抖店's own `logisticsCompanyList` answer as stored by a public ERP (qihang-erp SQL
# dump dated 2026-07, table erp_logistics_company, platform 400 = DOU, columns "值来自于平台返回";
# ref 66841151652). The endpoint shape {id, code, name} follows the open-API client (ref 18811353874).
# Order: GUESS — the (常用) ones first, the rest in the dump's order.
COURIERS: list[tuple[int, str, str]] = [
    (12, "shunfeng", "顺丰速运(常用)"), (15, "zhongtong", "中通快递(常用)"), (7, "yuantong", "圆通快递(常用)"),
    (8, "shentong", "申通快递(常用)"), (9, "yunda", "韵达快递(常用)"), (13, "debangwuliu", "德邦快递(常用)"),
    (17, "ems", "EMS(常用)"), (30, "jd", "京东物流(常用)"),
    (999, "hongbeixin", "红背心"), (565, "pingandatengfei", "平安达腾飞快递"),
    (1103, "jiangsujingchun", "京东酒世界"), (1156, "tiandishunchi", "天地顺驰"),
    (327, "jiayunmeiwuliu", "加运美"), (1017, "danniao", "菜鸟速递"), (1033, "fengwang", "丰网速运"),
    (1065, "dajiangwangluo", "达达"), (191, "jiuyescm", "九曳供应链"), (1080, "jingdongkuaiyun", "京东快运"),
    (32, "annengwuliu", "安能物流"), (10, "jiayiwuliu", "佳怡物流"), (19, "youzhengguonei", "邮政快递包裹"),
    (177, "amusorder", "Amazon Logistics"), (1040, "shunfengguoji", "顺丰国际"), (202, "suning", "苏宁物流"),
    (1109, "yzdsbk", "邮政电商标快"), (716, "subida", "速必达"), (1052, "ztocc", "中通冷链"),
    (31, "wanxiangwuliu", "万象物流"), (637, "baishiwuliu", "百世快运"), (517, "jinguangsudikuaijian", "京广速递"),
    (861, "annto", "安得物流"), (1053, "shunfengchengpei", "顺丰城配"), (1131, "boyol", "贝业物流"),
    (1021, "jtexpress", "极兔速递"), (1110, "hangzhoucainiao", "菜鸟大件"), (244, "shenghuiwuliu", "盛辉物流"),
    (563, "suteng", "速腾快递"), (641, "rrs", "日日顺物流"), (1024, "sxjdfreight", "顺心捷达"),
    (11, "youshuwuliu", "优速"), (897, "yimidida", "壹米滴答"), (518, "tiandihuayu", "天地华宇"),
    (1035, "shunfengkuaiyun", "顺丰快运"), (1043, "udalogistic", "韵达国际"), (952, "yundakuaiyun", "韵达快运"),
    (1064, "shenzhenshishun", "顺丰同城"), (1079, "jingdongdajian", "京东大件"), (968, "stosolution", "申通国际"),
    (1119, "zhejiangcainiao", "菜鸟裹裹商家寄"), (1128, "tzky", "铁中快运"), (1022, "zhongyouex", "众邮快递"),
    (1100, "debangkuaiyun", "德邦快运"), (1105, "xiaomitongxun", "小米物流"), (1026, "sfwl", "盛丰物流"),
    (475, "xlobo", "贝海国际速递"), (1049, "chuanhua", "传化物流"), (610, "zhongtiewuliu", "中铁飞豹"),
    (21, "zhaijisong", "宅急送"), (397, "kuayue", "跨越速运"), (846, "zhongtongkuaiyun", "中通快运"),
    (1082, "yilongex", "亿隆速运"), (1090, "suyoda", "速邮达"), (36, "xinfengwuliu", "信丰物流"),
    (597, "zhongtongguoji", "中通国际"), (37, "huangmajia", "黄马甲"), (243, "suer", "速尔快递"),
    (1034, "yuantongguoji", "圆通国际"), (1125, "zhejiangzhongyou", "邮政小时达"),
]

# GUESS: number checks (public heuristics, couriers.md "rank, don't assert"); the real server's rules are
# unknown. Every number must be 8–32 letters/digits; these couriers are checked more closely.
NUMBER_RULES = {
    "shunfeng": r"SF\d{12,13}|\d{12}",
    "zhongtong": r"\d{12,15}",
    "yuantong": r"YT\d{12,16}",
    "jtexpress": r"JT\d{13}",
    "jd": r"JD[A-Z0-9]{11,15}",
}

# What the redesign ("2026-changed") changes. `expect` says what a robust adapter does: `survive` (reads /
# fills the same as before, by meaning) or `report` (says "page changed" and fills nothing).
CHANGES: list[dict] = [
    {"id": "component-prefix", "expect": "survive",
     "what": "component library auxo -> aurora (public notes saw this move): every `auxo-…` class is now "
             "`aurora-…` (select, dropdown, form-item, table, pagination, tabs, modal, btn); the rc-select "
             "structure and ids (rc_select_N) are unchanged"},
    {"id": "class-hashes", "expect": "survive",
     "what": "every CSS-module class (index_orderHead__xxxxx, style_…) rehashed"},
    {"id": "column-moved", "expect": "survive",
     "what": "list table: the 订单状态 column moved from 4th place to 2nd (header and row cells alike)"},
    {"id": "head-label", "expect": "survive",
     "what": "order head label 订单编号 -> 订单号; 下单时间 -> 创建时间"},
    {"id": "reply-field", "expect": "survive",
     "what": "searchlist data[].receiver_info.post_tel renamed post_tel_mask (the name a 2026 public fixture "
             "uses); an XHR reader must notice post_tel is gone and take the phone from the DOM (or report), "
             "never send ''"},
    {"id": "ship-labels", "expect": "survive",
     "what": "发货 page labels 物流公司 -> 快递公司 and 运单号 -> 快递单号; placeholders 请选择物流公司 -> "
             "请选择快递公司, 请输入运单号 -> 请填写快递单号; button 确认发货 -> 提交发货"},
    {"id": "ship-field-order", "expect": "survive",
     "what": "发货 page: the 快递单号 field now comes before the 快递公司 field"},
    {"id": "ship-package-choice", "expect": "report",
     "what": "发货 page, for an order of more than one piece (several goods lines or a quantity above 1): a "
             "required choice 整单发货 / 拆包发货 with nothing chosen comes first, and no 快递公司/快递单号 field "
             "exists until the user chooses: how to pack is the user's decision, so the adapter fills "
             "nothing and reports the page as changed"},
]


def load_orders() -> list[dict]:
    return json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))["data"]


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, BEIJING).isoformat(timespec="seconds")


def expected_order(rec: dict) -> dict:
    """One searchlist row as MODEL.md's sales order, holding what the list row shows."""
    recv = rec["receiver_info"]
    addr = recv["post_addr"]
    return {
        "order_id": rec["shop_order_id"],
        "shop": SHOP_NAME,
        "status": rec["order_status_info"]["order_status_text"],
        "created_at": _iso(rec["create_time"]),
        "ship_by": _iso(rec["exp_ship_time"]),
        "buyer": {"name": recv["post_receiver"], "phone": recv["post_tel"],
                  # 抖店's `town` is the district level, `street` the 街道/乡镇 level (ref 38921318793):
                  # the street goes at the start of `detail`, with no space.
                  "address": {"province": addr["province"]["name"], "city": addr["city"]["name"],
                              "district": addr["town"]["name"],
                              "detail": addr["street"]["name"] + addr["detail"]}},
        "items": [{"title": p["product_name"], "sku": " ".join(s["value"] for s in p["sku_spec"]),
                   "quantity": int(p["combo_num"]), "price": _yuan(p["price"])}
                  for p in rec["product_item"]],
        "amount": _yuan(rec["pay_amount"]),
        "remark": rec["buyer_words"] or "",
        "url": DETAIL_URL.format(id=rec["shop_order_id"]),
    }


def expected_pages(records: list[dict] | None = None, page_size: int = LIST_PAGE_SIZE) -> dict:
    """expected-extract.json: the orders of each list page, in the order the page shows them."""
    records = load_orders() if records is None else records
    orders = [expected_order(r) for r in records]
    return {"pages": [orders[i:i + page_size] for i in range(0, len(orders), page_size)]}


def write_expected(path: Path = FOLDER / "expected-extract.json") -> None:
    path.write_text(json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def number_problem(code: str, number: str) -> str:
    """'' when the number fits the courier, else the page's message (GUESS: wording and rules)."""
    if not re.fullmatch(r"[A-Za-z0-9]{8,32}", number):
        return "运单号格式不正确，请核对后重新输入"
    rule = NUMBER_RULES.get(code)
    if rule and not re.fullmatch(rule, number):
        return "运单号与所选物流公司不匹配，请核对后重新输入"
    return ""


@register_layout
class DouyinSeller2026(Site):
    site_id = "douyin-seller"
    layout = "2026"
    subfolder = "2026"
    hosts = (HOST,)
    main_url = "https://fxg.jinritemai.com/ffa/morder/order/list"
    pages = {"/ffa/morder/order/list": "list.html", "/ffa/morder/logistics/delivery": "delivery.html"}

    max_page_size = 500  # GUESS: the page offers 10/20/50; the server cap is unknown (benchmarks use 500)

    TAB_STATUS = {"unshipped": {2}, "stock_up": {2}, "shipped": {3}, "closed": {4}, "unpaid": {1}, "finished": {5}}

    def load_dataset(self) -> dict:
        return json.loads((self.folder / "data.json").read_text(encoding="utf-8"))

    def fresh_state(self) -> dict:
        return {"shipped": [], "listRequests": [], "shipRequests": []}

    def row(self, rec: dict) -> dict:
        """A record as the searchlist reply carries it (the redesign renames a field)."""
        return copy.deepcopy(rec)

    def api(self, method, path, query, body, headers) -> Reply:
        if method == "GET" and path == "/api/order/searchlist":
            return self._searchlist(query)
        if method == "GET" and path == "/api/order/logisticsCompanyList":
            # GUESS: the web path; the {id, code, name} rows follow the open API (see COURIERS).
            self.latency()
            return Reply(200, {"code": 0, "msg": "success",
                               "data": [{"id": i, "code": c, "name": n} for i, c, n in COURIERS]})
        if method == "POST" and path == "/api/order/logisticsAdd":
            return self._ship(body, headers)
        return super().api(method, path, query, body, headers)

    def _searchlist(self, query: dict) -> Reply:
        q = {k: v[0] for k, v in query.items()}
        page = _int(q.get("page"), 0, 0, 10**6)  # 0-based (refs 56387888837, 55864427870)
        size = _int(q.get("pageSize"), LIST_PAGE_SIZE, 1, self.max_page_size)
        wanted = self.TAB_STATUS.get(q.get("tab", "all"))
        order_id = (q.get("order_id") or "").strip()
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"page": page, "pageSize": size, "tab": q.get("tab", ""),
                                            "order_id": order_id})
            orders = [o for o in self.data["data"]
                      if (wanted is None or o["order_status"] in wanted)
                      and (not order_id or o["shop_order_id"] == order_id)]
            items = [self.row(o) for o in orders[page * size:(page + 1) * size]]
        return Reply(200, {"code": 0, "msg": "success", "data": items, "total": len(orders),
                           "page": page, "size": size})  # GUESS: page/size echoed

    def _ship(self, body: bytes, headers) -> Reply:
        req = _json_body(body)
        by = headers.get("X-Replica-Confirmed-By", "unknown")
        order_id = str(req.get("order_id") or "").strip()
        company_code = str(req.get("company_code") or "").strip()
        number = str(req.get("logistics_code") or "").strip()
        company = next(((i, c, n) for i, c, n in COURIERS if c == company_code), None)
        self.latency()

        def fail(code: int, msg: str) -> Reply:
            # GUESS: codes and wording (nothing public shows the ship request's failures).
            return Reply(200, {"code": code, "msg": msg, "data": None})

        with self.lock:
            self.st["shipRequests"].append({"body": req, "by": by})
            rec = next((o for o in self.data["data"] if o["shop_order_id"] == order_id), None)
            if not order_id or rec is None:
                return fail(10001, "订单不存在，请刷新页面后重试")
            if rec["order_status"] == 4:
                return fail(10002, "订单已取消，无法发货")
            if rec["order_status"] != 2:
                return fail(10003, "该订单已发货，请勿重复操作")
            if company is None:
                return fail(10004, "请选择物流公司")
            if not number:
                return fail(10005, "请填写运单号")
            problem = number_problem(company_code, number)
            if problem:
                return fail(10006, problem)
            now = int(time.time())
            rec["order_status"] = 3
            rec["order_status_info"] = {"order_status_text": "已发货"}
            rec["ship_time"] = now
            rec["logistics_info"] = [{"company": company[1], "company_name": company[2], "tracking_no": number}]
            self.st["shipped"].append({
                "order_id": order_id, "company_code": company[1], "company_name": company[2],
                "tracking_number": number,
                "at": dt.datetime.fromtimestamp(now, BEIJING).isoformat(timespec="seconds"),
                # "user" when the 确认发货 click was trusted (a person, or Playwright/CDP), "script" when
                # page or content-script code called element.click()/dispatchEvent.
                "by": by,
            })
        return Reply(200, {"code": 0, "msg": "success", "data": {"order_id": order_id}})


@register_layout
class DouyinSeller2026Changed(DouyinSeller2026):
    """The same pages after a redesign: other builds of the page scripts, see CHANGES."""
    layout = "2026-changed"
    pages = {"/ffa/morder/order/list": "list-changed.html",
             "/ffa/morder/logistics/delivery": "delivery-changed.html"}

    def row(self, rec: dict) -> dict:
        item = super().row(rec)
        item["receiver_info"]["post_tel_mask"] = item["receiver_info"].pop("post_tel")  # CHANGES "reply-field"
        return item


def generate_dataset(n: int) -> dict:
    """`n` orders in this layout's reply shape, cloned from data.json's 待发货 rows with fresh order
    ids (for benchmarks: `ReplicaServer(datasets={"douyin-seller": …})`)."""
    base = [o for o in load_orders() if o["order_status"] == 2]
    out = []
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        rec["shop_order_id"] = f"69{90000000000000000 + i:017d}"
        out.append(rec)
    return {"data": out}


if __name__ == "__main__":  # regenerate expected-extract.json after editing data.json
    write_expected()
