"""``danhao autostart on|off|status``: start the helper at every login (see helper/autostart.py)."""
from __future__ import annotations

import click

from helper import autostart as auto


@click.command("autostart", short_help="登录后自动启动助手 / Start the helper at login.")
@click.argument("action", type=click.Choice(["on", "off", "status"]))
@click.option("--dry-run", is_flag=True, help="只显示将写入的文件和将运行的命令，不做改动 / print what would be done, change nothing.")
@click.option("--port", default=17890, show_default=True, type=click.IntRange(1, 65535),
              help="自动启动的助手使用的端口 / port of the started helper.")
@click.option("--method", type=click.Choice(auto.METHODS), default="startup", show_default=True,
              help="仅 Windows：启动文件夹或任务计划程序 / Windows only: Startup folder or Task Scheduler (schtasks).")
def autostart(action: str, dry_run: bool, port: int, method: str) -> None:
    """登录后自动运行助手 / Start the helper at every login (on), stop doing so (off), or show it (status).

    Windows: Danhao.cmd in the user's Startup folder (or, with --method task, a Task
    Scheduler entry); macOS: a LaunchAgent (launchctl); Linux: a systemd user unit
    (systemctl --user). Only the user's own folders are written; no administrator rights.
    Running on or off twice changes nothing the second time. 要立即停止正在运行的助手：
    Windows 关闭它的窗口，macOS/Linux 运行 danhao autostart off / to stop a running helper now:
    close its window on Windows, or run danhao autostart off.

    \b
    Example:
      danhao autostart on --dry-run
      danhao autostart on
      danhao autostart status
    """
    from helper.cli_errors import CliError

    target = auto.current_target(port=port, method=method)
    if method != "startup" and target.platform != "windows":
        click.echo("注意：--method 只用于 Windows，此处忽略 / Note: --method applies to Windows only; ignored here", err=True)
    where = target.file() or f"Task Scheduler: {auto.TASK}"
    if action == "status":
        on = auto.is_registered(target, auto.run_command)
        click.echo(f"已开启 / on: {where}" if on else f"未开启 / off ({where})")
        return
    steps, message = auto.plan(action, target, auto.run_command)
    if dry_run:
        for step in steps:
            click.echo(step.describe())
        if not steps:
            click.echo("无需改动 / nothing to do")
        return
    try:
        auto.apply(steps, auto.run_command)
    except (auto.AutostartError, OSError) as err:
        raise CliError(f"错误：无法设置自动启动（{err}）/ Error: could not change autostart ({err})")
    click.echo(message if steps else f"{message}（无需改动 / nothing to change）")
