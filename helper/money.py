"""Money per sales order, per day and per shop: what was sold, what the purchases cost, the margin.

Every amount is a `decimal.Decimal` inside and a decimal string outside ("19.90"), never a float:
0.10 + 0.20 is "0.30". Pages send money in fen (拼多多 `order_amount`, 1688 `price`); the
adapters turn fen into yuan strings once, where they read the reply (`fen()` in
extension/lib/order-list.js and extension/sites/alibaba-buyer.js), so the helper only ever
receives yuan strings (MODEL.md).

Rules (one place, used by the API, the pages and the order page):

- **Sale** of a sales order: its `amount` (实收金额, what the page says the buyer paid); when the
  page gave none, the sum of its items' `price` × `quantity` (a missing quantity counts 1, as
  the adapters do). Basis `amount` or `items`; with neither the sale is *unknown*.
- **Cost** of a purchase order: its `amount` (实付款, freight included) when sent, else its
  items' `price` × `quantity` (freight not included: basis `items`). A purchase order whose
  status says it was cancelled or refunded (`取消`, `关闭`, `退款成功`) costs nothing.
- **Cost of a sales order**: the sum over *all* purchase orders linked to it (explicitly, by
  remark or by buyer; never an ambiguous match). No live purchase → `no_purchase`; any live
  purchase of unknown cost → `unknown` (the order's cost is not a partial sum).
- **Margin** = sale − cost, only when both are known. An order with an unknown sale or cost is
  counted apart (`unknown_sale`, `unknown_cost`, `no_purchase`), never as a margin of 0.
- A **cancelled** sales order (status with `取消`, `关闭` or `退款成功`) is left out of revenue,
  cost and margin; what its live purchases cost is shown as `cancelled_cost` (money to get back).
- **Money waiting** (`waiting`): the known cost of live orders that were purchased but are not
  uploaded yet (no shipment confirmed on the platform by the extension, no `shipped_number`, and
  the page's status does not say shipped: `已发货`, `待收货`, `运输中`, `配送中`, `派送中`, `签收`,
  `已收货`, `确认收货`, `交易成功`, `已完成`).
- **Day** of an order: the Beijing date of its 下单时间 (`created_at` as the page shows it);
  an order whose page gave no time falls on the Beijing date the helper first saw it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

BEIJING = timezone(timedelta(hours=8))
_MONEY_RE = re.compile(r"^-?\d{1,12}(\.\d{1,4})?$")      # as helper/payloads/fields.py's Money
CANCELLED_WORDS = ("取消", "关闭", "退款成功")
SHIPPED_WORDS = ("已发货", "待收货", "运输中", "配送中", "派送中", "签收", "已收货", "确认收货", "交易成功", "已完成")
_CANCELLED_RE = re.compile("|".join(CANCELLED_WORDS))
_SHIPPED_RE = re.compile("|".join(SHIPPED_WORDS))
ZERO = Decimal("0")
BY = ("day", "shop")


# ------------------------------------------------------------------ values

def to_decimal(value) -> Decimal | None:
    """A decimal string ("19.90", "-1.5", up to 4 places) → Decimal; anything else → None
    (numbers, "¥19.90", "", None: a float never becomes money)."""
    if isinstance(value, str) and _MONEY_RE.match(value):
        return Decimal(value)
    return None


def money_text(value: Decimal | None) -> str | None:
    """Decimal → "19.90": two places, more only when the value needs them ("1.2345"; never rounded)."""
    if value is None:
        return None
    cents = value.quantize(Decimal("0.01"))
    return str(cents) if cents == value else str(value.normalize())


def items_total(items) -> Decimal | None:
    """Σ price × quantity of MODEL.md items; None when there is none or any price is not a
    decimal string (a partial total would look like a real one)."""
    if isinstance(items, str):
        try:
            items = json.loads(items)
        except ValueError:
            return None
    if not isinstance(items, list) or not items:
        return None
    total = ZERO
    for item in items:
        if not isinstance(item, dict):
            return None
        price = to_decimal(item.get("price"))
        quantity = item.get("quantity", 1)
        quantity = 1 if quantity is None else quantity
        if price is None or isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            return None
        total += price * quantity
    return total


def amount_of(amount, items) -> tuple[Decimal | None, str | None]:
    """(value, basis): the `amount` when it is a decimal string ("amount"), else the items'
    total ("items"), else (None, None)."""
    value = to_decimal(amount)
    if value is not None:
        return value, "amount"
    value = items_total(items)
    return (value, "items") if value is not None else (None, None)


def parse_time(value) -> datetime | None:
    """ISO 8601 text → aware datetime (a time without offset is Beijing time, as the pages show)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=BEIJING)


def beijing_date(value) -> str | None:
    """The Beijing date ("2026-11-24") of a stored time, whatever offset it was stored with."""
    dt = parse_time(value)
    return dt.astimezone(BEIJING).date().isoformat() if dt else None


def is_cancelled(status) -> bool:
    """The page's status text says cancelled, closed or refunded (`CANCELLED_WORDS`)."""
    return isinstance(status, str) and _CANCELLED_RE.search(status) is not None


def shows_shipped(status) -> bool:
    """The page's status text says shipped or delivered (`SHIPPED_WORDS`), and not cancelled."""
    return isinstance(status, str) and not is_cancelled(status) and _SHIPPED_RE.search(status) is not None


# ------------------------------------------------------------------ one order

@dataclass
class Purchase:
    site: str
    order_id: str
    supplier: str | None
    status: str | None
    cost: Decimal | None
    basis: str | None
    cancelled: bool

    def to_json(self) -> dict:
        return {"site": self.site, "order_id": self.order_id, "supplier": self.supplier, "status": self.status,
                "cost": money_text(self.cost), "basis": self.basis, "cancelled": self.cancelled}


@dataclass
class OrderMoney:
    """One sales order's money: `settle()` works out the figures once its purchases are in
    (`cancelled`, `live` purchases, `cost_state`, `cost`, `margin`, `waiting`)."""

    site: str
    order_id: str
    shop: str | None
    status: str | None
    day: str | None
    sale: Decimal | None
    sale_basis: str | None
    uploaded: bool
    purchases: list[Purchase] = field(default_factory=list)
    cancelled: bool = False
    live: list[Purchase] = field(default_factory=list)
    cost_state: str = "no_purchase"       # "known", "unknown" (a live purchase of unknown cost) or "no_purchase"
    cost: Decimal | None = None
    margin: Decimal | None = None
    waiting: bool = False                 # purchased, not uploaded, not cancelled: money out, sale not in

    def settle(self) -> "OrderMoney":
        self.cancelled = is_cancelled(self.status)
        self.live = [p for p in self.purchases if not p.cancelled]
        if not self.live:
            self.cost_state = "no_purchase"
        elif any(p.cost is None for p in self.live):
            self.cost_state = "unknown"
        else:
            self.cost_state = "known"
            self.cost = sum((p.cost for p in self.live), ZERO)
        self.margin = self.sale - self.cost if self.sale is not None and self.cost is not None else None
        self.waiting = not self.cancelled and bool(self.live) and not self.uploaded
        return self

    def to_json(self) -> dict:
        return {"site": self.site, "order_id": self.order_id, "shop": self.shop, "status": self.status,
                "day": self.day, "sale": money_text(self.sale), "sale_basis": self.sale_basis,
                "cost": money_text(self.cost), "cost_state": self.cost_state, "margin": money_text(self.margin),
                "cancelled": self.cancelled, "uploaded": self.uploaded, "waiting": self.waiting,
                "live_purchases": len(self.live), "purchases": [p.to_json() for p in self.purchases]}


_SALES_SQL = ("SELECT site, order_id, shop, status, created_at, first_seen, amount, "
              "json_extract(data, '$.items') AS items, json_extract(data, '$.shipped_number') AS shipped_number "
              "FROM sales_orders so")
_PURCHASES_SQL = ("SELECT sales_site, sales_order_id, site, order_id, supplier, status, "
                  "json_extract(data, '$.amount') AS amount, json_extract(data, '$.items') AS items "
                  "FROM purchase_orders WHERE sales_order_id IS NOT NULL AND match_method IS NOT NULL "
                  "AND match_method != 'ambiguous'")


def _order(row, uploaded: bool) -> OrderMoney:
    sale, basis = amount_of(row["amount"], row["items"])
    day = beijing_date(row["created_at"]) or beijing_date(row["first_seen"])
    return OrderMoney(site=row["site"], order_id=row["order_id"], shop=row["shop"], status=row["status"], day=day,
                      sale=sale, sale_basis=basis,
                      uploaded=uploaded or shows_shipped(row["status"]) or bool(row["shipped_number"]))


def _purchase(row) -> Purchase:
    cost, basis = amount_of(row["amount"], row["items"])
    cancelled = is_cancelled(row["status"])
    return Purchase(site=row["site"], order_id=row["order_id"], supplier=row["supplier"], status=row["status"],
                    cost=cost, basis=basis, cancelled=cancelled)


def order_money(db, site: str, order_id: str) -> OrderMoney | None:
    """One sales order's money (the order page, `GET /api/v1/money/orders/<site>/<order_id>`);
    None when the order is not stored."""
    row = db.execute(_SALES_SQL + " WHERE so.site = ? AND so.order_id = ?", [site, order_id]).fetchone()
    if row is None:
        return None
    uploaded = db.execute("SELECT 1 FROM shipments WHERE site = ? AND order_id = ? AND submitted = 1 LIMIT 1",
                          [site, order_id]).fetchone() is not None
    order = _order(row, uploaded)
    order.purchases = [_purchase(r) for r in db.execute(
        _PURCHASES_SQL + " AND sales_site = ? AND sales_order_id = ? ORDER BY id", [site, order_id])]
    return order.settle()


def orders_money(db, date_from: date | None = None, date_to: date | None = None) -> list[OrderMoney]:
    """Every sales order whose day (see the module's rules) is within [date_from, date_to]
    (Beijing dates, both included; None = open), with its purchases. Two reads whatever the
    number of orders: the sales orders, then their purchase orders (joined, same range)."""
    where, params = "", []
    if date_from or date_to:
        # A coarse text range on the stored time (offsets are within a day of Beijing), then the
        # exact Beijing date below.
        when = "COALESCE(NULLIF(so.created_at, ''), so.first_seen)"
        bounds = []
        if date_from:
            bounds.append(f"{when} >= ?")
            params.append((date_from - timedelta(days=1)).isoformat())
        if date_to:
            bounds.append(f"{when} < ?")
            params.append((date_to + timedelta(days=2)).isoformat())
        where = " WHERE " + " AND ".join(bounds)
    uploaded = {(r[0], r[1]) for r in db.execute("SELECT DISTINCT site, order_id FROM shipments WHERE submitted = 1")}
    low, high = (date_from.isoformat() if date_from else ""), (date_to.isoformat() if date_to else "9999")
    orders: dict[tuple, OrderMoney] = {}
    for row in db.execute(_SALES_SQL + where, params):
        order = _order(row, (row["site"], row["order_id"]) in uploaded)
        if where and not (order.day and low <= order.day <= high):
            continue
        orders[(order.site, order.order_id)] = order
    purchases = ("SELECT po.sales_site, po.sales_order_id, po.site, po.order_id, po.supplier, po.status, "
                 "json_extract(po.data, '$.amount') AS amount, json_extract(po.data, '$.items') AS items "
                 "FROM purchase_orders po JOIN sales_orders so ON so.site = po.sales_site "
                 "AND so.order_id = po.sales_order_id" + where
                 + (" AND" if where else " WHERE") + " po.match_method IS NOT NULL AND po.match_method != 'ambiguous' "
                 "ORDER BY po.id")
    for row in db.execute(purchases, params):
        order = orders.get((row["sales_site"], row["sales_order_id"]))
        if order is not None:
            order.purchases.append(_purchase(row))
    return [order.settle() for order in orders.values()]


# ------------------------------------------------------------------ sums

@dataclass
class Totals:
    """The figures of one row of the day or shop table (and of the total row)."""

    orders: int = 0
    cancelled: int = 0
    revenue: Decimal = ZERO
    cost: Decimal = ZERO
    margin: Decimal = ZERO
    margin_orders: int = 0
    unknown_sale: int = 0
    unknown_cost: int = 0
    no_purchase: int = 0
    waiting: Decimal = ZERO
    waiting_orders: int = 0
    cancelled_cost: Decimal = ZERO

    def add(self, o: OrderMoney) -> None:
        self.orders += 1
        if o.cancelled:
            self.cancelled += 1
            self.cancelled_cost += sum((p.cost for p in o.live if p.cost is not None), ZERO)
            return
        if o.sale is None:
            self.unknown_sale += 1
        else:
            self.revenue += o.sale
        state = o.cost_state
        if state == "no_purchase":
            self.no_purchase += 1
        elif state == "unknown":
            self.unknown_cost += 1
        else:
            self.cost += o.cost
        if o.margin is not None:
            self.margin += o.margin
            self.margin_orders += 1
        if o.waiting:
            self.waiting_orders += 1
            if o.cost is not None:
                self.waiting += o.cost

    def to_json(self) -> dict:
        out = {}
        for name, value in vars(self).items():
            out[name] = money_text(value) if isinstance(value, Decimal) else value
        return out


def summarize(orders: list[OrderMoney], by: str) -> dict:
    """`{"by", "rows": [...], "total": {...}}`: one row per Beijing day (newest first, key
    `day`) or per shop (key `site` + `shop`, largest revenue first), each with the `Totals`
    figures; money as decimal strings, counts as whole numbers."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}")
    groups: dict[tuple, Totals] = {}
    total = Totals()
    for o in orders:
        key = (o.day or "",) if by == "day" else (o.site, o.shop or "")
        groups.setdefault(key, Totals()).add(o)
        total.add(o)
    if by == "day":
        rows = [{"day": k[0], **t.to_json()} for k, t in sorted(groups.items(), reverse=True)]
    else:
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1].revenue, kv[0]))
        rows = [{"site": k[0], "shop": k[1], **t.to_json()} for k, t in ordered]
    return {"by": by, "rows": rows, "total": total.to_json()}


def report(db, by: str = "day", date_from: date | None = None, date_to: date | None = None) -> dict:
    """`GET /api/v1/money`: `summarize` over the orders of the range, plus the range itself."""
    out = summarize(orders_money(db, date_from, date_to), by)
    out["from"] = date_from.isoformat() if date_from else None
    out["to"] = date_to.isoformat() if date_to else None
    return out


__all__ = ["to_decimal", "money_text", "items_total", "amount_of", "beijing_date", "parse_time", "is_cancelled",
           "shows_shipped", "order_money", "orders_money", "summarize", "report", "OrderMoney", "Purchase", "Totals"]
