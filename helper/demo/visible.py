"""The visible demo: Chromium on the 拼多多 list (the 1688 list in a second tab), the person clicks."""
from __future__ import annotations

from typing import Callable

from . import STOP
from .world import DemoWorld


def instructions(world: DemoWorld) -> list[str]:
    return [
        "演示已就绪：Chromium 已打开，扩展已加载并已和演示助手配对（演示数据，不是你的店铺）。",
        "  1. 点浏览器右上角的拼图图标 → 单号 Danhao（可以点图钉固定）。",
        "  2. 在「1688 已买到的货品」标签页：勾选 全部页 → 点 同步采购单。",
        "  3. 在「拼多多 订单列表」标签页：勾选 全部页 → 点 同步订单。",
        "  4. 还在拼多多标签页：点 填写发货。单号打开每单的发货弹窗，选好快递、填好单号，并指向 确认发货；",
        "     核对后由你点 确认发货，它再做下一单。页面右下角的面板可以 跳过 / 停止。",
        f"  5. 核对页面：{world.url}/ （令牌 {world.token}）",
        "  按 Ctrl+C 结束演示（演示数据随之删除）。",
        "",
        "Demo ready: Chromium is open with the extension loaded and paired with the demo helper (demo data, not your shop).",
        "  1. Click the puzzle icon at the top right of the browser → 单号 Danhao (pin it if you like).",
        "  2. On the tab 「1688 已买到的货品」: tick 全部页 (all pages) → click 同步采购单 (Sync purchases).",
        "  3. On the tab 「拼多多 订单列表」: tick 全部页 → click 同步订单 (Sync orders).",
        "  4. Still on 拼多多: click 填写发货 (Fill shipments). Danhao opens each order's 发货 dialog, picks the courier,",
        "     types the number and points at 确认发货; you check it and click 确认发货, it moves to the next order.",
        f"  5. Review pages: {world.url}/ (token {world.token})",
        "  Press Ctrl+C to end the demo (its data is deleted).",
    ]


def visible(world: DemoWorld, say: Callable[[str], None]) -> None:
    ctx = world.ctx
    for p in ctx.pages:
        p.close()
    ali = ctx.new_page()
    ali.goto(world.site_url("alibaba-buyer"))
    pdd = ctx.new_page()
    pdd.goto(world.site_url("pdd-seller"))
    pdd.bring_to_front()
    for line in instructions(world):
        say(line)
    closed = []
    ctx.on("close", lambda _: closed.append(True))
    # Until Ctrl+C or the browser window is closed (waiting through Playwright keeps its events flowing).
    while not closed and not STOP.is_set():
        try:
            if not ctx.pages:
                break
            ctx.pages[0].wait_for_timeout(500)
        except Exception:
            break
    if not STOP.is_set():
        say("浏览器已关闭，演示结束 / The browser was closed: demo over.")
    else:
        say("演示结束，正在清理 / Demo ended: cleaning up.")
