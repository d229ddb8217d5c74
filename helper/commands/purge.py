"""``danhao purge [--dry-run]``: mask buyer data that is past its retention (helper/retention.py)."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("purge", short_help="到期买家信息脱敏 / Mask buyer data past its retention.")
@click.option("--dry-run", is_flag=True, help="只统计将脱敏的条数，不做改动 / count what would be masked, change nothing.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="数据库文件（SQLite）/ database file (default: DANHAO_HOME or the app-data folder)")
def purge(dry_run, db_path):
    """把到期订单的买家姓名、电话、地址脱敏 / Mask buyer names, phones and addresses of orders past retention.

    An order is due retention_days (setting, default 90) after its delivery, or, when no
    delivery is known, after its last update or ship-by time, whichever is later. Masking is
    in place: 张* / 139****5678 / 文三***; orders, tracking numbers and amounts stay. The helper
    does the same once a day while it runs; running twice changes nothing the second time.

    \b
    Example:
      danhao purge --dry-run
      danhao purge
    """
    from helper.cli_errors import open_database
    from helper.paths import default_db_path
    from helper.retention import purge as run
    from helper.store import connect
    from helper.web.words import beijing

    path = db_path or default_db_path()
    open_database(path, must_exist=db_path is not None)
    db = connect(path)
    try:
        result = run(db, dry_run=dry_run)
    finally:
        db.conn.close()
    head = "将脱敏 / would mask" if dry_run else "已脱敏 / masked"
    click.echo(f"retention_days = {result['days']}：签收（或最后更新）早于 {beijing(result['cutoff'])}（北京时间）的订单 / "
               f"orders delivered (or last updated) before {beijing(result['cutoff'])} Beijing time")
    click.echo(f"{head}: 销售订单 sales orders {result['sales_orders']}, 采购单 purchase orders {result['purchase_orders']}, "
               f"运单 shipments {result['shipments']}, 提醒 alerts {result['alerts']}, "
               f"填写记录 fill results {result['fill_results']}, 日志 events {result['events']}, "
               f"过期轨迹缓存 expired trace cache {result['trace_cache']}")
