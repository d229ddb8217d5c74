"""The 2026 kuaishou-seller (快手小店) replica behaves as its README says, in real Chromium at the real URL.

No extension is loaded: these tests check the replica (the test bed), not the adapter. They read the page
with their own small reader, written from the README, never with the adapter.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import kuaishou_seller_2026 as ks

pytestmark = pytest.mark.browser

LIST_URL = "https://s.kwaixiaodian.com/zone/order/list"
ORDERS = ks.load_orders()
WAITING = [o for o in ORDERS if o["status"] == 30]
QUERY = "/rest/app/tts/ks/seller/order/query/v2"

# A reader written from the README: one card ([role=rowgroup]) per order; its head line carries the
# labelled id and times; cells ([role=cell]) follow the column headers ([role=columnheader]) in order.
READ_ROWS = r"""() => {
  const T = el => (el ? el.innerText : '').trim();
  const heads = [...document.querySelectorAll('[role=columnheader]')].map(T);
  const shop = T(document.querySelector('header [title]'));
  return [...document.querySelectorAll('[role=rowgroup]')].map(card => {
    const head = T(card.firstElementChild);
    const cells = [...card.querySelectorAll('[role=cell]')];
    const c = {};
    heads.forEach((h, i) => { c[h] = cells[i]; });
    const goods = c['商品信息'].querySelector('img').nextElementSibling.children;
    const recv = c['收货信息'].children;
    const who = recv[0].querySelectorAll(':scope > span');
    const remark = [...card.children].map(T).find(t => t.startsWith('买家留言：')) || '';
    return {
      id: head.match(/订单(?:编)?号：\s*(\d+)/)[1],
      created: head.match(/下单时间：\s*([\d-]+ [\d:]+)/)[1],
      shipBy: head.match(/(?:承诺|最晚)发货时间：\s*([\d-]+ [\d:]+)/)[1],
      title: T(goods[0]), sku: T(goods[1]),
      price: T(c['单价/数量'].children[0]), qty: T(c['单价/数量'].children[1]),
      name: T(who[0]), phone: T(who[1]), address: T(recv[1]),
      status: T(c['订单状态'].children[0]), amount: T(c['实付款'].children[0]),
      remark: remark.replace(/^买家留言：/, '').trim(),
      url: [...c['操作'].querySelectorAll('a')].find(a => T(a) === '订单详情').href, shop,
    };
  });
}"""


def to_model(r: dict) -> dict:
    province, city, district, detail = (r["address"].split(" ", 3) + ["", "", "", ""])[:4]
    return {
        "order_id": r["id"], "shop": r["shop"], "status": r["status"],
        "created_at": r["created"].replace(" ", "T") + "+08:00", "ship_by": r["shipBy"].replace(" ", "T") + "+08:00",
        "buyer": {"name": r["name"], "phone": r["phone"],
                  "address": {"province": province, "city": city, "district": district, "detail": detail}},
        "items": [{"title": r["title"], "sku": r["sku"], "quantity": int(r["qty"].lstrip("x")),
                   "price": r["price"].lstrip("¥")}],
        "amount": r["amount"].lstrip("¥"), "remark": r["remark"], "url": r["url"],
    }


def read_page(page) -> list[dict]:
    return [to_model(r) for r in page.evaluate(READ_ROWS)]


def first_id(page):
    return page.evaluate(r"""() => { const m = (document.querySelector('[role=rowgroup]') || {innerText: ''})
        .innerText.match(/订单(?:编)?号：\s*(\d+)/); return m ? m[1] : null; }""")


@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer(["kuaishou-seller"], layouts={"kuaishou-seller": "2026"}, delay=(0.05, 0.15)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("ks2026") / "profile", resolver_rules=srv.host_resolver_rules())
    yield context
    context.close()


@pytest.fixture
def page(browser, srv):
    srv.reset()
    pg = browser.new_page()
    pg.set_default_timeout(8000)
    yield pg
    pg.close()


def open_list(page):
    page.goto(LIST_URL, wait_until="domcontentloaded")
    page.wait_for_selector("[role=rowgroup]")


def close_notice(page):
    page.get_by_role("button", name="我知道了").click()
    page.get_by_text("平台公告").wait_for(state="detached")


def card(page, order):
    return page.locator("[role=rowgroup]").filter(has_text=str(order["oid"]))


def test_rows_arrive_only_from_query_v2_in_the_documented_shape(page, srv):
    srv.sites["kuaishou-seller"].delay = (0.8, 0.8)
    try:
        with page.expect_response(lambda r: QUERY in r.url) as info:
            page.goto(LIST_URL, wait_until="domcontentloaded")
            page.wait_for_selector("[role=columnheader]")
            assert page.locator("[role=rowgroup]").count() == 0  # nothing in the HTML itself
        resp = info.value
    finally:
        srv.sites["kuaishou-seller"].delay = (0.05, 0.15)
    req = resp.request
    sent = req.post_data_json
    p = sent["orderEsSearchParam"]
    assert (p["offset"], p["limit"], p["status"], p["oid"], p["sortType"]) == (0, 10, 0, "", 1)
    assert {"consigneePhone", "consigneeName", "expressNo", "checkMerge", "searchForOrderList"} <= set(p)
    headers = req.all_headers()
    cookies = {c["name"]: c["value"] for c in page.context.cookies(LIST_URL)}
    assert headers["ks-csrf-token"] == cookies["KS-CSRF-Token"] and headers["merchantsessionkey"] == cookies["merchantSessionKey"]
    body = resp.json()
    assert body["result"] == 1 and body["error_msg"] == "" and body["total"] == len(ORDERS) and len(body["orderList"]) == 10
    row = body["orderList"][0]
    assert isinstance(row["oid"], int) and len(str(row["oid"])) == 16           # a JSON number (safe below 2^53)
    assert isinstance(row["createTime"], int) and row["createTime"] > 10**12    # ms
    assert isinstance(row["totalFee"], int) and isinstance(row["price"], int)    # fen
    assert {"province", "city", "district", "town", "address"} <= set(row)      # four levels + masked street
    assert "*" in row["consignee"] and re.fullmatch(r"1\d\d\*{4}\d{4}", row["buyerPhone"])
    page.wait_for_selector("[role=rowgroup]")
    assert first_id(page) == str(ORDERS[0]["oid"])
    # without the two copied headers the server answers result 109
    answer = page.evaluate("""() => fetch('/rest/app/tts/ks/seller/order/query/v2', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: '{}'}).then(r => r.json())""")
    assert answer["result"] == 109 and "orderList" not in answer


def test_the_dom_shows_every_expected_value_on_both_pages(page, srv):
    expected = json.loads((ks.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
    assert expected == ks.expected_pages()
    assert [len(p) for p in expected["pages"]] == [10, 4]
    open_list(page)
    assert read_page(page) == expected["pages"][0]
    close_notice(page)
    before = first_id(page)
    page.locator('li[title="下一页"]').click()
    page.wait_for_function("id => !document.querySelector('.ant-spin') && "
                           "!document.body.innerText.includes('订单编号：' + id)", arg=before)
    assert read_page(page) == expected["pages"][1]
    assert page.locator("li.ant-pagination-next").get_attribute("aria-disabled") == "true"
    assert [r["offset"] for r in srv.state("kuaishou-seller")["listRequests"]] == [0, 10]
    # the tricky cases are really on the page
    text = page.locator("body").inner_text()
    assert "交易关闭" in text and "已发货" in text
    flat = [o for p in expected["pages"] for o in p]
    assert any(o["buyer"]["address"]["district"] == o["buyer"]["address"]["detail"].split(" ")[0] for o in flat)


def open_dialog(page, order):
    card(page, order).get_by_role("button", name="发货").click()
    dialog = page.get_by_role("dialog", name="发货")
    dialog.wait_for()
    return dialog


def errors(dialog):
    return dialog.locator("[role=alert]").all_inner_texts()


def test_ship_dialog_dropdown_loads_late_in_a_portal_and_validates(page, srv):
    order = WAITING[0]
    open_list(page)
    close_notice(page)
    dialog = open_dialog(page, order)
    assert str(order["oid"]) in dialog.inner_text()
    dialog.get_by_role("button", name="确定").click()
    assert errors(dialog) == ["请选择物流公司", "请输入快递单号"]
    assert srv.state("kuaishou-seller")["shipRequests"] == []
    # the dropdown opens at body level (outside the dialog) and says 加载中… until the list arrives
    srv.sites["kuaishou-seller"].delay = (0.6, 0.6)
    try:
        page.locator("#ks_express_company").click()
        listbox = page.locator("body > [role=listbox]")
        listbox.get_by_text("加载中…").wait_for()
        assert listbox.locator("[role=option]").count() == 0
        listbox.locator("[role=option]").first.wait_for()
    finally:
        srv.sites["kuaishou-seller"].delay = (0.05, 0.15)
    assert dialog.locator("[role=option]").count() == 0
    titles = listbox.locator("[role=option]").evaluate_all("els => els.map(e => e.title)")
    assert titles == [n for _, n in ks.COURIERS] and "韵达快运" in titles and "韵达快递" in titles
    listbox.locator('[role=option][title="中通快递"]').click()
    assert page.locator("body > [role=listbox]").count() == 0
    assert dialog.locator("#ks_express_company").inner_text().strip().startswith("中通快递")
    # a React-controlled input: a bare `.value =` is lost
    number = dialog.get_by_placeholder("请输入快递单号")
    number.evaluate("el => { el.value = '78612345678901'; }")
    dialog.get_by_role("button", name="确定").click()
    assert "请输入快递单号" in errors(dialog)
    # a number that does not fit the courier: the server refuses, the dialog shows its message
    number.fill("SF1234567890123")
    dialog.get_by_role("button", name="确定").click()
    dialog.get_by_text("快递单号与物流公司不匹配，请核对后重新填写").wait_for()
    assert srv.state("kuaishou-seller")["shipped"] == []
    number.fill("78612345678901")
    with page.expect_response(lambda r: QUERY in r.url):  # the list re-queries after a ship
        dialog.get_by_role("button", name="确定").click()
    page.get_by_role("dialog", name="发货").wait_for(state="detached")
    shipped = srv.state("kuaishou-seller")["shipped"]
    assert [{k: s[k] for k in ("oid", "expressCode", "expressName", "expressNo", "by")} for s in shipped] == [
        {"oid": str(order["oid"]), "expressCode": 9, "expressName": "中通快递", "expressNo": "78612345678901", "by": "user"}]
    assert shipped[0]["at"].endswith("+08:00")
    row = card(page, order)
    page.wait_for_function("oid => [...document.querySelectorAll('[role=rowgroup]')].some(c => "
                           "c.innerText.includes(oid) && c.innerText.includes('已发货'))", arg=str(order["oid"]))
    assert row.get_by_role("button", name="发货").count() == 0


def test_a_script_driven_ship_records_script_and_a_stale_dialog_is_refused(page, browser, srv):
    order = WAITING[1]
    stale = browser.new_page()
    try:
        for pg in (stale, page):
            open_list(pg)
            close_notice(pg)
        # the stale tab opens its dialog before the order is shipped elsewhere
        stale_dialog = open_dialog(stale, order)
        page.evaluate("""oid => {
          const card = [...document.querySelectorAll('[role=rowgroup]')].find(c => c.innerText.includes(oid));
          [...card.querySelectorAll('button')].find(b => b.innerText.trim() === '发货').click();
        }""", str(order["oid"]))
        page.get_by_role("dialog", name="发货").wait_for()
        page.evaluate("() => document.getElementById('ks_express_company').click()")
        page.locator('body > [role=listbox] [role=option][title="圆通速递"]').wait_for()
        page.evaluate("""() => {
          document.querySelector('[role=option][title="圆通速递"]').click();
          const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
          const num = document.querySelector('input[placeholder*="单号"]');
          set.call(num, 'YT7512345678901'); num.dispatchEvent(new Event('input', {bubbles: true}));
        }""")
        page.evaluate("() => [...document.querySelectorAll('[role=dialog] button')].find(b => b.innerText.trim() === '确定').click()")
        page.get_by_role("dialog", name="发货").wait_for(state="detached")
        assert [(s["oid"], s["expressCode"], s["by"]) for s in srv.state("kuaishou-seller")["shipped"]] == [
            (str(order["oid"]), 6, "script")]
        # the stale dialog still shows the form: the server refuses a second shipment in Chinese
        stale.locator("#ks_express_company").click()
        stale.locator('body > [role=listbox] [role=option][title="圆通速递"]').click()
        stale_dialog.get_by_placeholder("请输入快递单号").fill("YT7512345678902")
        stale_dialog.get_by_role("button", name="确定").click()
        stale_dialog.get_by_text("订单状态已变更，请刷新后重试").wait_for()
        assert len(srv.state("kuaishou-seller")["shipped"]) == 1
    finally:
        stale.close()


def test_the_2026_changed_layout_differs_as_CHANGES_says(tmp_path):
    assert {c["expect"] for c in ks.CHANGES} == {"survive", "report"}
    with ReplicaServer(["kuaishou-seller"], layouts={"kuaishou-seller": "2026-changed"}, delay=(0, 0.05)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.set_default_timeout(8000)
            with page.expect_response(lambda r: QUERY in r.url) as info:
                open_list(page)
            row = info.value.json()["orderList"][0]
            assert "buyerPhone" not in row and re.fullmatch(r"1\d\d\*{4}\d{4}", row["consigneePhone"])  # reply-field
            assert page.locator('[class*="ant-"]').count() == 0 and page.locator('[class*="kpro-"]').count() > 0
            heads = page.locator("[role=columnheader]").all_inner_texts()
            assert heads[0] == "收货信息"                                                              # column-moved
            text = page.locator("[role=rowgroup]").first.inner_text()
            assert "订单号：" in text and "最晚发货时间：" in text and "订单编号：" not in text          # head-labels
            assert read_page(page) == ks.expected_pages()["pages"][0]   # a reader by meaning still gets the orders
            page.get_by_role("button", name="我知道了").click()
            dialog = open_dialog(page, WAITING[0])
            assert dialog.get_by_placeholder("请输入运单号").count() == 1                               # dialog-labels
            assert dialog.get_by_role("button", name="确认发货").count() == 1
            page.locator("#ks_express_company").click()
            # the options live in an open shadow root of <kpro-popup-layer> (popup-shadow-root)
            assert page.evaluate("() => document.querySelector('[role=listbox]')") is None
            page.wait_for_function("() => { const h = document.querySelector('kpro-popup-layer'); return h && "
                                   "h.shadowRoot.querySelectorAll('[role=option]').length > 0; }")
            page.locator('kpro-popup-layer [role=option][title="中通快递"]').click()
            dialog.get_by_placeholder("请输入运单号").fill("78612345678901")
            # return-address (report): a required choice with nothing chosen
            assert dialog.get_by_text("请选择退货地址").count() == 1
            dialog.get_by_role("button", name="确认发货").click()
            assert "请选择退货地址" in dialog.locator("[role=alert]").all_inner_texts()
            assert srv.state("kuaishou-seller")["shipRequests"] == []
        finally:
            ctx.close()


def test_a_generated_dataset_renders_on_one_page_with_the_pagesize_switch(tmp_path):
    data = ks.generate_dataset(60)
    with ReplicaServer(["kuaishou-seller"], layouts={"kuaishou-seller": "2026"}, datasets={"kuaishou-seller": data},
                       delay=(0, 0)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.goto(LIST_URL + "?pageSize=60", wait_until="domcontentloaded")
            page.wait_for_function("() => document.querySelectorAll('[role=rowgroup]').length === 60")
            assert srv.state("kuaishou-seller")["listRequests"][0]["limit"] == 60
            assert [o["order_id"] for o in read_page(page)] == [str(r["oid"]) for r in data["orderList"]]
        finally:
            ctx.close()
