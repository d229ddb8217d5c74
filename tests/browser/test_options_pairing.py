"""Pairing in the options page: a working 测试并保存 keeps the token (leaving after ✓ loses
nothing), 取消配对 forgets it, and the helper then answers the extension as unpaired."""
from __future__ import annotations

import pytest

from tests.support.helper_server import HelperProcess

pytestmark = pytest.mark.browser


def test_test_and_save_keeps_a_working_pairing_and_unpair_forgets_it(extension_browser, tmp_path):
    ctx, sw, ext_id = extension_browser
    helper = HelperProcess(tmp_path / "danhao.db").start()
    try:
        sw.evaluate("() => globalThis.danhao.settings.set({token: '', helperUrl: 'http://127.0.0.1:17890'})")
        page = ctx.new_page()
        page.goto(f"chrome-extension://{ext_id}/extension/options/options.html")
        page.fill("#helperUrl", helper.url)
        page.fill("#token", "wrong-token")
        page.click("#test")
        page.locator("#test-result[data-state='unpaired']").wait_for()
        assert sw.evaluate("async () => (await globalThis.danhao.settings.get()).token") == ""   # nothing saved
        page.fill("#token", helper.token)
        page.click("#test")
        page.locator("#test-result[data-state='online']").wait_for()
        assert "已保存" in page.locator("#test-result").inner_text()
        page.close()                                         # leaves without pressing 保存
        settings = sw.evaluate("async () => await globalThis.danhao.settings.get()")
        assert settings["token"] == helper.token and settings["helperUrl"] == helper.url
        assert sw.evaluate("async () => (await globalThis.danhao.ping()).state") == "online"

        page = ctx.new_page()
        page.goto(f"chrome-extension://{ext_id}/extension/options/options.html")
        page.click("#unpair")
        page.locator("#test-result[data-state='unpaired']").wait_for()
        assert "danhao token --new" in page.locator("#test-result").inner_text()
        assert sw.evaluate("async () => (await globalThis.danhao.settings.get()).token") == ""
        assert sw.evaluate("async () => (await globalThis.danhao.ping()).state") == "unpaired"
        page.close()
    finally:
        sw.evaluate("() => globalThis.danhao.settings.set({token: '', helperUrl: 'http://127.0.0.1:17890'})")
        helper.stop()
