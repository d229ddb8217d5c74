"""What the review pages show instead of internal codes: words for site ids, statuses, check
codes, event kinds and fill results; Beijing time for every timestamp; one sentence per event.

Every name is a `(zh, en)` pair; `word(table, key, lang)` picks one and falls back to the key
itself, so a code added later still shows (as its code) rather than breaking a page.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{2,40}:\s*")   # "one_number_per_order: 该订单…"
_BILINGUAL = re.compile(r"\s?/ (?=[A-Za-z0-9'\"(])")   # "中文 / English", "（默认 500）/ Kdniao…"
BEIJING = timezone(timedelta(hours=8), "北京时间")

SITES = {
    "pdd-seller": ("拼多多商家后台", "Pinduoduo seller backend"),
    "taobao-seller": ("淘宝/天猫千牛", "Taobao / Tmall seller"),
    "douyin-seller": ("抖店", "Douyin shop"),
    "kuaishou-seller": ("快手小店", "Kuaishou shop"),
    "jd-seller": ("京东商家", "JD seller"),
    "xhs-seller": ("小红书商家", "Xiaohongshu seller"),
    "wechat-seller": ("微信小店", "WeChat shop"),
    "alibaba-buyer": ("1688 采购", "1688 purchases"),
    "pdd-buyer": ("拼多多采购", "Pinduoduo purchases"),
    "taobao-buyer": ("淘宝采购", "Taobao purchases"),
    "aliexpress-buyer": ("速卖通采购", "AliExpress purchases"),
}

SHIPMENT_STATUS = {
    "ready": ("可填写", "Ready to fill"),
    "review": ("待人工确认", "Needs review"),
    "blocked": ("已阻止", "Blocked"),
}

LEVELS = {
    "ok": ("通过", "OK"),
    "warn": ("提醒", "Note"),
    "review": ("需确认", "Review"),
    "block": ("阻止", "Block"),
}

FILL_RESULTS = {
    "filled": ("已填写", "Filled"),
    "failed": ("填写失败", "Fill failed"),
    "skipped": ("已跳过", "Skipped"),
}

MATCH_METHODS = {
    "explicit": ("手动关联", "linked by hand"),
    "remark": ("备注里的订单号", "order id in the remark"),
    "buyer": ("收货人相同", "same recipient"),
    "ambiguous": ("有多个可能的订单", "several possible orders"),
}

# The platforms show their own status texts (Chinese); English for the common ones.
ORDER_STATUS_EN = {
    "待发货": "Awaiting shipment", "等待发货": "Awaiting shipment", "买家已付款": "Paid",
    "待发货(部分)": "Partly shipped", "已发货": "Shipped", "待收货": "In transit", "已签收": "Delivered",
    "已收货": "Received", "交易成功": "Completed", "已完成": "Completed", "已取消": "Cancelled",
    "交易关闭": "Closed", "退款中": "Refund in progress", "售后中": "After-sales", "待付款": "Awaiting payment",
}
PENDING = ("待发货", "等待发货", "买家已付款", "待发货(部分)")
DONE = ("已发货", "待收货", "已签收", "已收货", "交易成功", "已完成")
CLOSED = ("已取消", "交易关闭", "退款中", "售后中")

CHECKS = {
    # the number and its courier
    "no_tracking": ("没有运单号", "No tracking number"),
    "not_a_tracking_number": ("不是运单号", "Not a tracking number"),
    "invalid_format": ("校验位错误", "Check digit wrong"),
    "format_unrecognised": ("单号格式无法识别", "Unrecognised number format"),
    "sci_notation": ("单号被表格改成科学计数法", "Number mangled into scientific notation"),
    "tracking_part_rejected": ("单号有不可用的部分", "Part of the number rejected"),
    "courier_identified": ("已识别快递公司", "Courier identified"),
    "courier_text_unknown": ("供应商写的快递公司不认识", "Supplier's courier text unknown"),
    "courier_format_unusual": ("单号格式少见", "Unusual number format"),
    "courier_format_confirmed": ("物流轨迹证实了单号", "Trace confirms the number"),
    "courier_option_ambiguous": ("表单里有多个选项都是这家快递", "Several form options are this courier"),
    "courier_conflict": ("快递公司与单号不符", "Courier and number disagree"),
    "courier_ambiguous": ("快递公司不确定", "Courier uncertain"),
    "courier_successor": ("快递公司已更名", "Courier renamed"),
    "courier_not_offered": ("发货表单里没有这家快递", "Courier not offered by the form"),
    "platform_unknown": ("未知的销售平台", "Unknown selling platform"),
    "platform_code_unknown": ("平台物流编码未知", "Platform courier code unknown"),
    # the order and its buyer
    "address_match": ("地址一致", "Address matches"),
    "address_mismatch": ("收货地址不一致", "Address differs"),
    "address_detail_differs": ("详细地址略有不同", "Street detail differs"),
    "address_unknown": ("无法核对地址", "Address not comparable"),
    "phone_tail": ("手机尾号", "Phone tail"),
    "already_shipped": ("订单已发货", "Order already shipped"),
    "order_has_other_number": ("订单已有别的单号", "Order has another number"),
    "number_reused": ("单号已用于别的订单", "Number used on another order"),
    "number_reused_kept": ("单号重复（已保留）", "Number reused (kept)"),
    "number_reused_same_buyer": ("同一买家的多个订单共用单号", "Number shared by one buyer's orders"),
    "number_reused_unknown_buyer": ("单号重复，买家未知", "Number reused, buyer unknown"),
    "pieces": ("多件包裹", "Several parcels"),
    "ship_by_passed": ("已过承诺发货时间", "Ship-by time passed"),
    "ship_by_soon": ("即将到承诺发货时间", "Ship-by time close"),
    # the real trace
    "trace_not_checked": ("未核对物流轨迹", "Trace not checked"),
    "trace_pending": ("轨迹查询中", "Trace being checked"),
    "trace_unavailable": ("暂时查不到轨迹", "Trace unavailable"),
    "no_pickup": ("还没有揽收", "No pickup scan yet"),
    "picked_up": ("已揽收", "Picked up"),
    "delivered": ("已签收", "Delivered"),
    "signed_by_other": ("他人代签", "Signed by someone else"),
    "returned": ("包裹退回", "Parcel returned"),
    "trace_problem": ("疑难件 / 派送异常", "Delivery problem"),
    "transfer": ("转运到其他快递", "Handed to another courier"),
    "number_replaced": ("已改用末程单号", "Switched to last-mile number"),
    "destination_match": ("目的地一致", "Destination matches"),
    "destination_mismatch": ("目的地与买家地址不符", "Destination differs from buyer"),
    "no_update_after_upload": ("上传后没有新轨迹", "No update after upload"),
    "stall_after_first_event": ("揽收后停滞", "Stalled after first scan"),
    "stall_after_hub": ("中转后停滞", "Stalled after a hub"),
}

EVENT_KINDS = {
    "sales_order.created": ("新订单", "New order"),
    "sales_order.updated": ("订单有变化", "Order changed"),
    "sales_order.rejected": ("订单未保存", "Order not saved"),
    "purchase_order.created": ("新采购单", "New purchase order"),
    "purchase_order.updated": ("采购单有变化", "Purchase order changed"),
    "purchase_order.rejected": ("采购单未保存", "Purchase order not saved"),
    "purchase_order.matched": ("采购单已匹配", "Purchase order matched"),
    "purchase_order.match_ambiguous": ("采购单匹配不确定", "Purchase order match unclear"),
    "shipment.created": ("生成运单", "Shipment created"),
    "shipment.status_changed": ("运单状态变化", "Shipment status changed"),
    "shipment.number_replaced": ("改用末程单号", "Last-mile number used"),
    "fill.filled": ("已填写", "Filled"),
    "fill.failed": ("填写失败", "Fill failed"),
    "fill.skipped": ("跳过填写", "Fill skipped"),
    "page.changed": ("页面已改版", "Page changed"),
    "page.reply_changed": ("页面数据格式变化", "Page data changed"),
    "settings.changed": ("修改设置", "Settings changed"),
    "operator.added": ("添加操作员", "Operator added"),
    "operator.revoked": ("停用操作员", "Operator revoked"),
    "retention.masked": ("买家信息到期脱敏", "Buyer data masked (retention)"),
}
KIND_GROUPS = {
    "sales_order": ("销售订单", "Sales orders"),
    "purchase_order": ("采购单", "Purchase orders"),
    "shipment": ("运单", "Shipments"),
    "fill": ("填写", "Filling"),
    "page": ("页面改版", "Page changes"),
    "settings": ("设置", "Settings"),
}

FIELDS = {
    "status": ("状态", "status"), "buyer": ("收货人", "recipient"), "ship_to": ("收货人", "recipient"),
    "name": ("姓名", "name"), "phone": ("电话", "phone"), "address": ("地址", "address"),
    "province": ("省", "province"), "city": ("市", "city"), "district": ("区", "district"),
    "detail": ("详细地址", "street"), "ship_by": ("承诺发货", "ship by"), "created_at": ("下单时间", "ordered"),
    "items": ("商品", "items"), "amount": ("金额", "amount"), "remark": ("备注", "remark"), "shop": ("店铺", "shop"),
    "supplier": ("供应商", "supplier"), "packages": ("包裹", "parcels"), "url": ("链接", "link"),
    "title": ("商品", "item"), "sku": ("规格", "SKU"), "quantity": ("数量", "qty"), "price": ("单价", "price"),
    "courier_text": ("快递", "courier"), "tracking": ("运单号", "number"),
}


def word(table: dict, key, lang: str = "zh") -> str:
    if key is None or key == "":
        return ""
    pair = table.get(key)
    if pair is None:
        return str(key)
    return pair[1] if lang == "en" else pair[0]


def site_name(site, lang="zh") -> str:
    return word(SITES, site, lang)


def order_status(status, lang="zh") -> str:
    if not status:
        return ""
    if lang == "en":
        return ORDER_STATUS_EN.get(status, status)
    return status


def order_status_tone(status) -> str:
    """A badge colour for a platform's order status text."""
    if status in PENDING:
        return "todo"
    if status in DONE:
        return "done"
    if status in CLOSED:
        return "closed"
    return "other"


def courier_name(courier_id, lang="zh") -> str:
    if not courier_id:
        return ""
    try:
        from .. import couriers

        c = couriers.get(courier_id)
        return c.name_en if lang == "en" else c.name_zh
    except Exception:   # an id this version does not know: show it as it is
        return str(courier_id)


def bilingual(text, lang="zh") -> str:
    """`"中文 / English"` (the helper's messages) → the part for `lang`; other text as it is."""
    if not isinstance(text, str):
        return "" if text is None else str(text)
    parts = _BILINGUAL.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[1].strip() if lang == "en" else parts[0].strip()
    return text


def message(msg, lang="zh") -> str:
    """A check's `{"zh", "en"}` message."""
    if isinstance(msg, dict):
        return (msg.get("en") if lang == "en" else msg.get("zh")) or msg.get("zh") or msg.get("en") or ""
    return bilingual(msg, lang)


# ------------------------------------------------------------------ time

def parse_time(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        try:
            dt = datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
    if dt.tzinfo is None:        # the platforms' own times are Beijing time
        dt = dt.replace(tzinfo=BEIJING)
    return dt.astimezone(BEIJING)


def beijing(value, seconds: bool = False) -> str:
    """Any stored time (UTC, +08:00, naive) as Beijing time, `2026-11-25 09:12`; text that is
    not a time is shown as it is."""
    dt = parse_time(value)
    if dt is None:
        return "" if value is None else str(value)
    return dt.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def beijing_iso(value) -> str:
    dt = parse_time(value)
    return dt.isoformat(timespec="seconds") if dt else ""


# ------------------------------------------------------------------ plain text of values

def plain(value, lang="zh", limit: int = 160) -> str:
    """A value as a reader would write it: no braces, no quotes."""
    text = _plain(value, lang)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _plain(value, lang) -> str:
    if value is None or value == "":
        return "（空）" if lang != "en" else "(empty)"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang != "en" else ("yes" if value else "no")
    if isinstance(value, str):
        return beijing(value) if _looks_like_time(value) else value
    if isinstance(value, dict):
        if set(value) <= {"province", "city", "district", "detail"}:
            return " ".join(str(value.get(k) or "") for k in ("province", "city", "district", "detail")).strip()
        parts = [f"{word(FIELDS, k, lang)} {_plain(v, lang)}" for k, v in value.items() if v not in (None, "", [], {})]
        return "，".join(parts) if lang != "en" else ", ".join(parts)
    if isinstance(value, list):
        return ("；" if lang != "en" else "; ").join(_plain(v, lang) for v in value) or ("无" if lang != "en" else "none")
    return str(value)


def _looks_like_time(text: str) -> bool:
    return len(text) >= 16 and text[4:5] == "-" and text[7:8] == "-" and text[10:11] in ("T", " ") and parse_time(text) is not None


def changes(changed: dict, lang="zh") -> list[str]:
    """`{"field": [old, new]}` → ["状态 待发货 → 已发货", "收货人电话 138****5678 → 139****5678"]."""
    out = []
    for key, pair in (changed or {}).items():
        if not (isinstance(pair, list) and len(pair) == 2):
            out.append(f"{word(FIELDS, key, lang)} {plain(pair, lang)}")
            continue
        old, new = pair
        if isinstance(old, dict) and isinstance(new, dict):
            sub = {k: [old.get(k), new.get(k)] for k in {**old, **new} if old.get(k) != new.get(k)}
            label = word(FIELDS, key, lang)
            for line in changes(sub, lang):
                out.append(f"{label}{'' if lang != 'en' else ' '}{line}")
            continue
        out.append(f"{word(FIELDS, key, lang)} {plain(old, lang, 60)} → {plain(new, lang, 60)}")
    return out


# ------------------------------------------------------------------ events as sentences

def event_kind(kind, lang="zh") -> str:
    return word(EVENT_KINDS, kind, lang)


def event_tone(kind: str) -> str:
    if kind in ("fill.failed", "page.changed", "sales_order.rejected", "purchase_order.rejected"):
        return "bad"
    if kind in ("purchase_order.match_ambiguous", "fill.skipped", "page.reply_changed"):
        return "warn"
    if kind in ("fill.filled", "purchase_order.matched"):
        return "good"
    return "info"


def event_sentence(e: dict, lang: str = "zh") -> str:
    """One event as a sentence a seller reads ("已填写运单号 YT…（圆通速递），并已确认发货")."""
    kind, data = e.get("kind") or "", e.get("data") or {}
    en = lang == "en"
    sep = "; " if en else "；"

    def st(status):
        return word(SHIPMENT_STATUS, status, lang)

    if kind in ("sales_order.created", "purchase_order.created"):
        what = ("New order" if kind.startswith("sales") else "New purchase order") if en else \
            ("同步到新订单" if kind.startswith("sales") else "同步到新采购单")
        status = data.get("status")
        if status:
            return f"{what} (status: {order_status(status, lang)})" if en else f"{what}（状态：{status}）"
        return what
    if kind in ("sales_order.updated", "purchase_order.updated"):
        lines = changes(data.get("changed") or {}, lang)
        head = ("Order changed" if kind.startswith("sales") else "Purchase order changed") if en else \
            ("订单信息有变化" if kind.startswith("sales") else "采购单信息有变化")
        return (f"{head}: " if en else f"{head}：") + sep.join(lines) if lines else head
    if kind.endswith(".rejected"):
        field, msg = data.get("field") or "", bilingual(data.get("message") or "", lang)
        return (f"Not saved: {field} {msg}".strip() if en else f"未保存：{field} {msg}".strip())
    if kind == "purchase_order.matched":
        method = word(MATCH_METHODS, data.get("method"), lang)
        target = data.get("sales_order_id") or ""
        return (f"Matched to sales order {target} ({method})" if en
                else f"已匹配到销售订单 {target}（依据：{method}）")
    if kind == "purchase_order.match_ambiguous":
        return ("Several sales orders could own this purchase: link it by hand" if en
                else "有多个订单可能对应这张采购单，请手动关联")
    if kind == "shipment.created":
        courier = courier_name(data.get("courier"), lang) or ("courier unknown" if en else "快递未识别")
        number = data.get("number") or ("no number" if en else "无单号")
        text = (f"Shipment {number} ({courier}) created: {st(data.get('status'))}" if en
                else f"生成运单 {number}（{courier}），状态：{st(data.get('status'))}")
        reasons = [word(CHECKS, c, lang) for c in data.get("reasons") or []]
        if reasons:
            text += (f" — {', '.join(reasons)}" if en else f"，原因：{'、'.join(reasons)}")
        return text
    if kind == "shipment.status_changed":
        number = data.get("number") or ""
        text = (f"Shipment {number} went from {st(data.get('from'))} to {st(data.get('status'))}".replace("  ", " ") if en
                else f"运单 {number} 状态：{st(data.get('from'))} → {st(data.get('status'))}".replace("  ", " "))
        reasons = [word(CHECKS, c, lang) for c in data.get("reasons") or []]
        if reasons:
            text += (f" — {', '.join(reasons)}" if en else f"，原因：{'、'.join(reasons)}")
        return text
    if kind == "shipment.number_replaced":
        return (f"Number {data.get('from')} continues as {data.get('to')} ({courier_name(data.get('courier'), lang)}): "
                f"using the last-mile number" if en else
                f"首程单号 {data.get('from')} 已转为 {data.get('to')}（{courier_name(data.get('courier'), lang)}），改用末程单号")
    if kind.startswith("fill."):
        result = kind.split(".", 1)[1]
        number, option = data.get("number"), data.get("option")
        # A fill reason is "code: 中文 / English" (the extension's); the sentence shows the words only.
        reason = bilingual(_REASON_CODE.sub("", data.get("reason") or "", count=1), lang)
        if result == "filled":
            if number:
                text = (f"Filled number {number}" + (f" ({option})" if option else "") if en
                        else f"已填写运单号 {number}" + (f"（{option}）" if option else ""))
            else:
                text = "Filled the ship form" if en else "已填写发货表单"
            if data.get("submitted"):
                text += ", shipment confirmed" if en else "，并已确认发货"
            return text
        if result == "failed":
            return f"Fill failed: {reason}" if en else f"填写失败：{reason}"
        if result == "skipped":
            return (f"Skipped: {reason}" if en else f"跳过填写：{reason}") if reason else ("Skipped" if en else "跳过填写")
    if kind in ("page.changed", "page.reply_changed"):
        msg = bilingual(data.get("message") or "", lang)
        if kind == "page.changed":
            if en:
                return f"The page has changed: {msg}" if msg else "The page has changed"
            return msg if msg.startswith("页面已改版") else f"页面已改版：{msg}"
        return (f"The page's data changed shape; read the page text instead: {msg}" if en
                else f"页面数据格式变了，已改为读取页面文字：{msg}")
    if kind == "settings.changed":
        names = ", ".join(data.get("names") or [])
        return f"Changed settings: {names}" if en else f"修改了设置：{names}"
    return f"{event_kind(kind, lang)}: {plain(data, lang)}" if en else f"{event_kind(kind, lang)}：{plain(data, lang)}"


# ------------------------------------------------------------------ where an order stands (helper/order_status.py)

ORDER_STATES = {
    "to_purchase": ("待采购", "To purchase"),
    "purchased": ("已采购", "Purchased"),
    "supplier_shipped": ("供应商已发货", "Supplier shipped"),
    "ready": ("可填写", "Ready to fill"),
    "review": ("需确认", "Needs review"),
    "blocked": ("已拦截", "Blocked"),
    "filled": ("已填写", "Filled"),
    "uploaded": ("已上传", "Uploaded"),
    "delivered": ("已签收", "Delivered"),
    "cancelled": ("已取消", "Cancelled"),
    "after_sale": ("售后", "After-sales"),
}
# The badge colour of each status (classes of static/style.css).
ORDER_STATE_BADGE = {
    "to_purchase": "badge-order-todo", "purchased": "badge-order-todo", "supplier_shipped": "badge-order-todo",
    "ready": "badge-ready", "review": "badge-review", "blocked": "badge-blocked", "filled": "badge-fill-filled",
    "uploaded": "badge-done", "delivered": "badge-done", "cancelled": "badge-order-closed", "after_sale": "badge-review",
}
DEADLINE_VIEWS = {
    "soon": ("即将超时", "Due soon"),
    "overdue": ("已超时", "Overdue"),
    "24h": ("24 小时内到期", "Due within 24 h"),
}
LOST_KINDS = {
    "no_number": ("采购单迟迟没有单号", "Purchase still without a number"),
    "unlinked": ("付款后迟迟未采购", "Paid, still not purchased"),
}
DUE_SOURCES = {
    "page": ("平台页面上的承诺发货时间", "the ship-by time the platform shows"),
    "default": ("平台默认发货时限（付款后计算）", "the platform's default window after payment"),
}


def order_state(code, lang="zh") -> str:
    """A derived status code (`to_purchase`…) as words."""
    return word(ORDER_STATES, code, lang)
