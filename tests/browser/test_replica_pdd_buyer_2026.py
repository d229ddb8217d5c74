"""The 2026 replica of 拼多多's buyer pages (`pdd-buyer`, layouts "2026" and "2026-changed"), proven in
real Chromium with a phone viewport and no extension: the list's own order_list_v4 request (fen,
empty tracking_number), rows only after scrolling, the popup, the tabs, order.html's inline
window.rawData, goods_express.html's number line, expected-extract.json against what the pages show,
and the redesign. The pages are read with this file's own small readers, written from the README.
"""
from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import pdd_buyer_2026 as rep

pytestmark = pytest.mark.browser

SITE = "pdd-buyer"
EXPECTED = json.loads((rep.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
DATA = rep.load_data()
BY_SN = {o["order_sn"]: o for o in DATA["orders"]}
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=3,
             user_agent="Mozilla/5.0 (Linux; Android 14; 23113RKC6C) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/126.0.0.0 Mobile Safari/537.36")

# The list read by meaning (README "List markup"): one card per order link; the mall is the span
# followed by " ›", the status is the card header's last span, goods lines are the link's children.
READ_LIST = r"""() => {
  const T = el => (el ? el.innerText : '').trim();
  return [...document.querySelectorAll('a[href^="order.html?order_sn="]')].map(a => {
    const card = a.parentElement;
    const mall = [...card.querySelectorAll('span')].find(s => s.lastElementChild && T(s.lastElementChild) === '›');
    const foot = [...card.children].map(T).find(t => /^共\d+件/.test(t));
    return {
      order_id: new URL(a.href).searchParams.get('order_sn'),
      supplier: T(mall).replace(/\s*›$/, ''),
      status: T(card.firstElementChild.lastElementChild),
      items: [...a.children].map(g => {
        const [, info, price] = g.children;
        return {title: T(info.children[0]), sku: T(info.children[1]),
                quantity: parseInt(T(price.children[1]).replace('×', ''), 10),
                price: T(price.children[0]).replace('¥', '')};
      }),
      amount: foot.match(/¥(-?[\d.]+)$/)[1],
      _foot: foot,
      _tag: [...card.children].filter(c => c.tagName === 'SPAN').map(T),
    };
  });
}"""

CLOSE_POPUP = "() => [...document.querySelectorAll('[role=dialog] span')].find(s => s.textContent === '×').click()"


def model(rows):
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def flat(pages):
    return [o for p in pages for o in p]


def wait_cards(page, n, timeout=10000):
    page.wait_for_function(f"() => document.querySelectorAll('a[href^=\"order.html?order_sn=\"]').length === {n}",
                           timeout=timeout)


def scroll_to_end(page):
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")


def detail_from_page(page) -> dict:
    """order.html read as README says: structured values from window.rawData.data, checked against the DOM."""
    d = page.evaluate("window.rawData.data")
    text = page.evaluate("document.body.innerText")
    number = d.get("trackingNumber")
    order = {
        "order_id": d["orderSn"], "supplier": d["mall"]["mallName"], "status": d["orderStatusPrompt"],
        "items": [{"title": g["goodsName"], "sku": g["spec"], "quantity": g["goodsNumber"],
                   "price": rep.yuan(g["goodsPrice"])} for g in d["orderGoods"]],
        "amount": rep.yuan(d["orderAmount"]),
        "ship_to": {"name": d["receiveName"], "phone": d["mobile"],
                    "address": {"province": d["provinceName"], "city": d["cityName"],
                                "district": d["districtName"], "detail": d["shippingAddress"]}},
        "packages": [{"courier_text": d["shipping"]["shippingName"], "tracking": number}] if number else [],
    }
    # what the DOM shows agrees with rawData
    assert d["orderStatusPrompt"] in text and d["mall"]["mallName"] in text
    assert f"{d['receiveName']}{d['mobile']}" in text.replace("\n", "")
    assert d["provinceName"] + d["cityName"] + d["districtName"] + d["shippingAddress"] in text
    assert re.search(rf"实付款\s*¥{re.escape(order['amount'])}", text)
    assert re.search(rf"订单编号\s*{re.escape(d['orderSn'])}", text)
    for it in order["items"]:
        assert it["title"] in text and f"×{it['quantity']}" in text and f"¥{it['price']}" in text
    return order


NUMBER_LINE = re.compile(r"^(?P<courier>\S+) (?::|快递单号：) ?(?P<no>[A-Za-z0-9]+) 复制$", re.M)


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer([SITE], layouts={SITE: "2026"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ctx(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("pddbuyer-profile"), resolver_rules=srv.host_resolver_rules(),
                              **PHONE)
    yield context
    context.close()


@pytest.fixture
def page(ctx, srv):
    srv.reset(SITE)
    ctx.clear_cookies()
    p = ctx.new_page()
    yield p
    p.close()


# ------------------------------------------------------------------ tests

def test_expected_file_is_generated_from_data():
    assert EXPECTED == rep.expected_pages()
    assert json.loads((rep.FOLDER_CHANGED / "expected-extract.json").read_text(encoding="utf-8")) == EXPECTED
    assert [len(p) for p in EXPECTED["pages"]] == [10, 10, 6]
    for o in flat(EXPECTED["pages"]):
        assert set(o) == {"order_id", "supplier", "status", "items", "amount"}   # no ship_to/remark/packages
        assert re.fullmatch(r"\d{6}-\d{15}", o["order_id"])
        assert all(set(i) == {"title", "sku", "quantity", "price"} for i in o["items"])
    details = EXPECTED["details"]
    assert set(details) == set(BY_SN)
    shipped = [sn for sn, d in details.items() if "tracking" in d]
    assert len(shipped) == 18
    for sn, d in details.items():
        order = d["detail"]["order"]
        assert set(order) == {"order_id", "supplier", "status", "items", "amount", "ship_to", "packages"}
        assert "****" in order["ship_to"]["phone"]
        assert d["detail"]["url"] == f"https://mobile.yangkeduo.com/order.html?order_sn={sn}"
        if sn in shipped:
            assert order["packages"] == d["tracking"]["order"]["packages"] and len(order["packages"]) == 1
        else:
            assert order["packages"] == []
    statuses = {o["status"] for o in flat(EXPECTED["pages"])}
    assert {"待付款", "待发货", "待收货", "交易已取消", "退款成功"} <= statuses
    assert any(len(o["items"]) == 2 for o in flat(EXPECTED["pages"]))


def test_rows_come_from_the_pages_own_order_list_v4_request(page, srv):
    calls = []
    page.on("response", lambda r: calls.append(r) if "/aristotle/order_list_v4" in r.url else None)
    page.goto(srv.url(SITE))
    assert page.url == "https://mobile.yangkeduo.com/orders.html?type=0"
    wait_cards(page, 10)
    assert page.evaluate("navigator.maxTouchPoints") > 0 and page.evaluate("window.innerWidth") == 390

    assert len(calls) == 1
    req = calls[0].request
    assert req.method == "POST" and req.resource_type == "xhr"
    uid = page.evaluate("document.cookie.match(/pdd_user_id=(\\d+)/)[1]")
    assert parse_qs(urlsplit(req.url).query) == {"pdduid": [uid]} and uid == DATA["pdduid"]
    body = json.loads(req.post_data)
    assert set(body) == {"type", "page", "origin_host_name", "scene", "page_from", "front_env",
                         "pay_front_supports", "anti_content"}
    assert body["type"] == "all" and body["page"] == 1 and body["scene"] == "order_list_h5"
    assert body["origin_host_name"] == "mobile.yangkeduo.com" and body["anti_content"].startswith("0as")

    reply = calls[0].json()
    assert set(reply) == {"server_time", "orders", "extra_info"}
    assert len(reply["orders"]) == 10
    for o in reply["orders"]:
        assert o["tracking_number"] == ""                                   # empty in the list (2026 capture)
        assert isinstance(o["order_amount"], int) and "detail" not in o
        assert all(isinstance(g["goods_price"], int) for g in o["order_goods"])
        assert o["order_link_url"] == f"order.html?order_sn={o['order_sn']}"
    assert [rep.list_order(o) for o in reply["orders"]] == EXPECTED["pages"][0]

    rows = page.evaluate(READ_LIST)
    assert model(rows) == EXPECTED["pages"][0]
    for r, o in zip(rows, reply["orders"]):
        assert r["_foot"] == f"共{sum(g['goods_number'] for g in o['order_goods'])}件商品 实付:¥{rep.yuan(o['order_amount'])}"
        assert r["_tag"] == ([o["after_sales"]["after_sales_prompt"]] if o["after_sales"] else [])
    text = page.evaluate("document.body.innerText")                      # the list shows no receiver or number
    numbers = [BY_SN[o["order_sn"]]["detail"]["tracking_number"] for o in reply["orders"]
               if BY_SN[o["order_sn"]]["detail"].get("tracking_number")]
    assert numbers and not any(n in text for n in numbers)
    assert not any(BY_SN[o["order_sn"]]["detail"]["receive_name"] in text for o in reply["orders"])


def test_more_rows_only_after_closing_the_popup_and_scrolling(page, srv):
    page.goto(srv.url(SITE))
    wait_cards(page, 10)
    assert page.locator("[role=dialog]").inner_text().startswith("×")
    time.sleep(0.8)
    scroll_to_end(page)                                     # the popup locks scrolling
    time.sleep(0.8)
    assert page.evaluate("window.scrollY") == 0
    assert [r["page"] for r in srv.state(SITE)["listRequests"]] == [1]
    assert len(page.evaluate(READ_LIST)) == 10

    page.evaluate(CLOSE_POPUP)
    assert page.locator("[role=dialog]").count() == 0
    time.sleep(0.5)
    assert [r["page"] for r in srv.state(SITE)["listRequests"]] == [1]   # no scroll, no request
    page.mouse.wheel(0, 20000)                              # a wheel/touch-style scroll to the end
    wait_cards(page, 20)
    assert model(page.evaluate(READ_LIST)) == EXPECTED["pages"][0] + EXPECTED["pages"][1]
    scroll_to_end(page)                                     # a script scroll works too
    wait_cards(page, 26)
    assert model(page.evaluate(READ_LIST)) == flat(EXPECTED["pages"])
    page.wait_for_function("() => document.body.innerText.includes('没有更多订单了')")
    scroll_to_end(page)
    time.sleep(0.8)
    reqs = srv.state(SITE)["listRequests"]
    assert [(r["type"], r["page"], r["signed"]) for r in reqs] == [("all", 1, True), ("all", 2, True), ("all", 3, True)]


def test_unsigned_or_logged_out_requests(page, srv):
    page.goto(srv.url(SITE))
    wait_cards(page, 10)
    fetch = """async (args) => {
      const r = await fetch('/proxy/api/api/aristotle/order_list_v4?pdduid=' + args.uid,
        {method: 'POST', credentials: args.creds, headers: {'Content-Type': 'application/json'}, body: JSON.stringify(args.body)});
      return {status: r.status, body: await r.json()};
    }"""
    base = {"type": "all", "page": 2, "scene": "order_list_h5"}
    unsigned = page.evaluate(fetch, {"uid": DATA["pdduid"], "creds": "include", "body": base})
    assert unsigned["status"] == 200                                        # page ignored without anti_content
    assert [o["order_sn"] for o in unsigned["body"]["orders"]] == [o["order_id"] for o in EXPECTED["pages"][0]]
    signed = page.evaluate(fetch, {"uid": DATA["pdduid"], "creds": "include", "body": {**base, "anti_content": "0asX"}})
    assert [o["order_sn"] for o in signed["body"]["orders"]] == [o["order_id"] for o in EXPECTED["pages"][1]]
    out = page.evaluate(fetch, {"uid": DATA["pdduid"], "creds": "omit", "body": {**base, "anti_content": "0asX"}})
    assert out["status"] == 424


def test_tabs_filter_the_list(page, srv):
    page.goto(srv.url(SITE))
    wait_cards(page, 10)
    page.evaluate(CLOSE_POPUP)
    page.get_by_text("待收货", exact=True).first.click()
    page.wait_for_function("() => location.search === '?type=4'")
    want = [o for o in flat(EXPECTED["pages"]) if o["status"] == "待收货"]
    wait_cards(page, len(want))
    assert model(page.evaluate(READ_LIST)) == want
    assert srv.state(SITE)["listRequests"][-1]["type"] == "unreceived"

    page.goto("https://mobile.yangkeduo.com/orders.html?type=3")
    want = [o for o in flat(EXPECTED["pages"]) if o["status"] == "待发货"]
    wait_cards(page, len(want))
    assert model(page.evaluate(READ_LIST)) == want
    assert srv.state(SITE)["listRequests"][-1]["type"] == "unshipping"


@pytest.mark.parametrize("index", [0, 3, 5, 7, 10, 11, 16, 23, 24])
def test_detail_page_inlines_raw_data_and_shows_it(page, srv, index):
    sn = DATA["orders"][index]["order_sn"]
    want = EXPECTED["details"][sn]
    resp = page.goto(want["detail"]["url"])
    html = resp.text()
    m = re.search(r"window\.rawData=({.*?});", html)                    # one line, regex-able (evidence)
    assert m and json.loads(m.group(1))["data"]["orderSn"] == sn
    page.wait_for_function("() => document.body.innerText.includes('订单编号')")
    raw = page.evaluate("window.rawData.data")
    assert {"orderSn", "trackingNumber", "shipping", "orderButtons", "shippingAddress", "address"} <= set(raw)
    assert detail_from_page(page) == want["detail"]["order"]
    text = page.evaluate("document.body.innerText")
    if "tracking" in want:
        no = want["tracking"]["order"]["packages"][0]["tracking"]
        assert raw["trackingNumber"] == raw["expressInfo"]["trackingNumber"] == no
        assert no not in text                                               # only in rawData, not in the DOM
        btn = next(b for b in raw["orderButtons"] if b["briefPrompt"] == "查看物流")
        assert "https://mobile.yangkeduo.com/" + btn["typeValue"]["url"] == want["tracking"]["url"]
        page.get_by_role("link", name="查看物流").click()
        page.wait_for_url(want["tracking"]["url"])
        page.wait_for_function("() => document.body.innerText.includes('复制')")
        text = page.evaluate("document.body.innerText")
        lines = [(mm["courier"], mm["no"]) for mm in NUMBER_LINE.finditer(text)]
        pk = want["tracking"]["order"]["packages"][0]
        assert lines == [(pk["courier_text"], pk["tracking"])]
        assert f"{pk['courier_text']} : {pk['tracking']} 复制" in text       # the evidenced text form
        assert f"订单编号:{sn}" in text and "精选推荐" in text
        assert srv.state(SITE)["expressViews"] == [sn]
    else:
        assert raw["trackingNumber"] == "" and "expressInfo" not in raw
        assert page.get_by_role("link", name="查看物流").count() == 0
    assert srv.state(SITE)["detailViews"] == [sn]


def test_unknown_order_and_number(page):
    page.goto("https://mobile.yangkeduo.com/order.html?order_sn=261101-000000000000000")
    page.wait_for_function("() => document.body.innerText.includes('订单不存在')")
    assert page.evaluate("window.rawData.data") is None
    sn = next(sn for sn, d in EXPECTED["details"].items() if "tracking" in d)
    page.goto(f"https://mobile.yangkeduo.com/goods_express.html?tracking_number=YT0000000000000&shipping_id=85&order_sn={sn}")
    page.wait_for_function("() => document.body.innerText.includes('暂无物流信息')")


def test_changed_layout_differs_as_changes_says(tmp_path_factory):
    assert rep.PddBuyer2026Changed.CHANGES is rep.CHANGES
    assert {c["expect"] for c in rep.CHANGES} == {"survive", "report"}
    server = ReplicaServer([SITE], layouts={SITE: "2026-changed"}).start()
    context = launch_chromium(tmp_path_factory.mktemp("pddbuyer-changed"), resolver_rules=server.host_resolver_rules(),
                              **PHONE)
    old = ReplicaServer([SITE], layouts={SITE: "2026"}).start()
    context_old = launch_chromium(tmp_path_factory.mktemp("pddbuyer-old"), resolver_rules=old.host_resolver_rules(), **PHONE)
    try:
        assert server.layout(SITE) == "2026-changed"
        p, q = context.new_page(), context_old.new_page()
        replies = []
        p.on("response", lambda r: replies.append(r) if "/aristotle/order_list_v4" in r.url else None)
        for pg, srv_ in ((p, server), (q, old)):
            pg.goto(srv_.url(SITE))
            wait_cards(pg, 10)
        classes = lambda pg: set(pg.evaluate("[...document.querySelectorAll('[class]')].flatMap(e => [...e.classList])"))  # noqa: E731
        rows = p.evaluate(READ_LIST)
        text = p.evaluate("document.body.innerText")
        card_depth = p.evaluate("""() => { const a = document.querySelector('a[href^="order.html"]');
            let n = 0, el = a; while (el && el.id !== 'main') { el = el.parentElement; n++; } return n; }""")
        card_depth_old = q.evaluate("""() => { const a = document.querySelector('a[href^="order.html"]');
            let n = 0, el = a; while (el && el.id !== 'main') { el = el.parentElement; n++; } return n; }""")
        head_has_mall = p.evaluate("""() => document.querySelector('a[href^="order.html"]').parentElement
            .firstElementChild.innerText.includes('›')""")
        reply = replies[-1].json()
        sn = next(sn for sn, d in EXPECTED["details"].items() if "tracking" in d)
        want = EXPECTED["details"][sn]
        p.goto(want["detail"]["url"])
        p.wait_for_function("() => document.body.innerText.includes('订单编号')")
        raw = p.evaluate("window.rawData.data")
        detail_text = p.evaluate("document.body.innerText")
        d = BY_SN[sn]["detail"]
        addr = d["province_name"] + d["city_name"] + d["district_name"] + d["shipping_address"]
        p.goto(want["tracking"]["url"])
        p.wait_for_function("() => document.body.innerText.includes('复制')")
        express_text = p.evaluate("document.body.innerText")
        checks = {
            "class-hashes": lambda: not (classes(p) & classes(q)),
            "card-wrapper": lambda: card_depth == card_depth_old + 2 and not head_has_mall,
            "tab-label": lambda: "待评价" in text.split("\n")[:12] and "评价" not in text.split("\n")[:12],
            "paid-label": lambda: all(r["_foot"].startswith("共") and "件 实付款¥" in r["_foot"] for r in rows),
            "express-label": lambda: (f"{d['shipping_name']} 快递单号：{d['tracking_number']} 复制" in express_text
                                      and " : " not in express_text),
            "address-first": lambda: detail_text.index(addr) < detail_text.index(d["receive_name"] + d["mobile"]),
            "reply-extra-fields": lambda: (all("order_tags" in o and "display_amount" in o for o in reply["orders"])
                                           and "list_version" in reply["extra_info"]),
            "rawdata-number-renamed": lambda: ("trackingNumber" not in raw and raw["waybillNo"] == d["tracking_number"]
                                               and raw["expressInfo"]["mailNo"] == d["tracking_number"]
                                               and "trackingNumber" not in raw["expressInfo"]),
        }
        assert set(checks) == {c["id"] for c in rep.CHANGES}
        for change_id, check in checks.items():
            assert check(), change_id
        # the survivable changes keep every value on the page
        assert model(rows) == EXPECTED["pages"][0]
        assert [(m["courier"], m["no"]) for m in NUMBER_LINE.finditer(express_text)] == \
            [(d["shipping_name"], d["tracking_number"])]
    finally:
        context.close()
        context_old.close()
        server.stop()
        old.stop()
