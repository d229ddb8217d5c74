"""Issue #11, item 1: the review site looks finished, in real Chromium against the real helper.

The helper runs as its own process (`python -m helper serve`) on a free loopback port; data goes
in through its API the way the extension sends it (sales orders, purchase orders, convert, fill
results, a page report, an update). The test signs in through the login form, opens every page
(Chinese, then English), and fails on any failed request (a 404 stylesheet, favicon, …), any
console error, an unstyled page (a computed style only style.css sets), a date that wraps, a
raw code or JSON shown to the seller, or a time not in Beijing time. Each page's screenshot
goes to `$DANHAO_ARTIFACTS` (default: a temporary folder, printed).
"""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.api.samples import purchase_order, sales_order
from tests.support.browser import launch_chromium
from tests.support.helper_server import HelperProcess

pytestmark = pytest.mark.browser

BEIJING = timezone(timedelta(hours=8))
OPERATOR = {"X-Danhao-Operator": "%E5%B0%8F%E7%8E%8B"}   # 小王
OPTIONS = ["中通快递", "圆通速递", "韵达快递", "申通快递", "顺丰速运"]
# What a seller must never read on a page (the codes stay in title attributes for support).
RAW = [re.compile(p) for p in (
    r"\b(fill|sales_order|purchase_order|shipment|page|settings)\.[a-z_]+\b",   # event kinds
    r"\b(pdd|alibaba|taobao|douyin)-(seller|buyer)\b",                          # site ids
    r"\b(ready|review|blocked):",                                               # "ready:YT…"
    r"[{\[]\"",                                                                  # JSON
    r"\d{4}-\d\d-\d\dT\d\d:",                                                    # ISO times
    r"\+00:00|UTC(?!\+8)",                                                          # UTC shown
    r"\b(trace_not_checked|no_pickup|not_a_tracking_number|courier_identified)\b",  # check codes
)]


def bj(dt: datetime) -> str:
    return dt.astimezone(BEIJING).isoformat(timespec="seconds")


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("DANHAO_ARTIFACTS") or tmp_path_factory.mktemp("review-site-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nreview-site screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def helper(tmp_path_factory):
    proc = HelperProcess(tmp_path_factory.mktemp("review-site") / "danhao.db").start()
    yield proc
    proc.stop()


def post(helper, path, body):
    r = helper.api("POST", path, json=body, headers=OPERATOR)
    assert r.status_code in (200, 201), (path, r.status_code, r.text[:500])
    return r.json()


def load_data(helper) -> dict:
    now = datetime.now(BEIJING)
    buyer = {"name": "张三", "phone": "13812345678",
             "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路1号"}}
    ids = {"filled": "261124-100000000000001", "due": "261124-100000000000002", "blocked": "261124-100000000000003",
           "alone": "261124-100000000000004", "skipped": "261124-100000000000005"}
    orders = [
        sales_order(ids["filled"], buyer=buyer, created_at=bj(now - timedelta(days=1)), ship_by=bj(now + timedelta(days=2))),
        sales_order(ids["due"], buyer=buyer, created_at=bj(now - timedelta(days=2)), ship_by=bj(now + timedelta(hours=5))),
        sales_order(ids["blocked"], buyer=buyer, created_at=bj(now - timedelta(days=3)), ship_by=bj(now - timedelta(hours=2))),
        sales_order(ids["alone"], created_at=bj(now - timedelta(hours=3)), ship_by=bj(now + timedelta(days=3)),
                    shop="<b>杯具生活馆</b>"),
        sales_order(ids["skipped"], buyer=buyer, created_at=bj(now - timedelta(hours=5)), ship_by=bj(now + timedelta(days=1))),
    ]
    assert post(helper, "/api/v1/sales-orders", {"site": "pdd-seller", "orders": orders})["rejected"] == []
    ship_to = {**buyer, "phone": "138****5678"}
    purchases = [
        purchase_order("3900000000000000101", remark=f"PDD {ids['filled']}", ship_to=ship_to,
                       packages=[{"courier_text": "中通快递", "tracking": "73012345678901"}]),
        purchase_order("3900000000000000102", remark=f"PDD {ids['due']}", ship_to=ship_to,
                       packages=[{"courier_text": "圆通速递", "tracking": "YT7512348820461"}]),
        purchase_order("3900000000000000103", remark=f"PDD {ids['blocked']}", ship_to=ship_to,
                       packages=[{"courier_text": "中通快递", "tracking": "12345"}]),
        purchase_order("3900000000000000105", remark=f"PDD {ids['skipped']}", ship_to=ship_to,
                       packages=[{"courier_text": "韵达快递", "tracking": "4312345678901"}]),
    ]
    post(helper, "/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": purchases})
    converted = post(helper, "/api/v1/convert", {"site": "pdd-seller", "order_ids": list(ids.values()), "options": OPTIONS})
    by_order = {s["order_id"]: s for s in converted["shipments"]}
    assert by_order[ids["filled"]]["status"] == "ready", by_order[ids["filled"]]["checks"]
    assert by_order[ids["blocked"]]["status"] == "blocked", by_order[ids["blocked"]]["checks"]
    filled, skipped = by_order[ids["filled"]], by_order[ids["skipped"]]
    post(helper, "/api/v1/fill-results", {"site": "pdd-seller", "results": [
        {"shipment_id": filled["shipment_id"], "order_id": ids["filled"], "result": "filled", "submitted": True,
         "number": filled["number"], "option": filled["target"]["option"]},
        {"shipment_id": skipped["shipment_id"], "order_id": ids["skipped"], "result": "skipped",
         "reason": "已上传过，跳过 / already uploaded, skipped"}]})
    post(helper, "/api/v1/page-reports", {"site": "pdd-seller", "page_url": "https://mms.pinduoduo.com/orders/list",
                                          "message": "页面已改版：找不到 运单号 输入框"})
    shipped = {**orders[0], "status": "已发货", "buyer": {**buyer, "phone": "13912345678"}}
    post(helper, "/api/v1/sales-orders", {"site": "pdd-seller", "orders": [shipped]})
    return ids


class Watch:
    """Everything that went wrong while a page loaded."""

    def __init__(self, page, base: str):
        self.problems: list[str] = []
        self.responses: dict[str, int] = {}
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}"))

        def on_response(r):
            self.responses[r.url] = r.status
            if r.status >= 400:
                self.problems.append(f"HTTP {r.status}: {r.url}")
        page.on("response", on_response)

    def take(self) -> list[str]:
        out, self.problems = self.problems, []
        return out


STYLE_PROBE = """() => {
  const root = getComputedStyle(document.documentElement).getPropertyValue('--brand').trim();
  const body = getComputedStyle(document.body);
  const bar = document.querySelector('.topbar');
  const wrapped = [...document.querySelectorAll('table time')]
      .filter(t => t.getClientRects().length > 1 || t.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(t).lineHeight || 20))
      .map(t => t.textContent);
  const times = [...document.querySelectorAll('time')].map(t => t.getAttribute('datetime'));
  const brokenImages = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
  // nothing spills out of a card or needs a sideways scroll at a desktop width
  const spilled = [...document.querySelectorAll('.card, .stat, .table-wrap')]
      .filter(c => c.scrollWidth > c.clientWidth + 1)
      .map(c => (c.querySelector('h2, h1') || c).textContent.trim().slice(0, 40));
  return {spilled, brand: root, bg: body.backgroundColor, font: body.fontFamily,
          bar: bar ? getComputedStyle(bar).position : null, wrapped, times, brokenImages,
          sheets: document.styleSheets.length, lang: document.documentElement.lang, text: document.body.innerText,
          overflowX: document.documentElement.scrollWidth > window.innerWidth + 1};
}"""


def check_page(page, watch, artifacts, name, url, expect_text, lang="zh-CN", raw_allowed=()):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, (name, response and response.status)
    page.wait_for_load_state("networkidle")
    probe = page.evaluate(STYLE_PROBE)
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    problems = watch.take()
    assert problems == [], (name, problems)
    # styled: values that only helper/web/static/style.css sets
    assert probe["sheets"] >= 1 and probe["brand"] == "#1664ff", (name, probe["brand"])
    assert probe["bg"] == "rgb(244, 246, 249)" and probe["bar"] == "sticky", (name, probe["bg"], probe["bar"])
    assert probe["wrapped"] == [], (name, "dates wrap", probe["wrapped"])
    assert probe["spilled"] == [], (name, "content wider than its card", probe["spilled"])
    assert probe["brokenImages"] == [] and not probe["overflowX"], (name, probe["brokenImages"], probe["overflowX"])
    assert probe["lang"] == lang, (name, probe["lang"])
    assert all(t.endswith("+08:00") for t in probe["times"]), (name, probe["times"])
    for text in expect_text:
        assert text in probe["text"], (name, text)
    for pattern in RAW:
        found = [m.group(0) for m in pattern.finditer(probe["text"]) if m.group(0) not in raw_allowed]
        assert not found, (name, pattern.pattern, found)
    return probe


def test_every_review_page_loads_styled_in_chinese_and_english(helper, artifacts, tmp_path):
    ids = load_data(helper)
    ctx = launch_chromium(tmp_path / "profile")
    try:
        page = ctx.new_page()
        watch = Watch(page, helper.url)
        base = helper.url

        # sign in through the form, as a person would
        page.goto(base + "/", wait_until="load")
        assert "/login" in page.url
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts / "00-login.png"), full_page=True)
        assert watch.take() == []
        assert page.evaluate("getComputedStyle(document.querySelector('.login-card')).borderRadius") == "8px"
        page.fill("input[name=token]", helper.token)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        assert watch.take() == []

        order_url = f"{base}/orders/pdd-seller/{ids['filled']}"
        pages = [
            ("01-dashboard", base + "/", ["概览", "待发货订单", "即将超时", "已超时", "未核对物流轨迹", "页面已改版：找不到 运单号 输入框",
                                         "已填写运单号 73012345678901（中通快递），并已确认发货"]),
            ("02-orders", base + "/orders", ["销售订单", "拼多多商家后台", "待发货", "可填写", "已阻止", "<b>杯具生活馆</b>"]),
            ("03-order", order_url, ["订单信息", "采购单", "1688 采购", "备注里的订单号", "已确认发货", "经过",
                                    "已匹配到销售订单", "订单信息有变化", "139****5678", "北京时间"]),
            ("04-shipments", base + "/shipments", ["运单", "73012345678901", "中通快递", "已阻止", "已跳过", "导出批量发货文件"]),
            ("05-log", base + "/events", ["操作日志", "新订单", "生成运单", "已填写", "跳过填写：已上传过，跳过", "页面已改版",
                                        "小王"]),
            ("06-settings", base + "/settings", ["设置", "kuaidi100_key", "未设置", "danhao config set"]),
            ("07-orders-empty-filter", base + "/orders?q=nothing-like-this", ["没有符合条件的订单", "查看全部订单"]),
        ]
        # Config keys are the one code a seller types (danhao config set NAME): the settings page names them.
        for name, url, expect in pages:
            check_page(page, watch, artifacts, name, url, expect)

        # the order's history is sentences in Beijing time, the log has no UTC time
        history = page.goto(order_url) and page.locator(".card:has(h2:text('经过')) time").all()
        assert history and all(t.get_attribute("datetime").endswith("+08:00") for t in history)

        # English switch: a plain link, remembered for the next pages
        page.goto(base + "/")
        page.click("a.lang")
        page.wait_for_load_state("networkidle")
        assert "lang=en" in page.url
        english = [
            ("11-dashboard-en", base + "/", ["Overview", "Orders to ship", "Traces are not being checked", "Filled number 73012345678901"]),
            ("12-orders-en", base + "/orders", ["Sales orders", "Pinduoduo seller backend", "Awaiting shipment", "Ready to fill"]),
            ("13-order-en", order_url, ["Purchase orders", "1688 purchases", "order id in the remark", "History", "Shipment confirmed"]),
            ("14-shipments-en", base + "/shipments", ["Shipments", "Blocked", "Skipped"]),
            ("15-log-en", base + "/events", ["Event log", "New order", "Skipped: already uploaded, skipped"]),
            ("16-settings-en", base + "/settings", ["Settings", "not set"]),
        ]
        for name, url, expect in english:
            check_page(page, watch, artifacts, name, url, expect, lang="en")
        page.click("a.lang")   # back to Chinese
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        page.goto(base + "/orders")
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert watch.take() == []

        # the CSVs a seller opens in Excel: BOM, Chinese headers, Beijing time, words not codes
        orders_csv = page.request.get(base + "/orders.csv")
        text = orders_csv.text()
        assert orders_csv.status == 200 and text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert rows[0][:3] == ["站点", "订单号", "状态"] and rows[1][0] == "拼多多商家后台"
        events_csv = page.request.get(base + "/events.csv").text()
        assert events_csv.startswith("\ufeff")
        log_rows = list(csv.reader(io.StringIO(events_csv.lstrip("\ufeff"))))
        assert log_rows[0][:5] == ["序号", "时间（北京时间）", "操作员", "事件", "说明"]
        assert any(r[4].startswith("已填写运单号 73012345678901") for r in log_rows[1:])
        assert not any("T" in r[1] or "+00:00" in r[1] for r in log_rows[1:])
    finally:
        ctx.close()
