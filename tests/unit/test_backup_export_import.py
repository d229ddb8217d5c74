"""Issue #13, the data: `danhao backup FILE`, `danhao export-all DIR`, `danhao import DIR`.

A realistic database is seeded through the real API (orders with Chinese text, formula-looking
remarks, long digit ids, missing optional fields, JSON data columns, purchases, links,
shipments, fill results, page reports, settings, events). Then:
- export-all → import into a new file → every table equal row for row, types included;
- backup while a writer thread keeps posting orders → the copy opens, passes the integrity
  check, and holds whole transactions only (a consistent snapshot);
- a damaged manifest, a changed or missing file, a non-empty target, a newer schema, a row that
  breaks a constraint → a clear one-line error and nothing changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from helper import portable
from helper.app import create_app
from helper.cli import main
from helper.csvsafe import writer as csv_writer
from helper.security import ensure_token
from helper.store import connect
from helper.tables import applied_migrations, data_tables
from tests.api.samples import person, purchase_order, sales_order

BATCH = 5   # orders per request of the writer thread: one transaction each
MANIFEST = "manifest.json"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


class Api:
    def __init__(self, db_path: Path):
        self.app = create_app({"DB_PATH": str(db_path), "TESTING": True})
        db = connect(db_path)
        try:
            self.token = ensure_token(db)
        finally:
            db.conn.close()
        self.client = self.app.test_client()

    def send(self, method, path, body=None):
        r = self.client.open(path, method=method, json=body,
                             headers={"X-Danhao-Token": self.token, "X-Danhao-Operator": "%E5%B0%8F%E7%8E%8B"})
        assert r.status_code in (200, 201), (path, r.status_code, r.get_data(as_text=True)[:300])
        return r.get_json()


def seed(db_path: Path) -> Api:
    api = Api(db_path)
    lisi = person("李四", "139****1234", "广东省", "深圳市", "南山区", "科技园1栋 =SUM(A1:A9)")
    api.send("POST", "/api/v1/sales-orders", {"site": "pdd-seller", "orders": [
        sales_order("261124-000000000000001", remark="=1+1"),
        sales_order("261124-000000000000002", buyer=lisi, remark="+8613800000000 @客服 -记得发顺丰"),
        sales_order("261124-000000000000003", remark="'单引号开头", shop="杯具生活馆|旗舰店"),
        sales_order("261124-000000000000004", remark="", ship_by="", items=[
            {"title": "陶瓷杯\n第二行\r\n第三行", "sku": "白色, 350ml \"大号\"", "quantity": 2, "price": "19.90"}]),
    ]})
    api.send("POST", "/api/v1/sales-orders", {"site": "taobao-seller", "orders": [
        sales_order("4123456789012345678", remark="\t=cmd|' /C calc'!A0"),
        sales_order("4123456789012345679", amount="-0.01"),
    ]})
    minimal = {"order_id": "6923456789012345678"}   # optional fields missing: NULL columns
    api.send("POST", "/api/v1/sales-orders", {"site": "douyin-seller", "orders": [minimal]})
    api.send("POST", "/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [
        purchase_order("3900000000000000001", remark="PDD 261124-000000000000001",
                       packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}]),
        purchase_order("3900000000000000002", remark="PDD 261124-000000000000002",
                       packages=[{"courier_text": "圆通速递", "tracking": "YT7512348820461"},
                                 {"courier_text": "圆通速递", "tracking": "YT7512348820462"}]),
        purchase_order("3900000000000000003", remark="", packages=[{"courier_text": "韵达快递", "tracking": "12345"}]),
    ]})
    api.send("POST", "/api/v1/links", {"sales_site": "pdd-seller", "sales_order_id": "261124-000000000000003",
                                       "purchase_site": "alibaba-buyer", "purchase_order_id": "3900000000000000003"})
    shipments = api.send("POST", "/api/v1/convert", {
        "site": "pdd-seller", "options": ["中通快递", "圆通速递", "韵达快递"],
        "order_ids": ["261124-000000000000001", "261124-000000000000002", "261124-000000000000003"]})["shipments"]
    ready = next(s for s in shipments if s["status"] == "ready")
    api.send("POST", "/api/v1/fill-results", {"site": "pdd-seller", "results": [{
        "shipment_id": ready["shipment_id"], "order_id": ready["order_id"], "result": "filled", "submitted": True,
        "number": ready["number"], "option": "中通快递"}]})
    api.send("POST", "/api/v1/page-reports", {"site": "pdd-seller", "page_url": "https://mms.pinduoduo.com/orders/list",
                                              "message": "页面已改版：找不到 运单号 输入框"})
    api.send("PUT", "/api/v1/settings", {"operator": "=店主", "refresh_interval_min": "120"})
    return api


def dump(db_path: Path) -> dict:
    """Every data table's rows in rowid order, each value with its type (1 is not 1.0 nor "1")."""
    conn = sqlite3.connect(str(db_path))
    try:
        out = {}
        for table in data_tables(conn):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            out[table] = {"columns": cols, "rows": [tuple((type(v).__name__, v) for v in row) for row in rows]}
        return out
    finally:
        conn.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("source") / "danhao.db"
    seed(path)
    return path


@pytest.fixture(scope="module")
def exported(source, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports") / "all"
    result = run("export-all", folder, "--db", source)
    assert result.exit_code == 0, result.output
    return folder


def copy_export(exported: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "copy"
    shutil.copytree(exported, folder)
    return folder


def copy_db(source: Path, target: Path) -> None:
    """A copy that includes what is still in the WAL (a file copy would not)."""
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ round trip

def test_export_all_then_import_gives_back_every_table_row_for_row(source, exported, tmp_path):
    before = dump(source)
    assert before["sales_orders"]["rows"] and before["events"]["rows"] and before["shipments"]["rows"]
    target = tmp_path / "restored" / "danhao.db"
    result = run("import", exported, "--db", target)
    assert result.exit_code == 0, result.output
    assert f"Imported {sum(len(t['rows']) for t in before.values())} rows" in result.stdout
    after = dump(target)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    conn = sqlite3.connect(str(target))
    try:
        assert applied_migrations(conn) == applied_migrations(sqlite3.connect(str(source)))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["danhao.db"]   # no temporary file left
    # the restored helper answers as the old one did, with the same token
    old, new = Api(source), Api(target)
    assert new.token == old.token
    for path in ("/api/v1/sales-orders?site=pdd-seller", "/api/v1/shipments", "/api/v1/events?limit=500",
                 "/api/v1/sales-orders/taobao-seller/4123456789012345678"):
        assert new.send("GET", path) == old.send("GET", path), path


def test_the_export_files_are_csv_a_spreadsheet_opens_safely(source, exported):
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    conn = sqlite3.connect(str(source))
    try:
        assert manifest["format"] == "danhao-export-all" and manifest["format_version"] == 1
        assert manifest["schema"]["migrations"] == applied_migrations(conn)
        assert manifest["schema"]["version"] == len(applied_migrations(conn))
        assert set(manifest["tables"]) == set(data_tables(conn))
        for table, entry in manifest["tables"].items():
            assert entry["rows"] == conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0], table
            assert entry["sha256"] == sha(exported / entry["file"]), table
            assert [c["name"] for c in entry["columns"]] == [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()
    assert sorted(p.name for p in exported.iterdir()) == sorted([MANIFEST] + [e["file"] for e in manifest["tables"].values()])
    raw = (exported / "sales_orders.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:], newline="")))
    header = lines[0]
    remarks = {line[header.index("order_id")]: line[header.index("remark")] for line in lines[1:]}
    assert remarks["261124-000000000000001"] == "'=1+1"                 # never a formula
    assert remarks["4123456789012345678"] == "'\t=cmd|' /C calc'!A0"    # nor a tab-hidden one
    assert remarks["261124-000000000000003"] == "''单引号开头"           # a leading ' doubled: reversible
    assert remarks["261124-000000000000004"] == "'"                      # the empty string, not NULL
    assert remarks["6923456789012345678"] == ""                          # NULL
    assert "杯具生活馆" in raw.decode("utf-8")                            # Chinese as it is
    # no cell of any file starts a formula
    for entry in manifest["tables"].values():
        text = (exported / entry["file"]).read_text(encoding="utf-8-sig")
        for line in csv.reader(io.StringIO(text, newline="")):
            for cell in line:
                assert not (cell[:1] in ("=", "+", "@", "|", "%", "\t", "\r")
                            or (cell[:1] == "-" and not portable._PLAIN_NUMBER.match(cell))), (entry["file"], cell)


def test_import_into_an_existing_empty_database(exported, source, tmp_path):
    target = tmp_path / "empty.db"
    assert run("config", "list", "--db", target).exit_code == 0   # creates and migrates it, no rows
    assert run("import", exported, "--db", target).exit_code == 0
    assert dump(target) == dump(source)


def test_odd_values_written_by_hand_survive_too(source, tmp_path):
    """Types a column does not expect (SQLite keeps them): text in a REAL column, a blob in a
    TEXT column, floats that need every digit, huge integers, NUL and lone CR in text."""
    db_path = tmp_path / "odd.db"
    copy_db(source, db_path)
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    conn.execute("UPDATE purchase_orders SET match_score = 'n/a' WHERE order_id = '3900000000000000001'")
    conn.execute("UPDATE purchase_orders SET match_score = 0.1 + 0.2 WHERE order_id = '3900000000000000002'")
    conn.execute("INSERT INTO requests (request_id, at, status, response) VALUES (?, ?, ?, ?)",
                  ["r1", "2026-11-25T01:00:00+00:00", 9223372036854775807, b"\x00\xff=blob"])
    conn.execute("INSERT INTO requests (request_id, at, status, response) VALUES (?, ?, ?, ?)",
                  ["r2", "2026-11-25T01:00:00+00:00", -1, "a\x00b\rc|-d"])
    conn.execute("INSERT INTO settings (name, value) VALUES ('-1e-05', '1.5e-300')")
    conn.close()
    folder = tmp_path / "odd"
    assert run("export-all", folder, "--db", db_path).exit_code == 0
    encodings = {c["name"]: c["encoding"] for c in json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
                 ["tables"]["purchase_orders"]["columns"]}
    assert encodings["match_score"] == "tagged" and encodings["order_id"] == "text"
    target = tmp_path / "odd-restored.db"
    assert run("import", folder, "--db", target).exit_code == 0
    assert dump(target) == dump(db_path)


VALUES = st.one_of(st.none(), st.text(alphabet=st.characters(exclude_categories=["Cs"])),
                   st.sampled_from(["", "'", "''", "=1+1", "-1", "-1.5", "+1", "@x", "|x", "%x", "\tx", "\rx", "-A1", "t:x"]),
                   st.integers(min_value=-2**63, max_value=2**63 - 1),
                   st.floats(allow_nan=False), st.binary())


@settings(max_examples=400, deadline=None)
@given(values=st.lists(VALUES, min_size=1, max_size=6))
def test_every_value_survives_the_csv_of_its_encoding(values):
    kinds = {type(v) for v in values if v is not None}
    encoding = "tagged" if len(kinds) > 1 else {str: "text", int: "integer", float: "real", bytes: "blob"}.get(
        next(iter(kinds), str))
    buffer = io.StringIO()
    csv_writer(buffer, lineterminator="\r\n").writerow([portable.encode(v, encoding) for v in values])
    (cells,) = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    back = [portable.decode(c, encoding) for c in cells]
    assert [(type(v), v) for v in back] == [(type(v), v) for v in values]


# ------------------------------------------------------------------ refusals: clear, nothing changed

def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("错误：") and "Error: " in message, message
    return message


def test_a_damaged_manifest_is_refused(exported, tmp_path):
    folder = copy_export(exported, tmp_path)
    (folder / MANIFEST).write_text((folder / MANIFEST).read_text(encoding="utf-8")[:-40], encoding="utf-8")
    target = tmp_path / "new.db"
    assert "manifest.json" in one_line_error(run("import", folder, "--db", target))
    assert not target.exists() and list(tmp_path.glob(".new.db*")) == []


def test_a_manifest_with_a_wrong_row_count_is_refused_after_reading(exported, tmp_path):
    folder = copy_export(exported, tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["tables"]["events"]["rows"] += 1
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "new.db"
    assert "events.csv" in one_line_error(run("import", folder, "--db", target))
    assert not target.exists() and list(tmp_path.glob(".new.db*")) == []


def test_a_missing_or_changed_file_is_refused(exported, tmp_path):
    folder = copy_export(exported, tmp_path)
    (folder / "shipments.csv").unlink()
    assert "shipments.csv" in one_line_error(run("import", folder, "--db", tmp_path / "a.db"))
    folder = tmp_path / "copy2"
    shutil.copytree(exported, folder)
    text = (folder / "sales_orders.csv").read_text(encoding="utf-8")
    (folder / "sales_orders.csv").write_text(text.replace("张三", "王五", 1), encoding="utf-8")
    assert "SHA-256" in one_line_error(run("import", folder, "--db", tmp_path / "b.db"))
    assert not (tmp_path / "a.db").exists() and not (tmp_path / "b.db").exists()
    assert "nowhere" in one_line_error(run("import", tmp_path / "nowhere", "--db", tmp_path / "c.db"))
    assert not (tmp_path / "c.db").exists()


def test_a_non_empty_target_is_refused_and_left_as_it_was(exported, source, tmp_path):
    target = tmp_path / "busy.db"
    copy_db(source, target)
    before = target.read_bytes()
    message = one_line_error(run("import", exported, "--db", target))
    assert "not empty" in message and "events" in message
    assert target.read_bytes() == before


def test_an_export_from_a_newer_danhao_is_refused(exported, tmp_path):
    folder = copy_export(exported, tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["schema"]["migrations"].append("m999_from_the_future")
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert "newer" in one_line_error(run("import", folder, "--db", tmp_path / "new.db"))
    assert not (tmp_path / "new.db").exists()


def test_a_row_that_breaks_a_constraint_rolls_back_everything(exported, tmp_path):
    """The files agree with their manifest, but one row repeats a primary key: the whole import
    is undone, into a new file (nothing left) and into an existing empty database (still empty)."""
    folder = copy_export(exported, tmp_path)
    path = folder / "settings.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines.insert(2, lines[1])   # the first setting twice
    path.write_bytes(b"\r\n".join(lines))
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["tables"]["settings"]["rows"] += 1
    manifest["tables"]["settings"]["sha256"] = sha(path)
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "new.db"
    assert "UNIQUE" in one_line_error(run("import", folder, "--db", target))
    assert not target.exists() and list(tmp_path.glob(".new.db*")) == []
    empty = tmp_path / "empty.db"
    assert run("config", "list", "--db", empty).exit_code == 0
    one_line_error(run("import", folder, "--db", empty))
    assert all(not t["rows"] for t in dump(empty).values())


def test_export_all_refuses_a_folder_with_files(source, tmp_path):
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    assert "not empty" in one_line_error(run("export-all", folder, "--db", source))
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    assert "does not exist" in one_line_error(run("export-all", tmp_path / "x", "--db", tmp_path / "none.db"))
    assert not (tmp_path / "none.db").exists()


# ------------------------------------------------------------------ backup

def test_backup_refuses_to_overwrite_and_checks_its_copy(source, tmp_path):
    target = tmp_path / "backup.db"
    result = run("backup", target, "--db", source)
    assert result.exit_code == 0, result.output
    assert "integrity_check: ok" in result.stdout and "sales_orders" in result.stdout
    counts = dict(line.split() for line in result.stdout.splitlines() if line.startswith("  "))
    assert {t: int(n) for t, n in counts.items()} == {t: len(v["rows"]) for t, v in dump(source).items()}
    assert dump(target) == dump(source)
    assert sqlite3.connect(str(target)).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    stamp = target.stat().st_mtime_ns, target.read_bytes()
    assert "--force" in one_line_error(run("backup", target, "--db", source))
    assert (target.stat().st_mtime_ns, target.read_bytes()) == stamp
    assert run("backup", target, "--db", source, "--force").exit_code == 0
    assert "folder" in one_line_error(run("backup", tmp_path, "--db", source))
    assert "itself" in one_line_error(run("backup", source, "--db", source, "--force"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.db"]


def test_backup_while_the_helper_writes_is_a_consistent_snapshot(tmp_path):
    db_path = tmp_path / "live.db"
    api = seed(db_path)
    base = {t: len(v["rows"]) for t, v in dump(db_path).items()}
    base_created = created_events(db_path)
    stop, errors, sent = threading.Event(), [], [0]

    def writer():
        client = api.app.test_client()
        n = 0
        try:
            while not stop.is_set():
                orders = [sales_order(f"261125-{n:09d}{k}", remark=f"第 {n} 批 =1+1") for k in range(BATCH)]
                r = client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": orders},
                                headers={"X-Danhao-Token": api.token})
                assert r.status_code == 200, r.get_data(as_text=True)
                n += 1
                sent[0] = n
        except BaseException as err:   # surfaced in the main thread
            errors.append(err)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    copies = []
    try:
        for i in range(3):
            deadline = time.time() + 20
            while sent[0] < 5 * (i + 1) and time.time() < deadline:
                time.sleep(0.01)
            started = sent[0]
            target = tmp_path / f"copy-{i}.db"
            result = run("backup", target, "--db", db_path)
            assert result.exit_code == 0, result.output
            copies.append((target, started, sent[0]))
    finally:
        stop.set()
        thread.join(30)
    assert not errors, errors
    final = len(dump(db_path)["sales_orders"]["rows"])
    for target, started, ended in copies:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            orders = conn.execute("SELECT COUNT(*) FROM sales_orders").fetchone()[0] - base["sales_orders"]
            created = created_events(target) - base_created
            # whole requests only: every batch's orders and their events together, nothing half-written
            assert orders % BATCH == 0 and created == orders, (target, orders, created)
            assert started * BATCH <= orders <= ended * BATCH + BATCH, (started, orders, ended)
            assert applied_migrations(conn) and not Path(f"{target}-wal").exists()
        finally:
            conn.close()
    assert max(c[2] for c in copies) * BATCH <= final - base["sales_orders"]
    assert any(int(sqlite3.connect(str(t)).execute("SELECT COUNT(*) FROM sales_orders").fetchone()[0]) < final
               for t, _, _ in copies), "the writer never wrote after a backup: the test proved nothing"


def created_events(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'sales_order.created'").fetchone()[0]
    finally:
        conn.close()
