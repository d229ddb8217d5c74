"""Issue #13: the doors operators added, hit with what a careless or hostile caller sends — odd
tokens, forged or tampered review-page cookies, odd operator names and filters. Every answer is a
JSON 401/403/400 or a redirect to the sign-in page, never a 500, and nothing is written."""

from __future__ import annotations

import pytest

from helper import operators
from helper.store import connect
from helper.web.auth import COOKIE

from .support import assert_json_error, snapshot


@pytest.fixture
def li(db_path, app):
    db = connect(db_path)
    try:
        return operators.add(db, "小李")[1]
    finally:
        db.conn.close()


TOKENS = ["", " ", "x" * 201, "x" * 5000, "é", "\u00ff" * 40, "null", "' OR 1=1 --", "%00", "Bearer abc"]


@pytest.mark.parametrize("given", TOKENS, ids=range(len(TOKENS)))
def test_odd_tokens_are_a_json_401_and_change_nothing(client, li, token, db_path, given):
    before = snapshot(db_path)
    error = assert_json_error(client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": []},
                                          headers={"X-Danhao-Token": given.encode("utf-8").decode("latin-1")}), 401)
    assert error["code"] == "unauthorized"
    assert snapshot(db_path) == before


def test_a_token_differing_by_one_character_or_its_digest_is_refused(client, li):
    for wrong in (li[:-1] + ("A" if li[-1] != "A" else "B"), li + " ", " " + li, li.upper(), operators.digest(li)):
        assert client.get("/api/v1/status", headers={"X-Danhao-Token": wrong}).status_code == 401
    assert client.get("/api/v1/status", headers={"X-Danhao-Token": li}).status_code == 200


COOKIES = ["", ".", "..", "1.2.3", "99999999999.1.x", "99999999999.-1.x", "99999999999.1", "99999999999.a.b",
           "99999999999." + "9" * 30 + ".x", "99999999999.1.2.3", "abc", "99999999999.1." + "0" * 64]


@pytest.mark.parametrize("value", COOKIES, ids=range(len(COOKIES)))
def test_forged_review_page_cookies_send_to_the_sign_in_page(client, li, value):
    client.set_cookie(COOKIE, value, domain="localhost")
    r = client.get("/events")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_cookie_of_one_operator_cannot_be_turned_into_anothers(app, client, db_path, li):
    db = connect(db_path)
    try:
        _, boss = operators.add(db, "老板", role="owner")
    finally:
        db.conn.close()
    client.post("/login", data={"token": li})
    value = client.get_cookie(COOKIE).value
    expires, token_id, mac = value.split(".")
    boss_id = str(int(token_id) + 1)
    client.set_cookie(COOKIE, f"{expires}.{boss_id}.{mac}", domain="localhost")
    assert client.get("/operators").status_code == 302               # not signed in at all
    client.set_cookie(COOKIE, f"{int(expires) + 3600}.{token_id}.{mac}", domain="localhost")
    assert client.get("/events").status_code == 302                  # a longer life is a forgery too
    client.set_cookie(COOKIE, value, domain="localhost")
    assert client.get("/events").status_code == 200 and client.get("/operators").status_code == 403


@pytest.mark.parametrize("name", ["", " ", "a\nb", "a/b", "x" * 41, "\u0000", "cli", "CLI", "店主"])
def test_odd_operator_names_are_refused_and_nothing_is_written(db_path, app, name):
    before = snapshot(db_path)
    db = connect(db_path)
    try:
        with pytest.raises(Exception) as err:
            operators.add(db, name)
        assert getattr(err.value, "status", None) == 400
    finally:
        db.conn.close()
    assert snapshot(db_path) == before


@pytest.mark.parametrize("query", ["operator=%00", "operator=" + "x" * 5000, "operator=%ED%A0%80", "operator=a&operator=b"])
def test_odd_operator_filters_answer_without_a_server_error(api, client, token, query):
    r = api.get(f"/api/v1/events?{query}")
    assert r.status_code == 200 and r.get_json()["events"] == []
    from helper.web.auth import session_value
    client.set_cookie(COOKIE, session_value(token), domain="localhost")
    page = client.get(f"/events?{query}")
    assert page.status_code in (200, 400)
    if page.status_code == 400:
        assert_json_error(page, 400)
