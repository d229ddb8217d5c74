"""Issue #10, the smaller doors: a sign-in that never expires, a token in the browser's history,
a helper opened to the network without a word, an extension that could never be unpaired."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from helper.app import create_app
from helper.store import connect
from helper.security import ensure_token, paired_origins, pair_origin
from helper.web.auth import SESSION_HOURS

ROOT = Path(__file__).resolve().parents[2]


def make_app(db_path, now):
    return create_app({"DB_PATH": str(db_path), "TESTING": True, "CLOCK": lambda: now[0]})


def token_of(db_path):
    db = connect(db_path)
    try:
        return ensure_token(db)
    finally:
        db.conn.close()


def test_a_sign_in_lasts_twelve_hours_and_its_cookie_is_named_for_the_port(tmp_path):
    now = [1_800_000_000.0]
    app = make_app(tmp_path / "d.db", now)
    client = app.test_client()
    token = token_of(tmp_path / "d.db")
    r = client.post("/login", data={"token": token}, headers={"Host": "127.0.0.1:17890"})
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("danhao_session_17890=") and f"Max-Age={SESSION_HOURS * 3600}" in cookie
    assert client.get("/orders", headers={"Host": "127.0.0.1:17890"}).status_code == 200
    # Another port's helper is another helper: this cookie does not sign in there.
    assert client.get("/orders", headers={"Host": "127.0.0.1:17891"}).status_code == 302
    now[0] += SESSION_HOURS * 3600 + 1
    assert client.get("/orders", headers={"Host": "127.0.0.1:17890"}).status_code == 302


def test_a_token_in_the_address_does_not_sign_in(tmp_path):
    app = make_app(tmp_path / "d.db", [1_800_000_000.0])
    client = app.test_client()
    token = token_of(tmp_path / "d.db")
    r = client.get(f"/login?token={token}")
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    assert client.get("/orders").status_code == 302


def danhao(*args, env_home, timeout=30):
    env = {**os.environ, "DANHAO_HOME": str(env_home)}
    return subprocess.run([sys.executable, "-m", "helper", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_token_new_unpairs_every_extension_and_old_tokens_stop_working(tmp_path):
    db_path = tmp_path / "d.db"
    create_app({"DB_PATH": str(db_path), "TESTING": True})        # a helper's database, migrated
    old = token_of(db_path)
    db = connect(db_path)
    pair_origin(db, "chrome-extension://" + "a" * 32)
    db.conn.close()
    res = danhao("token", "--new", "--db", str(db_path), env_home=tmp_path)
    assert res.returncode == 0, res.stderr
    new = res.stdout.strip()
    assert new and new != old and "取消配对" in res.stderr
    db = connect(db_path)
    assert paired_origins(db) == set() and ensure_token(db) == new
    db.conn.close()
    client = create_app({"DB_PATH": str(db_path), "TESTING": True}).test_client()
    assert client.get("/api/v1/status", headers={"X-Danhao-Token": old}).status_code == 401
    assert client.get("/api/v1/status", headers={"X-Danhao-Token": new}).status_code == 200


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serving_beyond_loopback_says_so(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "helper", "serve", "--host", "0.0.0.0", "--port", str(port),
                             "--db", str(tmp_path / "d.db"), "--no-refresh"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "DANHAO_HOME": str(tmp_path)})
    try:
        deadline = time.time() + 20
        err = ""
        while time.time() < deadline and "Warning" not in err:
            line = proc.stderr.readline()
            if not line:
                break
            err += line
        assert "局域网" in err and "Warning: listening on 0.0.0.0" in err, err
    finally:
        proc.kill()
        proc.wait(10)
