"""The 2026 douyin-seller (抖店) replica behaves as its README says, in real Chromium at the real URLs.

No extension is loaded: these tests check the replica (the test bed), not the adapter. They read the
page with their own small reader, written from the README, never with the adapter.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import douyin_seller_2026 as dy

pytestmark = pytest.mark.browser

LIST_URL = "https://fxg.jinritemai.com/ffa/morder/order/list"
ORDERS = dy.load_orders()
WAITING = [o for o in ORDERS if o["order_status"] == 2]
SINGLE = [o for o in WAITING if len(o["product_item"]) == 1 and o["product_item"][0]["combo_num"] == 1]
MULTI = [o for o in WAITING if len(o["product_item"]) > 1]
SHIPPED = [o for o in ORDERS if o["order_status"] == 3]

# A reader of the list written from the README: rows grouped by the 订单编号 head row, cells mapped by
# the header titles (rowSpan'd order-level cells sit in the first goods row only).
READ_ROWS = r"""(px) => {
  const T = el => (el ? el.innerText : '').trim();
  const heads = [...document.querySelectorAll(`.${px}-table-thead th`)].map(T);
  const perLine = heads.filter(h => h === '商品信息' || h === '单价/数量');
  const out = [];
  let cur = null;
  for (const tr of document.querySelectorAll(`.${px}-table-tbody > tr`)) {
    const t = T(tr);
    const m = t.match(/订单(?:编)?号：\s*(\d{19})/);
    if (m) {
      cur = {id: m[1], created: t.match(/(?:下单|创建)时间：\s*([\d-]+ [\d:]+)/)[1],
             shipBy: t.match(/承诺发货时间：\s*([\d-]+ [\d:]+)/)[1], items: [], remark: ''};
      out.push(cur);
      continue;
    }
    if (t.startsWith('买家留言：')) { cur.remark = t.slice(5).trim(); continue; }
    const tds = [...tr.children];
    const names = cur.items.length ? perLine : heads;
    const cell = {};
    names.forEach((h, i) => { cell[h] = tds[i]; });
    const info = [...cell['商品信息'].querySelector('img').nextElementSibling.children].map(T);
    const price = [...cell['单价/数量'].children].map(T);
    cur.items.push({title: info[0], sku: info[1], price: price[0], qty: price[1]});
    if (cur.items.length === 1) {
      const recv = cell['收货信息'].children;
      const spans = recv[1].querySelectorAll('span');
      cur.name = T(spans[0]); cur.phone = T(spans[1]); cur.address = T(recv[2]);
      cur.status = T(cell['订单状态']);
      cur.amount = T(cell['实付金额'].children[0]);
      cur.url = [...cell['操作'].querySelectorAll('a')].find(a => T(a) === '订单详情').href;
    }
  }
  const shop = T(document.querySelector('#fxg-pc-header [title]'));
  return out.map(o => Object.assign(o, {shop}));
}"""


def to_model(r: dict) -> dict:
    province, city, district, detail = (r["address"].split(" ", 3) + ["", "", "", ""])[:4]
    return {
        "order_id": r["id"], "shop": r["shop"], "status": r["status"],
        "created_at": r["created"].replace(" ", "T") + "+08:00",
        "ship_by": r["shipBy"].replace(" ", "T") + "+08:00",
        "buyer": {"name": r["name"], "phone": r["phone"],
                  "address": {"province": province, "city": city, "district": district, "detail": detail}},
        "items": [{"title": i["title"], "sku": i["sku"], "quantity": int(i["qty"].lstrip("x")),
                   "price": i["price"].lstrip("¥")} for i in r["items"]],
        "amount": r["amount"].lstrip("¥"), "remark": r["remark"], "url": r["url"],
    }


def read_page(page, px="auxo") -> list[dict]:
    return [to_model(r) for r in page.evaluate(READ_ROWS, px)]


@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer(["douyin-seller"], layouts={"douyin-seller": "2026"}, delay=(0.05, 0.15)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("dy2026") / "profile",
                              resolver_rules=srv.host_resolver_rules())
    yield context
    context.close()


@pytest.fixture
def page(browser, srv):
    srv.reset()
    pg = browser.new_page()
    pg.set_default_timeout(8000)
    yield pg
    pg.close()


def first_id(page, px="auxo"):
    return page.evaluate(r"""(px) => { const m = (document.querySelector(`.${px}-table-tbody`) || {innerText: ''})
        .innerText.match(/订单(?:编)?号：\s*(\d{19})/); return m ? m[1] : null; }""", px)


def open_list(page, px="auxo"):
    page.goto(LIST_URL, wait_until="domcontentloaded")
    page.wait_for_function("px => document.querySelectorAll(`.${px}-table-tbody tr[data-row-key]`).length > 0", arg=px)


def test_rows_arrive_only_from_the_searchlist_reply_in_the_documented_shape(page, srv):
    srv.sites["douyin-seller"].delay = (0.8, 0.8)
    try:
        with page.expect_response(lambda r: "/api/order/searchlist" in r.url) as info:
            page.goto(LIST_URL, wait_until="domcontentloaded")
            page.wait_for_selector(".auxo-table-thead th")
            assert page.locator(".auxo-table-tbody tr").count() == 0  # nothing in the HTML itself
        resp = info.value
    finally:
        srv.sites["douyin-seller"].delay = (0.05, 0.15)
    q = {k: v[0] for k, v in parse_qs(urlsplit(resp.url).query).items()}
    assert q["page"] == "0" and q["pageSize"] == "20" and q["tab"] == "all"
    assert q["order_by"] == "create_time" and q["order"] == "desc" and q["_bid"] == "ffa_order" and q["aid"] == "4272"
    assert all(q.get(k) for k in ("msToken", "a_bogus", "verifyFp", "fp", "__token"))
    body = resp.json()
    assert body["code"] == 0 and body["total"] == 25 and len(body["data"]) == 20
    row = body["data"][0]
    assert isinstance(row["shop_order_id"], str) and re.fullmatch(r"\d{19}", row["shop_order_id"])
    assert isinstance(row["pay_amount"], int) and isinstance(row["create_time"], int)  # fen, unix seconds
    recv = row["receiver_info"]
    assert "*" in recv["post_receiver"] and re.fullmatch(r"1\d\d\*{4}\d{4}", recv["post_tel"])
    assert set(recv["post_addr"]) == {"province", "city", "town", "street", "detail"}
    assert all("name" in recv["post_addr"][k] for k in ("province", "city", "town", "street"))
    assert {"product_name", "sku_spec", "combo_num", "price", "after_sale_info"} <= set(row["product_item"][0])
    assert row["user_nickname"] and "order_status_text" in row["order_status_info"]
    page.wait_for_selector(".auxo-table-tbody tr[data-row-key]")
    assert first_id(page) == ORDERS[0]["shop_order_id"]


def test_the_dom_shows_every_expected_value_on_both_pages(page, srv):
    expected = json.loads((dy.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
    assert expected == dy.expected_pages()
    open_list(page)
    assert read_page(page) == expected["pages"][0]
    assert len(expected["pages"][0]) == 20 and len(expected["pages"][1]) == 5
    # the onboarding popup covers the page until 知道了
    page.get_by_role("button", name="知道了").click()
    page.locator(".auxo-modal-root").wait_for(state="detached")
    before = first_id(page)
    page.locator('li[title="下一页"]').click()
    page.wait_for_function("id => !document.querySelector('.auxo-spin-spinning') && "
                           "!document.querySelector('.auxo-table-tbody').innerText.includes(id)", arg=before)
    assert read_page(page) == expected["pages"][1]
    assert page.locator("li.auxo-pagination-next").get_attribute("aria-disabled") == "true"
    assert [r["page"] for r in srv.state("douyin-seller")["listRequests"]] == [0, 1]


def ship_url(order):
    return dy.SHIP_URL.format(id=order["shop_order_id"])


def open_ship(page, order):
    page.goto(ship_url(order), wait_until="domcontentloaded")
    page.wait_for_selector("#deliveryForm")


def error_texts(page):
    return page.locator('[role="alert"].auxo-form-item-explain-error').all_inner_texts()


def pick(page, search, title):
    page.locator("#rc_select_1").fill(search)
    page.locator(f'.auxo-select-dropdown .auxo-select-item-option[title="{title}"]').click()
    assert page.locator(".auxo-select-selection-item").filter(has_text=title).count() == 1


def test_ship_page_select_controlled_input_validation_and_a_trusted_submit(page, srv):
    order = SINGLE[0]
    open_ship(page, order)
    assert order["shop_order_id"] in page.locator(".auxo-card").first.inner_text()
    number = page.locator('input[placeholder*="单号"]')
    assert number.count() == 1 and number.get_attribute("id") == "logistics_code"
    # nothing chosen, nothing typed: the page itself refuses, nothing is sent
    page.get_by_role("button", name="确认发货").click()
    assert error_texts(page) == ["请选择物流公司", "请输入运单号"]
    # a plain `.value =` does not reach React: reverted on the next render, still an error
    number.evaluate("el => { el.value = '78612345678901'; }")
    number.focus()
    page.get_by_role("button", name="确认发货").click()
    assert number.input_value() == "" and "请输入运单号" in error_texts(page)
    assert srv.state("douyin-seller")["shipRequests"] == []
    # the courier select: a virtual list (only a window of the ~70 options is in the DOM), searchable
    page.locator(".auxo-select-selector").nth(1).click()
    shown = page.locator(".auxo-select-dropdown .auxo-select-item-option").count()
    assert 0 < shown < len(dy.COURIERS)
    page.keyboard.press("Escape")
    page.locator("#rc_select_1").fill("中通")
    titles = page.locator(".auxo-select-dropdown .auxo-select-item-option").evaluate_all("els => els.map(e => e.title)")
    assert titles == ["中通快递(常用)", "中通冷链", "中通快运", "中通国际"]
    page.locator('.auxo-select-item-option[title="中通快递(常用)"]').click()
    # a number that does not fit the courier: the server answers in Chinese, the page shows it
    number.fill("SF1234567890123")
    page.get_by_role("button", name="确认发货").click()
    page.get_by_text("运单号与所选物流公司不匹配，请核对后重新输入").first.wait_for()
    assert srv.state("douyin-seller")["shipped"] == []
    number.fill("78612345678901")
    page.get_by_role("button", name="确认发货").click()
    page.locator(".auxo-result-success").wait_for()
    shipped = srv.state("douyin-seller")["shipped"]
    assert len(shipped) == 1
    assert {k: shipped[0][k] for k in ("order_id", "company_code", "company_name", "tracking_number", "by")} == {
        "order_id": order["shop_order_id"], "company_code": "zhongtong", "company_name": "中通快递(常用)",
        "tracking_number": "78612345678901", "by": "user"}
    assert shipped[0]["at"].endswith("+08:00")


def test_a_script_click_records_script_and_a_second_submit_is_refused(page, browser, srv):
    order = SINGLE[1]
    stale = browser.new_page()
    try:
        open_ship(stale, order)
        open_ship(page, order)
        # fill the way a content script must: the native value setter + a bubbling event
        page.evaluate("""() => {
          const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
          const num = document.querySelector('input[placeholder*="单号"]');
          set.call(num, 'SF1234567890123'); num.dispatchEvent(new Event('input', {bubbles: true}));
          const sel = document.getElementById('rc_select_1');
          set.call(sel, '顺丰速运'); sel.dispatchEvent(new Event('input', {bubbles: true}));
        }""")
        page.locator('.auxo-select-item-option[title="顺丰速运(常用)"]').wait_for()
        page.locator("#rc_select_1").press("Enter")
        assert page.locator(".auxo-select-selection-item").nth(1).inner_text() == "顺丰速运(常用)"
        page.evaluate("() => [...document.querySelectorAll('button')].find(b => b.innerText.trim() === '确认发货').click()")
        page.locator(".auxo-result-success").wait_for()
        assert [s["by"] for s in srv.state("douyin-seller")["shipped"]] == ["script"]
        # the stale tab still shows the form: the server refuses the second shipment in Chinese
        pick(stale, "顺丰", "顺丰速运(常用)")
        stale.locator("#logistics_code").fill("SF1234567890124")
        stale.get_by_role("button", name="确认发货").click()
        stale.get_by_text("该订单已发货，请勿重复操作").first.wait_for()
        assert len(srv.state("douyin-seller")["shipped"]) == 1
    finally:
        stale.close()
    # an order already shipped shows no form at all
    page.goto(ship_url(SHIPPED[0]), wait_until="domcontentloaded")
    page.get_by_text("订单当前状态为「已发货」，无需发货").wait_for()
    assert page.locator("#logistics_code").count() == 0


def test_the_2026_changed_layout_differs_as_CHANGES_says(tmp_path):
    assert {c["expect"] for c in dy.CHANGES} == {"survive", "report"}
    with ReplicaServer(["douyin-seller"], layouts={"douyin-seller": "2026-changed"}, delay=(0, 0.05)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.set_default_timeout(8000)
            with page.expect_response(lambda r: "/api/order/searchlist" in r.url) as info:
                open_list(page, "aurora")
            row = info.value.json()["data"][0]["receiver_info"]
            assert "post_tel" not in row and re.fullmatch(r"1\d\d\*{4}\d{4}", row["post_tel_mask"])  # reply-field
            assert page.locator('[class*="auxo-"]').count() == 0 and page.locator(".aurora-select").count() > 0
            heads = page.locator(".aurora-table-thead th").all_inner_texts()
            assert heads.index("订单状态") == 1                                                   # column-moved
            assert "订单号：" in page.locator(".aurora-table-tbody").inner_text()                  # head-label
            assert "订单编号：" not in page.locator(".aurora-table-tbody").inner_text()
            # a reader by meaning still gets the same orders
            assert read_page(page, "aurora") == dy.expected_pages()["pages"][0]
            # ship page, one piece: new wording, number field first
            page.goto(ship_url(SINGLE[0]), wait_until="domcontentloaded")
            page.wait_for_selector("#deliveryForm")
            labels = page.locator(".aurora-form-item-label label").all_inner_texts()
            assert labels[-2:] == ["快递单号", "快递公司"]                                         # ship-field-order
            assert page.locator('input[placeholder="请填写快递单号"]').count() == 1                  # ship-labels
            assert page.get_by_role("button", name="提交发货").count() == 1
            # ship page, several pieces: a package choice first, no courier/number field at all
            page.goto(ship_url(MULTI[0]), wait_until="domcontentloaded")
            page.wait_for_selector("#deliveryForm")
            assert page.locator('input[type="radio"][name="pack"]:checked').count() == 0          # ship-package-choice
            assert page.locator('input[placeholder*="单号"]').count() == 0
            assert page.locator("#rc_select_1").count() == 0
            page.get_by_role("button", name="提交发货").click()
            page.get_by_text("请选择包裹方式").wait_for()
            assert srv.state("douyin-seller")["shipRequests"] == []
        finally:
            ctx.close()
