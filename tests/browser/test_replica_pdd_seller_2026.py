"""The 2026 pdd-seller replica behaves as its README says, in real Chromium at the real URL.

No extension is loaded: these tests check the replica (the test bed), not the adapter. They read
the page with their own small reader, written from the README, never with the adapter.
"""
from __future__ import annotations

import json
import re
import time
from decimal import Decimal

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import pdd_seller_2026 as pdd

pytestmark = pytest.mark.browser

ROW = 'tr[data-testid="beast-core-table-body-tr"]'
PORTAL = 'div[data-testid="beast-core-portal"]'
MODAL = '[data-testid="beast-core-modal"]'
CLOSE_ICON = '[data-testid="beast-core-modal-icon-close"]'
NEXT = 'li[data-testid="beast-core-pagination-next"]'
PREV = 'li[data-testid="beast-core-pagination-prev"]'
ORDERS = pdd.load_orders()
FIRST_WAITING = [o for o in ORDERS if o["order_status_str"] == "待发货"]

# A reader of the list written from the README (labels, header-mapped columns, goods lines).
READ_ROWS = r"""() => {
  const text = el => (el ? el.innerText : '').trim();
  const heads = [...document.querySelectorAll('tr[data-testid="beast-core-table-header-tr"] th')].map(text);
  return [...document.querySelectorAll('tr[data-testid="beast-core-table-body-tr"]')].map(tr => {
    let block = tr.parentElement;
    while (block && !/订单(编)?号：/.test(block.innerText)) block = block.parentElement;
    const bt = block.innerText;
    const cell = name => tr.children[heads.indexOf(name)];
    const memo = [...block.querySelectorAll('span')].find(s => text(s) === '买家留言：');
    return {
      sn: bt.match(/订单(?:编)?号：\s*([\d-]+)/)[1],
      created: bt.match(/订单成交时间：\s*([\d-]+ [\d:]+)/)[1],
      shipBy: bt.match(/承诺发货时间：\s*([\d-]+ [\d:]+)/)[1],
      goods: [...cell('商品').querySelectorAll('img + div > div')].map(text),
      status: text(cell('状态')).split('\n')[0],
      qty: text(cell('数量')), total: text(cell('商品总价')), paid: text(cell('实收金额')),
      receiver: text(cell('收货人')).split('\n'),
      remark: memo ? text(memo.nextElementSibling) : '',
      url: cell('操作').querySelector('a[href*="/orders/detail"]').href,
    };
  });
}"""


def to_model(r: dict) -> dict:
    name, phone, region = (r["receiver"] + ["", "", ""])[:3]
    province, city, district = (region.split(" ") + ["", "", ""])[:3]
    rest = [line for line in r["goods"][1:] if not re.match(r"^(ID|商家编码):", line)]
    qty = int(r["qty"])
    return {
        "order_id": r["sn"], "shop": "", "status": r["status"],
        "created_at": r["created"].replace(" ", "T") + "+08:00",
        "ship_by": r["shipBy"].replace(" ", "T") + "+08:00",
        "buyer": {"name": name, "phone": phone,
                  "address": {"province": province, "city": city, "district": district, "detail": ""}},
        # unit price = 商品总价 / 数量 (exact: goods_amount = goods_price × goods_number)
        "items": [{"title": r["goods"][0], "sku": rest[-1] if rest else "", "quantity": qty,
                   "price": str((Decimal(r["total"]) / qty).quantize(Decimal("0.01")))}],
        "amount": r["paid"], "remark": r["remark"], "url": r["url"],
    }


@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer(["pdd-seller"], layouts={"pdd-seller": "2026"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ctx(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("pdd2026") / "profile",
                              resolver_rules=srv.host_resolver_rules())
    yield context
    context.close()


@pytest.fixture
def page(ctx, srv):
    srv.reset()
    pg = ctx.new_page()
    pg.set_default_timeout(8000)
    yield pg
    pg.close()


def open_list(page, url):
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(ROW)


def promo(page):
    return page.locator(MODAL).filter(has_text="年货节")


def todo(page):
    return page.locator(MODAL).filter(has_text="您有以下待办任务需要尽快处理")


def close_modals(page):
    promo(page).locator(CLOSE_ICON).click()
    todo(page).get_by_role("button", name="我知道了").click()
    page.locator(MODAL).first.wait_for(state="detached")


def order_block(page, sn):
    return page.locator(f"xpath=//span[normalize-space()='{sn}']/ancestor::div[.//tr[@data-testid='beast-core-table-body-tr']][1]")


def ship_dialog(page):
    return page.locator(MODAL).filter(has=page.get_by_role("button", name="确认发货"))


def open_ship_dialog(page, sn):
    order_block(page, sn).get_by_role("button", name="发货", exact=True).click()
    dialog = ship_dialog(page)
    dialog.wait_for()
    return dialog


def pick_courier(page, dialog, name):
    dialog.locator('[data-testid="beast-core-select-header"]').click()
    dialog.locator('[data-testid="beast-core-select-htmlInput"]').fill(name)
    page.get_by_role("option", name=name, exact=True).click()


def test_rows_come_only_from_the_list_xhr_in_the_real_shape(page, srv):
    site = srv.sites["pdd-seller"]
    site.delay = (0.8, 0.8)  # long enough to look at the page before the reply
    try:
        with page.expect_response(lambda r: "/mangkhut/mms/recentOrderList" in r.url) as info:
            page.goto(srv.url("pdd-seller"), wait_until="domcontentloaded")
            page.wait_for_selector("#mf-mms-orders-container >> text=加载中")
            assert page.locator(ROW).count() == 0
            html = page.content()
            assert not any(o["order_sn"] in html for o in ORDERS)
            next_data = page.evaluate("JSON.stringify(window.__NEXT_DATA__)")
            assert "mallId" in next_data and not any(o["order_sn"] in next_data for o in ORDERS)
    finally:
        site.delay = (0.1, 0.4)
    resp = info.value
    req = json.loads(resp.request.post_data)
    assert req["pageNumber"] == 1 and req["pageSize"] == 20 and req["sortType"] == 10
    assert req["orderType"] == 1 and req["afterSaleType"] == 1 and req["mobile"] == ""
    assert req["groupEndTime"] - req["groupStartTime"] == 90 * 86400
    body = resp.json()
    assert (body["success"], body["errorCode"], body["errorMsg"]) == (True, 0, "成功")
    assert body["result"]["totalItemNum"] == 25 and len(body["result"]["pageItems"]) == 20
    for item in body["result"]["pageItems"]:
        assert re.fullmatch(r"\d{6}-\d{15}", item["order_sn"])
        for key in ("goods_price", "goods_amount", "order_amount", "order_time", "promise_shipping_time", "goods_id"):
            assert isinstance(item[key], int), key
        assert re.fullmatch(r"1\d\d\*{4}\d{4}", item["receive_mobile"])
        assert not {"mall_id", "mall_name", "pay_amount", "outer_id", "created_at"} & set(item)
    page.wait_for_selector(ROW)
    assert page.locator(ROW).count() == 20
    assert page.locator("#__next #mf-mms-orders-container").count() == 1
    html = page.content()
    assert "TAB_tabTopOuter_5-163-0" in html and "Spn_nested_5-163-0" in html and "BTN_outerWrapper_1a7bz2d" in html
    assert page.locator('tr[data-testid="beast-core-table-header-tr"]').count() == 1
    # the tbody test id is not one per order: the header table has an empty one too
    assert page.locator('[data-testid="beast-core-table-middle-tbody"]').count() == 21


def test_blocking_modals_sit_in_the_portal_and_block_until_closed(page, srv):
    open_list(page, srv.url("pdd-seller"))
    promo(page).wait_for()
    todo(page).wait_for()
    assert page.locator(f"{PORTAL} > div > {MODAL}").count() == 2
    first_ship = page.get_by_role("button", name="发货", exact=True).first
    with pytest.raises(PlaywrightTimeout):
        first_ship.click(timeout=1000)
    promo(page).locator(CLOSE_ICON).click()
    promo(page).wait_for(state="detached")
    with pytest.raises(PlaywrightTimeout):
        first_ship.click(timeout=1000)
    todo(page).get_by_role("button", name="我知道了").click()
    first_ship.click()
    ship_dialog(page).wait_for()


def test_paging_fetches_page_two_and_disables_next(page, srv):
    open_list(page, srv.url("pdd-seller"))
    close_modals(page)
    assert "disabled" in page.locator(PREV).get_attribute("class")
    assert "disabled" not in page.locator(NEXT).get_attribute("class")
    with page.expect_request(lambda r: "/mangkhut/mms/recentOrderList" in r.url) as info:
        page.locator(NEXT).click()
    assert json.loads(info.value.post_data)["pageNumber"] == 2
    page.wait_for_function("sn => document.body.innerText.includes(sn)", arg=ORDERS[20]["order_sn"])
    page.wait_for_function(f"() => document.querySelectorAll('{ROW}').length === 5")
    assert "disabled" in page.locator(NEXT).get_attribute("class")
    before = srv.state("pdd-seller")["listRequests"]
    page.locator(NEXT).click()
    time.sleep(0.5)
    assert srv.state("pdd-seller")["listRequests"] == before
    page.locator(PREV).click()
    page.wait_for_function("sn => document.body.innerText.includes(sn)", arg=ORDERS[0]["order_sn"])


def test_expected_extract_is_what_the_dom_shows(page, srv):
    committed = json.loads((pdd.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
    assert committed == pdd.expected_pages()
    assert [len(p) for p in committed["pages"]] == [20, 5]
    open_list(page, srv.url("pdd-seller"))
    close_modals(page)
    assert [to_model(r) for r in page.evaluate(READ_ROWS)] == committed["pages"][0]
    page.locator(NEXT).click()
    page.wait_for_function(f"() => document.querySelectorAll('{ROW}').length === 5")
    assert [to_model(r) for r in page.evaluate(READ_ROWS)] == committed["pages"][1]


def test_dialog_dropdown_lists_the_catalogue_lazily_in_the_portal(page, srv):
    open_list(page, srv.url("pdd-seller"))
    close_modals(page)
    sn = FIRST_WAITING[0]["order_sn"]
    with page.expect_response(lambda r: "/express_base/shipping_list/mms" in r.url) as info:
        dialog = open_ship_dialog(page, sn)
    catalogue = info.value.json()
    assert catalogue["success"] is True
    names = [c["shipping_name"] for c in catalogue["result"]]
    assert len(names) >= 45 and all(isinstance(c["shipping_id"], int) for c in catalogue["result"])
    for near in ("中通快递", "中通快运", "中通国际", "顺丰快运", "顺丰国际", "韵达快运", "德邦物流", "京东快运"):
        assert near in names
    assert sn in dialog.inner_text()
    dialog.locator('[data-testid="beast-core-select-header"]').click()
    panel = page.locator(f'{PORTAL} ul[role="listbox"]')
    panel.wait_for()
    assert page.locator(f'{MODAL} ul[role="listbox"]').count() == 0  # mounted outside the dialog
    options = panel.get_by_role("option")
    assert options.count() == 20 < len(names)  # rendered lazily
    for _ in range(20):
        if options.count() == len(names):
            break
        panel.evaluate("ul => { ul.scrollTop = ul.scrollHeight; }")
        page.wait_for_timeout(100)
    assert options.all_inner_texts() == names
    dialog.locator('[data-testid="beast-core-select-htmlInput"]').fill("中通")
    assert options.all_inner_texts() == [n for n in names if "中通" in n]
    page.get_by_role("option", name="中通快运", exact=True).click()
    panel.wait_for(state="detached")
    assert dialog.locator('[data-testid="beast-core-select-htmlInput"]').input_value() == "中通快运"


def test_number_input_is_react_controlled_and_confirm_validates(page, srv):
    open_list(page, srv.url("pdd-seller"))
    close_modals(page)
    dialog = open_ship_dialog(page, FIRST_WAITING[0]["order_sn"])
    confirm = dialog.get_by_role("button", name="确认发货")
    confirm.click()
    dialog.get_by_text("请选择物流公司").wait_for()
    dialog.get_by_text("请输入运单号").wait_for()
    pick_courier(page, dialog, "中通快递")
    number = dialog.get_by_placeholder("请输入运单号")
    number.evaluate("el => { el.value = '78123456789012'; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    confirm.click()
    dialog.get_by_text("请输入运单号").wait_for()
    assert number.input_value() == ""  # React put its own (empty) state back
    number.evaluate("""el => {
        const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        set.call(el, '12'); el.dispatchEvent(new Event('input', {bubbles: true})); }""")
    confirm.click()
    dialog.get_by_text("请输入正确的运单号").wait_for()
    assert number.input_value() == "12"
    assert srv.state("pdd-seller")["shipRequests"] == []
    dialog.locator(CLOSE_ICON).click()
    dialog.wait_for(state="detached")


def test_confirm_records_who_clicked_and_the_row_stays_until_refetched(page, srv):
    open_list(page, srv.url("pdd-seller"))
    close_modals(page)
    a, b = FIRST_WAITING[0]["order_sn"], FIRST_WAITING[1]["order_sn"]
    dialog = open_ship_dialog(page, a)
    pick_courier(page, dialog, "中通快递")
    dialog.get_by_placeholder("请输入运单号").fill("78123456789012")
    with page.expect_request(lambda r: "/express_base/shop/orders/shipping" in r.url) as info:
        dialog.get_by_role("button", name="确认发货").click()  # trusted (CDP input)
    body = json.loads(info.value.post_data)
    assert body["orderShipRequestList"][0] == {"orderSn": a, "shippingId": 115, "shippingName": "中通快递",
                                               "trackingNumber": "78123456789012", "deliveryType": 0, "importTime": 0}
    assert (body["isSingleShipment"], body["overWrite"], body["operateFrom"], body["functionType"]) == (1, 1, "MMS", 3)
    dialog.wait_for(state="detached")
    page.get_by_test_id("beast-core-toast").get_by_text("发货成功").wait_for()
    shipped = srv.state("pdd-seller")["shipped"]
    assert [{k: s[k] for k in ("orderSn", "shippingId", "shippingName", "trackingNumber", "by")} for s in shipped] == [
        {"orderSn": a, "shippingId": 115, "shippingName": "中通快递", "trackingNumber": "78123456789012", "by": "user"}]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", shipped[0]["at"])
    # documented: the row still shows 待发货 and 发货 until the list is fetched again
    assert order_block(page, a).get_by_role("button", name="发货", exact=True).count() == 1
    assert "待发货" in order_block(page, a).inner_text()

    dialog = open_ship_dialog(page, b)
    pick_courier(page, dialog, "圆通快递")
    dialog.get_by_placeholder("请输入运单号").fill("YT1234567890123")
    page.evaluate("""() => [...document.querySelectorAll('[data-testid="beast-core-modal"] button')]
        .find(x => x.innerText.trim() === '确认发货').click()""")
    dialog.wait_for(state="detached")
    shipped = srv.state("pdd-seller")["shipped"]
    assert (shipped[1]["orderSn"], shipped[1]["shippingId"], shipped[1]["by"]) == (b, 85, "script")

    dialog = open_ship_dialog(page, a)  # shipping it again: the server refuses, the dialog says why
    pick_courier(page, dialog, "中通快递")
    dialog.get_by_placeholder("请输入运单号").fill("78123456789099")
    dialog.get_by_role("button", name="确认发货").click()
    dialog.get_by_text("订单状态已变更").wait_for()
    assert len(srv.state("pdd-seller")["shipped"]) == 2


def test_ship_endpoint_rejects_bad_requests(page, srv):
    open_list(page, srv.url("pdd-seller"))
    shipped_sn = next(o["order_sn"] for o in ORDERS if o["order_status_str"].startswith("已发货"))
    cancelled_sn = next(o["order_sn"] for o in ORDERS if o["order_status_str"] == "已取消")
    waiting_sn = FIRST_WAITING[0]["order_sn"]
    cases = [
        {"orderSn": "261125-000000000000000", "shippingId": 115, "trackingNumber": "78123456789012"},
        {"orderSn": shipped_sn, "shippingId": 115, "trackingNumber": "78123456789012"},
        {"orderSn": cancelled_sn, "shippingId": 115, "trackingNumber": "78123456789012"},
        {"orderSn": waiting_sn, "trackingNumber": "78123456789012"},
        {"orderSn": waiting_sn, "shippingId": 115, "trackingNumber": ""},
    ]
    replies = page.evaluate("""async cases => Promise.all(cases.map(line =>
        fetch('/express_base/shop/orders/shipping', {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({orderShipRequestList: [line], isSingleShipment: 1, overWrite: 1,
                                    operateFrom: 'MMS', functionType: 3})}).then(r => r.json())))""", cases)
    for reply in replies:
        assert reply["success"] is False and re.search(r"[\u4e00-\u9fff]", reply["errorMsg"]), reply
    assert srv.state("pdd-seller")["shipped"] == []


def test_changed_layout_differs_as_changes_says(tmp_path_factory):
    checked = set()
    with ReplicaServer(["pdd-seller"], layouts={"pdd-seller": "2026-changed"}) as changed:
        context = launch_chromium(tmp_path_factory.mktemp("pdd2026changed") / "profile",
                                  resolver_rules=changed.host_resolver_rules())
        try:
            pg = context.new_page()
            pg.set_default_timeout(8000)
            with pg.expect_response(lambda r: "/mangkhut/mms/recentOrderList" in r.url) as info:
                open_list(pg, changed.url("pdd-seller"))
            item = info.value.json()["result"]["pageItems"][0]
            assert "receiver_name" in item and "receive_name" not in item
            checked.add("reply-field")
            close_modals(pg)
            html = pg.content()
            assert "_5-171-0" in html and "_5-163-0" not in html
            assert "BTN_outerWrapper_3kq9vw1" in html and "1a7bz2d" not in html
            assert pg.locator(".package-center-table, .goods-record-container").count() == 0
            checked.add("class-names")
            heads = pg.locator('tr[data-testid="beast-core-table-header-tr"] th').all_inner_texts()
            assert heads == ["商品", "数量", "商品总价", "实收金额", "状态", "收货人", "买家昵称", "操作"]
            checked.add("column-moved")
            rows = pg.evaluate(READ_ROWS)
            first = ORDERS[0]
            assert rows[0]["goods"][:3] == [first["goods_name"], first["spec"], f"ID: {first['goods_id']}"]
            checked.add("goods-lines")
            text = pg.locator("#mf-mms-orders-container").inner_text()
            assert "订单号：" in text and "订单编号：" not in text
            checked.add("head-label")
            # what a robust reader still gets from the redesigned DOM: the same orders
            assert [to_model(r) for r in rows] == pdd.expected_pages()["pages"][0]

            single = next(o for o in FIRST_WAITING if o["goods_number"] == 1)
            dialog = open_ship_dialog(pg, single["order_sn"])
            labels = dialog.locator('[data-testid="beast-core-form-item"] label').all_inner_texts()
            assert labels == ["快递单号", "快递公司"]
            assert "运单号" not in dialog.inner_text() and "物流公司" not in dialog.inner_text()
            dialog.get_by_placeholder("请输入快递单号").wait_for()
            checked.update({"dialog-labels", "dialog-field-order"})
            dialog.locator(CLOSE_ICON).click()
            dialog.wait_for(state="detached")

            multi = next(o for o in FIRST_WAITING if o["goods_number"] > 1)
            dialog = open_ship_dialog(pg, multi["order_sn"])
            assert "整单发货" in dialog.inner_text() and "拆分包裹发货" in dialog.inner_text()
            assert dialog.locator('[data-testid="beast-core-select"], input[placeholder*="单号"]').count() == 0
            dialog.get_by_role("button", name="确认发货").click()
            dialog.get_by_text("请选择发货方式").wait_for()
            assert changed.state("pdd-seller")["shipRequests"] == []
            checked.add("dialog-split-parcel")
        finally:
            context.close()
    assert checked == {c["id"] for c in pdd.CHANGES}
    assert {c["expect"] for c in pdd.CHANGES} == {"survive", "report"}
