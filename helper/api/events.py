from flask import Blueprint, jsonify, request

from .. import events
from ..db import get_db
from ..errors import bad_request
from . import int_arg, site_arg

bp = Blueprint("events", __name__, url_prefix="/api/v1")


@bp.get("/events")
def list_events():
    since = request.args.get("since")
    if since and len(since) < 10:
        raise bad_request("invalid_param", "since 必须是 ISO 8601 时间 / since must be an ISO 8601 time", field="since")
    return jsonify({"events": events.query(
        get_db(), order_id=request.args.get("order_id"), kind=request.args.get("kind"),
        site=site_arg(), since=since, limit=int_arg("limit", 100, 1, 1000),
        operator=request.args.get("operator"),
    )})
