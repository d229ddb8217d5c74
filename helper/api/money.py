"""`GET /api/v1/money`: revenue, cost, margin and money waiting per Beijing day or per shop;
`GET /api/v1/money/orders/<site>/<order_id>`: one sales order's money. Rules: helper/money.py."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, jsonify, request

from .. import money
from ..db import get_db
from ..errors import ApiError, bad_request
from . import openapi

bp = Blueprint("money", __name__, url_prefix="/api/v1")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = date.fromisoformat(raw) if _DATE_RE.match(raw) else None
    except ValueError:
        value = None
    if value is None or not 2000 <= value.year <= 2999:
        raise bad_request("invalid_param", f"{name} 必须是北京时间日期 YYYY-MM-DD（2000–2999 年）/ "
                          f"{name} must be a Beijing date YYYY-MM-DD (years 2000–2999)", field=name)
    return value


def range_args() -> tuple[date | None, date | None]:
    """`?from=&to=`: Beijing dates, both included, either may be left out; 400 `invalid_param`
    naming the parameter for a bad date or `from` after `to`."""
    start, end = _date_arg("from"), _date_arg("to")
    if start and end and start > end:
        raise bad_request("invalid_param", "from 不能晚于 to / from must not be after to", field="from")
    return start, end


def by_arg() -> str:
    """`?by=day|shop` (default day), else 400 `invalid_param`."""
    by = request.args.get("by", "day")
    if by not in money.BY:
        raise bad_request("invalid_param", "by 只能是 day 或 shop / by must be day or shop", field="by")
    return by


@bp.get("/money")
def get_money():
    """Revenue, cost, margin, money waiting per Beijing day or per shop (?by=day|shop&from=&to=)."""
    by = by_arg()
    start, end = range_args()
    return jsonify(money.report(get_db(), by, start, end))


@bp.get("/money/orders/<site>/<order_id>")
def get_order_money(site, order_id):
    """One sales order: sale, cost over all its purchase orders, margin, money waiting."""
    found = money.order_money(get_db(), site, order_id)
    if found is None:
        raise ApiError(404, "not_found", f"订单 {order_id} 不存在 / Sales order not found",
                       {"site": site, "order_id": order_id})
    return jsonify(found.to_json())


_DATE = {"type": "string", "format": "date", "pattern": _DATE_RE.pattern}
openapi.QUERY[("GET", "/money")] = [
    {"name": "by", "in": "query", "required": False, "schema": {"type": "string", "enum": list(money.BY)}},
    {"name": "from", "in": "query", "required": False, "schema": _DATE},
    {"name": "to", "in": "query", "required": False, "schema": _DATE},
]
