"""`GET /api/v1/suppliers`: each supplier's orders, hours to a number, late numbers, exceptions
and cancellations, worst first. Rules and score: helper/suppliers.py."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .. import suppliers
from ..db import get_db
from ..errors import bad_request
from . import int_arg, openapi

bp = Blueprint("suppliers", __name__, url_prefix="/api/v1")


def report_args() -> dict:
    """`?late_hours=` (1–2160, default the `lost_number_hours` setting, as the 单号丢失 alert) and
    `?site=` (a purchase site id); 400 `invalid_param` naming the parameter otherwise."""
    low, high = suppliers.LATE_HOURS_RANGE
    site = request.args.get("site") or None
    if site is not None and len(site) > 64:
        raise bad_request("invalid_param", "site 过长（最多 64 字符）/ site is longer than 64 characters", field="site")
    return {"limit_h": int_arg("late_hours", None, low, high), "site": site}


@bp.get("/suppliers")
def get_suppliers():
    """Suppliers worst first (?late_hours=&site=): orders, median hours to a number, late, exceptions, cancelled."""
    return jsonify(suppliers.report(get_db(), **report_args()))


openapi.QUERY[("GET", "/suppliers")] = [
    {"name": "late_hours", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": suppliers.LATE_HOURS_RANGE[0], "maximum": suppliers.LATE_HOURS_RANGE[1]}},
    {"name": "site", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 64}},
]
