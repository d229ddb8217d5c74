"""A person's own word that a purchase order fulfils a sales order (关联采购单): the strongest match,
beating any score. Used by `POST /api/v1/links` and the order page's 关联采购单 form."""

from __future__ import annotations

from . import match, orders
from .errors import ApiError
from .store import now_iso


def link_by_hand(db, sales_site: str, sales_order_id: str, purchase_site: str, purchase_order_id: str,
                 operator: str | None) -> dict:
    """Links the purchase order to the sales order and re-matches it → the match result
    (``match.match_one``'s dict). ApiError 404 ``not_found`` when either order is unknown.
    Runs inside the caller's transaction; a purchase linked before moves to this sale."""
    ids = {"sales_site": sales_site, "sales_order_id": sales_order_id,
           "purchase_site": purchase_site, "purchase_order_id": purchase_order_id}
    if orders.sales_order(db, sales_site, sales_order_id) is None:
        raise ApiError(404, "not_found", "销售订单不存在 / Sales order not found", ids)
    po = db.execute("SELECT * FROM purchase_orders WHERE site = ? AND order_id = ?",
                    [purchase_site, purchase_order_id]).fetchone()
    if po is None:
        raise ApiError(404, "not_found", "采购单不存在 / Purchase order not found", ids)
    db.execute(
        "INSERT INTO links (sales_site, sales_order_id, purchase_site, purchase_order_id, at, operator) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(purchase_site, purchase_order_id) DO UPDATE SET sales_site = excluded.sales_site, "
        "sales_order_id = excluded.sales_order_id, at = excluded.at, operator = excluded.operator",
        [sales_site, sales_order_id, purchase_site, purchase_order_id, now_iso(), operator],
    )
    return match.match_one(db, po, operator)
