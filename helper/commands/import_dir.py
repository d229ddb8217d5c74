"""``danhao import DIR``: a ``danhao export-all`` folder into an empty or new database (helper/portable.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from ._common import DB_OPTION


@click.command("import", short_help="从 export-all 文件夹导入 / Import an export-all folder.")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@DB_OPTION
def import_dir(folder: Path, db_path: Path | None) -> None:
    """把 danhao export-all 的文件夹 DIR 导入空数据库 / Import the danhao export-all folder DIR.

    The manifest and every file's SHA-256 are checked first; then all rows go in in one
    transaction: all or nothing. The database (--db) must not exist yet, or be empty: an
    existing database with data is refused and left as it is. A new file is built under a
    temporary name and takes its name only when complete. 导入后重新启动助手 / restart the
    helper afterwards.

    \b
    Example:
      danhao import D:\\导出\\danhao-2026-11-25 --db D:\\单号\\danhao.db
    """
    from helper.cli_errors import CliError
    from helper.portable import PortableError, import_dir as run

    from ._common import db_path as resolve

    target = resolve(db_path)
    try:
        counts = run(folder, target)
    except PortableError as err:
        raise CliError(err.message)
    except (OSError, sqlite3.Error) as err:
        raise CliError(f"错误：无法读写数据（{err}），未完成 / Error: could not read or write the data ({err}); not done")
    click.echo(f"已导入 {sum(counts.values())} 行到 {target} / Imported {sum(counts.values())} rows into {target}")
    width = max((len(t) for t in counts), default=0)
    for table, rows in counts.items():
        click.echo(f"  {table.ljust(width)}  {rows}")
