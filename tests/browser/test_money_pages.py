"""Issue #13, money and suppliers: the 资金 and 供应商 pages and the order page's money card, in real
Chromium against the real helper (`python -m helper serve` on a free loopback port).

Data goes in through the API as the extension sends it: sales orders of two shops, purchase
orders of three suppliers whose 下单时间 lies known hours before their numbers show, a cancelled
purchase, an order without a purchase. The test signs in through the form, follows the 资金 and
供应商 links of the top bar, checks each page loads styled with no failed request nor console
error (the review-site checks of test_review_site.py), that the totals are the ones it works out
from the seed, that suppliers are sorted worst first, that the order page shows the order's sale,
cost and margin, and that both CSV files open in Excel (BOM, Chinese headers).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest

from tests.api.samples import purchase_order, sales_order
from tests.browser.test_review_site import Watch, artifacts, check_page  # noqa: F401  (artifacts: fixture)
from tests.support.browser import launch_chromium
from tests.support.helper_server import HelperProcess

pytestmark = pytest.mark.browser

BJ = timezone(timedelta(hours=8))
SHOPS = ("杯具生活馆", "好物小铺")
# supplier → [(sale amount, purchase amount, hours from 下单时间 to the number, purchase status)]
SUPPLIERS = {
    "慢慢工厂": [("39.90", "12.30", 60, "已发货"), ("19.90", "7.70", 50, "已发货")],
    "一般工厂": [("25.00", "10.10", 30, "已发货"), ("15.00", "5.00", None, "交易关闭")],
    "靠谱工厂": [("0.10", "0.05", 2, "已发货"), ("0.20", "0.05", 3, "已发货")],
}


def bj(dt: datetime) -> str:
    return dt.astimezone(BJ).isoformat(timespec="seconds")


@pytest.fixture(scope="module")
def helper(tmp_path_factory):
    proc = HelperProcess(tmp_path_factory.mktemp("money-pages") / "danhao.db").start()
    yield proc
    proc.stop()


def post(helper, path, body):
    r = helper.api("POST", path, json=body)
    assert r.status_code in (200, 201), (path, r.status_code, r.text[:500])
    return r.json()


def seed(helper) -> dict:
    """Posts the seed; returns what the test expects, worked out here."""
    now = datetime.now(BJ)
    sales, purchases, expect = [], [], {"orders": [], "sale": Fraction(0), "cost": Fraction(0)}
    n = 0
    for supplier, rows in SUPPLIERS.items():
        for sale, cost, hours, status in rows:
            n += 1
            oid = f"261124-3000000000000{n:02d}"
            shop = SHOPS[n % 2]
            sales.append(sales_order(oid, shop=shop, amount=sale, created_at=bj(now - timedelta(hours=80)),
                                     ship_by=bj(now + timedelta(days=5))))
            packages = [{"courier_text": "中通快递", "tracking": f"730123456788{n:02d}"}] if hours is not None else []
            purchases.append(purchase_order(f"39110000000000000{n:02d}", remark=f"PDD {oid}", supplier=supplier,
                                            status=status, amount=cost, packages=packages,
                                            created_at=bj(now - timedelta(hours=hours if hours is not None else 1))))
            live = status != "交易关闭"
            expect["orders"].append({"id": oid, "sale": Fraction(sale), "cost": Fraction(cost) if live else None})
            expect["sale"] += Fraction(sale)
            expect["cost"] += Fraction(cost) if live else 0
    alone = "261124-300000000000099"     # sold, not purchased yet: no cost, no margin
    sales.append(sales_order(alone, shop=SHOPS[0], amount="9.99", created_at=bj(now - timedelta(hours=80))))
    expect["sale"] += Fraction("9.99")
    expect["alone"] = alone
    assert post(helper, "/api/v1/sales-orders", {"site": "pdd-seller", "orders": sales})["rejected"] == []
    body = post(helper, "/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": purchases})
    assert body["rejected"] == [] and body["match"]["matched"] == len(purchases), body
    # margin: orders whose cost is known (the cancelled purchase leaves its order without a live one)
    expect["margin"] = sum((o["sale"] - o["cost"] for o in expect["orders"] if o["cost"] is not None), Fraction(0))
    # worst first, by the documented score: 35 late share + 30 exceptions + 20 cancellations + 15 speed
    scores = {}
    for supplier, rows in SUPPLIERS.items():
        timed = sorted(h for _, _, h, s in rows if h is not None and s != "交易关闭")
        late = sum(1 for h in timed if h > 48)
        cancelled = sum(1 for *_, s in rows if s == "交易关闭")
        median = Fraction(timed[len(timed) // 2] + timed[(len(timed) - 1) // 2], 2)
        scores[supplier] = (Fraction(35, 100) * Fraction(late, len(timed)) + Fraction(20, 100) * Fraction(cancelled, len(rows))
                            + Fraction(15, 100) * min(median / 48, 1))
    expect["worst_first"] = sorted(scores, key=lambda s: -scores[s])
    return expect


def yuan(x: Fraction) -> str:
    cents = x * 100
    assert cents.denominator == 1
    digits = str(abs(cents.numerator)).rjust(3, "0")
    return ("-" if x < 0 else "") + f"¥{digits[:-2]}.{digits[-2:]}"


def test_money_and_supplier_pages_in_chromium(helper, artifacts, tmp_path):  # noqa: F811
    expect = seed(helper)
    ctx = launch_chromium(tmp_path / "profile")
    try:
        page = ctx.new_page()
        watch = Watch(page, helper.url)
        base = helper.url
        page.goto(base + "/", wait_until="load")
        page.fill("input[name=token]", helper.token)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        assert watch.take() == []

        # the top bar leads to both pages
        page.click("nav.mainnav >> text=资金")
        page.wait_for_url(base + "/money")
        assert page.locator("nav.mainnav a.active").inner_text() == "资金"
        page.click("nav.mainnav >> text=供应商")
        page.wait_for_url(base + "/suppliers")
        assert page.locator("nav.mainnav a.active").inner_text() == "供应商"
        assert watch.take() == []

        # 资金: the totals the test works out from the seed, both tables, the rules explained
        check_page(page, watch, artifacts, "money-01", base + "/money",
                   ["资金", "按日", "按店铺", "合计", "销售额", "采购成本", "毛利", "占用资金", "怎么算", *SHOPS])
        figures = {k: page.locator(f'[data-figure="{k}"]').inner_text().strip() for k in ("revenue", "cost", "margin")}
        assert figures == {"revenue": yuan(expect["sale"]), "cost": yuan(expect["cost"]),
                           "margin": yuan(expect["margin"])}, figures
        assert page.locator("table.money-by-day tbody tr").count() == 1
        assert page.locator("table.money-by-shop tbody tr").count() == 2
        day = page.locator("table.money-by-day tbody td").first.inner_text()
        assert day == (datetime.now(BJ) - timedelta(hours=80)).date().isoformat()

        # 供应商: worst first, each figure with its explanation
        check_page(page, watch, artifacts, "money-02-suppliers", base + "/suppliers",
                   ["供应商", "出单号中位时长", "迟到", "异常", "取消", "评分", "每一项怎么算", *SUPPLIERS])
        names = page.locator("table.suppliers .supplier-name").all_inner_texts()
        assert names == expect["worst_first"], names
        shown = [float(s) for s in page.locator("table.suppliers tr.supplier-row").evaluate_all(
            "rows => rows.map(r => r.dataset.score)")]
        assert shown == sorted(shown, reverse=True) and shown[0] > shown[-1]
        api_rows = helper.api("GET", "/api/v1/suppliers").json()["suppliers"]
        assert [r["supplier"] for r in api_rows] == names and [r["score"] for r in api_rows] == shown
        slow = page.locator("table.suppliers tr.supplier-row").first.inner_text()
        assert "100.0%" in slow and "2 / 2" in slow      # both of 慢慢工厂's numbers came after 48 h

        # the order page's money card
        first = expect["orders"][0]
        check_page(page, watch, artifacts, "money-03-order", f"{base}/orders/pdd-seller/{first['id']}",
                   ["资金", "销售额", "采购成本", "毛利", "慢慢工厂"])
        card = page.locator("section.order-money")
        assert card.locator('[data-figure="sale"]').inner_text().startswith(yuan(first["sale"]))
        assert card.locator('[data-figure="cost"]').inner_text().startswith(yuan(first["cost"]))
        assert card.locator('[data-figure="margin"]').inner_text().strip() == yuan(first["sale"] - first["cost"])
        check_page(page, watch, artifacts, "money-04-order-unpurchased", f"{base}/orders/pdd-seller/{expect['alone']}",
                   ["资金", "还没有采购", "无法计算"])

        # English, then the CSV files a seller opens in Excel
        check_page(page, watch, artifacts, "money-05-en", base + "/money?lang=en",
                   ["Money", "By day", "By shop", "Revenue", "Margin", "How the figures are made"], lang="en")
        check_page(page, watch, artifacts, "money-06-suppliers-en", base + "/suppliers?lang=en",
                   ["Suppliers", "Median hours to a number", "What each figure means"], lang="en")
        page.goto(base + "/money?lang=zh")
        for url, first_cells in ((base + "/money.csv?by=shop", ["站点", "店铺", "订单数"]),
                                 (base + "/suppliers.csv", ["站点", "供应商", "采购单数"])):
            r = page.request.get(url)
            text = r.text()
            assert r.status == 200 and text.startswith("\ufeff") and "text/csv" in r.headers["content-type"]
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
            assert rows[0][:3] == first_cells
            assert not any(re.search(r"\d{4}-\d\d-\d\dT", cell) for row in rows for cell in row)
        supplier_rows = list(csv.reader(io.StringIO(page.request.get(base + "/suppliers.csv").text().lstrip("\ufeff"))))
        assert [r[1] for r in supplier_rows[1:]] == expect["worst_first"]
        assert watch.take() == []
    finally:
        ctx.close()
