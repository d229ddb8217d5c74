"""`GET /api/v1/suppliers`: each supplier's orders, hours to a number, late numbers, exceptions
and cancellations, worst first. Rules and score: helper/suppliers.py."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import suppliers
from ..db import get_db
from . import int_arg, openapi, site_arg

bp = Blueprint("suppliers", __name__, url_prefix="/api/v1")


def report_args() -> dict:
    """`?late_hours=` (1–2160, default the `lost_number_hours` setting, as the 单号丢失 alert) and
    `?site=` (a purchase site id); 400 `invalid_param` naming the parameter otherwise."""
    low, high = suppliers.LATE_HOURS_RANGE
    from ..validation import SUPPLIER_SITES

    return {"limit_h": int_arg("late_hours", None, low, high), "site": site_arg(allowed=SUPPLIER_SITES)}


@bp.get("/suppliers")
def get_suppliers():
    """Suppliers worst first (?late_hours=&site=): orders, median hours to a number, late, exceptions, cancelled."""
    return jsonify(suppliers.report(get_db(), **report_args()))


openapi.QUERY[("GET", "/suppliers")] = [
    {"name": "late_hours", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": suppliers.LATE_HOURS_RANGE[0], "maximum": suppliers.LATE_HOURS_RANGE[1]}},
    {"name": "site", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 64}},
]
