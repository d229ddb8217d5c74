"""Where each sales order stands: one derived status, kept in `sales_orders.order_status`.

The status is derived from what is stored, never typed in, and recomputed in the same
transaction as every write that feeds it: orders synced (`orders.upsert_*`), purchase orders
linked or unlinked (`match._set_match`), their numbers indexed
(`conversion.record_purchase_numbers`), shipments built (`conversion.convert_orders`), fill
results (`fills.record`) and traces stored (`verify.Verifier.store`). Code that writes those
tables some other way calls `refresh_sales` / `refresh_purchases` itself, or `refresh_all`.

The statuses, first match wins (codes are stable; words in helper/web/words.py):

==================  ==========  ==========================================================
code                words       when
==================  ==========  ==========================================================
cancelled           已取消      the page's status says cancelled or closed (取消, 关闭, 未发货退款成功)
after_sale          售后        the page's status says refund / after-sale (售后, 退款, 退货, 换货,
                                维权, 纠纷), or the adapter passed after-sale info
                                (`after_sale`, `after_sales_status`, `refund_status`)
delivered           已签收      the page says delivered (已签收, 交易成功, 已完成…), or the order is
                                uploaded and the traces of its uploaded parcels all say delivered
uploaded            已上传      the page shows it shipped (已发货, 待收货…), or it carries a
                                `shipped_number`, or a shipment was confirmed (submitted)
filled              已填写      a shipment was filled on the page, not confirmed yet
blocked / review /  已拦截 /    the worst status of its shipments that carry a number (a
ready               需确认 /    shipment without a number only says "no number yet")
                    可填写
supplier_shipped    供应商已发货 a linked, live purchase order carries a tracking number
purchased           已采购      a purchase order is linked (live: not cancelled, not refunded)
to_purchase         待采购      no live purchase order is linked
==================  ==========  ==========================================================

Beside the status each order keeps `status_at` (when the status last changed), `paid_at`
(payment, else the page's order time, else first seen; empty while the page says unpaid),
`due_at` / `due_source` (helper/deadlines.py). Purchase orders keep `placed_at` and
`awaiting_number_since` (placed, paid, live and without a number: the 单号丢失 clock). Every
time is UTC text so that SQL compares them as strings (helper/deadlines.py).
"""

from __future__ import annotations

import json
import re

from . import clock
from .deadlines import ship_by, utc_iso

STATES = ("to_purchase", "purchased", "supplier_shipped", "ready", "review", "blocked", "filled",
          "uploaded", "delivered", "cancelled", "after_sale")
# Not on the platform yet: the orders the deadline views (即将超时 / 已超时) look at.
OPEN_STATES = ("to_purchase", "purchased", "supplier_shipped", "ready", "review", "blocked", "filled")

_CANCELLED = re.compile(r"取消|关闭|未发货\W*退款成功")
_AFTER_SALE = re.compile(r"售后|退款|退货|换货|维权|纠纷")
_DELIVERED = re.compile(r"已签收|已收货|交易成功|已完成|确认收货")
_SHIPPED = re.compile(r"已发货|待收货|运输中|配送中|派送中")
_UNPAID = re.compile(r"待付款|待支付|未付款|等待买家付款|待成团|拼团中")
_AFTER_SALE_KEYS = ("after_sale", "after_sales_status", "refund_status")
_NOTHING = (None, "", 0, "0", False, "无", "none", "NONE")
CHUNK = 400


def page_state(text) -> str | None:
    """What a platform's status text says: ``cancelled``, ``after_sale``, ``delivered``,
    ``shipped``, ``unpaid`` or None (paid, waiting to ship, or a text not known)."""
    if not isinstance(text, str) or not text:
        return None
    for name, rx in (("cancelled", _CANCELLED), ("after_sale", _AFTER_SALE), ("delivered", _DELIVERED),
                     ("shipped", _SHIPPED), ("unpaid", _UNPAID)):
        if rx.search(text):
            return name
    return None


def _after_sale_info(data: dict) -> bool:
    """The adapter passed on after-sale info (PDD's list reply carries `after_sales_status`)."""
    for key in _AFTER_SALE_KEYS:
        value = data.get(key)
        if isinstance(value, (dict, list)):
            if value:
                return True
        elif value not in _NOTHING:
            return True
    return False


def live_purchase(status) -> bool:
    """A purchase order still expected to deliver: not cancelled, closed or refunded."""
    return page_state(status) not in ("cancelled", "after_sale")


def derive(page_status, data: dict, purchases: list[dict], shipments: list[dict]) -> str:
    """The status code of one sales order (table in the module docstring).

    ``data``: the order as the adapter sent it; ``purchases``: the linked purchase orders as
    ``{"status": page text, "has_number": bool}``; ``shipments``: its shipments as
    ``{"status", "number", "fill_result", "submitted", "trace_status"}``."""
    said = page_state(page_status)
    if said == "cancelled":
        return "cancelled"
    if said == "after_sale" or _after_sale_info(data):
        return "after_sale"
    if said == "delivered":
        return "delivered"
    numbered = [s for s in shipments if s.get("number")]
    if said == "shipped" or data.get("shipped_number") or any(s.get("submitted") for s in shipments):
        traced = [s for s in numbered if s.get("trace_status")]
        relevant = [s for s in traced if s.get("submitted")] or traced
        if relevant and all(s["trace_status"] == "delivered" for s in relevant):
            return "delivered"
        return "uploaded"
    if any(s.get("fill_result") == "filled" for s in shipments):
        return "filled"
    statuses = {s.get("status") for s in numbered}
    for worst in ("blocked", "review", "ready"):
        if worst in statuses:
            return worst
    live = [p for p in purchases if live_purchase(p.get("status"))]
    if any(p.get("has_number") for p in live):
        return "supplier_shipped"
    return "purchased" if live else "to_purchase"


def sales_facts(site: str, row, purchases: list[dict], shipments: list[dict]) -> dict:
    """The derived columns of one `sales_orders` row (needs ``status``, ``data``, ``first_seen``):
    ``{"order_status", "paid_at", "due_at", "due_source"}``."""
    try:
        data = json.loads(row["data"])
    except (TypeError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    said = page_state(row["status"])
    page_paid = utc_iso(data.get("paid_at")) or utc_iso(data.get("created_at"))
    if said == "unpaid":
        paid = None
    else:
        paid = page_paid or utc_iso(row["first_seen"])
    due, source = ship_by(site, data, paid, bool(page_paid))
    return {"order_status": derive(row["status"], data, purchases, shipments), "paid_at": paid,
            "due_at": due, "due_source": source}


def _now_utc() -> str:
    return utc_iso(clock.now_dt())


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def refresh_sales(db, keys) -> int:
    """Recompute the derived columns of the sales orders ``keys`` ((site, order_id) pairs;
    unknown ones and None are skipped), inside the caller's transaction. Reads three queries
    per 400 orders and writes only the rows that changed; returns how many did."""
    by_site: dict[str, set] = {}
    for key in keys:
        if key and key[0] and key[1]:
            by_site.setdefault(key[0], set()).add(key[1])
    changed, now = 0, None
    for site, ids in by_site.items():
        for chunk in _chunks(sorted(ids)):
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                "SELECT id, order_id, status, data, first_seen, order_status, paid_at, due_at, due_source "
                f"FROM sales_orders WHERE site = ? AND order_id IN ({marks})", [site, *chunk]).fetchall()
            if not rows:
                continue
            purchases: dict[str, list] = {}
            for r in db.execute(
                "SELECT po.sales_order_id, po.status, EXISTS (SELECT 1 FROM purchase_numbers pn "
                "WHERE pn.site = po.site AND pn.order_id = po.order_id) FROM purchase_orders po "
                f"WHERE po.sales_site = ? AND po.sales_order_id IN ({marks}) AND po.match_method != 'ambiguous'",
                [site, *chunk],
            ):
                purchases.setdefault(r[0], []).append({"status": r[1], "has_number": bool(r[2])})
            shipments: dict[str, list] = {}
            for r in db.execute(
                "SELECT order_id, status, number, fill_result, submitted, trace_status FROM shipments "
                f"WHERE site = ? AND order_id IN ({marks})", [site, *chunk],
            ):
                shipments.setdefault(r[0], []).append(dict(r))
            for row in rows:
                facts = sales_facts(site, row, purchases.get(row["order_id"], []), shipments.get(row["order_id"], []))
                if all(row[k] == v for k, v in facts.items()):
                    continue
                now = now or _now_utc()
                moved = row["order_status"] != facts["order_status"]
                db.execute(
                    "UPDATE sales_orders SET order_status = ?, paid_at = ?, due_at = ?, due_source = ?, "
                    "status_at = CASE WHEN ? THEN ? ELSE status_at END WHERE id = ?",
                    [facts["order_status"], facts["paid_at"], facts["due_at"], facts["due_source"],
                     int(moved), now, row["id"]])
                changed += 1
    return changed


def purchase_facts(row, has_number: bool) -> dict:
    """The derived columns of one `purchase_orders` row (needs ``status``, ``data``,
    ``first_seen``): ``{"placed_at", "awaiting_number_since"}``. Placed: the page's
    ``paid_at`` / ``created_at``, else when the helper first saw it (1688's list shows no time,
    so the 单号丢失 clock may start late, never early)."""
    try:
        data = json.loads(row["data"])
    except (TypeError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    placed = utc_iso(data.get("paid_at")) or utc_iso(data.get("created_at")) or utc_iso(row["first_seen"])
    waiting = not has_number and page_state(row["status"]) not in ("cancelled", "after_sale", "unpaid")
    return {"placed_at": placed, "awaiting_number_since": placed if waiting else None}


def refresh_purchases(db, site: str, order_ids, and_sales: bool = True) -> int:
    """Recompute the purchase orders' derived columns, then (``and_sales``) the sales orders
    they are linked to (their number or their status may have changed). Returns the purchase
    rows changed."""
    changed, linked = 0, set()
    for chunk in _chunks(sorted({o for o in order_ids if o})):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            "SELECT po.id, po.status, po.data, po.first_seen, po.placed_at, po.awaiting_number_since, "
            "po.sales_site, po.sales_order_id, EXISTS (SELECT 1 FROM purchase_numbers pn "
            "WHERE pn.site = po.site AND pn.order_id = po.order_id) AS has_number "
            f"FROM purchase_orders po WHERE po.site = ? AND po.order_id IN ({marks})", [site, *chunk],
        ).fetchall():
            facts = purchase_facts(row, bool(row["has_number"]))
            if row["sales_order_id"]:
                linked.add((row["sales_site"], row["sales_order_id"]))
            if all(row[k] == v for k, v in facts.items()):
                continue
            db.execute("UPDATE purchase_orders SET placed_at = ?, awaiting_number_since = ? WHERE id = ?",
                       [facts["placed_at"], facts["awaiting_number_since"], row["id"]])
            changed += 1
    if and_sales:
        refresh_sales(db, linked)
    return changed


def refresh_all(db) -> None:
    """Every purchase order and sales order (the migration's backfill; after a bulk import)."""
    for (site,) in db.execute("SELECT DISTINCT site FROM purchase_orders").fetchall():
        ids = [r[0] for r in db.execute("SELECT order_id FROM purchase_orders WHERE site = ?", [site])]
        refresh_purchases(db, site, ids, and_sales=False)
    keys = [(r[0], r[1]) for r in db.execute("SELECT site, order_id FROM sales_orders")]
    refresh_sales(db, keys)
