"""The headless walk: the whole flow played on the demo world, one screenshot per step.

1688 已买到的货品 → 同步采购单 (全部页) → 拼多多 订单列表 → 同步订单 (全部页) → 填写发货, the demo
acting as the person: for each dialog the extension fills and points at, a real click on the
pointed 确认发货 (auto-submit stays off) → the popup's last results → the review pages.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from tests.support.extension import PROGRESS, TAB_ID   # importable: prepare() put the checkout on sys.path

from . import check_stop
from .world import ALI, PDD, DemoWorld

# The 确认发货 the extension points at, and the order its dialog is for.
POINTED = """() => {
  const b = document.querySelector('[data-danhao-point="confirm"]');
  if (!b) return null;
  const m = b.closest('[data-testid="beast-core-modal"]');
  const id = ((m ? m.textContent : '').match(/订单(?:编)?号[：:]?\\s*([0-9]{6}-[0-9]+)/) || [])[1] || null;
  return {order_id: id};
}"""
# What the content script of the tab matching `pattern` is busy with (null when idle).
BUSY = """async (pattern) => {
  const [tab] = await chrome.tabs.query({url: pattern});
  const r = await chrome.tabs.sendMessage(tab.id, {type: 'popup:status'}, {frameId: 0});
  return r && r.ok ? (r.data.busy || null) : 'no answer';
}"""
MAX_DIALOGS = 60


class WalkFailed(RuntimeError):
    pass


def wait_for(predicate, timeout: float, what: str):
    deadline = time.time() + timeout
    while time.time() < deadline:
        check_stop()
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise WalkFailed(f"演示卡住了：等待 {what} 超时 / The demo got stuck: timed out waiting for {what}")


class Shots:
    """`01-name.png`, `02-name.png`, … in `folder` (nothing when folder is None)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.paths: list[Path] = []
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def take(self, target, name: str, **options) -> None:
        if self.folder is None:
            return
        path = self.folder / f"{len(self.paths) + 1:02d}-{name}.png"
        check_stop()
        target.screenshot(path=str(path), **options)
        self.paths.append(path)


def walk(world: DemoWorld, screenshots: Path | None, say: Callable[[str], None]) -> dict:
    """Play the flow; a Playwright error becomes WalkFailed naming the step it happened in."""
    step = ["启动 start", ""]
    try:
        return _walk(world, Shots(screenshots), say, step)
    except WalkFailed:
        raise
    except Exception as err:
        check_stop()       # Ctrl+C in a terminal also ends the browser driver: that is no failure
        if not type(err).__module__.startswith("playwright"):
            raise
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        where = " · ".join(x for x in step if x)
        raise WalkFailed(f"演示在「{where}」这一步出错：{first} / The demo failed at step {where!r}: {first}") from err


def _walk(world: DemoWorld, shots: Shots, say: Callable[[str], None], step: list) -> dict:
    ctx, sw = world.ctx, world.sw

    def open_tab(site: str):
        for p in ctx.pages:
            p.close()
        page = ctx.new_page()
        page.goto(world.site_url(site))
        page.wait_for_load_state("networkidle")
        return page

    def popup_for(pattern: str):
        step[1] = "打开弹窗 opening the popup"
        tab = sw.evaluate(TAB_ID, pattern)
        popup = ctx.new_page()
        popup.set_viewport_size({"width": 340, "height": 600})
        popup.goto(f"chrome-extension://{world.ext_id}/extension/popup/popup.html?tab={tab}")
        popup.locator("body[data-ready='1']").wait_for(timeout=30_000)
        step[1] = ""
        return popup

    def sync_all_pages(pattern: str, button: str, name: str) -> str:
        popup = popup_for(pattern)
        popup.locator("#all-pages").check()
        popup.locator(button).click()
        step[1] = "等待同步完成 waiting for the sync"
        popup.locator("#message", has_text="已同步").wait_for(timeout=90_000)
        step[1] = ""
        text = popup.locator("#message").inner_text().strip()
        shots.take(popup.locator("body"), name)
        popup.close()
        return text

    # 1. Purchases on 1688, every page.
    step[0] = "1688 同步采购单"
    ali = open_tab("alibaba-buyer")
    ali.wait_for_timeout(500)
    shots.take(ali, "1688-purchase-list")
    say(f"1688 同步采购单 Sync purchases: {sync_all_pages(ALI, '#sync-purchase', 'popup-sync-purchases')}")

    # 2. Sales orders on 拼多多, every page.
    check_stop()
    step[0] = "拼多多 同步订单"
    page = open_tab("pdd-seller")
    page.wait_for_timeout(500)
    shots.take(page, "pdd-order-list")
    say(f"拼多多 同步订单 Sync orders: {sync_all_pages(PDD, '#sync-sales', 'popup-sync-orders')}")
    status = world.api("/api/v1/status")

    # 3. Fill, confirming each pointed dialog as the person would.
    check_stop()
    step[0] = "填写发货"
    def fill_finished() -> bool:
        # Only this walk's end counts: the sync's last progress note may land after it finished.
        p = sw.evaluate(PROGRESS) or {}
        return bool(p.get("task") == "fill" and p.get("finished"))

    # The sync of every page ends by going back to page 1: fill once the page is idle again.
    wait_for(lambda: sw.evaluate(BUSY, PDD) is None, timeout=30, what="the 拼多多 page to finish the sync")
    sw.evaluate("() => chrome.storage.local.remove('danhao.progress')")
    popup = popup_for(PDD)
    popup.locator("#fill").click()
    wait_for(lambda: page.evaluate(POINTED) or fill_finished(), timeout=60, what="the first 发货 dialog")
    shots.take(popup.locator("body"), "popup-fill")
    popup.close()
    page.bring_to_front()
    seen: list[str] = []
    while True:
        row = wait_for(lambda: page.evaluate(POINTED) or (fill_finished() and "done"),
                       timeout=60, what="the next 发货 dialog or the end of the walk")
        if row == "done":
            break
        order_id = row["order_id"] or "?"
        if order_id in seen or len(seen) >= MAX_DIALOGS:
            raise WalkFailed(f"同一订单的发货弹窗出现了两次：{order_id} / The 发货 dialog of {order_id} came twice")
        seen.append(order_id)
        shots.take(page, f"dialog-{len(seen):02d}-{order_id}")
        before = len(world.srv.state("pdd-seller")["shipped"])
        page.locator('[data-danhao-point="confirm"]').click()     # the person confirms
        wait_for(lambda: len(world.srv.state("pdd-seller")["shipped"]) == before + 1, timeout=30,
                 what=f"the replica to ship {order_id}")
        wait_for(lambda: (page.evaluate(POINTED) or {}).get("order_id") != row["order_id"], timeout=30,
                 what="the dialog to close")
    if not seen:
        p = sw.evaluate(PROGRESS) or {}
        note = p.get("error") or p.get("note") or ""
        raise WalkFailed(f"填写发货没有打开任何发货弹窗 {note} / The fill opened no 发货 dialog {note}".replace("  ", " "))
    page.wait_for_timeout(300)
    shots.take(page, "panel-done")
    say(f"填写发货 Fill: 确认了 {len(seen)} 个发货弹窗 / confirmed {len(seen)} dialogs")

    # 4. What the popup says afterwards.
    check_stop()
    step[0] = "最近结果 last results"
    wait_for(lambda: len(world.api("/api/v1/fill-results?site=pdd-seller&limit=500")["results"]) >= len(seen),
             timeout=30, what="the fill results to reach the helper")
    popup = popup_for(PDD)
    step[1] = "等待结果列表 waiting for the results list"
    popup.locator("#results li:not(.empty)").first.wait_for(timeout=30_000)
    shots.take(popup.locator("body"), "popup-results")
    popup.close()

    # 5. The review pages, signed in with the token as a person would.
    check_stop()
    step[0] = "核对页面 review pages"
    results = world.api("/api/v1/fill-results?site=pdd-seller&limit=500")["results"]
    filled = [r for r in results if r["result"] == "filled" and r.get("submitted")]
    review = ctx.new_page()
    review.goto(world.url + "/login")
    review.fill("input[name=token]", world.token)
    review.click("button[type=submit]")
    review.wait_for_url(world.url + "/")
    pages = [("review-dashboard", "/"), ("review-orders", "/orders")]
    if filled:
        pages.append(("review-order", f"/orders/pdd-seller/{filled[0]['order_id']}"))
    pages += [("review-shipments", "/shipments"), ("review-log", "/events")]
    for name, path in pages:
        review.goto(world.url + path)
        review.wait_for_load_state("networkidle")
        shots.take(review, name, full_page=True)
    review.close()

    shipped = world.srv.state("pdd-seller")["shipped"]
    return {
        "purchases": status.get("purchase_orders"),
        "orders": status.get("sales_orders"),
        "dialogs": len(seen),
        "filled": len(filled),
        "confirmed_by_person": sum(1 for s in shipped if s.get("by") == "user"),
        "screenshots": [str(p) for p in shots.paths],
    }
