"""Issue #13, 团队协作, in real Chromium against the real helper (`python -m helper serve`):
an operator signs in to the review site with their own token (added with `danhao operators add`),
sees who is signed in, filters the log by operator and exports it as CSV; the operators page is
for owners only and shows the figures the API computes.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from tests.api.samples import purchase_order, sales_order
from tests.support.browser import launch_chromium
from tests.support.helper_server import REPO, HelperProcess

from .test_review_site import Watch

pytestmark = pytest.mark.browser

SO_A, SO_B = "261124-200000000000001", "261124-200000000000002"


def add_operator(helper, name, role="operator") -> str:
    res = subprocess.run([sys.executable, "-m", "helper", "operators", "add", name, "--role", role,
                          "--db", str(helper.db_path)], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def call(helper, token, method, path, body=None):
    r = helper.api(method, path, json=body, headers={"X-Danhao-Token": token})
    assert r.status_code in (200, 201), (path, r.status_code, r.text[:300])
    return r.json()


@pytest.fixture
def team(tmp_path):
    helper = HelperProcess(tmp_path / "danhao.db", owner_name=None).start()
    try:
        tokens = {"小李": add_operator(helper, "小李"), "小张": add_operator(helper, "小张")}
        # 小李 syncs and converts; 小张 syncs the purchases and reports a fill.
        call(helper, tokens["小李"], "POST", "/api/v1/sales-orders",
             {"site": "pdd-seller", "orders": [sales_order(SO_A), sales_order(SO_B)]})
        call(helper, tokens["小张"], "POST", "/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [
            purchase_order("3900000000000000201", remark=f"PDD {SO_A}")]})
        shipments = call(helper, tokens["小李"], "POST", "/api/v1/convert",
                         {"site": "pdd-seller", "order_ids": [SO_A], "options": ["中通快递"]})["shipments"]
        call(helper, tokens["小张"], "POST", "/api/v1/fill-results", {"site": "pdd-seller", "results": [
            {"shipment_id": shipments[0]["shipment_id"], "order_id": SO_A, "result": "filled", "submitted": True}]})
        yield helper, tokens
    finally:
        helper.stop()


def sign_in(page, base, token):
    page.goto(base + "/login", wait_until="load")
    page.fill("input[name=token]", token)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_an_operator_signs_in_filters_the_log_by_operator_and_exports_it(team, tmp_path):
    helper, tokens = team
    base = helper.url
    everything = helper.api("GET", "/api/v1/events?limit=1000").json()["events"]
    li_events = [e for e in everything if e["operator"] == "小李"]
    assert li_events and len(li_events) < len(everything)
    ctx = launch_chromium(tmp_path / "profile")
    try:
        page = ctx.new_page()
        watch = Watch(page, base)
        sign_in(page, base, tokens["小李"])
        assert page.inner_text("#whoami").startswith("小李（操作员）")
        assert page.locator("nav.mainnav a", has_text="操作员").count() == 0     # owners only
        page.goto(base + "/events", wait_until="load")
        page.select_option("#operator-filter", "小李")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**/events?*operator=*")
        shown = page.locator("table.table tbody tr")
        assert shown.count() == len(li_events)
        operators_shown = page.locator("table.table tbody tr td:last-child").all_inner_texts()
        assert set(operators_shown) == {"小李"}
        # Export what is shown: the CSV the button downloads has exactly these events.
        with page.expect_download() as download:
            page.click("#export-events")
        body = open(download.value.path(), encoding="utf-8-sig").read()
        table = list(csv.reader(io.StringIO(body)))
        assert table[0][:3] == ["序号", "时间（北京时间）", "操作员"]
        assert sorted(int(r[0]) for r in table[1:]) == sorted(e["id"] for e in li_events)
        assert {r[2] for r in table[1:]} == {"小李"}
        # The operators page is for owners: an operator gets the 403 page.
        response = page.goto(base + "/operators", wait_until="load")
        assert response.status == 403 and "只有店主可以查看" in page.inner_text("main")
        # Expected: the download ends the navigation it started (ERR_ABORTED) and the 403 itself.
        problems = [p for p in watch.take() if not ("events.csv" in p and "ERR_ABORTED" in p)
                    and "/operators" not in p and "403 (FORBIDDEN)" not in p]
        assert problems == []

        # The owner (the helper's own token) switches in and sees everyone's figures.
        page.click("#whoami a")
        page.fill("input[name=token]", helper.token)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        assert page.inner_text("#whoami").startswith("店主")
        page.click("nav.mainnav a:has-text('操作员')")
        page.wait_for_url(base + "/operators")
        listed = {o["name"]: o for o in helper.api("GET", "/api/v1/operators").json()["operators"]}
        for name in ("小李", "小张"):
            row = page.locator(f'tr[data-operator="{name}"]')
            cells = row.locator("td").all_inner_texts()
            assert cells[1] == "操作员" and "使用中" in cells[2]
            assert [int(c) for c in cells[4:8]] == [listed[name]["counts"][k]
                                                   for k in ("events", "filled", "confirmed", "links")]
        assert listed["小张"]["counts"]["filled"] == 1 and listed["小李"]["counts"]["events"] == len(li_events)
        # Each name leads to the log filtered by that operator.
        page.click('tr[data-operator="小张"] a')
        page.wait_for_url("**/events?operator=*")
        assert set(page.locator("table.table tbody tr td:last-child").all_inner_texts()) == {"小张"}
        assert watch.take() == []
    finally:
        ctx.close()
