"""Issue #10, item 6: generated malformed requests never get a 5xx, always a JSON error, and a
refused request changes no row.

Every write route gets `EXAMPLES` generated bodies (one place of a valid payload replaced by
junk, or raw bytes); the review pages and the API's GET routes get generated query strings.
Before each request every table is read (`support.snapshot`); after a refusal (4xx) the
tables must be exactly as before. A 200 must be strict JSON (no NaN) for JSON routes.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from helper.web.auth import COOKIE, session_value
from tests.api.samples import purchase_order, sales_order

from . import strategies
from .support import assert_json_error, snapshot

EXAMPLES = 400
PAGE_EXAMPLES = 300
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
TALLY: dict[str, dict[str, int]] = {}


def count(route: str, status: int) -> None:
    t = TALLY.setdefault(route, {"requests": 0, "2xx": 0, "4xx": 0, "5xx": 0})
    t["requests"] += 1
    t[f"{status // 100}xx"] = t.get(f"{status // 100}xx", 0) + 1


@pytest.fixture
def seeded(api):
    """A few real orders, a match and a shipment, so that convert and fill results touch rows."""
    api.post("/api/v1/sales-orders", body=strategies.SALES)
    api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [purchase_order(
        "3900000000000000500", remark="PDD 261124-500000000000001")]})
    api.post("/api/v1/convert", body=strategies.CONVERT)
    return api


def strict_json(text: str):
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in a response"))


def check_write(client, token, db_path, route, body):
    method = strategies.WRITE_ROUTES[route][0]
    before = snapshot(db_path)
    r = client.open(route, method=method, data=body, content_type="application/json",
                    headers={"X-Danhao-Token": token})
    count(route, r.status_code)
    if r.status_code >= 400:
        assert_json_error(r)
        assert snapshot(db_path) == before, f"a refused {route} changed rows"
    else:
        assert r.status_code == 200
        strict_json(r.get_data(as_text=True))


@pytest.mark.parametrize("route", list(strategies.WRITE_ROUTES))
def test_write_routes_survive_generated_bodies(seeded, client, token, db_path, route):
    @FUZZ
    @given(body=strategies.bodies(route))
    def run(body):
        check_write(client, token, db_path, route, body)

    run()
    assert TALLY[route]["requests"] >= EXAMPLES and TALLY[route]["5xx"] == 0


PAGES = ["/orders", "/shipments", "/events", "/orders.csv", "/events.csv", "/exports/bulk-shipping.csv",
         "/orders/pdd-seller/261124-500000000000001", "/login"]
API_GETS = ["/api/v1/sales-orders", "/api/v1/events", "/api/v1/shipments", "/api/v1/alerts", "/api/v1/fill-results",
            "/api/v1/exports/bulk-shipping", "/api/v1/settings", "/api/v1/status"]


@pytest.mark.parametrize("kind", ["pages", "api"])
def test_pages_and_reads_survive_generated_query_strings(seeded, client, token, db_path, kind):
    client.set_cookie(COOKIE, session_value(token), domain="localhost")
    paths = PAGES if kind == "pages" else API_GETS
    before = snapshot(db_path)

    @settings(FUZZ, max_examples=PAGE_EXAMPLES)
    @given(index=strategies.st.integers(0, len(paths) - 1), query=strategies.query_strings())
    def run(index, query):
        path = paths[index]
        r = client.get(f"{path}?{query}", headers={"X-Danhao-Token": token})
        count(kind, r.status_code)
        if r.status_code >= 400:
            assert_json_error(r) if r.mimetype == "application/json" else None
            assert r.status_code < 500
        elif r.mimetype == "application/json":
            strict_json(r.get_data(as_text=True))

    run()
    assert snapshot(db_path) == before, "a GET changed rows"
    assert TALLY[kind]["5xx"] == 0


def test_the_figures_add_up():
    """Runs last in this file: the totals docs/reliability.md quotes."""
    if len(TALLY) < len(strategies.WRITE_ROUTES) + 2:
        pytest.skip("run the whole file for the totals")
    writes = sum(t["requests"] for r, t in TALLY.items() if r.startswith("/api/"))
    total = sum(t["requests"] for t in TALLY.values())
    print(f"\nfuzz: {total} requests ({writes} write bodies), 5xx: {sum(t['5xx'] for t in TALLY.values())}",
          json.dumps(TALLY, indent=1))
    assert writes >= 1000 and all(t["5xx"] == 0 for t in TALLY.values())
