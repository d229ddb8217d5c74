"""The event log: who did what, when, to which order. Data is masked before it is stored."""

from __future__ import annotations

import json

from .masking import mask
from .store import dumps, now_iso


def record(db, kind: str, *, site: str | None = None, order_id: str | None = None,
           data: dict | None = None, operator: str | None = None, at: str | None = None) -> int:
    cur = db.execute(
        "INSERT INTO events (at, operator, kind, site, order_id, data) VALUES (?, ?, ?, ?, ?, ?)",
        [at or now_iso(), operator, kind, site, order_id, dumps(mask(data or {}))],
    )
    return cur.lastrowid


def record_many(db, items, *, operator: str | None = None, at: str | None = None) -> None:
    """Several events at once, in the given order: ``items`` are (kind, site, order_id, data)."""
    at = at or now_iso()
    db.conn.executemany(
        "INSERT INTO events (at, operator, kind, site, order_id, data) VALUES (?, ?, ?, ?, ?, ?)",
        [(at, operator, kind, site, order_id, dumps(mask(data or {}))) for kind, site, order_id, data in items],
    )


def query(db, *, order_id=None, kind=None, site=None, since=None, after_id=None, limit=100) -> list[dict]:
    where, params = [], []
    if order_id:
        where.append("order_id = ?")
        params.append(order_id)
    if kind:
        # "sales_order" matches every sales_order.* kind; an exact kind matches itself.
        if "." in kind:
            where.append("kind = ?")
            params.append(kind)
        else:
            where.append("kind >= ? AND kind < ?")
            params += [kind + ".", kind + "/"]
    if site:
        where.append("site = ?")
        params.append(site)
    if since:
        where.append("at >= ?")
        params.append(since)
    if after_id is not None:
        where.append("id > ?")
        params.append(after_id)
    sql = "SELECT id, at, operator, kind, site, order_id, data FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return [
        {"id": r["id"], "at": r["at"], "operator": r["operator"], "kind": r["kind"],
         "site": r["site"], "order_id": r["order_id"], "data": json.loads(r["data"])}
        for r in db.execute(sql, params)
    ]
