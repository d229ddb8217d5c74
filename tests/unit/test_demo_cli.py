"""`danhao demo` without a browser (issue #11, item 2): what it says when something is missing,
its help, and the shared demo data. The walk itself is tests/browser/test_demo.py."""
from __future__ import annotations

import importlib.util

from click.testing import CliRunner

from helper import demo
from helper.cli import main


def run(*args, **kw):
    return CliRunner().invoke(main, ["demo", *args], **kw)


def test_help_ends_with_an_example():
    res = run("--help")
    assert res.exit_code == 0
    tail = res.output.strip().splitlines()[-3:]
    assert tail[0].strip() == "Example:" and "danhao demo --headless --screenshots" in res.output
    for option in ("--headless", "--screenshots", "--port"):
        assert option in res.output


def test_missing_playwright_is_one_line_saying_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "playwright" else real(name, *a))
    res = run("--headless")
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, res.output
    line = lines[0]
    assert line.startswith("缺少 playwright") and " / Missing playwright" in line
    assert 'pip install -e ".[test]"' in line and "no browser is downloaded" in line


def test_missing_chromium_names_the_path_and_danhao_chromium(monkeypatch, tmp_path):
    monkeypatch.setenv("DANHAO_CHROMIUM", str(tmp_path / "no-such-browser"))
    res = run("--headless")
    assert res.exit_code == 2
    line = res.output.strip()
    assert "\n" not in line and line.startswith("找不到 Chromium")
    assert str(tmp_path / "no-such-browser") in line and "DANHAO_CHROMIUM" in line and "apt-get install chromium" in line


def test_a_copy_without_the_tests_folder_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "ROOT", tmp_path)
    res = run("--headless")
    assert res.exit_code == 2
    assert res.output.startswith("演示需要源码目录") and "The demo needs the source checkout" in res.output


def test_no_display_means_the_walk(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(demo.sys, "platform", "linux")
    assert demo.has_display() is False
    monkeypatch.setenv("DISPLAY", ":0")
    assert demo.has_display() is True
    monkeypatch.setattr(demo.sys, "platform", "win32")
    monkeypatch.delenv("DISPLAY")
    assert demo.has_display() is True


def test_the_demo_data_ties_each_shipped_purchase_to_a_pending_sales_order():
    from tests.support.replicas import pdd_seller_2026
    from tests.support.replicas.demo_data import linked_purchases

    pending = {o["order_sn"]: o for o in pdd_seller_2026.load_orders() if o["order_status"] == 1}
    data = linked_purchases()
    tied = [o for o in data["orders"] if o["remark"]]
    assert tied and all(o.get("logisticsOrderList") for o in tied)
    for purchase in tied:
        sale = pending[purchase["remark"].removeprefix("PDD ")]
        assert purchase["receiverInfo"]["toMobile"] == sale["receive_mobile"]
        assert purchase["receiverInfo"]["toProvince"] == sale["province_name"]
    assert linked_purchases() == data            # the same every time; the fixture is not changed
