"""The 2026 xhs-seller (小红书千帆) replica behaves as its README says, in real Chromium at the real URL.

No extension is loaded: these tests check the replica (the test bed), not the adapter. They read the page
with their own small reader, written from the README, never with the adapter.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import xhs_seller_2026 as xhs

pytestmark = pytest.mark.browser

LIST_URL = "https://ark.xiaohongshu.com/app-order/order/query"
PAGE_API = "/api/edith/fulfillment/order/page"
PACKAGES = xhs.load_packages()
FIRST_PAGE = PACKAGES[:20]
WAITING = [p for p in FIRST_PAGE if p["status"] == 5]

# A reader written from the README: one <tbody> per package; its first row is the head (订单号/包裹号, 下单时间,
# 最晚发货时间); then one row per goods line, the first carrying every column in header order, the others only
# 商品信息/单价/数量; an optional last row 买家备注：….
READ_ROWS = r"""() => {
  const T = el => (el ? el.innerText : '').trim();
  const heads = [...document.querySelectorAll('table thead th')].map(T);
  const perSku = heads.filter(h => ['商品信息', '单价', '数量'].includes(h));
  const shop = T(document.querySelector('header [title]'));
  return [...document.querySelectorAll('table > tbody')].map(tb => {
    const trs = [...tb.children];
    const head = T(trs[0]);
    const out = {id: head.match(/(?:订单|包裹)号：\s*(P\d+)/)[1], created: head.match(/下单时间：\s*([\d-]+ [\d:]+)/)[1],
                 shipBy: head.match(/最晚发货时间：\s*([\d-]+ [\d:]+)/)[1], items: [], remark: '', shop};
    trs.slice(1).forEach((tr, k) => {
      if (T(tr).startsWith('买家备注：')) { out.remark = T(tr).slice(5).trim(); return; }
      const names = k === 0 ? heads : perSku, c = {};
      names.forEach((h, i) => { c[h] = tr.children[i]; });
      const info = c['商品信息'].querySelector('img').nextElementSibling.children;
      out.items.push({title: T(info[0]), sku: T(info[1]), price: T(c['单价']), qty: T(c['数量'])});
      if (k === 0) {
        const r = c['收货信息'].children, who = r[1].querySelectorAll('span');
        Object.assign(out, {name: T(who[0]), phone: T(who[1]), address: T(r[2]),
          status: c['订单状态'].children[0].firstChild.textContent.trim(), amount: T(c['实付金额'].children[0]),
          url: [...c['操作'].querySelectorAll('a')].find(a => T(a) === '查看详情').href});
      }
    });
    return out;
  });
}"""


def to_model(r: dict) -> dict:
    province, city, district, detail = (r["address"].split(" ", 3) + ["", "", "", ""])[:4]
    return {
        "order_id": r["id"], "shop": r["shop"], "status": r["status"],
        "created_at": r["created"].replace(" ", "T") + "+08:00", "ship_by": r["shipBy"].replace(" ", "T") + "+08:00",
        "buyer": {"name": r["name"], "phone": r["phone"],
                  "address": {"province": province, "city": city, "district": district, "detail": detail}},
        "items": [{"title": i["title"], "sku": i["sku"], "quantity": int(i["qty"].lstrip("x")),
                   "price": i["price"].lstrip("¥")} for i in r["items"]],
        "amount": r["amount"].lstrip("¥"), "remark": r["remark"], "url": r["url"],
    }


def read_page(page) -> list[dict]:
    return [to_model(r) for r in page.evaluate(READ_ROWS)]


@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer(["xhs-seller"], layouts={"xhs-seller": "2026"}, delay=(0.05, 0.15)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("xhs2026") / "profile", resolver_rules=srv.host_resolver_rules())
    yield context
    context.close()


@pytest.fixture
def page(browser, srv):
    srv.reset()
    pg = browser.new_page()
    pg.set_default_timeout(8000)
    yield pg
    pg.close()


def open_list(page, close=True):
    page.goto(LIST_URL, wait_until="domcontentloaded")
    page.wait_for_selector("table > tbody")
    if close:
        page.get_by_role("button", name="知道了").click()
        page.get_by_text("千帆公告").wait_for(state="detached")


def package(page, pid):
    return page.locator("table > tbody").filter(has_text=pid)


def test_rows_arrive_only_from_order_page_in_the_documented_shape(page, srv):
    srv.sites["xhs-seller"].delay = (0.8, 0.8)
    try:
        with page.expect_response(lambda r: PAGE_API in r.url) as info:
            page.goto(LIST_URL, wait_until="domcontentloaded")
            page.wait_for_selector("table thead th")
            assert page.locator("table > tbody").count() == 0  # nothing in the HTML itself
        resp = info.value
    finally:
        srv.sites["xhs-seller"].delay = (0.05, 0.15)
    sent = resp.request.post_data_json
    assert (sent["page_no"], sent["page_size"], sent["status"]) == (1, 20, [])
    assert sent["sort_by"] == {"sort_field": "ordered_at", "desc": True} and sent["time_range_list"][0]["time_type"] == 3
    assert sent["time_range_list"][0]["end_time"] > 10**12                                     # ms
    headers = resp.request.all_headers()
    assert headers["x-s"] and headers["x-t"] and headers["x-s-common"]
    body = resp.json()
    assert body["code"] == 0 and body["success"] is True and body["data"]["total"] == len(PACKAGES)
    pkgs = body["data"]["packages"]
    assert len(pkgs) == 20 and all(re.fullmatch(r"P\d{18}", p["packageId"]) for p in pkgs)
    p = pkgs[0]
    assert isinstance(p["orderedAt"], int) and p["orderedAt"] > 10**12 and isinstance(p["actualPaid"], float)
    assert {"nickName", "name", "phone", "address"} <= set(p["userInfo"]) and "*" in p["userInfo"]["phone"]
    assert {"displayName", "skuSpecification", "skuQuantity", "skuSoldPrice"} <= set(p["skus"][0])
    # the status filter must be a list: a number is an illegal filter and yields no packages
    answer = page.evaluate("""() => { const x = new XMLHttpRequest(); x.open('POST', '/api/edith/fulfillment/order/page', false);
        x.setRequestHeader('x-s', 'a'); x.setRequestHeader('x-t', '1'); x.send(JSON.stringify({page_no: 1, status: 2}));
        return JSON.parse(x.responseText); }""")
    assert answer["code"] == 0 and answer["data"]["packages"] == []
    unsigned = page.evaluate("() => fetch('/api/edith/fulfillment/order/page', {method: 'POST', body: '{}'}).then(r => r.json())")
    assert unsigned["code"] != 0 and unsigned["success"] is False


def test_the_dom_shows_every_expected_value_on_both_pages(page, srv):
    expected = json.loads((xhs.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
    assert expected == xhs.expected_pages()
    assert [len(p) for p in expected["pages"]] == [20, 4]
    open_list(page, close=False)
    assert read_page(page) == expected["pages"][0]
    page.get_by_role("button", name="知道了").click()
    first = expected["pages"][0][0]["order_id"]
    page.locator('li[aria-label="下一页"]').click()
    page.wait_for_function("id => !document.querySelector('.d-loading') && !document.body.innerText.includes(id)", arg=first)
    assert read_page(page) == expected["pages"][1]
    assert page.locator('li[aria-label="下一页"]').get_attribute("aria-disabled") == "true"
    assert [r["page_no"] for r in srv.state("xhs-seller")["listRequests"]] == [1, 2]
    flat = [o for p in expected["pages"] for o in p]
    assert any(len(o["items"]) == 3 for o in flat) and {"已发货", "已取消", "已完成", "待配货"} <= {o["status"] for o in flat}


def drawer(page):
    d = page.get_by_role("dialog", name="批量发货")
    d.wait_for()
    return d


def row_of(d, pid):
    return d.locator("tbody tr").filter(has_text=pid)


def test_batch_drawer_search_selects_per_row_validation_and_partial_failure(page, srv):
    a, b = WAITING[0], WAITING[2]
    open_list(page)
    assert page.get_by_role("button", name="批量发货").is_disabled()
    for p in (a, b):
        package(page, p["packageId"]).get_by_role("checkbox", name="选择包裹").check()
    page.get_by_text("已选 2 个包裹").wait_for()
    page.get_by_role("button", name="批量发货").click()
    d = drawer(page)
    assert d.locator("tbody tr").count() == 2
    ra, rb = row_of(d, a["packageId"]), row_of(d, b["packageId"])
    rb.get_by_role("combobox").click()
    rb.get_by_role("option").first.wait_for()
    reqs = srv.state("xhs-seller")["courierRequests"]
    assert reqs[-1]["send_from"] == "001" and reqs[-1]["package_id_list"] == [a["packageId"], b["packageId"]]
    page.keyboard.press("Escape")
    d.get_by_role("button", name="确认发货").click()
    assert d.locator("[role=alert]").all_inner_texts() == ["请选择物流公司", "请选择物流公司"]
    assert srv.state("xhs-seller")["shipRequests"] == []
    # type to filter: look-alikes come along
    ra.get_by_role("combobox").fill("中通")
    assert ra.get_by_role("option").all_inner_texts() == ["中通快递", "中通快运", "中通国际"]
    ra.get_by_role("option", name="中通快递").click()
    assert ra.get_by_role("combobox").input_value() == "中通快递"
    ra.get_by_placeholder("请输入运单号").fill("78612345678901")
    rb.get_by_role("combobox").fill("顺丰")
    assert rb.get_by_role("option").all_inner_texts() == ["顺丰速运", "顺丰快运", "顺丰国际"]
    rb.get_by_role("combobox").press("Enter")                     # Enter takes the first match
    assert rb.get_by_role("combobox").input_value() == "顺丰速运"
    rb.get_by_placeholder("请输入运单号").fill("SF12345")
    d.get_by_role("button", name="确认发货").click()
    ra.get_by_text("发货成功").wait_for()
    rb.get_by_text("运单号格式错误，请核对后重新填写").wait_for()
    shipped = srv.state("xhs-seller")["shipped"]
    assert [(s["packageId"], s["expressCompanyCode"], s["expressNo"], s["deliveryGroup"], s["by"]) for s in shipped] == [
        (a["packageId"], "zhongtong", "78612345678901", False, "user")]
    assert ra.get_by_role("combobox").is_disabled()                # a shipped row is done
    rb.get_by_placeholder("请输入运单号").fill("SF1234567890123")
    with page.expect_response(lambda r: PAGE_API in r.url):        # the list re-queries once all rows are shipped
        d.get_by_role("button", name="确认发货").click()
    page.get_by_role("dialog", name="批量发货").wait_for(state="detached")
    sent = srv.state("xhs-seller")["shipRequests"]
    assert [r["body"]["delivery_package_id"] for r in sent] == [a["packageId"], b["packageId"], b["packageId"]]
    assert sent[-1]["body"] == {"delivery_package_id": b["packageId"], "package_id": b["packageId"], "delivery_group": False,
                                "express_company_code": "shunfeng", "express_no": "SF1234567890123", "plan_info_id": ""}
    page.wait_for_function("ids => ids.every(id => [...document.querySelectorAll('table > tbody')].some(t => "
                           "t.innerText.includes(id) && t.innerText.includes('已发货')))", arg=[a["packageId"], b["packageId"]])


def test_a_row_shipped_by_script_records_script(page, srv):
    p = WAITING[1]
    open_list(page)
    package(page, p["packageId"]).get_by_role("button", name="发货").click()
    d = drawer(page)
    assert d.locator("tbody tr").count() == 1
    d.get_by_role("combobox").click()
    d.get_by_role("option").first.wait_for()
    page.keyboard.press("Escape")
    page.evaluate("""() => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const box = document.querySelector('[role=dialog] input[role=combobox]');
      box.focus(); set.call(box, '极兔'); box.dispatchEvent(new Event('input', {bubbles: true}));
    }""")
    d.get_by_role("option", name="极兔速递").wait_for()
    page.evaluate("""() => {
      document.querySelector('[role=dialog] [role=option][title="极兔速递"]').click();
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const num = document.querySelector('[role=dialog] input[placeholder*="单号"]');
      set.call(num, 'JT5012345678902'); num.dispatchEvent(new Event('input', {bubbles: true}));
      [...document.querySelectorAll('[role=dialog] button')].find(b => b.innerText.trim() === '确认发货').click();
    }""")
    page.get_by_role("dialog", name="批量发货").wait_for(state="detached")
    assert [(s["packageId"], s["expressCompanyCode"], s["by"]) for s in srv.state("xhs-seller")["shipped"]] == [
        (p["packageId"], "jtexpress", "script")]
    # a package that is not 待发货 cannot be chosen for shipping
    not_ready = next(x for x in FIRST_PAGE if x["status"] == 4)
    assert package(page, not_ready["packageId"]).get_by_role("checkbox", name="选择包裹").is_disabled()
    assert package(page, not_ready["packageId"]).get_by_role("button", name="发货").count() == 0


def test_the_2026_changed_layout_differs_as_CHANGES_says(tmp_path):
    assert {c["expect"] for c in xhs.CHANGES} == {"survive", "report"}
    same_buyer = [p for p in WAITING if p["userInfo"]["userId"] == WAITING[1]["userInfo"]["userId"]]
    assert len(same_buyer) == 2
    with ReplicaServer(["xhs-seller"], layouts={"xhs-seller": "2026-changed"}, delay=(0, 0.05)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.set_default_timeout(8000)
            with page.expect_response(lambda r: PAGE_API in r.url) as info:
                open_list(page, close=False)
            p0 = info.value.json()["data"]["packages"][0]
            assert "promiseShipTime" not in p0 and p0["promiseLastDeliveryTime"] > 10**12          # reply-field
            assert page.locator('[class^="d-"], [class*=" d-"]').count() == 0
            assert page.locator('[class^="ark-"], [class*=" ark-"]').count() > 0                   # component-prefix
            heads = page.locator("table thead th").all_inner_texts()
            assert heads.index("收货信息") == len(heads) - 2                                         # column-moved
            assert "包裹号：" in page.locator("table > tbody").first.inner_text()                     # id-label
            assert read_page(page) == xhs.expected_pages()["pages"][0]   # a reader by meaning still gets the orders
            page.get_by_role("button", name="知道了").click()
            for p in same_buyer + [WAITING[0]]:
                package(page, p["packageId"]).get_by_role("checkbox", name="选择包裹").check()
            page.get_by_role("button", name="批量发货").click()
            # the drawer lives in an open shadow root (drawer-shadow-root)
            page.wait_for_function("() => { const h = document.querySelector('ark-drawer-host'); "
                                   "return h && h.shadowRoot.querySelector('[role=dialog]'); }")
            assert page.evaluate("() => document.querySelector('[role=dialog] input')") is None
            d = drawer(page)
            assert d.locator("thead th").all_inner_texts() == ["商品", "包裹号", "收货人", "快递单号", "快递公司", "结果"]
            assert d.get_by_placeholder("请输入快递单号").count() == 2                                 # drawer-labels
            # merge-rows (report): the two packages of one buyer share one row, one courier and one number
            assert d.locator("tbody tr").count() == 2
            merged = d.locator("tbody tr").filter(has_text="合并发货（2个包裹）")
            assert all(merged.get_by_text(p["packageId"]).count() == 1 for p in same_buyer)
            assert merged.get_by_role("combobox").count() == 1 and merged.get_by_placeholder("请输入快递单号").count() == 1
        finally:
            ctx.close()


def test_a_generated_dataset_renders_on_one_page_with_the_pagesize_switch(tmp_path):
    data = xhs.generate_dataset(60)
    with ReplicaServer(["xhs-seller"], layouts={"xhs-seller": "2026"}, datasets={"xhs-seller": data}, delay=(0, 0)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.goto(LIST_URL + "?pageSize=60", wait_until="domcontentloaded")
            page.wait_for_function("() => document.querySelectorAll('table > tbody').length === 60")
            assert srv.state("xhs-seller")["listRequests"][0]["page_size"] == 60
            assert [o["order_id"] for o in read_page(page)] == [p["packageId"] for p in data["packages"]]
        finally:
            ctx.close()
