"""关联采购单 by hand on an order's page, in real Chromium (issue #13's review pages): a purchase
that shows nothing to match on (AliExpress shows no receiver or remark) is linked to its sale by the
signed-in person; the order then stands 可填写 with the supplier's number, and the log says who
linked it. A form posted from another site is refused and changes nothing."""

from __future__ import annotations

import pytest
import requests

from tests.api.samples import sales_order
from tests.support.browser import launch_chromium
from tests.support.helper_server import HelperProcess

from .test_review_site import Watch

pytestmark = pytest.mark.browser

SALE = "6931401081240665388"
PURCHASE = "8123456789012345678"


@pytest.fixture
def helper(tmp_path):
    proc = HelperProcess(tmp_path / "danhao.db").start()
    yield proc
    proc.stop()


def seed(helper):
    r = helper.api("POST", "/api/v1/sales-orders", json={"site": "douyin-seller", "orders": [
        sales_order(SALE, shop="晨光家居旗舰店", url=f"https://fxg.jinritemai.com/ffa/morder/order/detail?id={SALE}")]})
    assert r.status_code == 200, r.text
    r = helper.api("POST", "/api/v1/purchase-orders", json={"site": "aliexpress-buyer", "orders": [
        {"order_id": PURCHASE, "supplier": "Shenzhen Cup Store", "status": "Awaiting delivery",
         "packages": [{"courier_text": "China Post", "tracking": "RB123456785CN"}]}]})
    assert r.status_code == 200 and r.json()["match"]["unmatched"] == 1, r.text


def test_a_purchase_with_nothing_to_match_on_is_linked_by_hand_on_the_order_page(helper, tmp_path):
    seed(helper)
    ctx = launch_chromium(tmp_path / "profile")
    try:
        page = ctx.new_page()
        watch = Watch(page, helper.url)
        page.goto(helper.url + "/login")
        page.fill("input[name=token]", helper.token)
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.goto(f"{helper.url}/orders/douyin-seller/{SALE}")
        assert "待采购" in page.locator("h1").inner_text()
        page.select_option("#link-purchase", f"aliexpress-buyer|{PURCHASE}")
        page.click("#link-submit")
        page.wait_for_url(f"**/orders/douyin-seller/{SALE}#purchases")
        purchases = page.locator("#purchases").inner_text()
        assert PURCHASE in purchases and "RB123456785CN" in purchases and "手动关联" in purchases
        assert "供应商已发货" in page.locator("h1").inner_text()
        assert watch.take() == []
    finally:
        ctx.close()
    # The conversion now has the supplier's number, and the log says who linked it.
    conv = helper.api("POST", "/api/v1/convert", json={"site": "douyin-seller", "order_ids": [SALE]}).json()
    assert [s["number"] for s in conv["shipments"]] == ["RB123456785CN"]
    events = helper.api("GET", f"/api/v1/events?order_id={PURCHASE}").json()["events"]
    matched = [e for e in events if e["kind"] == "purchase_order.matched"]
    assert matched and matched[0]["data"]["method"] == "explicit" and matched[0]["operator"] == "小王"


def test_a_link_posted_from_another_site_is_refused_and_changes_nothing(helper):
    seed(helper)
    s = requests.Session()
    r = s.post(helper.url + "/login", data={"token": helper.token}, allow_redirects=False, timeout=10)
    assert r.status_code == 302
    r = s.post(f"{helper.url}/orders/douyin-seller/{SALE}/link", data={"purchase": f"aliexpress-buyer|{PURCHASE}"},
               headers={"Origin": "https://evil.example"}, allow_redirects=False, timeout=10)
    assert r.status_code == 403
    r = s.post(f"{helper.url}/orders/douyin-seller/{SALE}/link", data={"purchase": "aliexpress-buyer|"},
               allow_redirects=False, timeout=10)
    assert r.status_code == 400
    stored = helper.api("GET", f"/api/v1/purchase-orders/aliexpress-buyer/{PURCHASE}").json()
    assert not stored.get("sales_order_id") and stored.get("match_method") in (None, "none", "unmatched")
