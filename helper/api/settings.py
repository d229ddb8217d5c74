from flask import Blueprint, jsonify

from .. import events
from ..db import get_db
from ..errors import ApiError, bad_request
from ..settings import MACHINE_ONLY, PUBLIC_SETTINGS, SECRET_SETTINGS, describe, write_setting
from . import json_body, operator, write_route

bp = Blueprint("settings", __name__, url_prefix="/api/v1")


@bp.get("/settings")
def get_settings():
    return jsonify({"settings": describe(get_db())})


@bp.put("/settings")
@write_route
def put_settings(db):
    """{name: string | null} → {"settings": {...}}; null or "" removes a setting; a whole-number
    setting also takes a JSON number, a yes/no setting a JSON boolean. 400 for an unknown name or
    another value type, 403 `setting_locked` for a `MACHINE_ONLY` name."""
    body = json_body()
    unknown = sorted(set(body) - set(PUBLIC_SETTINGS) - set(SECRET_SETTINGS))
    if unknown:
        shown = unknown[0][:60]
        raise bad_request("unknown_setting", f"未知设置 {shown} / Unknown setting {shown}", field=shown)
    locked = sorted(set(body) & MACHINE_ONLY)
    if locked:
        raise ApiError(403, "setting_locked",
                       f"{locked[0]} 只能在本机命令行修改：danhao config set {locked[0]} VALUE / "
                       f"{locked[0]} can only be changed on the helper's machine: danhao config set {locked[0]} VALUE",
                       {"field": locked[0]})
    for name, value in body.items():
        write_setting(db, name, value)
    events.record(db, "settings.changed", operator=operator(), data={"names": sorted(body)})
    return {"settings": describe(db)}, 200


@bp.get("/status")
def status():
    """What the popup shows in one call: counts by shipment status and fill result."""
    db = get_db()
    by_status = {r[0]: r[1] for r in db.execute("SELECT status, COUNT(*) FROM shipments GROUP BY status")}
    counts = {
        "sales_orders": db.execute("SELECT COUNT(*) FROM sales_orders").fetchone()[0],
        "purchase_orders": db.execute("SELECT COUNT(*) FROM purchase_orders").fetchone()[0],
        "unmatched_purchase_orders": db.execute(
            "SELECT COUNT(*) FROM purchase_orders WHERE match_method IS NULL OR match_method = 'ambiguous'").fetchone()[0],
        "shipments": by_status,
        "alerts": db.execute("SELECT COUNT(*) FROM alerts WHERE resolved_at IS NULL").fetchone()[0],
    }
    return jsonify(counts)
