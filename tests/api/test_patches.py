"""Site patches (指给我看) in the helper: `GET/PUT/DELETE /api/v1/patches`, on the real app and a
real SQLite file. A patch is saved, listed, replaced and removed; bad input is a JSON error in
Chinese and English and writes nothing; a locator holding a CSS selector, an XPath or a class
name is refused; the routes are in the OpenAPI document."""
from __future__ import annotations

import copy
import re
import sqlite3

import pytest

CJK = re.compile(r"[\u4e00-\u9fff]")

PATCH = {
    "site": "pdd-seller", "field": "tracking", "created_at": "2026-11-29T09:30:00Z",
    "locator": {
        "kind": "field", "control": "text", "labels": ["面单编码"],
        "scope": {"dialog": "发货"}, "position": {"kind": "text", "index": 1, "count": 2}, "sample": "",
    },
}
COLUMN = {
    "site": "douyin-seller", "field": "amount", "created_at": "2026-11-29T09:31:00+08:00", "operator": "小李",
    "locator": {"kind": "column", "header": "顾客支付", "sample": "22.90 元"},
}


def delete(client, token, path, **kw):
    return client.delete(path, headers={"X-Danhao-Token": token, **kw.pop("headers", {})}, **kw)


def rows(app):
    conn = sqlite3.connect(app.config["DB_PATH"])
    try:
        return conn.execute("SELECT site, field, locator, operator FROM site_patches ORDER BY site, field").fetchall()
    finally:
        conn.close()


def assert_refused(r, status=400, code=None):
    assert r.status_code == status, r.get_data(as_text=True)
    err = r.get_json()["error"]
    assert set(err) == {"code", "message", "details"}
    if code:
        assert err["code"] == code, err
    assert CJK.search(err["message"]) and re.search(r"[A-Za-z]{3}", err["message"]), err["message"]
    return err


def test_round_trip_save_list_replace_remove(api, app, client, token):
    assert api.get("/api/v1/patches").get_json() == {"patches": []}

    r = api.put("/api/v1/patches", PATCH)
    assert r.status_code == 200, r.get_json()
    saved = r.get_json()
    assert saved["created"] is True
    assert saved["patch"]["locator"] == PATCH["locator"]
    assert saved["patch"]["operator"]                   # the caller's operator when the body names none
    assert saved["patch"]["created_at"] == PATCH["created_at"] and saved["patch"]["updated_at"]

    r = api.put("/api/v1/patches", COLUMN)
    # Who saved it comes from the token, never from the body's "operator": 小李 is only a claim.
    assert r.status_code == 200 and r.get_json()["patch"]["operator"] == saved["patch"]["operator"] != "小李"

    listed = api.get("/api/v1/patches").get_json()["patches"]
    assert [(p["site"], p["field"]) for p in listed] == [("douyin-seller", "amount"), ("pdd-seller", "tracking")]
    assert listed[1]["locator"] == PATCH["locator"]
    only = api.get("/api/v1/patches?site=douyin-seller").get_json()["patches"]
    assert [p["field"] for p in only] == ["amount"]

    # A later pointing of the same field replaces the patch: still one row.
    again = copy.deepcopy(PATCH)
    again["locator"]["labels"] = ["运单编码"]
    r = api.put("/api/v1/patches", again)
    assert r.status_code == 200 and r.get_json()["created"] is False
    assert r.get_json()["patch"]["locator"]["labels"] == ["运单编码"]
    assert len(rows(app)) == 2

    r = delete(client, token, "/api/v1/patches/pdd-seller/tracking")
    assert r.status_code == 200
    assert r.get_json() == {"deleted": {"site": "pdd-seller", "field": "tracking"}, "existed": True}
    assert [(s, f) for s, f, *_ in rows(app)] == [("douyin-seller", "amount")]
    # Removing it again (a queued removal replayed) is not an error and changes nothing.
    again = delete(client, token, "/api/v1/patches/pdd-seller/tracking")
    assert again.status_code == 200 and again.get_json()["existed"] is False
    assert [(s, f) for s, f, *_ in rows(app)] == [("douyin-seller", "amount")]


def test_a_replayed_put_is_recorded_once(api, app):
    h = {"X-Danhao-Request-Id": "patch-req-1"}
    first = api.put("/api/v1/patches", PATCH, headers=h)
    changed = copy.deepcopy(PATCH)
    changed["locator"]["labels"] = ["别的"]
    replay = api.put("/api/v1/patches", changed, headers=h)   # same id: the first answer, nothing written
    assert replay.headers.get("X-Danhao-Replayed") == "1"
    assert replay.get_json() == first.get_json()
    assert '"面单编码"' in rows(app)[0][2]


def bad_bodies():
    def with_(path, value):
        body = copy.deepcopy(PATCH)
        target = body
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return body

    return {
        "unknown site": (with_(["site"], "amazon-seller"), "unknown_site"),
        "no locator": (with_(["locator"], KeyError), "missing_field"),
        "locator not an object": (with_(["locator"], "input.IPT_input_5-163-0"), "invalid_field"),
        "css selector": (with_(["locator", "selector"], "div.MDL_body_2c5hd8e > input"), "invalid_field"),
        "xpath": (with_(["locator", "xpath"], "/html/body/div[3]/div/input"), "invalid_field"),
        "class name": (with_(["locator", "class"], "IPT_input_1a7bz2d"), "invalid_field"),
        "unknown kind": (with_(["locator", "kind"], "selector"), "invalid_field"),
        "nothing identifying": (with_(["locator"], {"kind": "field", "control": "text"}), "invalid_field"),
        "column without header": (with_(["locator"], {"kind": "column"}), "invalid_field"),
        "label too long": (with_(["locator", "labels"], ["运" * 121]), "invalid_field"),
        "too many labels": (with_(["locator", "labels"], ["a"] * 9), "invalid_field"),
        "position index negative": (with_(["locator", "position", "index"], -1), "invalid_field"),
        "position index a string": (with_(["locator", "position", "index"], "1"), "invalid_field"),
        "bad field name": (with_(["field"], "运单号; DROP TABLE"), "invalid_field"),
        "bad time": (with_(["created_at"], "yesterday"), "invalid_field"),
        "empty time": (with_(["created_at"], ""), "invalid_field"),
        "no time": (with_(["created_at"], KeyError), "missing_field"),
        "extra top-level key": (with_(["script"], "alert(1)"), "invalid_field"),
        "name with a hash-like value": (with_(["locator", "name"], "a b c"), "invalid_field"),
    }


@pytest.mark.parametrize("case", sorted(bad_bodies()))
def test_bad_input_is_refused_in_both_languages_and_writes_nothing(api, app, case):
    body, code = bad_bodies()[case]
    assert_refused(api.put("/api/v1/patches", body), 400, code)
    assert rows(app) == []


def test_bad_requests_outside_the_body(api, app, client, token):
    assert_refused(client.put("/api/v1/patches", data="{", headers={"X-Danhao-Token": token,
                                                                    "Content-Type": "application/json"}), 400)
    assert_refused(client.put("/api/v1/patches", data="site=pdd", headers={"X-Danhao-Token": token}), 400, "invalid_json")
    assert_refused(api.put("/api/v1/patches", [PATCH]), 400, "invalid_body")
    assert_refused(api.get("/api/v1/patches?site=nowhere"), 400, "unknown_site")
    assert_refused(delete(client, token, "/api/v1/patches/nowhere/tracking"), 400, "unknown_site")
    assert_refused(delete(client, token, "/api/v1/patches/pdd-seller/bad%20name"), 400, "invalid_field")
    assert client.put("/api/v1/patches", json=PATCH).status_code == 401          # no token, nothing written
    assert rows(app) == []


def test_the_routes_are_described_for_openapi(api):
    doc = api.get("/api/v1/openapi.json").get_json()
    assert {"get", "put"} <= set(doc["paths"]["/patches"])
    assert "delete" in doc["paths"]["/patches/{site}/{field}"]
    assert {p["name"] for p in doc["paths"]["/patches/{site}/{field}"]["delete"]["parameters"]} >= {"site", "field"}
