"""Turn the sales orders of a page into shipments: matched purchase orders → engine → stored.

The engine (`helper.convert`) is pure; this module feeds it what only the database knows
(which purchase orders belong to an order, where else a number was used) and keeps the
result, so that every decision can be reviewed later.
"""

from __future__ import annotations

import hashlib
import json

from . import events, match, order_status
from .convert import build_shipments, normalize_field

from .store import dumps, now_iso


def shipment_id(site: str, order_id: str, source_site: str, source_order_id: str, key: str) -> str:
    """Stable id: converting the same order again updates the same shipment, never a second one."""
    digest = hashlib.sha1(f"{site}|{order_id}|{source_site}|{source_order_id}|{key}".encode()).hexdigest()
    return "s_" + digest[:16]


def record_purchase_numbers(db, site: str, orders: list[dict]) -> None:
    """Index every tracking number a purchase order carries, so reuse is found across orders."""
    for order in orders:
        db.execute("DELETE FROM purchase_numbers WHERE site = ? AND order_id = ?", [site, order["order_id"]])
        for package in order.get("packages") or []:
            text = package.get("tracking") if isinstance(package, dict) else None
            if not text:
                continue
            for parsed in normalize_field(text).numbers:
                db.execute(
                    "INSERT OR IGNORE INTO purchase_numbers (number, site, order_id) VALUES (?, ?, ?)",
                    [parsed.number, site, order["order_id"]],
                )
    # A number arrived (or went): the purchase's 单号丢失 clock and its sales order's status.
    order_status.refresh_purchases(db, site, [order["order_id"] for order in orders])


def _uploaded(db, number: str, site: str, order_id: str, data: dict | None) -> bool:
    """Was this number already submitted to the platform for that order (a submitted fill
    result, or the order already shows it as its shipped number)?"""
    if data and data.get("shipped_number") and normalize_field(data["shipped_number"]).numbers \
            and normalize_field(data["shipped_number"]).numbers[0].number == number:
        return True
    return db.execute("SELECT 1 FROM shipments WHERE site = ? AND order_id = ? AND number = ? AND submitted = 1",
                      [site, order_id, number]).fetchone() is not None


def number_uses(db, number: str, site: str, order_id: str) -> list[dict]:
    """Other sales orders this number is already attached to (by shipment or by purchase order):
    ``[{"site", "order_id", "buyer", "uploaded"}]``, plus ``{"self": True, "uploaded": True}``
    when this order itself already uploaded it (that order keeps the number)."""
    uses: dict[tuple, dict] = {}
    rows = db.execute(
        "SELECT s.site, s.order_id, so.data FROM shipments s "
        "LEFT JOIN sales_orders so ON so.site = s.site AND so.order_id = s.order_id "
        "WHERE s.number = ? AND NOT (s.site = ? AND s.order_id = ?) "
        "UNION SELECT po.sales_site, po.sales_order_id, so.data FROM purchase_numbers pn "
        "JOIN purchase_orders po ON po.site = pn.site AND po.order_id = pn.order_id "
        "LEFT JOIN sales_orders so ON so.site = po.sales_site AND so.order_id = po.sales_order_id "
        "WHERE pn.number = ? AND po.sales_order_id IS NOT NULL AND po.match_method != 'ambiguous' "
        "AND NOT (po.sales_site = ? AND po.sales_order_id = ?)",
        [number, site, order_id, number, site, order_id],
    )
    for r in rows:
        data = json.loads(r[2]) if r[2] else {}
        uses[(r[0], r[1])] = {"site": r[0], "order_id": r[1], "buyer": data.get("buyer") or {},
                              "uploaded": _uploaded(db, number, r[0], r[1], data)}
    out = list(uses.values())
    if uses and _uploaded(db, number, site, order_id, None):
        out.append({"site": site, "order_id": order_id, "self": True, "uploaded": True})
    return out


def _store_shipment(db, shipment: dict, operator, stored: dict | None = None) -> None:
    """``stored``: the (status, data) rows of the page's shipments, read in one query."""
    now = now_iso()
    if stored is not None:
        row = stored.get(shipment["shipment_id"])
    else:
        row = db.execute("SELECT status, data FROM shipments WHERE shipment_id = ?", [shipment["shipment_id"]]).fetchone()
    data = dumps(shipment)
    courier = (shipment.get("courier") or {}).get("id")
    source = shipment.get("source") or {}
    if row is None:
        db.execute(
            "INSERT INTO shipments (shipment_id, site, order_id, number, courier_id, status, source_site, "
            "source_order_id, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [shipment["shipment_id"], shipment["site"], shipment["order_id"], shipment.get("number"), courier,
             shipment["status"], source.get("site"), source.get("order_id"), data, now, now],
        )
        events.record(db, "shipment.created", site=shipment["site"], order_id=shipment["order_id"], operator=operator,
                      data=_event_view(shipment), at=now)
    elif row["data"] != data:
        db.execute(
            "UPDATE shipments SET number = ?, courier_id = ?, status = ?, data = ?, updated_at = ? WHERE shipment_id = ?",
            [shipment.get("number"), courier, shipment["status"], data, now, shipment["shipment_id"]],
        )
        if row["status"] != shipment["status"]:
            events.record(db, "shipment.status_changed", site=shipment["site"], order_id=shipment["order_id"],
                          operator=operator, data={**_event_view(shipment), "from": row["status"]}, at=now)
    if stored is not None:   # the same order twice in one request sees what was just written
        stored[shipment["shipment_id"]] = {"status": shipment["status"], "data": data}


def _event_view(shipment: dict) -> dict:
    return {
        "shipment_id": shipment["shipment_id"], "number": shipment.get("number"),
        "courier": (shipment.get("courier") or {}).get("id"), "status": shipment["status"],
        "reasons": [c["code"] for c in shipment.get("checks", []) if c.get("level") in ("review", "block")],
    }


def convert_orders(db, site: str, order_ids: list[str], options: list[str] | None, operator=None,
                   verifier=None) -> dict:
    """Shipments for the orders of a page; `verifier` (helper.verify.Verifier) checks real traces
    within a time budget (the extension waits 8 s; the rest is refreshed in the background)."""
    deadline = verifier.clock() + verifier.sync_budget_s if verifier is not None else None
    shipments, unmatched, unknown = [], [], []
    sales_rows, purchases_of, stored = _page_rows(db, site, order_ids)
    for oid in order_ids:
        sales = sales_rows.get(oid)
        if sales is None:
            unknown.append(oid)
            continue
        sales_order = json.loads(sales)
        purchases = purchases_of.get(oid, [])
        if not purchases:
            unmatched.append(oid)
            continue
        for po in purchases:
            built = build_shipments(site, sales_order, po, options,
                                    lambda number, _oid=oid: number_uses(db, number, site, _oid))
            for index, shipment in enumerate(built):
                source = shipment.get("source") or {"site": po["site"], "order_id": po["order_id"]}
                key = shipment.get("number") or f"#{index}"
                shipment["shipment_id"] = shipment_id(site, oid, source["site"], source["order_id"], key)
            if verifier is not None:
                verifier.before_fill(db, built, sales_order, site, options, deadline)
            for shipment in built:
                trace = shipment.pop("_trace", None)
                # What filling already did to this shipment travels with it: the extension never
                # fills a shipment twice (a list that still says 待发货 after 确认发货 is common).
                before = stored.get(shipment["shipment_id"])
                _store_shipment(db, shipment, operator, stored)
                if before is not None and "fill_result" in before.keys() and before["fill_result"]:
                    shipment["fill"] = {"result": before["fill_result"], "submitted": bool(before["submitted"])}
                if trace is not None:
                    verifier.store(db, shipment, trace)
                shipments.append(shipment)
    order_status.refresh_sales(db, [(site, oid) for oid in order_ids if oid in sales_rows])
    return {"shipments": shipments, "unmatched": unmatched, "unknown": unknown}


def _page_rows(db, site: str, order_ids: list[str]) -> tuple[dict, dict, dict]:
    """What a page's conversion reads, three queries per 500 orders instead of three per order:
    sales data by id, matched purchase orders by sales id (as ``match.purchase_orders_for``),
    and the shipments already stored for these orders."""
    sales, purchases, stored = {}, {}, {}
    ids = list(dict.fromkeys(order_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in db.execute(f"SELECT order_id, data FROM sales_orders WHERE site = ? AND order_id IN ({marks})",
                            [site, *chunk]):
            sales[r[0]] = r[1]
        for r in db.execute(
            "SELECT sales_order_id, site, order_id, data, match_method, match_score FROM purchase_orders "
            f"WHERE sales_site = ? AND sales_order_id IN ({marks}) AND match_method != 'ambiguous' ORDER BY id",
            [site, *chunk],
        ):
            purchases.setdefault(r[0], []).append(match.purchase_order_from_row(r))
        for r in db.execute(f"SELECT shipment_id, status, data, fill_result, submitted FROM shipments "
                            f"WHERE site = ? AND order_id IN ({marks})", [site, *chunk]):
            stored[r[0]] = r
    return sales, purchases, stored


SHIPMENT_COLUMNS = "data, fill_result, submitted, updated_at, trace"


def shipment_from_row(row) -> dict:
    """A stored shipment as the API shows it: its data plus what filling did to it."""
    shipment = json.loads(row["data"])
    shipment["fill"] = {"result": row["fill_result"], "submitted": bool(row["submitted"])} if row["fill_result"] else None
    shipment["updated_at"] = row["updated_at"]
    return shipment


def get_shipment(db, sid: str) -> dict | None:
    row = db.execute(f"SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE shipment_id = ?", [sid]).fetchone()
    return shipment_from_row(row) if row else None
