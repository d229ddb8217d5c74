"""The event log: who did what, when, to which order. Data is masked before it is stored:
phones, names and street addresses by their keys (helper/masking.py), and, in free text (a
remark, a memo, a fill failure's reason), the clear name, phone and street of the people of
the order the event is about (the order's stored buyer or ship-to, and any person in the data,
such as both sides of a changed buyer), which no pattern would find."""

from __future__ import annotations

import json

from flask import g, has_request_context

from .masking import known_strings, mask, people_in, scrub_known
from .store import dumps, now_iso


def _who(operator: str | None) -> str | None:
    """The operator named by the caller, else, inside a request, the one its token stands for
    (``g.operator``, set by helper.security / the review-page sign-in): a write path that forgets
    to pass it is still attributed, and never to a name the caller chose."""
    if operator is None and has_request_context():
        return g.get("operator")
    return operator


FREE_TEXT = ("remark", "memo", "message", "note", "comment", "reason")
KEEP = frozenset({"number", "tracking", "order_id", "shipment_id", "sales_order_id", "courier", "option", "url",
                  "page_url", "amount", "price"})


def _has_free_text(value, key: str | None = None) -> bool:
    if isinstance(value, dict):
        return any(_has_free_text(v, k) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_free_text(v, key) for v in value)
    return isinstance(value, str) and bool(value) and key is not None and any(w in key.lower() for w in FREE_TEXT)


def _order_people(db, site, order_id) -> list[dict]:
    """The buyer / ship-to stored for (site, order_id), in whichever table holds it."""
    people = []
    for table, key in (("sales_orders", "buyer"), ("purchase_orders", "ship_to")):
        row = db.execute(f"SELECT data FROM {table} WHERE site = ? AND order_id = ?", [site, order_id]).fetchone()
        if row is not None:
            try:
                people.append(json.loads(row[0]).get(key))
            except (ValueError, AttributeError):
                pass
    return people


def _masked(db, site, order_id, data: dict | None) -> str:
    data = data or {}
    known: dict[str, str] = {}
    for person in people_in(data):
        known |= known_strings(person)
    if order_id and site and _has_free_text(data):
        for person in _order_people(db, site, order_id):
            known |= known_strings(person)
    return dumps(mask(scrub_known(data, known, KEEP)))


def record(db, kind: str, *, site: str | None = None, order_id: str | None = None,
           data: dict | None = None, operator: str | None = None, at: str | None = None) -> int:
    cur = db.execute(
        "INSERT INTO events (at, operator, kind, site, order_id, data) VALUES (?, ?, ?, ?, ?, ?)",
        [at or now_iso(), _who(operator), kind, site, order_id, _masked(db, site, order_id, data)],
    )
    return cur.lastrowid


def record_many(db, items, *, operator: str | None = None, at: str | None = None) -> None:
    """Several events at once, in the given order: ``items`` are (kind, site, order_id, data)."""
    at = at or now_iso()
    operator = _who(operator)
    db.conn.executemany(
        "INSERT INTO events (at, operator, kind, site, order_id, data) VALUES (?, ?, ?, ?, ?, ?)",
        [(at, operator, kind, site, order_id, _masked(db, site, order_id, data)) for kind, site, order_id, data in items],
    )


def query(db, *, order_id=None, kind=None, site=None, since=None, after_id=None, limit=100,
          operator=None) -> list[dict]:
    """The newest events first (at most ``limit``), each {id, at, operator, kind, site, order_id,
    data}; ``operator`` keeps one operator's (an index answers it: events_operator)."""
    where, params = [], []
    if operator:
        where.append("operator = ?")
        params.append(operator)
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
