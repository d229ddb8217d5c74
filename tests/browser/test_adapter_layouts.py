"""The shipped adapters on every layout of their sites: the replicas written from the public
evidence of the real pages by a hand that did not read the adapters ("2026"), the same pages
after a redesign ("2026-changed"), and the original replicas ("legacy", tests/browser/test_adapters.py).

For each layout: extraction equals the replica's expected JSON on every page; reading the
page's own data reply and reading the DOM give the same orders; every ready row and only
those are filled; a row the person confirmed is reported confirmed even when the list keeps
showing 待发货; on the redesign, what a page change hides is reported as page_changed and
nothing is filled.
"""
from __future__ import annotations

import json

import pytest

from tests.support.extension import ExtensionEnv
from tests.support.replica_server import SITES_DIR

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def pdd_2026(tmp_path_factory):
    env = ExtensionEnv("pdd-seller", "2026", tmp_path_factory.mktemp("pdd2026"))
    yield env
    env.close()


@pytest.fixture(scope="module")
def pdd_changed(tmp_path_factory):
    env = ExtensionEnv("pdd-seller", "2026-changed", tmp_path_factory.mktemp("pddchanged"))
    yield env
    env.close()


def expected(site, layout_folder):
    return json.loads((SITES_DIR / site / layout_folder / "expected-extract.json").read_text(encoding="utf-8"))["pages"]


def shipment(order_id, option, number, status="ready", sid="s_test"):
    checks = [] if status == "ready" else [
        {"code": "address_mismatch", "level": status, "message": {"zh": "收货地址与采购单不一致", "en": "Ship-to differs"}}]
    return {"shipment_id": sid, "site": "pdd-seller", "order_id": order_id, "number": number,
            "courier": {"id": "x", "name": option, "confidence": 0.9},
            "target": {"code": "0", "option": option}, "status": status, "checks": checks}


# --- pdd-seller, 2026 -----------------------------------------------------------------------

def test_pdd_2026_extract_every_page_matches_expected_and_returns_to_page_one(pdd_2026):
    want = expected("pdd-seller", "2026")
    pdd_2026.open()
    for i, page_orders in enumerate(want):
        if i:
            assert pdd_2026.send({"type": "test:next-page"}) is True
        got = pdd_2026.send({"type": "test:extract"})
        assert got["orders"] == page_orders, f"page {i + 1}"
        assert got["source"] == "reply"          # the page's own reply covered the rows
    assert pdd_2026.send({"type": "test:next-page"}) is False


def test_pdd_2026_reply_and_dom_give_the_same_orders(pdd_2026):
    want = expected("pdd-seller", "2026")[0]
    pdd_2026.open()
    via_reply = pdd_2026.send({"type": "test:extract-via", "source": "reply"})
    via_dom = pdd_2026.send({"type": "test:extract-via", "source": "dom"})
    assert via_reply["orders"] == want
    assert via_dom["orders"] == want


def test_pdd_2026_fill_confirmed_rows_are_reported_confirmed_though_the_list_still_says_pending(pdd_2026):
    page = pdd_2026.open()
    a, b, c = "261125-826114634700192", "261125-858652451097925", "261125-751671892088897"
    pdd_2026.send({"type": "test:extract"})
    pdd_2026.fire({"type": "test:fill", "shipments": [
        shipment(a, "中通快递", "73100248915263", sid="s1"),
        shipment(b, "圆通快递", "YT7512348820461", status="review", sid="s2"),   # never filled
        shipment(c, "极兔速递", "JT5310298847561", sid="s3"),
        shipment(a, "中通快递", "73100248915270", sid="s4"),                    # second number, same order
    ]})
    for order_id in (a, c):
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=20000)
        dialog = page.locator('[data-testid="beast-core-modal"]', has=page.locator('[data-danhao-point]'))
        assert order_id in dialog.inner_text()
        page.locator('[data-danhao-point="confirm"]').click()          # the person confirms
        page.wait_for_function("() => !document.querySelector('[data-danhao-point]')", timeout=20000)
    res = pdd_2026.wait_pending(page)
    results = [(r["shipment_id"], r["result"], r["submitted"]) for r in res["data"]["results"]]
    assert results == [("s1", "filled", True), ("s3", "filled", True), ("s4", "skipped", False)]
    shipped = pdd_2026.srv.state("pdd-seller")["shipped"]
    assert [(s["orderSn"], s["shippingName"], s["trackingNumber"], s["by"]) for s in shipped] == [
        (a, "中通快递", "73100248915263", "user"), (c, "极兔速递", "JT5310298847561", "user")]


def test_pdd_2026_read_options_lists_the_whole_catalogue(pdd_2026):
    pdd_2026.open()
    options = pdd_2026.send({"type": "test:read-options"})
    assert len(options) == len(set(options)) >= 100
    assert {"中通快递", "中通快运", "顺丰快运", "中通国际"} <= set(options)


# --- pdd-seller, after a redesign -------------------------------------------------------------

def test_pdd_changed_still_reads_every_page_and_says_the_reply_changed(pdd_changed):
    want = expected("pdd-seller", "2026")
    pdd_changed.open()
    for i, page_orders in enumerate(want):
        if i:
            assert pdd_changed.send({"type": "test:next-page"}) is True
        got = pdd_changed.send({"type": "test:extract"})
        assert got["orders"] == page_orders, f"page {i + 1}"
        assert got["source"] == "dom" and any("receive_name" in n for n in got["notes"])


def test_pdd_changed_renamed_labels_fill_but_a_hidden_form_is_page_changed_and_nothing_more_is_filled(pdd_changed):
    page = pdd_changed.open()
    single, multi, after = "261125-826114634700192", "261125-181357369894639", "261125-858652451097925"
    pdd_changed.send({"type": "test:extract"})
    pdd_changed.fire({"type": "test:fill", "shipments": [
        shipment(single, "中通快递", "73100248915263", sid="s1"),
        shipment(multi, "圆通快递", "YT7512348820461", sid="s2"),    # dialog asks 整单/拆分 first
        shipment(after, "韵达快递", "312098845617230", sid="s3"),
    ]})
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=20000)
    page.locator('[data-danhao-point="confirm"]').click()
    res = pdd_changed.wait_pending(page)
    results = res["data"]["results"]
    assert [(r["shipment_id"], r["result"]) for r in results] == [("s1", "filled"), ("s2", "failed"), ("s3", "skipped")]
    assert results[1]["reason"].startswith("页面已改版") or "page_changed" in results[1]["reason"]
    assert "运单号" in results[1]["reason"] or "物流公司" in results[1]["reason"]
    assert results[2]["reason"].startswith("stopped")
    shipped = pdd_changed.srv.state("pdd-seller")["shipped"]
    assert [s["orderSn"] for s in shipped] == [single]
    panel = page.locator("#danhao-panel-host").evaluate("h => h.shadowRoot.textContent")
    assert "页面已改版" in panel


# --- alibaba-buyer (1688), 2026 and its redesign -------------------------------------------------

@pytest.fixture(scope="module")
def ali_2026(tmp_path_factory):
    env = ExtensionEnv("alibaba-buyer", "2026", tmp_path_factory.mktemp("ali2026"))
    yield env
    env.close()


@pytest.fixture(scope="module")
def ali_changed(tmp_path_factory):
    env = ExtensionEnv("alibaba-buyer", "2026-changed", tmp_path_factory.mktemp("alichanged"))
    yield env
    env.close()


def test_1688_old_address_redirects_and_the_adapter_recognises_the_new_list(ali_2026):
    page = ali_2026.open()
    page.goto("https://trade.1688.com/order/buyer_order_list.htm")
    assert page.url.startswith("https://air.1688.com/app/ctf-page/trade-order-list/")
    ali_2026.send({"type": "test:extract"})
    status = ali_2026.send({"type": "popup:status"})
    assert (status["site"], status["kind"], status["rows"]) == ("alibaba-buyer", "purchase-list", 10)


def test_1688_2026_every_page_by_reply_and_by_dom_equals_expected(ali_2026):
    want = expected("alibaba-buyer", "2026")
    ali_2026.open()
    for i, page_orders in enumerate(want):
        if i:
            assert ali_2026.send({"type": "test:next-page"}) is True
        got = ali_2026.send({"type": "test:extract"})
        assert got["orders"] == page_orders, f"page {i + 1}"
        assert got["source"] == "reply"
        assert ali_2026.send({"type": "test:extract-via", "source": "dom"})["orders"] == page_orders, f"dom, page {i + 1}"
        assert ali_2026.send({"type": "test:page-info"}) == {"current": i + 1, "total": len(want)}
    assert ali_2026.send({"type": "test:next-page"}) is False


def test_1688_changed_reads_every_page_from_the_page_and_says_the_reply_changed(ali_changed):
    want = expected("alibaba-buyer", "2026-changed")
    ali_changed.open()
    for i, page_orders in enumerate(want):
        if i:
            assert ali_changed.send({"type": "test:next-page"}) is True
        got = ali_changed.send({"type": "test:extract"})
        assert got["orders"] == page_orders, f"page {i + 1}"
        # The reply's tracking fields were renamed: never orders without their numbers.
        assert got["source"] == "dom" and got["notes"], got.get("notes")
    assert ali_changed.send({"type": "test:next-page"}) is False


# --- douyin-seller (抖店), 2026 and its redesign -------------------------------------------------

@pytest.mark.parametrize("layout", ["2026", "2026-changed"])
def test_douyin_every_page_equals_expected(tmp_path, layout):
    want = expected("douyin-seller", "2026")
    env = ExtensionEnv("douyin-seller", layout, tmp_path / "profile")
    try:
        env.open()
        status = env.send({"type": "popup:status"})
        assert (status["site"], status["kind"]) == ("douyin-seller", "order-list")
        for i, page_orders in enumerate(want):
            if i:
                assert env.send({"type": "test:next-page"}) is True
            got = env.send({"type": "test:extract"})
            assert got["orders"] == page_orders, f"page {i + 1}"
            if layout == "2026":
                assert got["source"] == "dom+reply" and got["notes"] == []   # the page's own data agrees
        assert env.send({"type": "test:next-page"}) is False
    finally:
        env.close()
