"""What the command line says when it cannot start: one line, Chinese then English, with what
to do, exit status 2, no traceback.

- `CliError(message)`: a `click.ClickException` printed as the message alone, exit 2.
- `open_database(path, must_exist=False)`: creates/migrates the database like `init_db`, or
  raises `CliError` for a folder, a file that is not SQLite, a place that cannot be written,
  or (with `must_exist`) a path that does not exist — then nothing is created.
- `listen_error(host, port, err)`: the `CliError` for a port that is taken or cannot be bound.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import click


class CliError(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


def open_database(path: Path, must_exist: bool = False, folder_must_exist: bool = False) -> None:
    """Opens (and migrates) the database at `path` or raises a one-line CliError. `must_exist`: a
    missing file is refused (commands that read one); `folder_must_exist`: a new file may be made,
    but only in a folder that is there (a mistyped --db never creates folders)."""
    from .store import init_db

    if path.is_dir():
        raise CliError(f"错误：{path} 是一个文件夹，--db 需要数据库文件路径，例如 {path / 'danhao.db'} / "
                       f"Error: {path} is a folder; --db needs a database file such as {path / 'danhao.db'}")
    if must_exist and not path.exists():
        raise CliError(f"错误：数据库 {path} 不存在，请检查 --db 路径（不会新建数据库或令牌）/ "
                       f"Error: database {path} does not exist; check the --db path (no new database or token was made)")
    if folder_must_exist and not path.exists() and not path.parent.is_dir():
        raise CliError(f"错误：{path} 所在的文件夹 {path.parent} 不存在，请检查 --db 路径（不会新建文件夹或数据库）/ "
                       f"Error: the folder of {path} ({path.parent}) does not exist; check the --db path (no folder or database was made)")
    try:
        init_db(path)
    except sqlite3.DatabaseError as err:
        if isinstance(err, sqlite3.OperationalError):
            raise CliError(f"错误：无法打开数据库 {path}（{err}），请检查路径和权限 / "
                           f"Error: cannot open the database {path} ({err}); check the path and its permissions")
        raise CliError(f"错误：{path} 不是 SQLite 数据库，请检查 --db 路径或换一个新文件名 / "
                       f"Error: {path} is not a SQLite database; check the --db path or give a new file name")
    except OSError as err:
        raise CliError(f"错误：无法创建或打开 {path}（{err.strerror}），请检查路径和权限 / "
                       f"Error: cannot create or open {path} ({err.strerror}); check the path and its permissions")


def listen_error(host: str, port: int, err: OSError) -> CliError:
    if err.errno == errno.EADDRINUSE:
        return CliError(f"错误：端口 {port} 已被占用（可能已有助手在运行），请关闭它或换一个端口：danhao serve --port {port + 1} / "
                        f"Error: port {port} is already in use (a helper may already be running); stop it or "
                        f"choose another port: danhao serve --port {port + 1}")
    return CliError(f"错误：无法在 {host}:{port} 上监听（{err.strerror}），请检查 --host 和 --port / "
                    f"Error: cannot listen on {host}:{port} ({err.strerror}); check --host and --port")
