"""Issue #10, item 5: the command line fails in one line, Chinese then English, exit 2.

Before the fix a port in use or a `--db` that is not a database printed a traceback, and
`danhao token --db` with a mistyped path created a database and printed a new token.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def danhao(*args, timeout=30):
    env = {**os.environ, "DANHAO_HOME": "/nonexistent-danhao-home"}
    return subprocess.run([sys.executable, "-m", "helper", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def assert_one_line_failure(res, *words):
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    assert "错误" in lines[0] and "Error:" in lines[0]
    for word in words:
        assert word in lines[0]
    assert res.stdout == ""


def test_token_refuses_a_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "typo" / "danhoa.db"
    res = danhao("token", "--db", str(missing))
    assert_one_line_failure(res, str(missing), "--db")
    assert not missing.exists() and not missing.parent.exists()


def test_serve_makes_a_new_database_but_never_a_mistyped_folder(tmp_path):
    missing = tmp_path / "typo" / "danhao.db"
    res = danhao("serve", "--no-refresh", "--port", "0", "--db", str(missing))
    assert_one_line_failure(res, str(missing.parent), "--db")
    assert not missing.parent.exists()


def test_token_of_an_existing_database_is_printed(tmp_path):
    db = tmp_path / "danhao.db"
    first = danhao("config", "set", "operator", "小王", "--db", str(db))
    assert first.returncode == 0, first.stderr
    res = danhao("token", "--db", str(db))
    assert res.returncode == 0 and len(res.stdout.strip()) >= 20


@pytest.mark.parametrize("command", [["token"], ["serve", "--no-refresh", "--port", "0"], ["config", "list"]])
def test_a_file_that_is_not_a_database_is_one_line(tmp_path, command):
    junk = tmp_path / "notes.db"
    junk.write_text("这不是数据库 / not a database, just notes " * 20, encoding="utf-8")
    res = danhao(*command, "--db", str(junk))
    assert_one_line_failure(res, "SQLite")
    assert junk.read_text(encoding="utf-8").startswith("这不是数据库")


@pytest.mark.parametrize("command", [["token"], ["serve", "--no-refresh", "--port", "0"]])
def test_a_database_that_cannot_be_opened_is_one_line(tmp_path, command):
    (tmp_path / "file").write_text("x")
    res = danhao(*command, "--db", str(tmp_path))                      # a folder
    assert_one_line_failure(res, str(tmp_path))
    if command[0] == "serve":
        res = danhao(*command, "--db", str(tmp_path / "file" / "danhao.db"))   # under a file
        assert_one_line_failure(res, "danhao.db")


def test_a_port_in_use_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = danhao("serve", "--no-refresh", "--port", str(port), "--db", str(tmp_path / "danhao.db"))
    assert_one_line_failure(res, str(port), "--port")
