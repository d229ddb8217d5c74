"""``danhao export-all DIR``: every table as a CSV file plus a manifest (helper/portable.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from ._common import DB_OPTION


@click.command("export-all", short_help="把全部数据导出为 CSV / Export every table as CSV.")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@DB_OPTION
def export_all(folder: Path, db_path: Path | None) -> None:
    """把全部数据导出到新文件夹 DIR：每张表一个 CSV 和一个清单 / Export every table into the new folder DIR.

    One CSV per table (UTF-8 with BOM, a header row, every column; opens in Excel as text)
    and manifest.json (schema version, row counts, SHA-256 of each file). The encoding is
    lossless: danhao import DIR gives back the exact data. One snapshot, safe while the
    helper runs. DIR must be new or empty. 文件含买家信息，请妥善保管 / the files hold buyer
    data: keep them safe.

    \b
    Example:
      danhao export-all D:\\导出\\danhao-2026-11-25
    """
    from helper.cli_errors import CliError, open_database
    from helper.portable import PortableError, export_all as run

    from ._common import db_path as resolve

    source = resolve(db_path)
    open_database(source, must_exist=True)
    try:
        manifest = run(source, folder)
    except PortableError as err:
        raise CliError(err.message)
    except (OSError, sqlite3.Error) as err:
        raise CliError(f"错误：无法读写数据（{err}），未完成 / Error: could not read or write the data ({err}); not done")
    tables = manifest["tables"]
    click.echo(f"已导出 {len(tables)} 张表到 {folder} / Exported {len(tables)} tables to {folder} "
               f"(schema {manifest['schema']['version']}: {manifest['schema']['migrations'][-1]})")
    width = max((len(t) for t in tables), default=0)
    for table, entry in tables.items():
        click.echo(f"  {table.ljust(width)}  {entry['rows']}")
