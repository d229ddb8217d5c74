"""Filters in the query string: a mistyped site or flag is a JSON 400 naming it, never an empty
answer that looks like "no orders" (found by a new user trying the API: `?site=nope` gave 200 and
zero counts)."""

import pytest

from tests.api.samples import sales_order

ROUTES = ["/api/v1/sales-orders", "/api/v1/events", "/api/v1/shipments", "/api/v1/fill-results",
          "/api/v1/dashboard", "/api/v1/dashboard/orders", "/api/v1/suppliers"]


@pytest.mark.parametrize("route", ROUTES)
def test_an_unknown_site_is_a_400_naming_it(api, route):
    r = api.get(f"{route}?site=pdd-sellr")
    assert r.status_code == 400, (route, r.get_json())
    error = r.get_json()["error"]
    assert error["code"] == "unknown_site" and error["details"]["field"] == "site"
    assert "pdd-sellr" in error["message"]


@pytest.mark.parametrize("route", [r for r in ROUTES if r != "/api/v1/suppliers"])
def test_a_known_site_or_none_filters_as_before(api, route):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order()]})
    for query in ("?site=pdd-seller", "?site=", ""):
        assert api.get(route + query).status_code == 200, (route, query)
    if route == "/api/v1/sales-orders":
        assert len(api.get(route + "?site=pdd-seller").get_json()["orders"]) == 1
        assert api.get(route + "?site=douyin-seller").get_json()["orders"] == []


def test_the_alerts_all_flag_is_yes_or_no(api):
    for value in ("1", "true", "0", "false", ""):
        assert api.get(f"/api/v1/alerts?all={value}").status_code == 200, value
    error = api.get("/api/v1/alerts?all=maybe").get_json()["error"]
    assert error["code"] == "invalid_param" and error["details"]["field"] == "all"
