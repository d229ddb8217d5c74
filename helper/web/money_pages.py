"""Review pages for money and suppliers: 资金 (`/money`, per Beijing day and per shop, with totals),
供应商 (`/suppliers`, worst first, every figure explained), their CSV files (`/money.csv?by=day|shop`,
`/suppliers.csv`), and `order_money(site, order_id)` for the order page's money card
(templates/_order_money.html). The figures come from helper/money.py and helper/suppliers.py;
the templates only show them."""

from __future__ import annotations

from flask import render_template, request, url_for

from .. import money, suppliers
from ..api.money import by_arg, range_args
from ..api.suppliers import report_args
from ..db import get_db
from . import _csv, bp, i18n, words

KIND_WORDS = {
    "address": ("地址不符", "address mismatch"),
    "no_pickup": ("未揽收", "no pickup"),
    "stall": ("物流停滞", "stalled"),
    "returned": ("退回", "returned"),
    "number": ("单号有误", "bad number"),
}
BASIS_WORDS = {
    "amount": ("按页面上的订单金额", "from the order's amount"),
    "items": ("按商品单价 × 数量（不含运费）", "from item prices × quantities (no freight)"),
}


def yuan(text) -> str:
    """"19.90" → "¥19.90", "-3.00" → "-¥3.00", None → "—" (display only; the value is already computed)."""
    if text is None or text == "":
        return "—"
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"


def percent(share) -> str:
    """0.3333 → "33.3%", None → "—"."""
    return "—" if share is None else f"{share * 100:.1f}%"


@bp.context_processor
def _money_helpers():
    lang = i18n.current()
    return {
        "order_money": lambda site, order_id: _order_money(site, order_id),
        "yuan": yuan, "percent": percent,
        "kind_word": lambda k: words.word(KIND_WORDS, k, lang),
        "basis_word": lambda b: words.word(BASIS_WORDS, b, lang),
    }


def _order_money(site: str, order_id: str) -> dict | None:
    found = money.order_money(get_db(), site, order_id)
    return found.to_json() if found is not None else None


# ------------------------------------------------------------------ 资金

@bp.get("/money")
def money_page():
    start, end = range_args()
    orders = money.orders_money(get_db(), start, end)
    by_day, by_shop = money.summarize(orders, "day"), money.summarize(orders, "shop")
    span = {k: v.isoformat() for k, v in (("from", start), ("to", end)) if v}
    csv_urls = {by: url_for("web.money_csv", by=by, **span) for by in money.BY}
    return render_template("money.html", by_day=by_day, by_shop=by_shop, total=by_day["total"], csv_urls=csv_urls,
                           start=span.get("from", ""), end=span.get("to", ""))


MONEY_COLUMNS = [  # (key, 中文, English)
    ("orders", "订单数", "Orders"), ("revenue", "销售额", "Revenue"), ("cost", "采购成本", "Purchase cost"),
    ("margin", "毛利", "Margin"), ("margin_orders", "计入毛利的订单", "Orders in the margin"),
    ("unknown_sale", "金额未知的订单", "Orders with unknown sale"),
    ("unknown_cost", "成本未知的订单", "Orders with unknown cost"), ("no_purchase", "未采购的订单", "Orders not purchased"),
    ("waiting", "占用资金（已采购未发货）", "Money waiting (purchased, not shipped)"),
    ("waiting_orders", "占用资金的订单", "Orders waiting"), ("cancelled", "已取消的订单", "Cancelled orders"),
    ("cancelled_cost", "已取消订单的采购成本", "Purchase cost of cancelled orders"),
]


@bp.get("/money.csv")
def money_csv():
    lang = i18n.current()
    by = by_arg()
    start, end = range_args()
    report = money.report(get_db(), by, start, end)
    pick = (lambda zh, en: en if lang == "en" else zh)
    keys = [("day", "日期（北京时间）", "Date (Beijing)")] if by == "day" else [
        ("site", "站点", "Site"), ("shop", "店铺", "Shop")]
    header = [pick(zh, en) for _, zh, en in keys + MONEY_COLUMNS]

    def cells(row):
        head = [row["day"]] if by == "day" else [words.site_name(row["site"], lang), row["shop"]]
        return head + [row[k] for k, _, _ in MONEY_COLUMNS]

    total = report["total"]
    total_head = [pick("合计", "Total")] + ([""] if by == "shop" else [])
    rows = [cells(r) for r in report["rows"]] + [total_head + [total[k] for k, _, _ in MONEY_COLUMNS]]
    return _csv(f"danhao-money-by-{by}.csv", header, rows)


# ------------------------------------------------------------------ 供应商

@bp.get("/suppliers")
def suppliers_page():
    args = report_args()
    report = suppliers.report(get_db(), **args)
    return render_template("suppliers.html", report=report, kinds=list(suppliers.EXCEPTION_KINDS),
                           asked_hours=request.args.get("late_hours", ""))


SUPPLIER_COLUMNS = [  # (key, 中文, English)
    ("orders", "采购单数", "Purchase orders"), ("median_hours", "出单号中位时长（小时）", "Median hours to a number"),
    ("measured", "已计时的采购单", "Orders timed"), ("unmeasured", "无法计时的采购单", "Orders not timed"),
    ("late", "迟到", "Late"), ("judged", "已判定", "Judged"), ("late_share", "迟到比例", "Late share"),
    ("exceptions", "有异常的采购单", "Orders with exceptions"), ("exception_share", "异常比例", "Exception share"),
    ("cancelled", "已取消", "Cancelled"), ("cancel_share", "取消比例", "Cancel share"),
    ("score", "评分（越高越差）", "Score (higher is worse)"),
]


@bp.get("/suppliers.csv")
def suppliers_csv():
    lang = i18n.current()
    report = suppliers.report(get_db(), **report_args())
    pick = (lambda zh, en: en if lang == "en" else zh)
    kinds = list(suppliers.EXCEPTION_KINDS)
    header = ([pick("站点", "Site"), pick("供应商", "Supplier")] + [pick(zh, en) for _, zh, en in SUPPLIER_COLUMNS]
              + [pick(*KIND_WORDS[k]) for k in kinds])

    def cell(row, key):
        value = row[key]
        return percent(value) if key.endswith("_share") else value

    rows = ([words.site_name(r["site"], lang), r["supplier"] or pick("（未知供应商）", "(unknown supplier)")]
            + [cell(r, k) for k, _, _ in SUPPLIER_COLUMNS] + [r["by_kind"][k] for k in kinds]
            for r in report["suppliers"])
    return _csv("danhao-suppliers.csv", header, rows)
