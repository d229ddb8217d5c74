"""Idempotent upserts of sales and purchase orders, keyed by (site, order_id).

The same page synced twice is one row and 'unchanged'; a changed field is an update and an
event listing what changed (masked). Everything the adapter sent is kept in `data`.
"""

from __future__ import annotations

import json
import re

from . import events, order_status
from .store import dumps, now_iso

_DIGITS = re.compile(r"\d")


def phone_tail(phone) -> str | None:
    """The last 4 visible digits: what a masked phone (138****0000) still tells."""
    if not isinstance(phone, str):
        return None
    m = re.search(r"(\d{4})\D*$", phone)
    return m.group(1) if m else None


def _address(person: dict | None) -> dict:
    if not isinstance(person, dict):
        return {}
    address = person.get("address")
    return address if isinstance(address, dict) else {}


def _sales_columns(order: dict) -> dict:
    buyer = order.get("buyer") if isinstance(order.get("buyer"), dict) else {}
    address = _address(buyer)
    return {
        "shop": order.get("shop"), "status": order.get("status"),
        "created_at": order.get("created_at"), "ship_by": order.get("ship_by"),
        "buyer_name": buyer.get("name"), "buyer_phone": buyer.get("phone"),
        "phone_tail": phone_tail(buyer.get("phone")),
        "province": address.get("province"), "city": address.get("city"), "district": address.get("district"),
        "amount": order.get("amount"), "remark": order.get("remark"), "url": order.get("url"),
    }


def _purchase_columns(order: dict) -> dict:
    ship_to = order.get("ship_to") if isinstance(order.get("ship_to"), dict) else {}
    address = _address(ship_to)
    return {
        "supplier": order.get("supplier"), "status": order.get("status"),
        "ship_name": ship_to.get("name"), "ship_phone": ship_to.get("phone"),
        "phone_tail": phone_tail(ship_to.get("phone")),
        "province": address.get("province"), "city": address.get("city"), "district": address.get("district"),
        "remark": order.get("remark"),
    }


def _changes(old: dict, new: dict) -> dict:
    keys = set(old) | set(new)
    return {k: [old.get(k), new.get(k)] for k in sorted(keys) if old.get(k) != new.get(k)}


def _upsert(db, table: str, kind: str, site: str, orders: list[dict], columns_of, operator) -> tuple[dict, list[dict]]:
    """One batch: the stored rows are read with one query per 500 ids, new rows and their
    events are written with one ``executemany`` each, in the order the page listed them."""
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    touched: list[dict] = []
    now = now_iso()
    existing = _stored(db, table, site, [o["order_id"] for o in orders])
    inserts: list[list] = []
    logged: list[tuple] = []     # events in page order, written after the rows
    names: list[str] | None = None
    for order in orders:
        oid = order["order_id"]
        if oid in existing and existing[oid] is None:   # the same id twice in one batch
            _flush(db, table, names, inserts)
            existing.update(_stored(db, table, site, [oid]))
        row = existing.get(oid)
        if row is not None:
            # A page shows part of an order (a supplier's list has no tracking number, its detail
            # page has): what this page did not send is kept, what it sent replaces the stored value.
            order = {**json.loads(row["data"]), **order}
        data = dumps(order)
        cols = columns_of(order)
        if row is None:
            names = names or ["site", "order_id", *cols, "data", "first_seen", "updated_at"]
            inserts.append([site, oid, *cols.values(), data, now, now])
            existing[oid] = None
            counts["inserted"] += 1
            logged.append((f"{kind}.created", oid, {"status": order.get("status")}))
            touched.append(order)
        elif row["data"] == data:
            counts["unchanged"] += 1
        else:
            sets = ", ".join(f"{k} = ?" for k in cols)
            db.execute(
                f"UPDATE {table} SET {sets}, data = ?, updated_at = ? WHERE id = ?",
                [*cols.values(), data, now, row["id"]],
            )
            existing[oid] = {"id": row["id"], "data": data}
            counts["updated"] += 1
            logged.append((f"{kind}.updated", oid, {"changed": _changes(json.loads(row["data"]), order)}))
            touched.append(order)
    _flush(db, table, names, inserts)
    events.record_many(db, [(k, site, oid, d) for k, oid, d in logged], operator=operator, at=now)
    return counts, touched


def _stored(db, table: str, site: str, order_ids: list[str]) -> dict:
    found: dict = {}
    for start in range(0, len(order_ids), 500):
        chunk = order_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in db.execute(f"SELECT id, order_id, data FROM {table} WHERE site = ? AND order_id IN ({marks})",
                            [site, *chunk]):
            found[r["order_id"]] = {"id": r["id"], "data": r["data"]}
    return found


def _flush(db, table: str, names, inserts: list[list]) -> None:
    if inserts:
        db.conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                            inserts)
        inserts.clear()


def upsert_sales_orders(db, site: str, orders: list[dict], operator=None):
    counts, touched = _upsert(db, "sales_orders", "sales_order", site, orders, _sales_columns, operator)
    order_status.refresh_sales(db, [(site, o["order_id"]) for o in touched])
    return counts, touched


def upsert_purchase_orders(db, site: str, orders: list[dict], operator=None):
    counts, touched = _upsert(db, "purchase_orders", "purchase_order", site, orders, _purchase_columns, operator)
    order_status.refresh_purchases(db, site, [o["order_id"] for o in touched])
    return counts, touched


def sales_order(db, site: str, order_id: str) -> dict | None:
    row = db.execute("SELECT * FROM sales_orders WHERE site = ? AND order_id = ?", [site, order_id]).fetchone()
    return _row_to_order(row)


def purchase_order(db, site: str, order_id: str) -> dict | None:
    row = db.execute("SELECT * FROM purchase_orders WHERE site = ? AND order_id = ?", [site, order_id]).fetchone()
    return _row_to_order(row)


def _row_to_order(row) -> dict | None:
    if row is None:
        return None
    order = json.loads(row["data"])
    order["site"] = row["site"]
    order["first_seen"] = row["first_seen"]
    order["updated_at"] = row["updated_at"]
    keys = row.keys()
    if "match_method" in keys:
        order["match"] = (
            {"site": row["sales_site"], "order_id": row["sales_order_id"],
             "method": row["match_method"], "score": row["match_score"]}
            if row["match_method"] else None
        )
    return order
