"""Issue #10, item 4: secrets and access.

Before the fix `PUT /settings` could point `17track_url` (and so the 17TRACK token) at any
server and widen `allowed_hosts`; the bulk-shipping GET wrote an event; an
`X-Danhao-Request-Id` replayed on another route returned the first route's answer.
"""

import pytest
from click.testing import CliRunner

from helper.cli import main
from helper.web.auth import COOKIE, session_value
from tests.api.samples import sales_order

from .support import assert_json_error, snapshot


@pytest.mark.parametrize("name", ["17track_url", "kuaidi100_url", "kdniao_url", "allowed_hosts"])
def test_settings_that_redirect_a_secret_or_widen_access_are_machine_only(api, db_path, name):
    before = snapshot(db_path)
    r = api.put("/api/v1/settings", body={name: "http://evil.example/collect", "operator": "小王"})
    error = assert_json_error(r, 403)
    assert error["code"] == "setting_locked" and error["details"]["field"] == name
    assert "danhao config set" in error["message"]
    assert snapshot(db_path) == before
    value = "shop-pc" if name == "allowed_hosts" else "http://127.0.0.1:9/x"   # values are checked (#11)
    res = CliRunner().invoke(main, ["config", "set", name, value, "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert api.get("/api/v1/settings").get_json()["settings"][name] == value


def test_other_settings_still_change_through_the_api(api):
    r = api.put("/api/v1/settings", body={"operator": "小王", "17track_token": "t0ken", "refresh_interval_min": "60"})
    assert r.status_code == 200
    assert r.get_json()["settings"]["17track_token"] == "set"


def test_settings_take_json_numbers_and_booleans_as_their_text_would(api, db_path):
    """The README gives whole-number and yes/no settings: a JSON 60 or true means "60" or "1";
    a number where text is meant, or a boolean for a number, is refused and changes nothing."""
    r = api.put("/api/v1/settings", body={"refresh_interval_min": 60, "allow_fill_without_pickup": True})
    assert r.status_code == 200, r.get_json()
    got = r.get_json()["settings"]
    assert (got["refresh_interval_min"], got["allow_fill_without_pickup"]) == ("60", "1")
    assert api.put("/api/v1/settings", body={"allow_fill_without_pickup": False}).get_json()["settings"]["allow_fill_without_pickup"] == "0"
    assert api.put("/api/v1/settings", body={"allow_fill_without_pickup": 1}).get_json()["settings"]["allow_fill_without_pickup"] == "1"
    before = snapshot(db_path)
    for body in ({"refresh_interval_min": 10}, {"refresh_interval_min": True}, {"refresh_interval_min": 60.5},
                 {"allow_fill_without_pickup": 2}, {"operator": 7}):
        error = assert_json_error(api.put("/api/v1/settings", body=body), 400)
        assert error["code"] == "invalid_setting" and error["details"]["field"] == next(iter(body)), body
    assert snapshot(db_path) == before


def test_the_bulk_shipping_export_get_records_nothing(api, client, token, db_path):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order()]})
    before = snapshot(db_path)
    assert api.get("/api/v1/exports/bulk-shipping?site=pdd-seller").status_code == 200
    client.set_cookie(COOKIE, session_value(token), domain="localhost")
    assert client.get("/exports/bulk-shipping.csv?site=pdd-seller").status_code == 200
    assert snapshot(db_path) == before


def test_a_request_id_replayed_on_another_route_is_not_the_first_answer(api):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order()]})
    rid = {"X-Danhao-Request-Id": "q-shared"}
    first = api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order("261124-1")]},
                     headers=rid)
    assert first.get_json()["inserted"] == 1
    other = api.post("/api/v1/convert", body={"site": "pdd-seller", "order_ids": ["261124-123456789012345"]},
                     headers=rid)
    assert other.status_code == 200 and other.headers.get("X-Danhao-Replayed") is None
    assert "shipments" in other.get_json() and "inserted" not in other.get_json()
    again = api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": []}, headers=rid)
    assert again.headers.get("X-Danhao-Replayed") == "1" and again.get_json() == first.get_json()
