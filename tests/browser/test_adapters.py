"""The shipped extension's adapters on the replica pages, at the real URLs.

No helper here: extraction and filling are driven through the content script's test
messages (`test:extract`, `test:read-options`, `test:fill`, `test:next-page`), sent from the
service worker with `{frameId: 0}` the way the popup sends its own messages. `test:fill`
runs the real fill loop and panel but reports nothing to the helper.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.extension import FIRE, SEND, wait_for
from tests.support.helper_server import free_port


pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SITES = REPO / "tests" / "fixtures" / "sites"
PATTERNS = {"pdd-seller": "https://mms.pinduoduo.com/*", "alibaba-buyer": "https://trade.1688.com/*"}

# From tests/fixtures/sites/pdd-seller/data.json: two 待发货 orders on page 1.
ORDER_A = "261124-002977276931098"
ORDER_B = "261124-740859411842785"


def pending(sw):
    """The answer of the task FIRE started, once it is done."""
    return wait_for(lambda: sw.evaluate("() => globalThis.__pending"), timeout=60, what="the fill to finish")


def shipment(order_id, option, number, status="ready", sid="s_test"):
    checks = [] if status == "ready" else [
        {"code": "address_mismatch", "level": status,
         "message": {"zh": "收货地址与采购单不一致", "en": "Ship-to differs"}}]
    return {"shipment_id": sid, "site": "pdd-seller", "order_id": order_id, "number": number,
            "courier": {"id": "x", "name": option, "confidence": 0.9},
            "target": {"code": "0", "option": option}, "status": status, "checks": checks}


@pytest.fixture(scope="module")
def browser(extension_browser):
    ctx, worker, _ = extension_browser
    return ctx, worker


@pytest.fixture
def sw(browser):
    ctx, worker = browser
    worker.evaluate("() => globalThis.danhao.settings.set({autoSubmit: false, autoSync: false})")
    yield worker
    worker.evaluate("() => globalThis.danhao.settings.set({autoSubmit: false})")


def open_site(browser, replica, site):
    ctx, _ = browser
    replica.reset(site)
    for p in ctx.pages:
        if p.url.startswith(PATTERNS[site][:-1]):
            p.close()
    page = ctx.new_page()
    page.goto(replica.url(site))
    return page


def send(sw, site, msg):
    r = sw.evaluate(SEND, [PATTERNS[site], msg])
    assert r and r.get("ok"), r
    return r["data"]


def ship_modal_inputs(page):
    """placeholder → value of every input in the open 发货 dialog."""
    return page.evaluate("""() => {
      const m = [...document.querySelectorAll('[data-testid="beast-core-modal"]')]
        .find(x => x.textContent.includes('自己联系物流'));
      return m ? Object.fromEntries([...m.querySelectorAll('input')].map(i => [i.placeholder, i.value])) : null;
    }""")


@pytest.mark.parametrize("site", ["pdd-seller", "alibaba-buyer"])
def test_extract_every_page_matches_expected(browser, replica, sw, site):
    expected = json.loads((SITES / site / "expected-extract.json").read_text(encoding="utf-8"))["pages"]
    open_site(browser, replica, site)
    status = send(sw, site, {"type": "popup:status"})
    assert status["site"] == site
    for i, want in enumerate(expected):
        if i:
            assert send(sw, site, {"type": "test:next-page"}) is True
        got = send(sw, site, {"type": "test:extract"})["orders"]
        assert got == want, f"page {i + 1}"
    assert send(sw, site, {"type": "test:next-page"}) is False  # last page: next is disabled


def test_status_reports_site_kind_and_rows(browser, replica, sw):
    open_site(browser, replica, "pdd-seller")
    send(sw, "pdd-seller", {"type": "test:extract"})  # waits for the XHR rows
    assert send(sw, "pdd-seller", {"type": "popup:status"}) | {"busy": None} == {
        "site": "pdd-seller", "side": "seller", "kind": "order-list", "rows": 10, "busy": None, "failures": []}


def test_read_options_scrolls_the_dropdown_to_the_end(browser, replica, sw):
    page = open_site(browser, replica, "pdd-seller")
    options = send(sw, "pdd-seller", {"type": "test:read-options"})
    assert len(options) == 46 and len(set(options)) == 46
    # Beyond the first 20 rendered: only reachable by scrolling the panel.
    assert {"极兔速递", "德邦快递", "日日顺物流", "中通快运"} <= set(options)
    # It leaves the page as it found it: no dialog, no open panel.
    assert ship_modal_inputs(page) is None
    assert page.locator('[role="listbox"]').count() == 0


def test_fill_holds_exact_option_and_number_and_waits_for_the_user(browser, replica, sw):
    page = open_site(browser, replica, "pdd-seller")
    send(sw, "pdd-seller", {"type": "test:extract"})
    # 极兔速递 is option 21 (needs a scroll); 中通快运 next to 中通快递 checks the exact match.
    sw.evaluate(FIRE, [PATTERNS["pdd-seller"], {"type": "test:fill", "shipments": [
        shipment(ORDER_A, "极兔速递", "JT5310298847561", sid="s1")]}])
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
    assert ship_modal_inputs(page) == {"请选择发货方式": "快递发货", "请选择物流公司": "极兔速递",
                                      "请输入运单号": "JT5310298847561"}
    assert replica.state("pdd-seller")["shipped"] == []     # never submitted by itself
    page.locator('#danhao-panel-host [data-action="skip"]').wait_for()
    # The person confirms: a trusted click on the pointed-at 确认发货.
    page.locator('[data-danhao-point="confirm"]').click()
    out = pending(sw)
    assert out["ok"], out
    assert out["data"]["results"] == [{"shipment_id": "s1", "order_id": ORDER_A, "result": "filled",
                                       "submitted": True, "reason": "", "number": "JT5310298847561",
                                       "option": "极兔速递", "submitted_by": "user"}]
    shipped = replica.state("pdd-seller")["shipped"]
    assert [(s["orderSn"], s["shippingName"], s["trackingNumber"], s["by"]) for s in shipped] == [
        (ORDER_A, "极兔速递", "JT5310298847561", "user")]


def test_near_miss_option_is_not_confused(browser, replica, sw):
    page = open_site(browser, replica, "pdd-seller")
    sw.evaluate(FIRE, [PATTERNS["pdd-seller"], {"type": "test:fill", "shipments": [
        shipment(ORDER_A, "中通快运", "73100248915263")]}])
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
    assert ship_modal_inputs(page)["请选择物流公司"] == "中通快运"
    page.locator('#danhao-panel-host [data-action="stop"]').click()
    out = pending(sw)
    assert out["data"]["results"][0]["result"] == "skipped"
    assert ship_modal_inputs(page) is None                   # the dialog was closed again
    assert replica.state("pdd-seller")["shipped"] == []


def test_user_closing_the_dialog_skips_the_row(browser, replica, sw):
    page = open_site(browser, replica, "pdd-seller")
    sw.evaluate(FIRE, [PATTERNS["pdd-seller"], {"type": "test:fill", "shipments": [
        shipment(ORDER_A, "中通快递", "73100248915263", sid="s1"),
        shipment(ORDER_B, "圆通速递", "YT7512348820461", sid="s2")]}])
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
    page.get_by_role("button", name="取消").click()          # user declines row 1
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=beast-core-modal]')].some(m => m.textContent.includes('%s'))" % ORDER_B,
        timeout=15000)
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
    assert ship_modal_inputs(page)["请输入运单号"] == "YT7512348820461"
    page.locator('#danhao-panel-host [data-action="skip"]').click()
    res = pending(sw)["data"]["results"]
    assert [(r["order_id"], r["result"], r["submitted"]) for r in res] == [
        (ORDER_A, "skipped", False), (ORDER_B, "skipped", False)]
    assert res[0]["reason"].startswith("not_confirmed")
    assert replica.state("pdd-seller")["shipped"] == []


def test_option_not_offered_fails_without_touching_the_order(browser, replica, sw):
    page = open_site(browser, replica, "pdd-seller")
    res = send(sw, "pdd-seller", {"type": "test:fill", "shipments": [
        shipment(ORDER_A, "不存在快递", "73100248915263")]})["results"]
    # This order's problem, not a changed page: the walk goes on to the next row.
    assert res[0]["result"] == "failed" and res[0]["reason"].startswith("option_missing: 物流公司")
    assert ship_modal_inputs(page) is None
    assert replica.state("pdd-seller")["shipped"] == []


def test_auto_submit_confirms_ready_only(browser, replica, sw):
    page = open_site(browser, replica, "pdd-seller")
    sw.evaluate("() => globalThis.danhao.settings.set({autoSubmit: true})")
    out = send(sw, "pdd-seller", {"type": "test:fill", "shipments": [
        shipment(ORDER_A, "中通快递", "73100248915263", sid="s1"),
        shipment(ORDER_B, "圆通速递", "YT7512348820461", status="review", sid="s2")]})
    assert out["results"] == [{"shipment_id": "s1", "order_id": ORDER_A, "result": "filled",
                               "submitted": True, "reason": "", "number": "73100248915263",
                               "option": "中通快递", "submitted_by": "auto"}]
    assert out["held"] == [{"order_id": ORDER_B, "status": "review"}]
    shipped = replica.state("pdd-seller")["shipped"]
    assert [(s["orderSn"], s["shippingName"], s["trackingNumber"]) for s in shipped] == [
        (ORDER_A, "中通快递", "73100248915263")]
    # The review row is listed in the panel with its reason, and its row is untouched.
    held = page.locator(f'#danhao-panel-host li[data-order-id="{ORDER_B}"]')
    assert held.get_attribute("data-status") == "review"
    assert "收货地址与采购单不一致" in held.inner_text()
    order_ids = [o["order_id"] for o in send(sw, "pdd-seller", {"type": "test:extract"})["orders"]
                 if o["status"] == "待发货"]
    assert ORDER_A not in order_ids and ORDER_B in order_ids


def test_popup_shows_the_recognised_page(browser, replica, sw):
    ctx, _ = browser
    # A port nothing listens on: a helper the person started on 17890 must not change the result.
    sw.evaluate("url => globalThis.danhao.settings.set({helperUrl: url})", f"http://127.0.0.1:{free_port()}")
    open_site(browser, replica, "pdd-seller")
    send(sw, "pdd-seller", {"type": "test:extract"})
    tab_id = sw.evaluate("async () => (await chrome.tabs.query({url: 'https://mms.pinduoduo.com/*'}))[0].id")
    ext_id = sw.url.split("/")[2]
    popup = ctx.new_page()
    popup.goto(f"chrome-extension://{ext_id}/extension/popup/popup.html?tab={tab_id}")
    popup.wait_for_selector("body[data-ready='1']")
    info = popup.locator("#page-info")
    assert info.get_attribute("data-site") == "pdd-seller"
    assert info.get_attribute("data-kind") == "order-list"
    assert info.get_attribute("data-rows") == "10"
    assert popup.locator("#sync-sales").is_visible() and popup.locator("#fill").is_visible()
    assert not popup.locator("#sync-purchase").is_visible()
    # No helper runs in this test: the popup says so instead of staying silent.
    assert popup.locator("#helper-state").get_attribute("data-state") == "offline"
    popup.close()
    sw.evaluate("() => globalThis.danhao.settings.set({helperUrl: 'http://127.0.0.1:17890'})")
