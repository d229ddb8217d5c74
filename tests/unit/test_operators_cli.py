"""`danhao operators add|list|revoke` and `danhao purge` through click's CliRunner on a real
database file, checked against the real app: the printed token is the one that authenticates,
only its digest is stored, a revoked operator is refused."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from helper.app import create_app
from helper.cli import main
from helper.operators import digest


def cli(*args):
    return CliRunner().invoke(main, list(args))


def status(db, token):
    client = create_app({"DB_PATH": str(db), "TESTING": True}).test_client()
    return client.get("/api/v1/status", headers={"X-Danhao-Token": token}).status_code


def test_add_prints_a_working_token_once_and_stores_only_its_digest(tmp_path):
    db = tmp_path / "danhao.db"
    res = cli("operators", "add", "小李", "--db", str(db))
    assert res.exit_code == 0, res.output
    token = res.stdout.strip()
    assert len(token) >= 40 and "\n" not in token
    assert "令牌只显示这一次" in res.stderr and "小李" in res.stderr
    assert status(db, token) == 200
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT name, role FROM operators").fetchall() == [("小李", "operator")]
        assert conn.execute("SELECT token_hash, label FROM operator_tokens").fetchall() == [(digest(token), "cli")]
        assert token not in "\n".join(conn.iterdump())
        assert conn.execute("SELECT operator, kind FROM events").fetchall() == [("cli", "operator.added")]
    finally:
        conn.close()


def test_roles_names_and_taken_names_are_checked_before_anything_is_written(tmp_path):
    db = tmp_path / "danhao.db"
    assert cli("operators", "add", "小王", "--role", "owner", "--db", str(db)).exit_code == 0
    bad_role = cli("operators", "add", "小赵", "--role", "admin", "--db", str(db))
    assert bad_role.exit_code == 2 and "admin" in bad_role.output
    for name, code in (("小王", "已存在"), ("cli", "已用于"), ("店主", "已用于"), ("a/b", "斜杠"), ("x" * 41, "1–40")):
        res = cli("operators", "add", name, "--db", str(db))
        assert res.exit_code == 2, (name, res.output)
        assert code in res.stderr and " / Error: " in res.stderr and "Traceback" not in res.output
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT name, role FROM operators").fetchall() == [("小王", "owner")]
        assert conn.execute("SELECT COUNT(*) FROM operator_tokens").fetchone()[0] == 1
    finally:
        conn.close()


def test_list_shows_the_original_token_first_then_each_operator_with_role_and_state(tmp_path):
    db = tmp_path / "danhao.db"
    li = cli("operators", "add", "小李", "--db", str(db)).stdout.strip()
    cli("operators", "add", "小王", "--role", "owner", "--db", str(db))
    client = create_app({"DB_PATH": str(db), "TESTING": True}).test_client()
    client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [{"order_id": "261124-1"}]},
                headers={"X-Danhao-Token": li})
    cli("operators", "revoke", "小王", "--db", str(db))
    res = cli("operators", "list", "--db", str(db))
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("名字 name | 角色 role")
    assert lines[1].startswith("店主 | owner | 原令牌")
    li_line = next(line for line in lines if line.startswith("小李 |"))
    assert "| operator | 使用中 active |" in li_line and li_line.split(" | ")[4] == "1"   # one event: the sync
    assert "已停用 revoked" in next(line for line in lines if line.startswith("小王 |"))


def test_revoke_ends_the_token_and_unknown_names_exit_2(tmp_path):
    db = tmp_path / "danhao.db"
    token = cli("operators", "add", "小李", "--db", str(db)).stdout.strip()
    res = cli("operators", "revoke", "小李", "--db", str(db))
    assert res.exit_code == 0 and "1 token(s) ended" in res.stdout
    assert status(db, token) == 401
    again = cli("operators", "revoke", "小李", "--db", str(db))
    assert again.exit_code == 2 and "No operator named" in again.stderr
    missing = cli("operators", "revoke", "小李", "--db", str(tmp_path / "nope.db"))
    assert missing.exit_code == 2 and not (tmp_path / "nope.db").exists()
    # Added again: a new token works, the old one stays refused.
    new = cli("operators", "add", "小李", "--db", str(db)).stdout.strip()
    assert new != token and status(db, new) == 200 and status(db, token) == 401


def test_purge_dry_run_counts_and_the_real_run_masks(tmp_path):
    db = tmp_path / "danhao.db"
    create_app({"DB_PATH": str(db), "TESTING": True})
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO sales_orders (site, order_id, buyer_name, buyer_phone, amount, data, first_seen, updated_at) "
                 "VALUES ('pdd-seller', '240101-1', '欧阳娜娜', '13912345678', '19.90', "
                 "'{\"order_id\": \"240101-1\", \"buyer\": {\"name\": \"欧阳娜娜\", \"phone\": \"13912345678\"}}', "
                 "'2024-01-01T10:00:00+08:00', '2024-01-02T10:00:00+08:00')")
    conn.commit()
    conn.close()
    dry = cli("purge", "--dry-run", "--db", str(db))
    assert dry.exit_code == 0, dry.output
    assert "将脱敏 / would mask: 销售订单 sales orders 1," in dry.stdout and "retention_days = 90" in dry.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT buyer_name FROM sales_orders").fetchone() == ("欧阳娜娜",)
    conn.close()
    real = cli("purge", "--db", str(db))
    assert "已脱敏 / masked: 销售订单 sales orders 1," in real.stdout
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT buyer_name, buyer_phone, amount FROM sales_orders").fetchone() == (
            "欧***", "139****5678", "19.90")
    finally:
        conn.close()
    assert "销售订单 sales orders 0," in cli("purge", "--db", str(db)).stdout
