"""`scale`: database size, ingest rate and the review pages' queries at 10k / 100k / 1M orders.

Each database is bulk-loaded through the real schema (``bulk.build``), then the real server
ingests batches of new orders into it, and the queries of ``helper.queries`` are timed on a
connection opened like the helper's own (``helper.store.connect``). The 100k database also
serves the `convert` section. Databases live in a temporary folder for this run only.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from helper import queries
from helper.store import connect

from . import bulk, convert, data, ingest
from .server import Helper
from .stats import ms, percentile

SIZES = (10_000, 100_000, 1_000_000)
# Indexes the bench creates on its own databases because the migrations lack them (see
# docs/performance.md); empty when the schema already has what the queries need.
EXTRA_INDEXES: tuple[str, ...] = ()  # sales_status_ship_by now comes with migration m003


def time_queries(path: Path, samples: dict, reps: int = 200) -> dict:
    db = connect(path)
    now = dt.datetime.now(data.BEIJING)
    numbers = samples["numbers"]
    statuses = samples["statuses"]
    cases = {
        "by_status": lambda i: queries.orders_by_status(db, data.SITE, statuses[i % len(statuses)]),
        "by_number": lambda i: queries.orders_with_number(db, numbers[i % len(numbers)]),
        "due_24h": lambda i: queries.orders_due_within(db, 24, now=now),
    }
    out = {}
    try:
        for name, run in cases.items():
            rows = len(run(0))   # warm the page cache as a running helper has it
            if name != "due_24h" and rows == 0:
                raise RuntimeError(f"scale: query {name} found nothing")
            times = []
            for i in range(reps):
                t = time.perf_counter()
                run(i)
                times.append(time.perf_counter() - t)
            out[name] = {"p99_ms": ms(percentile(times, 99)), "p50_ms": ms(percentile(times, 50)), "rows": rows}
    finally:
        db.conn.close()
    return out


def run(sizes=SIZES, workdir: Path | None = None, ingest_orders: int = 1000, convert_at: int | None = 100_000,
        convert_requests: int = 40, extra_indexes=EXTRA_INDEXES, log=None) -> tuple[dict, dict | None]:
    """Returns (scale figures by size, convert figures or None)."""
    import tempfile

    results, convert_result = {}, None
    with tempfile.TemporaryDirectory(prefix="danhao-bench-scale-", dir=workdir) as tmp:
        for n in sizes:
            path = Path(tmp) / f"scale-{n}.db"
            t = time.perf_counter()
            samples = bulk.build(path, n, extra_sql=tuple(extra_indexes))
            built_s = time.perf_counter() - t
            if log:
                log(f"scale {n:,}: built in {built_s:.1f} s")
            entry = {"db_mb": bulk.db_mb(path), "build_s": round(built_s, 1)}
            entry["queries"] = time_queries(path, samples)
            new_sales, _ = data.orders(ingest_orders, seed=n % 9973 + 5,
                                       start=dt.datetime.now(data.BEIJING) + dt.timedelta(days=1))
            with Helper(path) as helper:
                ingest.post_batches(helper, new_sales[:100])
                elapsed = ingest.post_batches(helper, new_sales[100:])
                entry["ingest_per_s"] = round((len(new_sales) - 100) / elapsed)
                if n == convert_at:
                    convert_result = convert.measure(helper, samples["pending_ids"], convert_requests)
                    convert_result["stored_orders"] = n
            results[str(n)] = entry
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    return results, convert_result
