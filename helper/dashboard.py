"""The figures behind the dashboard, the popup and the badge, and the orders behind each figure.

- Counts by derived status (helper/order_status.py).
- Deadlines, for orders not on the platform yet (`order_status.OPEN_STATES`): 已超时 = the
  ship-by time (`due_at`, helper/deadlines.py) has passed; 即将超时 = it comes within
  ``due_soon_hours`` (setting, default 12).
- 单号丢失, two kinds: a purchase order still without a tracking number ``lost_number_hours``
  (default 48) after it was placed (`purchase_orders.awaiting_number_since`), unless the sale it
  serves is already shipped, cancelled or in after-sales; and a sales order paid
  ``unlinked_sale_hours`` (default 24) ago that is still 待采购 (no live purchase order linked).
- Trace alerts: the open rows of `alerts` (helper/verify.py).

Lost-number alerts are not stored: each is a question put to the stored times when it is read,
so it appears on time and goes away the moment its cause does (the number arrives, a purchase is
linked, the order is cancelled), with no job to run and nothing to clean up. Every query here is
answered by an index of migration m004 (or m001's for site and shop).
"""

from __future__ import annotations

from . import clock, queries
from .deadlines import shift, utc_iso
from .errors import bad_request
from .order_status import OPEN_STATES, STATES
from .settings import DEFAULTS
from .store import get_setting

HOUR_SETTINGS = ("due_soon_hours", "lost_number_hours", "unlinked_sale_hours")
DUE_VIEWS = ("soon", "overdue", "24h")
LOST_VIEWS = ("no_number", "unlinked")
_OPEN = ",".join("?" * len(OPEN_STATES))
COLUMNS = (queries._COLUMNS + ", so.order_status, so.status_at, so.paid_at, so.due_at, so.due_source")


def hours(db) -> dict[str, int]:
    """The three alert windows in hours (the stored setting, else its default)."""
    out = {}
    for name in HOUR_SETTINGS:
        try:
            out[name] = max(1, int(get_setting(db, name, DEFAULTS[name])))
        except (TypeError, ValueError):
            out[name] = int(DEFAULTS[name])
    return out


def now_utc() -> str:
    """The helper's clock (tests move it) as UTC text, comparable with the stored times."""
    return utc_iso(clock.now_dt())


def bounds(db, now: str | None = None) -> dict:
    """The times each view compares against: ``now``, ``soon`` (now + due_soon_hours),
    ``lost`` (now − lost_number_hours), ``unlinked`` (now − unlinked_sale_hours), ``day``
    (now + 24 h), and the ``hours`` themselves."""
    h = hours(db)
    now = now or now_utc()
    return {"now": now, "soon": shift(now, h["due_soon_hours"]), "lost": shift(now, -h["lost_number_hours"]),
            "unlinked": shift(now, -h["unlinked_sale_hours"]), "day": shift(now, 24), "hours": h}


def _scope(site: str | None, shop: str | None, alias: str = "so") -> tuple[list[str], list]:
    where, params = [], []
    if site:
        where.append(f"{alias}.site = ?")
        params.append(site)
    if shop:
        where.append(f"{alias}.shop = ?")
        params.append(shop)
    return where, params


def _count(db, where: list[str], params: list, table: str = "sales_orders so") -> int:
    sql = f"SELECT COUNT(*) FROM {table}" + (" WHERE " + " AND ".join(where) if where else "")
    return db.execute(sql, params).fetchone()[0]


def _due_clause(view: str, b: dict) -> tuple[str, list]:
    if view == "overdue":
        return f"so.order_status IN ({_OPEN}) AND so.due_at <= ?", [*OPEN_STATES, b["now"]]
    if view == "soon":
        return f"so.order_status IN ({_OPEN}) AND so.due_at > ? AND so.due_at <= ?", [*OPEN_STATES, b["now"], b["soon"]]
    return f"so.order_status IN ({_OPEN}) AND so.due_at <= ?", [*OPEN_STATES, b["day"]]      # 24h, overdue included


def _lost_clause(view: str, b: dict) -> tuple[str, list]:
    if view == "unlinked":
        return "so.order_status = 'to_purchase' AND so.paid_at <= ?", [b["unlinked"]]
    return (f"so.order_status IN ({_OPEN}) AND EXISTS (SELECT 1 FROM purchase_orders po WHERE "
            "po.sales_site = so.site AND po.sales_order_id = so.order_id AND po.match_method != 'ambiguous' "
            "AND po.awaiting_number_since <= ?)", [*OPEN_STATES, b["lost"]])


def _lost_purchases_sql(b: dict, site, shop) -> tuple[str, list]:
    """Purchase orders without a number for too long; with a site or shop, only those serving
    that site's or shop's sales orders (an unlinked purchase belongs to no shop)."""
    sql = ("FROM purchase_orders po LEFT JOIN sales_orders so ON so.site = po.sales_site "
           "AND so.order_id = po.sales_order_id WHERE po.awaiting_number_since IS NOT NULL "
           f"AND po.awaiting_number_since <= ? AND (so.id IS NULL OR IFNULL(so.order_status, 'to_purchase') IN ({_OPEN}))")
    params: list = [b["lost"], *OPEN_STATES]
    where, more = _scope(site, shop)
    if where:
        sql += " AND " + " AND ".join(where)
        params += more
    return sql, params


def figures(db, *, site: str | None = None, shop: str | None = None) -> dict:
    """What `GET /api/v1/dashboard` answers, for every order or one site / shop:

    ``{"at", "scope": {"site", "shop"}, "hours": {due_soon_hours, lost_number_hours,
    unlinked_sale_hours}, "orders": {"total", "by_status": {code: n for every code}},
    "deadlines": {"due_soon", "overdue"}, "lost_numbers": {"purchases", "sales", "total"},
    "trace_alerts", "alerts": {"total"}}`` — ``alerts.total`` (lost numbers + trace alerts) is
    what the toolbar badge counts."""
    b = bounds(db)
    where, params = _scope(site, shop)
    by_status = dict.fromkeys(STATES, 0)
    sql = "SELECT order_status, COUNT(*) FROM sales_orders so" + (" WHERE " + " AND ".join(where) if where else "")
    for code, n in db.execute(sql + " GROUP BY order_status", params):
        if code in by_status:
            by_status[code] = n
    deadlines = {}
    for key, view in (("due_soon", "soon"), ("overdue", "overdue")):
        clause, more = _due_clause(view, b)
        deadlines[key] = _count(db, [clause, *where], [*more, *params])
    clause, more = _lost_clause("unlinked", b)
    lost_sales = _count(db, [clause, *where], [*more, *params])
    lost_sql, lost_params = _lost_purchases_sql(b, site, shop)
    lost_purchases = db.execute("SELECT COUNT(*) " + lost_sql, lost_params).fetchone()[0]
    alert_where, alert_params = ["a.resolved_at IS NULL"], []
    if site:
        alert_where.append("a.site = ?")
        alert_params.append(site)
    table = "alerts a"
    if shop:
        table += " JOIN sales_orders so ON so.site = a.site AND so.order_id = a.order_id"
        alert_where.append("so.shop = ?")
        alert_params.append(shop)
    trace = _count(db, alert_where, alert_params, table)
    lost = lost_purchases + lost_sales
    return {
        "at": clock.now_iso(), "scope": {"site": site or None, "shop": shop or None}, "hours": b["hours"],
        "orders": {"total": sum(by_status.values()), "by_status": by_status},
        "deadlines": deadlines,
        "lost_numbers": {"purchases": lost_purchases, "sales": lost_sales, "total": lost},
        "trace_alerts": trace,
        "alerts": {"total": lost + trace},
    }


def check_view(name: str, value, allowed) -> str | None:
    """``value`` when it is one of ``allowed`` (or empty → None); else a 400 naming ``name``."""
    if value in (None, ""):
        return None
    if value not in allowed:
        shown = ", ".join(allowed)
        raise bad_request("invalid_param", f"{name} 只能是 {shown} / {name} must be one of {shown}", field=name)
    return value


def find_orders(db, *, status=None, due=None, lost=None, site=None, shop=None, operator=None,
                order_id=None, q=None, limit: int = 50, offset: int = 0) -> list[dict]:
    """The sales orders behind a figure, as rows of `queries._COLUMNS` plus ``order_status``,
    ``status_at``, ``paid_at``, ``due_at``, ``due_source``.

    ``status``: a derived status code (`order_status.STATES`), ``open`` (every order not on the
    platform yet: `OPEN_STATES`), else the page's own status text;
    ``due``: ``soon`` | ``overdue`` | ``24h`` (most urgent first); ``lost``: ``no_number`` |
    ``unlinked``; ``operator``: orders with an event recorded by that operator; ``q``: an order
    id, a recipient's name or a tracking number, exactly. Newest first otherwise. An unknown
    ``due`` or ``lost`` is a 400."""
    due = check_view("due", due, DUE_VIEWS)
    lost = check_view("lost", lost, LOST_VIEWS)
    b = bounds(db)
    where, params = _scope(site, shop)
    if status == "open":
        where.append(f"so.order_status IN ({_OPEN})")
        params += OPEN_STATES
    elif status:
        where.append("so.order_status = ?" if status in STATES else "so.status = ?")
        params.append(status)
    if order_id:
        where.append("so.order_id = ?")
        params.append(order_id)
    if operator:
        where.append("EXISTS (SELECT 1 FROM events e WHERE e.order_id = so.order_id AND e.site = so.site "
                     "AND e.operator = ?)")
        params.append(operator)
    order_by = "so.created_at DESC, so.id DESC"
    if due:
        clause, more = _due_clause(due, b)
        where.append(clause)
        params += more
        order_by = "so.due_at, so.id"
    if lost:
        clause, more = _lost_clause(lost, b)
        where.append(clause)
        params += more
        order_by = "so.paid_at, so.id" if lost == "unlinked" else order_by
    if q and q.strip():
        ids = _search_ids(db, q.strip())
        if not ids:
            return []
        where.append(f"so.id IN ({','.join('?' * len(ids))})")
        params += ids
    sql = f"SELECT {COLUMNS} FROM sales_orders so"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order_by} LIMIT ? OFFSET ?"
    return [dict(r) for r in db.execute(sql, [*params, limit, offset])]


def _search_ids(db, q: str) -> list[int]:
    """Ids of the orders whose id or recipient is ``q``, or that hold tracking number ``q``."""
    ids = {r[0] for r in db.execute("SELECT id FROM sales_orders WHERE order_id = ? OR buyer_name = ? LIMIT 500", [q, q])}
    for row in queries.orders_with_number(db, q)[:500]:
        found = db.execute("SELECT id FROM sales_orders WHERE site = ? AND order_id = ?",
                           [row["site"], row["order_id"]]).fetchone()
        if found:
            ids.add(found[0])
    return sorted(ids)


def lost_purchases(db, *, site=None, shop=None, limit: int = 20) -> list[dict]:
    """The purchase orders counted in ``lost_numbers.purchases``, longest waiting first:
    ``{"site", "order_id", "supplier", "status", "placed_at", "awaiting_number_since",
    "sales_site", "sales_order_id", "shop"}``."""
    sql, params = _lost_purchases_sql(bounds(db), site, shop)
    rows = db.execute("SELECT po.site, po.order_id, po.supplier, po.status, po.placed_at, po.awaiting_number_since, "
                      "so.site AS sales_site, so.order_id AS sales_order_id, so.shop " + sql
                      + " ORDER BY po.awaiting_number_since, po.id LIMIT ?", [*params, limit])
    return [dict(r) for r in rows]


def operators(db, limit: int = 50) -> list[str]:
    """The operator names the event log holds (each found by one index step, not a scan)."""
    sql = ("WITH RECURSIVE ops(name) AS (SELECT MIN(operator) FROM events WHERE operator IS NOT NULL AND operator != '' "
           "UNION ALL SELECT (SELECT MIN(operator) FROM events WHERE operator > ops.name) FROM ops "
           "WHERE ops.name IS NOT NULL) SELECT name FROM ops WHERE name IS NOT NULL LIMIT ?")
    return [r[0] for r in db.execute(sql, [limit])]


def shops(db, limit: int = 100) -> list[tuple[str, str]]:
    """(site, shop) pairs of the stored sales orders, each found by one index step."""
    out: list[tuple[str, str]] = []
    for (site,) in db.execute("SELECT DISTINCT site FROM sales_orders ORDER BY site").fetchall():
        shop = ""
        while len(out) < limit:
            row = db.execute("SELECT MIN(shop) FROM sales_orders WHERE site = ? AND shop > ?", [site, shop]).fetchone()
            if row is None or row[0] is None:
                break
            shop = row[0]
            out.append((site, shop))
    return out
