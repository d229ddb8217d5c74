"""`convert`: latency of a 100-order convert request with 100,000 orders stored.

Runs against the scale section's 100k database (sales orders with matched purchase orders
and their numbers), through the real server. Each request converts 100 orders that were
not converted before, so shipments are really built, checked and stored.
"""
from __future__ import annotations

import time

from . import data
from .server import Helper
from .stats import ms, percentile

ORDERS_PER_REQUEST = 100


def measure(helper: Helper, pending_ids: list[str], requests: int = 40) -> dict:
    """``requests`` convert calls of 100 fresh order ids each (fewer if fewer are pending)."""
    per = ORDERS_PER_REQUEST
    batches = [pending_ids[i:i + per] for i in range(0, len(pending_ids) - per + 1, per)][:requests + 1]
    if len(batches) < 2:
        raise RuntimeError("convert: not enough pending orders in the database")
    body = lambda ids: {"site": data.SITE, "order_ids": ids, "options": data.OPTIONS}  # noqa: E731
    got = helper.post("/api/v1/convert", body(batches[0]))   # warm-up (imports, caches)
    times, built = [], 0
    for ids in batches[1:]:
        t = time.perf_counter()
        got = helper.post("/api/v1/convert", body(ids))
        times.append(time.perf_counter() - t)
        built += len(got["shipments"])
    if built < len(times) * per:
        raise RuntimeError(f"convert: only {built} shipments built for {len(times) * per} orders")
    return {"p50_ms": ms(percentile(times, 50)), "p99_ms": ms(percentile(times, 99)),
            "stored_orders": None, "requests": len(times), "orders_per_request": per,
            "slowest_ms": [ms(t) for t in sorted(times)[-3:]], "statuses": _count(got["shipments"])}


def _count(shipments: list[dict]) -> dict:
    out: dict[str, int] = {}
    for s in shipments:
        out[s["status"]] = out.get(s["status"], 0) + 1
    return out
