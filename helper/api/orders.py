from flask import Blueprint, jsonify, request

from .. import events, match, orders, validation
from ..conversion import SHIPMENT_COLUMNS, record_purchase_numbers, shipment_from_row
from ..links import link_by_hand
from ..db import get_db
from ..errors import ApiError
from ..payloads import parse
from ..payloads.requests import Link
from . import int_arg, json_body, operator, site_arg, write_route

bp = Blueprint("orders", __name__, url_prefix="/api/v1")


def _record_rejected(db, kind: str, site: str, rejected: list[dict]) -> None:
    """Each order refused by itself is named in the event log (masked, like every event)."""
    events.record_many(db, [(f"{kind}.rejected", site, r["order_id"],
                             {"field": r["field"], "message": r["message"], "index": r["index"]})
                            for r in rejected], operator=operator())


@bp.post("/sales-orders")
@write_route
def post_sales_orders(db):
    """→ {"inserted", "updated", "unchanged", "rejected": [{"order_id", "field", "message", "index"}]}"""
    site, batch, rejected = validation.orders_batch(json_body("orders"), validation.SELLER_SITES)
    for order in batch:
        # A sale's receiver is its `buyer` (MODEL.md); a caller who names it `ship_to`, as purchase
        # orders do, means the same person and address: never dropped in silence.
        if order.get("ship_to") and not order.get("buyer"):
            order["buyer"] = order.pop("ship_to")
    counts, touched = orders.upsert_sales_orders(db, site, batch, operator())
    if touched:
        match.rematch_for_sales_orders(db, touched, operator())
    _record_rejected(db, "sales_order", site, rejected)
    return {**counts, "rejected": rejected}, 200


@bp.post("/purchase-orders")
@write_route
def post_purchase_orders(db):
    """→ as sales orders, plus "match": {"matched", "ambiguous", "unmatched"}."""
    site, batch, rejected = validation.orders_batch(json_body("orders"), validation.SUPPLIER_SITES)
    counts, touched = orders.upsert_purchase_orders(db, site, batch, operator())
    record_purchase_numbers(db, site, touched)
    counts["match"] = match.match_purchase_orders(db, site, [o["order_id"] for o in touched], operator())
    _record_rejected(db, "purchase_order", site, rejected)
    return {**counts, "rejected": rejected}, 200


@bp.get("/sales-orders/<site>/<order_id>")
def get_sales_order(site, order_id):
    db = get_db()
    order = orders.sales_order(db, site, order_id)
    if order is None:
        raise ApiError(404, "not_found", f"订单 {order_id} 不存在 / Sales order not found", {"site": site, "order_id": order_id})
    order["purchase_orders"] = match.purchase_orders_for(db, site, order_id)
    order["shipments"] = [
        shipment_from_row(r) for r in db.execute(
            f"SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE site = ? AND order_id = ?", [site, order_id])
    ]
    order["events"] = events.query(db, order_id=order_id, limit=50)
    return jsonify(order)


@bp.get("/purchase-orders/<site>/<order_id>")
def get_purchase_order(site, order_id):
    order = orders.purchase_order(get_db(), site, order_id)
    if order is None:
        raise ApiError(404, "not_found", f"采购单 {order_id} 不存在 / Purchase order not found", {"site": site, "order_id": order_id})
    return jsonify(order)


@bp.get("/sales-orders")
def list_sales_orders():
    db = get_db()
    site = site_arg()
    status = request.args.get("status")
    limit = int_arg("limit", 50, 1, 500)
    offset = int_arg("offset", 0, 0, 10**9)
    where, params = [], []
    if site:
        where.append("site = ?")
        params.append(site)
    if status:
        where.append("status = ?")
        params.append(status)
    sql = "SELECT site, order_id, status, created_at, ship_by, buyer_name, province, city, amount, shop FROM sales_orders"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created_at DESC LIMIT ? OFFSET ?"
    rows = [dict(r) for r in db.execute(sql, params + [limit, offset])]
    return jsonify({"orders": rows, "limit": limit, "offset": offset})


@bp.post("/links")
@write_route
def post_link(db):
    """The user's explicit word: this purchase order fulfils that sales order (beats any score)."""
    fields = parse(Link, json_body()).model_dump()
    validation.require_site(fields["sales_site"], validation.SELLER_SITES, "sales_site")
    validation.require_site(fields["purchase_site"], validation.SUPPLIER_SITES, "purchase_site")
    result = link_by_hand(db, fields["sales_site"], fields["sales_order_id"], fields["purchase_site"],
                          fields["purchase_order_id"], operator())
    return {"linked": result}, 200
