"""Issue #10, item 5: the real `danhao serve` killed with SIGKILL in the middle of writes.

The helper runs as a separate process (`tests.support.helper_server.HelperProcess`) on a free
loopback port and a real SQLite file. A client thread sends batches without pause — sales
orders and purchase orders (ingestion) in even rounds, `POST /convert` of acknowledged orders
mixed with new purchase orders (conversion) in odd rounds — each with its own
`X-Danhao-Request-Id`, as the extension's offline queue does. After a seeded random delay the
process is killed (SIGKILL: no shutdown, no flush) and started again on the same file, and the
request that was in flight is replayed with its id (as the queue would).

At the end: `PRAGMA integrity_check` is `ok`; every order, purchase order and shipment whose
write was acknowledged (2xx) is there; every acknowledged request replayed once more answers
its first answer (`X-Danhao-Replayed: 1`) and changes no row; no order, purchase order or
shipment was created twice in the event log.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import threading
import time
import uuid

import requests

from tests.api.samples import purchase_order, sales_order
from tests.support.helper_server import HelperProcess

from .support import snapshot

KILLS = 24
BATCH = 60            # orders per ingestion batch
PAGE = 40             # orders per convert request
MAX_REQUESTS_PER_ROUND = 60   # bounded even if the kill were late
FIGURES: dict[str, int] = {}


class Traffic:
    """What the client sent, and what the helper acknowledged."""

    def __init__(self):
        self.serial = 0
        self.sales: list[str] = []               # acknowledged sales order ids, in order
        self.purchases: dict[str, str] = {}      # acknowledged purchase order id → its sales order id
        self.converted: set[str] = set()         # shipment ids answered by an acknowledged convert
        self.acked: list[tuple[str, dict, dict]] = []   # (route, body, headers)
        self.inflight: tuple[str, dict, dict] | None = None

    def next_id(self) -> int:
        self.serial += 1
        return self.serial

    def sales_batch(self) -> dict:
        ids = [f"261124-{self.next_id():015d}" for _ in range(BATCH)]
        return {"site": "pdd-seller", "orders": [sales_order(i) for i in ids]}

    def purchase_batch(self) -> dict | None:
        covered = set(self.purchases.values())
        waiting = [s for s in self.sales if s not in covered][:BATCH]
        if not waiting:
            return None
        orders = []
        for sid in waiting:
            n = self.next_id()
            orders.append(purchase_order(f"39{n:017d}", remark=f"PDD {sid}",
                                         packages=[{"courier_text": "中通快递", "tracking": f"7301{n:010d}"}]))
        return {"site": "alibaba-buyer", "orders": orders}

    def convert_page(self, rng: random.Random) -> dict | None:
        matched = list(dict.fromkeys(self.purchases.values()))
        if not matched:
            return None
        start = rng.randrange(0, max(1, len(matched) - PAGE + 1))
        return {"site": "pdd-seller", "order_ids": matched[start:start + PAGE], "options": ["中通快递", "圆通速递"]}

    def record(self, route: str, body: dict, answer: dict) -> None:
        if route.endswith("/sales-orders"):
            rejected = {r["index"] for r in answer["rejected"]}
            assert not rejected, answer["rejected"]
            self.sales += [o["order_id"] for o in body["orders"]]
        elif route.endswith("/purchase-orders"):
            assert not answer["rejected"], answer["rejected"]
            for o in body["orders"]:
                self.purchases[o["order_id"]] = o["remark"].split()[1]
        else:
            self.converted |= {s["shipment_id"] for s in answer["shipments"]}


def send(helper: HelperProcess, route: str, body: dict, headers: dict) -> requests.Response:
    return helper.api("POST", route, json=body, headers=headers)


def client_loop(helper: HelperProcess, traffic: Traffic, converting: bool, rng: random.Random, stop: threading.Event):
    for n in range(MAX_REQUESTS_PER_ROUND):
        if stop.is_set():
            return
        route, body = None, None
        if converting and n % 3 != 2:
            route, body = "/api/v1/convert", traffic.convert_page(rng)
        elif n % 2 == 1:
            route, body = "/api/v1/purchase-orders", traffic.purchase_batch()
        if body is None:
            route, body = "/api/v1/sales-orders", traffic.sales_batch()
        headers = {"X-Danhao-Request-Id": uuid.UUID(int=rng.getrandbits(128)).hex}
        traffic.inflight = (route, body, headers)
        try:
            r = send(helper, route, body, headers)
        except requests.RequestException:
            return   # killed while this request was in flight: replayed after the restart
        assert r.status_code == 200, (route, r.status_code, r.text[:300])
        traffic.record(route, body, r.json())
        traffic.acked.append(traffic.inflight)
        traffic.inflight = None


def test_sigkill_during_ingestion_and_conversion_loses_no_acknowledged_write(tmp_path):
    rng = random.Random(20261125)
    helper = HelperProcess(tmp_path / "danhao.db")
    traffic = Traffic()
    kills = mid_request = replayed_inflight = 0
    try:
        helper.start()
        for round_ in range(KILLS + 1):
            if traffic.inflight:   # what the extension's queue does after a restart
                route, body, headers = traffic.inflight
                r = send(helper, route, body, headers)
                assert r.status_code == 200, (route, r.status_code, r.text[:300])
                traffic.record(route, body, r.json())
                traffic.acked.append(traffic.inflight)
                traffic.inflight = None
                replayed_inflight += 1
            if round_ == KILLS:
                break
            stop = threading.Event()
            worker = threading.Thread(target=client_loop, args=(helper, traffic, round_ % 2 == 1, rng, stop), daemon=True)
            worker.start()
            time.sleep(rng.uniform(0.15, 0.6))
            os_pid = helper.proc.pid
            helper.proc.send_signal(signal.SIGKILL)
            helper.proc.wait(10)
            kills += 1
            stop.set()
            worker.join(20)
            assert not worker.is_alive()
            mid_request += traffic.inflight is not None
            assert helper.proc.returncode == -signal.SIGKILL, os_pid
            helper.stop()
            helper.start()

        conn = sqlite3.connect(str(helper.db_path))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored_sales = {r[0] for r in conn.execute("SELECT order_id FROM sales_orders")}
            stored_purchases = {r[0] for r in conn.execute("SELECT order_id FROM purchase_orders")}
            stored_shipments = {r[0] for r in conn.execute("SELECT shipment_id FROM shipments")}
            doubled = conn.execute(
                "SELECT kind, order_id, COUNT(*) FROM events WHERE kind IN ('sales_order.created', "
                "'purchase_order.created') GROUP BY kind, site, order_id HAVING COUNT(*) > 1").fetchall()
            doubled_shipments = conn.execute(
                "SELECT json_extract(data, '$.shipment_id') AS sid, COUNT(*) FROM events WHERE kind = 'shipment.created' "
                "GROUP BY sid HAVING COUNT(*) > 1").fetchall()
        finally:
            conn.close()
        assert set(traffic.sales) <= stored_sales, len(set(traffic.sales) - stored_sales)
        assert set(traffic.purchases) <= stored_purchases, len(set(traffic.purchases) - stored_purchases)
        assert traffic.converted <= stored_shipments, len(traffic.converted - stored_shipments)
        assert doubled == [] and doubled_shipments == []

        # Every acknowledged request, replayed with its id, gets its first answer and writes nothing.
        before = snapshot(helper.db_path)
        for route, body, headers in traffic.acked:
            r = send(helper, route, body, headers)
            assert r.status_code == 200 and r.headers.get("X-Danhao-Replayed") == "1", (route, r.status_code)
        assert snapshot(helper.db_path) == before
    finally:
        helper.stop()

    FIGURES.update(kills=kills, mid_request=mid_request, replayed_inflight=replayed_inflight,
                   acknowledged_requests=len(traffic.acked), acknowledged_orders=len(set(traffic.sales)),
                   acknowledged_purchase_orders=len(traffic.purchases), acknowledged_shipments=len(traffic.converted))
    print("\ncrash:", FIGURES)
    assert kills >= 20 and mid_request >= 15
    assert len(traffic.converted) > 0 and len(traffic.purchases) > 0
