"""`ingest`: sales orders per second through HTTP (real server, token, batches of 100) beside
plain sqlite3 writing the same rows into the same tables in one transaction (the ceiling)."""
from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path

from helper import orders as orders_module
from helper.store import init_db

from . import data
from .server import Helper

BATCH = 100


def post_batches(helper: Helper, sales: list[dict], batch: int = BATCH) -> float:
    """Seconds to POST ``sales`` in batches; each answer must say every order was inserted.

    Bodies are encoded before the clock starts (the extension encodes them, not the helper)."""
    bodies = [(len(sales[i:i + batch]), json.dumps(
        {"site": data.SITE, "page_url": "https://mms.pinduoduo.com/orders/list", "orders": sales[i:i + batch]},
        ensure_ascii=False).encode()) for i in range(0, len(sales), batch)]
    url = helper.url + "/api/v1/sales-orders"
    headers = {"Content-Type": "application/json"}
    t = time.perf_counter()
    for count, body in bodies:
        r = helper.session.post(url, data=body, headers=headers, timeout=60)
        if r.status_code != 200 or r.json().get("inserted") != count:
            raise RuntimeError(f"ingest: expected {count} inserted, got HTTP {r.status_code} {r.text[:300]}")
    return time.perf_counter() - t


def ceiling(path: Path, sales: list[dict]) -> float:
    """Orders per second of plain sqlite3: the rows the helper writes for new orders (the
    sales_orders row and its sales_order.created event), one transaction, same schema."""
    init_db(path)
    now = "2026-11-25T09:00:00+08:00"
    rows, events = [], []
    for o in sales:
        cols = orders_module._sales_columns(o)
        rows.append((data.SITE, o["order_id"], *cols.values(), data.dumps(o), now, now))
        events.append((now, "bench", "sales_order.created", data.SITE, o["order_id"], data.dumps({"status": o["status"]})))
    names = ["site", "order_id", *orders_module._sales_columns(sales[0]), "data", "first_seen", "updated_at"]
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")   # as helper.store.connect
    t = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO sales_orders ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)
    conn.executemany("INSERT INTO events (at, operator, kind, site, order_id, data) VALUES (?, ?, ?, ?, ?, ?)", events)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return len(sales) / elapsed


def run(n: int = 3000, seed: int = 11, workdir: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="danhao-bench-ingest-", dir=workdir) as tmp:
        warm, _ = data.orders(BATCH, seed=seed + 1)
        sales, _ = data.orders(n, seed=seed)
        with Helper(Path(tmp) / "ingest.db") as helper:
            post_batches(helper, warm)            # first request: imports, connection, caches
            elapsed = post_batches(helper, sales)
        per_s = len(sales) / elapsed
        ceil = max(ceiling(Path(tmp) / f"ceiling{k}.db", sales) for k in range(3))   # best of 3: a ceiling
    return {"per_s": round(per_s), "sqlite_ceiling_per_s": round(ceil), "vs_ceiling": round(per_s / ceil, 3),
            "orders": n, "batch": BATCH}
