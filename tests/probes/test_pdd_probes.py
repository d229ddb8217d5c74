"""Probes: the 拼多多 adapter on plausible variants of the 2026 replica, and sellers doing ordinary things.

Each test asserts what a SAFE adapter would do; a failure is a finding (see the test's docstring).
"""
from __future__ import annotations

import json

import pytest

from tests.probes import pdd_variants as V
from tests.probes.support import PDD_EXPECTED, POINTED_DIALOG, Env, shipment

pytestmark = pytest.mark.browser

A = "261125-826114634700192"      # 1st order, 待发货, 1 piece
REFUND = "261125-751671892088897"  # 4th order, 待发货 + 退款中 (after_sales_status 2)
AFTER_REFUND = "261125-833660716197236"


@pytest.fixture
def make(tmp_path):
    envs = []

    def _make(layout, **kw):
        env = Env("pdd-seller", layout, tmp_path / f"profile-{len(envs)}", **kw)
        envs.append(env)
        return env
    yield _make
    for e in envs:
        e.close()


def log(name, **kw):
    print(f"\nPROBE {name}: " + json.dumps(kw, ensure_ascii=False, default=str))


# 1 ---------------------------------------------------------------------------------------
def test_courier_switched_by_the_page_after_danhao_checked_it(make):
    """The dialog re-detects 物流公司 from the number 400 ms after typing (智能识别). Danhao checks
    the fields once, points at 确认发货, and the person confirms: which courier did the platform get?"""
    env = make("probe-autodetect")
    page = env.open()
    env.send({"type": "test:extract"})
    env.fire({"type": "test:fill", "shipments": [shipment(A, "韵达快递", "YT7512348820461")]})
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=20000)
    page.wait_for_timeout(1200)
    shown = page.evaluate(POINTED_DIALOG)
    page.locator('[data-danhao-point="confirm"]').click()
    res = env.wait_pending(page)
    results = res["data"]["results"]
    shipped = env.shipped()
    log("autodetect", shown=shown, results=results, shipped=shipped)
    assert not (results[0]["result"] == "filled" and shipped and shipped[0]["shippingName"] != "韵达快递"), \
        "reported filled with 韵达快递 while the platform shipped with another courier"


# 2 ---------------------------------------------------------------------------------------
def test_platform_refuses_the_ship_then_the_person_closes_the_dialog(make):
    """确认发货 → the server refuses (运单号与物流公司不匹配), the dialog stays open with the error; the
    person closes it with 取消. Nothing was shipped: Danhao must not report filled/submitted."""
    env = make("probe-reject")
    page = env.open()
    env.send({"type": "test:extract"})
    env.fire({"type": "test:fill", "shipments": [shipment(A, "中通快递", "9990012345678")]})
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=20000)
    page.locator('[data-danhao-point="confirm"]').click()
    page.wait_for_selector('[role="alert"]:has-text("不匹配")', timeout=10000)
    page.locator('[data-testid="beast-core-modal"] button:has-text("取消")').click()
    res = env.wait_pending(page)
    r = res["data"]["results"][0]
    log("reject", result=r, shipped=env.shipped(), requests=env.srv.state("pdd-seller")["shipRequests"])
    assert env.shipped() == []
    assert not (r["result"] == "filled" and r["submitted"]), "refused ship reported as filled + submitted"


# 3 ---------------------------------------------------------------------------------------
def test_a_refund_warning_before_the_ship_dialog_stops_the_whole_run(make):
    """An order with a refund in progress: 发货 first shows 提示 "买家已申请退款，确认继续发货吗？"
    [继续发货][取消]. That one order needs a person; the next, ordinary order should still be filled."""
    env = make("probe-warn-first")
    page = env.open()
    env.send({"type": "test:extract"})
    env.fire({"type": "test:fill", "shipments": [shipment(REFUND, "中通快递", "73100248915263", sid="s1"),
                                                 shipment(AFTER_REFUND, "圆通快递", "YT7512348820461", sid="s2")]})
    try:
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
        page.locator('[data-danhao-point="confirm"]').click()
    except Exception:
        pass
    res = env.wait_pending(page)
    results = [(r["order_id"], r["result"], r["reason"]) for r in res["data"]["results"]]
    log("warn-first", results=results, shipped=env.shipped())
    assert results[1][1] != "skipped" or not results[1][2].startswith("stopped"), \
        "one order's platform warning was reported as 页面已改版 and stopped every later order"


# 4 ---------------------------------------------------------------------------------------
def _memo_probe(env):
    page = env.open()
    got = env.send({"type": "test:extract"})
    ids = [o["order_id"] for o in got["orders"]]
    dom = env.send({"type": "test:extract-via", "source": "dom"})["orders"]
    env.fire({"type": "test:fill", "shipments": [shipment(V.MEMO_NAMES, "中通快递", "73100248915263")]})
    shown = None
    try:
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
        shown = page.evaluate(POINTED_DIALOG)
        page.locator('[data-danhao-point="confirm"]').click()     # the person trusts the pointer
    except Exception:
        pass
    res = env.wait_pending(page)
    return ids, dom, shown, res["data"]["results"], env.shipped()


def test_buyer_memo_naming_another_order_in_the_head_with_id_in_dialog(make):
    """Order 3's buyer wrote "和我另一单订单号<order 5>一起发" and the page shows the memo in the order
    head. Sync must still list order 3; filling order 5 must open order 5's dialog."""
    env = make("probe-memo-head")
    ids, dom, shown, results, shipped = _memo_probe(env)
    log("memo-head", ids=ids, dom_ids=[(o["order_id"], [i["title"] for i in o["items"]]) for o in dom],
        shown=shown, results=results, shipped=shipped)
    assert all(s["orderSn"] == V.MEMO_NAMES for s in shipped), "number shipped on the wrong order"
    assert V.MEMO_ORDER in ids, "order with the memo vanished from the sync"
    assert results[0]["result"] == "filled", results


def test_buyer_memo_naming_another_order_and_a_dialog_without_the_order_number(make):
    """Same memo; the 发货 dialog shows the goods but not the order number (no public markup says it
    does). RED LINE if order 5's tracking number is confirmed on order 3."""
    env = make("probe-memo-head-noid")
    ids, dom, shown, results, shipped = _memo_probe(env)
    log("memo-head-noid", ids=ids, shown=shown, results=results, shipped=shipped)
    assert all(s["orderSn"] == V.MEMO_NAMES for s in shipped), \
        f"order {V.MEMO_NAMES}'s number was shipped on {[s['orderSn'] for s in shipped]}"


# 5 ---------------------------------------------------------------------------------------
def test_captcha_on_first_load_is_not_reported_as_an_empty_list(make):
    """recentOrderList answers errorCode 54001 + verifyAuthToken (rate limit / captcha)."""
    env = make("probe-captcha")
    env.open()
    r = env.raw({"type": "test:extract"})
    log("captcha", reply=r)
    ok_empty = r.get("ok") and r["data"]["orders"] == [] and not r["data"].get("notes")
    assert not ok_empty, "captcha read as 0 orders, no note, no error"


def test_captcha_on_page_two_is_not_the_end_of_the_list(make):
    env = make("probe-captcha-p2")
    env.open()
    first = env.send({"type": "test:extract"})
    r = env.raw({"type": "test:next-page"})
    log("captcha-p2", page1=len(first["orders"]), next=r)
    assert not (r.get("ok") and r["data"] is False), "captcha on page 2 looks like 'no next page': an all-pages sync ends 'done'"


# 7 ---------------------------------------------------------------------------------------
def test_native_select_courier(make):
    env = make("probe-native-select")
    page = env.open()
    opts = env.send({"type": "test:read-options"})
    env.fire({"type": "test:fill", "shipments": [shipment(A, "中通快递", "73100248915263")]})
    try:
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
        page.locator('[data-danhao-point="confirm"]').click()
    except Exception:
        pass
    res = env.wait_pending(page)
    log("native-select", opts_head=opts[:5], n_options=len(opts), results=res["data"]["results"], shipped=env.shipped())
    assert "中通快递" in opts
    assert [(s["orderSn"], s["shippingName"], s["trackingNumber"]) for s in env.shipped()] == [(A, "中通快递", "73100248915263")]


# 8 ---------------------------------------------------------------------------------------
def test_lazily_rendered_rows(make):
    """The list draws 6 orders and 6 more each time it is scrolled to the end (20 per page)."""
    env = make("probe-lazy")
    page = env.open()
    got = env.send({"type": "test:extract"})
    later = PDD_EXPECTED[0][11]["order_id"]           # pending, not drawn until scrolled
    env.fire({"type": "test:fill", "shipments": [shipment(later, "中通快递", "73100248915263")]})
    try:
        page.wait_for_selector('[data-danhao-point="confirm"]', timeout=15000)
        page.locator('[data-danhao-point="confirm"]').click()
    except Exception:
        pass
    res = env.wait_pending(page)
    log("lazy", extracted=len(got["orders"]), source=got["source"], notes=got.get("notes"), fill=res["data"]["results"])
    assert len(got["orders"]) == 20, f"sync of page 1 saw {len(got['orders'])} of 20 orders, silently"
    assert "页面已改版" not in res["data"]["results"][0]["reason"]


# 11 --------------------------------------------------------------------------------------
def test_person_corrects_the_number_before_confirming(make):
    """The person sees Danhao's number, types the right one, confirms. What does Danhao report?"""
    env = make("2026")
    page = env.open()
    env.send({"type": "test:extract"})
    env.fire({"type": "test:fill", "shipments": [shipment(A, "中通快递", "73100248915263")]})
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=20000)
    page.locator('[data-testid="beast-core-modal"] input[placeholder="请输入运单号"]').fill("73100000000999")
    page.locator('[data-danhao-point="confirm"]').click()
    res = env.wait_pending(page)
    r = res["data"]["results"][0]
    log("person-edits", result=r, shipped=env.shipped())
    assert not (r["result"] == "filled" and env.shipped()[0]["trackingNumber"] != "73100248915263"), \
        "reported filled with Danhao's number; the platform has the person's number"


# 12 --------------------------------------------------------------------------------------
def test_skip_pressed_while_the_confirmed_ship_is_in_flight(make):
    env = make("probe-slowship")
    page = env.open()
    env.send({"type": "test:extract"})
    env.fire({"type": "test:fill", "shipments": [shipment(A, "中通快递", "73100248915263")]})
    page.wait_for_selector('[data-danhao-point="confirm"]', timeout=20000)
    page.locator('[data-danhao-point="confirm"]').click()
    page.wait_for_timeout(300)
    page.locator('#danhao-panel-host [data-action="skip"]').click()
    res = env.wait_pending(page)
    page.wait_for_timeout(4000)
    r = res["data"]["results"][0]
    log("skip-inflight", result=r, shipped=env.shipped())
    assert not (r["result"] == "skipped" and env.shipped()), "order shipped by the platform, reported skipped"


# 13 --------------------------------------------------------------------------------------
def test_two_goods_lines_in_one_order(make):
    env = make("probe-two-lines")
    env.open()
    via_reply = env.send({"type": "test:extract-via", "source": "reply"})
    via_dom = env.send({"type": "test:extract-via", "source": "dom"})
    pick = lambda orders: next((o for o in orders or [] if o["order_id"] == V.TWO_LINES_SN), None)  # noqa: E731
    r, d = pick(via_reply["orders"]), pick(via_dom["orders"])
    log("two-lines", reply_items=r and r["items"], dom_items=d and d["items"], reply_amount=r and r["amount"])
    assert r and len(r["items"]) == 2, "reply path keeps one goods line of two"
