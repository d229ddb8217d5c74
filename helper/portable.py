"""`danhao export-all DIR` and `danhao import DIR`: the whole database as one CSV per table, and back.

The files (format `danhao-export-all`, version 1)
-------------------------------------------------
- `<table>.csv` for every data table of helper/tables.py: UTF-8 with a BOM, CRLF line ends, a
  header row of the column names, then every row in rowid order, every column. Written through
  the project's CSV safety (helper/csvsafe.py), so the files open in Excel and WPS as text,
  never as formulas.
- `manifest.json`, written last (a folder without it is an interrupted export): the format and
  its version, the Danhao version, when (`exported_at`, the helper's clock), the schema version
  (`schema.migrations`, the applied migrations in order, and their count), and per table its
  file, row count, SHA-256 of the file's bytes, and each column's declared type and encoding.

The encoding is lossless: `import` gives back the exact values, types included
--------------------------------------------------------------------------------
1. Cells: an empty cell is NULL. A value that is empty, or starts with `'`, or starts with one of
   `= + - @ | %`, a tab or a carriage return (the characters a spreadsheet may run as a formula,
   unless the value is a plain number such as `-12.5`) is written with one `'` in front; every
   other value as it is. Reading drops the first character of a cell that starts with `'`. So
   `=1+1` is stored as `'=1+1`, `'x` as `''x`, the empty string as a lone `'`, and the rule of
   helper/csvsafe.py (defusedcsv) finds nothing left to change. The CSV safety of the other
   exports (orders.csv, the bulk-shipping files) cannot be undone exactly; this one can.
2. Types, per column (`encoding` in the manifest), from what the column holds: `text`,
   `integer` (decimal), `real` (Python's shortest round-trip `repr`), `blob` (base64); a column
   holding several storage classes is `tagged`: each value starts with `t:`, `i:`, `r:` or `b:`.
   Long digit ids stay text because the column says so, not because of what they look like.

Import
------
`import_dir(folder, db_path)` checks everything before it writes: the manifest (format, version,
schema = this helper's first migrations, in any order), every file present with its SHA-256.
Then, in ONE transaction, it inserts every row (triggers set aside and put back in the same
transaction, foreign keys checked at commit); any error rolls all of it back.
- `db_path` that does not exist (or is an empty file) is built next to itself under a
  temporary name: migrated to the export's schema, filled, migrated to this helper's schema,
  checked (`integrity_check`), then renamed into place; on failure nothing is left behind.
- `db_path` that exists must be an empty Danhao database on the export's schema (rows that a
  fresh database has by itself, if a migration seeds any, count as empty) — else refused.
Every refusal raises `PortableError` (`.message` "中文 / English"); nothing is changed.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import re
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

from . import __version__, clock
from .csvsafe import writer as csv_writer
from .migrations import migrations
from .store import BUSY_TIMEOUT_MS, connect
from .tables import applied_migrations, columns, data_tables, has_rowid, quote, row_counts

FORMAT = "danhao-export-all"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ENCODING_NOTE = ("Lossless CSV (helper/portable.py): empty cell = NULL; a cell starting with ' had one ' added "
                 "(drop it); column encodings: text, integer, real (repr), blob (base64), tagged (t:/i:/r:/b: prefix).")

_RISKY = ("'", "=", "+", "-", "@", "|", "%", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?[0-9,\.]+$")           # defusedcsv's own test for "a number, not a formula"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")
_TAGS = {"text": "t", "integer": "i", "real": "r", "blob": "b"}
_CLASSES = {str: "text", int: "integer", float: "real", bytes: "blob"}


class PortableError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------ cells

def escape(text: str) -> str:
    """Layer 1: a text token → the cell written (see the module doc, rule 1)."""
    if text == "" or (text[0] in _RISKY and not (text[0] != "'" and _PLAIN_NUMBER.match(text))):
        return "'" + text
    return text


def unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _token(value, encoding: str) -> str:
    kind = _CLASSES[type(value)]
    if kind == "text":
        token = value
    elif kind == "integer":
        token = str(value)
    elif kind == "real":
        token = repr(value)
    else:
        token = base64.b64encode(value).decode("ascii")
    return f"{_TAGS[kind]}:{token}" if encoding == "tagged" else token


def encode(value, encoding: str) -> str:
    """A stored value → its CSV cell under the column's encoding."""
    return "" if value is None else escape(_token(value, encoding))


def decode(cell: str, encoding: str):
    """A CSV cell → the stored value (raises ValueError on a cell the encoding cannot hold)."""
    if cell == "":
        return None
    token = unescape(cell)
    if encoding == "tagged":
        tag, sep, token = token.partition(":")
        kinds = {v: k for k, v in _TAGS.items()}
        if not sep or tag not in kinds:
            raise ValueError(f"no type tag in {cell[:20]!r}")
        encoding = kinds[tag]
    if encoding == "text":
        return token
    if encoding == "integer":
        return int(token)
    if encoding == "real":
        return float(token)
    if encoding == "blob":
        return base64.b64decode(token.encode("ascii"), validate=True)
    raise ValueError(f"unknown encoding {encoding!r}")


def _column_encoding(conn, table: str, column: str) -> str:
    kinds = {r[0] for r in conn.execute(f"SELECT DISTINCT typeof({quote(column)}) FROM {quote(table)}")} - {"null"}
    if len(kinds) > 1:
        return "tagged"
    return next(iter(kinds), "text")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ------------------------------------------------------------------ export

def export_all(db_path: str | Path, folder: str | Path) -> dict:
    """Write every data table of `db_path` into `folder` (created; must be empty) from one
    snapshot (one read transaction, so the helper may keep writing). Returns the manifest."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PortableError(f"错误：{folder} 是文件，不是文件夹 / Error: {folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise PortableError(f"错误：文件夹 {folder} 不是空的，请换一个新文件夹（不会覆盖任何文件）/ "
                            f"Error: the folder {folder} is not empty; choose a new folder (nothing is overwritten)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PortableError(f"错误：无法创建文件夹 {folder}（{err.strerror}）/ Error: cannot create the folder {folder} ({err.strerror})")
    conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    written: list[Path] = []
    try:
        conn.execute("BEGIN")   # one snapshot for every table
        tables = {}
        for table in data_tables(conn):
            if not _SAFE_NAME.match(table):
                raise PortableError(f"错误：表名 {table!r} 不能作文件名 / Error: table name {table!r} cannot be a file name")
            tables[table] = _export_table(conn, table, folder / f"{table}.csv", written)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "danhao_version": __version__,
            "exported_at": datetime.fromtimestamp(clock.now(), timezone.utc).isoformat(timespec="seconds"),
            "encoding": ENCODING_NOTE,
            "schema": {"version": len(applied_migrations(conn)), "migrations": applied_migrations(conn)},
            "tables": tables,
        }
        conn.execute("COMMIT")
        partial = folder / f".{MANIFEST}.partial"
        written.append(partial)
        partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, folder / MANIFEST)
        return manifest
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    finally:
        conn.close()


def _export_table(conn, table: str, path: Path, written: list[Path]) -> dict:
    cols = columns(conn, table)
    encodings = [_column_encoding(conn, table, name) for name, _ in cols]
    select = ", ".join(quote(name) for name, _ in cols)
    order = " ORDER BY rowid" if has_rowid(conn, table) else ""
    rows = 0
    written.append(path)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        out = csv_writer(fh, lineterminator="\r\n")
        out.writerow([escape(name) for name, _ in cols])
        for row in conn.execute(f"SELECT {select} FROM {quote(table)}{order}"):
            out.writerow([encode(v, e) for v, e in zip(row, encodings)])
            rows += 1
    return {"file": path.name, "rows": rows, "sha256": _sha256(path),
            "columns": [{"name": name, "type": declared, "encoding": enc}
                        for (name, declared), enc in zip(cols, encodings)]}


# ------------------------------------------------------------------ import

def read_manifest(folder: str | Path) -> dict:
    """The folder's manifest, checked against its files (raises PortableError)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PortableError(f"错误：找不到文件夹 {folder} / Error: no folder {folder}")
    path = folder / MANIFEST
    if not path.is_file():
        raise PortableError(f"错误：{folder} 里没有 {MANIFEST}（不是 danhao export-all 的文件夹，或导出未完成）/ "
                            f"Error: no {MANIFEST} in {folder} (not a danhao export-all folder, or the export did not finish)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        _check_manifest_shape(manifest)
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise PortableError(f"错误：{MANIFEST} 已损坏（{str(err)[:120]}），未导入任何数据 / "
                            f"Error: {MANIFEST} is damaged ({str(err)[:120]}); nothing was imported")
    for table, entry in manifest["tables"].items():
        file = folder / entry["file"]
        if not file.is_file():
            raise PortableError(f"错误：缺少文件 {entry['file']}（表 {table}），未导入任何数据 / "
                                f"Error: the file {entry['file']} (table {table}) is missing; nothing was imported")
        if _sha256(file) != entry["sha256"]:
            raise PortableError(f"错误：文件 {entry['file']} 与清单的 SHA-256 不符（被改动或损坏），未导入任何数据 / "
                                f"Error: {entry['file']} does not match its SHA-256 in the manifest (changed or damaged); "
                                "nothing was imported")
    return manifest


def _check_manifest_shape(m: dict) -> None:
    if m.get("format") != FORMAT:
        raise ValueError(f"format is not {FORMAT}")
    if m.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format_version {m.get('format_version')!r} is not {FORMAT_VERSION}")
    names = m["schema"]["migrations"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError("schema.migrations must list migration names")
    if not isinstance(m["tables"], dict):
        raise ValueError("tables must be an object")
    for table, entry in m["tables"].items():
        if not _SAFE_NAME.match(table) or entry["file"] != f"{table}.csv":
            raise ValueError(f"bad table entry {table!r}")
        if not isinstance(entry["rows"], int) or entry["rows"] < 0:
            raise ValueError(f"bad row count for {table}")
        if not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]):
            raise ValueError(f"bad sha256 for {table}")
        for col in entry["columns"]:
            if not isinstance(col["name"], str) or col["encoding"] not in ("text", "integer", "real", "blob", "tagged"):
                raise ValueError(f"bad column in {table}")


def known_migrations() -> list[str]:
    """This helper's migrations in order (read from a fresh in-memory database)."""
    db = connect(":memory:")
    try:
        migrations.apply(db)
        return applied_migrations(db.conn)
    finally:
        db.conn.close()


def _migrate_to(db, wanted: list[str]) -> None:
    """Apply this helper's first len(wanted) migrations (the export's schema)."""
    known = known_migrations()
    after = known[len(wanted)] if len(wanted) < len(known) else None
    migrations.apply(db, stop_before=after)


def import_dir(folder: str | Path, db_path: str | Path) -> dict[str, int]:
    """Import a `danhao export-all` folder into an empty or new database. Returns {table: rows}."""
    folder, db_path = Path(folder), Path(db_path)
    manifest = read_manifest(folder)
    wanted = manifest["schema"]["migrations"]
    known = known_migrations()
    # the export's migrations must be this helper's first ones (a database may have run them in
    # another order when they were added in parallel: compared as a set)
    if len(set(wanted)) != len(wanted) or set(known[:len(wanted)]) != set(wanted):
        raise PortableError("错误：导出来自更新的或不同的单号版本（迁移 " + ", ".join(n for n in wanted if n not in known)[:200]
                            + "），请先升级单号再导入 / Error: the export comes from a newer or different Danhao "
                            "(unknown migrations); upgrade Danhao before importing")
    if db_path.is_dir():
        raise PortableError(f"错误：{db_path} 是一个文件夹，--db 需要数据库文件路径 / Error: {db_path} is a folder; --db needs a database file")
    if db_path.exists() and db_path.stat().st_size > 0:
        return _into_existing(folder, manifest, db_path)
    return _into_new(folder, manifest, db_path)


def _into_new(folder: Path, manifest: dict, db_path: Path) -> dict[str, int]:
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PortableError(f"错误：无法创建文件夹 {db_path.parent}（{err.strerror}）/ "
                            f"Error: cannot create the folder {db_path.parent} ({err.strerror})")
    partial = db_path.with_name(f".{db_path.name}.importing-{os.getpid()}")
    _remove(partial)
    try:
        db = connect(partial)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            _migrate_to(db, manifest["schema"]["migrations"])
            counts = _insert_all(db.conn, folder, manifest)
            migrations.apply(db)   # the rest of this helper's migrations, on the imported data
            problems = [r[0] for r in db.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise PortableError("错误：导入后的数据库未通过完整性检查 / Error: the imported database failed the integrity check")
        finally:
            db.conn.close()
        os.replace(partial, db_path)
    except PortableError:
        _remove(partial)
        raise
    except sqlite3.Error as err:
        _remove(partial)
        raise PortableError(f"错误：导入失败（{err}），未写入任何数据 / Error: the import failed ({err}); nothing was written")
    except BaseException:
        _remove(partial)
        raise
    return counts


def _into_existing(folder: Path, manifest: dict, db_path: Path) -> dict[str, int]:
    try:
        db = connect(db_path)
        db.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError:
        raise PortableError(f"错误：{db_path} 不是 SQLite 数据库 / Error: {db_path} is not a SQLite database")
    try:
        have = applied_migrations(db.conn)
        if sorted(have) != sorted(manifest["schema"]["migrations"]):
            raise PortableError(f"错误：{db_path} 的数据库版本与导出不同，请导入到一个新文件（--db 新文件名）/ "
                                f"Error: {db_path} is on another schema than the export; import into a new file (--db NEW.db)")
        seeded = _fresh_rows(have)
        filled = {t: n for t, n in row_counts(db.conn, data_tables(db.conn)).items()
                  if n and _sorted_rows(db.conn, t) != seeded.get(t)}
        if filled:
            shown = ", ".join(f"{t} {n}" for t, n in sorted(filled.items())[:4])
            raise PortableError(f"错误：目标数据库 {db_path} 不是空的（{shown}），未导入；请导入到一个新文件（--db 新文件名）/ "
                                f"Error: the target database {db_path} is not empty ({shown}); nothing was imported; "
                                "import into a new file (--db NEW.db)")
        try:
            return _insert_all(db.conn, folder, manifest, clear=[t for t in seeded if t in manifest["tables"]])
        except sqlite3.Error as err:
            raise PortableError(f"错误：导入失败（{err}），数据库未改动 / Error: the import failed ({err}); the database is unchanged")
    finally:
        db.conn.close()


def _fresh_rows(applied: list[str]) -> dict[str, list]:
    """Rows a fresh database at this schema holds by itself (a migration may seed some)."""
    db = connect(":memory:")
    try:
        _migrate_to(db, applied)
        return {t: _sorted_rows(db.conn, t) for t in data_tables(db.conn)
                if db.execute(f"SELECT 1 FROM {quote(t)} LIMIT 1").fetchone()}
    finally:
        db.conn.close()


def _sorted_rows(conn, table: str) -> list[tuple]:
    return sorted((tuple(r) for r in conn.execute(f"SELECT * FROM {quote(table)}")), key=repr)


def _insert_all(conn, folder: Path, manifest: dict, clear: list[str] = ()) -> dict[str, int]:
    """Every table of the manifest, in one transaction: all rows or none."""
    present = set(data_tables(conn))
    for table, entry in manifest["tables"].items():
        if table not in present:
            raise PortableError(f"错误：目标数据库没有表 {table} / Error: the target database has no table {table}")
        have = {name for name, _ in columns(conn, table)}
        missing = [c["name"] for c in entry["columns"] if c["name"] not in have]
        if missing:
            raise PortableError(f"错误：目标数据库的表 {table} 没有列 {', '.join(missing)[:80]} / "
                                f"Error: table {table} of the target database has no column {', '.join(missing)[:80]}")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    counts = {}
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {quote(name)}")   # the rows come as they were: no trigger runs twice
        for table in clear:
            conn.execute(f"DELETE FROM {quote(table)}")
        for table, entry in manifest["tables"].items():
            counts[table] = _insert_table(conn, folder, table, entry)
        for _, sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return counts


def _insert_table(conn, folder: Path, table: str, entry: dict) -> int:
    names = [c["name"] for c in entry["columns"]]
    encodings = [c["encoding"] for c in entry["columns"]]
    path = folder / entry["file"]
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [unescape(c) for c in next(reader, [])]
        if header != names:
            raise PortableError(f"错误：{entry['file']} 的表头与清单不符 / Error: the header of {entry['file']} does not match the manifest")

        def rows():
            for line, cells in enumerate(reader, start=2):
                if len(cells) != len(names):
                    raise PortableError(f"错误：{entry['file']} 第 {line} 行有 {len(cells)} 列，应为 {len(names)} 列 / "
                                        f"Error: {entry['file']} line {line} has {len(cells)} cells, not {len(names)}")
                try:
                    yield [decode(c, e) for c, e in zip(cells, encodings)]
                except (ValueError, TypeError) as err:
                    raise PortableError(f"错误：{entry['file']} 第 {line} 行无法读取（{err}）/ "
                                        f"Error: {entry['file']} line {line} cannot be read ({err})")

        before = conn.total_changes
        conn.executemany(sql, rows())
        inserted = conn.total_changes - before
    if inserted != entry["rows"]:
        raise PortableError(f"错误：{entry['file']} 有 {inserted} 行，清单写的是 {entry['rows']} 行 / "
                            f"Error: {entry['file']} holds {inserted} rows, the manifest says {entry['rows']}")
    return inserted


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
