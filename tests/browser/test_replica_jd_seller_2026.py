"""The 2026 jd-seller (京东商家) replica behaves as its README says, in real Chromium at the real URLs.

No extension is loaded: these tests check the replica (the test bed), not the adapter. They read the page with
their own small reader, written from tests/fixtures/sites/jd-seller/2026/README.md, never with the adapter.
"""
from __future__ import annotations

import http.client
import json
import re
import ssl
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import jd_seller_2026 as jd

pytestmark = pytest.mark.browser

SITE = "jd-seller"
ORDERS = sorted(jd.load_orders(), key=lambda r: -r["orderCreateTime"])
WAITING = [o for o in ORDERS if o["orderStatusInfo"]["orderStatusName"] == "等待出库"]
EXPECTED = json.loads((jd.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
PROVINCES = ["北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
             "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "内蒙古", "广西",
             "西藏", "宁夏", "新疆"]
# the card's classes in each build (CHANGES "class-renames"); component prefix jd / jdd
CLS = {"card": "card", "shop-order-id": "shop-order-id", "order-info-btn": "order-info-btn", "order-time-info": "order-time-info",
       "sku-info-list__item": "sku-info-list__item", "sku-name": "sku-name", "config-view-item": "config-view-item",
       "config-view-item__label": "config-view-item__label", "config-view-item__value": "config-view-item__value",
       "cons-address-text": "cons-address-text", "cons-mobile-phone-text": "cons-mobile-phone-text",
       "order-status": "order-status", "promise-out-ship-date": "promise-out-ship-date",
       "remark-cell__text": "remark-cell__text"}
CLS_CHANGED = dict(CLS, **{"card": "order-card", "shop-order-id": "order-no", "order-info-btn": "order-no__btn",
                           "order-time-info": "order-times", "sku-info-list__item": "goods-item", "sku-name": "goods-item__name",
                           "config-view-item": "kv-item", "config-view-item__label": "kv-item__label",
                           "config-view-item__value": "kv-item__value", "cons-address-text": "receiver-address",
                           "cons-mobile-phone-text": "receiver-phone", "order-status": "status-text",
                           "promise-out-ship-date": "ship-deadline", "remark-cell__text": "buyer-remark__text"})

# A reader written from the README: cards under `.table-body`, columns by their `prop` attribute, values by the
# classes the 2026 evidence names (passed in, so the redesign's renamed classes can be read the same way).
READ_CARDS = r"""([K, px, shadow]) => {
  const root = shadow ? document.querySelector('micro-app').shadowRoot : document;
  const T = el => (el ? el.textContent : '').trim();
  const shop = document.querySelector('.shop-menu-accountV1__right-account-top-name').getAttribute('title');
  return [...root.querySelectorAll(`.table-body .${K['card']}`)].map(card => {
    const items = [...card.querySelectorAll(`.${K['sku-info-list__item']}`)].map(it => {
      const desc = [...it.querySelectorAll(`.card-left__desc .${K['config-view-item']}`)];
      const right = [...it.querySelectorAll(`.sku-info-card__right .${K['config-view-item__value']}`)].map(T);
      return {title: T(it.querySelector(`.${K['sku-name']}`)),
              sku: T(desc.find(d => !d.querySelector(`.${K['config-view-item__label']}`))), price: right[0], qty: right[1]};
    });
    const cons = card.querySelector('[prop="consigneeInfo"]');
    return {
      id: T(card.querySelector(`.${K['shop-order-id']} .${K['order-info-btn']} span`)),
      times: T(card.querySelector(`.${K['order-time-info']} .shop-overflow-tooltip__content`)),
      items, shop,
      amount: T(card.querySelector(`[prop="receivables"] .${K['config-view-item__value']}`)),
      address: T(cons.querySelector(`.${K['cons-address-text']}`)),
      phone: T(cons.querySelector(`.${K['cons-mobile-phone-text']}`)),
      status: T(card.querySelector(`[prop="orderStatus"] .${K['order-status']} span`)),
      shipBy: T(card.querySelector(`.${K['promise-out-ship-date']} .${px}-only-child__content`)),
      remark: T(card.querySelector(`.${K['remark-cell__text']}`)),
      url: [...card.querySelectorAll('[prop="operation"] a')].find(a => T(a) === '查看详情').href,
    };
  });
}"""


def split_address(text: str) -> dict:
    """`辽宁大连市沙河口区************` → province (short name, as JD writes it), city, district, detail."""
    province = next(p for p in PROVINCES if text.startswith(p))
    rest = text[len(province):]
    city = (re.match(r".+?(?:市|自治州|地区|盟)", rest) or re.match(r".+?州", rest)).group(0)
    m = re.match(r"(.+?(?:区|县|市|旗))(.*)", rest[len(city):])
    return {"province": province, "city": city, "district": m.group(1), "detail": m.group(2)}


def to_model(r: dict) -> dict:
    name, addr = r["address"].split("，", 1)
    iso = lambda s: s.replace(" ", "T") + "+08:00" if s else ""  # noqa: E731
    return {
        "order_id": r["id"], "shop": r["shop"], "status": r["status"],
        "created_at": iso(re.search(r"(\S+ \S+) 下单", r["times"]).group(1)), "ship_by": iso(r["shipBy"]),
        "buyer": {"name": name, "phone": r["phone"], "address": split_address(addr)},
        "items": [{"title": i["title"], "sku": i["sku"], "quantity": int(i["qty"].lstrip("x")), "price": i["price"].lstrip("¥")}
                  for i in r["items"]],
        "amount": r["amount"].lstrip("¥"), "remark": r["remark"], "url": r["url"],
    }


def read_page(page, changed=False) -> list[dict]:
    arg = [CLS_CHANGED if changed else CLS, "jdd" if changed else "jd", changed]
    return [to_model(r) for r in page.evaluate(READ_CARDS, arg)]


def raw(srv, method, path, body: bytes, headers: dict):
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ctx, timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Host": "sff.jd.com", **headers})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer([SITE], layouts={SITE: "2026"}, delay=(0.05, 0.15)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("jd2026") / "profile", resolver_rules=srv.host_resolver_rules())
    yield context
    context.close()


@pytest.fixture
def page(browser, srv):
    srv.reset()
    pg = browser.new_page()
    pg.set_default_timeout(8000)
    yield pg
    pg.close()


def ids_on_page(page, changed=False):
    return [r["id"] for r in page.evaluate(READ_CARDS, [CLS_CHANGED if changed else CLS, "jd", changed])]


def wait_orders(page, orders, changed=False):
    """Waits until the cards are exactly these orders (old cards stay until the reply arrives)."""
    want = [o["order_id"] for o in orders]
    page.wait_for_function("""([K, shadow, want]) => {
        const root = shadow ? document.querySelector('micro-app').shadowRoot : document;
        if (!root || root.querySelector('.jd-loading-mask, .jdd-loading-mask')) return false;
        const ids = [...root.querySelectorAll(`.table-body .${K.card}`)].map(c => c.querySelector(`.${K['order-info-btn']} span`).textContent.trim());
        return JSON.stringify(ids) === JSON.stringify(want); }""", arg=[CLS_CHANGED if changed else CLS, changed, want])


def open_list(page, url=jd.MAIN_URL, orders=None, changed=False):
    page.goto(url, wait_until="domcontentloaded")
    wait_orders(page, orders if orders is not None else EXPECTED["pages"][0], changed)


def close_notice(page):
    page.get_by_role("button", name="我知道了").click()
    page.locator(".notice-dialog").wait_for(state="detached")


def test_rows_arrive_only_from_the_cross_origin_queryOrderPage_reply(page, srv):
    srv.sites[SITE].delay = (0.8, 0.8)
    try:
        with page.expect_response(lambda r: "queryOrderPage" in r.url and r.request.method == "POST") as info:
            page.goto(jd.MAIN_URL, wait_until="domcontentloaded")
            page.wait_for_selector(".table-header")
            assert page.locator(".table-body .card").count() == 0  # nothing in the HTML itself
        resp = info.value
    finally:
        srv.sites[SITE].delay = (0.05, 0.15)
    req = resp.request
    url = urlsplit(req.url)
    assert url.netloc == "sff.jd.com" and url.path == "/api"
    assert parse_qs(url.query) == {"v": ["1.0"], "appId": ["COCX0HBWR4BA7RDVDBIQ"], "api": [jd.API_LIST]}
    headers = req.all_headers()
    assert headers["origin"] == "https://shop.jd.com" and headers["dsm-platform"] == "pc" and headers["h5st"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", headers["dsm-trace-id"])
    sent = json.loads(req.post_data)
    assert sent["accessContext"] == {"source": "web"} and sent["request"]["source"] == "2000"
    data = sent["request"]["data"]
    assert (data["orderTab"], data["current"], data["pageSize"], data["sortMode"]) == ("waitOut", 1, 50, "orderDateDesc")
    assert srv.state(SITE)["preflights"] >= 1          # custom headers on another origin: the browser asked first
    assert resp.headers["access-control-allow-origin"] == "https://shop.jd.com"
    assert resp.headers["access-control-allow-credentials"] == "true"
    body = resp.json()
    assert body["code"] == 200
    page_data = body["data"]
    assert (page_data["current"], page_data["pageSize"], page_data["totalItem"]) == (1, 50, len(WAITING))
    row = page_data["results"][0]
    assert str(row["orderId"]) == EXPECTED["pages"][0][0]["order_id"]
    assert row["orderCreateTime"] > 10**12 and row["paymentConfirmTime"] > row["orderCreateTime"]   # epoch ms
    assert {"skuId", "jdPrice", "num", "skuName"} <= set(row["orderItems"][0])
    assert row["orderStatusInfo"]["orderStatusName"] == "等待出库"
    assert re.fullmatch(r".\*\*", row["consigneeInfo"]["consigneeName"]) and "****" in row["consigneeInfo"]["consigneeMobile"]
    wait_orders(page, EXPECTED["pages"][0])


def test_the_gateway_refuses_unsigned_calls_and_foreign_origins(srv):
    path = "/api?v=1.0&appId=COCX0HBWR4BA7RDVDBIQ&api=" + jd.API_LIST
    body = json.dumps({"request": {"source": "2000", "data": {"orderTab": "waitOut", "current": 1, "pageSize": 50}}}).encode()
    status, headers, out = raw(srv, "POST", path, body, {"Origin": "https://shop.jd.com", "Content-Type": "application/json"})
    assert status == 200 and json.loads(out)["code"] == 601          # no dsm-platform / h5st: refused
    status, headers, out = raw(srv, "POST", path, body, {"Origin": "https://evil.example.com", "dsm-platform": "pc",
                                                          "h5st": "x", "Content-Type": "application/json"})
    assert json.loads(out)["data"]["totalItem"] == len(WAITING) and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = raw(srv, "OPTIONS", path, b"", {"Origin": "https://shop.jd.com", "Access-Control-Request-Method": "POST",
                                                          "Access-Control-Request-Headers": "content-type,dsm-platform,h5st"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "https://shop.jd.com"
    assert {"dsm-platform", "dsm-trace-id", "h5st", "content-type"} <= {h.strip() for h in headers["Access-Control-Allow-Headers"].split(",")}


def test_the_dom_shows_every_expected_value_on_both_pages_and_the_all_orders_tab(page, srv):
    assert EXPECTED == jd.expected_pages()
    assert [len(p) for p in EXPECTED["pages"]] == [50, 6] and [len(p) for p in EXPECTED["allOrders"]] == [50, 14]
    open_list(page)
    assert read_page(page) == EXPECTED["pages"][0]
    close_notice(page)  # the notice covers the page until 我知道了
    page.locator(".jd-pagination .btn-next").click()
    wait_orders(page, EXPECTED["pages"][1])
    assert read_page(page) == EXPECTED["pages"][1]
    assert page.locator(".jd-pagination .btn-next").is_disabled()
    assert page.locator(".jd-pager li.is-active").inner_text() == "2"
    page.get_by_role("tab", name=re.compile("全部订单")).click()
    wait_orders(page, EXPECTED["allOrders"][0])
    assert read_page(page) == EXPECTED["allOrders"][0]
    assert "tabType=allOrders" in page.url
    page.locator(".jd-pagination .btn-next").click()
    wait_orders(page, EXPECTED["allOrders"][1])
    assert read_page(page) == EXPECTED["allOrders"][1]
    statuses = {o["status"] for p in EXPECTED["allOrders"] for o in p}
    assert statuses == {"等待出库", "已出库", "已完成", "已取消"}
    assert [(r["orderTab"], r["current"]) for r in srv.state(SITE)["listRequests"]] == [
        ("waitOut", 1), ("waitOut", 2), ("allOrders", 1), ("allOrders", 2)]


def test_the_same_list_answers_on_the_trade_order_jdm_route(page, srv):
    open_list(page, "https://trade-order-jdm.jd.com/orderList/waitOut")
    assert read_page(page) == EXPECTED["pages"][0]
    assert srv.state(SITE)["listRequests"][0]["origin"] == "https://trade-order-jdm.jd.com"


def card(page, order_id):
    return page.locator(".table-body .card").filter(has=page.locator(f'.order-info-btn span:text-is("{order_id}")'))


def open_ship(page, order_id, wait_select=False):
    card(page, order_id).get_by_role("button", name="出库").click()
    page.locator(".outbound-dialog").wait_for()
    if wait_select:
        page.locator("select#logiCoprId option").nth(1).wait_for(state="attached")


def dialog_errors(page):
    return page.locator(".outbound-dialog .jd-form-item__error").all_inner_texts()


def test_ship_dialog_native_select_vue_input_validation_and_a_trusted_submit(page, srv):
    target = EXPECTED["pages"][0][1]["order_id"]
    open_list(page)
    close_notice(page)
    open_ship(page, target)
    dialog = page.locator(".outbound-dialog")
    assert target in dialog.inner_text() and dialog.get_attribute("aria-label") == "订单出库"
    dialog.get_by_role("button", name="确定").click()
    assert dialog_errors(page) == ["请选择物流公司", "请输入运单号"]
    select = page.locator("select#logiCoprId")
    select.locator("option").nth(1).wait_for(state="attached")   # the carriers arrive from their own request
    options = select.locator("option").evaluate_all("els => els.map(o => [o.value, o.textContent])")
    assert options[0] == ["", "请选择物流公司"] and len(options) == len(jd.load_carriers()) + 1
    names = [n for _, n in options]
    assert {"中通快递", "中通快运", "德邦快递", "德邦快运", "韵达快递", "韵达快运", "邮政EMS", "EMS", "邮政快递包裹"} <= set(names)
    # a plain `.value =` on the Vue input is lost on the next render (no input event)
    number = page.locator("#logiNo")
    assert number.get_attribute("placeholder") == "请输入运单号"
    assert page.locator(".out-delivery-input input#logiNo").count() == 1
    number.evaluate("el => { el.value = '73100248915263'; }")
    select.select_option("1499")
    dialog.get_by_role("button", name="确定").click()
    assert number.input_value() == "" and dialog_errors(page) == ["请输入运单号"]
    assert srv.state(SITE)["shipRequests"] == []
    # a number that does not fit the carrier: the gateway's failList reason shows, the dialog stays
    number.fill("SF1234567890123")
    dialog.get_by_role("button", name="确定").click()
    page.locator(".outbound-fail").filter(has_text="运单号不符合规则，请核对后重新输入").wait_for()
    assert srv.state(SITE)["shipped"] == []
    number.fill("73100248915263")
    dialog.get_by_role("button", name="确定").click()
    dialog.wait_for(state="detached")
    page.get_by_text("出库成功").wait_for()
    shipped = srv.state(SITE)["shipped"]
    assert [{k: s[k] for k in ("order_id", "carrier_id", "carrier_name", "tracking_number", "by")} for s in shipped] == [
        {"order_id": target, "carrier_id": "1499", "carrier_name": "中通快递", "tracking_number": "73100248915263", "by": "user"}]
    assert shipped[0]["at"].endswith("+08:00")
    # the card changes in place; the 待出库 tab drops the order on its next query
    row = card(page, target)
    assert row.locator(".order-status span").inner_text() == "已出库" and row.get_by_role("button", name="出库").count() == 0
    open_list(page, orders=[o for o in EXPECTED["pages"][0] if o["order_id"] != target] + EXPECTED["pages"][1][:1])
    assert target not in ids_on_page(page)


def test_a_script_filled_dialog_records_script_and_a_stale_dialog_is_refused(page, browser, srv):
    target = EXPECTED["pages"][0][2]["order_id"]
    stale = browser.new_page()
    try:
        for pg in (stale, page):
            open_list(pg)
            close_notice(pg)
            open_ship(pg, target, wait_select=True)
        # fill the way a content script must: select value + change event, input value + input event, then click
        page.evaluate("""() => {
          const sel = document.getElementById('logiCoprId');
          sel.value = '463'; sel.dispatchEvent(new Event('change', {bubbles: true}));
          const num = document.getElementById('logiNo');
          num.value = 'YT7512348820461'; num.dispatchEvent(new Event('input', {bubbles: true}));
          [...document.querySelectorAll('.outbound-dialog button')].find(b => b.textContent.trim() === '确定').click();
        }""")
        page.locator(".outbound-dialog").wait_for(state="detached")
        assert [(s["carrier_name"], s["by"]) for s in srv.state(SITE)["shipped"]] == [("圆通快递", "script")]
        stale.locator("#logiCoprId").select_option(label="圆通快递")
        stale.locator("#logiNo").fill("YT7512348820462")
        stale.locator(".outbound-dialog").get_by_role("button", name="确定").click()
        stale.locator(".outbound-fail").filter(has_text="订单状态已变更，请刷新后重试").wait_for()
        assert len(srv.state(SITE)["shipped"]) == 1
    finally:
        stale.close()


def test_the_2026_changed_layout_differs_as_CHANGES_says(tmp_path):
    assert {c["expect"] for c in jd.CHANGES} == {"survive", "report"}
    with ReplicaServer([SITE], layouts={SITE: "2026-changed"}, delay=(0, 0.05)) as srv:
        ctx = launch_chromium(tmp_path / "profile", resolver_rules=srv.host_resolver_rules())
        try:
            page = ctx.new_page()
            page.set_default_timeout(8000)
            with page.expect_response(lambda r: "queryOrderPage" in r.url and r.request.method == "POST") as info:
                open_list(page, changed=True)
            data = info.value.json()["data"]
            assert "results" not in data and len(data["records"]) == 50                        # reply-rows-renamed
            assert page.evaluate("() => document.querySelectorAll('.table-body').length") == 0   # micro-app-shadow
            shadow = "document.querySelector('micro-app[name=\"jdm-trade-order\"]').shadowRoot"
            assert page.evaluate(f"() => {shadow}.querySelectorAll('.table-body .order-card').length") == 50
            assert page.evaluate(f"() => {shadow}.querySelectorAll('.card, .shop-order-id, .cons-address-text').length") == 0
            assert page.evaluate(f"() => {shadow}.querySelectorAll('[class*=\"jd-\"]').length") == 0  # component-prefix
            assert page.evaluate(f"() => {shadow}.querySelectorAll('.jdd-scrollbar__view').length") == 1
            heads = page.evaluate(f"() => [...{shadow}.querySelectorAll('.table-header > div')].map(d => d.textContent)")
            assert heads.index("订单状态") < heads.index("收货人信息")                              # column-moved
            assert read_page(page, changed=True) == EXPECTED["pages"][0]   # a reader by meaning gets the same orders
            page.get_by_role("button", name="我知道了").click()
            target = EXPECTED["pages"][0][0]["order_id"]
            page.locator("micro-app .order-card").filter(has=page.locator(f'.order-no__btn span:text-is("{target}")')) \
                .get_by_role("button", name="出库").click()
            dialog = page.locator(".outbound-dialog")                     # mounted on body, outside the shadow root
            dialog.wait_for()
            page.locator("select#logiCoprId option").nth(1).wait_for(state="attached")
            labels = dialog.locator(".jdd-form-item__label").all_inner_texts()
            assert labels == ["快递公司", "快递单号", "短信验证码"]                                  # dialog-labels
            assert page.locator("#logiNo").get_attribute("placeholder") == "请输入快递单号"
            page.locator("#logiCoprId").select_option("1499")
            page.locator("#logiNo").fill("73100248915263")
            dialog.get_by_role("button", name="确认出库").click()
            assert dialog.locator(".jdd-form-item__error").all_inner_texts() == ["请输入短信验证码"]   # sms-verify
            assert srv.state(SITE)["shipRequests"] == []
            # only a person who reads the code can go on
            dialog.get_by_role("button", name="获取验证码").click()
            dialog.get_by_text("验证码已发送至").wait_for()
            page.locator("#verifyCode").fill(srv.state(SITE)["smsCodes"][-1])
            dialog.get_by_role("button", name="确认出库").click()
            dialog.wait_for(state="detached")
            assert [s["order_id"] for s in srv.state(SITE)["shipped"]] == [target]
        finally:
            ctx.close()
