"""Issue #13 in real Chromium: from the dashboard to the orders behind each figure and the
orders page's filters (status, shop, site, deadline, lost numbers, operator), an order's
standing; and the popup's 已超时 / 即将超时 / 单号丢失 for the shop its tab is on, with the
toolbar badge counting the alerts.

The helper runs as its own process (real time), data goes in through its API as the extension
sends it, and the expected figures are worked out here from that data and the current time.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.api.samples import person, purchase_order, sales_order
from tests.support.browser import launch_chromium
from tests.support.extension import SEND, TAB_ID, pair, wait_for
from tests.support.helper_server import HelperProcess

from .test_review_site import Watch

pytestmark = pytest.mark.browser

BEIJING = timezone(timedelta(hours=8))
PDD = "https://mms.pinduoduo.com/*"
OPTIONS = ["中通快递", "圆通速递", "韵达快递"]
OPEN = {"to_purchase", "purchased", "supplier_shipped", "ready", "review", "blocked", "filled"}
LI = {"X-Danhao-Operator": "%E5%B0%8F%E6%9D%8E"}     # 小李
DUE_SOON_H, LOST_H, UNLINKED_H = 12, 48, 24


def iso(dt: datetime) -> str:
    return dt.astimezone(BEIJING).isoformat(timespec="seconds")


def post(helper, path, body, headers=None):
    r = helper.api("POST", path, json=body, headers=headers or {})
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r.json()


def buyer(i):
    return person(f"顾客{i}", f"139****{i:04d}", "浙江省", "杭州市", "西湖区", f"文一路{i}号")


def seed(helper, now: datetime) -> dict[str, dict]:
    """Seven orders whose standing is known by construction (hours from now; no time is within
    half an hour of a boundary, so the seconds a test takes change nothing)."""
    plan = {
        "A": dict(shop="杯具生活馆", kind="to_purchase", created=-30, ship_by=-2),
        "B": dict(shop="杯具生活馆", kind="purchased", created=-60, ship_by=5, placed=-50),
        "C": dict(shop="佳居日用百货店", kind="supplier_shipped", created=-10, ship_by=30, placed=-9),
        "D": dict(shop="佳居日用百货店", kind="ready", created=-40, ship_by=-1, placed=-39),
        "E": dict(shop="抖店小铺", kind="cancelled", created=-40, ship_by=-5),
        "F": dict(shop="杯具生活馆", kind="uploaded", created=-40, ship_by=-3, placed=-35),
        "G": dict(shop="杯具生活馆", kind="to_purchase", created=-2, ship_by=None),
        "H": dict(shop="佳居日用百货店", kind="purchased", created=-70, ship_by=20, placed=-60),
    }
    for i, (key, p) in enumerate(plan.items(), start=1):
        p["site"] = "douyin-seller" if p["shop"] == "抖店小铺" else "pdd-seller"
        p["order_id"] = f"261125-77700000000000{i}" if p["site"] == "pdd-seller" else f"49877700000000000{i:02d}"
        p["created_at"] = now + timedelta(hours=p["created"])
        p["due"] = (now + timedelta(hours=p["ship_by"]) if p["ship_by"] is not None
                    else p["created_at"] + timedelta(hours=48))
        status = {"cancelled": "已取消", "uploaded": "已发货，待收货"}.get(p["kind"], "待发货")
        order = sales_order(p["order_id"], shop=p["shop"], buyer=buyer(i), status=status, created_at=iso(p["created_at"]),
                            ship_by=iso(p["due"]) if p["ship_by"] is not None else None)
        post(helper, "/api/v1/sales-orders", {"site": p["site"], "orders": [order]}, LI if key in ("A", "D") else None)
        if "placed" in p:
            number = {"supplier_shipped": "YT7512348820461", "ready": "YT7512348820462", "uploaded": "YT7512348820463"}
            packages = [{"courier_text": "圆通速递", "tracking": number[p["kind"]]}] if p["kind"] in number else []
            post(helper, "/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [purchase_order(
                f"39777000000000000{i}", remark=f"PDD {p['order_id']}", ship_to=buyer(i), packages=packages,
                created_at=iso(now + timedelta(hours=p["placed"])))]})
    # a purchase the matcher cannot place, long without a number: counts for every shop only
    post(helper, "/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [purchase_order(
        "3977700000000000099", remark="", packages=[], created_at=iso(now - timedelta(hours=80)),
        ship_to=person("陌生人", "150****0099", "江苏省", "南京市", "鼓楼区", "中山路1号"))]})
    shipments = post(helper, "/api/v1/convert", {"site": "pdd-seller", "order_ids": [plan["D"]["order_id"]],
                                                 "options": OPTIONS})["shipments"]
    assert [s["status"] for s in shipments] == ["ready"]
    return plan


def figures(orders: list[dict], purchases: list[dict], now: datetime, shop=None) -> dict:
    """Expected 已超时 / 即将超时 / 单号丢失 from plain facts: orders ``{shop, kind, due,
    paid}``, purchases ``{shop or None, placed, number, sale_kind}``."""
    mine = [o for o in orders if shop is None or o["shop"] == shop]
    overdue = sum(1 for o in mine if o["kind"] in OPEN and o["due"] and o["due"] <= now)
    soon = sum(1 for o in mine if o["kind"] in OPEN and o["due"] and now < o["due"] <= now + timedelta(hours=DUE_SOON_H))
    lost_sales = sum(1 for o in mine if o["kind"] == "to_purchase" and o["paid"] <= now - timedelta(hours=UNLINKED_H))
    lost_purchases = sum(1 for p in purchases if (shop is None or p["shop"] == shop) and not p["number"]
                         and p["placed"] <= now - timedelta(hours=LOST_H) and (p["sale_kind"] is None or p["sale_kind"] in OPEN))
    return {"overdue": overdue, "due_soon": soon, "lost": lost_sales + lost_purchases,
            "lost_purchases": lost_purchases, "lost_sales": lost_sales}


def facts(plan: dict) -> tuple[list[dict], list[dict]]:
    orders = [{"order_id": p["order_id"], "shop": p["shop"], "kind": p["kind"], "due": p["due"], "paid": p["created_at"]}
              for p in plan.values()]
    purchases = [{"shop": p["shop"], "placed": p["created_at"] + timedelta(hours=p["placed"] - p["created"]),
                  "number": p["kind"] in ("supplier_shipped", "ready", "uploaded"), "sale_kind": p["kind"]}
                 for p in plan.values() if "placed" in p]
    purchases.append({"shop": None, "placed": datetime.now(BEIJING) - timedelta(hours=80), "number": False, "sale_kind": None})
    return orders, purchases


def rows(page) -> set[str]:
    return set(page.locator("#order-rows tbody tr").evaluate_all("rs => rs.map((r) => r.dataset.orderId)"))


def test_dashboard_links_lead_to_the_filtered_orders_and_the_filters_work(tmp_path):
    helper = HelperProcess(tmp_path / "danhao.db").start()
    ctx = launch_chromium(tmp_path / "profile")
    try:
        now = datetime.now(BEIJING)
        plan = seed(helper, now)
        orders, purchases = facts(plan)
        want = figures(orders, purchases, now)
        ids = {k: p["order_id"] for k, p in plan.items()}
        assert want == {"overdue": 2, "due_soon": 1, "lost": 4, "lost_purchases": 3, "lost_sales": 1}

        page = ctx.new_page()
        watch = Watch(page, helper.url)
        page.goto(helper.url + "/", wait_until="load")
        page.fill("input[name=token]", helper.token)
        page.click("button[type=submit]")
        page.wait_for_url(helper.url + "/")

        def number(figure):
            return int(page.locator(f'#attention [data-figure="{figure}"] .stat-value').inner_text())

        assert {k: number(k) for k in ("overdue", "due_soon", "lost_purchases", "lost_sales")} == {
            k: want[k] for k in ("overdue", "due_soon", "lost_purchases", "lost_sales")}
        # the lost purchases are listed on the dashboard itself, the unplaceable one included
        listed = set(page.locator("#lost-purchases tr[data-purchase]").evaluate_all("rs => rs.map((r) => r.dataset.purchase)"))
        assert listed == {"397770000000000002", "397770000000000008", "3977700000000000099"}

        # each figure leads to its orders
        for figure, query, expected_ids in (
                ("overdue", {"due": ["overdue"]}, {ids["A"], ids["D"]}),
                ("due_soon", {"due": ["soon"]}, {ids["B"]}),
                ("lost_sales", {"lost": ["unlinked"]}, {ids["A"]})):
            page.goto(helper.url + "/", wait_until="load")
            page.click(f'#attention [data-figure="{figure}"]')
            page.wait_for_load_state("load")
            assert parse_qs(urlsplit(page.url).query) == query
            assert rows(page) == expected_ids, figure
        page.goto(helper.url + "/", wait_until="load")
        page.click('#states [data-status="supplier_shipped"]')
        page.wait_for_load_state("load")
        assert rows(page) == {ids["C"]}
        assert page.locator(f'tr[data-order-id="{ids["C"]}"] [data-state="supplier_shipped"]').inner_text() == "供应商已发货"

        # the filters, as a person uses them: the form keeps what was chosen
        def choose(**fields):
            page.goto(helper.url + "/orders", wait_until="load")
            for name, value in fields.items():
                page.select_option(f"#order-filters select[name={name}]", value)
            page.click("#order-filters button[type=submit]")
            page.wait_for_load_state("load")
            for name, value in fields.items():
                assert page.locator(f"#order-filters select[name={name}]").input_value() == value
            return rows(page)

        assert choose(shop="杯具生活馆", due="soon") == {ids["B"]}
        assert choose(shop="杯具生活馆", status="open") == {ids["A"], ids["B"], ids["G"]}
        assert choose(shop="佳居日用百货店", lost="no_number") == {ids["H"]}
        assert choose(site="douyin-seller") == {ids["E"]}
        assert choose(status="cancelled", due="overdue") == set()
        assert choose(status="uploaded") == {ids["F"]}
        # operator: whoever the event log names for each order
        log = helper.api("GET", "/api/v1/events?limit=1000").json()["events"]
        names = {e["operator"] for e in log if e["operator"] and e["kind"].startswith("sales_order.")}
        assert names
        for name in names:
            by_log = {e["order_id"] for e in log if e["operator"] == name and e["kind"].startswith(("sales_order.", "shipment."))}
            assert choose(operator=name) == by_log, name
        assert page.locator("#order-filters select[name=operator] option").count() == len(
            {e["operator"] for e in log if e["operator"]}) + 1
        # the language switch keeps the filters
        choose(shop="杯具生活馆", lost="unlinked")
        assert rows(page) == {ids["A"]}
        page.click("a.lang")
        page.wait_for_load_state("load")
        assert rows(page) == {ids["A"]} and "Lost numbers" in page.locator("#order-filters").inner_text()
        page.click("a.lang")
        page.wait_for_load_state("load")

        # an order's page: where it stands, its deadline, its alert, its history
        page.goto(f"{helper.url}/orders?lost=unlinked", wait_until="load")
        page.click(f'a[href="/orders/pdd-seller/{ids["A"]}"]')
        page.wait_for_load_state("load")
        assert page.locator("#standing").get_attribute("data-state") == "to_purchase"
        standing = page.locator("#standing").inner_text()
        assert "待采购" in standing and "已超时" in standing and "平台页面上的承诺发货时间" in standing
        assert page.locator('#order-alerts [data-alert="unlinked"]').count() == 1
        assert "新订单" in page.locator(".card:has(h2:text('经过'))").inner_text()
        assert watch.take() == []
    finally:
        ctx.close()
        helper.stop()


def test_the_popup_shows_the_counts_for_the_shop_it_is_on_and_the_badge_counts_alerts(extension_browser, replica, tmp_path):
    ctx, sw, ext_id = extension_browser
    helper = HelperProcess(tmp_path / "danhao.db").start()
    try:
        pair(sw, helper)
        now = datetime.now(BEIJING)
        plan = seed(helper, now)
        replica.reset("pdd-seller")
        for p in ctx.pages:
            p.close()
        tab = ctx.new_page()
        tab.goto(replica.url("pdd-seller"))
        listed = sw.evaluate(SEND, [PDD, {"type": "test:extract"}])["data"]["orders"]
        assert {o["shop"] for o in listed} == {"佳居日用百货店"}
        r = sw.evaluate(SEND, [PDD, {"type": "popup:sync", "allPages": False}])
        assert r["ok"] and not r["data"].get("queued"), r
        tab_id = sw.evaluate(TAB_ID, PDD)

        orders, purchases = facts(plan)
        for o in listed:                     # the page's own orders, now in the helper too
            kind = "uploaded" if o["status"].startswith("已发货") else "to_purchase"
            orders.append({"order_id": o["order_id"], "shop": o["shop"], "kind": kind,
                           "due": datetime.fromisoformat(o["ship_by"]), "paid": datetime.fromisoformat(o["created_at"])})
        now = datetime.now(BEIJING)
        here = figures(orders, purchases, now, shop="佳居日用百货店")
        everywhere = figures(orders, purchases, now)
        assert here["lost"] and here["overdue"] and here != everywhere

        popup = ctx.new_page()
        popup.goto(f"chrome-extension://{ext_id}/extension/popup/popup.html?tab={tab_id}")
        popup.locator("body[data-ready='1']").wait_for()
        box = popup.locator("#standing")
        assert box.is_visible() and box.get_attribute("data-shop") == "佳居日用百货店"
        assert "佳居日用百货店" in popup.locator("#standing-scope").inner_text()

        def shown():
            return {f: int(box.locator(f'[data-figure="{f}"]').get_attribute("data-n")) for f in ("overdue", "due_soon", "lost")}

        assert shown() == {k: here[k] for k in ("overdue", "due_soon", "lost")}
        text = box.inner_text()
        assert "已超时" in text and "即将超时" in text and "单号丢失" in text
        assert popup.locator("#lost-detail").inner_text() == (
            f"采购单迟迟无单号 {here['lost_purchases']} · 付款后迟迟未采购 {here['lost_sales']}")
        href = box.locator('[data-figure="overdue"]').get_attribute("href")
        assert href.startswith(helper.url + "/orders?") and parse_qs(urlsplit(href).query) == {
            "due": ["overdue"], "site": ["pdd-seller"], "shop": ["佳居日用百货店"]}

        # the toolbar badge: every alert the helper holds (lost numbers of every shop)
        badge = wait_for(lambda: sw.evaluate("async () => chrome.action.getBadgeText({})") or None, what="the badge")
        assert badge == str(everywhere["lost"])

        # off a seller page the popup counts every shop
        blank = ctx.new_page()
        blank.goto("about:blank")
        blank_id = sw.evaluate("async () => (await chrome.tabs.query({})).find((t) => t.url === 'about:blank').id")
        popup.goto(f"chrome-extension://{ext_id}/extension/popup/popup.html?tab={blank_id}")
        popup.locator("body[data-ready='1']").wait_for()
        assert popup.locator("#standing").get_attribute("data-shop") == ""
        assert shown() == {k: everywhere[k] for k in ("overdue", "due_soon", "lost")}

        # the helper away: no stale counts
        helper.stop()
        popup.reload()
        popup.locator("body[data-ready='1']").wait_for()
        assert popup.locator("#standing").is_hidden()
        for p in (popup, blank, tab):
            p.close()
    finally:
        sw.evaluate("() => globalThis.danhao.settings.set({token: '', helperUrl: 'http://127.0.0.1:17890'})")
        helper.stop()
