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
SEND = """async ([pattern, msg]) => {
  const [tab] = await chrome.tabs.query({url: pattern});
  return chrome.tabs.sendMessage(tab.id, msg, {frameId: 0});
}"""


def run(rows: int = ROWS, fills: int = FILLS, rounds: int = 3) -> dict:
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.support import replica_data
    from tests.support.browser import launch_chromium, stop_playwright
    from tests.support.replica_server import ReplicaServer

    datasets = replica_data.generate_datasets(rows, seed=3)
    srv = ReplicaServer(["pdd-seller"], datasets=datasets, delay=(0.0, 0.0)).start()
    try:
        with tempfile.TemporaryDirectory(prefix="danhao-bench-profile-") as profile:
            ctx = launch_chromium(profile, extension_dir=ROOT, resolver_rules=srv.host_resolver_rules())
            try:
                sw = ctx.service_workers[0] if ctx.service_workers else ctx.wait_for_event("serviceworker")

                def send(msg):
                    r = sw.evaluate(SEND, [PATTERN, msg])
                    if not (r and r.get("ok")):
                        raise RuntimeError(f"browser: {msg['type']} failed: {r}")
                    return r["data"]

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
    return {"extract_ms_per_row": round(extract_ms, 3), "fill_ms_per_row": round(fill_s * 1000 / fills, 1),
            "rows": rows, "dialogs": fills, "filled": filled, "confirmed": shipped}
