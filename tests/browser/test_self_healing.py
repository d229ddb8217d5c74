"""指给我看 (self-healing) in real Chromium with the shipped extension and a real helper process.

On each site's "2026-relabelled" replica (tests/support/replicas/relabelled_2026.py: one field
worded so that no synonym knows it) the adapter fails — the page change is reported and nothing
is filled or sent — the person points at the field with real mouse clicks (pick mode: hover
outline, Esc cancels, clicks never reach the page), the panel shows what will be filled or read
and, on 确认, the patch is saved in chrome.storage and in the helper; the same task then succeeds
(the replica records the right shipment, the helper the right orders). After a reload, and after
a fresh profile paired with the same helper (a reinstall: the patches are pulled from the
helper), the patch is used without pointing.

- 拼多多 (pdd-seller, fills): the 发货 dialog's number field labelled 面单编码, no placeholder.
- 抖店 (douyin-seller, reads its list): the 实付金额 column headed 顾客支付, amounts as "22.90 元".
- 1688 (alibaba-buyer, reads): package lines "承运公司：… 快件单号：…", the reply's number renamed.

Also: the options page lists patches per site, exports them, imports a file (a bad one changes
nothing and says why in Chinese and English), removes them; a saved patch that no longer finds
its element is reported, not used; and the locator derivation itself (lib/pointing.js alone in a
page) never emits a hashed class name, an id or a path, and still finds the element after the
page is rebuilt with new class names and extra wrappers.
"""
from __future__ import annotations

import json
import random
import re
import string

import pytest

from tests.support.browser import launch_chromium
from tests.support.extension import PROGRESS, ExtensionEnv, pair, service_worker, wait_for
from tests.support.helper_server import HelperProcess
from tests.support.replica_server import SITES_DIR
from tests.support.replicas.alibaba_buyer_2026 import expected_order as purchase_of
from tests.support.replicas.demo_data import linked_purchases

pytestmark = pytest.mark.browser

REPO = SITES_DIR.parents[2]
PANEL = "#danhao-panel-host"
LAYOUT = "2026-relabelled"
CJK = re.compile(r"[\u4e00-\u9fff]")
STORED = "async () => (await chrome.storage.local.get('danhao.patches'))['danhao.patches'] ?? null"
POINTED = """() => {
  const b = document.querySelector('[data-danhao-point="confirm"]');
  if (!b) return null;
  const m = b.closest('[data-testid="beast-core-modal"]');
  const id = ((m ? m.textContent : '').match(/订单(?:编)?号[：:]?\\s*([0-9]{6}-[0-9]+)/) || [])[1] || null;
  return {order_id: id};
}"""


def expected(site):
    return json.loads((SITES_DIR / site / "2026" / "expected-extract.json").read_text(encoding="utf-8"))["pages"]


def panel(page, selector):
    return page.locator(f"{PANEL} {selector}")


def panel_text(page):
    return page.locator(PANEL).evaluate("h => h.shadowRoot.querySelector('.body').textContent")


def center(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def real_click(page, locator):
    """A person's click: the pointer moves over the element (hover outline), then clicks."""
    locator.scroll_into_view_if_needed()
    x, y = center(locator.bounding_box())
    page.mouse.move(x - 20, y - 8)
    page.mouse.move(x, y, steps=4)
    page.mouse.click(x, y)


def point_and_confirm(page, field, target, *, expect_desc, expect_value):
    """指给我看 for `field`: click the panel's button, the element on the page, check the preview, 确认."""
    panel(page, f'[data-action="point"][data-field="{field}"]').click()
    panel(page, '[data-role="heal-step"]').filter(has_text="Esc").wait_for()
    real_click(page, target)
    panel(page, '[data-role="heal-preview"]:not([hidden])').wait_for(timeout=10_000)
    desc = panel(page, '[data-role="heal-desc"]').inner_text()
    value = panel(page, '[data-role="heal-value"]').inner_text()
    for part in expect_desc:
        assert part in desc, desc
    assert expect_value in value, value
    # The element is outlined while the person decides.
    box = page.locator("#danhao-pointing-host").evaluate("h => h.shadowRoot.querySelector('.box').getBoundingClientRect().toJSON()")
    tb = target.bounding_box()
    assert abs((box["x"] + box["width"] / 2) - center(tb)[0]) < 3 and abs((box["y"] + box["height"] / 2) - center(tb)[1]) < 3
    assert 0 <= box["width"] - tb["width"] <= 16 and 0 <= box["height"] - tb["height"] <= 16, (box, tb)
    panel(page, '[data-action="point-confirm"]').click()
    panel(page, f'li[data-field="{field}"][data-state="saved"]').wait_for(timeout=10_000)
    return desc


def reinstall(env, tmp_path, helper, name):
    """The same helper, a fresh browser profile: the extension installed anew and paired again."""
    env.ctx.close()
    env.ctx = launch_chromium(tmp_path / name, extension_dir=REPO, resolver_rules=env.srv.host_resolver_rules())
    env.sw = service_worker(env.ctx)
    assert env.sw.evaluate(STORED) is None                     # nothing in storage: a new install
    pair(env.sw, helper)


def page_reports(helper):
    return helper.api("GET", "/api/v1/events?kind=page.changed&limit=50").json()["events"]


@pytest.fixture
def helper(tmp_path):
    proc = HelperProcess(tmp_path / "danhao.db").start()
    yield proc
    proc.stop()


def open_env(site, tmp_path, helper):
    env = ExtensionEnv(site, LAYOUT, tmp_path / "profile")
    pair(env.sw, helper)
    return env


# --- 拼多多: the ship dialog's number field -------------------------------------------------------

def fill_one_then_stop(env, page, helper):
    """popup:fill on the list: the person confirms the first pointed dialog, then presses 停止.
    → (order id, what the replica recorded for it)."""
    before = len(env.shipped())
    env.fire({"type": "popup:fill"})
    row = wait_for(lambda: page.evaluate(POINTED), timeout=60, what="the first pointed 确认发货")
    page.locator('[data-danhao-point="confirm"]').click()
    wait_for(lambda: len(env.shipped()) == before + 1, what="the replica to record the shipment")
    wait_for(lambda: (page.evaluate(POINTED) or {}).get("order_id") != row["order_id"], what="the dialog to close")
    page.locator(f'{PANEL} [data-action="stop"]').click()
    wait_for(lambda: (env.sw.evaluate(PROGRESS) or {}).get("finished"), what="the walk to stop")
    return row["order_id"], env.shipped()[-1]


def assert_right_shipment(helper, order_id, shipped):
    """What the replica shipped is exactly the helper's ready shipment for that order."""
    ships = [s for s in helper.api("GET", f"/api/v1/shipments?site=pdd-seller&order_id={order_id}").json()["shipments"]
             if s["status"] == "ready"]
    assert len(ships) == 1, ships
    assert shipped["orderSn"] == order_id and shipped["by"] == "user"
    assert (shipped["trackingNumber"], shipped["shippingName"]) == (ships[0]["number"], ships[0]["target"]["option"])


def test_pdd_fill_fails_then_the_person_points_then_it_fills_after_reload_and_reinstall(tmp_path, helper):
    env = open_env("pdd-seller", tmp_path, helper)
    try:
        # The seller's purchases (1688, tied to these 拼多多 orders) are known to the helper.
        purchases = [purchase_of(r) for r in linked_purchases()["orders"] if r.get("logisticsOrderList")]
        assert helper.api("POST", "/api/v1/purchase-orders", json={"site": "alibaba-buyer", "orders": purchases}).ok
        page = env.open()
        synced = env.raw({"type": "popup:sync"})
        assert synced["ok"] and synced["data"]["orders"] == 20, synced

        # 1. The adapter finds 物流公司 but not the number field: reported, nothing filled.
        env.fire({"type": "popup:fill"})
        panel(page, '[data-role="heal"] li[data-field="tracking"]').wait_for(timeout=60_000)
        assert env.shipped() == []
        assert "页面已改版" in panel_text(page)
        assert any("运单号" in e["data"]["message"] for e in wait_for(lambda: page_reports(helper), what="the report"))
        assert env.sw.evaluate(STORED) in (None, [])
        hint = panel(page, 'li[data-field="tracking"] .where').inner_text()
        assert "「发货」对话框" in hint

        # 2. The person opens a 发货 dialog (the promo and the 待办 alert in the way first).
        for modal, close in ((page.locator('[data-testid="beast-core-modal"]').filter(has_text="年货节"),
                              '[data-testid="beast-core-modal-icon-close"]'),):
            if modal.count():
                modal.locator(close).click()
        todo = page.locator('[data-testid="beast-core-modal"]').filter(has_text="待办")
        if todo.count():
            todo.get_by_role("button", name="我知道了").click()
        first_pending = next(o["order_id"] for o in expected("pdd-seller")[0] if o["status"] == "待发货")
        block = page.locator(f"xpath=//span[normalize-space()='{first_pending}']"
                             "/ancestor::div[.//tr[@data-testid='beast-core-table-body-tr']][1]")
        block.get_by_role("button", name="发货", exact=True).click()
        dialog = page.locator('[data-testid="beast-core-modal"]').filter(has_text="面单编码")
        dialog.wait_for()
        number = dialog.locator('[data-testid="beast-core-form-item"]', has_text="面单编码").locator("input")

        # Esc leaves pick mode with nothing saved; a click on the dialog title is not a field.
        panel(page, '[data-action="point"][data-field="tracking"]').click()
        page.keyboard.press("Escape")
        panel(page, '[data-role="heal-step"]').filter(has_text="已取消").wait_for()
        panel(page, '[data-action="point"][data-field="tracking"]').click()
        real_click(page, dialog.locator('[class*="MDL_title"]'))
        panel(page, '[data-role="heal-step"][data-level="problem"]').wait_for()
        page.keyboard.press("Escape")

        # 3. It points at the field: what will be filled is shown in words, then saved.
        desc = point_and_confirm(page, "tracking", number, expect_desc=["「发货」对话框", "「面单编码」", "输入框"],
                                 expect_value="（空）")
        assert "第 2 个，共 2 个" in desc
        # Pick mode's click never reached the page: the field did not even take focus.
        assert page.evaluate("() => document.activeElement && document.activeElement.tagName") != "INPUT"
        saved = env.sw.evaluate(STORED)
        assert len(saved) == 1 and saved[0]["site"] == "pdd-seller" and saved[0]["field"] == "tracking"
        loc = saved[0]["locator"]
        assert loc["kind"] == "field" and loc["labels"] == ["面单编码"] and loc["scope"] == {"dialog": "发货"}
        assert "class" not in json.dumps(loc) and "MDL" not in json.dumps(loc) and "IPT" not in json.dumps(loc)
        on_helper = helper.api("GET", "/api/v1/patches?site=pdd-seller").json()["patches"]
        assert [(p["field"], p["locator"]) for p in on_helper] == [("tracking", loc)]
        assert on_helper[0]["operator"] == "小王"

        # 4. 重新填写: the same walk now fills, the person confirms, the replica ships the right one.
        panel(page, '[data-action="retry"]').click()
        row = wait_for(lambda: page.evaluate(POINTED), timeout=60, what="a pointed 确认发货")
        page.locator('[data-danhao-point="confirm"]').click()
        wait_for(lambda: len(env.shipped()) == 1, what="the replica to ship")
        page.locator(f'{PANEL} [data-action="stop"]').click()
        wait_for(lambda: (env.sw.evaluate(PROGRESS) or {}).get("finished"), what="the walk to stop")
        assert_right_shipment(helper, row["order_id"], env.shipped()[0])

        # 5. Reload: the patch is used, nobody points.
        page.reload()
        order_2, shipped_2 = fill_one_then_stop(env, page, helper)
        assert panel(page, '[data-role="heal"]').count() == 0
        assert order_2 != row["order_id"]
        assert_right_shipment(helper, order_2, shipped_2)

        # 6. Reinstall (fresh profile, same helper): the helper's patches come back, used at once.
        reinstall(env, tmp_path, helper, "profile-2")
        page = env.ctx.new_page()
        page.goto(env.srv.url("pdd-seller"))
        order_3, shipped_3 = fill_one_then_stop(env, page, helper)
        assert panel(page, '[data-role="heal"]').count() == 0
        assert order_3 not in (row["order_id"], order_2)
        assert_right_shipment(helper, order_3, shipped_3)
        assert [(p["site"], p["field"], p["locator"]) for p in env.sw.evaluate(STORED)] == [("pdd-seller", "tracking", loc)]
        assert len(env.shipped()) == 3
    finally:
        env.close()


# --- 抖店 and 1688: a list field nobody reads ------------------------------------------------------

def sync(env):
    return env.raw({"type": "popup:sync"})


def every_page(env, site):
    """test:extract on every page (patches applied) equals the 2026 expected JSON."""
    want = expected(site)
    for i, orders in enumerate(want):
        if i:
            assert env.send({"type": "test:next-page"}) is True
        got = env.send({"type": "test:extract"})
        assert got["orders"] == orders, f"{site} page {i + 1}"


def test_douyin_list_amount_is_pointed_at_once_and_read_after_reload_and_reinstall(tmp_path, helper):
    env = open_env("douyin-seller", tmp_path, helper)
    want = {o["order_id"]: o["amount"] for o in expected("douyin-seller")[0]}
    try:
        page = env.open()
        # 1. No order shows an amount the adapter knows: the page change is reported, nothing sent.
        r = sync(env)
        assert not r["ok"] and r["error"]["code"] == "page_changed" and "实付金额" in r["error"]["message"]
        assert helper.api("GET", "/api/v1/status").json()["sales_orders"] == 0
        wait_for(lambda: any("实付金额" in e["data"]["message"] for e in page_reports(helper)), what="the report")
        panel(page, 'li[data-field="amount"]').wait_for()

        # 2. The person points at one order's amount: the column is described by its header.
        guide = page.get_by_role("button", name="知道了")
        if guide.count():
            guide.click()
        first = expected("douyin-seller")[0][0]
        cell = page.locator("td").filter(has_text=f"{first['amount']} 元").first.locator("div").first
        point_and_confirm(page, "amount", cell, expect_desc=["「顾客支付」", "那一列"], expect_value=first["amount"])
        loc = env.sw.evaluate(STORED)[0]["locator"]
        assert loc == {"kind": "column", "header": "顾客支付", "sample": f"{first['amount']} 元"}

        # 3. 重新同步: every order with its amount, in the helper too.
        panel(page, '[data-action="retry"]').click()
        wait_for(lambda: helper.api("GET", "/api/v1/status").json()["sales_orders"] == 20, what="the sync")
        stored = helper.api("GET", "/api/v1/sales-orders?site=douyin-seller&limit=100").json()["orders"]
        assert {o["order_id"]: o["amount"] for o in stored} == want

        # 4. Reload: read without pointing, every page equal to the expected extraction.
        page.reload()
        assert sync(env)["ok"]
        assert panel(page, '[data-role="heal"]').count() == 0
        every_page(env, "douyin-seller")

        # 5. Reinstall: pulled from the helper, used at once.
        reinstall(env, tmp_path, helper, "profile-2")
        page = env.ctx.new_page()
        page.goto(env.srv.url("douyin-seller"))
        r = sync(env)
        assert r["ok"] and r["data"]["orders"] == 20, r
        every_page(env, "douyin-seller")
        assert [p["locator"] for p in env.sw.evaluate(STORED)] == [loc]
    finally:
        env.close()


def test_alibaba_packages_are_pointed_at_once_and_read_after_reload_and_reinstall(tmp_path, helper):
    env = open_env("alibaba-buyer", tmp_path, helper)
    page1 = expected("alibaba-buyer")[0]
    try:
        page = env.open()
        # 1. Shipped orders, but no tracking number read: reported, nothing sent.
        r = sync(env)
        assert not r["ok"] and r["error"]["code"] == "page_changed", r
        assert "运单号" in r["error"]["message"] and "快递公司" in r["error"]["message"]
        assert helper.api("GET", "/api/v1/status").json()["purchase_orders"] == 0

        # 2. Point at one order's number and its courier (inside the cards' shadow roots).
        shipped = next(o for o in page1 if o["packages"])
        number = page.locator(".logistics-no", has_text=shipped["packages"][0]["tracking"])
        courier = page.locator(".logistics-company").nth(
            [p["courier_text"] for o in page1 for p in o["packages"]].index(shipped["packages"][0]["courier_text"]))
        point_and_confirm(page, "tracking", number, expect_desc=["「快件单号」"], expect_value=shipped["packages"][0]["tracking"])
        point_and_confirm(page, "courier", courier, expect_desc=["「承运公司」"], expect_value=shipped["packages"][0]["courier_text"])
        locs = {p["field"]: p["locator"] for p in env.sw.evaluate(STORED)}
        assert {k: (v["kind"], v["label"]) for k, v in locs.items()} == {"tracking": ("label", "快件单号"),
                                                                        "courier": ("label", "承运公司")}

        # 3. 重新同步: the purchase orders reach the helper with their packages.
        panel(page, '[data-action="retry"]').click()
        wait_for(lambda: helper.api("GET", "/api/v1/status").json()["purchase_orders"] == len(page1), what="the sync")
        for o in page1:
            got = helper.api("GET", f"/api/v1/purchase-orders/alibaba-buyer/{o['order_id']}").json()
            assert got["packages"] == o["packages"], o["order_id"]

        # 4. Reload: every page (two packages in one order, two numbers in one field) as expected.
        page.reload()
        assert sync(env)["ok"]
        assert panel(page, '[data-role="heal"]').count() == 0
        every_page(env, "alibaba-buyer")

        # 5. Reinstall.
        reinstall(env, tmp_path, helper, "profile-2")
        page = env.ctx.new_page()
        page.goto(env.srv.url("alibaba-buyer"))
        assert sync(env)["ok"]
        every_page(env, "alibaba-buyer")
        assert {p["field"]: p["locator"] for p in env.sw.evaluate(STORED)} == locs
    finally:
        env.close()


# --- the options page, and a patch that no longer resolves --------------------------------------

WRONG = {"site": "pdd-seller", "field": "tracking", "created_at": "2026-11-29T08:00:00Z", "operator": "小李",
         "locator": {"kind": "field", "control": "text", "labels": ["运单编码"], "scope": {"dialog": "发货"}}}
AMOUNT = {"site": "douyin-seller", "field": "amount", "created_at": "2026-11-29T08:01:00+08:00",
          "locator": {"kind": "column", "header": "顾客支付"}}


def test_options_list_export_import_remove_and_an_unresolved_patch_is_reported(tmp_path, helper):
    env = open_env("pdd-seller", tmp_path, helper)
    ext = env.sw.url.split("/")[2]
    try:
        opts = env.ctx.new_page()
        opts.goto(f"chrome-extension://{ext}/extension/options/options.html")
        opts.locator('#patch-list [data-role="none"]').wait_for()

        # Import a team's file: listed per site, in storage and in the helper.
        good = tmp_path / "team.json"
        good.write_text(json.dumps({"kind": "danhao-site-patches", "version": 1, "patches": [WRONG, AMOUNT]},
                                   ensure_ascii=False), encoding="utf-8")
        opts.set_input_files("#patch-import", str(good))
        opts.locator('#patch-result[data-state="ok"]').filter(has_text="2").wait_for()
        opts.locator('#patch-list li[data-site="pdd-seller"][data-field="tracking"]').wait_for()
        row = opts.locator('#patch-list li[data-site="pdd-seller"][data-field="tracking"]').inner_text()
        assert "运单号" in row and "「运单编码」" in row and "「发货」对话框" in row and "小李" in row
        assert "拼多多商家后台" in opts.locator("#patch-list").inner_text()
        assert "douyin-seller" in opts.locator("#patch-list").inner_text()
        before = env.sw.evaluate(STORED)
        assert sorted((p["site"], p["field"]) for p in before) == [("douyin-seller", "amount"), ("pdd-seller", "tracking")]
        on_helper = lambda: sorted((p["site"], p["field"]) for p in helper.api("GET", "/api/v1/patches").json()["patches"])  # noqa: E731
        assert on_helper() == [("douyin-seller", "amount"), ("pdd-seller", "tracking")]

        # Export: the file holds exactly what is stored.
        with opts.expect_download() as info:
            opts.click("#patch-export")
        exported = json.loads(open(info.value.path(), encoding="utf-8").read())
        assert exported["kind"] == "danhao-site-patches" and exported["patches"] == before

        # Bad files: a message in Chinese and English, nothing changed anywhere.
        bad_cases = {
            "not-json.json": "{not json",
            "selector.json": json.dumps([{**AMOUNT, "locator": {**AMOUNT["locator"], "selector": "td.cell_3kq9vw1"}}]),
            "no-header.json": json.dumps([{**AMOUNT, "locator": {"kind": "column"}}]),
            "other.json": json.dumps({"orders": []}),
            "half-good.json": json.dumps([{**AMOUNT, "field": "status"}, {**WRONG, "site": "amazon-seller"}]),
        }
        for name, text in bad_cases.items():
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            opts.set_input_files("#patch-import", str(path))
            result = opts.locator('#patch-result[data-state="error"]')
            result.wait_for()
            message = result.inner_text()
            assert "导入失败" in message and "Import failed" in message and "Nothing was changed" in message, (name, message)
            assert env.sw.evaluate(STORED) == before, name
            assert on_helper() == [("douyin-seller", "amount"), ("pdd-seller", "tracking")], name
            opts.evaluate("() => { const r = document.getElementById('patch-result'); r.textContent = ''; r.dataset.state = ''; }")

        # A saved patch whose field is not there (the file's 运单编码 is not what the page says):
        # reported to the helper's log, never used, nothing filled, pointing offered again.
        page = env.open()
        env.send({"type": "test:extract"})
        order = next(o["order_id"] for o in expected("pdd-seller")[0] if o["status"] == "待发货")
        env.fire({"type": "test:fill", "shipments": [{
            "shipment_id": "s1", "site": "pdd-seller", "order_id": order, "number": "73100248915263",
            "courier": {"id": "zto", "name": "中通快递", "confidence": 0.9},
            "target": {"code": "115", "option": "中通快递"}, "status": "ready", "checks": []}]})
        res = env.wait_pending(page)
        (result,) = res["data"]["results"]
        assert result["result"] == "failed" and "运单号" in result["reason"]
        assert env.shipped() == []
        reports = wait_for(lambda: [e for e in page_reports(helper) if "patch_unresolved" in e["data"]["message"]],
                           what="the unresolved patch report")
        assert reports[0]["site"] == "pdd-seller" and "tracking" in reports[0]["data"]["message"]
        panel(page, 'li[data-field="tracking"]').wait_for()

        # Remove: gone from the list, from storage and from the helper.
        opts = env.ctx.new_page()                           # env.open() closed the other tabs
        opts.goto(f"chrome-extension://{ext}/extension/options/options.html")
        opts.locator('#patch-list li[data-site="pdd-seller"] [data-action="remove"]').click()
        opts.locator('#patch-list li[data-site="pdd-seller"]').wait_for(state="detached")
        assert [(p["site"], p["field"]) for p in env.sw.evaluate(STORED)] == [("douyin-seller", "amount")]
        wait_for(lambda: on_helper() == [("douyin-seller", "amount")], what="the helper to forget it")
        assert "已删除" in opts.locator("#patch-result").inner_text()
    finally:
        env.close()


# --- the locator derivation alone (unit level, no extension) ------------------------------------

def token(rng, prefix):
    return f"{prefix}_{''.join(rng.choices(string.ascii_letters + string.digits, k=7))}"


def fixture_html(seed, wrap=0):
    """A page like the platforms': hashed class names everywhere, generated ids and names, a
    dialog mounted as a portal, a form inside an open shadow root, a flat order table. `wrap`
    extra wrapper divs around each control (a redesign that adds layers)."""
    rng = random.Random(seed)
    c = lambda p: token(rng, p)  # noqa: E731

    def w(inner):
        for _ in range(wrap):
            inner = f'<div class="{c("wrap")}">{inner}</div>'
        return inner

    def item(label, control):
        return (f'<div class="{c("Form_item")}"><div class="{c("Form_itemLabel")}"><label class="{c("req")}">{label}</label></div>'
                f'<div class="{c("Form_itemContent")}">{w(control)}</div></div>')

    dialog = (f'<div class="{c("PT_portal")}"><div class="{c("MDL_mask")}"></div><div class="{c("MDL_wrapper")}">'
              f'<div role="dialog" aria-modal="true" class="{c("MDL_modal")}"><div class="{c("MDL_header")}">'
              f'<div class="{c("MDL_title")}">发货</div></div><div class="{c("MDL_body")}">'
              + item("快递公司", f'<input class="{c("IPT")}" readonly placeholder="请选择快递公司" id="rc_select_{rng.randint(1, 99)}" data-case="courier">')
              + item("面单编码", f'<input class="{c("IPT")}" type="text" data-case="number">')
              + w(f'<textarea class="{c("TA")}" aria-label="发货备注" data-case="memo"></textarea>')
              + w(f'<input class="{c("IPT")}" name="f_{rng.randint(10**5, 10**6)}a1" placeholder="包裹重量" data-case="weight">')
              + f'</div><div class="{c("MDL_footer")}">'
              + w(f'<button class="{c("BTN_outer")}" data-case="confirm"><span class="{c("BTN_text")}">提交发货</span></button>')
              + f'<button class="{c("BTN_outer")}">取消</button></div></div></div></div>')
    rows = "".join(
        f'<tr class="{c("row_head")}"><td colspan="3" class="{c("cell")}"><span class="{c("lbl")}">订单编号：</span>'
        f'<span class="{c("val")}">{oid}</span></td></tr>'
        f'<tr class="{c("row_goods")}"><td class="{c("cell")}">商品{i}</td><td class="{c("cell")}">'
        f'<div class="{c("pay")}">{amount} 元</div></td><td class="{c("cell")}"><span class="{c("lbl")}">快件单号：</span>'
        f'<span class="{c("no")}" data-case="{"number-" + str(i) if i == 1 else ""}">{number}</span></td></tr>'
        for i, (oid, amount, number) in enumerate([("6931401081240665388", "22.90", "YT7513108826654"),
                                                    ("6938903792683477762", "45.90", "73101647702986")]))
    table = (f'<table class="{c("tbl")}" style="width:600px"><thead><tr><th class="{c("th")}" style="width:200px">商品</th>'
             f'<th class="{c("th")}" style="width:200px">顾客支付</th><th class="{c("th")}" style="width:200px">物流</th></tr></thead>'
             f'<tbody>{rows}</tbody></table>')
    shadow_form = (item("收件人手机", f'<input class="{c("IPT")}" type="text" data-case="phone">')
                   + item("收件人", f'<input class="{c("IPT")}" type="text">'))
    html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="app" class="{c("root")}">'
            f'<h2 class="{c("h")}">收件信息</h2><div id="shadow-host-{rng.randint(1, 999)}" class="{c("host")}"></div>{table}</div>'
            f'{dialog}<template id="sf">{shadow_form}</template>'
            '<script>{ const h = document.querySelector("[id^=shadow-host]"); const r = h.attachShadow({mode: "open"});'
            'r.append(document.getElementById("sf").content.cloneNode(true)); }</script></body></html>')
    classes = set(re.findall(r'class="([^"]+)"', html))
    ids = set(re.findall(r'id="([^"]+)"', html))
    return html, classes, ids


LOAD = ["extension/lib/dom.js", "extension/lib/page.js", "extension/lib/normalize.js", "extension/lib/pointing.js"]
DERIVE = """() => {
  const T = globalThis.DanhaoPointing;
  const all = (root) => [root, ...DanhaoPage.allElements(root)];
  const el = (c) => all(document).find((e) => e.getAttribute && e.getAttribute('data-case') === c);
  const ids = ['6931401081240665388', '6938903792683477762'];
  const cases = {courier: 'field', number: 'field', memo: 'field', weight: 'field', phone: 'field', confirm: 'button'};
  const out = {};
  for (const [c, kind] of Object.entries(cases)) out[c] = T.describe(el(c), {kind, key: c});
  const td = all(document).filter((e) => e.tagName === 'DIV' && e.textContent === '45.90 元')[0];
  out.amount = T.describe(td, {kind: 'list', key: 'amount', side: 'seller', orderIds: ids});
  out.tracking = T.describe(el('number-1'), {kind: 'list', key: 'tracking', side: 'supplier', orderIds: ids});
  return out;
}"""
RESOLVE = """(locators) => {
  const T = globalThis.DanhaoPointing;
  const out = {};
  for (const [c, loc] of Object.entries(locators)) {
    if (loc.kind !== 'field' && loc.kind !== 'button') continue;
    const r = T.resolve(document.body, loc);
    out[c] = r.el ? r.el.getAttribute('data-case') : null;
  }
  T.setPatches([{site: 'fixture', field: 'amount', locator: locators.amount}, {site: 'fixture', field: 'tracking', locator: locators.tracking}]);
  const orders = [{order_id: '6931401081240665388', amount: '', status: 'x'}, {order_id: '6938903792683477762', amount: '', status: 'x'}];
  out.amounts = T.completeOrders(document, 'fixture', 'seller', orders).map((o) => o.amount);
  const purchases = orders.map((o) => ({order_id: o.order_id, status: '待收货', packages: []}));
  out.numbers = T.completeOrders(document, 'fixture', 'supplier', purchases).map((o) => o.packages.map((p) => p.tracking));
  return out;
}"""


def load_fixture(page, html):
    page.set_content(html)
    for rel in LOAD:
        page.add_script_tag(content=(REPO / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_locator_derivation_never_emits_a_hashed_class_and_survives_a_rebuild(tmp_path, seed):
    ctx = launch_chromium(tmp_path / "profile")           # no extension: lib/pointing.js alone
    try:
        page = ctx.new_page()
        html, classes, ids = fixture_html(seed)
        load_fixture(page, html)
        derived = page.evaluate(DERIVE)
        assert not [c for c, d in derived.items() if "problem" in d], derived
        locators = {c: d["locator"] for c, d in derived.items()}
        text = json.dumps(locators, ensure_ascii=False)
        for cls in classes:
            for part in cls.split():
                assert part not in text, (part, text)         # never a class name, hashed or not
        for i in ids:
            assert i not in text, (i, text)                  # never a generated id
        for word in ("nth-child", "> ", "xpath", "/html", "body", "data-case", "rc_select", "f_"):
            assert word not in text, (word, text)            # never a path, a test hook or a generated name
        assert set().union(*(loc.keys() for loc in locators.values())) <= {
            "kind", "control", "role", "labels", "aria_label", "placeholder", "name", "text", "title",
            "header", "label", "scope", "position", "sample"}
        assert locators["number"]["labels"] == ["面单编码"] and locators["number"]["scope"] == {"dialog": "发货"}
        assert locators["courier"]["labels"] == ["快递公司"] and locators["courier"]["placeholder"] == "请选择快递公司"
        assert locators["memo"]["aria_label"] == "发货备注"
        assert "name" not in locators["weight"] and locators["weight"]["placeholder"] == "包裹重量"
        assert locators["phone"]["labels"] == ["收件人手机"]                 # inside an open shadow root
        assert locators["confirm"]["text"] == "提交发货"
        assert locators["amount"] == {"kind": "column", "header": "顾客支付", "sample": "45.90 元"}
        assert locators["tracking"]["kind"] == "label" and locators["tracking"]["label"] == "快件单号"

        # The same page rebuilt: every class name new, each control under two more wrappers.
        html2, classes2, _ = fixture_html(seed + 100, wrap=2)
        assert not classes & classes2
        load_fixture(page, html2)
        found = page.evaluate(RESOLVE, locators)
        assert {c: found[c] for c in ("courier", "number", "memo", "weight", "phone", "confirm")} == {
            c: c for c in ("courier", "number", "memo", "weight", "phone", "confirm")}
        assert found["amounts"] == ["22.90", "45.90"]
        assert found["numbers"] == [["YT7513108826654"], ["73101647702986"]]

        # A relabelled field is not guessed: the patch no longer resolves.
        load_fixture(page, html2.replace("面单编码", "运单编码"))
        assert page.evaluate("(loc) => globalThis.DanhaoPointing.resolve(document.body, loc).el", locators["number"]) is None
    finally:
        ctx.close()
