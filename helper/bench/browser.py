"""`browser`: the shipped extension in Chromium on the pdd-seller replica (500 rows, 100 dialogs).

Uses the test support code (replica server over TLS at the real host name, the system's
Chromium under Playwright), so it runs from a source checkout with the `bench` extra. The
replica answers without its usual random latency here: the figures are the extension's
own cost per row, not a simulated network.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from . import data as bench_data
from .stats import median

ROOT = Path(__file__).resolve().parents[2]
ROWS = 500
FILLS = 100
PATTERN = "https://mms.pinduoduo.com/*"


def sender(sw):
    """`send(msg)` → the content script's answer data on the 拼多多 tab; RuntimeError when it fails."""
    from tests.support.extension import SEND

    def send(msg):
        r = sw.evaluate(SEND, [PATTERN, msg])
        if not (r and r.get("ok")):
            raise RuntimeError(f"browser: {msg['type']} failed: {r}")
        return r["data"]

    return send


def run(rows: int = ROWS, fills: int = FILLS, rounds: int = 3) -> dict:
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.support import replica_data
    from tests.support.browser import launch_chromium, stop_playwright
    from tests.support.extension import service_worker
    from tests.support.replica_server import ReplicaServer

    datasets = replica_data.generate_datasets(rows, seed=3)
    srv = ReplicaServer(["pdd-seller"], datasets=datasets, delay=(0.0, 0.0)).start()
    try:
        with tempfile.TemporaryDirectory(prefix="danhao-bench-profile-") as profile:
            ctx = launch_chromium(profile, extension_dir=ROOT, resolver_rules=srv.host_resolver_rules())
            try:
                sw = service_worker(ctx)
                send = sender(sw)
                page = ctx.new_page()
                page.goto(f"https://mms.pinduoduo.com/orders/list?tab=0&pageSize={rows}")
                got = send({"type": "test:extract"})["orders"]        # waits for the rows (XHR)
                if len(got) != rows:
                    raise RuntimeError(f"browser: extracted {len(got)} of {rows} rows")
                times = []
                for _ in range(rounds):
                    t = time.perf_counter()
                    send({"type": "test:extract"})
                    times.append(time.perf_counter() - t)
                extract_ms = median(times) * 1000 / rows

                sw.evaluate("() => globalThis.danhao.settings.set({autoSubmit: true, autoSync: false})")
                numbers = {r["buyerMemo"][4:]: r["logistics"][0] for r in datasets["alibaba-buyer"]["orders"]}
                shipments = []
                for i, order in enumerate(got[:fills]):
                    lg = numbers[order["order_id"]]
                    shipments.append({
                        "shipment_id": f"s_bench{i}", "site": bench_data.SITE, "order_id": order["order_id"],
                        "number": lg["mailNo"], "courier": {"id": "x", "name": lg["companyName"], "confidence": 0.97},
                        "target": {"code": "0", "option": lg["companyName"]}, "status": "ready", "checks": []})
                t = time.perf_counter()
                out = send({"type": "test:fill", "shipments": shipments})
                fill_s = time.perf_counter() - t
                sw.evaluate("() => globalThis.danhao.settings.set({autoSubmit: false})")
                filled = sum(1 for r in out["results"] if r["result"] == "filled")
                shipped = len(srv.state("pdd-seller")["shipped"])
            finally:
                ctx.close()
                stop_playwright()
    finally:
        srv.stop()
    out = {"extract_ms_per_row": round(extract_ms, 3), "fill_ms_per_row": round(fill_s * 1000 / fills, 1),
           "rows": rows, "dialogs": fills, "filled": filled, "confirmed": shipped}
    out.update(page_data(rows, rounds))
    return out


# The page's own request, timed in the page: the list endpoint the observer copies.
TIME_REQUESTS = """async (n) => {
  const body = JSON.stringify({pageNumber: 1, pageSize: 20});
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch('/mangkhut/mms/recentOrderList', {method: 'POST', headers: {'Content-Type': 'application/json'}, body});
    await r.json();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""


def page_data(rows: int = ROWS, rounds: int = 3, requests: int = 60) -> dict:
    """The page-data layer on the 2026 拼多多 replica (500 rows on one page): extraction per row
    from the page's own reply and from the DOM, and what the observer adds to the page's own
    requests (median request time with the extension minus without, in ms)."""
    from tests.support.browser import launch_chromium
    from tests.support.extension import service_worker
    from tests.support.replica_server import ReplicaServer
    from tests.support.replicas import pdd_seller_2026

    srv = ReplicaServer(["pdd-seller"], layouts={"pdd-seller": "2026"},
                        datasets={"pdd-seller": pdd_seller_2026.generate_dataset(rows)}, delay=(0.0, 0.0)).start()
    srv.sites["pdd-seller"].max_page_size = rows
    url = f"https://mms.pinduoduo.com/orders/list?msfrom=mms_sidenav&tab=0&pageSize={rows}"
    out = {}
    try:
        request_ms = {}
        for with_extension in (True, False):
            with tempfile.TemporaryDirectory(prefix="danhao-bench-profile-") as profile:
                ctx = launch_chromium(profile, extension_dir=ROOT if with_extension else None,
                                      resolver_rules=srv.host_resolver_rules())
                try:
                    page = ctx.new_page()
                    page.goto(url)
                    if with_extension:
                        send = sender(service_worker(ctx))

                        got = send({"type": "test:extract"})
                        if len(got["orders"]) != rows or got["source"] != "reply":
                            raise RuntimeError(f"page-data: {len(got['orders'])} rows from {got['source']}")
                        for source in ("reply", "dom"):
                            times = []
                            for _ in range(rounds):
                                t = time.perf_counter()
                                r = send({"type": "test:extract-via", "source": source})
                                times.append(time.perf_counter() - t)
                                if not r["orders"] or len(r["orders"]) != rows:
                                    raise RuntimeError(f"page-data: {source} path read {len(r['orders'] or [])} rows")
                            out[f"extract_{source}_ms_per_row"] = round(median(times) * 1000 / rows, 3)
                    else:
                        page.wait_for_selector('tr[data-testid="beast-core-table-body-tr"]')
                    page.evaluate(TIME_REQUESTS, 10)            # warm the connection
                    request_ms[with_extension] = page.evaluate(TIME_REQUESTS, requests)
                finally:
                    ctx.close()
        out["request_ms_with_observer"] = round(request_ms[True], 2)
        out["request_ms_without"] = round(request_ms[False], 2)
        out["observer_overhead_ms"] = round(request_ms[True] - request_ms[False], 2)
    finally:
        srv.stop()
    return out
