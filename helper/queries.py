"""Read queries the review pages need, written so that an index answers each of them.

Each one reads a bounded number of rows whatever the size of the database (one page, one
number, the orders still to ship), so a seller with a million stored orders waits no longer
than one with a thousand. ``danhao bench`` times exactly these functions.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from . import clock

PAGE_SIZE = 50
# Status texts the selling platforms show for "paid, not shipped yet".
PENDING_STATUSES = ("待发货", "等待发货", "买家已付款", "待发货(部分)")

_COLUMNS = ("so.site, so.order_id, so.status, so.created_at, so.ship_by, so.buyer_name, so.province, so.city, "
            "so.amount, so.shop, (SELECT group_concat(s.status || ':' || IFNULL(s.number, ''), ' ') "
            "FROM shipments s WHERE s.site = so.site AND s.order_id = so.order_id) AS shipments")


def orders_by_status(db, site: str, status: str, page: int = 1, page_size: int = PAGE_SIZE) -> list[dict]:
    """One page of a site's orders in one status, newest first (index sales_site_status_created)."""
    sql = (f"SELECT {_COLUMNS} FROM sales_orders so WHERE so.site = ? AND so.status = ? "
           "ORDER BY so.created_at DESC LIMIT ? OFFSET ?")
    return [dict(r) for r in db.execute(sql, [site, status, page_size, (max(page, 1) - 1) * page_size])]


def orders_with_number(db, number: str) -> list[dict]:
    """The sales orders holding a tracking number: by shipment, or through a purchase order
    that carries it (indexes shipments_number, purchase_numbers' key, purchase_sales)."""
    sql = (f"SELECT {_COLUMNS} FROM shipments s JOIN sales_orders so ON so.site = s.site AND so.order_id = s.order_id "
           "WHERE s.number = ? "
           f"UNION SELECT {_COLUMNS} FROM purchase_numbers pn "
           "JOIN purchase_orders po ON po.site = pn.site AND po.order_id = pn.order_id "
           "JOIN sales_orders so ON so.site = po.sales_site AND so.order_id = po.sales_order_id "
           "WHERE pn.number = ? ORDER BY 4 DESC")
    number = number.strip().upper()
    return [dict(r) for r in db.execute(sql, [number, number])]


def orders_due_within(db, hours: float = 24, *, now: datetime | None = None, site: str | None = None,
                      statuses=PENDING_STATUSES, limit: int = PAGE_SIZE) -> list[dict]:
    """Orders not shipped yet whose ship-by deadline is within ``hours`` (overdue ones
    included), most urgent first. ``ship_by`` is compared as ISO text, which holds while the
    stored times share one offset (the pages show Beijing time)."""
    now = now or clock.now_dt()
    bound = (now + timedelta(hours=hours)).isoformat(timespec="seconds")
    marks = ",".join("?" * len(statuses))
    where = f"so.status IN ({marks}) AND so.ship_by != '' AND so.ship_by <= ?"
    params: list = [*statuses, bound]
    if site:
        where += " AND so.site = ?"
        params.append(site)
    sql = f"SELECT {_COLUMNS} FROM sales_orders so WHERE {where} ORDER BY so.ship_by LIMIT ?"
    return [dict(r) for r in db.execute(sql, params + [limit])]


__all__ = ["orders_by_status", "orders_with_number", "orders_due_within", "PENDING_STATUSES", "PAGE_SIZE"]
