"""`danhao backup FILE`: a consistent copy of the database, taken while the helper runs and writes.

The copy is made with SQLite's online backup API (`sqlite3.Connection.backup`, one step for
all pages): it reads one snapshot of the database, so every transaction the helper commits is
either wholly in the copy or wholly absent, and in WAL mode the helper keeps writing meanwhile
(https://www.sqlite.org/backup.html). A `cp` of `danhao.db` while the helper runs can miss the
pages still in `danhao.db-wal`; this cannot.

`backup(source, target, force=False) -> Report`:
- `target` that exists is refused unless `force` (then replaced only once the new copy is
  verified); a folder, or the source itself, is always refused;
- the copy is written next to `target` under a temporary name, switched to a single
  self-contained file (`journal_mode = DELETE`: no `-wal` beside it), then verified:
  `PRAGMA integrity_check` must answer `ok` and the copy's migrations record must list the
  same migrations as the source (so the helper opens it as it is);
- only then is it renamed to `target` (atomic on one file system); on any failure the
  temporary file is removed and `target` is untouched.
- raises `BackupError` (`.message` is "中文 / English") for every refusal.

`Report`: `path`, `bytes` (file size), `integrity` ("ok"), `migrations` (names), `counts`
({table: rows} of the copy, every data table of helper/tables.py).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .store import BUSY_TIMEOUT_MS
from .tables import applied_migrations, data_tables, row_counts


class BackupError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Report:
    path: Path
    bytes: int
    integrity: str
    migrations: list[str]
    counts: dict[str, int]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_target(source: Path, target: Path, force: bool) -> None:
    """The refusals that come before anything is read or written."""
    if target.is_dir():
        raise BackupError(f"错误：{target} 是一个文件夹，请给出备份文件名，例如 {target / 'danhao-backup.db'} / "
                          f"Error: {target} is a folder; give a file name such as {target / 'danhao-backup.db'}")
    if _same_file(source, target) or source.resolve() == target.resolve():
        raise BackupError(f"错误：备份文件不能是数据库本身（{target}）/ Error: the backup cannot be the database itself ({target})")
    if target.exists() and not force:
        raise BackupError(f"错误：{target} 已存在，未覆盖；换一个文件名，或加 --force 覆盖 / "
                          f"Error: {target} already exists and was not overwritten; choose another name or add --force")


def backup(source: str | Path, target: str | Path, force: bool = False) -> Report:
    source, target = Path(source), Path(target)
    check_target(source, target, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BackupError(f"错误：无法创建文件夹 {target.parent}（{err.strerror}）/ "
                          f"Error: cannot create the folder {target.parent} ({err.strerror})")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    _remove(partial)
    try:
        report = _copy_and_verify(source, partial)
        os.replace(partial, target)
    except sqlite3.Error as err:
        _remove(partial)
        raise BackupError(f"错误：备份失败（{err}），数据库未改动 / Error: the backup failed ({err}); the database is unchanged")
    except OSError as err:
        _remove(partial)
        raise BackupError(f"错误：无法写入 {target}（{err.strerror}），请检查路径和权限 / "
                          f"Error: cannot write {target} ({err.strerror}); check the path and its permissions")
    except BaseException:
        _remove(partial)
        raise
    return Report(path=target, bytes=target.stat().st_size, integrity=report.integrity,
                  migrations=report.migrations, counts=report.counts)


def _copy_and_verify(source: Path, partial: Path) -> Report:
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        expected = applied_migrations(src)
        dst = sqlite3.connect(str(partial), isolation_level=None)
        try:
            src.backup(dst)   # pages=-1: every page in one step, from one read snapshot
        finally:
            dst.close()
    finally:
        src.close()
    copy = sqlite3.connect(str(partial), isolation_level=None)
    try:
        copy.execute("PRAGMA journal_mode = DELETE")   # one self-contained file
        integrity = [r[0] for r in copy.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise BackupError("错误：备份副本未通过完整性检查（" + "; ".join(integrity[:3]) + "），已删除副本 / "
                              "Error: the copy failed the integrity check (" + "; ".join(integrity[:3]) + "); it was removed")
        migrations = applied_migrations(copy)
        if not migrations or migrations != expected:
            raise BackupError("错误：备份副本缺少迁移记录，不是完整的单号数据库，已删除副本 / "
                              "Error: the copy lacks the migrations record of a Danhao database; it was removed")
        counts = row_counts(copy, data_tables(copy))
    finally:
        copy.close()
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())
    return Report(path=partial, bytes=partial.stat().st_size, integrity="ok", migrations=migrations, counts=counts)


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
