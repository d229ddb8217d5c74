"""Issue #10, item 5: concurrent writers and readers against one real `danhao serve`.

Four writer threads send sales-order batches (disjoint ids) and purchase orders, one writer
converts pages of what is already matched, two readers list orders, shipments, events and the
popup's status, and meanwhile separate `danhao config set` processes write the same SQLite
file from outside the server. No caller may see a 5xx or a "database is locked"; the counts
in the database add up to what was acknowledged, and `PRAGMA integrity_check` is `ok`.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import requests

from tests.api.samples import purchase_order, sales_order
from tests.support.helper_server import REPO, HelperProcess

WRITERS = 4
BATCHES = 25          # per writer
BATCH = 40            # orders per batch
READS = 150            # per reader
CLI_WRITES = 5
FIGURES: dict[str, int] = {}


def test_writers_readers_and_other_processes_never_see_a_lock(tmp_path):
    helper = HelperProcess(tmp_path / "danhao.db").start()
    answers: list[tuple[str, int, str]] = []
    lock = threading.Lock()
    failures: list[str] = []
    progress = threading.Condition()
    finished = [0] * BATCHES

    def call(method, path, **kw):
        try:
            r = requests.request(method, helper.url + path, headers={"X-Danhao-Token": helper.token}, timeout=60, **kw)
        except requests.RequestException as err:   # a dropped connection is a failure too
            with lock:
                failures.append(f"{method} {path}: {type(err).__name__}")
            return None
        with lock:
            answers.append((f"{method} {path.split('?')[0]}", r.status_code, r.text[:300]))
        return r

    def writer(w):
        for b in range(BATCHES):
            ids = [f"261124-{w:02d}{b:03d}{i:010d}" for i in range(BATCH)]
            call("POST", "/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [sales_order(i) for i in ids]})
            pos = [purchase_order(f"39{w:02d}{b:03d}{i:012d}", remark=f"PDD {sid}",
                                  packages=[{"courier_text": "中通快递", "tracking": f"73{w:02d}{b:03d}{i:07d}"}])
                   for i, sid in enumerate(ids[: BATCH // 2])]
            call("POST", "/api/v1/purchase-orders", json={"site": "alibaba-buyer", "orders": pos})
            with progress:
                finished[b] += 1
                progress.notify_all()

    def converter():
        for b in range(BATCHES):
            with progress:   # convert what the writers already stored, while they go on
                progress.wait_for(lambda: finished[b] == WRITERS, timeout=60)
            ids = [f"261124-{w:02d}{b:03d}{i:010d}" for w in range(WRITERS) for i in range(0, BATCH // 2, 4)]
            call("POST", "/api/v1/convert", json={"site": "pdd-seller", "order_ids": ids, "options": ["中通快递"]})

    def reader(k):
        paths = ["/api/v1/sales-orders?limit=200", "/api/v1/shipments?limit=200", "/api/v1/events?limit=500",
                 "/api/v1/status", "/api/v1/alerts", "/api/v1/fill-results"]
        for n in range(READS):
            call("GET", paths[(n + k) % len(paths)])

    def cli_writer():
        for n in range(CLI_WRITES):
            res = subprocess.run([sys.executable, "-m", "helper", "config", "set", "refresh_interval_min", str(60 + n),
                                  "--db", str(helper.db_path)], cwd=REPO, capture_output=True, text=True, timeout=60)
            if res.returncode != 0 or "locked" in res.stderr.lower():
                with lock:
                    failures.append(f"config set: {res.returncode} {res.stderr.strip()[:200]}")

    threads = ([threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
               + [threading.Thread(target=converter)]
               + [threading.Thread(target=reader, args=(k,)) for k in range(2)]
               + [threading.Thread(target=cli_writer)])
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads)
        server_errors = [a for a in answers if a[1] >= 500]
        locked = [a for a in answers if "locked" in a[2].lower()]
        assert failures == [] and server_errors == [] and locked == [], (failures, server_errors[:3], locked[:3])
        assert all(a[1] == 200 for a in answers), [a for a in answers if a[1] != 200][:3]

        conn = sqlite3.connect(str(helper.db_path))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
            sales = count("SELECT COUNT(*) FROM sales_orders")
            purchases = count("SELECT COUNT(*) FROM purchase_orders")
            created = count("SELECT COUNT(*) FROM events WHERE kind = 'sales_order.created'")
            matched = count("SELECT COUNT(*) FROM purchase_orders WHERE sales_order_id IS NOT NULL")
            shipments = count("SELECT COUNT(*) FROM shipments")
            setting = count("SELECT value FROM settings WHERE name = 'refresh_interval_min'")
        finally:
            conn.close()
        assert sales == created == WRITERS * BATCHES * BATCH
        assert purchases == matched == WRITERS * BATCHES * BATCH // 2
        assert shipments == WRITERS * BATCHES * len(range(0, BATCH // 2, 4))
        assert setting == str(60 + CLI_WRITES - 1)
    finally:
        helper.stop()
    FIGURES.update(requests=len(answers), writes=sum(a[0].startswith("POST") for a in answers),
                   reads=sum(a[0].startswith("GET") for a in answers), cli_writes=CLI_WRITES,
                   orders=sales, purchase_orders=purchases, shipments=shipments, server_errors=0, lock_errors=0)
    print("\nconcurrency:", FIGURES)
