"""Review pages served by the helper: orders, shipments and the event log, with CSV export."""

from __future__ import annotations

import hmac
import io
import json

from flask import Blueprint, Response, redirect, render_template, request, url_for

from .. import __version__, events, queries
from ..csvsafe import writer as csv_writer
from ..db import get_db
from ..security import ensure_token
from .auth import SESSION_HOURS, cookie_name, session_value, signed_in
from .params import page_args, page_number

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static")

PAGE_SIZE = 50
SHIPMENT_STATUS = {"ready": "可填写", "review": "待人工确认", "blocked": "已阻止"}


@bp.before_request
def _require_sign_in():
    if request.endpoint in ("web.login", "web.static"):
        return None
    if not signed_in(ensure_token(get_db())):
        return redirect(url_for("web.login", next=request.full_path if request.path != "/" else None))
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    token = ensure_token(get_db())
    # Only a POSTed form signs in: /login?token=… would leave the token in the browser's history.
    given = request.form.get("token", "") if request.method == "POST" else ""
    error = None
    if given:
        if hmac.compare_digest(given.encode(), token.encode()):
            target = request.values.get("next") or url_for("web.orders")
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("web.orders")
            response = redirect(target)
            response.set_cookie(cookie_name(), session_value(token), httponly=True, samesite="Strict",
                                max_age=SESSION_HOURS * 3600)
            return response
        error = "令牌不对 / Wrong token"
    return render_template("login.html", error=error, next=request.values.get("next", "")), (401 if error else 200)


@bp.get("/")
def index():
    return redirect(url_for("web.orders"))


def _find_orders(db, args: dict, limit: int, offset: int = 0) -> list[dict]:
    """The orders the filters ask for (``args``: `params.page_args()`), each way answered by an
    index (see helper/queries.py): a search looks up the order id, the buyer name and the
    tracking number exactly."""
    site = args.get("site", "")
    status = args.get("status", "")
    q = args.get("q", "").strip()
    if q:
        found = {}
        for row in [*db.execute(f"SELECT {queries._COLUMNS} FROM sales_orders so WHERE so.order_id = ? OR so.buyer_name = ?",
                                [q, q]), *queries.orders_with_number(db, q)]:
            row = dict(row)
            found[(row["site"], row["order_id"])] = row
        rows = [r for r in found.values() if (not site or r["site"] == site) and (not status or r["status"] == status)]
        rows.sort(key=lambda r: r["created_at"] or "", reverse=True)
        return rows[offset:offset + limit]
    if args.get("due") == "24h":
        rows = queries.orders_due_within(db, 24, site=site or None, limit=offset + limit)
        return [r for r in rows if not status or r["status"] == status][offset:offset + limit]
    where, params = [], []
    if site:
        where.append("so.site = ?")
        params.append(site)
    if status:
        where.append("so.status = ?")
        params.append(status)
    sql = f"SELECT {queries._COLUMNS} FROM sales_orders so"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY so.created_at DESC LIMIT ? OFFSET ?"
    return [dict(r) for r in db.execute(sql, params + [limit, offset])]


@bp.get("/orders")
def orders():
    db = get_db()
    args, page = page_args(), page_number()
    rows = _find_orders(db, args, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    sites = [r[0] for r in db.execute("SELECT DISTINCT site FROM sales_orders ORDER BY site")]
    return render_template("orders.html", rows=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE, page=page,
                           sites=sites, args=args, version=__version__)


@bp.get("/orders/<site>/<order_id>")
def order(site, order_id):
    db = get_db()
    row = db.execute("SELECT data FROM sales_orders WHERE site = ? AND order_id = ?", [site, order_id]).fetchone()
    if row is None:
        return render_template("message.html", title="未找到 / Not found", message=f"{site} {order_id}"), 404
    order = json.loads(row[0])
    shipments = [json.loads(r[0]) | {"fill_result": r[1], "submitted": bool(r[2])} for r in db.execute(
        "SELECT data, fill_result, submitted FROM shipments WHERE site = ? AND order_id = ?", [site, order_id])]
    purchases = [dict(r) for r in db.execute(
        "SELECT site, order_id, supplier, status, match_method, match_score FROM purchase_orders "
        "WHERE sales_site = ? AND sales_order_id = ?", [site, order_id])]
    log = events.query(db, order_id=order_id, limit=200)
    return render_template("order.html", site=site, order=order, shipments=shipments, purchases=purchases,
                           log=log, status_names=SHIPMENT_STATUS, version=__version__)


@bp.get("/shipments")
def shipments():
    db = get_db()
    args, page = page_args(), page_number()
    where, params = [], []
    for key in ("site", "status"):
        if args.get(key):
            where.append(f"{key} = ?")
            params.append(args[key])
    if args.get("q"):
        where.append("(number = ? OR order_id = ?)")
        params += [args["q"].strip().upper(), args["q"].strip()]
    sql = "SELECT data, fill_result, submitted, updated_at FROM shipments"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY updated_at DESC LIMIT ? OFFSET ?"
    rows = [json.loads(r[0]) | {"fill_result": r[1], "submitted": bool(r[2]), "updated_at": r[3]}
            for r in db.execute(sql, params + [PAGE_SIZE + 1, (page - 1) * PAGE_SIZE])]
    return render_template("shipments.html", rows=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE, page=page,
                           args=args, status_names=SHIPMENT_STATUS, version=__version__)


@bp.get("/events")
def event_log():
    args = page_args()
    rows = events.query(get_db(), order_id=args.get("order_id"), kind=args.get("kind"),
                        site=args.get("site"), since=args.get("since"), limit=500)
    return render_template("events.html", rows=rows, args=args, version=__version__)


def _csv(filename: str, header: list[str], rows) -> Response:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel on Windows reads UTF-8 CSV correctly only with a BOM
    writer = csv_writer(buffer)   # no cell starts a formula (helper/csvsafe.py)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/orders.csv")
def orders_csv():
    cols = ["site", "order_id", "status", "created_at", "ship_by", "buyer_name", "province", "city", "amount", "shop", "shipments"]
    rows = _find_orders(get_db(), page_args(), 1_000_000)
    return _csv("danhao-orders.csv", cols, ([r[c] for c in cols] for r in rows))


@bp.get("/events.csv")
def events_csv():
    args = page_args()
    rows = events.query(get_db(), order_id=args.get("order_id"), kind=args.get("kind"), limit=100000)
    return _csv("danhao-events.csv", ["id", "at", "operator", "kind", "site", "order_id", "data"],
                ((e["id"], e["at"], e["operator"], e["kind"], e["site"], e["order_id"],
                  json.dumps(e["data"], ensure_ascii=False)) for e in rows))


@bp.get("/exports/bulk-shipping.csv")
def bulk_shipping_csv():
    """The 批量发货 file, from the review pages (signed in by cookie, not token header); read only."""
    from ..exports import TEMPLATES, bulk_shipping_csv as render, bulk_shipping_rows

    site = request.args.get("site", "pdd-seller")
    if site not in TEMPLATES:
        return render_template("message.html", title="不支持的站点 / Unknown site", message=site[:40]), 400
    rows = bulk_shipping_rows(get_db(), site)
    return Response(render(rows, site), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=danhao-{site}-bulk-shipping.csv"})
