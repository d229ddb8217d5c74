"""``danhao backup FILE``: a verified copy of the database, safe while the helper runs (helper/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import DB_OPTION


@click.command("backup", short_help="备份数据库（助手运行时也可）/ Back up the database, even while running.")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="备份文件已存在时覆盖 / overwrite FILE if it exists.")
@DB_OPTION
def backup(file: Path, force: bool, db_path: Path | None) -> None:
    """把数据库备份到 FILE / Copy the database to FILE with SQLite's online backup.

    The copy is one consistent snapshot even while the helper runs and writes, then checked
    (PRAGMA integrity_check, the migrations record) before it takes the name FILE. An existing
    FILE is never overwritten without --force. 恢复：停止助手，用备份文件替换 danhao.db，或
    danhao serve --db FILE / to restore: stop the helper and put the copy in place of danhao.db,
    or run danhao serve --db FILE.

    \b
    Example:
      danhao backup D:\\备份\\danhao-2026-11-25.db
      danhao backup ~/danhao-backup.db --force
    """
    from helper.backup import BackupError, backup as run_backup, check_target
    from helper.cli_errors import CliError, open_database

    from ._common import db_path as resolve

    source = resolve(db_path)
    try:
        check_target(source, file, force)   # before the database is even opened
    except BackupError as err:
        raise CliError(err.message)
    open_database(source, must_exist=True)
    try:
        report = run_backup(source, file, force=force)
    except BackupError as err:
        raise CliError(err.message)
    click.echo(f"备份完成 / Backup written: {report.path} ({_size(report.bytes)})")
    click.echo(f"完整性检查 / integrity_check: {report.integrity}")
    click.echo(f"迁移 / migrations: {len(report.migrations)} ({report.migrations[-1]})")
    width = max((len(t) for t in report.counts), default=0)
    for table, rows in report.counts.items():
        click.echo(f"  {table.ljust(width)}  {rows}")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"
