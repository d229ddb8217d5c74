"""Retention of buyer data (法律法规): buyer names, phones and street addresses are masked in
place once an order is old enough; the order, its numbers and its money stay.

The rule (the personal-information law's "kept no longer than the purpose needs"; the days
are the `retention_days` setting, default 90):

- a sales order is due `retention_days` after its delivery: the latest 已签收 (delivered) scan
  in the stored traces of its shipments; when no delivery is known, after the later of its last
  update (`updated_at`, the last time a sync changed it) and its ship-by deadline (so an order
  still waiting to ship is never masked);
- a purchase order linked to a sales order is masked with it (or later, once its sales order
  has been masked); one linked to none is due `retention_days` after its own last update;
- masked means what the platforms show: 张* for a name, 139****5678 for a phone, the first two
  characters of the street address followed by ***; province, city and district stay (they
  are regions, not a person); the phone's last four digits (`phone_tail`) stay, as on the page;
- with the order go the same strings wherever they were copied: the remark, its shipments'
  stored data and traces (a 签收人 may be the buyer), their alerts, its fill results' reasons
  and its events (already masked when written: this is the second line of defence);
- the providers' cached answers (`trace_cache`) that have expired are deleted: a trace names
  the buyer (签收人) and its destination;
- amounts, order ids, tracking numbers and couriers are never touched; `updated_at` does not
  move; running twice changes nothing the second time;
- a sync that brings a masked order's buyer data back (a page showing an old order) makes the
  row due again: the next run masks it again.

`purge(db, dry_run=True)` counts without writing. `RetentionRunner` runs `purge` inside the
helper (`danhao serve`) at start and then once a day by the helper's clock.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timezone

from . import clock as clock_module, events
from .masking import known_strings as _known, mask, mask_name, mask_phone, mask_text, replace_known as _replace, \
    scrub_known
from .store import connect, dumps, get_setting, transaction
from .tracking.model import parse_time

log = logging.getLogger("danhao.retention")

DEFAULT_DAYS = 90
DAY_S = 86_400
CHUNK = 200
PERSON_KEYS = ("buyer", "ship_to", "receiver", "consignee")
FREE_TEXT = ("remark", "memo", "message", "note", "comment")
# Keys whose values are never rewritten by the known-string scrub: ids, numbers, money, links.
KEEP_KEYS = {"number", "tracking", "pieces", "order_id", "shipment_id", "source", "target", "courier",
             "courier_id", "courier_text", "candidates", "url", "amount", "price", "packages", "items",
             "sales_order_id", "purchase_order_id", "from", "to", "shipped_number"}


def retention_days(db) -> int:
    """The `retention_days` setting as a whole number of days (default 90)."""
    raw = get_setting(db, "retention_days")
    try:
        days = int(raw) if raw else DEFAULT_DAYS
    except ValueError:
        days = DEFAULT_DAYS
    return max(days, 1)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def scrub(value, known: dict[str, str]):
    """``value`` with every known clear string replaced by its masked form, except under
    `KEEP_KEYS` (numbers, ids, money)."""
    return scrub_known(value, known, KEEP_KEYS)


def _free_text(text, known):
    return mask_text(_replace(text, known)) if isinstance(text, str) else text


def masked_order(data: dict, known: dict[str, str]) -> dict:
    """An order's stored JSON with its people masked and its remarks scrubbed."""
    out = dict(data)
    for k in PERSON_KEYS:
        if isinstance(out.get(k), dict):
            out[k] = mask({k: out[k]})[k]
    for k, v in out.items():
        if isinstance(v, str) and any(word in k.lower() for word in FREE_TEXT):
            out[k] = _free_text(v, known)
    return out


def _load(text) -> dict:
    try:
        value = json.loads(text or "{}")
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def _rewrite(text, change) -> str:
    """``text`` (stored JSON) with ``change`` applied, or ``text`` itself when it is not a JSON
    object: what cannot be read is never replaced."""
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        return text
    return dumps(change(value)) if isinstance(value, dict) else text


def _delivered_at(trace_text) -> datetime | None:
    trace = _load(trace_text)
    times = [parse_time(e.get("time")) for e in trace.get("events") or [] if isinstance(e, dict)
             and e.get("stage") == "delivered"]
    times = [t for t in times if t]
    return max(times) if times else None


def _later(*values) -> datetime | None:
    found = [parse_time(v) for v in values if v]
    found = [t for t in found if t]
    return max(found) if found else None


def due_sales_orders(db, now: float, days: int) -> list[dict]:
    """The sales orders to mask now: [{id, site, order_id, why}] (`why`: delivered | last_update |
    again, the last for a masked order a later sync filled in again)."""
    cutoff = datetime.fromtimestamp(now - days * DAY_S, tz=timezone.utc)
    delivered: dict[tuple, datetime] = {}
    for site, order_id, trace in db.execute(
            "SELECT s.site, s.order_id, s.trace FROM shipments s JOIN sales_orders so "
            "ON so.site = s.site AND so.order_id = s.order_id "
            "WHERE so.masked_at IS NULL AND s.trace_status = 'delivered' AND s.trace IS NOT NULL"):
        at = _delivered_at(trace)
        if at and (delivered.get((site, order_id)) is None or at > delivered[(site, order_id)]):
            delivered[(site, order_id)] = at
    out = []
    for r in db.execute("SELECT id, site, order_id, updated_at, ship_by, masked_at FROM sales_orders "
                        "WHERE masked_at IS NULL OR julianday(updated_at) > julianday(masked_at)"):
        if r["masked_at"] is not None:
            out.append({"id": r["id"], "site": r["site"], "order_id": r["order_id"], "why": "again"})
            continue
        at = delivered.get((r["site"], r["order_id"]))
        why = "delivered" if at else "last_update"
        at = at or _later(r["updated_at"], r["ship_by"])
        if at is not None and at <= cutoff:
            out.append({"id": r["id"], "site": r["site"], "order_id": r["order_id"], "why": why})
    return out


def due_purchase_orders(db, now: float, days: int, sales_due: set[tuple]) -> list[int]:
    """Ids of the purchase orders to mask now: those of sales orders masked now or before, those
    linked to none whose last update is old enough, and masked ones filled in again."""
    cutoff = datetime.fromtimestamp(now - days * DAY_S, tz=timezone.utc)
    out = []
    for r in db.execute(
            "SELECT po.id, po.sales_site, po.sales_order_id, po.updated_at, po.masked_at, so.masked_at AS sales_masked "
            "FROM purchase_orders po LEFT JOIN sales_orders so ON so.site = po.sales_site AND so.order_id = po.sales_order_id "
            "WHERE po.masked_at IS NULL OR julianday(po.updated_at) > julianday(po.masked_at)"):
        linked = r["sales_order_id"] is not None and r["sales_site"] is not None
        if r["masked_at"] is not None:
            out.append(r["id"])
        elif linked and ((r["sales_site"], r["sales_order_id"]) in sales_due or r["sales_masked"] is not None):
            out.append(r["id"])
        elif not linked:
            at = parse_time(r["updated_at"])
            if at is not None and at <= cutoff:
                out.append(r["id"])
    return out


def _mask_sales(db, row_id: int, masked_at: str, write: bool, counts: dict) -> dict[str, str]:
    r = db.execute("SELECT site, order_id, buyer_name, buyer_phone, remark, data FROM sales_orders WHERE id = ?",
                   [row_id]).fetchone()
    data = _load(r["data"])
    known = _known(data.get("buyer")) | _known({"name": r["buyer_name"], "phone": r["buyer_phone"]})
    for p in db.execute("SELECT data FROM purchase_orders WHERE sales_site = ? AND sales_order_id = ?",
                        [r["site"], r["order_id"]]):
        known |= _known(_load(p[0]).get("ship_to"))
    new = (mask_name(r["buyer_name"]), mask_phone(r["buyer_phone"]), _free_text(r["remark"], known),
           _rewrite(r["data"], lambda d: masked_order(d, known)))
    if new != (r["buyer_name"], r["buyer_phone"], r["remark"], r["data"]):
        counts["sales_orders"] += 1
    if write:
        db.execute("UPDATE sales_orders SET buyer_name = ?, buyer_phone = ?, remark = ?, data = ?, masked_at = ? "
                   "WHERE id = ?", [*new, masked_at, row_id])
    _scrub_copies(db, r["site"], r["order_id"], known, write, counts)
    return known


def _mask_purchase(db, row_id: int, masked_at: str, write: bool, counts: dict) -> None:
    r = db.execute("SELECT site, order_id, ship_name, ship_phone, remark, data FROM purchase_orders WHERE id = ?",
                   [row_id]).fetchone()
    data = _load(r["data"])
    known = _known(data.get("ship_to")) | _known(data.get("buyer")) | \
        _known({"name": r["ship_name"], "phone": r["ship_phone"]})
    new = (mask_name(r["ship_name"]), mask_phone(r["ship_phone"]), _free_text(r["remark"], known),
           _rewrite(r["data"], lambda d: masked_order(d, known)))
    if new != (r["ship_name"], r["ship_phone"], r["remark"], r["data"]):
        counts["purchase_orders"] += 1
    if write:
        db.execute("UPDATE purchase_orders SET ship_name = ?, ship_phone = ?, remark = ?, data = ?, masked_at = ? "
                   "WHERE id = ?", [*new, masked_at, row_id])
    _scrub_events(db, r["site"], r["order_id"], known, write, counts)


def _scrub_events(db, site, order_id, known, write, counts) -> None:
    if not known:
        return
    for eid, data in db.execute("SELECT id, data FROM events WHERE order_id = ? AND site = ?", [order_id, site]).fetchall():
        new = _rewrite(data, lambda d: scrub(d, known))
        if new != data:
            counts["events"] += 1
            if write:
                db.execute("UPDATE events SET data = ? WHERE id = ?", [new, eid])


def _scrub_copies(db, site, order_id, known, write, counts) -> None:
    """The order's strings where they were copied: shipments (data, trace), alerts, fill reasons, events."""
    if not known:
        return
    for sid, data, trace in db.execute("SELECT shipment_id, data, trace FROM shipments WHERE site = ? AND order_id = ?",
                                       [site, order_id]).fetchall():
        new_data = _rewrite(data, lambda d: scrub(d, known))
        new_trace = _rewrite(trace, lambda d: scrub(d, known)) if trace else trace
        if new_data != data or new_trace != trace:
            counts["shipments"] += 1
            if write:
                db.execute("UPDATE shipments SET data = ?, trace = ? WHERE shipment_id = ?", [new_data, new_trace, sid])
        for aid, message in db.execute("SELECT id, message FROM alerts WHERE shipment_id = ?", [sid]).fetchall():
            new = _replace(message, known)
            if new != message:
                counts["alerts"] += 1
                if write:
                    db.execute("UPDATE alerts SET message = ? WHERE id = ?", [new, aid])
    for fid, reason in db.execute("SELECT id, reason FROM fill_results WHERE site = ? AND order_id = ?",
                                  [site, order_id]).fetchall():
        new = _replace(reason or "", known)
        if new != (reason or ""):
            counts["fill_results"] += 1
            if write:
                db.execute("UPDATE fill_results SET reason = ? WHERE id = ?", [new, fid])
    _scrub_events(db, site, order_id, known, write, counts)


def purge(db, *, now: float | None = None, days: int | None = None, dry_run: bool = False,
          operator: str | None = "cli") -> dict:
    """Mask the buyer data that is due (see the module's rule); with ``dry_run`` only count.

    ``now``: unix seconds (default: the helper's clock); ``days``: default the `retention_days`
    setting. Returns {"days", "cutoff" (ISO), "dry_run", "sales_orders", "purchase_orders",
    "shipments", "alerts", "fill_results", "events", "trace_cache"}: how many stored rows were
    (or would be) changed (expired cache rows: deleted). A run that changed anything records one `retention.masked` event with the counts
    (no buyer data in it) under ``operator`` (``cli`` for `danhao purge`, None for the daily run).
    Writes go in transactions of `CHUNK` orders so that the helper keeps answering meanwhile.
    """
    now = clock_module.now() if now is None else now
    days = retention_days(db) if days is None else days
    masked_at = _iso(now)
    counts = {"sales_orders": 0, "purchase_orders": 0, "shipments": 0, "alerts": 0, "fill_results": 0, "events": 0,
              "trace_cache": 0}
    sales = due_sales_orders(db, now, days)
    purchases = due_purchase_orders(db, now, days, {(s["site"], s["order_id"]) for s in sales})
    write = not dry_run
    for start in range(0, len(sales), CHUNK):
        with transaction(db):
            for s in sales[start:start + CHUNK]:
                _mask_sales(db, s["id"], masked_at, write, counts)
    for start in range(0, len(purchases), CHUNK):
        with transaction(db):
            for pid in purchases[start:start + CHUNK]:
                _mask_purchase(db, pid, masked_at, write, counts)
    expired = "FROM trace_cache WHERE expires_at <= ?"
    counts["trace_cache"] = db.execute(f"SELECT COUNT(*) {expired}", [now]).fetchone()[0]
    if write and counts["trace_cache"]:
        with transaction(db):
            db.execute(f"DELETE {expired}", [now])
    result = {"days": days, "cutoff": _iso(now - days * DAY_S), "dry_run": dry_run, **counts}
    if write and any(counts.values()):
        with transaction(db):
            events.record(db, "retention.masked", operator=operator, at=masked_at,
                          data={"days": days, "cutoff": result["cutoff"], **counts})
    return result


class RetentionRunner(threading.Thread):
    """`purge` inside the helper: at start, then whenever a day has passed on ``clock`` since the
    last run (checked every ``tick_s`` seconds, so a computer that slept catches up on waking).
    ``stop()`` ends it within one tick. A failing run is logged and tried again the next day."""

    def __init__(self, db_path: str, clock=None, tick_s: float = 600.0, every_s: float = DAY_S):
        super().__init__(name="danhao-retention", daemon=True)
        self.db_path, self.tick_s, self.every_s = str(db_path), tick_s, every_s
        self.clock = clock or clock_module.now
        self.stopping = threading.Event()
        self.last_run: float | None = None
        self.results: list[dict] = []      # the last few runs' counts, newest last

    def run(self) -> None:
        while not self.stopping.is_set():
            if self.last_run is None or self.clock() - self.last_run >= self.every_s:
                self.run_once()
            self.stopping.wait(self.tick_s)

    def run_once(self) -> dict | None:
        self.last_run = self.clock()
        try:
            db = connect(self.db_path)
            try:
                result = purge(db, now=self.last_run, operator=None)
            finally:
                db.conn.close()
        except Exception:  # a bad run must not end the helper's retention for good
            log.exception("retention run failed")
            return None
        self.results = [*self.results[-9:], result]
        return result

    def stop(self) -> None:
        self.stopping.set()
