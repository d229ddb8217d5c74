"""Build a database of N stored orders fast, through the real schema.

``init_db`` creates the file with the real migrations; then one transaction of
``executemany`` fills sales orders, their matched purchase orders, the purchase numbers,
the shipments of the orders already shipped and the events the helper would have logged.
Indexes are dropped for the load and re-created from their own SQL afterwards (sorting
once is much faster than updating seven b-trees a million times); the schema that results
is exactly the migrated one.

Rows come from a pool of real orders (``data.make_pair`` → canonical JSON) with the ids,
times and numbers replaced per row, so the stored JSON has the real shape and size.
"""
from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from hashlib import sha1
from pathlib import Path

from helper.store import init_db

from . import data

POOL = 512
SPACING_S = 97.0   # one order every ~1.6 minutes: a million orders is three years of a busy shop


def pending_count(n: int) -> int:
    """Orders still to ship: the newest ones (a shop has hundreds to a few thousand)."""
    return min(max(n // 10, 1), 5000)


def _pool(seed: int):
    rnd = random.Random(seed)
    t0 = dt.datetime(2026, 1, 1, tzinfo=data.BEIJING).timestamp()
    out = []
    for _ in range(POOL):
        so, po = data.make_pair(rnd, t0)
        pkg = po["packages"][0]
        courier = next(c[2] for c in data._COURIERS if c[0] == pkg["courier_text"])
        out.append((so, po, courier, data.dumps(so), data.dumps(po)))
    return out


def build(path: str | Path, n: int, seed: int = 7, now: dt.datetime | None = None,
          extra_sql: tuple[str, ...] = ()) -> dict:
    """Create ``path`` holding ``n`` sales orders (+ purchase orders, numbers, shipments,
    events). Returns what the benchmark needs to query it: sample ids and numbers."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    init_db(path)
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")   # the load is one transaction on a new file: no WAL copy
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA threads = 2")   # CREATE INDEX sorts on both cores
    indexes = [r for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('sales_orders', 'purchase_orders', 'purchase_numbers', 'shipments', 'events')")]
    pool = _pool(seed)
    t0 = (now or dt.datetime.now(data.BEIJING)).timestamp()
    pending = pending_count(n)
    samples = {"numbers": [], "pending_ids": [], "statuses": [data.PENDING, data.SHIPPED]}
    conn.execute("BEGIN")
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    for sales, purchases, numbers, shipments, events in _chunks(n, pool, t0, pending, samples):
        conn.executemany("INSERT INTO sales_orders (site, order_id, shop, status, created_at, ship_by, buyer_name, "
                         "buyer_phone, phone_tail, province, city, district, amount, remark, url, data, first_seen, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sales)
        conn.executemany("INSERT INTO purchase_orders (site, order_id, supplier, status, ship_name, ship_phone, "
                         "phone_tail, province, city, district, remark, data, sales_site, sales_order_id, match_method, "
                         "match_score, first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?)", purchases)
        conn.executemany("INSERT INTO purchase_numbers (number, site, order_id) VALUES (?, ?, ?)", numbers)
        conn.executemany("INSERT INTO shipments (shipment_id, site, order_id, number, courier_id, status, source_site, "
                         "source_order_id, data, fill_result, submitted, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", shipments)
        conn.executemany("INSERT INTO events (at, operator, kind, site, order_id, data) VALUES (?, ?, ?, ?, ?, ?)",
                         events)
    for _, sql in indexes:
        conn.execute(sql)
    for sql in extra_sql:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")   # as init_db left it
    conn.close()
    samples["pending_ids"].reverse()   # oldest pending first: the ones a seller ships next
    return samples


def db_mb(path: str | Path) -> float:
    total = sum(Path(str(path) + s).stat().st_size for s in ("", "-wal") if Path(str(path) + s).exists())
    return round(total / 2 ** 20, 1)


def _chunks(n: int, pool, t0: float, pending: int, samples: dict, chunk: int = 50_000):
    """Rows of orders 0..n-1, newest first, in chunks (memory stays flat for a million)."""
    site, psite = data.SITE, data.SUPPLIER_SITE
    gm, fmt = time.gmtime, "%Y-%m-%dT%H:%M:%S+08:00"
    for start in range(0, n, chunk):
        sales, purchases, numbers, shipments, events = [], [], [], [], []
        for i in range(start, min(n, start + chunk)):
            so, po, courier, so_json, po_json = pool[i % POOL]
            ts = int(t0 - i * SPACING_S - (i * 7919) % 61) + 28800          # Beijing wall clock
            created_s = time.strftime(fmt, gm(ts))
            ship_by = time.strftime(fmt, gm(ts + 172800))
            sn = f"{created_s[2:4]}{created_s[5:7]}{created_s[8:10]}-{i:09d}{(i * 104729) % 10 ** 6:06d}"
            pid = f"3{i:09d}{(i * 15485863) % 10 ** 9:09d}"
            tracking = po["packages"][0]["tracking"]
            number = f"{tracking[:-7]}{i % 10_000_000:07d}"
            status = data.PENDING if i < pending else data.SHIPPED
            sj = (so_json.replace(so["order_id"], sn).replace(so["created_at"], created_s)
                  .replace(so["ship_by"], ship_by))
            if status != data.PENDING:
                sj = sj.replace(data.PENDING, data.SHIPPED)
            pj = po_json.replace(so["order_id"], sn).replace(po["order_id"], pid).replace(tracking, number)
            buyer, addr = so["buyer"], so["buyer"]["address"]
            sales.append((site, sn, so["shop"], status, created_s, ship_by, buyer["name"], buyer["phone"],
                          buyer["phone"][-4:], addr["province"], addr["city"], addr["district"], so["amount"], "",
                          "https://mms.pinduoduo.com/orders/detail?sn=" + sn, sj, created_s, created_s))
            purchases.append((psite, pid, po["supplier"], po["status"], buyer["name"], buyer["phone"],
                              buyer["phone"][-4:], addr["province"], addr["city"], addr["district"], "PDD " + sn, pj,
                              site, sn, "remark", 1.0, created_s, created_s))
            numbers.append((number, psite, pid))
            events.append((created_s, None, "sales_order.created", site, sn, '{"status":"%s"}' % status))
            events.append((created_s, None, "purchase_order.matched", psite, pid,
                           '{"method":"remark","sales_order_id":"%s","sales_site":"%s","score":1.0}' % (sn, site)))
            if status == data.SHIPPED:
                sid = "s_" + sha1(f"{site}|{sn}|{psite}|{pid}|{number}".encode()).hexdigest()[:16]
                shipments.append((sid, site, sn, number, courier, "ready", psite, pid,
                                  '{"number":"%s","order_id":"%s","status":"ready"}' % (number, sn),
                                  "filled", 1, created_s, created_s))
            if i < 200 or i % max(n // 200, 1) == 0:
                samples["numbers"].append(number)
            if status == data.PENDING:
                samples["pending_ids"].append(sn)
        yield sales, purchases, numbers, shipments, events
