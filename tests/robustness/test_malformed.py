"""Issue #10, item 2: malformed input is a 4xx JSON error naming the field, never a 5xx.

The reproductions of the issue (RecursionError, TypeError / sqlite binding errors, lone
surrogates, 2^63, NaN echoed as invalid JSON, review pages with `?_method=POST` or a huge
`?page=`) each answered 500 before the fix.
"""

import json

import pytest

from helper.web.auth import COOKIE, session_value
from tests.api.samples import sales_order

from .support import assert_json_error, snapshot

WRITE_ROUTES = [("POST", "/api/v1/sales-orders"), ("POST", "/api/v1/purchase-orders"), ("POST", "/api/v1/convert"),
                ("POST", "/api/v1/fill-results"), ("POST", "/api/v1/links"), ("PUT", "/api/v1/settings")]

RAW_BODIES = {
    "deep nesting": '{"site": "pdd-seller", "orders": ' + "[" * 5000 + "]" * 5000 + "}",
    "NaN": '{"site": "pdd-seller", "order_ids": [], "orders": [], "results": [], "x": NaN}',
    "Infinity": '{"site": "pdd-seller", "order_ids": [], "orders": [], "x": -Infinity}',
    "1e999": '{"site": "pdd-seller", "order_ids": [], "orders": [], "x": 1e999}',
    "2^63": '{"site": "pdd-seller", "order_ids": [], "operator": 9223372036854775808}',
    "lone surrogate": '{"site": "pdd-seller\\ud800", "order_ids": [], "operator": "\\udfff"}',
    "surrogate key": '{"\\ud800": 1}',
    "not utf-8": b'{"site": "\xff\xfe"}',
    "not json": "{site: pdd-seller}",
    "array body": "[1, 2, 3]",
    "empty": "",
}


def send(client, token, method, path, data, **headers):
    return client.open(path, method=method, data=data, content_type="application/json",
                       headers={"X-Danhao-Token": token, **headers})


@pytest.mark.parametrize("method,path", WRITE_ROUTES)
@pytest.mark.parametrize("name", list(RAW_BODIES))
def test_malformed_bodies_are_json_400s_that_change_nothing(client, token, db_path, method, path, name):
    before = snapshot(db_path)
    error = assert_json_error(send(client, token, method, path, RAW_BODIES[name]), 400)
    assert error["details"]["field"]
    assert snapshot(db_path) == before


TYPED_BODIES = [   # (route, body, field named)
    ("/api/v1/convert", {"site": ["pdd-seller"], "order_ids": []}, "site"),
    ("/api/v1/convert", {"site": "pdd-seller", "order_ids": "261124-1"}, "order_ids"),
    ("/api/v1/convert", {"site": "pdd-seller", "order_ids": [261124]}, "order_ids[0]"),
    ("/api/v1/convert", {"site": "pdd-seller", "order_ids": [], "options": [["中通快递"]]}, "options[0]"),
    ("/api/v1/links", {"sales_site": ["pdd-seller"], "sales_order_id": "1", "purchase_site": "alibaba-buyer",
                       "purchase_order_id": "2"}, "sales_site"),
    ("/api/v1/links", {"sales_site": "pdd-seller", "sales_order_id": {"a": 1}, "purchase_site": "alibaba-buyer",
                       "purchase_order_id": "2"}, "sales_order_id"),
    ("/api/v1/fill-results", {"site": "pdd-seller", "results": [{"order_id": "1", "result": "failed",
                                                                  "reason": ["page_changed"]}]}, "results[0].reason"),
    ("/api/v1/fill-results", {"site": "pdd-seller", "results": [{"order_id": "1", "result": "filled",
                                                                  "submitted": "yes"}]}, "results[0].submitted"),
    ("/api/v1/fill-results", {"site": "pdd-seller", "results": [{"order_id": ["1"], "result": "filled"}]},
     "results[0].order_id"),
    ("/api/v1/fill-results", {"site": "pdd-seller", "results": "all"}, "results"),
]


@pytest.mark.parametrize("path,body,field", TYPED_BODIES)
def test_wrong_types_name_the_field(api, db_path, path, body, field):
    before = snapshot(db_path)
    error = assert_json_error(api.post(path, body=body), 400)
    assert error["details"]["field"] == field
    assert snapshot(db_path) == before


def test_nothing_that_is_not_json_is_echoed(api):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order()]})
    for path in ("/api/v1/sales-orders", "/api/v1/sales-orders/pdd-seller/261124-123456789012345", "/api/v1/events"):
        text = api.get(path).get_data(as_text=True)
        json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in {path}"))


@pytest.fixture
def signed_in(client, token):
    client.set_cookie(COOKIE, session_value(token), domain="localhost")
    return client


@pytest.mark.parametrize("page,query,field", [
    *((page, query, "page") for page in ("/orders", "/shipments") for query in (
        "page=99999999999999999999", "page=-5", "page=0", "page=1e3", "page=%EF%BC%91")),
    *((page, "q=" + "x" * 300, "q") for page in ("/orders", "/shipments", "/orders.csv")),
    ("/events", "kind=" + "x" * 300, "kind"),
])
def test_review_page_parameters_out_of_range_are_400s(signed_in, page, query, field):
    error = assert_json_error(signed_in.get(f"{page}?{query}"), 400)
    assert error["details"]["field"] == field


@pytest.mark.parametrize("page", ["/orders", "/shipments", "/events", "/orders.csv", "/events.csv"])
@pytest.mark.parametrize("query", ["_method=POST", "_external=1&_anchor=x", "_scheme=javascript", "site=%ED%A0%80"])
def test_review_pages_ignore_parameters_they_do_not_know(signed_in, page, query):
    r = signed_in.get(f"{page}?{query}")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert "javascript:" not in r.get_data(as_text=True)


@pytest.mark.parametrize("query", ["limit=99999999999999999999999", "limit=-1", "limit=abc", "offset=-1",
                                   "offset=99999999999999999999"])
def test_api_list_parameters_out_of_range_are_400s(api, query):
    error = assert_json_error(api.get(f"/api/v1/sales-orders?{query}"), 400)
    assert error["details"]["field"] in ("limit", "offset")


def test_a_request_id_that_is_too_long_is_refused_naming_the_header(api):
    r = api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": []},
                 headers={"X-Danhao-Request-Id": "x" * 81})
    assert assert_json_error(r, 400)["details"]["field"] == "X-Danhao-Request-Id"
