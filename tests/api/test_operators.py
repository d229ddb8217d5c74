"""Issue #13, 团队协作: operators' tokens attribute every write, owners alone change settings,
pairings and operators, a revoked token is refused, the review pages and /pair know who is
signed in, and a helper shared on a LAN has no door without a token but health and sign-in.

Everything runs against the real app on a real SQLite file; the operators are added with
`helper.operators.add`, as `danhao operators add` does.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest

from helper import events, operators
from helper.app import create_app
from helper.security import ensure_token, list_pairings
from helper.store import connect
from tests.robustness.support import assert_json_error, snapshot

from .samples import purchase_order, sales_order

EXT = "b" * 32
SO_A, SO_B = "261124-100000000000001", "261124-100000000000002"


def add(db_path, name, role="operator"):
    db = connect(db_path)
    try:
        return operators.add(db, name, role)[1]
    finally:
        db.conn.close()


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def last_event_id(db_path) -> int:
    return rows(db_path, "SELECT IFNULL(MAX(id), 0) AS n FROM events")[0]["n"]


@pytest.fixture
def team(app, client, db_path, token):
    """Two operators and an owner, each with its own token; `call(who, method, path, body)`."""
    tokens = {"小李": add(db_path, "小李"), "小张": add(db_path, "小张"), "老板": add(db_path, "老板", "owner")}

    def call(who, method, path, body=None, headers=None):
        h = {"X-Danhao-Token": tokens[who], **(headers or {})}
        return client.open(path, method=method, json=body, headers=h)

    call.tokens = tokens
    return call


def test_a_flow_of_writes_by_two_operators_names_the_right_one_in_every_row(team, db_path):
    # Every request also claims to be the *other* operator, in a header and in the body: ignored.
    other = {"小李": "小张", "小张": "小李"}
    spoof = lambda who: {"X-Danhao-Operator": "%E5%B0%8F%E5%BC%A0" if who == "小李" else "%E5%B0%8F%E6%9D%8E"}  # noqa: E731
    steps = [
        ("小李", "POST", "/api/v1/sales-orders", {"site": "pdd-seller", "operator": "小张",
                                                  "orders": [sales_order(SO_A), sales_order(SO_B)]}),
        ("小张", "POST", "/api/v1/purchase-orders", {"site": "alibaba-buyer", "operator": "小李",
                                                     "orders": [purchase_order("3900000000000000001", remark=f"PDD {SO_A}")]}),
        ("小李", "POST", "/api/v1/convert", {"site": "pdd-seller", "order_ids": [SO_A], "operator": "小张"}),
        ("小李", "POST", "/api/v1/sales-orders", {"site": "pdd-seller", "orders": [sales_order(SO_B, status="已发货")]}),
        ("小张", "POST", "/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [purchase_order(
            "3900000000000000002", remark="", packages=[], ship_to={"name": "王五", "phone": "139****1111"})]}),
        ("小李", "POST", "/api/v1/links", {"sales_site": "pdd-seller", "sales_order_id": SO_B, "operator": "小张",
                                           "purchase_site": "alibaba-buyer", "purchase_order_id": "3900000000000000002"}),
        ("小张", "POST", "/api/v1/page-reports", {"site": "pdd-seller", "code": "page_changed", "operator": "小李",
                                                  "message": "页面已改版：找不到 运单号 输入框"}),
    ]
    for who, method, path, body in steps:
        before = last_event_id(db_path)
        r = team(who, method, path, body, headers=spoof(who))
        assert r.status_code in (200, 201), (path, r.get_json())
        new = rows(db_path, "SELECT kind, operator FROM events WHERE id > ?", [before])
        assert new, f"{path} recorded no event"
        assert {e["operator"] for e in new} == {who}, (path, new)

    shipment = rows(db_path, "SELECT shipment_id FROM shipments WHERE order_id = ?", [SO_A])[0]["shipment_id"]
    before = last_event_id(db_path)
    r = team("小张", "POST", "/api/v1/fill-results", {"site": "pdd-seller", "results": [
        {"shipment_id": shipment, "order_id": SO_A, "result": "filled", "submitted": True, "operator": "小李"}]},
        headers=spoof("小张"))
    assert r.status_code == 200, r.get_json()
    assert [e["operator"] for e in rows(db_path, "SELECT operator FROM events WHERE id > ?", [before])] == ["小张"]

    # Every row that names who did it names the token's owner.
    assert [f["operator"] for f in rows(db_path, "SELECT operator FROM fill_results")] == ["小张"]
    assert [(link["sales_order_id"], link["operator"]) for link in rows(db_path, "SELECT * FROM links")] == [(SO_B, "小李")]
    everyone = rows(db_path, "SELECT operator, kind FROM events WHERE kind NOT LIKE 'operator.%'")
    assert {e["operator"] for e in everyone} == {"小李", "小张"}
    kinds = {(e["operator"], e["kind"]) for e in everyone}
    assert {("小李", "sales_order.created"), ("小张", "purchase_order.matched"), ("小李", "shipment.created"),
            ("小李", "sales_order.updated"), ("小李", "purchase_order.matched"), ("小张", "page.changed"),
            ("小张", "fill.filled")} <= kinds
    assert all(other[e["operator"]] != e["operator"] for e in everyone)

    # The log answers "who did what": filtered by operator through the API, the same rows as by hand.
    for who in ("小李", "小张"):
        got = team("老板", "GET", f"/api/v1/events?operator={who}&limit=1000").get_json()["events"]
        assert [e["kind"] for e in got] == [e["kind"] for e in reversed(
            rows(db_path, "SELECT kind FROM events WHERE operator = ? ORDER BY id", [who]))]
        assert got and {e["operator"] for e in got} == {who}


def test_the_original_token_is_the_implicit_owner_and_a_header_does_not_rename_it(client, token, db_path, app):
    h = {"X-Danhao-Token": token, "X-Danhao-Operator": "%E5%B0%8F%E6%9D%8E"}   # claims 小李
    assert client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [sales_order(SO_A)]},
                       headers=h).status_code == 200
    assert {e["operator"] for e in rows(db_path, "SELECT operator FROM events")} == {"店主"}
    # The owner may change settings; naming itself with the `operator` setting renames later writes.
    assert client.put("/api/v1/settings", json={"operator": "王老板"}, headers=h).status_code == 200
    client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [sales_order(SO_B)]}, headers=h)
    last = rows(db_path, "SELECT operator FROM events ORDER BY id DESC LIMIT 1")[0]
    assert last["operator"] == "王老板"
    # That name is then taken: nobody can be added under it.
    db = connect(db_path)
    try:
        with pytest.raises(Exception) as err:
            operators.add(db, "王老板")
        assert getattr(err.value, "code", "") == "reserved_operator_name"
    finally:
        db.conn.close()


OWNER_ONLY = [
    ("PUT", "/api/v1/settings", {"refresh_interval_min": "60"}),
    ("GET", "/api/v1/pairings", None),
    ("DELETE", f"/api/v1/pairings/{EXT}", None),
    ("GET", "/api/v1/operators", None),
    ("DELETE", "/api/v1/operators/小张", None),
]


@pytest.mark.parametrize("method,path,body", OWNER_ONLY, ids=[f"{m} {p}" for m, p, _ in OWNER_ONLY])
def test_an_operator_gets_a_json_403_where_only_owners_may_go_and_nothing_changes(team, db_path, method, path, body):
    db = connect(db_path)
    try:
        from helper.security import pair_origin
        pair_origin(db, f"chrome-extension://{EXT}")
    finally:
        db.conn.close()
    before = snapshot(db_path)
    error = assert_json_error(team("小李", method, path, body), 403)
    assert error["code"] == "owner_only"
    assert snapshot(db_path) == before
    assert rows(db_path, "SELECT revoked_at FROM operators WHERE name = '小张'")[0]["revoked_at"] is None
    # The owner passes the same door.
    assert team("老板", method, path, body).status_code == 200


def test_an_operator_reads_settings_and_works_but_the_listing_is_for_owners(team):
    assert team("小李", "GET", "/api/v1/settings").status_code == 200
    listed = team("老板", "GET", "/api/v1/operators").get_json()["operators"]
    assert [(o["name"], o["role"], o["legacy"]) for o in listed] == [
        ("店主", "owner", True), ("小张", "operator", False), ("小李", "operator", False), ("老板", "owner", False)]


def test_a_revoked_token_is_a_401_and_its_sign_in_ends(team, client, db_path):
    li = team.tokens["小李"]
    assert client.post("/login", data={"token": li}).status_code == 302
    assert client.get("/events").status_code == 200
    r = team("老板", "DELETE", "/api/v1/operators/小李")
    assert r.status_code == 200 and r.get_json()["revoked"] == {"name": "小李", "role": "operator", "tokens": 1}
    error = assert_json_error(team("小李", "GET", "/api/v1/status"), 401)
    assert error["code"] == "unauthorized"
    assert assert_json_error(team("小李", "POST", "/api/v1/sales-orders", {"site": "pdd-seller", "orders": []}), 401)
    assert client.get("/events").status_code == 302          # the review-page sign-in ended too
    assert client.post("/login", data={"token": li}).status_code == 401
    assert team("小张", "GET", "/api/v1/status").status_code == 200
    revoked = rows(db_path, "SELECT operator, data FROM events WHERE kind = 'operator.revoked'")
    assert len(revoked) == 1 and revoked[0]["operator"] == "老板"
    # Revoking twice is a 404 naming the operator; added again, it gets a new token, the old one stays dead.
    assert assert_json_error(team("老板", "DELETE", "/api/v1/operators/小李"), 404)["code"] == "unknown_operator"
    new = add(db_path, "小李")
    assert new != li
    team.tokens["小李"] = new
    assert team("小李", "GET", "/api/v1/status").status_code == 200
    team.tokens["小李"] = li
    assert team("小李", "GET", "/api/v1/status").status_code == 401


def test_tokens_are_stored_as_digests_only(team, db_path):
    stored = rows(db_path, "SELECT token_hash FROM operator_tokens")
    dump = "\n".join(sqlite3.connect(str(db_path)).iterdump())
    for token in team.tokens.values():
        assert token not in dump
        assert operators.digest(token) in {r["token_hash"] for r in stored}


def test_the_review_pages_sign_an_operator_in_show_who_and_keep_the_operator_page_for_owners(team, client, app):
    client.post("/login", data={"token": team.tokens["小李"]})
    page = client.get("/events").get_data(as_text=True)
    assert re.search(r'id="whoami"[^>]*>小李（操作员）', page)
    assert "/operators" not in page                             # no 操作员 link for an operator
    assert client.get("/operators").status_code == 403
    owner = app.test_client()
    owner.post("/login", data={"token": team.tokens["老板"]})
    page = owner.get("/operators").get_data(as_text=True)
    assert owner.get("/operators").status_code == 200
    assert re.search(r'id="whoami"[^>]*>老板（店主）', page)
    for name in ("店主", "小李", "小张", "老板"):
        assert f'data-operator="{name}"' in page


def test_the_event_log_page_and_its_csv_filter_by_operator(team, client):
    team("小李", "POST", "/api/v1/sales-orders", {"site": "pdd-seller", "orders": [sales_order(SO_A)]})
    team("小张", "POST", "/api/v1/sales-orders", {"site": "pdd-seller", "orders": [sales_order(SO_B)]})
    client.post("/login", data={"token": team.tokens["小张"]})
    page = client.get("/events?operator=小李").get_data(as_text=True)
    assert SO_A in page and SO_B not in page
    assert '<option value="小李" selected>' in page
    body = client.get("/events.csv?operator=小李").get_data(as_text=True).lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][2] == "操作员" and len(table) == 2
    assert table[1][2] == "小李" and table[1][6] == SO_A


def test_pairing_on_the_pair_page_hands_over_the_signed_in_operators_own_token(team, client, db_path, token):
    client.post("/login", data={"token": team.tokens["小李"]})
    page = client.get(f"/pair?ext={EXT}&state=state-0123456789abcdef")
    assert page.status_code == 200 and "小李" in page.get_data(as_text=True)
    nonce = re.search(r'data-nonce="([^"]+)"', page.get_data(as_text=True)).group(1)
    r = client.post("/pair", json={"ext": EXT, "state": "state-0123456789abcdef", "nonce": nonce})
    assert r.status_code == 200, r.get_json()
    handed = r.get_json()["token"]
    assert r.get_json()["operator"] == "小李" and handed not in (token, team.tokens["小李"])
    # The extension's token is 小李's: its writes are 小李's, and the pairing names 小李.
    before = last_event_id(db_path)
    assert client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [sales_order(SO_A)]},
                       headers={"X-Danhao-Token": handed, "Origin": f"chrome-extension://{EXT}"}).status_code == 200
    assert {e["operator"] for e in rows(db_path, "SELECT operator FROM events WHERE id > ?", [before])} == {"小李"}
    db = connect(db_path)
    try:
        assert [(p["extension_id"], p["operator"], p["via"]) for p in list_pairings(db)] == [(EXT, "小李", "pair_page")]
    finally:
        db.conn.close()
    # Pairing the same extension again replaces its token; 小李's own (printed) token still works.
    page = client.get(f"/pair?ext={EXT}&state=state-fedcba9876543210").get_data(as_text=True)
    nonce = re.search(r'data-nonce="([^"]+)"', page).group(1)
    again = client.post("/pair", json={"ext": EXT, "state": "state-fedcba9876543210", "nonce": nonce}).get_json()["token"]
    assert client.get("/api/v1/status", headers={"X-Danhao-Token": handed}).status_code == 401
    assert client.get("/api/v1/status", headers={"X-Danhao-Token": again}).status_code == 200
    assert team("小李", "GET", "/api/v1/status").status_code == 200
    # A page shown to 小李 does not pair for whoever signs in afterwards.
    client.post("/login", data={"token": team.tokens["小张"]})
    r = client.post("/pair", json={"ext": EXT, "state": "state-fedcba9876543210", "nonce": nonce})
    assert_json_error(r, 403)


def test_on_this_computer_with_nobody_signed_in_pairing_stays_one_click_as_the_owner(client, token):
    page = client.get(f"/pair?ext={EXT}&state=state-0123456789abcdef").get_data(as_text=True)
    nonce = re.search(r'data-nonce="([^"]+)"', page).group(1)
    r = client.post("/pair", json={"ext": EXT, "state": "state-0123456789abcdef", "nonce": nonce})
    assert r.status_code == 200 and r.get_json()["token"] == token and r.get_json()["operator"] == "店主"


# ------------------------------------------------------------------ a helper shared on a LAN

LAN = {"REMOTE_ADDR": "192.168.1.23"}
HOST = "shop-pc:17890"


@pytest.fixture
def lan(db_path):
    app = create_app({"DB_PATH": str(db_path), "TESTING": True, "ALLOWED_HOSTS": {"shop-pc"}})
    return app


def _sample(rule) -> str:
    path = rule.rule
    for arg in rule.arguments:
        path = re.sub(rf"<(?:\w+:)?{arg}>", "x" if arg != "extension_id" else EXT, path)
    return path


def test_beyond_loopback_nothing_answers_without_a_token_but_health_and_sign_in(lan, db_path):
    client = lan.test_client()
    open_doors = set()
    for rule in lan.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = _sample(rule)
            if rule.endpoint == "web.static":
                path = "/static/style.css"
            if rule.endpoint in ("pairing.pair_page", "pairing.pair_allow"):
                path = f"/pair?ext={EXT}&state=state-0123456789abcdef"
            r = client.open(path, method=method, headers={"Host": HOST}, environ_base=LAN,
                            json={} if method in ("POST", "PUT") else None)
            if r.status_code == 302:
                assert "/login" in r.headers["Location"], (method, path)
            elif r.status_code in (401, 400, 404, 405) and r.is_json:
                # 400/404/405 may only come from a route that checks its input before anything else
                # does not exist here: every /api route answers 401 before reading input.
                assert r.status_code == 401 or not path.startswith("/api/"), (method, path, r.status_code)
            else:
                open_doors.add((method, rule.endpoint, r.status_code))
    assert {(m, e) for m, e, _ in open_doors} == {("GET", "health.health"), ("GET", "web.login"),
                                                 ("POST", "web.login"), ("GET", "web.static")}, open_doors
    # With an operator's token, the same helper answers from the LAN.
    token = add(db_path, "小李")
    r = client.get("/api/v1/status", headers={"Host": HOST, "X-Danhao-Token": token}, environ_base=LAN)
    assert r.status_code == 200
    # A Host name not on the allow-list is refused before anything else.
    r = client.get("/api/v1/status", headers={"Host": "evil.example", "X-Danhao-Token": token}, environ_base=LAN)
    assert assert_json_error(r, 403)["code"] == "host_forbidden"


def test_from_another_computer_pairing_needs_a_sign_in_first(lan, db_path):
    client = lan.test_client()
    r = client.get(f"/pair?ext={EXT}&state=state-0123456789abcdef", headers={"Host": HOST}, environ_base=LAN)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = client.post("/pair", json={"ext": EXT, "state": "state-0123456789abcdef", "nonce": "1.x"},
                    headers={"Host": HOST}, environ_base=LAN)
    assert assert_json_error(r, 401)["code"] == "unauthorized"
    token = add(db_path, "小李")
    client.post("/login", data={"token": token}, headers={"Host": HOST}, environ_base=LAN)
    page = client.get(f"/pair?ext={EXT}&state=state-0123456789abcdef", headers={"Host": HOST}, environ_base=LAN)
    nonce = re.search(r'data-nonce="([^"]+)"', page.get_data(as_text=True)).group(1)
    r = client.post("/pair", json={"ext": EXT, "state": "state-0123456789abcdef", "nonce": nonce},
                    headers={"Host": HOST}, environ_base=LAN)
    assert r.status_code == 200 and r.get_json()["operator"] == "小李"
    db = connect(db_path)
    try:
        assert r.get_json()["token"] != ensure_token(db)     # never the owner's token
    finally:
        db.conn.close()


def test_an_event_written_inside_a_request_without_a_name_is_the_tokens(app, db_path):
    """Paths that record events without passing an operator (e.g. a trace refresh a person asked
    for) are still attributed to the request's token, never left to a caller."""
    db = connect(db_path)
    try:
        with app.test_request_context("/api/v1/status"):
            from flask import g
            g.operator = "小李"
            events.record(db, "shipment.status_changed", site="pdd-seller", order_id=SO_A, data={})
        events.record(db, "shipment.status_changed", site="pdd-seller", order_id=SO_B, data={})   # no request: none
    finally:
        db.conn.close()
    assert [(e["order_id"], e["operator"]) for e in rows(db_path, "SELECT order_id, operator FROM events ORDER BY id")] == [
        (SO_A, "小李"), (SO_B, None)]


def test_serve_beyond_loopback_warns_answers_only_with_tokens_and_masks_old_data_at_start(tmp_path):
    """The real `danhao serve --host … --allow-host shop-pc` (bound to 127.0.0.2: another address,
    still only this computer), as a separate process."""
    import os
    import socket
    import subprocess
    import sys
    import time as time_module
    from pathlib import Path

    import requests

    db_path = tmp_path / "danhao.db"
    create_app({"DB_PATH": str(db_path), "TESTING": True})
    token = add(db_path, "小李")
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO sales_orders (site, order_id, buyer_name, buyer_phone, amount, data, first_seen, updated_at) "
                 "VALUES ('pdd-seller', '240101-1', '欧阳娜娜', '13912345678', '19.90', '{\"order_id\": \"240101-1\"}', "
                 "'2024-01-01T10:00:00+08:00', '2024-01-02T10:00:00+08:00')")
    conn.commit()
    conn.close()
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "helper", "serve", "--host", "127.0.0.2", "--port", str(port),
                             "--allow-host", "shop-pc", "--db", str(db_path), "--no-refresh"], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "DANHAO_HOME": str(tmp_path)})
    try:
        err = ""
        deadline = time_module.time() + 20
        while time_module.time() < deadline and "operators add" not in err:
            line = proc.stderr.readline()
            if not line:
                break
            err += line
        assert "局域网" in err and "Warning: listening on 127.0.0.2" in err and "danhao operators add" in err, err
        url = f"http://127.0.0.2:{port}/api/v1/status"
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.2:{port}/api/v1/health", headers={"Host": "shop-pc"}, timeout=1)
                break
            except requests.RequestException:
                time_module.sleep(0.1)
        assert requests.get(url, headers={"Host": f"shop-pc:{port}"}, timeout=5).status_code == 401
        assert requests.get(url, headers={"Host": f"shop-pc:{port}", "X-Danhao-Token": token}, timeout=5).status_code == 200
        assert requests.get(url, headers={"Host": "evil.example", "X-Danhao-Token": token}, timeout=5).status_code == 403
        # The retention run at start masked the order that was long past its time.
        for _ in range(100):
            if rows(db_path, "SELECT masked_at FROM sales_orders")[0]["masked_at"]:
                break
            time_module.sleep(0.1)
        assert rows(db_path, "SELECT buyer_name, buyer_phone, amount FROM sales_orders") == [
            {"buyer_name": "欧***", "buyer_phone": "139****5678", "amount": "19.90"}]
    finally:
        proc.kill()
        proc.wait(10)
