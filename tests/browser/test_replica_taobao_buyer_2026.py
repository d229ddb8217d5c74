"""The 2026 replica of 淘宝 已买到的宝贝 and 交易详情 (`taobao-buyer`, layouts "2026" and
"2026-changed"), proven in real Chromium with no extension: GBK pages, page 1 inlined as
`var data = JSON.parse('…')`, the antd pager asking asyncBought.htm, the notice covering the page, the
tabs, the detail JSON with deliveryInfo, expected-extract.json against what the pages show, and the
redesign. The pages are read with this file's own small readers, written from the README.
"""
from __future__ import annotations

import http.client
import json
import re
import ssl
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import taobao_buyer_2026 as rep

pytestmark = pytest.mark.browser

SITE = "taobao-buyer"
EXPECTED = json.loads((rep.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))
DATA = rep.load_data()
BY_ID = {o["id"]: o for o in DATA["orders"]}
IDS = [[o["order_id"] for o in page] for page in EXPECTED["pages"]]

# The list read by meaning (README "List markup"): columns by the header table's names; one table per
# order, found by its "订单号:"/"订单编号:" head; order-level cells only in the first row.
READ_LIST = r"""() => {
  const T = el => (el ? el.innerText : '').trim();
  const heads = [...document.querySelectorAll('th')].map(T);
  const perLine = heads.filter(h => ['宝贝', '单价', '数量', '商品操作'].includes(h));
  const out = [];
  for (const table of document.querySelectorAll('table')) {
    const first = table.querySelector('tbody');
    const m = first && T(first).match(/订单(?:编)?号:\s*(\d{19})/);
    if (!m) continue;
    const rows = [...table.querySelectorAll('tbody')[1].children];
    const o = {order_id: m[1], supplier: T(first.querySelector('a')), items: []};
    rows.forEach((tr, i) => {
      const names = i === 0 ? heads : perLine;
      const cell = {};
      [...tr.children].forEach((td, k) => { cell[names[k]] = td; });
      const goods = cell['宝贝'];
      const ps = [...goods.querySelectorAll('p')];
      o.items.push({
        title: T(ps[0]),
        sku: ps.slice(1).map(T).filter(t => t.includes('：')).join(' '),
        quantity: parseInt(T(cell['数量']), 10),
        price: T([...cell['单价'].querySelectorAll('p')].pop()).replace('￥', ''),
      });
      if (i === 0) {
        o.status = T(cell['交易状态'].firstElementChild);
        o.amount = T(cell['实付款'].querySelector('strong')).replace('￥', '');
        o._detail = [...cell['交易状态'].querySelectorAll('a')].find(a => T(a) === '订单详情').href;
        o._logistics = !![...cell['交易状态'].querySelectorAll('a')].find(a => T(a) === '查看物流');
      }
    });
    out.push(o);
  }
  return out;
}"""

# The detail read by its labels (README "DOM"): dl rows, the goods table by its header names.
READ_DETAIL = r"""() => {
  const T = el => (el ? el.innerText : '').trim();
  const rows = {};
  for (const dl of document.querySelectorAll('dl')) rows[T(dl.querySelector('dt'))] = T(dl.querySelector('dd'));
  const heads = [...document.querySelectorAll('table thead th')].map(T);
  const items = [...document.querySelectorAll('table tbody tr')].map(tr => {
    const c = {};
    [...tr.children].forEach((td, i) => { c[heads[i]] = td; });
    const np = c['数量/单价'].children;
    return {title: T(c['宝贝']), sku: T(c['宝贝属性']), quantity: parseInt(T(np[0]), 10), price: T(np[1]).replace('￥', '')};
  });
  const status = T(document.querySelector('.trade-status'));
  const paid = [...document.querySelectorAll('div')].find(d => d.children.length === 1 && T(d).startsWith('实付款：'));
  return {rows, items, status, amount: T(paid.querySelector('strong')).replace('￥', '')};
}"""


def model(rows):
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def flat(pages):
    return [o for p in pages for o in p]


def detail_order(read: dict) -> dict:
    """MODEL.md purchase order from READ_DETAIL, as the README's "details" mapping says."""
    rows = read["rows"]
    name, phone, rest = rows["收货地址："].split("，", 2)
    addr, _zip = rest.rsplit("，", 1)
    province, city, district, detail = addr.strip().split(" ", 3)
    courier = rows.get("物流公司：", rows.get("快递公司："))
    number = rows.get("运单号：", rows.get("快递单号："))
    return {
        "order_id": rows["订单编号:"],
        "supplier": rows["卖家昵称："],
        "status": read["status"].split("：", 1)[1].split("，", 1)[0],
        "ship_to": {"name": name, "phone": phone,
                    "address": {"province": province, "city": city, "district": district, "detail": detail}},
        "items": read["items"], "amount": read["amount"], "remark": rows.get("买家留言：", ""),
        "packages": [{"courier_text": courier, "tracking": number}] if number else [],
    }


def wait_ids(page, ids, timeout=10000):
    wanted = json.dumps(ids)
    page.wait_for_function(f"""() => {{ const got = [...document.querySelectorAll('tbody')]
        .map(b => (b.innerText.match(/订单(?:编)?号:\\s*(\\d{{19}})/) || [])[1]).filter(Boolean);
        return JSON.stringify(got) === JSON.stringify({wanted}); }}""", timeout=timeout)


def raw_gbk(server, url: str) -> str:
    """The page's bytes as the server sends them, decoded as GBK (Playwright hands a navigation's body
    back re-encoded by the browser, and its request client ignores the host mapping: ask directly)."""
    parts = urlsplit(url)
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ssl._create_unverified_context())
    try:
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers={"Host": parts.hostname})
        return conn.getresponse().read().decode("gbk")
    finally:
        conn.close()


def close_notice(page):
    page.get_by_role("button", name="我知道了").click()
    page.wait_for_function("() => !document.body.innerText.includes('温馨提示')")


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer([SITE], layouts={SITE: "2026"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ctx(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("tbbuyer-profile"), resolver_rules=srv.host_resolver_rules())
    yield context
    context.close()


@pytest.fixture
def page(ctx, srv):
    srv.reset(SITE)
    p = ctx.new_page()
    yield p
    p.close()


# ------------------------------------------------------------------ tests

def test_expected_file_is_generated_from_data():
    assert EXPECTED == rep.expected_pages()
    assert json.loads((rep.FOLDER_CHANGED / "expected-extract.json").read_text(encoding="utf-8")) == EXPECTED
    assert [len(p) for p in EXPECTED["pages"]] == [50, 6]
    for o in flat(EXPECTED["pages"]):
        assert set(o) == {"order_id", "supplier", "status", "items", "amount"}
        assert isinstance(o["order_id"], str) and re.fullmatch(r"\d{19}", o["order_id"])
    details = EXPECTED["details"]
    assert set(details) == set(BY_ID)
    for oid, d in details.items():
        order = d["detail"]["order"]
        assert set(order) == {"order_id", "supplier", "status", "ship_to", "items", "amount", "remark", "packages"}
        assert order["ship_to"]["phone"].startswith("86-")
        assert d["detail"]["url"] == f"https://trade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id={oid}"
    shipped = [d for d in details.values() if d["detail"]["order"]["packages"]]
    assert len(shipped) == 42
    assert any(o["detail"]["order"]["remark"] == "" for o in details.values())
    assert sum(1 for o in flat(EXPECTED["pages"]) if len(o["items"]) == 2) == 29
    # the sub-order ids are JSON numbers that JavaScript cannot hold exactly (as on the real page)
    reply = rep.list_reply(DATA["orders"], DATA["orders"], "all", 1, 50)
    sub = reply["mainOrders"][0]["subOrders"][0]["id"]
    assert isinstance(sub, int) and float(sub) != sub


def test_list_page_inlines_page_one_and_renders_it(page, srv):
    html = raw_gbk(srv, srv.url(SITE))
    srv.reset(SITE)
    resp = page.goto(srv.url(SITE))
    assert resp.headers["content-type"] == "text/html;charset=GBK"
    assert '<meta charset="gbk">' in html and 'id="list-bought-items"' in html
    literal = re.search(r"var data = JSON\.parse\('(.*?)'\);", html, re.S).group(1)
    assert '\\"mainOrders\\":[' in literal and "\\/trade\\/itemlist\\/asyncBought.htm" in literal
    assert re.search(r"\\u[0-9A-F]{4}", literal) and not re.search(r"[^\x00-\x7f]", literal)
    data = rep.parse_inline(html)
    assert set(data) == {"error", "extra", "mainOrders", "page", "query", "tabs"}
    assert data["page"] == {"currentPage": 1, "globalCodes": [], "pageSize": 50, "prefetchCount": 56,
                            "queryForTitle": False, "totalNumber": 56, "totalPage": 2}
    assert [rep.list_order(BY_ID[m["id"]]) for m in data["mainOrders"]] == EXPECTED["pages"][0]
    assert data["extra"]["mainBizOrderIds"] == "-".join(IDS[0])

    wait_ids(page, IDS[0])
    assert page.evaluate("!!document.querySelector('#__ultron_rootContainer_node table')")
    assert page.evaluate("typeof data === 'object' && data.mainOrders.length") == 50
    # the page's own copy: ids are strings, sub-order ids rounded numbers
    assert page.evaluate("data.mainOrders.every(o => typeof o.id === 'string' && o.id.length === 19)")
    assert page.evaluate("data.mainOrders.every(o => o.subOrders.every(s => typeof s.id === 'number'))")
    assert page.evaluate("data.mainOrders.some(o => String(o.subOrders[0].id) !== o.id)")
    rows = page.evaluate(READ_LIST)
    assert model(rows) == EXPECTED["pages"][0]
    for r in rows:
        assert r["_detail"] == f"https://buyertrade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId={r['order_id']}&route_to=tm1"
        assert r["_logistics"] == bool(BY_ID[r["order_id"]]["delivery"]["logistics_num"])
    text = page.evaluate("document.body.innerText")
    for o in DATA["orders"][:50]:                       # no receiver, no number, no buyer message on the list
        d = o["delivery"]
        assert d["phone"] not in text and (not d["logistics_num"] or d["logistics_num"] not in text)
        assert not o["buy_message"] or o["buy_message"] not in text
    assert [th for th in page.evaluate("[...document.querySelectorAll('th')].map(t => t.innerText)")] == \
        ["宝贝", "单价", "数量", "商品操作", "实付款", "交易状态", "交易操作"]
    assert srv.state(SITE)["listRequests"] == [{"via": "page", "tab": "all", "pageNum": 1}]


def test_notice_covers_the_page_and_the_antd_pager_asks_async_bought(page, srv):
    page.goto(srv.url(SITE))
    wait_ids(page, IDS[0])
    nxt = page.locator("li.ant-pagination-next")
    box = nxt.bounding_box()
    page.evaluate("(y) => window.scrollTo(0, y)", box["y"] - 300)
    box = nxt.bounding_box()
    top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).className", [box["x"] + 5, box["y"] + 5])
    assert "ant-modal" in top                            # the notice's mask is on top of the pager
    assert page.locator(".ant-pagination-item-active").inner_text() == "1"
    assert page.locator("li.ant-pagination-prev").get_attribute("aria-disabled") == "true"
    close_notice(page)

    calls = []
    page.on("request", lambda r: calls.append(r) if "/asyncBought.htm" in r.url else None)
    nxt.click()
    wait_ids(page, IDS[1])
    assert page.locator(".ant-pagination-item-active").inner_text() == "2"
    assert nxt.get_attribute("aria-disabled") == "true" and "ant-pagination-disabled" in nxt.get_attribute("class")
    assert page.url == srv.url(SITE)                    # an SPA: paging does not reload
    req = calls[0]
    assert req.method == "POST"
    q = parse_qs(urlsplit(req.url).query)
    assert q == {"action": ["itemlist/BoughtQueryAction"], "event_submit_do_query": ["1"], "_input_charset": ["utf8"]}
    assert req.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert req.headers["x-requested-with"] == "XMLHttpRequest"
    form = {k: v[0] for k, v in parse_qs(req.post_data, keep_blank_values=True).items()}
    assert form["pageNum"] == "2" and form["pageSize"] == "50" and form["prePageNo"] == "1"
    assert {"buyerNick", "dateBegin", "dateEnd", "orderStatus", "queryOrder", "sellerNick", "unionSearchTotalNum"} <= set(form)
    reply = req.response().json()
    assert reply["page"]["currentPage"] == 2 and len(reply["mainOrders"]) == 6
    assert [rep.list_order(BY_ID[m["id"]]) for m in reply["mainOrders"]] == EXPECTED["pages"][1]
    assert model(page.evaluate(READ_LIST)) == EXPECTED["pages"][1]

    nxt.click()                                          # past the end: nothing
    time.sleep(0.6)
    page.locator("li.ant-pagination-prev").click()
    wait_ids(page, IDS[0])
    assert [(r["via"], r["pageNum"]) for r in srv.state(SITE)["listRequests"]] == [("page", 1), ("async", 2), ("async", 1)]
    page.locator("li.ant-pagination-item-2").click()
    wait_ids(page, IDS[1])


def test_tabs_and_the_official_export_dialog(page, srv):
    page.goto(srv.url(SITE))
    wait_ids(page, IDS[0])
    close_notice(page)
    page.locator(".ant-tabs-tab-btn", has_text="待收货").click()
    want = [o for o in flat(EXPECTED["pages"]) if o["status"] == "卖家已发货"]
    wait_ids(page, [o["order_id"] for o in want])
    assert model(page.evaluate(READ_LIST)) == want
    assert page.locator(".ant-tabs-tab-active [role=tab]").inner_text().startswith("待收货")
    assert srv.state(SITE)["listRequests"][-1] == {"via": "async", "tab": "waitConfirm", "pageNum": 1,
                                                    "pageSize": "50", "prePageNo": "1"}
    page.get_by_role("button", name="导出订单").click()
    page.get_by_role("button", name="下载订单").click()
    page.wait_for_function("() => !document.body.innerText.includes('将导出当前筛选条件下的订单')")

    page.goto(rep.LIST_URL + "?tabCode=waitSend")        # a tab by URL: inlined page 1 of that tab
    want = [o for o in flat(EXPECTED["pages"]) if o["status"] == "买家已付款"]
    wait_ids(page, [o["order_id"] for o in want])
    assert model(page.evaluate(READ_LIST)) == want


def test_async_bought_refuses_another_action(page, srv):
    page.goto(srv.url(SITE))
    wait_ids(page, IDS[0])
    got = page.evaluate("""async () => { const r = await fetch('/trade/itemlist/asyncBought.htm?action=x&event_submit_do_query=1',
      {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'pageNum=2'});
      return r.json(); }""")
    assert got == {"error": "参数错误"}


DETAIL_CASES = {
    "shipped": next(o["id"] for o in DATA["orders"] if o["status"] == "WAIT_BUYER_CONFIRM_GOODS" and o["delivery"]["logistics_num"]),
    "line refunded": next(o["id"] for o in DATA["orders"] if o["status"] == "WAIT_BUYER_CONFIRM_GOODS"
                          and any(i["refund"] for i in o["items"])),
    "no logistics": next(o["id"] for o in DATA["orders"] if o["delivery"]["ship_type"] == "无需物流"),
    "unpaid": next(o["id"] for o in DATA["orders"] if o["status"] == "WAIT_BUYER_PAY"),
    "closed": next(o["id"] for o in DATA["orders"] if o["status"] == "TRADE_CLOSED"),
    "finished": next(o["id"] for o in DATA["orders"] if o["status"] == "TRADE_FINISHED"),
    "odd name": next(o["id"] for o in DATA["orders"] if o["delivery"]["name"].startswith("圣天")),
    "no message": next(o["id"] for o in DATA["orders"] if not o["buy_message"] and o["delivery"]["logistics_num"]),
    "page 2": IDS[1][3],
}


@pytest.mark.parametrize("case", list(DETAIL_CASES))
def test_detail_page_shows_courier_and_number(page, srv, case):
    oid = DETAIL_CASES[case]
    want = EXPECTED["details"][oid]["detail"]
    resp = page.goto(f"https://buyertrade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId={oid}&route_to=tm1")
    first = resp.request.redirected_from
    assert first is not None and first.response().status == 302
    assert page.url == want["url"]
    assert resp.headers["content-type"] == "text/html;charset=GBK"
    assert srv.state(SITE)["detailViews"] == [oid]
    html = raw_gbk(srv, want["url"])
    assert 'id="trade-order-detail"' in html and "tm_detail_tradeOrderDetail" in html
    data = rep.parse_inline(html)
    di = data["deliveryInfo"]
    rec = BY_ID[oid]
    assert di["logisticsNum"] == rec["delivery"]["logistics_num"] and di["logisticsName"] == rec["delivery"]["logistics_name"]
    assert di["address"] == rep.address_line(rec["delivery"]) and data["mainOrder"]["id"] == oid
    assert data.get("buyMessage", "") == rec["buy_message"]
    page.wait_for_function("() => document.querySelector('#detail-panel dl')")
    assert page.evaluate("window.data.deliveryInfo.logisticsNum") == rec["delivery"]["logistics_num"]
    got = detail_order(page.evaluate(READ_DETAIL))
    assert got == want["order"]


def test_detail_on_the_list_host_and_the_shared_trade_host(page, srv):
    oid = DETAIL_CASES["shipped"]
    page.goto(f"https://buyertrade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id={oid}")
    page.wait_for_function("() => document.querySelector('#detail-panel dl')")
    assert detail_order(page.evaluate(READ_DETAIL)) == EXPECTED["details"][oid]["detail"]["order"]
    # trade.taobao.com is shared with the seller replica: any other path there is a 404 from this site, so
    # the replica server hands it on to the next site of that host
    conn = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ssl._create_unverified_context())
    try:
        conn.request("POST", "/trade/itemlist/asyncSold.htm", body=b"", headers={"Host": "trade.taobao.com"})
        assert conn.getresponse().status == 404
    finally:
        conn.close()


def test_unknown_detail(page):
    page.goto(rep.detail_url("4800000000000002715"))
    page.wait_for_function("() => document.body.innerText.includes('订单不存在')")
    assert page.evaluate("window.data") is None


def test_changed_layout_differs_as_changes_says(tmp_path_factory):
    assert rep.TaobaoBuyer2026Changed.CHANGES is rep.CHANGES
    assert {c["expect"] for c in rep.CHANGES} == {"survive", "report"}
    server = ReplicaServer([SITE], layouts={SITE: "2026-changed"}).start()
    old = ReplicaServer([SITE], layouts={SITE: "2026"}).start()
    context = launch_chromium(tmp_path_factory.mktemp("tbbuyer-changed"), resolver_rules=server.host_resolver_rules())
    context_old = launch_chromium(tmp_path_factory.mktemp("tbbuyer-old"), resolver_rules=old.host_resolver_rules())
    try:
        p, q = context.new_page(), context_old.new_page()
        for pg, s in ((p, server), (q, old)):
            pg.goto(s.url(SITE))
            wait_ids(pg, IDS[0])
        mine = lambda pg: {c for c in pg.evaluate("[...document.querySelectorAll('[class]')].flatMap(e => [...e.classList])")  # noqa: E731
                           if c.startswith("bought-")}
        classes_new, classes_old = mine(p), mine(q)
        rows = p.evaluate(READ_LIST)
        heads = p.evaluate("[...document.querySelectorAll('th')].map(t => t.innerText)")
        head_text = p.evaluate("document.querySelectorAll('table')[1].querySelector('tbody').innerText")
        libs = p.evaluate("""() => ({ant: document.querySelectorAll('[class*="ant-"]').length,
            next: !!document.querySelector('.next-pagination button.next-next') && !!document.querySelector('.next-pagination button.next-current'),
            dialog: !!document.querySelector('.next-dialog')})""")
        p.get_by_role("button", name="我知道了").click()
        calls = []
        p.on("response", lambda r: calls.append(r) if "/asyncBought.htm" in r.url else None)
        p.locator("button.next-next").click()
        wait_ids(p, IDS[1])
        reply = calls[-1].json()
        page2 = p.evaluate(READ_LIST)
        oid = DETAIL_CASES["shipped"]
        p.goto(rep.detail_url(oid))
        html = raw_gbk(server, rep.detail_url(oid))
        p.wait_for_function("() => document.querySelector('#detail-panel dl')")
        detail = p.evaluate(READ_DETAIL)
        inline = rep.parse_inline(html)
        checks = {
            "class-hashes": lambda: classes_new and classes_old and not (classes_new & classes_old),
            "pager-library": lambda: libs["ant"] == 0 and libs["next"] and libs["dialog"],
            "column-moved": lambda: heads == ["宝贝", "单价", "数量", "商品操作", "交易状态", "实付款", "交易操作"],
            "head-label": lambda: "订单编号: " in head_text and "订单号: " not in head_text,
            "detail-labels": lambda: ("快递单号：" in detail["rows"] and "快递公司：" in detail["rows"]
                                      and "运单号：" not in detail["rows"] and "物流公司：" not in detail["rows"]),
            "reply-extra-fields": lambda: "abTest" in reply and all("bizTags" in m for m in reply["mainOrders"]),
            "detail-number-renamed": lambda: ("logisticsNum" not in inline["deliveryInfo"]
                                              and inline["deliveryInfo"]["mailNo"] == BY_ID[oid]["delivery"]["logistics_num"]
                                              and inline["deliveryInfo"]["logisticsName"]),
        }
        assert set(checks) == {c["id"] for c in rep.CHANGES}
        for change_id, check in checks.items():
            assert check(), change_id
        # what survives: the same values, read by meaning
        assert model(rows) == EXPECTED["pages"][0] and model(page2) == EXPECTED["pages"][1]
        assert detail_order(detail) == EXPECTED["details"][oid]["detail"]["order"]
    finally:
        context.close()
        context_old.close()
        server.stop()
        old.stop()
