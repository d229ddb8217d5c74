"""The 操作员 review page (`/operators`, owners only): every operator with its role, whether it is
active, its tokens, last activity and what it did (events, numbers filled, shipments confirmed,
purchases linked by hand), each name linking to the log filtered by that operator. The figures
come from `helper.operators.listing`; adding and revoking is `danhao operators add|revoke` (or
`DELETE /api/v1/operators/<name>`). An operator's sign-in gets a 403 page here."""

from __future__ import annotations

from flask import g, render_template, url_for

from .. import operators
from ..db import get_db
from . import bp, i18n


@bp.get("/operators")
def operators_page():
    identity = g.get("identity")
    if identity is None or not identity.is_owner:
        return render_template("message.html", title=i18n.t("只有店主可以查看", "Owners only"),
                               message=i18n.t("操作员列表只对店主（owner 角色）开放。", "The operator list is for owners only."),
                               back=url_for("web.event_log")), 403
    return render_template("operators.html", rows=operators.listing(get_db()))
