"""The platforms' bulk-shipping files (批量发货), CSV or XLSX, for when a ship form cannot be filled.

What goes in: the `ready` shipments that carry a number and were not confirmed on the platform
yet (`submitted = 0`, no `uploaded_at`): the same rule as filling, so the file never carries a
number that filling would have held back, nor one already uploaded.

How it is laid out: per seller site, by the data file helper/data/bulk_shipping_layouts.json
(columns with their header and field, sheet name, several numbers per order as several rows or
one joined cell, courier labels). No platform publishes its template, so every layout is
marked `unverified` with what it is based on: a person compares it with the template the
platform offers for download and corrects the data file (`danhao export --layouts FILE` reads
a corrected copy).

The courier cell: the shipment's resolved form option (`target.option`, what that platform's
form calls the courier) with its decorations removed (`顺丰速运(常用)` → `顺丰速运`); else the
site's label for the courier id from the layout's `courier_labels` (taken from the platform
lists in tests/data/platform_options_*.json where the project has one: 淘宝, 抖店); else the
courier's Chinese name in helper/couriers/couriers.json; else the courier text the supplier
showed.

Cells: order ids and numbers are text. XLSX: every cell is a string cell with the Text number
format (`@`), formula-looking ones also carry Excel's quote prefix, so a 19-digit order id never
becomes 4.12345678901235E+18 and `=1+1` is never run; the values read back exactly. CSV: UTF-8
with a BOM, through helper/csvsafe.py (a tab before a plain id, a `'` before anything a
spreadsheet would run).

Public: `LAYOUTS_FILE`, `FORMATS`, `Layout`, `LayoutError`, `load_layouts(path=None)`,
`layout(site)`, `TEMPLATES` ({site: headers}, kept for older callers), `bulk_shipping_rows(db,
site, layout=None)`, `file_lines(rows, layout)`, `bulk_shipping_csv(rows, site, layout=None)`,
`bulk_shipping_xlsx(rows, site, layout=None)`, `render(rows, site, fmt, layout=None)`,
`filename(site, fmt)`, `MIMETYPES`.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import couriers
from .csvsafe import as_text, as_text_joined, writer as csv_writer

LAYOUTS_FILE = Path(__file__).parent / "data" / "bulk_shipping_layouts.json"
FORMATS = ("csv", "xlsx")
FIELDS = ("order_id", "courier", "number")
MIMETYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")


class LayoutError(ValueError):
    """The layouts file is missing, not JSON, or a layout is malformed ("中文 / English")."""


@dataclass(frozen=True)
class Layout:
    """One site's bulk-shipping file: `columns` [(header, field)], `sheet` (XLSX sheet name),
    `mode` "rows" | "join" (+ `separator`), `labels` {courier id: label}, and the provenance
    (`unverified`, `based_on`, `labels_source`)."""

    site: str
    platform: str
    sheet: str
    columns: tuple[tuple[str, str], ...]
    mode: str
    separator: str | None
    unverified: bool
    based_on: str
    labels_source: str
    labels: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def headers(self) -> list[str]:
        return [h for h, _ in self.columns]


def _layout(site: str, entry: dict) -> Layout:
    where = f"bulk_shipping_layouts.json: {site}"
    columns = tuple((c["header"], c["field"]) for c in entry["columns"])
    fields = [f for _, f in columns]
    if sorted(fields) != sorted(FIELDS) or any(not isinstance(h, str) or not h.strip() for h, _ in columns):
        raise LayoutError(f"{where}: 列必须各有表头，且 order_id、courier、number 各出现一次 / "
                          f"columns need a header each and order_id, courier, number once each (got {fields})")
    sheet = entry["sheet"]
    if not isinstance(sheet, str) or not 0 < len(sheet) <= 31 or _SHEET_FORBIDDEN.search(sheet):
        raise LayoutError(f"{where}: 工作表名须为 1–31 个字符且不含 []:*?/\\ / sheet name must be 1-31 characters without []:*?/\\")
    several = entry["several_numbers"]
    mode, separator = several["mode"], several.get("separator")
    if mode not in ("rows", "join") or (mode == "join" and not (isinstance(separator, str) and separator)):
        raise LayoutError(f"{where}: several_numbers.mode 须为 rows 或 join（join 需要 separator）/ "
                          "several_numbers.mode must be rows, or join with a separator")
    labels = entry["courier_labels"]
    if (not isinstance(entry.get("unverified"), bool) or not isinstance(labels["labels"], dict)
            or not all(isinstance(v, str) and v.strip() for v in labels["labels"].values())):
        raise LayoutError(f"{where}: 需要 unverified（true/false）和 courier_labels.labels（快递公司 id → 名称）/ "
                          "needs unverified and courier_labels.labels (courier id → name)")
    return Layout(site=site, platform=entry["platform"], sheet=sheet, columns=columns, mode=mode,
                  separator=separator if mode == "join" else None, unverified=entry["unverified"],
                  based_on=entry.get("based_on", ""), labels_source=labels.get("source", ""),
                  labels=dict(labels["labels"]))


def load_layouts(path: str | Path | None = None) -> dict[str, Layout]:
    """{site: Layout} from the layouts file (the packaged one by default); raises LayoutError."""
    if path is None:
        return dict(_packaged())
    return _read(Path(path))


def _packaged() -> dict[str, Layout]:
    """The packaged layouts, read again when the file changes (a correction needs no restart)."""
    try:
        stamp = LAYOUTS_FILE.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _read_cached(LAYOUTS_FILE, stamp)


@lru_cache(maxsize=2)
def _read_cached(path: Path, _stamp) -> dict[str, Layout]:
    return _read(path)


def _read(path: Path) -> dict[str, Layout]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise LayoutError(f"无法读取版式文件 {path}（{err.strerror}） / cannot read the layouts file {path} ({err.strerror})")
    except ValueError as err:
        raise LayoutError(f"版式文件 {path} 不是有效的 JSON（{err}） / the layouts file {path} is not valid JSON ({err})")
    try:
        return {site: _layout(site, entry) for site, entry in doc["sites"].items()}
    except (KeyError, TypeError, AttributeError) as err:
        raise LayoutError(f"版式文件 {path} 缺少字段 {err} / the layouts file {path} lacks the field {err}")


def layout(site: str) -> Layout | None:
    """The packaged layout of a seller site, or None."""
    return _packaged().get(site)


def __getattr__(name: str):
    """`TEMPLATES` ({site: headers}), read when asked; {} while the data file has a mistake, so
    the helper and its other pages keep working (the 批量发货 page says what is wrong)."""
    if name == "TEMPLATES":
        try:
            return {site: lay.headers for site, lay in _packaged().items()}
        except LayoutError as err:
            logging.getLogger(__name__).warning("bulk-shipping layouts unusable: %s", err)
            return {}
    raise AttributeError(name)


# ------------------------------------------------------------------ which shipments

def _courier_label(shipment: dict, lay: Layout) -> str:
    option = (shipment.get("target") or {}).get("option")
    if option:
        return couriers.strip_decorations(option) or option
    courier = shipment.get("courier") or {}
    cid = courier.get("id")
    if cid and cid in lay.labels:
        return lay.labels[cid]
    if cid and couriers.exists(cid):
        return couriers.get(cid).name_zh
    return courier.get("name") or ""


def bulk_shipping_rows(db, site: str, layout: Layout | None = None) -> list[dict]:
    """The shipments that go in the file, by order id then number:
    [{"order_id", "courier", "number", "shipment_id"}] (strings)."""
    lay = layout or _packaged()[site]
    rows = []
    for r in db.execute(
        "SELECT data FROM shipments WHERE site = ? AND status = 'ready' AND submitted = 0 AND uploaded_at IS NULL "
        "AND number IS NOT NULL AND number != '' ORDER BY order_id, number, shipment_id", [site]):
        shipment = json.loads(r[0])
        rows.append({"order_id": shipment["order_id"], "courier": _courier_label(shipment, lay),
                     "number": shipment["number"], "shipment_id": shipment["shipment_id"]})
    return rows


def file_lines(rows: list[dict], lay: Layout) -> list[dict]:
    """The file's lines as {field: [values]}: one per shipment (mode rows), or one per order and
    courier with every number (mode join). `number` holds the numbers of the line."""
    if lay.mode == "rows":
        return [{"order_id": r["order_id"], "courier": r["courier"], "number": [r["number"]]} for r in rows]
    lines: dict[tuple[str, str], dict] = {}
    for r in rows:
        line = lines.setdefault((r["order_id"], r["courier"]), {"order_id": r["order_id"], "courier": r["courier"], "number": []})
        line["number"].append(r["number"])
    return list(lines.values())


# ------------------------------------------------------------------ the files

def bulk_shipping_csv(rows: list[dict], site: str, layout: Layout | None = None) -> str:
    lay = layout or _packaged()[site]
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel and the platforms' importers read UTF-8 only with a BOM
    writer = csv_writer(buffer, lineterminator="\r\n")   # cells never start a formula (helper/csvsafe.py)
    writer.writerow(lay.headers)
    for line in file_lines(rows, lay):
        cells = {"order_id": as_text(line["order_id"]), "courier": line["courier"],
                 # a tab before plain ids keeps Excel from turning long digit strings into 1.23E+14
                 "number": as_text_joined(line["number"], lay.separator or "")}
        writer.writerow([cells[f] for _, f in lay.columns])
    return buffer.getvalue()


def bulk_shipping_xlsx(rows: list[dict], site: str, layout: Layout | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    lay = layout or _packaged()[site]
    book = Workbook()
    sheet = book.active
    sheet.title = lay.sheet
    lines = [[line[f] if f != "number" else (lay.separator or "").join(line[f]) for _, f in lay.columns]
             for line in file_lines(rows, lay)]
    for r, values in enumerate([lay.headers] + lines, start=1):
        for c, value in enumerate(values, start=1):
            if ILLEGAL_CHARACTERS_RE.search(value):
                raise ValueError(f"第 {r} 行含 Excel 不能保存的控制字符 / row {r} holds a control character Excel cannot store")
            cell = sheet.cell(row=r, column=c, value=value)
            cell.data_type = "s"          # a string cell, even for "=1+1" (openpyxl would make it a formula)
            cell.number_format = "@"      # Text: Excel keeps long digit ids as typed
            if value.startswith(_FORMULA_START):
                cell.quotePrefix = True   # Excel's own "this is text" mark, not part of the value
    for c, (header, _) in enumerate(lay.columns, start=1):
        width = max([len(header) * 2] + [len(str(line[c - 1])) for line in lines]) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = min(width, 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(rows: list[dict], site: str, fmt: str, layout: Layout | None = None) -> bytes:
    """The file's bytes in `fmt` ("csv" UTF-8 with BOM, or "xlsx")."""
    if fmt == "csv":
        return bulk_shipping_csv(rows, site, layout).encode("utf-8")
    if fmt == "xlsx":
        return bulk_shipping_xlsx(rows, site, layout)
    raise ValueError(f"unknown format {fmt!r}")


def filename(site: str, fmt: str) -> str:
    return f"danhao-{site}-bulk-shipping.{fmt}"
