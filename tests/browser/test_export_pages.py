"""Issue #12, 批量发货 from the review pages, in real Chromium against the real helper.

The helper runs as its own process (`python -m helper serve`); the seed goes in through its API
for all seven seller sites (tests/support/bulk_shipping.py). A person signs in, opens 批量发货
from the top bar, and for every site downloads the CSV and the XLSX with a click. Each
downloaded file is read back (csv / openpyxl, knowing only the layouts data file) and must carry
exactly the ready, not yet uploaded shipments. The page must load clean: no failed request, no
console error, styled, no site id or JSON shown, Chinese first and English on the switch.
"""

from __future__ import annotations

import re

import pytest

from tests.support import bulk_shipping as B
from tests.support.browser import launch_chromium
from tests.support.helper_server import HelperProcess

pytestmark = pytest.mark.browser

OPERATOR = {"X-Danhao-Operator": "%E5%B0%8F%E7%8E%8B"}   # 小王
RAW = [re.compile(p) for p in (r"\b[a-z]+-(seller|buyer)\b", r"[{\[]\"", r"\d{4}-\d\d-\d\dT\d\d:")]


@pytest.fixture(scope="module")
def helper(tmp_path_factory):
    proc = HelperProcess(tmp_path_factory.mktemp("export-pages") / "danhao.db").start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def seeded(helper):
    def post(path, body):
        r = helper.api("POST", path, json=body, headers=OPERATOR)
        assert r.status_code in (200, 201), (path, r.status_code, r.text[:300])
        return r.json()

    return B.seed(post)


def test_the_review_page_offers_both_files_per_site_and_they_read_back(helper, seeded, tmp_path):
    problems: list[str] = []
    ctx = launch_chromium(tmp_path / "profile", accept_downloads=True)
    try:
        page = ctx.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

        page.goto(helper.url + "/", wait_until="load")
        page.fill("input[name=token]", helper.token)
        page.click("button[type=submit]")
        page.wait_for_url(helper.url + "/")

        page.get_by_role("link", name="批量发货", exact=True).click()   # from the top bar
        page.wait_for_url(helper.url + "/exports")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "批量发货文件"
        assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()") == "#1664ff"
        assert page.locator("nav.mainnav a.active").inner_text() == "批量发货"
        text = page.locator("body").inner_text()
        for pattern in RAW:
            assert not pattern.search(text), (pattern.pattern, pattern.search(text).group(0))
        assert "版式未经平台核实" in text and "可导出运单" in text

        rows = page.locator("table.bulk-shipping tbody tr")
        assert rows.count() == len(B.SITES)
        layouts = B.layouts_doc()
        for i, site in enumerate(B.SITES):
            if i:
                # A fresh load per site: Chromium holds back a page's downloads after about ten.
                page.goto(helper.url + "/exports", wait_until="load")
            row = page.locator(f"tr[data-site='{site}']")
            assert row.locator("td.num").first.inner_text().splitlines()[0] == str(len(seeded["expected"][site]))
            for fmt, reader in (("csv", B.read_csv), ("xlsx", B.read_xlsx)):
                with page.expect_download() as info:
                    row.locator(f"a[data-format='{fmt}']").click()
                download = info.value
                assert download.suggested_filename == f"danhao-{site}-bulk-shipping.{fmt}"
                saved = tmp_path / download.suggested_filename
                download.save_as(saved)
                assert reader(saved.read_bytes(), layouts[site]) == seeded["expected"][site], (site, fmt)
        assert page.url == helper.url + "/exports"   # a download, not a navigation

        page.click("a.lang")   # English
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Bulk-shipping files"
        assert page.locator("tr[data-site='douyin-seller'] td").first.inner_text().startswith("Douyin shop")
        assert page.locator("a[data-format='xlsx']").count() == len(B.SITES)
        assert problems == [], problems
    finally:
        ctx.close()
