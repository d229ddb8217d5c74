"""淘宝 buyer side (`taobao-buyer`): 已买到的宝贝 (buyertrade.taobao.com) and the order detail
(trade.taobao.com) as they look in 2026, and the same pages after a plausible redesign ("2026-changed").

A supplier (purchase) site: no ship form. Written from public evidence only; the facts and the guesses
are listed per detail in tests/fixtures/sites/taobao-buyer/2026/README.md, and every detail not backed by
evidence is marked `# GUESS:` here (`// GUESS:` in the page scripts). No adapter was consulted.

    ReplicaServer(["taobao-buyer"], layouts={"taobao-buyer": "2026"})
    ReplicaServer(["taobao-buyer"], layouts={"taobao-buyer": "2026-changed"})

- `https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm` (GBK): an SPA under
  `#__ultron_rootContainer_node`; page 1 is inlined as `var data = JSON.parse('…')` (mainOrders…), the
  antd pager asks `POST /trade/itemlist/asyncBought.htm?action=itemlist/BoughtQueryAction&…` for the
  others. 50 orders a page. Order ids are 19-digit strings (sub-order ids are JSON numbers: they lose
  precision in JavaScript, as on the real page).
- `https://trade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id=…` (GBK; the same page also
  answers on buyertrade.taobao.com): inlines the detail JSON with `deliveryInfo{logisticsName,
  logisticsNum, address, shipType, …}` and `buyMessage`. trade.taobao.com is shared with the
  taobao-seller replica (its asyncSold.htm): this site answers only the detail path there and 404
  otherwise, so the replica server's shared-host dispatch hands other paths on.

    python -m tests.support.replicas.taobao_buyer_2026   # rewrites both expected-extract.json files
"""
from __future__ import annotations

import copy
import json
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs

from tests.support.replica_server import SITES_DIR, Reply, Site, _file, _int, register_layout

SITE_ID = "taobao-buyer"
LIST_HOST = "buyertrade.taobao.com"
# The detail page answers at both hosts (trade.taobao.com: strong, refs 17300707657, 23213424201, 1572364535,
# 70218551766; buyertrade.taobao.com: ref 51968854370).
DETAIL_HOST = "trade.taobao.com"
FOLDER = SITES_DIR / SITE_ID / "2026"
FOLDER_CHANGED = SITES_DIR / SITE_ID / "2026-changed"
LIST_PATH = "/trade/itemlist/list_bought_items.htm"
ASYNC_PATH = "/trade/itemlist/asyncBought.htm"
ASYNC_URL = f"{ASYNC_PATH}?action=itemlist/BoughtQueryAction&event_submit_do_query=1&_input_charset=utf8"
ITEM_DETAIL_PATH = "/trade/detail/trade_item_detail.htm"
DETAIL_PATH = "/trade/detail/trade_order_detail.htm"
LIST_URL = f"https://{LIST_HOST}{LIST_PATH}"
PAGE_SIZE = 50  # evidence: the 2025-11 sample's page.pageSize and the page's own request ask 50 (DF-wu samples)

# tabCode -> (tab text, tradeStatus values it lists). Evidence: the sample's tabs (codes, texts, herf).
# GUESS: which statuses each tab lists.
TABS = [("all", "所有订单", None), ("waitPay", "待付款", {"WAIT_BUYER_PAY"}),
        ("waitSend", "待发货", {"WAIT_SELLER_SEND_GOODS"}), ("waitConfirm", "待收货", {"WAIT_BUYER_CONFIRM_GOODS"}),
        ("waitRate", "待评价", {"TRADE_FINISHED"})]
TAB_CODES = {code: statuses for code, _, statuses in TABS}

# The detail's status sentence (evidence for 卖家已发货, from the 2025 sample). GUESS: the others.
STATUS_SENTENCE = {
    "WAIT_BUYER_PAY": "当前订单状态：等待买家付款，请尽快完成付款",
    "WAIT_SELLER_SEND_GOODS": "当前订单状态：买家已付款，等待卖家发货",
    "WAIT_BUYER_CONFIRM_GOODS": "当前订单状态：卖家已发货，请查看页面下方物流信息了解宝贝寄送情况",
    "TRADE_FINISHED": "当前订单状态：交易成功",
    "TRADE_CLOSED": "当前订单状态：交易关闭",
}


# ---------------------------------------------------------------- data and the expected extract

def load_data(folder: Path = FOLDER) -> dict:
    return json.loads((folder / "data.json").read_text(encoding="utf-8"))


def sku_text(item: dict) -> str:
    """The sku lines as one string: `颜色分类：裸粉猫眼 尺码：S码` (full-width colon, one space)."""
    return " ".join(f"{n}：{v}" for n, v in item["sku"])


def _items(rec: dict) -> list[dict]:
    return [{"title": it["title"], "sku": sku_text(it), "quantity": int(it["quantity"]), "price": it["price"]}
            for it in rec["items"]]


def list_order(rec: dict) -> dict:
    """What the list shows: no ship-to, no buyer message, no courier or number (keys absent)."""
    return {"order_id": rec["id"], "supplier": rec["seller"]["shop_name"], "status": rec["status_text"],
            "items": _items(rec), "amount": rec["actual_fee"]}


def address_line(d: dict) -> str:
    """deliveryInfo.address as the 2025 sample writes it: `name，86-phone，省 市 区 detail ，zip`."""
    return f"{d['name']}，86-{d['phone']}，{d['province']} {d['city']} {d['district']} {d['detail']} ，{d['zip']}"


def detail_status(rec: dict) -> str:
    """The status word of the detail's sentence (text after `当前订单状态：` up to the first `，`)."""
    sentence = STATUS_SENTENCE[rec["status"]]
    return sentence.split("：", 1)[1].split("，", 1)[0]


def detail_order(rec: dict) -> dict:
    """What trade_order_detail.htm gives (its inline data and its DOM). The seller shows as its nick,
    not the shop name the list shows; the ship-to phone is shown in full with its `86-` prefix."""
    d = rec["delivery"]
    return {
        "order_id": rec["id"], "supplier": rec["seller"]["nick"], "status": detail_status(rec),
        "ship_to": {"name": d["name"], "phone": f"86-{d['phone']}",
                    "address": {"province": d["province"], "city": d["city"], "district": d["district"],
                                "detail": d["detail"]}},
        "items": _items(rec), "amount": rec["actual_fee"], "remark": rec["buy_message"],
        "packages": ([{"courier_text": d["logistics_name"], "tracking": d["logistics_num"]}]
                     if d["logistics_num"] else []),
    }


def detail_url(order_id: str) -> str:
    return f"https://{DETAIL_HOST}{DETAIL_PATH}?biz_order_id={order_id}"


def expected_pages(data: dict | None = None, page_size: int = PAGE_SIZE) -> dict:
    """expected-extract.json: `pages` = the list's pages (all orders); `details` = per order id, what
    the order detail page gives (the courier and the number show only there)."""
    orders = (data or load_data())["orders"]
    pages = [[list_order(r) for r in orders[i:i + page_size]] for i in range(0, len(orders), page_size)]
    details = {r["id"]: {"detail": {"url": detail_url(r["id"]), "order": detail_order(r)}} for r in orders}
    return {"pages": pages, "details": details}


def write_expected() -> None:
    text = json.dumps(expected_pages(), ensure_ascii=False, indent=1) + "\n"
    for folder in (FOLDER, FOLDER_CHANGED):
        (folder / "expected-extract.json").write_text(text, encoding="utf-8")


def generate_dataset(n: int) -> dict:
    """`n` orders cloned from data.json with fresh 19-digit ids (benchmarks)."""
    base = load_data()
    out = []
    for i in range(n):
        rec = copy.deepcopy(base["orders"][i % len(base["orders"])])
        rec["id"] = f"47{i:013d}2715"
        out.append(rec)
    return {**base, "orders": out}


# ---------------------------------------------------------------- the replies (evidence shapes)

def _sub_ids(rec: dict) -> list[int]:
    """Sub-order ids: the main id for a one-line order (as in the sample), the next ids otherwise."""
    main = int(rec["id"])
    return [main] if len(rec["items"]) == 1 else [main + 1 + k for k in range(len(rec["items"]))]


def _sub_operations(rec: dict, item: dict) -> list[dict]:
    oid = rec["id"]
    if item.get("refund"):
        # GUESS: an after-sale line shows its refund state as the operation text.
        return [{"style": "t0", "text": item["refund"], "url": f"//refund2.taobao.com/dispute/detail.htm?bizOrderId={oid}"}]
    if rec["status"] in ("WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS"):
        return [{"style": "t0", "text": "退款/退货", "url": f"//refund2.taobao.com/dispute/applyRouter.htm?bizOrderId={oid}"},
                {"action": "a3", "attribute": "", "dataUrl": f"//rights.taobao.com/complaint/redirect.jhtml?bizId={oid}",
                 "style": "t0", "text": "投诉卖家"}]
    if rec["status"] == "TRADE_FINISHED":
        return [{"style": "t0", "text": "申请售后", "url": f"//refund2.taobao.com/dispute/applyRouter.htm?bizOrderId={oid}"}]
    return []


def main_order(rec: dict) -> dict:
    """One `mainOrders[]` entry (evidence: DF-wu/taobaoOrderExporter resource/dataSamples/orders.json and
    orders_schema.ts, 2025-11). GUESS: which operations each status carries, icon lists left empty."""
    oid = rec["id"]
    code = rec["status"]
    shipped = bool(rec["delivery"]["consign_time"])
    extra = {"allowBuyAgain": True, "batchGroup": "1", "batchGroupTips": "预售商品和普通商品不支持合并付款",
             "batchMaxCount": 20, "bizType": 200, "currency": "CNY", "currencySymbol": "￥", "id": int(oid),
             "inHold": False, "isShowSellerService": False, "needDisplay": True, "tradeStatus": code,
             "visibility": True}
    if code == "TRADE_FINISHED":
        extra["finish"] = True
    if code == "TRADE_CLOSED":
        extra["closed"] = True
    status_ops = [
        {"action": "a2", "dataUrl": f"/trade/json/getMessage.htm?biz_order_id={oid}&user_type=1&archive=false",
         "style": "t7", "text": "", "type": "operation"},
        {"id": "viewDetail", "style": "t0", "text": "订单详情", "type": "operation",
         "url": f"//{LIST_HOST}{ITEM_DETAIL_PATH}?bizOrderId={oid}&route_to=tm1"}]
    if shipped and rec["delivery"]["logistics_num"]:
        status_ops.append({
            "action": "a4", "dataUrl": f"/trade/json/transit_step.do?bizOrderId={oid}", "id": "viewLogistic",
            "style": "t1", "text": "查看物流", "type": "operation",
            "url": ("https://market.m.taobao.com/app/dinamic/pc-trade-logistics/home.html?orderId="
                    f"{oid}&entrance=pc")})
    trade_ops = {
        "WAIT_BUYER_PAY": [{"id": "pay", "style": "t3", "text": "立即付款", "type": "operation",
                            "url": f"//buyertrade.taobao.com/trade/pay.htm?bizOrderId={oid}"},
                           {"id": "cancelOrder", "style": "t0", "text": "取消订单", "type": "operation"}],
        "WAIT_SELLER_SEND_GOODS": [{"id": "remindSend", "style": "t0", "text": "提醒卖家发货", "type": "operation"}],
        "WAIT_BUYER_CONFIRM_GOODS": [{"style": "t5", "text": "还剩9天10时", "type": "operation"},
                                     {"id": "confirmGood", "style": "t3", "text": "确认收货", "type": "operation",
                                      "url": f"//trade.taobao.com/trade/confirmGoods.htm?bizOrderId={oid}"}],
        "TRADE_FINISHED": [{"id": "rate", "style": "t0", "text": "评价", "type": "operation"},
                           {"id": "buyAgain", "style": "t0", "text": "再次购买", "type": "operation"}],
        "TRADE_CLOSED": [{"id": "buyAgain", "style": "t0", "text": "再次购买", "type": "operation"}],
    }[code]
    subs = []
    for sub_id, it in zip(_sub_ids(rec), rec["items"]):
        info_extra = ([{"name": "发货时间", "value": "12月08日 10:31前发货", "visible": "SOLID"}]
                      if code in ("WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS") else [])
        price = {"realTotal": it["price"], "currency": "CNY", "currencySymbol": "￥"}
        if it.get("original"):
            price["original"] = it["original"]
        subs.append({
            "id": sub_id,  # a JSON number: 19 digits do not survive JavaScript (evidence: the sample)
            "itemInfo": {"extra": info_extra, "id": it["item_id"],
                         "itemUrl": f"//item.taobao.com/item.htm?id={it['item_id']}",
                         "pcH5SnapUrl": f"https://market.m.taobao.com/app/tp/snapshot-m/pages/entry/index.html?bizOrderId={oid}",
                         "pic": f"//img.alicdn.com/imgextra/i3/{rec['seller']['id']}/O1CN01{it['item_id']:x}.jpg_80x80.jpg",
                         "serviceIcons": [], "skuId": it["sku_id"],
                         "skuText": [{"name": n, "value": v, "visible": "SOLID"} for n, v in it["sku"]],
                         "snapUrl": f"//buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={oid}&snapShot=true",
                         "snapshotUseH5": True, "title": it["title"], "xtCurrent": False},
            "operations": _sub_operations(rec, it),
            "priceInfo": price,
            "quantity": {"count": str(it["quantity"])},
            "returnAddressVO": {"historyShow": False}})
    return {
        "extra": extra, "id": oid,
        "operations": [{"id": "flag", "style": "thead", "text": "编辑标记信息，仅自己可见", "type": "operation",
                        "url": f"//trade.taobao.com/trade/memo/update_buy_memo.htm?bizOrderId={oid}",
                        "config": {"kind": "flag", "style": "master"}}],
        "orderInfo": {"createDay": rec["create_time"][:10], "createTime": rec["create_time"], "id": oid},
        "payInfo": {"actualFee": rec["actual_fee"], "icons": [],
                    "postFees": [{"prefix": "(含运费", "suffix": ")", "value": "￥" + rec["post_fee"]}],
                    "currency": "CNY", "currencySymbol": "￥"},
        "presentOrder": False,
        "seller": {"alertStyle": 0, "guestUser": False, "id": rec["seller"]["id"], "nick": rec["seller"]["nick"],
                   "notShowSellerInfo": False, "opeanSearch": False, "shopDisable": False,
                   "shopName": rec["seller"]["shop_name"],
                   "shopUrl": f"//store.taobao.com/shop/view_shop.htm?user_number_id={rec['seller']['id']}",
                   "wangwangType": "nonAlipay"},
        "statusInfo": {"operations": status_ops, "text": rec["status_text"], "type": "t0",
                       "url": f"//trade.taobao.com{ITEM_DETAIL_PATH}?bizOrderId={oid}"},
        "subOrders": subs,
        "tradeOperations": trade_ops,
    }


def list_reply(orders: list[dict], all_orders: list[dict], tab: str, page: int, size: int, main=main_order) -> dict:
    """The whole list JSON (inline on page 1, asyncBought for any page): {error, extra, mainOrders,
    page, query, tabs}. Evidence: the 2025-11 sample. GUESS: prefetchCount, the tab counts shown."""
    total = len(orders)
    chunk = orders[(page - 1) * size: page * size]
    counts = {code: sum(1 for o in all_orders if statuses and o["status"] in statuses) for code, _, statuses in TABS}
    tabs = []
    for code, text, _ in TABS:
        herf = LIST_PATH if code == "all" else (
            f"{LIST_PATH}?action=itemlist/BoughtQueryAction&event_submit_do_query=1&tabCode={code}")
        entry = {"code": code, "herf": herf, "text": text, "type": "t1"}
        if code == tab:
            entry["selected"] = True
        if code in ("waitConfirm", "waitRate") and counts[code]:
            entry["count"] = counts[code]
        tabs.append(entry)
    tabs += [{"code": "stepPay", "herf": f"{LIST_PATH}?action=itemlist/BoughtQueryAction&event_submit_do_query=1&tabCode=stepPay",
              "text": "分阶段", "type": "t2"},
             {"code": "recycle", "herf": "/trade/itemlist/list_recyled_items.htm", "text": "订单回收站", "type": "t3"}]
    return {
        "error": "",
        "extra": {"asyncRequestUrl": ASYNC_URL, "carttaskServerPath": "//active.taobao.com",
                  "followModulePath": "//follow.taobao.com", "hasPageList": True, "i18n": "zh-CN",
                  "mainBizOrderIds": "-".join(o["id"] for o in chunk), "rateGift": "", "showB2BMenu": False,
                  "tbskipModulePath": "//tbskip.taobao.com"},
        "mainOrders": [main(o) for o in chunk],
        "page": {"currentPage": page, "globalCodes": [], "pageSize": size, "prefetchCount": total,
                 "queryForTitle": False, "totalNumber": total, "totalPage": max(1, (total + size - 1) // size)},
        "query": {"canGetHistoryCount": False, "cartItemDOList": [], "extra": {}, "historyCount": 0,
                  "needQueryHistory": False, "onlineCount": 0, "pageNum": page, "pageSize": size, "queryForV2": False,
                  "unionSearchPageNum": 0, "unionSearchTotalNum": 0},
        "tabs": tabs,
    }


def detail_json(rec: dict) -> dict:
    """The order detail's inline JSON (evidence: the sample orderdetails.json and orderdetails_schema.ts,
    2025-11). GUESS: the status sentences but 卖家已发货's, which keys hold '' when not shipped."""
    oid = rec["id"]
    d = rec["delivery"]
    code = rec["status"]
    has_logistics = bool(d["logistics_num"])
    lines = [{"type": "namevalue", "value": {"name": "订单编号:", "value": [{"type": "text", "value": oid}]}}]
    if rec["alipay_no"]:
        lines.append({"type": "namevalue", "value": {"name": "支付宝交易号:", "value": rec["alipay_no"], "type": "text"}})
    lines.append({"type": "namevalue", "value": {"name": "创建时间:", "value": rec["create_time"], "type": "text"}})
    if rec["pay_time"]:
        lines.append({"type": "namevalue", "value": {"name": "付款时间:", "value": rec["pay_time"], "type": "text"}})
    if d["consign_time"]:
        lines.append({"type": "namevalue", "value": {"name": "发货时间:", "value": d["consign_time"], "type": "text"}})
    sub_status = {"WAIT_BUYER_PAY": "等待付款", "WAIT_SELLER_SEND_GOODS": "未发货",
                  "WAIT_BUYER_CONFIRM_GOODS": "未确认收货", "TRADE_FINISHED": "交易成功",
                  "TRADE_CLOSED": "交易关闭"}[code]
    subs = []
    for sub_id, it in zip(_sub_ids(rec), rec["items"]):
        subs.append({
            "idStr": str(sub_id), "priceInfo": "￥" + it["price"], "quantity": str(it["quantity"]), "service": [],
            "extra": {"overSold": False, "alicommunOrderDirect": False, "needShowQuantity": 0, "xt": False,
                      "needDisplay": False, "payStatus": 0, "opWeiQuan": False, "notSupportReturn": False},
            "tradeStatus": [{"type": "line", "content": [{"type": "text", "value": it.get("refund") or sub_status}]}],
            "id": sub_id,
            "itemInfo": {"skuText": [{"type": "line", "content": [
                {"type": "namevalue", "value": {"name": n + "：", "value": v, "type": "text"}} for n, v in it["sku"]]}],
                "auctionUrl": f"//trade.taobao.com/trade/detail/tradeSnap.htm?trade_id={oid}",
                "extra": [], "pic": f"//img.alicdn.com/imgextra/i4/{rec['seller']['id']}/O1CN01{it['item_id']:x}.jpg_sum.jpg",
                "title": it["title"], "serviceIcons": [], "skuId": it["sku_id"]}})
    goods = sum(round(float(it["price"]) * 100) * it["quantity"] for it in rec["items"])
    nodes = [{"date": rec["create_time"], "index": 1, "text": "拍下宝贝"}]
    nodes.append({"date": rec["pay_time"], "index": 2, "text": "付款到支付宝"} if rec["pay_time"]
                 else {"index": 2, "text": "付款到支付宝"})
    nodes.append({"date": d["consign_time"], "index": 3, "text": "卖家发货"} if d["consign_time"]
                 else {"index": 3, "text": "卖家发货"})
    nodes.append({"index": 4, "text": "确认收货"})
    out = {
        "traceId": secrets.token_hex(15),
        "deliveryInfo": {"sellerNick": rec["seller"]["nick"], "tspInfo": {}, "address": address_line(d),
                         "privacytPhoneHasExpired": 0, "showTSP": False, "arriveTime": "",
                         "logisticsName": d["logistics_name"], "usePrivacytPhone": 0,
                         "showLogistics": has_logistics, "shipType": d["ship_type"],
                         "logisticsNum": d["logistics_num"],
                         "asyncLogisticsUrl": f"//detail.i56.taobao.com/call/queryTrace.do?dimension=TRADE_ID&tradeId={oid}"},
        "mainOrder": {
            "seller": {"nick": rec["seller"]["nick"], "opeanSearch": False, "wangwangType": "wangwang", "mail": "q***",
                       "shopDisable": False, "id": rec["seller"]["id"], "guestUser": False, "alipayAccount": "q***",
                       "notShowSellerInfo": False, "alertStyle": 0},
            "statusInfo": {"text": STATUS_SENTENCE[code], "type": "t0"},
            "bizCode": "ali.china.taobao", "columns": ["宝贝", "宝贝属性", "状态", "服务", "数量/单价"],
            "subOrders": subs, "operations": [], "wirelessOrderInfo": {"showConsignTime": bool(d["consign_time"])},
            "extra": {"unionTitle": True, "inHold": False, "isShowSellerService": False},
            "tradeStatus": code, "orderInfo": {"lines": [{"type": "line", "content": []},
                                                         {"type": "line", "content": lines}], "type": "group"},
            "id": oid,
            "payInfo": {"showPayDetail": False,
                        "feeMess": [{"visible": "SOLID", "name": "商品总价", "value": f"￥{goods // 100}.{goods % 100:02d}"},
                                    {"visible": "SOLID", "name": "运费", "value": "￥" + rec["post_fee"]}],
                        "cod": False, "sendPromotions": [],
                        "actualFee": {"visible": "SOLID", "highLight": True, "name": "实付款", "value": "￥" + rec["actual_fee"]},
                        "fullPromotion": {"valid": False}},
            "presentOrder": False},
        "orderBar": {"nodes": nodes, "currentStepIndex": 0,
                     "currentIndex": 4 if code == "TRADE_FINISHED" else 3 if d["consign_time"] else 2 if rec["pay_time"] else 1},
        "crumbs": [{"text": "首页", "url": "//www.taobao.com"},
                   {"text": "我的淘宝", "url": "//i.taobao.com/myTaobao.htm"},
                   {"text": "已买到的宝贝", "url": f"//{LIST_HOST}{LIST_PATH}"}],
        "operationsGuide": [],
        "customService": {"display": "orangeText", "type": "line", "content": [{"type": "text", "value": "有疑问可咨询:人工客服"}]},
        "detailExtra": {"op": False, "ccc": False, "sellerMemoInfo": {"flagPic": "", "flagId": 0}, "refundByTb": False,
                        "inRefund": any(it.get("refund") == "退款中" for it in rec["items"]),
                        "enableTmallhkTaxDetail": False, "b2c": False, "tradeEnd": code in ("TRADE_FINISHED", "TRADE_CLOSED"),
                        "outShopOrder": False, "wakeupOrder": False, "success": code == "TRADE_FINISHED",
                        "newSellerMemo": True, "viewed_flag": False},
    }
    if rec["buy_message"]:
        out["buyMessage"] = rec["buy_message"]  # evidence: top-level in the sample. GUESS: absent when empty
    return out


def js_string_json(value) -> str:
    """The page's way of inlining JSON: `JSON.parse('…')` whose literal escapes `"` as `\\"`, `/` as `\\/`
    and every non-ASCII character as an upper-case `\\uXXXX` (evidence: the 2025 sample pages)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "'":
            out.append("\\'")
        elif ch == "/":
            out.append("\\/")
        elif ch == "<":
            out.append("\\u003C")
        elif ord(ch) > 126:
            out.append("".join(f"\\u{u:04X}" for u in _utf16(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _utf16(ch: str) -> list[int]:
    code = ord(ch)
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


def _gbk_page(text: str) -> Reply:
    # Evidence: both pages declare <meta charset="gbk"> (the 2025 samples). Characters outside GBK
    # (none in the templates) would become character references.
    return Reply(200, text.encode("gbk", errors="xmlcharrefreplace"), "text/html;charset=GBK")


# ---------------------------------------------------------------- the replica

BUILD_2026 = {"layout": "2026", "salt": "tp-bought-2026.11", "changed": False}


@register_layout
class TaobaoBuyer2026(Site):
    site_id = SITE_ID
    layout = "2026"
    subfolder = "2026"
    hosts = (LIST_HOST, DETAIL_HOST)
    main_url = LIST_URL
    build = BUILD_2026

    def load_dataset(self) -> dict:
        return load_data(FOLDER)

    def fresh_state(self) -> dict:
        return {"listRequests": [], "detailViews": []}

    def handle(self, method, path, query, body, headers) -> Reply:
        host = (headers.get("Host") or "").split(":")[0].lower()
        q = {k: v[0] for k, v in query.items()}
        if method == "GET" and path.startswith("/__replica/assets/"):
            name = path.rsplit("/", 1)[-1]
            return _file(FOLDER / name) if name.endswith(".js") else Reply(404)
        if host in (LIST_HOST, DETAIL_HOST) and method == "GET" and path == DETAIL_PATH:
            return self._detail_page(q.get("biz_order_id", ""))
        if host == DETAIL_HOST:
            # shared with taobao-seller: anything else on this host is not ours
            return Reply(404, {"error": f"no taobao-buyer route {method} {path}"})
        if host == LIST_HOST:
            if method == "GET" and path == LIST_PATH:
                return self._list_page(q)
            if method == "POST" and path == ASYNC_PATH:
                return self._async(q, body)
            if method == "GET" and path == ITEM_DETAIL_PATH:
                # GUESS: the list's 订单详情 link (evidenced URL) redirects to the detail page scripts open.
                oid = q.get("bizOrderId", "")
                return Reply(302, b"", "text/html; charset=utf-8", {"Location": detail_url(oid)})
        return super().handle(method, path, query, body, headers)

    # -- list
    def _orders_of(self, tab: str) -> list[dict]:
        statuses = TAB_CODES.get(tab)
        return [o for o in self.data["orders"] if statuses is None or o["status"] in statuses]

    def list_json(self, tab: str, page: int) -> dict:
        """The list JSON for a tab and page (the 2026-changed layout adds keys here)."""
        return list_reply(self._orders_of(tab), self.data["orders"], tab, page, PAGE_SIZE)

    def _list_page(self, q: dict) -> Reply:
        tab = q.get("tabCode", "all") if q.get("tabCode", "all") in TAB_CODES else "all"
        with self.lock:
            data = self.list_json(tab, 1)
            self.st["listRequests"].append({"via": "page", "tab": tab, "pageNum": 1})
        text = (FOLDER / "list_bought_items.html").read_text(encoding="utf-8")
        text = text.replace("/*__BUILD__*/", f"window.__TB_BOUGHT__ = {json.dumps(self.build)};")
        text = text.replace("/*__DATA__*/", f"var data = JSON.parse('{js_string_json(data)}');")
        return _gbk_page(text)

    def _async(self, q: dict, body: bytes) -> Reply:
        # Evidence (DF-wu dffetch.js, 2025): POST, form-encoded, `action=itemlist/BoughtQueryAction&
        # event_submit_do_query=1&_input_charset=utf8` in the URL, body with pageNum, pageSize=50, prePageNo,
        # orderStatus, … ; the answer is the same JSON as the inline page 1. GUESS: `tabCode` in the body
        # selects the tab; unknown action -> an error JSON.
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if q.get("action") != "itemlist/BoughtQueryAction" or q.get("event_submit_do_query") != "1":
            return Reply(200, {"error": "参数错误"})
        tab = form.get("tabCode") or "all"
        tab = tab if tab in TAB_CODES else "all"
        page = _int(form.get("pageNum"), 1, 1, 10**6)
        self.latency()
        with self.lock:
            self.st["listRequests"].append({"via": "async", "tab": tab, "pageNum": page,
                                            "pageSize": form.get("pageSize"), "prePageNo": form.get("prePageNo")})
            data = self.list_json(tab, page)
        return Reply(200, data, "application/json;charset=UTF-8")

    # -- detail
    def detail_data(self, rec: dict) -> dict:
        """The detail's inline JSON (the 2026-changed layout renames a field here)."""
        return detail_json(rec)

    def _detail_page(self, oid: str) -> Reply:
        with self.lock:
            rec = next((o for o in self.data["orders"] if o["id"] == oid), None)
            self.st["detailViews"].append(oid)
            data = self.detail_data(rec) if rec else None
        text = (FOLDER / "trade_order_detail.html").read_text(encoding="utf-8")
        text = text.replace("/*__BUILD__*/", f"window.__TB_DETAIL__ = {json.dumps(self.build)};")
        # GUESS: an unknown order id gives `var data = null` and the text 订单不存在.
        text = text.replace("/*__DATA__*/", f"var data = JSON.parse('{js_string_json(data)}');")
        return _gbk_page(text)


# ---------------------------------------------------------------- the redesigned pages

CHANGES = [
    {"id": "class-hashes", "where": "dom", "expect": "survive",
     "what": "every CSS-module class of the list renamed (another build hash)"},
    {"id": "pager-library", "where": "dom", "expect": "survive",
     "what": "the pager is Alibaba Fusion's (next-pagination, buttons .next-prev/.next-next, current page "
             "button.next-current) instead of antd's (ul.ant-pagination, li.ant-pagination-next, "
             ".ant-pagination-item-active); the notice dialog is a next-dialog instead of an ant-modal"},
    {"id": "column-moved", "where": "dom", "expect": "survive",
     "what": "the 交易状态 column now comes before 实付款 (header and order cells alike)"},
    {"id": "head-label", "where": "dom", "expect": "survive",
     "what": "the order head reads '订单编号: <id>' instead of '订单号: <id>'"},
    {"id": "detail-labels", "where": "dom", "expect": "survive",
     "what": "the detail page's logistics rows read 快递公司： and 快递单号： instead of 物流公司： and 运单号："},
    {"id": "reply-extra-fields", "where": "reply", "expect": "survive",
     "what": "mainOrders[] gain keys (bizTags, presaleInfo) and the list JSON a top-level key (abTest)"},
    {"id": "detail-number-renamed", "where": "reply", "expect": "report",
     "what": "the detail's inline JSON renames deliveryInfo.logisticsNum -> deliveryInfo.mailNo "
             "(logisticsName stays). Reading the inline JSON alone, a shipped order has a courier and no "
             "known number field: report 'page changed', never a package without a number. The DOM still "
             "shows the number after 快递单号："},
]

BUILD_CHANGED = {"layout": "2026-changed", "salt": "tp-bought-2026.12", "changed": True}


def _main_order_changed(rec: dict) -> dict:
    out = main_order(rec)
    out["bizTags"] = ["tb"]                                   # reply-extra-fields
    out["presaleInfo"] = None
    return out


@register_layout
class TaobaoBuyer2026Changed(TaobaoBuyer2026):
    layout = "2026-changed"
    subfolder = "2026-changed"
    build = BUILD_CHANGED
    CHANGES = CHANGES

    def list_json(self, tab: str, page: int) -> dict:
        out = list_reply(self._orders_of(tab), self.data["orders"], tab, page, PAGE_SIZE, main=_main_order_changed)
        out["abTest"] = {"boughtListV3": "B"}                   # reply-extra-fields
        return out

    def detail_data(self, rec: dict) -> dict:
        out = super().detail_data(rec)
        out["deliveryInfo"]["mailNo"] = out["deliveryInfo"].pop("logisticsNum")   # detail-number-renamed
        return out


def parse_inline(html_text: str) -> dict | None:
    """Reads `var data = JSON.parse('…')` out of a page the way a script would (for tests)."""
    m = re.search(r"var data = JSON\.parse\('(.*?)'\);", html_text, re.S)
    if not m:
        return None
    return json.loads(_unescape_js(m.group(1)))


def _unescape_js(literal: str) -> str:
    out, i = [], 0
    while i < len(literal):
        ch = literal[i]
        if ch == "\\" and i + 1 < len(literal):
            nxt = literal[i + 1]
            if nxt == "u":
                out.append(chr(int(literal[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    text = "".join(out)
    # join surrogate pairs written as two \\u escapes
    return text.encode("utf-16", "surrogatepass").decode("utf-16")


if __name__ == "__main__":
    write_expected()
    print("wrote", FOLDER / "expected-extract.json", "and", FOLDER_CHANGED / "expected-extract.json")
