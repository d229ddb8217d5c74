"""The 2026 replica of 1688 已买到的货品 (`alibaba-buyer`, layouts "2026" and "2026-changed"), proven in
real Chromium with no extension loaded: the redirect, the mtop JSONP, the shadow tree, Q-BUTTON's
refusal of script clicks, paging, expected-extract.json against the rendered DOM, and the redesign.
"""
from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer
from tests.support.replicas import alibaba_buyer_2026 as rep

pytestmark = pytest.mark.browser

SITE = "alibaba-buyer"
EXPECTED = json.loads((rep.FOLDER_2026 / "expected-extract.json").read_text(encoding="utf-8"))
DATA = rep.load_data()
IDS = [[o["order_id"] for o in page] for page in EXPECTED["pages"]]

# ------------------------------------------------------------------ page-side helpers (our own)

LIST_JS = """() => {
  const app = document.querySelector('app-root[data-tracker="app-root"]');
  const list = app && app.shadowRoot && app.shadowRoot.querySelector('order-list');
  return list && list.shadowRoot;
}"""

ROWS_READY_JS = """() => {
  const app = document.querySelector('app-root');
  const list = app && app.shadowRoot && app.shadowRoot.querySelector('order-list');
  const root = list && list.shadowRoot;
  const content = root && root.querySelector('div.order-list-content');
  if (!content || content.querySelector('.order-list-loading')) return null;
  const items = [...content.querySelectorAll('order-item[data-tracker]')];
  if (!items.length) return null;
  for (const it of items) {
    const st = it.shadowRoot && it.shadowRoot.querySelector('order-item-status');
    const s = st && st.shadowRoot && st.shadowRoot.querySelector('div.order-status');
    if (!s || !s.textContent.trim()) return null;
    for (const p of it.shadowRoot.querySelectorAll('order-item-entry-product'))
      if (!p.shadowRoot || !p.shadowRoot.querySelector('a.product-name')) return null;
  }
  return items.map((it) => it.shadowRoot.querySelector('span.order-id copy-to-clipboard').getAttribute('text'));
}"""

# Reads the rendered DOM into MODEL.md purchase orders (names given for the two layouts).
READ_DOM_JS = """(names) => {
  const list = document.querySelector('app-root').shadowRoot.querySelector('order-list');
  const content = list.shadowRoot.querySelector('div.order-list-content');
  const sr = (el, sel) => (el && el.shadowRoot ? el.shadowRoot.querySelector(sel) : null);
  const txt = (el) => (el ? el.textContent.trim() : '');
  return [...content.querySelectorAll('order-item[data-tracker]')].map((item) => {
    const root = item.shadowRoot;
    const status = root.querySelector('order-item-status');
    const memo = sr(root.querySelector('dialog-memo'), 'q-form[initialvalues]');
    const addr = txt(root.querySelector('.receiver-address')).split(' ');
    const lines = [root, status.shadowRoot].flatMap((r) => [...r.querySelectorAll('.' + names.logistics + ' .logistics-item')]);
    return {
      order_id: root.querySelector('span.order-id copy-to-clipboard').getAttribute('text'),
      supplier: txt(sr(root.querySelector('order-item-seller-info'), 'span.company-name')),
      status: txt(sr(status, 'div.order-status')),
      ship_to: {
        name: txt(root.querySelector('.receiver-name')), phone: txt(root.querySelector('.receiver-mobile')),
        address: { province: addr[0] || '', city: addr[1] || '', district: addr[2] || '', detail: addr.slice(3).join(' ') },
      },
      items: [...root.querySelectorAll('div.order-item-entry')].map((row) => ({
        title: txt(sr(row.querySelector('order-item-entry-product'), 'a.product-name')),
        quantity: parseInt(txt(sr(row.querySelector('order-item-entry-quantity-service-status'), 'span.quantity-amount')), 10),
        price: sr(row.querySelector('order-item-entry-unit-price'), '.' + names.unitPrice).lastChild.textContent.trim(),
      })),
      remark: JSON.parse(memo.getAttribute('initialvalues')).remark || '',
      packages: lines.map((l) => ({ courier_text: txt(l.querySelector('.logistics-company')), tracking: txt(l.querySelector('.logistics-no')) })),
      _lines: lines.map((l) => ({ main: l.querySelector('.logistics-main').innerText, status: txt(l.querySelector('.logistics-status')),
                                  text: l.innerText })),
    };
  });
}"""
NAMES_2026 = {"logistics": "order-logistics-container", "unitPrice": "actual-unit-price"}
NAMES_CHANGED = {"logistics": "logistics-brief", "unitPrice": "unit-price-actual"}

SET_KEYWORD_JS = """(word) => {
  const root = document.querySelector('app-root').shadowRoot.querySelector('order-list').shadowRoot;
  const q = [...root.querySelectorAll('q-input')].find((el) => /订单号/.test(el.shadowRoot.querySelector('input.quark-input').placeholder));
  const inner = q.shadowRoot.querySelector('input.quark-input');
  q.value = word;
  inner.focus();
  inner.value = word;
  inner.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  inner.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  return inner.value;
}"""

SEARCH_BUTTON_JS = """() => {
  const root = document.querySelector('app-root').shadowRoot.querySelector('order-list').shadowRoot;
  return [...root.querySelectorAll('q-button')].find((b) => b.textContent.trim() === '搜索');
}"""

FULL_SEQUENCE_JS = """(el) => {
  const r = el.getBoundingClientRect();
  const at = { bubbles: true, composed: true, cancelable: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, button: 0 };
  el.dispatchEvent(new PointerEvent('pointerdown', { ...at, pointerId: 1, isPrimary: true, buttons: 1 }));
  el.dispatchEvent(new MouseEvent('mousedown', { ...at, buttons: 1 }));
  el.dispatchEvent(new PointerEvent('pointerup', { ...at, pointerId: 1, isPrimary: true }));
  el.dispatchEvent(new MouseEvent('mouseup', at));
  el.dispatchEvent(new MouseEvent('click', at));
}"""

PAGER_JS = """(sel) => {
  const root = document.querySelector('app-root').shadowRoot.querySelector('order-list').shadowRoot;
  const pag = root.querySelector('lu-pagination');
  return sel ? pag.shadowRoot.querySelector(sel) : pag;
}"""

JSONP_RECORDER = """
window.__jsonp = [];
new MutationObserver((muts) => {
  for (const m of muts) {
    for (const n of m.addedNodes) if (n.tagName === 'SCRIPT' && /h5api\\.m\\.1688\\.com/.test(n.src)) {
      const cb = new URL(n.src).searchParams.get('callback');
      window.__jsonp.push({ src: n.src, cb, definedAtAppend: typeof window[cb] === 'function', removed: false });
    }
    for (const n of m.removedNodes) if (n.tagName === 'SCRIPT' && /h5api\\.m\\.1688\\.com/.test(n.src)) {
      const e = window.__jsonp.find((x) => x.src === n.src);
      if (e) e.removed = true;
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


def wait_rows(page, ids=None, timeout=15000):
    """Waits until the list shows rendered rows (with `ids` in this order, if given); returns the ids."""
    if ids is None:
        handle = page.wait_for_function(ROWS_READY_JS, timeout=timeout)
    else:
        wanted = json.dumps(json.dumps(ids, separators=(",", ":")))
        handle = page.wait_for_function(f"() => {{ const ids = ({ROWS_READY_JS})(); "
                                        f"return ids && JSON.stringify(ids) === {wanted} ? ids : null; }}",
                                        timeout=timeout)
    return handle.json_value()


def pager(page, selector):
    return page.evaluate_handle(PAGER_JS, selector).as_element()


def model(orders):
    return [{k: v for k, v in o.items() if not k.startswith("_")} for o in orders]


def list_url(**params):
    q = {"page": 1, "pageSize": 10, **params}
    return rep.LIST_URL + "?" + "&".join(f"{k}={v}" for k, v in q.items())


def parse_jsonp(body: str) -> tuple[str, dict]:
    m = re.fullmatch(r"(mtopjsonp\d+)\((.*)\)", body.strip(), re.S)
    assert m, body[:200]
    return m.group(1), json.loads(m.group(2))


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def srv():
    server = ReplicaServer([SITE], layouts={SITE: "2026"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ctx(srv, tmp_path_factory):
    context = launch_chromium(tmp_path_factory.mktemp("alibaba2026-profile"), resolver_rules=srv.host_resolver_rules())
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
    assert [len(p) for p in EXPECTED["pages"]] == [10, 10, 5]
    for page in EXPECTED["pages"]:
        for o in page:
            assert set(o) == {"order_id", "supplier", "status", "ship_to", "items", "remark", "packages"}
            assert re.fullmatch(r"\d{19,20}", o["order_id"])
            assert "*" in o["ship_to"]["name"] and "****" in o["ship_to"]["phone"]
    flat = [o for p in EXPECTED["pages"] for o in p]
    assert {len(o["packages"]) for o in flat} == {0, 1, 2}
    trackings = [pk["tracking"] for o in flat for pk in o["packages"]]
    assert any("，" in t for t in trackings) and any(re.search(r"[０-９]", t) for t in trackings)
    assert {"courier_text": "其他", "tracking": "买家自提"} in [pk for o in flat for pk in o["packages"]]
    assert sum(1 for o in flat if o["remark"].startswith("PDD ")) >= 18 and any(o["remark"] == "" for o in flat)


def test_trade_url_redirects_to_air_and_keeps_the_tab(page, srv):
    resp = page.goto("https://trade.1688.com/order/buyer_order_list.htm?tradeStatus=waitsellersend")
    first = resp.request.redirected_from
    assert first is not None and first.url.startswith("https://trade.1688.com/order/buyer_order_list.htm")
    assert first.response().status == 302
    assert page.url == rep.LIST_URL + "?tradeStatus=waitsellersend&page=1&pageSize=10"
    ids = wait_rows(page)
    wanted = [o["idStr"] for o in DATA["orders"] if o["status"] == "waitsellersend"]
    assert ids == wanted and len(wanted) == 6
    assert {o["status"] for o in page.evaluate(READ_DOM_JS, NAMES_2026)} == {"待发货"}
    assert srv.state(SITE)["listRequests"] == [1]
    # without a tab: the documented landing URL
    page.goto("https://trade.1688.com/order/buyer_order_list.htm")
    assert page.url == srv.url(SITE) == rep.LIST_URL + "?page=1&pageSize=10"


def test_orders_arrive_through_mtop_jsonp(page, srv):
    page.add_init_script(JSONP_RECORDER)
    responses = []
    page.on("response", lambda r: responses.append(r) if r.url.startswith("https://h5api.m.1688.com/") else None)
    page.goto(srv.url(SITE))
    wait_rows(page, IDS[0])
    assert page.evaluate("typeof window.lib.mtop.request") == "function"

    assert len(responses) >= 2
    replies = []
    for r in responses:
        assert r.request.resource_type == "script"
        assert r.headers["content-type"].startswith("application/javascript")
        q = {k: v[0] for k, v in parse_qs(urlsplit(r.url).query).items()}
        assert urlsplit(r.url).path == "/h5/mtop.1688.trading.dataline.service/1.0/"
        assert q["appKey"] == "12574478" and q["api"] == "mtop.1688.trading.dataline.service" and q["v"] == "1.0"
        assert q["type"] == "jsonp" and q["dataType"] == "jsonp" and q["jsv"] and q["t"].isdigit()
        assert re.fullmatch(r"[0-9a-f]{32}", q["sign"])
        data = json.loads(q["data"])
        assert data["serviceId"] == "OrderListDataLineService.buyerOrderList"
        assert isinstance(data["param"], str) and json.loads(data["param"]) == {"page": 1, "pageSize": 10}
        cb, reply = parse_jsonp(r.text())
        assert cb == q["callback"]
        replies.append(reply)
    # lib-mtop style token dance: the first call has no _m_h5_tk yet, the retry succeeds
    assert replies[0]["ret"][0].startswith("FAIL_SYS_TOKEN_")
    ok = replies[-1]
    assert ok["ret"] == ["SUCCESS::调用成功"] and ok["api"] == "mtop.1688.trading.dataline.service"
    result = ok["data"]["data"]["result"]
    assert isinstance(result, str)
    parsed = json.loads(result)
    body = parsed["data"]
    assert body["total"] == 25 and body["pages"] == 3 and len(body["data"]) == 10
    for o in body["data"]:
        assert isinstance(o["idStr"], str) and isinstance(o["id"], int)
        for k in ("sumPayment", "sumProductPayment", "carriage"):
            assert isinstance(o[k], int)
        for e in o["orderEntries"]:
            assert isinstance(e["price"], int) and isinstance(e["quantity"]["realAmountStr"], str)
            assert {"productName", "specInfo", "sourceId", "skuId", "entryExtension", "mainSummImageUrl"} <= set(e)
        assert "*" in o["receiverInfo"]["toFullName"] and "****" in o["receiverInfo"]["toMobile"]
    assert [rep.expected_order(o) for o in body["data"]] == EXPECTED["pages"][0]
    assert srv.state(SITE)["listRequests"] == [1]

    # the page defined window.mtopjsonpN before appending each <script>, then removed both
    seen = page.evaluate("window.__jsonp")
    assert len(seen) == len(responses)
    for s in seen:
        assert re.fullmatch(r"mtopjsonp\d+", s["cb"]) and s["definedAtAppend"] and s["removed"]
        assert page.evaluate("(cb) => typeof window[cb]", s["cb"]) == "undefined"
    assert page.evaluate("document.querySelectorAll('script[src*=\"h5api\"]').length") == 0


def test_shadow_tree_holds_documented_elements(page, srv):
    page.goto(srv.url(SITE))
    wait_rows(page, IDS[0])
    assert page.evaluate("performance.now()") > 500  # rows only after a render delay
    facts = page.evaluate("""() => {
      const q = (r, s) => r && r.querySelector(s);
      const app = document.querySelector('body > article > app-root[data-tracker="app-root"]');
      const list = q(app.shadowRoot, 'div > main > q-theme > order-list');
      const content = q(list.shadowRoot, 'div > div.order-list-content');
      const items = [...content.querySelectorAll('order-item[data-tracker]')];
      const per = items.map((it) => {
        const r = it.shadowRoot;
        const h = q(r, 'div.order-item-header');
        const c = q(r, 'div.order-item-content');
        const entry = q(c, ':scope > div.order-item-entry-container > div.order-item-entry');
        const sh = (sel, inner) => { const el = q(sel.startsWith(':scope') ? c : entry, sel); return !!(el && el.shadowRoot && el.shadowRoot.querySelector(inner)); };
        return {
          args: it.getAttribute('data-tracker-args'),
          checkbox: q(h, ':scope > q-checkbox') && q(h, 'q-checkbox').getAttribute('checked'),
          id: q(h, 'div.item-header-left span.order-id copy-to-clipboard') && q(h, 'span.order-id copy-to-clipboard').getAttribute('text'),
          idLines: q(h, 'span.order-id').innerText.split('\\n'),
          buyer: !!q(h, 'div.item-header-left span.buyer-account copy-to-clipboard[text]'),
          time: q(h, 'div.item-header-left span.order-time').textContent.trim(),
          memo: !!(q(h, 'div.item-header-right dialog-memo') && q(q(h, 'dialog-memo').shadowRoot, 'q-form[initialvalues]')),
          product: sh('order-item-entry-product', 'div.order-item-entry-product > div.product-info > div.product-info-name > a.product-name[href^="https://detail.1688.com/offer/"]'),
          sku: sh('order-item-entry-product', 'div.product-sku-info span.sku-info-item'),
          unit: sh('order-item-entry-unit-price', 'div.actual-unit-price'),
          qty: sh('order-item-entry-quantity-service-status', 'span.quantity-amount'),
          total: sh(':scope > order-item-total-price', 'div.total-price') && sh(':scope > order-item-total-price', 'div.carriage'),
          seller: sh(':scope > order-item-seller-info', 'span.company-name') && sh(':scope > order-item-seller-info', 'span.seller-id-text'),
          status: sh(':scope > order-item-status', 'div.order-status') && sh(':scope > order-item-status', 'a.order-detail-action[href^="https://air.1688.com/app/ctf-page/trade-order-detail/index.html?orderId="]'),
          firstDivIsStatus: q(q(c, 'order-item-status').shadowRoot, 'div').classList.contains('order-status'),
          logisticsStatus: [...r.querySelectorAll('.order-logistics-container .logistics-status')].map((e) => e.textContent.trim()),
          entryLabels: [...c.querySelectorAll('order-item-entry-quantity-service-status')].map((e) => (q(e.shadowRoot, '.entry-status-label') || {}).textContent),
        };
      });
      const pag = q(list.shadowRoot, 'lu-pagination');
      const inputs = [...list.shadowRoot.querySelectorAll('q-input')].map((i) => q(i.shadowRoot, 'input.quark-input').placeholder);
      const btn = [...list.shadowRoot.querySelectorAll('q-button')].find((b) => b.textContent.trim() === '搜索');
      let shadows = 0;
      const walk = (n) => { if (n.shadowRoot) { shadows++; walk(n.shadowRoot); } for (const c of n.children || []) walk(c); };
      walk(document.documentElement);
      return {
        per, inputs, shadows,
        prev: !!q(pag.shadowRoot, '.ui-page-prev'), next: !!q(pag.shadowRoot, '.ui-page-next'),
        simple: q(pag.shadowRoot, '.simple-page').textContent,
        btnClass: btn.className, btnInner: !!q(btn.shadowRoot, 'div.q-button'), btnHasButton: !!q(btn.shadowRoot, 'button'),
        payHeader: !!q(q(list.shadowRoot, 'order-list-wait-buyer-pay-header').shadowRoot, 'div.left'),
        date: !!q(q(list.shadowRoot, 'q-date').shadowRoot, 'ui-datetime[readonly]'),
      };
    }""")
    assert len(facts["per"]) == 10
    for o, want in zip(facts["per"], EXPECTED["pages"][0]):
        assert o["args"].startswith(f"orderId={want['order_id']}")
        assert o["checkbox"] == "false" and o["id"] == want["order_id"] and o["idLines"] == ["订单号", want["order_id"]]
        assert o["buyer"] and o["memo"] and re.fullmatch(r"2026-\d\d-\d\d \d\d:\d\d:\d\d", o["time"])
        for k in ("product", "sku", "unit", "qty", "total", "seller", "status", "firstDivIsStatus"):
            assert o[k], k
        assert len(o["logisticsStatus"]) == len(want["packages"])
        assert set(o["logisticsStatus"]) <= {"已签收", "运输中", "已揽件", "已发货", "派送中", "物流异常提醒"}
        if want["status"] == "待收货":
            assert set(o["entryLabels"]) == {"已发货"}
    assert facts["inputs"] == ["商品名称/订单号/下游订单号/运单号/批次号", "卖家登录名/公司/店铺名"]
    assert facts["prev"] and facts["next"] and facts["simple"] == "1/ 3"
    assert "q-button-action" in facts["btnClass"] and facts["btnInner"] and not facts["btnHasButton"]
    assert facts["payHeader"] and facts["date"]
    assert facts["shadows"] > 100


def test_q_button_ignores_script_click(page, srv):
    page.goto(srv.url(SITE))
    wait_rows(page, IDS[0])
    target = EXPECTED["pages"][2][0]["order_id"]
    assert page.evaluate(SET_KEYWORD_JS, target) == target
    button = page.evaluate_handle(SEARCH_BUTTON_JS)
    button.evaluate("(b) => b.click()")                                     # host .click()
    button.evaluate("(b) => b.shadowRoot.querySelector('div.q-button').click()")  # inner .click()
    time.sleep(1.5)
    assert srv.state(SITE)["listRequests"] == [1]
    assert wait_rows(page) == IDS[0] and "word=" not in page.url

    # GUESS under test: a script-dispatched full pointer sequence on the inner div.q-button works
    inner = button.evaluate_handle("(b) => b.shadowRoot.querySelector('div.q-button')")
    page.evaluate(FULL_SEQUENCE_JS, inner)
    assert wait_rows(page, [target]) == [target]
    assert f"word={target}" in page.url and "page=1" in page.url
    assert srv.state(SITE)["listRequests"] == [1, 1]

    # a real (trusted) mouse click works too; search by 运单号
    tracking = next(pk["tracking"] for o in EXPECTED["pages"][1] for pk in o["packages"] if pk["tracking"].startswith("SF"))
    owner = next(o["order_id"] for o in EXPECTED["pages"][1] if any(pk["tracking"] == tracking for pk in o["packages"]))
    page.evaluate(SET_KEYWORD_JS, tracking)
    page.locator("q-button.q-button-action").click()
    assert wait_rows(page, [owner]) == [owner]


def test_paging_by_pager_and_by_url(page, srv):
    page.goto(srv.url(SITE))
    wait_rows(page, IDS[0])
    first_row = page.evaluate_handle("() => document.querySelector('app-root').shadowRoot.querySelector('order-list')"
                                     ".shadowRoot.querySelector('order-item')")
    assert pager(page, ".ui-page-prev").get_attribute("aria-disabled") == "true"
    pager(page, ".ui-page-next").evaluate("(a) => a.click()")        # script click on the pager
    wait_rows(page, IDS[1])
    assert first_row.evaluate("(el) => el.isConnected") is False                 # re-render made new nodes
    assert "page=2" in page.url and "pageSize=10" in page.url
    assert pager(page, ".simple-page").text_content() == "2/ 3"

    page.evaluate(FULL_SEQUENCE_JS, pager(page, ".ui-page-next"))  # pointer sequence
    wait_rows(page, IDS[2])
    assert pager(page, ".simple-page").text_content() == "3/ 3"
    nxt = pager(page, ".ui-page-next")
    assert nxt.get_attribute("aria-disabled") == "true"
    nxt.evaluate("(a) => a.click()")                                             # past the end: nothing
    time.sleep(0.8)
    assert srv.state(SITE)["listRequests"] == [1, 2, 3]

    page.goto(list_url(page=2))                                                  # the URL's page=
    wait_rows(page, IDS[1])
    assert srv.state(SITE)["listRequests"] == [1, 2, 3, 2]


def test_expected_extract_agrees_with_rendered_dom(page, srv):
    responses = []
    page.on("response", lambda r: responses.append(r) if r.url.startswith("https://h5api.m.1688.com/") else None)
    for number, want in enumerate(EXPECTED["pages"], start=1):
        responses.clear()
        page.goto(list_url(page=number))
        wait_rows(page, IDS[number - 1])
        got = page.evaluate(READ_DOM_JS, NAMES_2026)
        assert model(got) == want
        # the package lines read "<物流名>：<单号>" then date/time and the latest track, or 无
        for o in got:
            for pk, line in zip(o["packages"], o["_lines"]):
                main = line["main"]
                assert main.startswith(f"{pk['courier_text']}：{pk['tracking']}")
                rest = main[len(pk["courier_text"]) + 1 + len(pk["tracking"]):]
                assert rest == "" or re.match(r"2026-\d\d-\d\d \d\d:\d\d:\d\d【[^】]+】", rest), rest
                if rest == "":
                    assert line["status"] == "已发货" and "\n无" in line["text"]
        # and the mtop reply of that page carries the same orders
        _, reply = parse_jsonp(responses[-1].text())
        orders = json.loads(reply["data"]["data"]["result"])["data"]["data"]
        assert [rep.expected_order(o) for o in orders] == want
    assert srv.state(SITE)["listRequests"] == [1, 2, 3]
    flat = [o for p in EXPECTED["pages"] for o in p]
    assert "其他：买家自提" in json.dumps([f"{pk['courier_text']}：{pk['tracking']}" for o in flat for pk in o["packages"]],
                                     ensure_ascii=False)


def test_changed_layout_serves_and_differs_as_changes_says(tmp_path_factory):
    assert rep.AlibabaBuyer2026Changed.CHANGES is rep.CHANGES
    assert {c["expect"] for c in rep.CHANGES} == {"survive", "report"}
    server = ReplicaServer([SITE], layouts={SITE: "2026-changed"}).start()
    context = launch_chromium(tmp_path_factory.mktemp("alibaba2026changed-profile"),
                              resolver_rules=server.host_resolver_rules())
    try:
        assert server.layout(SITE) == "2026-changed"
        page = context.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r) if r.url.startswith("https://h5api.m.1688.com/") else None)
        page.goto("https://trade.1688.com/order/buyer_order_list.htm")
        assert page.url == rep.LIST_URL + "?page=1&pageSize=10"
        wait_rows(page, IDS[0])
        dom = page.evaluate("""() => {
          const app = document.querySelector('app-root');
          const list = app.shadowRoot.querySelector('order-list');
          const items = [...list.shadowRoot.querySelector('div.order-list-content').querySelectorAll('order-item')];
          const shipped = items.find((it) => it.shadowRoot.querySelector('order-item-status').shadowRoot.querySelector('.logistics-item'));
          const r = items[0].shadowRoot;
          const ss = shipped.shadowRoot.querySelector('order-item-status').shadowRoot;
          const up = r.querySelector('order-item-entry-unit-price').shadowRoot;
          const seller = r.querySelector('order-item-seller-info').shadowRoot;
          const pag = list.shadowRoot.querySelector('lu-pagination').shadowRoot;
          return {
            qTheme: !!app.shadowRoot.querySelector('div > main > q-theme > order-list'),
            provider: !!app.shadowRoot.querySelector('div > main > q-config-provider > order-list'),
            oldHeader: !!r.querySelector('div.order-item-header, div.item-header-left, div.item-header-right, span.buyer-account'),
            newHeader: !!r.querySelector('div.order-item-head > div.head-left span.order-id copy-to-clipboard[text]')
                       && !!r.querySelector('div.head-right dialog-memo') && !!r.querySelector('div.head-left span.buyer-login'),
            idLines: r.querySelector('span.order-id').innerText.split('\\n'),
            itemLevelLogistics: items.some((it) => it.shadowRoot.querySelector('.order-logistics-container')),
            movedLine: ss.querySelector('.logistics-brief .logistics-item .logistics-main').innerText,
            oldUnit: !!up.querySelector('.actual-unit-price'), newUnit: up.querySelector('.unit-price-actual').lastChild.textContent,
            oldSellerId: !!seller.querySelector('.seller-id-text'), newSellerId: !!seller.querySelector('.seller-login-id'),
            simple: pag.querySelector('.simple-page').textContent,
            memoKeys: Object.keys(JSON.parse(r.querySelector('dialog-memo').shadowRoot.querySelector('q-form').getAttribute('initialvalues'))),
          };
        }""")
        _, reply = parse_jsonp(responses[-1].text())
        raw = reply["data"]["data"]["result"]
        parsed = json.loads(raw)
        orders = parsed["data"]["data"]
        checks = {
            "theme-wrapper": lambda: not dom["qTheme"] and dom["provider"],
            "header-classes": lambda: not dom["oldHeader"] and dom["newHeader"] and dom["idLines"][0] == "订单号",
            "logistics-moved": lambda: not dom["itemLevelLogistics"] and re.match(r"^\S+：\S+", dom["movedLine"]),
            "unit-price-class": lambda: not dom["oldUnit"] and re.fullmatch(r"\d+\.\d\d", dom["newUnit"]),
            "seller-id-class": lambda: not dom["oldSellerId"] and dom["newSellerId"],
            "pager-text": lambda: dom["simple"] == "第 1 / 3 页",
            "memo-json": lambda: dom["memoKeys"] == ["flag", "memoType", "remark"],
            "reply-extra-fields": lambda: "extInfo" in parsed and all("bizTags" in o and "tradeTypeLabel" in o for o in orders),
            "reply-tracking-renamed": lambda: ('"trackingNo"' not in raw and '"mailNo"' not in raw
                                               and '"logisticsNo"' in raw and '"waybillNo"' in raw),
        }
        assert set(checks) == {c["id"] for c in rep.CHANGES}
        for change_id, check in checks.items():
            assert check(), change_id
        # what the survivable DOM changes keep: the same values are still on the page
        assert model(page.evaluate(READ_DOM_JS, NAMES_CHANGED)) == EXPECTED["pages"][0]
        # the reply, read with the 2026 names, loses the tracking numbers (hence "report")
        shipped = [o for o in orders if o["logisticsOrderList"]]
        assert shipped and all("mailNo" not in p for o in shipped for p in o["logisticsOrderList"])
    finally:
        context.close()
        server.stop()
