"""How each supplier serves the seller: speed of the number, late numbers, exceptions, cancellations.

One row per supplier, i.e. per (purchase site, `purchase_orders.supplier`); a purchase order
without a supplier name is counted under "" (未知供应商). Figures, each over the supplier's
purchase orders:

- `orders`: purchase orders stored; `cancelled`: those whose status says cancelled or refunded
  (`取消`, `关闭`, `退款成功`, as helper/money.py); `cancel_share` = cancelled / orders.
- **Placed** time: the page's 下单时间 (`created_at` of the purchase order) when the adapter
  sent it, else the time the helper first saw the order (`first_seen`).
- **Number** time: the first time the helper stored a tracking number for the order
  (`purchase_number_times`, migration m005_supplier_times).
- `median_hours`: median of number − placed over the orders where both are known and the
  number came after the placed time was known (an order first seen with its number already on
  it and no page time cannot be measured: `unmeasured`). One decimal.
- **Late** (`late`, over `judged`): an order not cancelled whose number came more than
  `late_hours` after it was placed (the 单号丢失 setting `lost_number_hours`, default 48: a
  number that late would have raised the lost-number alert) or after its sales order's ship-by
  (承诺发货时间); an order still without a number is late once either limit has passed, and is
  not judged before.
  `late_share` = late / judged.
- **Exceptions** (`exceptions`, over `orders`): purchase orders with at least one shipment
  (shipments.source_*) that (a) now carries a review/block check that is the supplier's doing:
  address mismatch (`address_mismatch`, `destination_mismatch`), returned (`returned`), trace
  problem (`trace_problem`) or a bad number (`invalid_format`, `not_a_tracking_number`,
  `number_reused`); or (b) has ever had a review/block alert (open or resolved, helper/verify.py)
  for those or the time rules of an uploaded parcel: no pickup (`no_pickup`,
  `no_update_after_upload`) and stalls (`stall_after_first_event`, `stall_after_hub`). No pickup
  and stalls count only from alerts: before upload they are only the parcel's early hours.
  `by_kind` counts orders per kind: address, no_pickup, stall, returned, number.
- **Score** (0–100, higher is worse; the table is sorted by it, then by more orders, then name):
  `100 × (0.35 × late_share + 0.30 × exception_share + 0.20 × cancel_share
  + 0.15 × min(median_hours / late_hours, 1))`; a missing figure adds 0. Worked out in exact
  fractions (median unrounded), rounded once, half up, to one decimal. The weights follow what
  costs the seller most: a late number is a late shipment (the platforms' 延迟发货 penalty),
  exceptions risk 虚假发货 penalties and complaints, a cancellation means buying again
  elsewhere, a slow but in-time supplier only narrows the margin for error.
"""

from __future__ import annotations

import math
import statistics
from datetime import datetime
from fractions import Fraction

from . import clock
from .money import is_cancelled, parse_time
from .store import get_setting

SETTING = "lost_number_hours"        # shared with the 单号丢失 alert (helper/settings.py)
DEFAULT_LATE_HOURS = 48
LATE_HOURS_RANGE = (1, 2160)
EXCEPTION_KINDS = {
    "address": ("address_mismatch", "destination_mismatch"),
    "no_pickup": ("no_pickup", "no_update_after_upload"),
    "stall": ("stall_after_first_event", "stall_after_hub", "trace_problem"),
    "returned": ("returned",),
    "number": ("invalid_format", "not_a_tracking_number", "number_reused"),
}
KIND_OF = {code: kind for kind, codes in EXCEPTION_KINDS.items() for code in codes}
TIME_RULES = {"no_pickup", "no_update_after_upload", "stall_after_first_event", "stall_after_hub"}
WEIGHTS = {"late": Fraction(35, 100), "exception": Fraction(30, 100), "cancel": Fraction(20, 100),
           "speed": Fraction(15, 100)}
SCORE_RULE = ("100 × (0.35 × late_share + 0.30 × exception_share + 0.20 × cancel_share "
              "+ 0.15 × min(median_hours / late_hours, 1))")


def late_hours(db) -> int:
    """The stored `lost_number_hours`, or 48 when unset or unreadable."""
    raw = get_setting(db, SETTING)
    try:
        value = int(raw) if raw is not None else DEFAULT_LATE_HOURS
    except ValueError:
        return DEFAULT_LATE_HOURS
    low, high = LATE_HOURS_RANGE
    return value if low <= value <= high else DEFAULT_LATE_HOURS


def _hours(later: datetime, earlier: datetime) -> Fraction:
    """Exact hours between two times (whole seconds): shares and scores are worked out in
    fractions, then rounded once, half up, so 1.25 shows as 1.3 and never as 1.2."""
    return Fraction(int((later - earlier).total_seconds()), 3600)


def _rounded(value: Fraction, places: int) -> float:
    scale = 10 ** places
    return math.floor(value * scale + Fraction(1, 2)) / scale


def _share(part: int, whole: int) -> float | None:
    return _rounded(Fraction(part, whole), 4) if whole else None


def _exceptions(db) -> dict[tuple, set[str]]:
    """(purchase site, purchase order id) → the exception kinds its shipments show or showed."""
    found: dict[tuple, set[str]] = {}
    marks = ",".join("?" * len(KIND_OF))
    now_codes = [c for c in KIND_OF if c not in TIME_RULES]
    rows = db.execute(
        "SELECT s.source_site, s.source_order_id, json_extract(c.value, '$.code') FROM shipments s, "
        "json_each(s.data, '$.checks') c WHERE s.source_order_id IS NOT NULL "
        "AND json_extract(c.value, '$.level') IN ('review', 'block') "
        f"AND json_extract(c.value, '$.code') IN ({','.join('?' * len(now_codes))})", now_codes).fetchall()
    rows += db.execute(
        "SELECT s.source_site, s.source_order_id, a.code FROM alerts a JOIN shipments s ON s.shipment_id = a.shipment_id "
        f"WHERE s.source_order_id IS NOT NULL AND a.level IN ('review', 'block') AND a.code IN ({marks})",
        list(KIND_OF)).fetchall()
    for site, order_id, code in rows:
        found.setdefault((site, order_id), set()).add(KIND_OF[code])
    return found


class _Supplier:
    def __init__(self, site: str, supplier: str):
        self.site, self.supplier = site, supplier
        self.orders = self.cancelled = self.late = self.judged = self.unmeasured = self.exceptions = 0
        self.pending = 0
        self.hours: list[Fraction] = []
        self.by_kind = {k: 0 for k in EXCEPTION_KINDS}

    def to_json(self, limit_h: int) -> dict:
        median = statistics.median(self.hours) if self.hours else None
        late_share = _share(self.late, self.judged)
        exception_share = _share(self.exceptions, self.orders)
        cancel_share = _share(self.cancelled, self.orders)
        score = Fraction(0)
        if self.judged:
            score += WEIGHTS["late"] * Fraction(self.late, self.judged)
        if self.orders:
            score += WEIGHTS["exception"] * Fraction(self.exceptions, self.orders)
            score += WEIGHTS["cancel"] * Fraction(self.cancelled, self.orders)
        if median is not None:
            score += WEIGHTS["speed"] * min(Fraction(median) / limit_h, Fraction(1))
        return {"site": self.site, "supplier": self.supplier, "orders": self.orders,
                "median_hours": _rounded(Fraction(median), 1) if median is not None else None,
                "measured": len(self.hours), "unmeasured": self.unmeasured, "pending": self.pending,
                "late": self.late, "judged": self.judged, "late_share": late_share,
                "exceptions": self.exceptions, "exception_share": exception_share, "by_kind": dict(self.by_kind),
                "cancelled": self.cancelled, "cancel_share": cancel_share,
                "score": _rounded(score * 100, 1)}


def report(db, limit_h: int | None = None, site: str | None = None, now: datetime | None = None) -> dict:
    """`GET /api/v1/suppliers` → `{"late_hours", "score_rule", "suppliers": [row…]}`, worst
    first. Each row: `site`, `supplier`, `orders`, `median_hours` (float, one decimal, or None),
    `measured`, `unmeasured`, `pending` (no number yet, not late yet), `late`, `judged`,
    `late_share`, `exceptions`, `exception_share`, `by_kind`, `cancelled`, `cancel_share`
    (shares are floats 0–1 to 4 places, None over nothing) and `score`. The rules are the
    module's docstring."""
    limit_h = limit_h or late_hours(db)
    now = now or clock.now_dt()
    exceptions = _exceptions(db)
    sql = ("SELECT po.site, po.order_id, IFNULL(po.supplier, '') AS supplier, po.status, po.first_seen, "
           "json_extract(po.data, '$.created_at') AS placed_at, t.number_at, so.ship_by "
           "FROM purchase_orders po "
           "LEFT JOIN purchase_number_times t ON t.site = po.site AND t.order_id = po.order_id "
           "LEFT JOIN sales_orders so ON so.site = po.sales_site AND so.order_id = po.sales_order_id "
           "AND po.match_method IS NOT NULL AND po.match_method != 'ambiguous'")
    params = []
    if site:
        sql += " WHERE po.site = ?"
        params.append(site)
    groups: dict[tuple, _Supplier] = {}
    for r in db.execute(sql, params):
        s = groups.get((r["site"], r["supplier"]))
        if s is None:
            s = groups[(r["site"], r["supplier"])] = _Supplier(r["site"], r["supplier"])
        s.orders += 1
        kinds = exceptions.get((r["site"], r["order_id"]), set())
        if kinds:
            s.exceptions += 1
            for kind in kinds:
                s.by_kind[kind] += 1
        if is_cancelled(r["status"]):
            s.cancelled += 1
            continue
        page_time = parse_time(r["placed_at"])
        first_seen = parse_time(r["first_seen"])
        placed = page_time or first_seen
        number_at = parse_time(r["number_at"])
        ship_by = parse_time(r["ship_by"])
        if number_at is not None:
            if placed is None or (page_time is None and number_at <= first_seen):
                s.unmeasured += 1          # the number was there when the order was first seen
                continue
            hours = max(_hours(number_at, placed), Fraction(0))
            s.hours.append(hours)
            s.judged += 1
            if hours > limit_h or (ship_by is not None and number_at > ship_by):
                s.late += 1
        elif placed is not None:
            if _hours(now, placed) > limit_h or (ship_by is not None and now > ship_by):
                s.judged += 1
                s.late += 1
            else:
                s.pending += 1
    rows = [g.to_json(limit_h) for g in groups.values()]
    rows.sort(key=lambda row: (-row["score"], -row["orders"], row["site"], row["supplier"]))
    return {"late_hours": limit_h, "score_rule": SCORE_RULE, "suppliers": rows}


__all__ = ["report", "late_hours", "SETTING", "DEFAULT_LATE_HOURS", "EXCEPTION_KINDS", "SCORE_RULE"]
