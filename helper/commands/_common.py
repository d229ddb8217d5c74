"""What the data commands (backup, export-all, import, export) share: the `--db` option.

Defined here rather than imported from helper/cli.py, which imports these modules while it
loads (an import the other way round would be circular).
"""

from __future__ import annotations

from pathlib import Path

import click

DB_OPTION = click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
                         help="数据库文件（SQLite）/ database file (default: DANHAO_HOME or the app-data folder)")


def db_path(given: Path | None) -> Path:
    """The `--db` path, else the default database (helper/paths.py)."""
    from helper.paths import default_db_path

    return given or default_db_path()
