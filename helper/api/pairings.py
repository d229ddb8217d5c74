"""Paired extensions: which browsers' Danhao extensions may call this helper, and unpairing one.

An extension is paired when it first presents the token, or when the person clicks 允许 on the
helper's /pair page (helper/web/pairing.py). Revoking one makes the helper refuse that extension
(403 `pairing_revoked`) even with the right token, until it is paired again on /pair.
"""

from __future__ import annotations

import re

from flask import Blueprint, jsonify

from ..db import get_db
from ..errors import ApiError, bad_request
from ..security import list_pairings, revoke_origin

bp = Blueprint("pairings", __name__, url_prefix="/api/v1")
EXTENSION_ID = re.compile(r"^[a-p]{32}$")


@bp.get("/pairings")
def pairings():
    """The paired extensions: extension id, origin, when and how each was paired."""
    return jsonify({"pairings": list_pairings(get_db())})


@bp.delete("/pairings/<extension_id>")
def revoke(extension_id):
    """Unpair one extension: it is refused from now on, until paired again on /pair."""
    if not EXTENSION_ID.match(extension_id):
        raise bad_request("invalid_extension_id", "扩展 ID 应为 32 个 a–p 字母 / An extension id is 32 letters a–p",
                          field="extension_id")
    if not revoke_origin(get_db(), f"chrome-extension://{extension_id}"):
        raise ApiError(404, "not_paired", "这个扩展没有配对 / This extension is not paired", {"extension_id": extension_id})
    return jsonify({"revoked": extension_id, "pairings": list_pairings(get_db())})
