"""The replica pages behave like the real ones (no extension here): loaded at their real URLs
over TLS, rows after the XHR, a promo modal in the way, paging, a lazy courier dropdown at body
level, a React-controlled number input, validation, and shadow-DOM cards on 1688. They also
render exactly what expected-extract.json says, read by the README's mapping."""
from __future__ import annotations

import json
import ssl
import time
import http.client
from pathlib import Path

import pytest

from tests.support import replica_data
from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer

pytestmark = pytest.mark.browser

PDD_URL = "https://mms.pinduoduo.com/orders/list?msfrom=mms_sidenav&tab=0"
ALI_URL = "https://trade.1688.com/order/buyer_order_list.htm"
ROW = 'tbody[data-testid="beast-core-table-middle-tbody"]'
NEXT = '[data-testid="beast-core-pagination-next"]'
MODAL = 'div[data-testid="beast-core-modal"]'
COURIER = 'input[data-testid="beast-core-select-htmlInput"][placeholder="请选择物流公司"]'
NUMBER = 'input[data-testid="beast-core-input-htmlInput"][placeholder="请输入运单号"]'
REFERENCE = (Path(__file__).parent / "reference_extract.js").read_text(encoding="utf-8")
EXPECTED = {sid: replica_data.expected_extract(sid) for sid in ("pdd-seller", "alibaba-buyer")}

NATIVE_SET = """([el, v]) => {
  const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  set.call(el, v);
  el.dispatchEvent(new Event('input', {bubbles: true}));
}"""


@pytest.fixture(scope="module")
def ctx(replica, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("profile"),
                              resolver_rules=replica.host_resolver_rules())
    yield context
    context.close()


@pytest.fixture
def page(ctx, replica):
    replica.reset()
    p = ctx.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    p.close()
    assert not errors, f"page errors: {errors}"


def reference(page, site_id):
    return page.evaluate(f"(() => ({REFERENCE})[{json.dumps(site_id)}]())()")


FIRST_ID = ("() => { let e = document.querySelector('tbody[data-testid=\"beast-core-table-middle-tbody\"]');"
            " while (e && !e.textContent.includes('订单编号：')) e = e.parentElement;"
            " return e ? e.textContent.match(/订单编号：(\\d{6}-\\d{15})/)[1] : null; }")


def first_order_id(page):
    return page.evaluate(FIRST_ID)


def wait_first_id_changes(page, prev):
    page.wait_for_function(f"prev => ({FIRST_ID})() !== prev", arg=prev)


def open_pdd(page, close_promo=True):
    page.goto(PDD_URL)
    page.wait_for_selector(ROW)
    if close_promo:
        page.locator(MODAL).get_by_text("知道了").click()
        page.wait_for_selector(MODAL, state="detached")


def pdd_row(page, order_id):
    """The order block (head line + table) holding `order_id`."""
    return page.locator(f"xpath=//span[text()='订单编号：{order_id}']"
                        "/ancestor::*[.//tbody[@data-testid='beast-core-table-middle-tbody']][1]")


def open_ship_modal(page, order_id):
    pdd_row(page, order_id).get_by_role("button", name="发货", exact=True).click()
    modal = page.locator(MODAL).filter(has_text="确认发货")
    modal.wait_for()
    return modal


def scroll_panel_to_end(page):
    page.evaluate("() => { const ul = document.querySelector('ul[role=listbox]'); ul.scrollTop = ul.scrollHeight; }")


def option_count(page):
    return page.locator("li[role=option]").count()


# -- pdd-seller --------------------------------------------------------------------------------

def test_pdd_loads_at_real_url_and_rows_come_from_the_xhr(page, replica):
    with page.expect_response("**/mangkhut/mms/recentOrderList") as resp:
        nav = page.goto(PDD_URL)
    html = nav.text()
    assert page.url == PDD_URL
    assert '<div id="root"></div>' in html and "订单编号" not in html and "261124-" not in html
    body = resp.value.json()
    assert body["result"]["totalItemNum"] == 23 and len(body["result"]["pageItems"]) == 10
    assert resp.value.request.post_data_json["pageSize"] == 10
    page.wait_for_selector(ROW)
    assert page.locator(ROW).count() == 10
    assert replica.state("pdd-seller")["listRequests"] == 1


def test_pdd_promo_modal_covers_the_page_until_closed(page):
    open_pdd(page, close_promo=False)
    promo = page.locator(MODAL)
    assert promo.count() == 1 and "新功能上线" in promo.inner_text()
    assert page.evaluate("() => document.querySelector('[data-testid=beast-core-modal]').parentElement === document.body")
    hit = """() => { const b = [...document.querySelectorAll('button')].find(b => b.textContent === '发货');
                     const r = b.getBoundingClientRect();
                     const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                     return b.contains(e) ? 'button' : (e.closest('[data-testid=beast-core-modal]') ? 'modal' : e.tagName); }"""
    assert page.evaluate(hit) == "modal"
    promo.get_by_role("button", name="知道了").click()
    page.wait_for_selector(MODAL, state="detached")
    assert page.evaluate(hit) == "button"


def test_pdd_paging_and_disabled_next_on_last_page(page, replica):
    open_pdd(page)
    seen = [first_order_id(page)]
    for expected_rows in (10, 3):
        page.locator(NEXT).click()
        wait_first_id_changes(page, seen[-1])
        page.wait_for_function(f"() => document.querySelectorAll('{ROW}').length === {expected_rows}")
        seen.append(first_order_id(page))
    assert len(set(seen)) == 3
    nxt = page.locator(NEXT)
    assert "disabled" in nxt.get_attribute("class") and nxt.get_attribute("aria-disabled") == "true"
    active = page.locator("li[class*='pagerItemActive']")
    assert active.inner_text() == "3"
    before = replica.state("pdd-seller")["listRequests"]
    nxt.click()
    time.sleep(0.5)
    assert replica.state("pdd-seller")["listRequests"] == before and page.locator(ROW).count() == 3


def test_pdd_pages_render_exactly_the_expected_extract(page):
    open_pdd(page)
    pages = EXPECTED["pdd-seller"]["pages"]
    for i, expected in enumerate(pages):
        if i:
            prev = first_order_id(page)
            page.locator(NEXT).click()
            wait_first_id_changes(page, prev)
        assert reference(page, "pdd-seller") == expected, f"page {i + 1}"


def test_pdd_ship_modal_at_body_level_with_two_selects_sharing_the_testid(page):
    open_pdd(page)
    oid = EXPECTED["pdd-seller"]["pages"][0][0]["order_id"]
    modal = open_ship_modal(page, oid)
    assert page.evaluate("() => [...document.querySelectorAll('[data-testid=beast-core-modal]')]"
                         ".every(m => m.parentElement === document.body && !document.getElementById('root').contains(m))")
    body = modal.locator('[data-testid="beast-core-modal-body"]')
    assert f"订单编号：{oid}" in body.inner_text()
    assert body.get_by_role("tab", name="自己联系物流").get_attribute("aria-selected") == "true"
    assert body.get_by_role("tab", name="无物流发货").count() == 1
    labels = body.locator('[data-testid="beast-core-form-item"] label').all_inner_texts()
    assert "物流公司" in labels and "运单号" in labels
    placeholders = page.eval_on_selector_all('input[data-testid="beast-core-select-htmlInput"]',
                                             "els => els.map(e => e.placeholder)")
    assert placeholders == ["请选择发货方式", "请选择物流公司"]
    assert page.locator(NUMBER).count() == 1


def test_pdd_courier_dropdown_renders_on_open_and_loads_more_on_scroll(page):
    open_pdd(page)
    open_ship_modal(page, EXPECTED["pdd-seller"]["pages"][0][0]["order_id"])
    assert option_count(page) == 0 and page.locator("ul[role=listbox]").count() == 0
    page.locator(COURIER).click()
    page.wait_for_selector("li[role=option]")
    assert page.evaluate("() => document.querySelector('ul[role=listbox]').parentElement === document.body")
    assert "ST_dropdownPanel_" in page.locator("ul[role=listbox]").get_attribute("class")
    assert option_count(page) == 20
    first = page.locator("li[role=option]").all_inner_texts()
    assert "极兔速递" not in first and {"中通快运", "顺丰快运", "韵达快运", "德邦物流", "京东快运"} <= set(first)
    for want in (40, 46):
        scroll_panel_to_end(page)
        page.wait_for_function(f"() => document.querySelectorAll('li[role=option]').length === {want}")
    scroll_panel_to_end(page)
    time.sleep(0.5)
    assert option_count(page) == 46  # everything loaded: scrolling adds nothing
    labels = page.locator("li[role=option]").all_inner_texts()
    for name in ("极兔速递", "邮政快递包裹", "EMS", "申通快递", "圆通速递", "韵达快递", "中通快递",
                 "顺丰速运", "京东快递", "德邦快递", "百世快递"):
        assert name in labels, name
    li = page.locator("li[role=option]", has_text="极兔速递")
    assert li.get_attribute("data-checked") == "false" and li.get_attribute("data-disabled") == "false"
    li.click()
    assert page.locator("ul[role=listbox]").count() == 0
    assert page.locator(COURIER).input_value() == "极兔速递"
    page.locator(COURIER).click()
    assert page.locator("li[role=option][data-checked=true]").count() == 0  # 极兔 is past the first 20


def test_pdd_number_input_is_react_controlled(page, replica):
    open_pdd(page)
    oid = EXPECTED["pdd-seller"]["pages"][0][0]["order_id"]
    modal = open_ship_modal(page, oid)
    page.locator(COURIER).click()
    page.locator("li[role=option]", has_text="中通快递").first.click()
    number = page.locator(NUMBER)
    # A plain .value= changes the DOM only; React's state stays empty and the next render wins.
    number.evaluate("el => { el.value = '73100248915263'; }")
    assert number.input_value() == "73100248915263"
    modal.get_by_role("button", name="确认发货").click()
    expect_text(modal, "请输入运单号")
    assert number.input_value() == ""
    assert replica.state("pdd-seller")["shipped"] == []
    # The native setter + a bubbling input event reaches onChange and survives re-renders.
    page.evaluate(NATIVE_SET, [number.element_handle(), "73100248915263"])
    number.focus(); page.locator(COURIER).focus()  # focus/blur re-render the input
    assert number.input_value() == "73100248915263"
    assert "请输入运单号" not in modal.inner_text()


def test_pdd_confirm_without_values_shows_validation(page, replica):
    open_pdd(page)
    modal = open_ship_modal(page, EXPECTED["pdd-seller"]["pages"][0][1]["order_id"])
    modal.get_by_role("button", name="确认发货").click()
    expect_text(modal, "请选择物流公司")
    expect_text(modal, "请输入运单号")
    items = modal.locator('[data-testid="beast-core-form-item"]')
    assert "请选择物流公司" in items.filter(has_text="物流公司").first.inner_text()
    time.sleep(0.5)
    assert page.locator(MODAL).count() == 1 and replica.state("pdd-seller")["shipped"] == []


def test_pdd_confirm_ships_and_records_state(page, replica):
    open_pdd(page)
    oid = EXPECTED["pdd-seller"]["pages"][0][0]["order_id"]
    modal = open_ship_modal(page, oid)
    page.locator(COURIER).click()
    page.locator("li[role=option]", has_text="中通快递").first.click()
    page.evaluate(NATIVE_SET, [page.locator(NUMBER).element_handle(), "73100248915263"])
    with page.expect_response("**/mangkhut/mms/shipOrder") as resp:
        modal.get_by_role("button", name="确认发货").click()
    assert resp.value.request.post_data_json == {"orderSn": oid, "shippingName": "中通快递",
                                                 "trackingNumber": "73100248915263"}
    page.wait_for_selector(MODAL, state="detached")
    row = pdd_row(page, oid)
    expect_text(row, "已发货")
    assert row.get_by_role("button", name="发货", exact=True).count() == 0
    shipped = replica.state("pdd-seller")["shipped"]
    assert [(s["orderSn"], s["shippingName"], s["trackingNumber"], s["by"]) for s in shipped] == \
        [(oid, "中通快递", "73100248915263", "user")]
    assert shipped[0]["at"].endswith("+08:00")
    # Over HTTP too, and a script click is told apart from a person's.
    other = EXPECTED["pdd-seller"]["pages"][0][1]["order_id"]
    modal = open_ship_modal(page, other)
    page.locator(COURIER).click()
    page.locator("li[role=option]", has_text="圆通速递").first.click()
    page.evaluate(NATIVE_SET, [page.locator(NUMBER).element_handle(), "YT7512348820461"])
    modal.get_by_role("button", name="确认发货").evaluate("b => b.click()")
    page.wait_for_selector(MODAL, state="detached")
    state = page.evaluate("() => fetch('/__replica/state').then(r => r.json())")
    assert [s["by"] for s in state["shipped"]] == ["user", "script"]
    page.reload()
    page.wait_for_selector(ROW)
    assert "已发货" in pdd_row(page, oid).inner_text()
    page.evaluate("() => fetch('/__replica/reset', {method: 'POST'})")
    assert replica.state("pdd-seller")["shipped"] == []


def test_pdd_large_dataset_with_page_size_param(tmp_path):
    data = replica_data.generate_datasets(500, seed=7)
    # The module's browser maps the real hosts to the module server: this one needs its own.
    srv = ReplicaServer(["pdd-seller"], datasets=data, delay=(0, 0)).start()
    try:
        big_ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            p = big_ctx.new_page()
            p.goto(PDD_URL + "&pageSize=500")
            p.wait_for_function(f"() => document.querySelectorAll('{ROW}').length === 500")
            got = reference(p, "pdd-seller")
            assert got == replica_data.expected_extract("pdd-seller", data["pdd-seller"], 500)["pages"][0]
            assert p.locator(NEXT).get_attribute("aria-disabled") == "true"
        finally:
            big_ctx.close()
    finally:
        srv.stop()


# -- alibaba-buyer -----------------------------------------------------------------------------

CARDS_READY = "n => document.querySelectorAll('q-order-card').length === n"


def next_button(page):
    return page.locator("q-button", has_text="下一页")


def test_1688_cards_live_in_open_shadow_roots_and_paginate(page, replica):
    with page.expect_response("**/order/buyer_order_list_data.json?page=1*"):
        nav = page.goto(ALI_URL)
    assert "订单号" not in nav.text()
    page.wait_for_function(CARDS_READY, arg=5)
    info = page.evaluate("""() => [...document.querySelectorAll('q-order-card')].map(c => ({
        light: c.childNodes.length, mode: c.shadowRoot && c.shadowRoot.mode,
        text: c.shadowRoot.textContent.includes('订单号：')}))""")
    assert all(i == {"light": 0, "mode": "open", "text": True} for i in info)
    assert page.evaluate("() => document.querySelector('q-order-card').textContent") == ""
    expected = EXPECTED["alibaba-buyer"]["pages"]
    assert reference(page, "alibaba-buyer") == expected[0]
    inner_disabled = "() => [...document.querySelectorAll('q-button')].find(b => b.textContent.trim() === '下一页').shadowRoot.querySelector('button').disabled"
    assert page.evaluate(inner_disabled) is False
    for i in (1, 2):
        prev_first = expected[i - 1][0]["order_id"]
        # Click the real <button> inside the q-button's shadow root.
        next_button(page).locator("button").click()
        page.wait_for_function("id => !document.querySelector('q-order-card').shadowRoot.textContent.includes(id)", arg=prev_first)
        assert reference(page, "alibaba-buyer") == expected[i], f"page {i + 1}"
    assert page.evaluate(inner_disabled) is True
    assert next_button(page).get_attribute("disabled") == ""
    served = replica.state("alibaba-buyer")["listRequests"]
    page.evaluate("() => [...document.querySelectorAll('q-button')].find(b => b.textContent.trim() === '下一页').click()")
    time.sleep(0.5)
    assert replica.state("alibaba-buyer")["listRequests"] == served == [1, 2, 3]
    assert "第 3 / 3 页" in page.locator(".page-info").inner_text()


def test_1688_expected_covers_the_tricky_cases():
    orders = [o for p in EXPECTED["alibaba-buyer"]["pages"] for o in p]
    assert len(orders) == 12 and all(len(o["order_id"]) == 19 for o in orders)
    tracking = [pk["tracking"] for o in orders for pk in o["packages"]]
    assert any("，" in t for t in tracking) and any(t.startswith("ＹＴ") for t in tracking)
    assert len(tracking) != len(set(tracking))  # one number on two orders
    assert any(not o["packages"] and o["status"] == "等待卖家发货" for o in orders)
    assert any(len(o["packages"]) == 2 for o in orders)
    sales = {o["order_id"]: o for p in EXPECTED["pdd-seller"]["pages"] for o in p}
    remarked = [o for o in orders if o["remark"]]
    assert 0 < len(remarked) < len(orders)
    moved = [o for o in remarked if o["ship_to"] != sales[o["remark"][4:]]["buyer"]]
    assert len(moved) == 1 and moved[0]["ship_to"]["address"]["district"] != \
        sales[moved[0]["remark"][4:]]["buyer"]["address"]["district"]
    by_person = {(s["buyer"]["name"], s["buyer"]["phone"][-4:]): s for s in sales.values()}
    for o in orders:
        if not o["remark"]:
            s = by_person[(o["ship_to"]["name"], o["ship_to"]["phone"][-4:])]
            assert s["buyer"]["address"] == o["ship_to"]["address"]


# -- server ------------------------------------------------------------------------------------

def test_server_routes_by_host_and_resets(replica):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE

    def call(host, method, path, body=None):
        c = http.client.HTTPSConnection("127.0.0.1", replica.port, context=ctx, timeout=10)
        c.request(method, path, body=json.dumps(body) if body is not None else None,
                  headers={"Host": host, "Content-Type": "application/json"})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data

    assert replica.host_resolver_rules() == (
        f"MAP mms.pinduoduo.com:443 127.0.0.1:{replica.port},MAP trade.1688.com:443 127.0.0.1:{replica.port}")
    assert call("mms.pinduoduo.com", "GET", "/orders/list?tab=0")[0] == 200
    assert call("trade.1688.com", "GET", "/orders/list")[0] == 404
    assert call("example.com", "GET", "/orders/list")[0] == 421
    oid = EXPECTED["pdd-seller"]["pages"][0][0]["order_id"]
    status, data = call("mms.pinduoduo.com", "POST", "/mangkhut/mms/shipOrder",
                        {"orderSn": oid, "shippingName": "中通快递", "trackingNumber": "73100248915263"})
    assert json.loads(data)["success"] is True
    again = json.loads(call("mms.pinduoduo.com", "POST", "/mangkhut/mms/shipOrder",
                            {"orderSn": oid, "shippingName": "中通快递", "trackingNumber": "1"})[1])
    assert again["success"] is False
    state = json.loads(call("mms.pinduoduo.com", "GET", "/__replica/state")[1])
    assert [s["orderSn"] for s in state["shipped"]] == [oid]
    assert call("mms.pinduoduo.com", "POST", "/__replica/reset")[0] == 200
    assert replica.state("pdd-seller")["shipped"] == []


def expect_text(locator, text, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in locator.inner_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in {locator.inner_text()!r}")
