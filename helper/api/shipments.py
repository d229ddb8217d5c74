import json

from flask import Blueprint, jsonify, request

from .. import fills, validation
from ..conversion import convert_orders, get_shipment
from ..db import get_db
from ..errors import ApiError
from . import json_body, operator, write_route
from .orders import _int_arg

bp = Blueprint("shipments", __name__, url_prefix="/api/v1")


@bp.post("/convert")
@write_route
def post_convert(db):
    body = json_body()
    site = validation.require_site(body, validation.SELLER_SITES)
    order_ids = [validation.order_id(v, f"order_ids[{i}]") for i, v in
                 enumerate(validation.string_list(body.get("order_ids"), "order_ids"))]
    options = body.get("options")
    if options is not None:
        options = validation.string_list(options, "options", max_len=2000)
    return convert_orders(db, site, order_ids, options, operator()), 200


@bp.post("/fill-results")
@write_route
def post_fill_results(db):
    body = json_body()
    site = validation.require_site(body, validation.SELLER_SITES)
    return fills.record(db, site, fills.validate(body), operator()), 200


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
    for key in ("site", "status", "order_id", "number"):
        if request.args.get(key):
            where.append(f"{key} = ?")
            params.append(request.args[key])
    sql = "SELECT data, fill_result, submitted, updated_at FROM shipments"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY updated_at DESC LIMIT ?"
    rows = []
    for r in db.execute(sql, params + [_int_arg("limit", 100, 1, 1000)]):
        item = json.loads(r["data"])
        item["fill"] = {"result": r["fill_result"], "submitted": bool(r["submitted"])} if r["fill_result"] else None
        item["updated_at"] = r["updated_at"]
        rows.append(item)
    return jsonify({"shipments": rows})


@bp.get("/fill-results")
def list_fill_results():
    db = get_db()
    site = request.args.get("site")
    sql = "SELECT shipment_id, site, order_id, result, submitted, reason, operator, at FROM fill_results"
    params = []
    if site:
        sql += " WHERE site = ?"
        params.append(site)
    sql += " ORDER BY id DESC LIMIT ?"
    rows = [dict(r) | {"submitted": bool(r["submitted"])} for r in db.execute(sql, params + [_int_arg("limit", 100, 1, 1000)])]
    return jsonify({"results": rows})
