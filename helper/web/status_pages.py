"""Review pages for where each order stands: the dashboard (`/`), the orders (`/orders`, filtered
by status, shop, site, deadline, lost numbers and operator) and one order (`/orders/<site>/<id>`,
its derived status, ship-by deadline, alerts and history). The figures come from
helper/dashboard.py and helper/order_status.py; the templates only show them."""

from __future__ import annotations

import json

from flask import render_template, url_for

from .. import clock, dashboard, events
from ..deadlines import parse
from ..db import get_db
from ..order_status import OPEN_STATES, STATES
from . import PAGE_SIZE, _providers, bp, i18n, words
from .params import page_args, page_number


@bp.context_processor
def _status_helpers():
    lang = i18n.current()
    return {
        "state_name": lambda code: words.order_state(code, lang),
        "state_badge": lambda code: words.ORDER_STATE_BADGE.get(code, "badge-order-other"),
        "due_view_name": lambda v: words.word(words.DEADLINE_VIEWS, v, lang),
        "lost_name": lambda v: words.word(words.LOST_KINDS, v, lang),
        "due_source_name": lambda v: words.word(words.DUE_SOURCES, v, lang),
        "hours_text": _hours_text,
    }


def _hours_text(hours) -> str:
    """1.5 → "1.5 小时", 30 → "30 小时" (or hours in English)."""
    if hours is None:
        return ""
    shown = f"{hours:.0f}" if abs(hours) >= 10 else f"{hours:.1f}"
    return i18n.t(f"{shown} 小时", f"{shown} h")


def _with_deadline(rows: list[dict]) -> list[dict]:
    """Each open order's hours left to its ship-by time (negative: overdue), for the pages."""
    now = clock.now_dt()
    for r in rows:
        due = parse(r.get("due_at"))
        r["hours_left"] = ((due - now).total_seconds() / 3600
                           if due is not None and r.get("order_status") in OPEN_STATES else None)
    return rows


def find_orders(db, args: dict, limit: int, offset: int = 0) -> list[dict]:
    """The orders the page's filters (``args``: `params.page_args()`) ask for: the orders page
    and its CSV (helper/dashboard.py `find_orders`; ``status=open``: not on the platform yet)."""
    return dashboard.find_orders(db, status=args.get("status"), due=args.get("due"), lost=args.get("lost"),
                                 site=args.get("site"), shop=args.get("shop"), operator=args.get("operator"),
                                 q=args.get("q"), limit=limit, offset=offset)


# ------------------------------------------------------------------ dashboard

@bp.get("/")
def index():
    db = get_db()
    figures = dashboard.figures(db)
    urgent = _with_deadline(dashboard.find_orders(db, due="overdue", limit=5)
                            + dashboard.find_orders(db, due="soon", limit=5))
    trace_alerts = [dict(r) | {"message": json.loads(r["message"])} for r in db.execute(
        "SELECT a.site, a.order_id, a.code, a.level, a.message, a.updated_at FROM alerts a "
        "WHERE a.resolved_at IS NULL ORDER BY CASE a.level WHEN 'block' THEN 0 WHEN 'review' THEN 1 ELSE 2 END, "
        "a.updated_at DESC LIMIT 10")]
    open_orders = sum(figures["orders"]["by_status"][s] for s in OPEN_STATES)
    return render_template(
        "dashboard.html", figures=figures, states=STATES, open_orders=open_orders, urgent=urgent,
        lost_purchases=dashboard.lost_purchases(db, limit=10), trace_alerts=trace_alerts,
        recent=events.query(db, limit=8), page_changes=events.query(db, kind="page", limit=3),
        providers=_providers(db), now=words.beijing(clock.now_iso()))


# ------------------------------------------------------------------ orders

@bp.get("/orders")
def orders():
    db = get_db()
    args, page = page_args(), page_number()
    rows = _with_deadline(find_orders(db, args, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE))
    sites = [r[0] for r in db.execute("SELECT DISTINCT site FROM sales_orders ORDER BY site")]
    page_statuses = [r[0] for r in db.execute(
        "SELECT DISTINCT status FROM sales_orders WHERE status != '' ORDER BY status LIMIT 30")]
    shops = sorted({shop for _, shop in dashboard.shops(db)})
    return render_template("orders.html", rows=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE, page=page,
                           sites=sites, states=STATES, page_statuses=page_statuses, shops=shops,
                           operators=dashboard.operators(db), hours=dashboard.hours(db), args=args,
                           filtered=bool(args))


@bp.get("/orders/<site>/<order_id>")
def order(site, order_id):
    db = get_db()
    row = db.execute("SELECT data, order_status, status_at, paid_at, due_at, due_source FROM sales_orders "
                     "WHERE site = ? AND order_id = ?", [site, order_id]).fetchone()
    if row is None:
        return render_template("message.html", title=i18n.t("未找到订单", "Order not found"),
                               message=f"{words.site_name(site, i18n.current())} {order_id}",
                               back=url_for("web.orders")), 404
    order = json.loads(row["data"])
    standing = _with_deadline([{k: row[k] for k in ("order_status", "status_at", "paid_at", "due_at", "due_source")}])[0]
    shipments = [json.loads(r[0]) | {"fill_result": r[1], "submitted": bool(r[2]), "updated_at": r[3]} for r in db.execute(
        "SELECT data, fill_result, submitted, updated_at FROM shipments WHERE site = ? AND order_id = ?", [site, order_id])]
    purchases = [dict(r) for r in db.execute(
        "SELECT site, order_id, supplier, status, match_method, match_score, data, placed_at, awaiting_number_since "
        "FROM purchase_orders WHERE sales_site = ? AND sales_order_id = ?", [site, order_id])]
    for p in purchases:
        data = json.loads(p.pop("data") or "{}")
        p["packages"] = data.get("packages") or []
    alerts = _order_alerts(db, site, order_id, standing, purchases)
    log = [e for e in events.query(db, order_id=order_id, limit=200) if e["site"] in (site, None)]
    for p in purchases:
        log += events.query(db, order_id=p["order_id"], site=p["site"], limit=50)
    log.sort(key=lambda e: e["id"], reverse=True)
    return render_template("order.html", site=site, order=order, standing=standing, alerts=alerts,
                           alert_hours=dashboard.hours(db),
                           shipments=shipments, purchases=purchases, log=log,
                           steps=_progress(order, purchases, shipments))


def _order_alerts(db, site: str, order_id: str, standing: dict, purchases: list[dict]) -> list[dict]:
    """This order's open alerts, as on the dashboard: ``{"kind": "unlinked" | "no_number" |
    "trace", "since", "purchase", "message"}``."""
    b = dashboard.bounds(db)
    out = []
    if standing["order_status"] == "to_purchase" and standing["paid_at"] and standing["paid_at"] <= b["unlinked"]:
        out.append({"kind": "unlinked", "since": standing["paid_at"]})
    if standing["order_status"] in OPEN_STATES:
        for p in purchases:
            since = p["awaiting_number_since"]
            if p["match_method"] != "ambiguous" and since and since <= b["lost"]:
                out.append({"kind": "no_number", "since": since, "purchase": p["order_id"]})
    for r in db.execute("SELECT code, level, message, updated_at FROM alerts WHERE site = ? AND order_id = ? "
                        "AND resolved_at IS NULL ORDER BY id", [site, order_id]):
        out.append({"kind": "trace", "since": r["updated_at"], "code": r["code"], "level": r["level"],
                    "message": json.loads(r["message"])})
    return out


def _progress(order, purchases, shipments) -> list[dict]:
    """同步 → 匹配采购单 → 生成运单 → 填写 → 确认发货, each done or not."""
    t = i18n.t
    return [
        {"name": t("已同步订单", "Order synced"), "done": True},
        {"name": t("匹配采购单", "Purchase matched"), "done": bool(purchases)},
        {"name": t("生成运单", "Shipment created"), "done": bool(shipments)},
        {"name": t("填写单号", "Number filled"), "done": any(s.get("fill_result") == "filled" or s["submitted"] for s in shipments)},
        {"name": t("确认发货", "Shipment confirmed"), "done": any(s["submitted"] for s in shipments)
         or (order.get("status") in words.DONE)},
    ]
