"""Issue #10, item 5: a database made by today's schema migrates forward with nothing lost.

`fixtures/schema-m003.db` was made by `fixtures/make_schema_m003.py` with migrations m001–m003
(orders on two sites, purchase orders, a link, shipments from convert, a fill result, a stored
trace, an open alert, events, settings, request ids). The test opens a copy with the current
code, as `danhao serve` does at every start, and checks: every migration of the current code
is recorded as applied; every table and every row of the fixture is still there with the same
values in the columns it had (columns a later migration adds may be new); the integrity check
is `ok`; and the data is usable — the API reads the orders, shipments, alerts and events, a
replayed request id still gets its first answer, and converting the old orders again updates
the same shipments instead of making new ones.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from helper.app import create_app
from helper.migrations import migrations
from helper.security import ensure_token
from helper.store import connect

FIXTURE = Path(__file__).parent / "fixtures" / "schema-m003.db"
FIXTURE_MIGRATIONS = ["m001_core", "m002_traces_and_alerts", "m003_due_index"]


def read_all(path) -> dict[str, tuple[list[str], list[tuple]]]:
    # Read-only: a missing fixture must fail here, never be created empty.
    assert Path(path).is_file() and Path(path).stat().st_size > 0, f"fixture missing: {path}"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for t in tables:
            cur = conn.execute(f"SELECT * FROM [{t}]")
            out[t] = ([d[0] for d in cur.description], [tuple(r) for r in cur])
        return out
    finally:
        conn.close()


@pytest.fixture
def migrated(tmp_path):
    path = tmp_path / "danhao.db"
    shutil.copyfile(FIXTURE, path)
    before = read_all(path)
    app = create_app({"DB_PATH": str(path), "TESTING": True})
    return path, before, app


def test_the_fixture_is_what_its_name_says():
    data = read_all(FIXTURE)
    columns, rows = data["_sqlite_migrations"]
    assert [r[columns.index("name")] for r in rows] == FIXTURE_MIGRATIONS
    counts = {t: len(rows) for t, (_, rows) in data.items()}
    assert counts["sales_orders"] == 4 and counts["purchase_orders"] == 4 and counts["shipments"] == 5
    assert counts["events"] >= 15 and counts["alerts"] == 1 and counts["links"] == 1 and counts["fill_results"] == 1


def test_an_old_database_migrates_forward_with_nothing_lost(migrated):
    path, before, app = migrated
    after = read_all(path)
    applied = [r[after["_sqlite_migrations"][0].index("name")] for r in after["_sqlite_migrations"][1]]
    db = connect(path)
    try:
        assert migrations.pending(db) == []          # every migration of the current code ran
        assert [m.name for m in migrations.applied(db)][:len(FIXTURE_MIGRATIONS)] == FIXTURE_MIGRATIONS
    finally:
        db.conn.close()
    assert applied[:len(FIXTURE_MIGRATIONS)] == FIXTURE_MIGRATIONS

    lost = []
    for table, (columns, rows) in before.items():
        assert table in after, f"table {table} dropped"
        new_columns, new_rows = after[table]
        assert set(columns) <= set(new_columns), (table, set(columns) - set(new_columns))
        keep = [new_columns.index(c) for c in columns]
        still = {tuple(r[i] for i in keep) for r in new_rows}
        lost += [(table, r) for r in rows if r not in still]
    assert lost == []
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_the_migrated_data_is_usable(migrated):
    path, before, app = migrated
    db = connect(path)
    try:
        token = ensure_token(db)    # the token made with the fixture, not a new one
    finally:
        db.conn.close()
    assert ("token", token) in before["settings"][1]
    client = app.test_client()
    h = {"X-Danhao-Token": token}

    order = client.get("/api/v1/sales-orders/pdd-seller/261124-500000000000001", headers=h).get_json()
    assert order["buyer"]["address"]["detail"] == "科技园1栋" and order["purchase_orders"] and order["shipments"]
    assert any(e["kind"] == "sales_order.created" for e in order["events"])
    listed = client.get("/api/v1/sales-orders?limit=50", headers=h).get_json()["orders"]
    assert len(listed) == 4
    shipments = client.get("/api/v1/shipments", headers=h).get_json()["shipments"]
    assert len(shipments) == 5 and sum(1 for s in shipments if s["fill"]) == 1
    alerts = client.get("/api/v1/alerts", headers=h).get_json()
    assert alerts["count"] == 1 and alerts["alerts"][0]["code"] == "stall_after_first_event"
    assert client.get("/api/v1/events?kind=page.changed", headers=h).get_json()["events"]
    status = client.get("/api/v1/status", headers=h).get_json()
    assert status["sales_orders"] == 4 and status["purchase_orders"] == 4
    assert client.get("/api/v1/settings", headers=h).status_code == 200

    # A request id recorded by the old database still answers its first answer.
    sales_ids = ["261124-500000000000001", "261124-500000000000002", "261124-500000000000003"]
    body = {"site": "pdd-seller", "order_ids": sales_ids, "options": ["中通快递", "圆通速递", "韵达快递", "极兔速递"]}
    replay = client.post("/api/v1/convert", json=body, headers={**h, "X-Danhao-Request-Id": "fixture-convert-1"})
    assert replay.status_code == 200 and replay.headers.get("X-Danhao-Replayed") == "1"
    # Converting the old orders again updates the same shipments: no new ones.
    again = client.post("/api/v1/convert", json=body, headers=h)
    assert again.status_code == 200
    ids = {s["shipment_id"] for s in again.get_json()["shipments"]}
    old_ids = {r[0] for r in before["shipments"][1]}
    assert ids <= old_ids
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute("SELECT COUNT(*) FROM shipments").fetchone()[0] == 5
    finally:
        conn.close()
