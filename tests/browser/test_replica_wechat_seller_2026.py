"""The 2026 wechat-seller (微信小店) replica behaves as its README says, in real Chromium at the real URL.

No extension is loaded: these tests check the replica (the test bed), not the adapter. They read the page
with their own small reader, written from the README, never with the adapter.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import wechat_seller_2026 as wx

pytestmark = pytest.mark.browser

LIST_URL = "https://store.weixin.qq.com/shop/order/list"
SEARCH = "/list/cgi/orderSearch"
ORDERS = wx.load_orders()
WAITING = [o for o in ORDERS if o["commonInfo"]["status"] == 20]
SINGLE = [o for o in WAITING if len(o["orderProductInfo"]) == 1]
MULTI = [o for o in WAITING if len(o["orderProductInfo"]) > 1]

# A reader written from the README: a header table (thead) names the columns; then one table per order whose
# first row is the head (订单号 <id>, 下单时间 …, 发货截止时间 …), then one row per product (the first carries every
# column in header order, the others only 商品 and 售价/数量), then an optional 用户备注：… row.
READ_ROWS = r"""(shadow) => {
  const R = shadow ? document.querySelector('wujie-app').shadowRoot : document;
  const T = el => (el ? el.innerText : '').trim();
  const heads = [...R.querySelectorAll('thead th')].map(T);
  const per = heads.filter(h => h === '商品' || h === '售价/数量');
  const shop = T(R.querySelector('span[title]'));
  return [...R.querySelectorAll('table')].filter(t => !t.tHead).map(t => {
    const trs = [...t.tBodies[0].rows], head = T(trs[0]);
    const out = {id: head.match(/订单(?:编)?号\s+(\d+)/)[1], created: head.match(/下单时间\s+([\d-]+ [\d:]+)/)[1],
                 shipBy: head.match(/发货截止时间\s+([\d-]+ [\d:]+)/)[1], items: [], remark: '', shop};
    trs.slice(1).forEach((tr, k) => {
      if (T(tr).startsWith('用户备注：')) { out.remark = T(tr).slice(5).trim(); return; }
      const c = {};
      (k === 0 ? heads : per).forEach((h, i) => { c[h] = tr.cells[i]; });
      const info = c['商品'].querySelector('img').nextElementSibling.children;
      out.items.push({title: T(info[0]), sku: T(info[1]), price: T(c['售价/数量'].children[0]), qty: T(c['售价/数量'].children[1])});
      if (k === 0) {
        const who = c['收货信息'].children[0].querySelectorAll('span');
        Object.assign(out, {name: T(who[0]), phone: T(who[1]), address: T(c['收货信息'].children[1]),
          status: T(c['订单状态'].children[0]), amount: T(c['实付款'].children[0]),
          url: [...c['操作'].querySelectorAll('a')].find(a => T(a) === '详情').href});
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
        "items": [{"title": i["title"], "sku": i["sku"], "quantity": int(i["qty"].lstrip("×")),
                   "price": i["price"].lstrip("¥")} for i in r["items"]],
        "amount": r["amount"].lstrip("¥"), "remark": r["remark"], "url": r["url"],
    }


def read_page(page, shadow=False) -> list[dict]:
    return [to_model(r) for r in page.evaluate(READ_ROWS, shadow)]


@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer(["wechat-seller"], layouts={"wechat-seller": "2026"}, delay=(0.05, 0.15)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("wx2026") / "profile", resolver_rules=srv.host_resolver_rules())
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
    page.locator("table").nth(1).wait_for()  # the header table, then one table per order
    if close:
        page.get_by_role("button", name="确定").click()
        page.get_by_role("dialog", name="发货提醒").wait_for(state="detached")


def order_table(page, order):
    return page.locator("table").filter(has_text=order["commonInfo"]["orderId"])


def call(page, sub, body):
    """A request the way the page makes it (biz_magic copied from the cookie), to see the server's answers."""
    return page.evaluate("""([sub, body]) => fetch('/shop-faas/mmchannelstradeorder/' + sub + '?token=&lang=zh_CN', {
        method: 'POST', headers: {'Content-Type': 'application/json',
        biz_magic: document.cookie.split('; ').find(c => c.startsWith('biz_magic=')).slice(10)},
        body: JSON.stringify(body)}).then(r => r.json())""", [sub, body])


def test_rows_arrive_only_from_order_search_in_the_documented_shape(page, srv):
    srv.sites["wechat-seller"].delay = (0.8, 0.8)
    try:
        with page.expect_response(lambda r: SEARCH in r.url) as info:
            page.goto(LIST_URL, wait_until="domcontentloaded")
            page.wait_for_selector("thead th")
            assert page.locator("table").count() == 1  # only the header table: nothing in the HTML itself
        resp = info.value
    finally:
        srv.sites["wechat-seller"].delay = (0.05, 0.15)
    assert resp.url.endswith("/shop-faas/mmchannelstradeorder/list/cgi/orderSearch?token=&lang=zh_CN")
    sent = resp.request.post_data_json
    assert {k: sent[k] for k in ("isSearch", "pageSize", "pageNum", "orderStatus", "onAftersaleOrderExist")} == {
        "isSearch": False, "pageSize": 10, "pageNum": 1, "orderStatus": 0, "onAftersaleOrderExist": 0}
    assert "pengingShipOneDay" in sent and "waybillStatus" in sent
    headers = resp.request.all_headers()
    cookies = {c["name"]: c["value"] for c in page.context.cookies(LIST_URL)}
    assert headers["biz_magic"] == cookies["biz_magic"] and headers["potter-scene"] == "weixinShop"
    body = resp.json()
    assert body["code"] == 0 and body["totalNum"] == len(ORDERS) and len(body["orderList"]) == 10
    row = body["orderList"][0]
    assert isinstance(row["commonInfo"]["orderId"], str) and re.fullmatch(r"\d{19}", row["commonInfo"]["orderId"])
    assert isinstance(row["commonInfo"]["createTime"], int) and row["commonInfo"]["createTime"] < 10**11  # seconds
    assert isinstance(row["priceInfo"]["orderPrice"], str) and row["priceInfo"]["orderPrice"].isdigit()   # fen, a string
    assert isinstance(row["orderProductInfo"][0]["saleParam"], list) and row["buyerInfo"]["nickName"]
    assert re.fullmatch(r"1\d\d\*{4}\d{4}", row["deliveryInfo"]["addressInfo"]["telNumber"])
    # past the last page the server says 10003; without biz_magic it says -1001
    assert call(page, "list/cgi/orderSearch", {"pageNum": 3, "pageSize": 10})["code"] == 10003
    signed_out = page.evaluate("""() => fetch('/shop-faas/mmchannelstradeorder/list/cgi/orderSearch?token=&lang=zh_CN',
        {method: 'POST', body: '{}'}).then(r => r.json())""")
    assert signed_out["code"] == -1001 and "orderList" not in signed_out


def test_the_dom_shows_every_expected_value_on_both_pages(page, srv):
    expected = json.loads((wx.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
    assert expected == wx.expected_pages()
    assert [len(p) for p in expected["pages"]] == [10, 3]
    open_list(page, close=False)
    assert read_page(page) == expected["pages"][0]
    page.get_by_role("button", name="确定").click()
    first = expected["pages"][0][0]["order_id"]
    page.get_by_role("button", name="下一页").click()
    page.wait_for_function("id => !document.body.innerText.includes(id) && document.body.innerText.includes('2/2')", arg=first)
    assert read_page(page) == expected["pages"][1]
    assert page.get_by_role("button", name="下一页").is_disabled()
    assert [r["pageNum"] for r in srv.state("wechat-seller")["listRequests"]] == [1, 2]
    flat = [o for p in expected["pages"] for o in p]
    # a shipped order shows 待收货 (never 已发货); a cancelled one and an after-sale one are there too
    assert {"待发货", "待收货", "已完成", "已取消"} <= {o["status"] for o in flat}


def dialog_of(page):
    d = page.get_by_role("dialog", name="订单发货")
    d.wait_for()
    d.locator("select").wait_for()
    return d


def test_ship_dialog_native_select_validation_and_the_evidence_error_texts(page, srv):
    order = SINGLE[0]
    oid = order["commonInfo"]["orderId"]
    open_list(page)
    with page.expect_request(lambda r: "/ship/cgi/initShipData" in r.url) as req:
        order_table(page, order).get_by_role("button", name="发货").click()
    assert req.value.post_data_json == {"id": oid}
    d = dialog_of(page)
    assert oid in d.inner_text()
    labels = d.locator("select option").all_inner_texts()
    assert labels == ["请选择快递公司"] + [n for _, n in wx.COURIERS]
    assert "中通快运" in labels and "韵达快运" in labels
    d.get_by_role("button", name="发货", exact=True).click()
    assert d.locator("[role=alert]").all_inner_texts() == ["请选择快递公司", "请输入快递单号"]
    assert srv.state("wechat-seller")["shipRequests"] == []
    d.locator("select").select_option("ZTO")
    number = d.get_by_placeholder("请输入快递单号")
    number.fill("SF1403512345678")
    d.get_by_role("button", name="发货", exact=True).click()
    d.get_by_text("快递单号与所选物流商不匹配", exact=True).wait_for()      # the server's text, shown as is
    number.fill("12-34")
    d.get_by_role("button", name="发货", exact=True).click()
    d.get_by_text("快递单号有误", exact=True).wait_for()
    assert srv.state("wechat-seller")["shipped"] == []
    number.fill("75312345678901")
    with page.expect_response(lambda r: SEARCH in r.url):                       # the list re-queries after a ship
        d.get_by_role("button", name="发货", exact=True).click()
    page.get_by_role("dialog", name="订单发货").wait_for(state="detached")
    sent = srv.state("wechat-seller")["shipRequests"][-1]["body"]
    prod = order["orderProductInfo"][0]
    assert sent == {"orderId": oid, "deliveryInfo": {"deliverType": 1, "deliveryProductInfo": [{
        "waybillId": "75312345678901", "deliveryId": "ZTO", "deliveryName": "中通快递",
        "productInfos": [{"productId": prod["productId"], "skuId": prod["skuId"], "productCnt": prod["productCnt"]}],
        "isAllProduct": True}]}}
    shipped = srv.state("wechat-seller")["shipped"]
    assert [{k: s[k] for k in ("orderId", "kind", "deliveryId", "deliveryName", "waybillId", "by")} for s in shipped] == [
        {"orderId": oid, "kind": "ship", "deliveryId": "ZTO", "deliveryName": "中通快递", "waybillId": "75312345678901", "by": "user"}]
    page.wait_for_function("oid => [...document.querySelectorAll('table')].some(t => t.innerText.includes(oid) && "
                           "t.innerText.includes('待收货'))", arg=oid)
    assert order_table(page, order).get_by_role("button", name="发货").count() == 0


def test_a_script_driven_ship_of_a_multi_product_order_and_the_other_error_texts(page, srv):
    order = MULTI[0]
    oid = order["commonInfo"]["orderId"]
    open_list(page)
    order_table(page, order).get_by_role("button", name="发货").click()
    dialog_of(page)
    page.evaluate("""() => {
      const d = document.querySelector('[role=dialog]');
      const sel = d.querySelector('select');
      sel.value = 'YTO'; sel.dispatchEvent(new Event('change', {bubbles: true}));
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const num = d.querySelector('input[placeholder*="单号"]');
      set.call(num, 'YT7512345678902'); num.dispatchEvent(new Event('input', {bubbles: true}));
    }""")
    page.evaluate("() => [...document.querySelectorAll('[role=dialog] button')].find(b => b.innerText.trim() === '发货').click()")
    page.get_by_role("dialog", name="订单发货").wait_for(state="detached")
    shipped = srv.state("wechat-seller")["shipped"]
    assert [(s["orderId"], s["deliveryId"], s["isAllProduct"], s["by"]) for s in shipped] == [(oid, "YTO", True, "script")]
    infos = srv.state("wechat-seller")["shipRequests"][-1]["body"]["deliveryInfo"]["deliveryProductInfo"][0]["productInfos"]
    assert len(infos) == len(order["orderProductInfo"]) == 2
    # the other evidence texts, straight from the server
    other = SINGLE[1]["commonInfo"]["orderId"]
    empty = call(page, "ship/cgi/updateDeliveryInfo", {"orderId": other, "deliveryInfo": {"deliverType": 1, "deliveryProductInfo": []}})
    assert (empty["success"], empty["errmsg"]) == (False, "没有可更新的物流信息")
    no_carrier = call(page, "ship/cgi/updateDeliveryInfo", {"orderId": other, "deliveryInfo": {"deliverType": 1, "deliveryProductInfo": [
        {"waybillId": "YT7512345678903", "deliveryId": "", "productInfos": [{"productId": "1", "skuId": "2", "productCnt": 1}]}]}})
    assert (no_carrier["success"], no_carrier["errmsg"]) == (False, "缺少承运商信息")
    assert len(srv.state("wechat-seller")["shipped"]) == 1


def test_the_2026_changed_layout_differs_as_CHANGES_says(tmp_path):
    assert {c["expect"] for c in wx.CHANGES} == {"survive", "report"}
    with ReplicaServer(["wechat-seller"], layouts={"wechat-seller": "2026-changed"}, delay=(0, 0.05)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.set_default_timeout(8000)
            with page.expect_response(lambda r: SEARCH in r.url) as info:
                open_list(page, close=False)
            addr = info.value.json()["orderList"][0]["deliveryInfo"]["addressInfo"]
            assert "countyName" not in addr and addr["districtName"]                               # reply-field
            assert page.evaluate("() => document.querySelector('table')") is None                   # micro-frontend
            assert page.locator('[class*="weui-desktop-"]').count() == 0
            assert page.locator('[class^="t-"], [class*=" t-"]').count() > 0                       # component-prefix
            heads = page.locator("thead th").all_inner_texts()
            assert heads.index("实付款") < heads.index("收货信息")                                   # column-moved
            assert "订单编号 " in page.locator("table").nth(1).inner_text()                           # head-label
            assert read_page(page, shadow=True) == wx.expected_pages()["pages"][0]   # a reader by meaning still gets them
            page.get_by_role("button", name="确定").click()
            order_table(page, SINGLE[0]).get_by_role("button", name="发货").click()
            d = dialog_of(page)
            assert d.get_by_placeholder("请输入运单号").count() == 1                                 # dialog-labels
            assert d.locator("select option").first.inner_text() == "请选择物流公司"
            assert d.get_by_role("button", name="确认发货").count() == 1
            d.get_by_role("button", name="取消").click()
            # product-scope (report): several products -> a choice first, no courier or number field
            order_table(page, MULTI[0]).get_by_role("button", name="发货").click()
            d = page.get_by_role("dialog", name="订单发货")
            d.get_by_text("全部商品发货").wait_for()
            assert d.locator('input[name="wx_scope"]:checked').count() == 0
            assert d.locator("select").count() == 0 and d.get_by_placeholder("请输入运单号").count() == 0
            d.get_by_role("button", name="确认发货").click()
            d.get_by_text("请选择发货商品").wait_for()
            assert srv.state("wechat-seller")["shipRequests"] == []
        finally:
            ctx.close()


def test_a_generated_dataset_renders_on_one_page_with_the_pagesize_switch(tmp_path):
    data = wx.generate_dataset(60)
    with ReplicaServer(["wechat-seller"], layouts={"wechat-seller": "2026"}, datasets={"wechat-seller": data},
                       delay=(0, 0)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.goto(LIST_URL + "?pageSize=60", wait_until="domcontentloaded")
            page.wait_for_function("() => document.querySelectorAll('table').length === 61")
            assert srv.state("wechat-seller")["listRequests"][0]["pageSize"] == 60
            assert [o["order_id"] for o in read_page(page)] == [o["commonInfo"]["orderId"] for o in data["orderList"]]
        finally:
            ctx.close()
