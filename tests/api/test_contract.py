"""The HTTP contract of DESIGN.md: health, token, Host, CORS, body limit, JSON errors."""

import json

from helper import __version__

EXT = "chrome-extension://" + "a" * 32
OTHER_EXT = "chrome-extension://" + "b" * 32


def test_health_needs_no_token_and_names_the_app(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.get_json() == {"app": "danhao", "version": __version__, "api_version": 1}
    assert r.headers["X-Danhao-Version"] == __version__


def test_every_other_route_needs_the_token(client, token):
    for path in ("/api/v1/events", "/api/v1/sales-orders", "/api/v1/status", "/api/v1/settings"):
        r = client.get(path)
        assert r.status_code == 401, path
        assert r.get_json()["error"]["code"] == "unauthorized"
        assert r.headers["X-Danhao-Version"] == __version__
        wrong = client.get(path, headers={"X-Danhao-Token": token[:-1] + ("x" if token[-1] != "x" else "y")})
        assert wrong.status_code == 401
        assert client.get(path, headers={"X-Danhao-Token": token}).status_code == 200


def test_post_without_token_writes_nothing(client, api):
    r = client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [{"order_id": "261124-000000000000001"}]})
    assert r.status_code == 401
    assert api.get("/api/v1/sales-orders").get_json()["orders"] == []


def test_foreign_host_names_are_refused(client, token):
    for host in ("evil.example", "127.0.0.1.evil.example", "attacker.com:17890"):
        r = client.get("/api/v1/health", headers={"Host": host})
        assert r.status_code == 403, host
        assert r.get_json()["error"]["code"] == "host_forbidden"
    for host in ("127.0.0.1:17890", "localhost:5000", "localhost", "[::1]:17890"):
        assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200, host


def test_configured_host_names_are_accepted(db_path):
    from helper.app import create_app

    app = create_app({"DB_PATH": str(db_path), "ALLOWED_HOSTS": {"shop-pc.lan"}})
    c = app.test_client()
    assert c.get("/api/v1/health", headers={"Host": "shop-pc.lan:17890"}).status_code == 200
    assert c.get("/api/v1/health", headers={"Host": "other.lan"}).status_code == 403


def test_web_page_origins_are_refused_even_with_the_token(client, token):
    r = client.get("/api/v1/events", headers={"X-Danhao-Token": token, "Origin": "https://evil.example"})
    assert r.status_code == 403
    assert r.get_json()["error"]["code"] == "origin_forbidden"
    assert "Access-Control-Allow-Origin" not in r.headers


def test_cors_only_for_the_paired_extension_never_star(client, token):
    # An extension that never presented the token gets no CORS headers, not even on preflight.
    pre = client.options("/api/v1/events", headers={
        "Origin": EXT, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "X-Danhao-Token"})
    assert "Access-Control-Allow-Origin" not in pre.headers
    # Presenting the token pairs it.
    r = client.get("/api/v1/events", headers={"X-Danhao-Token": token, "Origin": EXT})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == EXT
    pre = client.options("/api/v1/events", headers={
        "Origin": EXT, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "X-Danhao-Token"})
    assert pre.headers["Access-Control-Allow-Origin"] == EXT
    # Another extension is still not paired and a wrong token does not pair it.
    r = client.get("/api/v1/events", headers={"X-Danhao-Token": "nope", "Origin": OTHER_EXT})
    assert r.status_code == 401
    assert "Access-Control-Allow-Origin" not in r.headers
    for resp in (r, pre):
        assert resp.headers.get("Access-Control-Allow-Origin") != "*"


def test_bodies_over_8_mib_get_413_json(api):
    big = {"site": "pdd-seller", "orders": [{"order_id": "1", "remark": "x" * (9 * 1024 * 1024)}]}
    r = api.post("/api/v1/sales-orders", body=big)
    assert r.status_code == 413
    assert r.get_json()["error"]["code"] == "payload_too_large"
    assert api.get("/api/v1/sales-orders").get_json()["orders"] == []


def test_errors_are_json_with_code_message_details(api, client):
    cases = [
        api.get("/api/v1/nowhere"),
        api.post("/api/v1/health"),
        api.post("/api/v1/sales-orders", data="{not json", headers={"Content-Type": "application/json"}),
        api.post("/api/v1/sales-orders", body=["a list"]),
        api.post("/api/v1/sales-orders", body={"site": "nosuch-site", "orders": []}),
    ]
    expected = [404, 405, 400, 400, 400]
    for r, status in zip(cases, expected):
        assert r.status_code == status
        err = r.get_json()["error"]
        assert set(err) == {"code", "message", "details"}
        assert err["code"] and err["message"]


def test_token_cli_prints_the_same_token(db_path, token):
    from click.testing import CliRunner

    from helper.cli import main

    result = CliRunner().invoke(main, ["token", "--db", str(db_path)])
    assert result.exit_code == 0
    assert result.output.strip() == token


def test_config_set_keeps_secrets_write_only(db_path, api):
    from click.testing import CliRunner

    from helper.cli import main

    r = CliRunner().invoke(main, ["config", "set", "kuaidi100_key", "SECRET-KEY-123", "--db", str(db_path)])
    assert r.exit_code == 0, r.output
    listing = CliRunner().invoke(main, ["config", "list", "--db", str(db_path)])
    assert "SECRET-KEY-123" not in listing.output
    assert "kuaidi100_key = set" in listing.output
    settings = api.get("/api/v1/settings").get_json()["settings"]
    assert settings["kuaidi100_key"] == "set"
    assert "SECRET-KEY-123" not in json.dumps(api.get("/api/v1/events").get_json())
    bad = CliRunner().invoke(main, ["config", "set", "no_such_setting", "1", "--db", str(db_path)])
    assert bad.exit_code != 0 and "Unknown setting" in bad.output
