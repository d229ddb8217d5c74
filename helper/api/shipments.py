import json
import time

from flask import Blueprint, current_app, jsonify, request

from .. import fills, validation
from ..conversion import SHIPMENT_COLUMNS, convert_orders, get_shipment, shipment_from_row
from ..db import get_db
from ..errors import ApiError
from ..payloads import parse
from ..payloads.requests import Convert, FillResults
from ..tracking import ProviderError
from ..verify import Verifier
from . import flag_arg, int_arg, json_body, operator, site_arg, write_route

bp = Blueprint("shipments", __name__, url_prefix="/api/v1")


@bp.post("/convert")
@write_route
def post_convert(db):
    asked = parse(Convert, json_body())
    site = validation.require_site(asked.site, validation.SELLER_SITES)
    return convert_orders(db, site, asked.order_ids, asked.options, operator(), verifier=verifier(db)), 200


def verifier(db) -> Verifier:
    return Verifier.for_db(db, current_app.config["DB_PATH"], current_app.config.get("CLOCK", time.time))


@bp.post("/shipments/<shipment_id>/refresh")
def refresh_shipment(shipment_id):
    """Ask the tracking provider now (the 30-minute cache still applies)."""
    db = get_db()
    stored = get_shipment(db, shipment_id)
    if stored is None:
        raise ApiError(404, "not_found", "运单不存在 / Shipment not found", {"shipment_id": shipment_id})
    checker = verifier(db)
    if checker.service is None:
        raise ApiError(409, "tracking_not_configured",
                       "未配置快递查询接口（快递100 / 快递鸟 / 17TRACK）/ No tracking provider is configured")
    if not stored.get("number"):
        raise ApiError(409, "no_number", "该运单没有单号 / This shipment has no tracking number")
    try:
        checker.refresh_or_postpone(db, shipment_id)
    except ProviderError as err:
        raise ApiError(502, f"provider_{err.code}", f"{err.zh} / {err.en}", {"provider": err.provider})
    row = db.execute(f"SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE shipment_id = ?", [shipment_id]).fetchone()
    found = shipment_from_row(row)
    found["trace_full"] = json.loads(row["trace"]) if row["trace"] else None
    return jsonify(found)


@bp.get("/exports/bulk-shipping")
def export_bulk_shipping():
    """批量发货 file of the ready, not yet confirmed shipments of one seller site (CSV, read only:
    a GET records nothing)."""
    from flask import Response

    from ..exports import TEMPLATES, bulk_shipping_csv, bulk_shipping_rows

    site = request.args.get("site", "")
    if not site.strip():
        raise ApiError(400, "missing_param", "缺少 site 参数（卖家站点）/ site is required (a seller site id)",
                       {"field": "site", "allowed": sorted(TEMPLATES)})
    if site not in TEMPLATES:
        raise ApiError(400, "unknown_site", f"不支持的站点 {site[:40]} / Unknown seller site", {"field": "site",
                       "allowed": sorted(TEMPLATES)})
    rows = bulk_shipping_rows(get_db(), site)
    return Response(bulk_shipping_csv(rows, site), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=danhao-{site}-bulk-shipping.csv"})


@bp.get("/alerts")
def list_alerts():
    db = get_db()
    sql = ("SELECT a.id, a.shipment_id, a.site, a.order_id, s.number, a.code, a.level, a.message, a.created_at, "
           "a.updated_at, a.resolved_at FROM alerts a LEFT JOIN shipments s ON s.shipment_id = a.shipment_id")
    if not flag_arg("all"):
        sql += " WHERE a.resolved_at IS NULL"
    sql += " ORDER BY CASE a.level WHEN 'block' THEN 0 WHEN 'review' THEN 1 ELSE 2 END, a.updated_at DESC LIMIT ?"
    rows = []
    for r in db.execute(sql, [int_arg("limit", 200, 1, 1000)]):
        item = dict(r)
        item["message"] = json.loads(item["message"])
        rows.append(item)
    return jsonify({"alerts": rows, "count": len(rows)})


@bp.post("/fill-results")
@write_route
def post_fill_results(db):
    asked = parse(FillResults, json_body())
    site = validation.require_site(asked.site, validation.SELLER_SITES)
    return fills.record(db, site, [r.model_dump() for r in asked.results], operator()), 200


@bp.get("/shipments/<shipment_id>")
def shipment(shipment_id):
    found = get_shipment(get_db(), shipment_id)
    if found is None:
        raise ApiError(404, "not_found", "运单不存在 / Shipment not found", {"shipment_id": shipment_id})
    return jsonify(found)


@bp.get("/shipments")
def list_shipments():
    db = get_db()
    where, params = [], []
    site_arg()                                   # a mistyped site is a 400, not an empty list
    for key in ("site", "status", "order_id", "number"):
        if request.args.get(key):
            where.append(f"{key} = ?")
            params.append(request.args[key])
    sql = f"SELECT {SHIPMENT_COLUMNS} FROM shipments"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY updated_at DESC LIMIT ?"
    rows = [shipment_from_row(r) for r in db.execute(sql, params + [int_arg("limit", 100, 1, 1000)])]
    return jsonify({"shipments": rows})


@bp.get("/fill-results")
def list_fill_results():
    db = get_db()
    site = site_arg()
    sql = "SELECT shipment_id, site, order_id, result, submitted, reason, operator, at FROM fill_results"
    params = []
    if site:
        sql += " WHERE site = ?"
        params.append(site)
    sql += " ORDER BY id DESC LIMIT ?"
    rows = [dict(r) | {"submitted": bool(r["submitted"])} for r in db.execute(sql, params + [int_arg("limit", 100, 1, 1000)])]
    return jsonify({"results": rows})
