"""Which tables hold the helper's data, their columns, row counts and applied migrations.

Shared by `danhao backup` (helper/backup.py) and `danhao export-all` / `danhao import`
(helper/portable.py), so the three agree on what "every table" means:

- `data_tables(conn)`: the ordinary tables, by name; not SQLite's own (`sqlite_*`), not the
  migrations record (`_sqlite_migrations`, the schema's history rather than data), not virtual
  tables (a full-text index is rebuilt from its table) nor their shadow tables.
- `columns(conn, table)`: `[(name, declared_type)]` in table order, without generated or
  hidden columns (they are computed, never written).
- `row_counts(conn, tables)`: `{table: rows}`.
- `applied_migrations(conn)`: the names of the applied migrations of the `danhao` set, in the
  order they ran (`[]` when the database has none).

`conn` is a plain `sqlite3.Connection` (or anything with `execute`).
"""

from __future__ import annotations

import sqlite3

MIGRATIONS_TABLE = "_sqlite_migrations"   # sqlite-utils' Migrations record (helper/migrations.py)
MIGRATION_SET = "danhao"


def quote(name: str) -> str:
    """An SQL identifier in double quotes (a quote inside doubled)."""
    return '"' + name.replace('"', '""') + '"'


def data_tables(conn) -> list[str]:
    try:
        rows = conn.execute("PRAGMA table_list").fetchall()   # SQLite 3.37+: knows shadow tables
        names = [r[1] for r in rows if r[0] == "main" and r[2] == "table"]
    except sqlite3.OperationalError:                            # older SQLite: skip virtual tables and theirs
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [r[0] for r in rows if (r[1] or "").upper().startswith("CREATE VIRTUAL")]
        names = [r[0] for r in rows if r[0] not in virtual and not any(r[0].startswith(v + "_") for v in virtual)]
    return sorted(n for n in names if not n.startswith("sqlite_") and n != MIGRATIONS_TABLE)


def columns(conn, table: str) -> list[tuple[str, str]]:
    return [(r[1], r[2] or "") for r in conn.execute(f"PRAGMA table_xinfo({quote(table)})") if r[6] == 0]


def has_rowid(conn, table: str) -> bool:
    """False for a WITHOUT ROWID table."""
    try:
        conn.execute(f"SELECT rowid FROM {quote(table)} LIMIT 0")
    except sqlite3.OperationalError:
        return False
    return True


def row_counts(conn, tables: list[str]) -> dict[str, int]:
    return {t: conn.execute(f"SELECT COUNT(*) FROM {quote(t)}").fetchone()[0] for t in tables}


def applied_migrations(conn) -> list[str]:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]).fetchone()
    if not exists:
        return []
    return [r[0] for r in conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])]
