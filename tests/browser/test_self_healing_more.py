"""指给我看 (self-healing) per site for the newer adapters, in real Chromium with the shipped extension
and a real helper process — the same proof as test_self_healing.py: on each site's "2026-relabelled"
replica (tests/support/replicas/relabelled_more_2026.py: one field the adapter needs worded so that no
synonym knows it) the adapter fails and reports — nothing filled, nothing sent to the platform — the
person points at the field with real mouse clicks, the same task then succeeds (the replica records
exactly the shipment the helper made) and on the next page load the patch is used without pointing.

- 千牛 (taobao-seller, one 发货 page per order): the number field labelled 面单编码. The walk through
  the ready orders' pages waits on the page that failed until the person has pointed and pressed
  重新填写; the next orders' pages (new page loads) are filled with the patch.
- 京东商家 (jd-seller, 出库 dialog): the carrier <select> labelled 承运方. The person opens a 出库
  dialog, points at the select, 重新填写 fills; after a reload the next order is filled unaided.
- 快手小店 (kuaishou-seller, 发货 dialog): the confirm button reads 提交运单. The person opens a 发货
  dialog and points at the button (pick mode: the click does not submit), 重新填写 fills and the
  person's click on the pointed button ships; after a reload the next order is filled unaided.
- 微信小店 (wechat-seller, 订单发货 dialog): the courier <select> labelled 配送快递, as for 京东.
"""
from __future__ import annotations

import json

import pytest

from tests.browser.test_self_healing import PANEL, STORED, page_reports, panel, panel_text, point_and_confirm
from tests.support.extension import FIRE, PROGRESS, SEND, ExtensionEnv, pair, wait_for, here
from tests.support.helper_server import HelperProcess
from tests.support.replicas import jd_seller_2026 as jd
from tests.support.replicas import kuaishou_seller_2026 as ks
from tests.support.replicas import relabelled_more_2026 as relabelled
from tests.support.replicas import taobao_seller_2026 as tb
from tests.support.replicas import wechat_seller_2026 as wx

pytestmark = pytest.mark.browser

LAYOUT = "2026-relabelled"


class Env(ExtensionEnv):
    """ExtensionEnv for a site served on several hosts (`patterns`: the tab URLs of its pages)."""

    def __init__(self, site, tmp, patterns):
        super().__init__(site, LAYOUT, tmp)
        self.patterns = patterns

    def raw(self, msg):
        return self.sw.evaluate(SEND, [self.patterns, msg])

    def fire(self, msg):
        self.sw.evaluate(FIRE, [self.patterns, msg])


@pytest.fixture
def helper(tmp_path):
    proc = HelperProcess(tmp_path / "danhao.db").start()
    yield proc
    proc.stop()


def heal_box(page):
    return page.locator(f'{PANEL} [data-role="heal"]')


def post_purchases(helper, purchases):
    r = helper.api("POST", "/api/v1/purchase-orders", json={"site": "alibaba-buyer", "orders": purchases})
    assert r.status_code in (200, 201), r.text


def ready_shipment(helper, site, order_id):
    ships = [s for s in helper.api("GET", f"/api/v1/shipments?site={site}&order_id={order_id}").json()["shipments"]
             if s["status"] == "ready"]
    assert len(ships) == 1, ships
    return ships[0]



def test_every_swap_is_still_in_the_2026_scripts():
    """The relabelled layouts change what they claim to: each swapped text is in its script once."""
    folders = {"taobao-seller": tb.FOLDER, "jd-seller": jd.FOLDER, "kuaishou-seller": ks.FOLDER,
               "wechat-seller": wx.FOLDER}
    for site, swaps in relabelled.SWAPS.items():
        for name, pairs in swaps.items():
            relabelled.swapped(folders[site], name, pairs)      # AssertionError when a text is gone


# --- 千牛: the 发货 page's number field ------------------------------------------------------------

TB_PATTERNS = ["https://myseller.taobao.com/*", "https://qn.taobao.com/*"]
TB_ALL = [o for page in json.loads((tb.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))["pages"] for o in page]
TB_RECORDS = {r["id"]: r for r in tb.load_orders()}
TB_PAID = [o["order_id"] for o in TB_ALL if o["status"] == "买家已付款"
           and not any(op["text"] in tb.AFTER_SALE_OPEN for s in TB_RECORDS[o["order_id"]]["subOrders"] for op in s["operations"])]


def tb_purchase(order_id: str, courier: str, number: str, n: int) -> dict:
    """A supplier's purchase shipped for `order_id` (the sale named in its remark: the list shows no receiver)."""
    o = next(x for x in TB_ALL if x["order_id"] == order_id)
    return {"order_id": f"39200000000000{n:05d}", "supplier": "义乌晨光工厂", "status": "已发货",
            "ship_to": {"name": "李*", "phone": "138****0000",
                        "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路"}},
            "items": [{"title": o["items"][0]["title"], "quantity": 1, "price": "9.00"}],
            "remark": f"淘宝 {order_id}", "packages": [{"courier_text": courier, "tracking": number}]}


def tb_confirm_pointed(env, page, order_ids):
    """On the 发货 page the walk opened: the order it shows is one of `order_ids`; the person clicks the
    pointed 确认发货 and the replica records it. → that order id."""
    def pointed_page():
        # The pointed button of a page whose address names one of the orders (not the last page
        # still showing while the next one loads).
        if not page.locator('[data-danhao-point="confirm"]').count():
            return None
        url = here(page)
        return next((o for o in order_ids if f"tradeId={o}" in url and not any(
            s["order_id"] == o for s in env.shipped())), None)
    order_id = wait_for(pointed_page, timeout=60, what="the pointed 确认发货 of a planned order")
    assert heal_box(page).count() == 0                     # nobody points: the patch finds the field
    page.locator('[data-danhao-point="confirm"]').click()  # the person confirms
    wait_for(lambda: any(s["order_id"] == order_id for s in env.shipped()), timeout=30, what=f"{order_id} shipped")
    return order_id


def test_taobao_ship_page_number_is_pointed_at_once_then_every_ship_page_fills(tmp_path, helper):
    env = Env("taobao-seller", tmp_path / "profile", TB_PATTERNS)
    pair(env.sw, helper)
    try:
        page = env.open()
        synced = env.raw({"type": "popup:sync"})
        assert synced["ok"], synced
        packages = {TB_PAID[0]: ("中通快递", "73012345678921"), TB_PAID[1]: ("顺丰速运", "SF1234567890121"),
                    TB_PAID[2]: ("圆通速递", "YT7512345678921")}
        post_purchases(helper, [tb_purchase(o, c, n, i) for i, (o, (c, n)) in enumerate(packages.items())])

        # 1. 填写发货: the walk opens the first ready order's 发货 page; the adapter finds 物流公司 but
        #    not the number: reported, nothing filled, nothing sent — and the walk waits on this page.
        env.fire({"type": "popup:fill"})
        panel(page, '[data-role="heal"] li[data-field="tracking"]').wait_for(timeout=60_000)
        first = next(o for o in packages if f"tradeId={o}" in here(page))
        assert "页面已改版" in panel_text(page)
        assert env.shipped() == [] and env.srv.state("taobao-seller")["shipRequests"] == []
        assert page.locator("#mailNo").input_value() == ""
        assert any("运单号" in e["data"]["message"] and e["site"] == "taobao-seller"
                   for e in wait_for(lambda: page_reports(helper), what="the report"))
        assert env.sw.evaluate(STORED) in (None, [])
        page.wait_for_timeout(1500)                         # the walk would have moved on by now
        assert f"tradeId={first}" in here(page) and heal_box(page).count() == 1

        # 2. The person points at the field (the 自己联系物流 form is already open).
        number = page.locator("#mailNo")
        point_and_confirm(page, "tracking", number, expect_desc=["「面单编码」", "输入框"], expect_value="（空）")
        assert page.evaluate("() => document.activeElement && document.activeElement.id") != "mailNo"
        (saved,) = env.sw.evaluate(STORED)
        loc = saved["locator"]
        assert (saved["site"], saved["field"]) == ("taobao-seller", "tracking")
        assert loc["kind"] == "field" and loc["control"] == "text" and loc["labels"] == ["面单编码"]
        assert "class" not in json.dumps(loc) and "mailNo" not in json.dumps(loc)
        assert [(p["field"], p["locator"]) for p in helper.api("GET", "/api/v1/patches?site=taobao-seller").json()["patches"]] == [
            ("tracking", loc)]

        # 3. 重新填写: this page's order is filled with the helper's number; the person confirms.
        panel(page, '[data-action="retry"]').click()
        page.locator('[data-danhao-point="confirm"]').wait_for(timeout=60_000)
        assert page.locator("#mailNo").input_value() == packages[first][1]
        page.locator('[data-danhao-point="confirm"]').click()
        wait_for(lambda: len(env.shipped()) == 1, timeout=30, what="the replica to ship")

        # 4. The walk goes on: each next 发货 page is a new page load, filled with the patch, no pointing.
        rest = [o for o in packages if o != first]
        done = [tb_confirm_pointed(env, page, rest) for _ in rest]
        assert sorted(done) == sorted(rest)
        wait_for(lambda: here(page).startswith(tb.MAIN_URL) and "已确认" in panel_text(page), timeout=60,
                 what="the summary on the list")
        shipped = {s["order_id"]: s for s in env.shipped()}
        assert set(shipped) == set(packages)
        for order_id, (courier, number_) in packages.items():
            assert (shipped[order_id]["company_name"], shipped[order_id]["tracking_number"], shipped[order_id]["by"]) == (
                courier, number_, "user")
        made = {s["order_id"]: s for s in helper.api("GET", "/api/v1/shipments?site=taobao-seller").json()["shipments"]}
        for order_id, (_, number_) in packages.items():
            assert made[order_id]["number"] == number_
        requests = env.srv.state("taobao-seller")["shipRequests"]
        assert sorted(r["body"]["mailNo"] for r in requests) == sorted(n for _, n in packages.values())
    finally:
        env.close()


# --- 京东商家: the 出库 dialog's carrier select ------------------------------------------------------

JD_PATTERNS = ["https://shop.jd.com/*", "https://trade-order-jdm.jd.com/*"]
JD_PAGE1 = json.loads((jd.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))["pages"][0]
JD_SINGLE = [o["order_id"] for o in JD_PAGE1 if len(o["items"]) == 1]


def jd_purchase(order_id: str, courier: str, number: str, n: int) -> dict:
    o = next(x for x in JD_PAGE1 if x["order_id"] == order_id)
    return {"order_id": f"39300000000000{n:05d}", "supplier": "义乌晨光工厂", "status": "已发货",
            "ship_to": o["buyer"], "items": [{"title": o["items"][0]["title"], "quantity": 1, "price": "9.00"}],
            "remark": f"京东 {order_id}", "packages": [{"courier_text": courier, "tracking": number}]}


def jd_dialog(page):
    return page.locator("[role=dialog]").filter(has_text="订单出库")


def dialog_confirm_one(env, page, order_ids, stop, button=None):
    """The pointed button of a ship dialog of one of `order_ids` (reading `button` when given): the
    person clicks it, then (`stop`) presses 停止; the fill ends. → that order id."""
    page.locator('[data-danhao-point="confirm"]').wait_for(timeout=60_000)
    text = page.locator("[role=dialog]", has=page.locator("[data-danhao-point]")).inner_text()
    order_id = next(o for o in order_ids if o in text)
    if button:
        assert page.locator('[data-danhao-point="confirm"]').inner_text().strip() == button
    before = len(env.shipped())
    page.locator('[data-danhao-point="confirm"]').click()
    wait_for(lambda: len(env.shipped()) == before + 1, timeout=30, what=f"{order_id} shipped")
    if stop:
        page.locator(f'{PANEL} [data-action="stop"]').click()
    wait_for(lambda: (env.sw.evaluate(PROGRESS) or {}).get("finished"), what="the fill to end")
    return order_id


def test_jd_dialog_carrier_is_pointed_at_once_then_fills_and_after_a_reload(tmp_path, helper):
    env = Env("jd-seller", tmp_path / "profile", JD_PATTERNS)
    pair(env.sw, helper)
    try:
        page = env.open()
        synced = env.raw({"type": "popup:sync"})
        assert synced["ok"], synced
        packages = {JD_SINGLE[0]: ("中通快递", "73012345678941"), JD_SINGLE[1]: ("中通快递", "73012345678942")}
        post_purchases(helper, [jd_purchase(o, c, n, i) for i, (o, (c, n)) in enumerate(packages.items())])

        # 1. 填写发货: the 出库 dialog has 运单号 but no carrier field Danhao knows: reported, nothing filled.
        env.fire({"type": "popup:fill"})
        panel(page, '[data-role="heal"] li[data-field="courier"]').wait_for(timeout=60_000)
        assert "页面已改版" in panel_text(page)
        assert env.shipped() == [] and env.srv.state("jd-seller")["shipRequests"] == []
        assert any("物流公司" in e["data"]["message"] and e["site"] == "jd-seller"
                   for e in wait_for(lambda: page_reports(helper), what="the report"))
        assert env.sw.evaluate(STORED) in (None, [])
        assert "「订单出库」对话框" in panel(page, 'li[data-field="courier"] .where').inner_text()
        assert jd_dialog(page).count() == 0                  # Danhao closed the dialog it opened

        # 2. The person opens a 出库 dialog (a notice in the way first) and points at the carrier list.
        notice = page.get_by_role("button", name="我知道了")
        if notice.count():
            notice.first.click()
        first = next(iter(packages))
        card = page.locator(f"xpath=//*[normalize-space()='订单号：{first}']/ancestor::*[.//button[normalize-space()='出库']][1]")
        card.get_by_role("button", name="出库", exact=True).first.click()
        select = jd_dialog(page).locator("select")
        wait_for(lambda: select.count() and select.locator("option").count() > 1, what="the carriers to load")
        point_and_confirm(page, "courier", select, expect_desc=["「订单出库」对话框", "「承运方」", "下拉框"],
                          expect_value="请选择承运方")
        (saved,) = env.sw.evaluate(STORED)
        loc = saved["locator"]
        assert (saved["site"], saved["field"]) == ("jd-seller", "courier")
        assert loc["kind"] == "field" and loc["control"] == "select" and loc["labels"] == ["承运方"]
        assert loc["scope"] == {"dialog": "订单出库"}
        assert "class" not in json.dumps(loc)
        assert [p["locator"] for p in helper.api("GET", "/api/v1/patches?site=jd-seller").json()["patches"]] == [loc]

        # 3. 重新填写: the carriers are read through the patch, the order filled; the person confirms.
        panel(page, '[data-action="retry"]').click()
        order_1 = dialog_confirm_one(env, page, list(packages), stop=True)

        # 4. Reload: the next order is filled with the patch, nobody points.
        page.reload()
        env.fire({"type": "popup:fill"})
        order_2 = dialog_confirm_one(env, page, [o for o in packages if o != order_1], stop=False)
        assert heal_box(page).count() == 0
        shipped = {s["order_id"]: s for s in env.shipped()}
        assert set(shipped) == {order_1, order_2} == set(packages)
        for order_id, (_, number) in packages.items():
            made = ready_shipment(helper, "jd-seller", order_id)
            assert (shipped[order_id]["tracking_number"], shipped[order_id]["by"]) == (number, "user")
            assert made["number"] == number and shipped[order_id]["carrier_name"] == made["target"]["option"]
    finally:
        env.close()


# --- 快手小店: the 发货 dialog's confirm button -------------------------------------------------------

KS_PATTERNS = ["https://s.kwaixiaodian.com/*"]
KS_PAGE1 = json.loads((ks.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))["pages"][0]
KS_PENDING = [o for o in KS_PAGE1 if o["status"] == "待发货"]


def ks_purchase(order, courier, number, n):
    return {"order_id": f"39200000000000{n:05d}", "supplier": "义乌晨光工厂", "status": "已发货",
            "ship_to": order["buyer"], "items": [{"title": order["items"][0]["title"], "quantity": 1, "price": "9.00"}],
            "remark": f"快手 {order['order_id']}", "packages": [{"courier_text": courier, "tracking": number}]}


def test_kuaishou_dialog_confirm_button_is_pointed_at_once_then_fills_and_after_a_reload(tmp_path, helper):
    env = Env("kuaishou-seller", tmp_path / "profile", KS_PATTERNS)
    pair(env.sw, helper)
    try:
        page = env.open()
        synced = env.raw({"type": "popup:sync"})
        assert synced["ok"], synced
        packages = {KS_PENDING[0]["order_id"]: ("中通快递", "73012345678951"),
                    KS_PENDING[1]["order_id"]: ("顺丰速运", "SF1234567890151")}
        post_purchases(helper, [ks_purchase(o, *packages[o["order_id"]], i) for i, o in enumerate(KS_PENDING[:2])])

        # 1. 填写发货: the dialog has both fields but no confirm button Danhao knows: reported, nothing sent.
        env.fire({"type": "popup:fill"})
        panel(page, '[data-role="heal"] li[data-field="confirmShip"]').wait_for(timeout=60_000)
        assert "页面已改版" in panel_text(page)
        assert env.shipped() == [] and env.srv.state("kuaishou-seller")["shipRequests"] == []
        assert any("确认发货" in e["data"]["message"] and e["site"] == "kuaishou-seller"
                   for e in wait_for(lambda: page_reports(helper), what="the report"))
        assert env.sw.evaluate(STORED) in (None, [])
        assert "「发货」对话框" in panel(page, 'li[data-field="confirmShip"] .where').inner_text()

        # 2. The person opens a 发货 dialog (a notice in the way first) and points at its button.
        notice = page.locator("[role=dialog]").filter(has_text="平台公告")
        if notice.count() and notice.is_visible():
            notice.get_by_role("button").last.click()
        first = next(iter(packages))
        row = page.locator(f"xpath=//*[normalize-space()='{first}']/ancestor::*[.//button[normalize-space()='发货']][1]")
        row.get_by_role("button", name="发货", exact=True).first.click()
        dialog = page.locator("[role=dialog]").filter(has_text="提交运单")
        button = dialog.get_by_role("button", name="提交运单")
        button.wait_for()
        point_and_confirm(page, "confirmShip", button, expect_desc=["「发货」对话框", "「提交运单」", "按钮"],
                          expect_value="提交运单")
        assert env.srv.state("kuaishou-seller")["shipRequests"] == []     # pick mode's click did not submit
        (saved,) = env.sw.evaluate(STORED)
        loc = saved["locator"]
        assert (saved["site"], saved["field"]) == ("kuaishou-seller", "confirmShip")
        assert loc["kind"] == "button" and loc["text"] == "提交运单" and loc["scope"] == {"dialog": "发货"}
        assert "class" not in json.dumps(loc) and "btn" not in json.dumps(loc)
        assert [p["locator"] for p in helper.api("GET", "/api/v1/patches?site=kuaishou-seller").json()["patches"]] == [loc]

        # 3. 重新填写: the order is filled and the patch's button pointed at; the person clicks it.
        panel(page, '[data-action="retry"]').click()
        order_1 = dialog_confirm_one(env, page, list(packages), stop=True, button="提交运单")

        # 4. Reload: the next order is filled with the patch, nobody points.
        page.reload()
        env.fire({"type": "popup:fill"})
        order_2 = dialog_confirm_one(env, page, [o for o in packages if o != order_1], stop=False, button="提交运单")
        assert heal_box(page).count() == 0
        shipped = {s["oid"]: s for s in env.shipped()}
        assert set(shipped) == {order_1, order_2} == set(packages)
        for order_id, (courier, number) in packages.items():
            made = ready_shipment(helper, "kuaishou-seller", order_id)
            assert (shipped[order_id]["expressNo"], shipped[order_id]["by"]) == (number, "user") and made["number"] == number
            assert shipped[order_id]["expressName"].startswith(courier[:2])
    finally:
        env.close()


# --- 微信小店: the 订单发货 dialog's courier select ---------------------------------------------------

WX_PATTERNS = ["https://store.weixin.qq.com/*"]
WX_PAGE1 = json.loads((wx.FOLDER / "expected-extract.json").read_text(encoding="utf-8"))["pages"][0]
WX_PENDING = [o for o in WX_PAGE1 if o["status"] == "待发货" and len(o["items"]) == 1]


def wx_purchase(order, courier, number, n):
    return {"order_id": f"39300000000000{n:05d}", "supplier": "义乌晨光工厂", "status": "已发货",
            "ship_to": order["buyer"], "items": [{"title": order["items"][0]["title"], "quantity": 1, "price": "9.00"}],
            "remark": f"微信小店 {order['order_id']}", "packages": [{"courier_text": courier, "tracking": number}]}


def test_wechat_dialog_courier_is_pointed_at_once_then_fills_and_after_a_reload(tmp_path, helper):
    env = Env("wechat-seller", tmp_path / "profile", WX_PATTERNS)
    pair(env.sw, helper)
    try:
        page = env.open()
        synced = env.raw({"type": "popup:sync"})
        assert synced["ok"], synced
        packages = {WX_PENDING[0]["order_id"]: ("中通快递", "73012345678961"),
                    WX_PENDING[1]["order_id"]: ("顺丰速运", "SF1234567890161")}
        post_purchases(helper, [wx_purchase(o, *packages[o["order_id"]], i) for i, o in enumerate(WX_PENDING[:2])])

        # 1. 填写发货: no dialog shows a courier field Danhao knows: reported, nothing filled.
        env.fire({"type": "popup:fill"})
        panel(page, '[data-role="heal"] li[data-field="courier"]').wait_for(timeout=90_000)
        assert "页面已改版" in panel_text(page)
        assert env.shipped() == [] and env.srv.state("wechat-seller")["shipRequests"] == []
        assert any("快递公司" in e["data"]["message"] and e["site"] == "wechat-seller"
                   for e in wait_for(lambda: page_reports(helper), what="the report"))
        assert env.sw.evaluate(STORED) in (None, [])
        assert "「订单发货」对话框" in panel(page, 'li[data-field="courier"] .where').inner_text()

        # 2. The person opens a 订单发货 dialog and points at the courier list.
        first = next(iter(packages))
        page.locator(f'td:has(a[href$="{first}"]) button', has_text="发货").click()
        select = page.locator("[role=dialog]").filter(has_text="配送快递").locator("select")
        wait_for(lambda: select.count() and select.locator("option").count() > 1, what="the couriers to load")
        point_and_confirm(page, "courier", select, expect_desc=["「订单发货」对话框", "「配送快递」", "下拉框"],
                          expect_value="请选择配送快递")
        (saved,) = env.sw.evaluate(STORED)
        loc = saved["locator"]
        assert (saved["site"], saved["field"]) == ("wechat-seller", "courier")
        assert loc["kind"] == "field" and loc["control"] == "select" and loc["labels"] == ["配送快递"]
        assert loc["scope"] == {"dialog": "订单发货"} and "class" not in json.dumps(loc)
        assert [p["locator"] for p in helper.api("GET", "/api/v1/patches?site=wechat-seller").json()["patches"]] == [loc]

        # 3. 重新填写: the couriers are read through the patch, the order filled; the person confirms.
        panel(page, '[data-action="retry"]').click()
        order_1 = dialog_confirm_one(env, page, list(packages), stop=True)

        # 4. Reload: the next order is filled with the patch, nobody points.
        page.reload()
        env.fire({"type": "popup:fill"})
        order_2 = dialog_confirm_one(env, page, [o for o in packages if o != order_1], stop=False)
        assert heal_box(page).count() == 0
        shipped = {s["orderId"]: s for s in env.shipped()}
        assert set(shipped) == {order_1, order_2} == set(packages)
        for order_id, (courier, number) in packages.items():
            made = ready_shipment(helper, "wechat-seller", order_id)
            assert (shipped[order_id]["waybillId"], shipped[order_id]["by"]) == (number, "user") and made["number"] == number
            assert shipped[order_id]["deliveryName"].startswith(courier[:2])
    finally:
        env.close()
