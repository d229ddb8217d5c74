"""``danhao demo``: try the whole flow without a shop (issue #11, item 2). See helper/demo/."""
from __future__ import annotations

import sys
from pathlib import Path

import click


def _say(line: str) -> None:
    click.echo(line)
    sys.stdout.flush()


@click.command("demo", epilog="\b\nExample:\n  danhao demo\n  danhao demo --headless --screenshots demo-shots")
@click.option("--headless", is_flag=True,
              help="不开窗口，自动走完整个流程 / no window: walk the whole flow by itself.")
@click.option("--screenshots", "screenshots", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="每一步存一张截图到此文件夹（01-….png）/ save one PNG per step in this folder.")
@click.option("--port", default=0, type=click.IntRange(0, 65535),
              help="演示助手的端口（默认任选一个空闲端口）/ port of the demo helper (default: any free port).")
def demo(headless: bool, screenshots: Path | None, port: int) -> None:
    """试用：不用店铺，在本机演示整个流程 / Try the whole flow without a shop.

    启动演示助手（临时数据库，不碰你的数据）、本机上的 拼多多 订单列表和 1688 已买到的货品 仿真页面，\
以及装好并已配对扩展的 Chromium。有显示器时打开浏览器并提示点哪里，按 Ctrl+C 结束；--headless 时\
自动走完：同步采购单、同步订单、填写发货（逐单点 确认发货）、打开核对页面。

    Starts a demo helper (temporary database; your data is never opened), the replica 拼多多 order
    list and 1688 purchase list on 127.0.0.1, and Chromium with the extension loaded and paired.
    With a display it opens the browser and prints what to click (Ctrl+C ends it); with --headless
    it syncs purchases and orders, fills each 发货 dialog and clicks 确认发货 as a person would,
    then opens the review pages. Needs the source checkout with the test extra
    (pip install -e ".[test]") and Chromium (/usr/bin/chromium or DANHAO_CHROMIUM); never
    downloads a browser.
    """
    from helper.cli_errors import CliError
    from helper.demo import DemoUnavailable, has_display, prepare, stop_on_ctrl_c

    try:
        prepare()
    except DemoUnavailable as err:
        raise CliError(str(err))
    if not headless and not has_display():
        _say("没有显示器，改为自动演示（--headless）/ No display found: walking the demo by itself (--headless).")
        headless = True

    from helper.demo.walk import WalkFailed, walk
    from helper.demo.world import DemoWorld

    _say("正在启动演示（助手、仿真页面、Chromium）… / Starting the demo (helper, replica pages, Chromium)…")
    world = DemoWorld(headless=headless, port=port)
    stop_on_ctrl_c()
    try:
        world.start()
        _say(f"演示助手 Demo helper: {world.url}  数据库 Database: {world.db_path}（结束后删除 / deleted at exit）")
        if not headless:
            from helper.demo.visible import visible
            visible(world, _say)
            return
        try:
            summary = walk(world, screenshots.resolve() if screenshots else None, _say)
        except WalkFailed as err:
            raise CliError(str(err))
    except KeyboardInterrupt:
        _say("\n演示已中断 / Demo interrupted.")
        sys.exit(130)
    finally:
        world.close()
    if summary["screenshots"]:
        _say(f"截图 Screenshots ({len(summary['screenshots'])}):")
        for path in summary["screenshots"]:
            _say(f"  {path}")
    _say(f"演示完成 Demo done: purchases={summary['purchases']} orders={summary['orders']} "
         f"dialogs={summary['dialogs']} filled={summary['filled']} "
         f"confirmed_by_person={summary['confirmed_by_person']} screenshots={len(summary['screenshots'])}")
    if not summary["filled"]:
        raise CliError("演示没有填写任何订单 / The demo filled no order.")
