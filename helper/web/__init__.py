"""Review pages served by the helper: a dashboard, orders, an order's page, shipments, the event
log and the settings (read only), with CSV export. Chinese first (`?lang=en` switches, see
i18n.py), every time in Beijing time, codes shown as words (words.py)."""

from __future__ import annotations

import io
import json
import os

from flask import Blueprint, Response, g, redirect, render_template, request, url_for

from .. import __version__, events, operators
from .. import settings as settings_module
from ..csvsafe import writer as csv_writer
from ..db import get_db
from ..security import ensure_token
from . import i18n, words
from .auth import SESSION_HOURS, cookie_name, session_for, session_identity
from .params import TEXT_PARAMS, page_args, page_number

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static")

PAGE_SIZE = 50
SHIPMENT_STATUS = {k: v[0] for k, v in words.SHIPMENT_STATUS.items()}   # kept for callers of the old name


@bp.before_request
def _require_sign_in():
    if request.endpoint in ("web.login", "web.static"):
        return None
    identity = session_identity(get_db())   # the helper's token or an operator's (helper/operators.py)
    if identity is None:
        return redirect(url_for("web.login", next=request.full_path if request.path != "/" else None))
    g.identity, g.operator = identity, identity.name   # who a write made from these pages is recorded as
    return None


@bp.after_request
def _remember_language(response):
    return i18n.remember(response)


@bp.context_processor
def _template_helpers():
    lang = i18n.current()
    return {
        "lang": lang, "t": i18n.t, "version": __version__, "words": words,
        "switch_url": _switch_url, "site_name": lambda s: words.site_name(s, lang),
        "bj": words.beijing, "bj_iso": words.beijing_iso,
        "ship_status": lambda s: words.word(words.SHIPMENT_STATUS, s, lang),
        "level_name": lambda s: words.word(words.LEVELS, s, lang),
        "check_name": lambda c: words.word(words.CHECKS, c, lang),
        "check_msg": lambda m: words.message(m, lang),
        "fill_name": lambda r: words.word(words.FILL_RESULTS, r, lang),
        "kind_name": lambda k: words.event_kind(k, lang),
        "sentence": lambda e: words.event_sentence(e, lang),
        "order_status": lambda s: words.order_status(s, lang),
        "status_tone": words.order_status_tone,
        "courier_name": lambda c: words.courier_name(c, lang),
        "match_name": lambda m: words.word(words.MATCH_METHODS, m, lang),
        "event_tone": words.event_tone,
        "parse_shipments": _parse_shipments,
    }


def _switch_url(lang: str) -> str:
    keep = [(k, v) for k, v in request.args.items(multi=True) if k in TEXT_PARAMS or k == "page"]
    try:
        from urllib.parse import urlencode
        query = urlencode([*keep, ("lang", lang)])
    except UnicodeError:
        query = f"lang={lang}"
    return request.path + "?" + query


def _parse_shipments(text) -> list[tuple[str, str]]:
    """`queries._COLUMNS`' "ready:YT123 review:" → [("ready", "YT123"), ("review", "")]."""
    out = []
    for part in (text or "").split():
        status, _, number = part.partition(":")
        out.append((status, number))
    return out


@bp.route("/login", methods=["GET", "POST"])
def login():
    db = get_db()
    # Only a POSTed form signs in: /login?token=… would leave the token in the browser's history.
    given = request.form.get("token", "") if request.method == "POST" else ""
    error = None
    if given:
        identity = operators.authenticate(db, given)   # constant-time compare / digest lookup
        if identity is not None:
            target = request.values.get("next") or url_for("web.index")
            if not target.startswith("/") or target.startswith("//") or target.startswith("/\\"):
                target = url_for("web.index")
            response = redirect(target)
            response.set_cookie(cookie_name(), session_for(ensure_token(db), identity), httponly=True, samesite="Strict",
                                max_age=SESSION_HOURS * 3600)
            return response
        error = "令牌不对 / Wrong token" if i18n.current() != "en" else "Wrong token / 令牌不对"
    return render_template("login.html", error=error, next=request.values.get("next", "")), (401 if error else 200)


# ------------------------------------------------------------------ dashboard, orders, an order
# In status_pages.py: where each order stands (derived status, deadlines, lost numbers).

def _providers(db) -> list[str]:
    from ..tracking.config import TrackingConfig

    return TrackingConfig.from_env(settings_module.raw(db)).configured()


def _find_orders(db, args: dict, limit: int, offset: int = 0) -> list[dict]:
    """The orders the filters ask for (the orders page and its CSV): `status_pages.find_orders`."""
    from .status_pages import find_orders

    return find_orders(db, args, limit, offset)


# ------------------------------------------------------------------ shipments

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
                           args=args, filtered=bool(args), export_sites=_export_sites(db))


def _export_sites(db) -> list[str]:
    from ..exports import TEMPLATES

    present = [r[0] for r in db.execute("SELECT DISTINCT site FROM shipments")]
    return [s for s in present if s in TEMPLATES] or ["pdd-seller"]


# ------------------------------------------------------------------ event log

@bp.get("/events")
def event_log():
    args = page_args()
    db = get_db()
    rows = events.query(db, order_id=args.get("order_id"), kind=args.get("kind"),
                        site=args.get("site"), since=args.get("since"), limit=500, operator=args.get("operator"))
    return render_template("events.html", rows=rows, args=args, filtered=bool(args), operator_names=operators.names(db))


# ------------------------------------------------------------------ settings (read only)

@bp.get("/settings")
def settings_page():
    db = get_db()
    stored = settings_module.describe(db)
    lang = i18n.current()
    rows = []
    for name, text in settings_module.PUBLIC_SETTINGS.items():
        env = os.environ.get("DANHAO_" + name.upper())
        rows.append({"name": name, "about": words.bilingual(text, lang), "secret": False,
                     "value": env if env else stored.get(name), "from_env": bool(env),
                     "machine_only": name in settings_module.MACHINE_ONLY})
    for name, text in settings_module.SECRET_SETTINGS.items():
        env = os.environ.get("DANHAO_" + name.upper())
        rows.append({"name": name, "about": words.bilingual(text, lang), "secret": True,
                     "value": "set" if (env or stored.get(name)) else None, "from_env": bool(env),
                     "machine_only": False})
    return render_template("settings.html", rows=rows, providers=_providers(db))


# ------------------------------------------------------------------ CSV

def _csv(filename: str, header: list[str], rows) -> Response:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel on Windows reads UTF-8 CSV correctly only with a BOM
    writer = csv_writer(buffer, lineterminator="\r\n")   # no cell starts a formula (helper/csvsafe.py)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


ORDER_COLUMNS = [  # (column, 中文, English)
    ("site", "站点", "Site"), ("order_id", "订单号", "Order"), ("status", "状态", "Status"),
    ("created_at", "下单时间（北京时间）", "Ordered (Beijing time)"),
    ("ship_by", "承诺发货（北京时间）", "Ship by (Beijing time)"), ("buyer_name", "收货人", "Recipient"),
    ("province", "省份", "Province"), ("city", "城市", "City"), ("amount", "金额", "Amount"),
    ("shop", "店铺", "Shop"), ("shipments", "运单", "Shipments"),
    ("order_status", "进度", "Standing"), ("due_at", "发货截止（北京时间）", "Ship-by deadline (Beijing time)"),
]


def _order_cell(row: dict, column: str, lang: str):
    value = row[column]
    if column == "site":
        return words.site_name(value, lang)
    if column in ("created_at", "ship_by", "due_at"):
        return words.beijing(value)
    if column == "order_status":
        return words.order_state(value, lang)
    if column == "shipments":
        return "；".join(f"{words.word(words.SHIPMENT_STATUS, s, lang)} {n}".strip() for s, n in _parse_shipments(value))
    return value


@bp.get("/orders.csv")
def orders_csv():
    lang = i18n.current()
    rows = _find_orders(get_db(), page_args(), 1_000_000)
    header = [(en if lang == "en" else zh) for _, zh, en in ORDER_COLUMNS]
    return _csv("danhao-orders.csv", header, ([_order_cell(r, c, lang) for c, _, _ in ORDER_COLUMNS] for r in rows))


@bp.get("/events.csv")
def events_csv():
    lang = i18n.current()
    args = page_args()
    rows = events.query(get_db(), order_id=args.get("order_id"), kind=args.get("kind"), site=args.get("site"),
                        since=args.get("since"), operator=args.get("operator"), limit=100000)
    header = (["No.", "Time (Beijing)", "Operator", "Event", "What happened", "Site", "Order", "Event code", "Raw data"]
              if lang == "en" else
              ["序号", "时间（北京时间）", "操作员", "事件", "说明", "站点", "订单号", "事件代码", "原始数据"])
    return _csv("danhao-events.csv", header,
                ((e["id"], words.beijing(e["at"], seconds=True), e["operator"], words.event_kind(e["kind"], lang),
                  words.event_sentence(e, lang), words.site_name(e["site"], lang), e["order_id"], e["kind"],
                  json.dumps(e["data"], ensure_ascii=False)) for e in rows))


@bp.get("/exports/bulk-shipping.csv")
def bulk_shipping_csv():
    """The 批量发货 file, from the review pages (signed in by cookie, not token header); read only."""
    from ..exports import TEMPLATES, bulk_shipping_csv as render, bulk_shipping_rows

    site = request.args.get("site", "pdd-seller")
    if site not in TEMPLATES:
        return render_template("message.html", title=i18n.t("不支持的站点", "Unknown site"), message=site[:40],
                               back=url_for("web.shipments")), 400
    rows = bulk_shipping_rows(get_db(), site)
    return Response(render(rows, site), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=danhao-{site}-bulk-shipping.csv"})


def _load_page_modules() -> None:
    """Review pages in modules of their own add routes to this blueprint (`from . import bp`)."""
    import importlib

    for name in ("status_pages", "money_pages", "operator_pages", "export_pages", "patch_pages", "link_pages"):
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise


_load_page_modules()
