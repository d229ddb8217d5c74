"""`GET /api/v1/dashboard`: where the orders stand, in counts (helper/dashboard.py); and
`GET /api/v1/dashboard/orders`: the orders behind one of those counts. Both read only."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .. import dashboard
from ..db import get_db
from ..errors import bad_request
from . import int_arg, site_arg

bp = Blueprint("dashboard", __name__, url_prefix="/api/v1")

TEXT_LIMITS = {"site": 64, "shop": 200, "status": 200, "operator": 200, "order_id": 64, "q": 200}


def _text(name: str) -> str | None:
    value = request.args.get(name, "")
    if len(value) > TEXT_LIMITS[name]:
        raise bad_request("invalid_param", f"{name} 过长（最多 {TEXT_LIMITS[name]} 字符）/ "
                          f"{name} is longer than {TEXT_LIMITS[name]} characters", field=name)
    return value.strip() or None


@bp.get("/dashboard")
def get_dashboard():
    """Counts by derived status, due soon, overdue, lost numbers (both kinds) and trace alerts;
    ?site=&shop= narrow them to one site or shop (the popup asks for the shop it is on)."""
    return jsonify(dashboard.figures(get_db(), site=site_arg(), shop=_text("shop")))


@bp.get("/dashboard/orders")
def get_dashboard_orders():
    """The orders behind a figure: ?status= (a derived status code or the page's text), ?due=soon|overdue|24h,
    ?lost=no_number|unlinked, ?site=, ?shop=, ?operator=, ?order_id=, ?q=, ?limit=, ?offset=."""
    limit = int_arg("limit", 50, 1, 500)
    offset = int_arg("offset", 0, 0, 10**9)
    rows = dashboard.find_orders(
        get_db(), status=_text("status"), due=request.args.get("due"), lost=request.args.get("lost"),
        site=site_arg(), shop=_text("shop"), operator=_text("operator"), order_id=_text("order_id"),
        q=_text("q"), limit=limit, offset=offset)
    return jsonify({"orders": rows, "limit": limit, "offset": offset})
