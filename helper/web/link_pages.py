"""关联采购单 on an order's page: the person links a purchase order to this sales order by hand
(a supplier page that shows nothing to match on, such as AliExpress; an ambiguous match). The same
rule as `POST /api/v1/links` (helper/links.py); recorded under the signed-in operator.

A cross-site form cannot post here: the session cookie is SameSite=Strict, and a request whose
Origin names another site is refused as well."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import g, redirect, render_template, request, url_for

from ..db import get_db
from ..errors import ApiError
from ..links import link_by_hand
from ..store import transaction
from ..validation import SUPPLIER_SITES
from . import bp, i18n


def link_candidates(db, limit: int = 200) -> list[dict]:
    """Purchase orders a person may link: not linked to a sale yet, or only ambiguously; newest
    first → [{"site", "order_id", "supplier", "status", "match_method"}]."""
    return [dict(r) for r in db.execute(
        "SELECT site, order_id, supplier, status, match_method FROM purchase_orders "
        "WHERE sales_order_id IS NULL OR match_method = 'ambiguous' ORDER BY updated_at DESC, id DESC LIMIT ?", [limit])]


@bp.context_processor
def _link_helpers():
    return {"link_candidates": lambda: link_candidates(get_db())}


def _same_origin() -> bool:
    """No Origin (an old browser, a same-origin GET turned POST) or this helper's own origin."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


@bp.post("/orders/<site>/<order_id>/link")
def link_purchase(site, order_id):
    back = url_for("web.order", site=site, order_id=order_id)
    if not _same_origin():
        return render_template("message.html", title=i18n.t("不能关联", "Cannot link"),
                               message=i18n.t("请求来自别的网站", "The request came from another site"), back=back), 403
    picked = request.form.get("purchase", "")
    purchase_site, _, purchase_order_id = picked.partition("|")
    if not purchase_order_id:
        purchase_site = request.form.get("purchase_site", "")
        purchase_order_id = request.form.get("purchase_order_id", "").strip()
    if purchase_site not in SUPPLIER_SITES or not purchase_order_id or len(purchase_order_id) > 64:
        return render_template("message.html", title=i18n.t("不能关联", "Cannot link"),
                               message=i18n.t("请选择采购单，或填写采购网站和采购单号", "Pick a purchase order, or give its site and order id"),
                               back=back), 400
    db = get_db()
    try:
        with transaction(db):
            link_by_hand(db, site, order_id, purchase_site, purchase_order_id, g.get("operator"))
    except ApiError as err:
        return render_template("message.html", title=i18n.t("不能关联", "Cannot link"), message=err.message, back=back), err.status
    return redirect(back + "#purchases")
