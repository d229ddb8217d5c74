"""Operators through the API (owners only: `helper.security.OWNER_ONLY` answers 403 `owner_only`
to an operator's token). Adding one is `danhao operators add` on the helper's machine: a new
token is shown once there, never sent over the network."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import operators
from ..db import get_db
from . import operator, write_route

bp = Blueprint("operators", __name__, url_prefix="/api/v1")


@bp.get("/operators")
def list_operators():
    """Every operator: name, role, active, tokens, last activity and counts (events, filled, confirmed, links)."""
    return jsonify({"operators": operators.listing(get_db())})


@bp.delete("/operators/<name>")
@write_route
def revoke_operator(db, name):
    """Revoke one operator: every token it has stops working (401) at once."""
    return {"revoked": operators.revoke(db, name, by=operator()), "operators": operators.listing(db)}, 200
