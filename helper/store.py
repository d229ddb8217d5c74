"""The one place that opens SQLite: WAL, a busy timeout, migrations at start, explicit transactions.

Connections run in autocommit mode and every write request wraps its work in
`transaction()` (BEGIN IMMEDIATE … COMMIT), so a request that fails half-way leaves
nothing behind. Request code writes with plain SQL; sqlite-utils' own write helpers open
their own transactions and are used only by migrations.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from . import clock
from .migrations import migrations

BUSY_TIMEOUT_MS = 10_000


def now_iso() -> str:
    """Local time with its offset, from the helper's one clock (`helper.clock`): what a seller
    in 杭州 reads as 2026-11-25T09:12:03+08:00."""
    return clock.now_iso()


def connect(path: str | Path, autocheckpoint: bool = True) -> Database:
    """`autocheckpoint=False` for request connections of a server whose Checkpointer thread
    copies the WAL back into the database: a request then never pays for a checkpoint."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # NORMAL is durable in WAL mode against application crashes (only a power loss can
    # drop the last commits), and it keeps batch syncs fast.
    conn.execute("PRAGMA synchronous = NORMAL")
    # Pages are read through a memory map (no read() copy per page): a request opens a
    # fresh connection, so its page cache is always cold (docs/performance.md).
    conn.execute("PRAGMA mmap_size = 268435456")
    if not autocheckpoint:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
    return Database(conn)


class Checkpointer(threading.Thread):
    """Copies committed WAL pages back into the database between requests (PASSIVE: never
    waits for, nor blocks, readers and writers), so checkpoints stop landing in a request."""

    def __init__(self, path: str | Path, interval_s: float = 0.5):
        super().__init__(name="danhao-checkpointer", daemon=True)
        self.path, self.interval_s = str(path), interval_s
        self.stopping = threading.Event()

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            while not self.stopping.wait(self.interval_s):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    pass  # busy now: the next round catches up
        finally:
            conn.close()

    def stop(self) -> None:
        self.stopping.set()


_init_lock = threading.Lock()


def init_db(path: str | Path) -> None:
    """Create the folder and the file, switch to WAL and apply pending migrations (repeatable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _init_lock:
        db = connect(path)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            migrations.apply(db)
        finally:
            db.conn.close()


@contextmanager
def transaction(db: Database):
    """One write transaction; rolled back on any exception so a rejected request changes nothing."""
    conn = db.conn
    if conn.in_transaction:  # nested use inside a request: the outer one owns commit/rollback
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def dumps(value) -> str:
    """Canonical JSON: stable key order so that 'unchanged' is a plain string comparison."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def get_setting(db: Database, name: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE name = ?", [name]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, name: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        [name, value],
    )


def delete_setting(db: Database, name: str) -> None:
    db.execute("DELETE FROM settings WHERE name = ?", [name])


def all_settings(db: Database) -> dict[str, str]:
    return {row[0]: row[1] for row in db.execute("SELECT name, value FROM settings ORDER BY name")}
