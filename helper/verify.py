"""Verify each shipment's real trace: before it is filled, and for as long as it travels.

The tracking package (`helper.tracking`) speaks to the providers and judges a trace; this
module connects it to the store: which shipments to ask about and when, where the last
trace and the refresh schedule live (so they survive restarts), how trace checks change a
shipment's status, and which findings become alerts for the seller.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from contextlib import contextmanager, nullcontext
from datetime import datetime

from . import events, order_status
from .convert import detect, match_option
from .couriers import PLATFORM_OF_SITE, platform_code
from .settings import DEFAULTS as SETTING_DEFAULTS, raw as raw_settings
from .store import connect, dumps, transaction
from .tracking import ProviderError, Trace, TrackingConfig, TrackingService, trace_checks
from .tracking.model import STATUS_ZH
from .tracking.service import provider_code

log = logging.getLogger("danhao.verify")

FINAL_STATUSES = ("delivered", "returned")
# Minutes until the next look, by what the last trace said.
NEXT_CHECK_MIN = {"none": 60, "picked_up": None, "in_transit": None, "out_for_delivery": 120, "problem": 180}
ERROR_RETRY_MIN = {"too_frequent": 60, "no_result": 60, "timeout": 30, "server_error": 30}
ALERT_CODES = {"no_update_after_upload", "stall_after_first_event", "stall_after_hub", "destination_mismatch",
               "signed_by_other", "returned", "trace_problem", "transfer", "no_pickup"}
SYNC_BUDGET_S = 4.0  # the extension waits 8 s for a convert answer; the rest is refreshed later


def iso_at(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


class SqliteCache:
    """The providers' 30-minute cache, kept in the helper's database (survives restarts).

    While a request holds its write transaction, the cache must use that same connection
    (a second one would wait for the lock the request itself holds): `using(db)` binds it
    for the current thread.
    """

    def __init__(self, db_path: str, clock=time.time):
        self.db_path, self.clock = db_path, clock
        self._local = threading.local()

    @contextmanager
    def using(self, db):
        previous = getattr(self._local, "db", None)
        self._local.db = db
        try:
            yield self
        finally:
            self._local.db = previous

    @contextmanager
    def _db(self):
        bound = getattr(self._local, "db", None)
        if bound is not None:
            yield bound
            return
        db = connect(self.db_path)
        try:
            yield db
        finally:
            db.conn.close()

    def get(self, key: str) -> dict | None:
        with self._db() as db:
            row = db.execute("SELECT value, expires_at FROM trace_cache WHERE key = ?", [key]).fetchone()
        if row is None or row[1] <= self.clock():
            return None
        return json.loads(row[0])

    def set(self, key: str, value: dict, ttl_s: float) -> None:
        with self._db() as db:
            db.execute("INSERT INTO trace_cache (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE "
                       "SET value = excluded.value, expires_at = excluded.expires_at",
                       [key, dumps(value), self.clock() + ttl_s])
            db.execute("DELETE FROM trace_cache WHERE expires_at < ?", [self.clock() - 86400])


_services: dict[tuple, TrackingService] = {}
_services_lock = threading.Lock()


def service_for(db, db_path: str, clock=time.time) -> TrackingService | None:
    """One TrackingService per configuration (it owns sessions, rate limits and quotas)."""
    config = TrackingConfig.from_env(raw_settings(db))
    if not config.configured():
        return None
    key = (db_path, clock, tuple(sorted(vars(config).items())))
    with _services_lock:
        service = _services.get(key)
        if service is None:
            for old_key in [k for k in _services if k[0] == db_path and k[1] is clock]:
                _services.pop(old_key).close()
            service = _services[key] = TrackingService(config, cache=SqliteCache(db_path, clock), clock=clock)
        return service


def _tag(checks: list[dict]) -> list[dict]:
    return [{**c, "source": "trace"} for c in checks]


def status_of(checks: list[dict]) -> str:
    levels = {c.get("level") for c in checks}
    return "blocked" if "block" in levels else "review" if "review" in levels else "ready"


def _summary(trace: Trace) -> dict:
    last = trace.events[-1].to_json() if trace.events else None
    return {"status": trace.status, "provider": trace.provider, "fetched_at": trace.fetched_at,
            "events": len(trace.events), "last_event": last, "destination": trace.destination}


class Verifier:
    """Asks for traces and writes what they show onto shipments (inside the caller's transaction)."""

    sync_budget_s = SYNC_BUDGET_S

    def __init__(self, service: TrackingService | None, clock=time.time, allow_no_pickup: bool = False,
                 refresh_min: int = 360):
        self.service, self.clock = service, clock
        self.allow_no_pickup, self.refresh_min = allow_no_pickup, refresh_min

    @classmethod
    def for_db(cls, db, db_path: str, clock=time.time) -> "Verifier":
        settings = raw_settings(db)
        try:
            refresh_min = max(30, int(settings.get("refresh_interval_min") or SETTING_DEFAULTS["refresh_interval_min"]))
        except ValueError:
            refresh_min = int(SETTING_DEFAULTS["refresh_interval_min"])
        return cls(service_for(db, db_path, clock), clock,
                   allow_no_pickup=settings.get("allow_fill_without_pickup") in ("1", "true", "yes"),
                   refresh_min=refresh_min)

    def now(self) -> str:
        return iso_at(self.clock())

    # ------------------------------------------------------------------ before filling

    def before_fill(self, db, shipments: list[dict], sales_order: dict, site: str, options, deadline: float) -> None:
        """Check the trace of freshly built shipments; mutates them (checks, status, number on transfer)."""
        for shipment in shipments:
            if not shipment.get("number") or not (shipment.get("courier") or {}).get("id") or shipment["status"] == "blocked":
                continue
            if self.service is None:
                shipment["checks"].append({"code": "trace_not_checked", "level": "warn", "source": "trace", "message": {
                    "zh": "未配置轨迹查询，揽收情况未核实", "en": "No tracking provider configured: pickup not verified"}})
                continue
            if self.clock() > deadline:
                shipment["checks"].append({"code": "trace_pending", "level": "warn", "source": "trace", "message": {
                    "zh": "轨迹稍后在后台核实", "en": "The trace will be checked in the background"}})
                continue
            trace = self._query(db, shipment, sales_order)
            if isinstance(trace, ProviderError):
                # The provider failed now: the last good trace of this number (if any) still
                # stands, judged again at this time; the failure is a warning beside it.
                last = self.last_trace(db, shipment)
                if last is not None:
                    self._apply(shipment, last, sales_order)
                shipment["checks"].append(_provider_check(trace))
                continue
            if trace.transfer and trace.transfer.get("number") and trace.transfer["number"] != shipment["number"]:
                trace = self._replace_with_last_mile(db, shipment, trace, sales_order, site, options)
            self._apply(shipment, trace, sales_order)
            shipment["_trace"] = trace  # stored with the shipment by the caller

    def _replace_with_last_mile(self, db, shipment, trace, sales_order, site, options):
        """The provider itself says the parcel continues under another number: use that one."""
        transfer = trace.transfer
        found = detect(transfer["number"], courier_text=transfer.get("courier"))
        best = found.candidates[0] if found.candidates else None
        if not found.number or best is None:
            return trace  # the trace check 'transfer' (warn) tells the seller; nothing is guessed
        first_mile = {"number": shipment["number"], "courier": shipment["courier"]}
        shipment["first_mile"] = first_mile
        shipment["number"] = found.number
        shipment["courier"] = {"id": best.courier, "name": best.name, "confidence": best.confidence}
        platform = PLATFORM_OF_SITE.get(site)
        option = match_option(best.courier, options or [], platform) if options else None
        shipment["target"] = {"code": platform_code(best.courier, platform) if platform else None,
                              "option": option.option if option else None}
        shipment["checks"] = [c for c in shipment["checks"] if c["code"] not in ("courier_not_offered",)]
        if best.confidence < 0.9:
            shipment["checks"].append({"code": "courier_ambiguous", "level": "review", "source": "trace", "message": {
                "zh": f"末程单号 {found.number} 的快递公司不确定，请人工确认",
                "en": f"The courier of last-mile number {found.number} is uncertain: a person decides"}})
        if options and not shipment["target"]["option"]:
            shipment["checks"].append({"code": "courier_not_offered", "level": "block", "message": {
                "zh": f"表单里没有 {best.name}", "en": f"The form does not offer {best.name}"}})
        shipment["checks"].append({"code": "number_replaced", "level": "warn", "source": "trace", "message": {
            "zh": f"{trace.provider} 轨迹显示首程单号 {first_mile['number']} 已转为 {found.number}，改用末程单号",
            "en": f"{trace.provider} shows first-mile {first_mile['number']} continues as {found.number}: "
                  f"using the last-mile number"}})
        events.record(db, "shipment.number_replaced", site=shipment["site"], order_id=shipment["order_id"],
                      data={"from": first_mile["number"], "to": found.number, "courier": best.courier,
                            "provider": trace.provider, "evidence": transfer.get("evidence")})
        new_trace = self._query(db, shipment, sales_order)
        return trace if isinstance(new_trace, ProviderError) else new_trace

    # ------------------------------------------------------------------ while travelling

    def refresh(self, db, shipment_id: str) -> dict:
        """Ask again for one stored shipment; returns the updated shipment (raises ProviderError)."""
        row = db.execute("SELECT data, uploaded_at, site, order_id FROM shipments WHERE shipment_id = ?",
                         [shipment_id]).fetchone()
        shipment = json.loads(row["data"])
        shipment["uploaded_at"] = row["uploaded_at"]
        sales = db.execute("SELECT data FROM sales_orders WHERE site = ? AND order_id = ?",
                           [row["site"], row["order_id"]]).fetchone()
        sales_order = json.loads(sales[0]) if sales else {}
        if self.service is None:
            raise ProviderError("any", "not_configured")
        trace = self._query(db, shipment, sales_order)
        if isinstance(trace, ProviderError):
            raise trace   # the caller rolls back, then records `postpone` in a transaction of its own
        old_status = shipment["status"]
        self._apply(shipment, trace, sales_order)
        shipment.pop("uploaded_at", None)
        self.store(db, shipment, trace)
        if old_status != shipment["status"]:
            events.record(db, "shipment.status_changed", site=shipment["site"], order_id=shipment["order_id"],
                          data={"shipment_id": shipment_id, "from": old_status, "status": shipment["status"],
                                "trace_status": trace.status})
        return shipment

    def postpone(self, db, shipment_id: str, err: ProviderError) -> None:
        """After a failed query: the stored trace stays as it was, the next look waits a while
        (so a failing provider is not asked every minute)."""
        db.execute("UPDATE shipments SET next_check_at = ? WHERE shipment_id = ?",
                   [iso_at(self.clock() + 60 * ERROR_RETRY_MIN.get(err.code, 120)), shipment_id])

    def refresh_or_postpone(self, db, shipment_id: str) -> dict:
        """`refresh` in its own transaction; on a provider failure the postponement is written
        in a second one (the first was rolled back) and the error raised again."""
        try:
            with transaction(db):
                return self.refresh(db, shipment_id)
        except ProviderError as err:
            if err.code != "not_configured":
                with transaction(db):
                    self.postpone(db, shipment_id, err)
            raise

    @staticmethod
    def last_trace(db, shipment: dict) -> Trace | None:
        """The trace last stored for this shipment, when it is about the same number."""
        if not shipment.get("shipment_id") or not shipment.get("number"):
            return None
        row = db.execute("SELECT trace FROM shipments WHERE shipment_id = ? AND number = ? AND trace IS NOT NULL",
                         [shipment["shipment_id"], shipment["number"]]).fetchone()
        if row is None:
            return None
        try:
            return Trace.from_json(json.loads(row[0]))
        except (ValueError, TypeError, KeyError):
            return None

    def store(self, db, shipment: dict, trace: Trace) -> None:
        db.execute(
            "UPDATE shipments SET data = ?, status = ?, number = ?, trace = ?, trace_status = ?, trace_checked_at = ?, "
            "next_check_at = ? WHERE shipment_id = ?",
            [dumps(shipment), shipment["status"], shipment.get("number"), dumps(trace.to_json()), trace.status,
             self.now(), self._next_check(trace), shipment["shipment_id"]])
        self.sync_alerts(db, shipment)
        order_status.refresh_sales(db, [(shipment["site"], shipment["order_id"])])

    def _next_check(self, trace: Trace) -> str | None:
        if trace.status in FINAL_STATUSES:
            return None  # stops here: nothing more to learn
        minutes = NEXT_CHECK_MIN.get(trace.status) or self.refresh_min
        return iso_at(self.clock() + 60 * minutes)

    def sync_alerts(self, db, shipment: dict) -> None:
        """Open an alert per worrying trace finding of an uploaded shipment; close those gone."""
        row = db.execute("SELECT fill_result FROM shipments WHERE shipment_id = ?", [shipment["shipment_id"]]).fetchone()
        uploaded = row is not None and row[0] == "filled"
        now = self.now()
        current = {}
        for c in shipment.get("checks", []):
            if c.get("source") != "trace" or c["code"] not in ALERT_CODES or c["level"] == "ok":
                continue
            if uploaded or c["level"] == "block":
                current[c["code"]] = c
        for code, c in current.items():
            db.execute(
                "INSERT INTO alerts (shipment_id, site, order_id, code, level, message, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(shipment_id, code) DO UPDATE SET level = excluded.level, "
                "message = excluded.message, updated_at = excluded.updated_at, resolved_at = NULL",
                [shipment["shipment_id"], shipment["site"], shipment["order_id"], code, c["level"],
                 dumps(c["message"]), now, now])
        marks = ",".join("?" * len(current))
        db.execute(
            "UPDATE alerts SET resolved_at = ? WHERE shipment_id = ? AND resolved_at IS NULL"
            + (f" AND code NOT IN ({marks})" if current else ""),
            [now, shipment["shipment_id"], *current])

    # ------------------------------------------------------------------ shared

    def _query(self, db, shipment: dict, sales_order: dict):
        buyer = sales_order.get("buyer") if isinstance(sales_order.get("buyer"), dict) else {}
        cache = self.service.cache
        binding = cache.using(db) if isinstance(cache, SqliteCache) else nullcontext()
        try:
            with binding:
                trace = self.service.query(shipment["number"], shipment["courier"]["id"], phone_tail=buyer.get("phone"))
        except ProviderError as err:
            return err
        if not trace.events:
            # "No result" for a number whose scans were already seen: the provider lost them
            # for now (a parcel's scans do not un-happen); the last good trace stands.
            last = self.last_trace(db, shipment)
            if last is not None and last.events:
                return ProviderError(trace.provider, "no_result", detail="earlier scans not returned")
        return trace

    def _apply(self, shipment: dict, trace: Trace, sales_order: dict) -> None:
        checks = trace_checks(trace, buyer=sales_order.get("buyer"), uploaded_at=shipment.get("uploaded_at"),
                              now=self.now(), allow_no_pickup=self.allow_no_pickup)
        kept = ("number_replaced", "courier_ambiguous")
        shipment["checks"] = [c for c in shipment["checks"] if c.get("source") != "trace" or c["code"] in kept]
        shipment["checks"] += _tag(checks)
        _weigh_unusual_format(shipment, trace)
        shipment["status"] = status_of(shipment["checks"])
        shipment["trace"] = _summary(trace)


PROVIDER_ZH = {"kuaidi100": "快递100", "kdniao": "快递鸟", "17track": "17TRACK"}
# stages that show the courier physically has the parcel (an "info" event is only order data)
CONFIRMING_STAGES = ("picked_up", "in_transit", "departed_hub", "out_for_delivery", "delivered")


def trace_confirms(shipment: dict, trace: Trace) -> str | None:
    """The stage that shows this courier carries this number, when the trace is the provider's
    answer for exactly the shipment's courier and number: asked with that courier's own
    provider code (17TRACK's guess of the carrier without a code is not the courier's
    answer), with at least one pickup or transit scan. None otherwise."""
    courier = (shipment.get("courier") or {}).get("id")
    if not courier or trace.courier != courier or trace.number != shipment.get("number"):
        return None
    if provider_code(courier, trace.provider) is None:
        return None
    return next((e.stage for e in trace.events if e.stage in CONFIRMING_STAGES), None)


def _weigh_unusual_format(shipment: dict, trace: Trace) -> None:
    """A number whose format is unusual for the supplier's courier (``courier_format_unusual``,
    review) is confirmed by that courier's own trace of it: the check becomes a warning and a
    ``courier_format_confirmed`` check (ok) says which provider showed which scan. Judged again
    on every trace, so a trace that no longer confirms puts it back to review."""
    unusual = [c for c in shipment["checks"] if c.get("code") == "courier_format_unusual" and c.get("source") != "trace"]
    if not unusual:
        return
    stage = trace_confirms(shipment, trace)
    for c in unusual:
        c["level"] = "warn" if stage else "review"
    if not stage:
        return
    name = (shipment.get("courier") or {}).get("name") or shipment["courier"]["id"]
    provider = PROVIDER_ZH.get(trace.provider, trace.provider)
    what = STATUS_ZH.get(stage, "运输中")
    shipment["checks"].append({"code": "courier_format_confirmed", "level": "ok", "source": "trace", "message": {
        "zh": f"单号格式少见，但{provider}查到{name}的这条轨迹（{what}），确认是{name}单号",
        "en": f"Unusual number format, but {trace.provider} returns a {shipment['courier']['id']} trace for it "
              f"({stage.replace('_', ' ')}): confirmed as a {shipment['courier']['id']} number"}})


def _provider_check(err: ProviderError) -> dict:
    return {"code": "trace_unavailable", "level": "warn", "source": "trace", "message": {
        "zh": f"轨迹查询失败（{err.provider}: {err.zh}），揽收情况未核实",
        "en": f"Trace query failed ({err.provider}: {err.en}): pickup not verified"}}


def refresh_due(db, verifier: Verifier, limit: int = 20) -> dict:
    """Refresh the open shipments whose time has come; stops early when a provider is out of quota."""
    counts = {"refreshed": 0, "failed": 0}
    if verifier.service is None:
        return counts
    since = iso_at(verifier.clock() - 30 * 86400)
    rows = db.execute(
        "SELECT shipment_id FROM shipments WHERE number IS NOT NULL AND courier_id IS NOT NULL "
        "AND (fill_result = 'filled' OR status IN ('ready', 'review')) "
        "AND (trace_status IS NULL OR trace_status NOT IN ('delivered', 'returned')) "
        "AND (next_check_at IS NULL OR next_check_at <= ?) AND created_at >= ? "
        "ORDER BY next_check_at IS NOT NULL, next_check_at LIMIT ?",
        [verifier.now(), since, limit]).fetchall()
    for (shipment_id,) in rows:
        try:
            verifier.refresh_or_postpone(db, shipment_id)
            counts["refreshed"] += 1
        except ProviderError as err:
            counts["failed"] += 1
            if err.code in ("no_quota", "bad_key", "not_configured"):
                counts["stopped"] = err.code
                break
    return counts


class Refresher(threading.Thread):
    """Background refresh inside the helper process; its schedule lives in the database."""

    def __init__(self, db_path: str, tick_s: float = 60.0, clock=time.time):
        super().__init__(name="danhao-refresher", daemon=True)
        self.db_path, self.tick_s, self.clock = db_path, tick_s, clock
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.tick_s):
            try:
                self.tick()
            except Exception:  # a bad tick must not end refreshing for the rest of the day
                log.exception("trace refresh failed")

    def tick(self) -> dict:
        db = connect(self.db_path)
        try:
            return refresh_due(db, Verifier.for_db(db, self.db_path, self.clock))
        finally:
            db.conn.close()

    def stop(self) -> None:
        self.stopping.set()

