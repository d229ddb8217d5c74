"""Bulk-shipping test plumbing shared by tests/unit/test_bulk_files.py and
tests/browser/test_export_pages.py: a seed for every seller site sent through the helper's API,
the shipments each file must carry (written down here, not asked of helper/exports.py), and
readers that open a file the way a spreadsheet or importer would (csv / openpyxl), knowing only
the layouts data file.

Per site the seed makes five orders:
- A: three packages (中通, and two of 圆通) → three ready shipments;
- B: one package → one ready shipment;
- C: one package, filled and confirmed on the platform (submitted) → never in the file;
- D: the purchase ships to another person → review → never in the file;
- E: the supplier's "number" is 12345 → blocked → never in the file.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.api.samples import person, purchase_order, sales_order

REPO = Path(__file__).resolve().parents[2]
LAYOUTS = REPO / "helper" / "data" / "bulk_shipping_layouts.json"
DATA = REPO / "tests" / "data"

# order ids as each platform writes them: long digit strings (19 digits lose precision as
# numbers), letters, and one that a spreadsheet would read as a formula (-A1 = minus cell A1).
ORDER_IDS = {
    "pdd-seller": ["261124-000000000000101", "261124-000000000000102", "261124-000000000000103",
                   "261124-000000000000104", "261124-000000000000105"],
    "taobao-seller": ["4123456789012345601", "4123456789012345602", "4123456789012345603",
                      "4123456789012345604", "4123456789012345605"],
    "douyin-seller": ["6923456789012345601", "6923456789012345602", "6923456789012345603",
                      "6923456789012345604", "6923456789012345605"],
    "kuaishou-seller": ["2412345678901201", "2412345678901202", "2412345678901203", "2412345678901204",
                        "2412345678901205"],
    "jd-seller": ["301234567801", "301234567802", "301234567803", "301234567804", "301234567805"],
    "xhs-seller": ["P765432109876543201", "P765432109876543202", "P765432109876543203", "P765432109876543204",
                   "P765432109876543205"],
    "wechat-seller": ["-A1", "3712345678901234502", "3712345678901234503", "3712345678901234504",
                      "3712345678901234505"],
}
# the form's courier list sent with convert (None: no list, the layout's labels apply)
OPTIONS = {
    "taobao-seller": ["中通快递(常用)", "圆通速递", "韵达快递", "顺丰速运"],
    "xhs-seller": ["中通快递", "圆通快递", "韵达快递", "极兔速递"],
}
# how each file must spell the couriers: the picked form option without its decoration; else
# the platform's list (抖店: tests/data/platform_options_douyin.json spells 圆通 as 圆通快递);
# else the courier's Chinese name
EXPECTED_LABELS = {
    "pdd-seller": {"zto": "中通快递", "yto": "圆通速递", "yunda": "韵达快递"},
    "taobao-seller": {"zto": "中通快递", "yto": "圆通速递", "yunda": "韵达快递"},
    "douyin-seller": {"zto": "中通快递", "yto": "圆通快递", "yunda": "韵达快递"},
    "kuaishou-seller": {"zto": "中通快递", "yto": "圆通速递", "yunda": "韵达快递"},
    "jd-seller": {"zto": "中通快递", "yto": "圆通速递", "yunda": "韵达快递"},
    "xhs-seller": {"zto": "中通快递", "yto": "圆通快递", "yunda": "韵达快递"},
    "wechat-seller": {"zto": "中通快递", "yto": "圆通速递", "yunda": "韵达快递"},
}
SITES = list(ORDER_IDS)
OTHER_BUYER = person("李四", "139****1234", "广东省", "深圳市", "南山区", "科技园1栋")


def numbers(i: int) -> dict[str, str]:
    """Site i's numbers, unique across sites."""
    return {"A_zto": f"7301234567{i:02d}01", "A_yto": f"YT75123488{i:03d}11", "A_yto2": f"YT75123488{i:03d}12", "B_yunda": f"43123456{i:03d}21",
            "C_yto": f"YT75123488{i:03d}31", "D_zto": f"7301234567{i:02d}41", "E_bad": "12345"}


def seed(post) -> dict:
    """Send the seed through `post(path, body) -> dict` (the helper's API). Returns
    {"expected": {site: sorted [(order_id, courier, number)]}, "excluded": {site: [numbers]}}."""
    expected, excluded = {}, {}
    for i, site in enumerate(SITES):
        a, b, c, d, e = ORDER_IDS[site]
        n = numbers(i)
        post("/api/v1/sales-orders", {"site": site, "orders": [
            sales_order(a, remark="=1+1"), sales_order(b), sales_order(c), sales_order(d, buyer=OTHER_BUYER), sales_order(e)]})
        purchases = [
            (a, [{"courier_text": "中通快递", "tracking": n["A_zto"]}, {"courier_text": "圆通速递", "tracking": n["A_yto"]},
                 {"courier_text": "圆通速递", "tracking": n["A_yto2"]}]),
            (b, [{"courier_text": "韵达快递", "tracking": n["B_yunda"]}]),
            (c, [{"courier_text": "圆通速递", "tracking": n["C_yto"]}]),
            (d, [{"courier_text": "中通快递", "tracking": n["D_zto"]}]),
            (e, [{"courier_text": "中通快递", "tracking": n["E_bad"]}]),
        ]
        for k, (order_id, packages) in enumerate(purchases):
            purchase_id = f"39{i:02d}0000000000000{k}"
            post("/api/v1/purchase-orders", {"site": "alibaba-buyer", "orders": [
                purchase_order(purchase_id, remark="", packages=packages)]})
            post("/api/v1/links", {"sales_site": site, "sales_order_id": order_id,
                                   "purchase_site": "alibaba-buyer", "purchase_order_id": purchase_id})
        body = {"site": site, "order_ids": [a, b, c, d, e]}
        if site in OPTIONS:
            body["options"] = OPTIONS[site]
        shipments = post("/api/v1/convert", body)["shipments"]
        got = sorted((s["order_id"], s["number"] or "", s["status"]) for s in shipments)
        assert got == sorted([(a, n["A_zto"], "ready"), (a, n["A_yto"], "ready"), (a, n["A_yto2"], "ready"), (b, n["B_yunda"], "ready"),
                              (c, n["C_yto"], "ready"), (d, n["D_zto"], "review"), (e, "", "blocked")]), (site, got)
        confirmed = next(s for s in shipments if s["number"] == n["C_yto"])
        post("/api/v1/fill-results", {"site": site, "results": [{
            "shipment_id": confirmed["shipment_id"], "order_id": c, "result": "filled", "submitted": True}]})
        labels = EXPECTED_LABELS[site]
        expected[site] = sorted([(a, labels["zto"], n["A_zto"]), (a, labels["yto"], n["A_yto"]), (a, labels["yto"], n["A_yto2"]),
                                 (b, labels["yunda"], n["B_yunda"])])
        excluded[site] = [n["C_yto"], n["D_zto"]]
    return {"expected": expected, "excluded": excluded}


def layouts_doc(path: Path = LAYOUTS) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))["sites"]


def _undo_csv_protection(cell: str) -> str:
    """What a spreadsheet shows of a protected cell: the tab before a plain id dropped, and the
    `'` defusedcsv puts before formula-looking text (its `|` → `\\|` undone)."""
    if cell.startswith("\t"):
        return cell[1:]
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "|", "%", "\t", "\r"):
        return cell[1:].replace("\\|", "|")
    return cell


def _shipments(lines: list[list[str]], entry: dict) -> list[tuple[str, str, str]]:
    headers = [c["header"] for c in entry["columns"]]
    assert lines[0] == headers, (lines[0], headers)
    field_of = {c["header"]: c["field"] for c in entry["columns"]}
    out = []
    for line in lines[1:]:
        row = {field_of[h]: v for h, v in zip(lines[0], line)}
        several = entry["several_numbers"]
        numbers_ = row["number"].split(several["separator"]) if several["mode"] == "join" else [row["number"]]
        out += [(row["order_id"], row["courier"], number) for number in numbers_]
    return sorted(out)


def read_csv(data: bytes, entry: dict) -> list[tuple[str, str, str]]:
    """(order_id, courier, number) of every line of a bulk-shipping CSV."""
    text = data.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel reads UTF-8 CSV only with a BOM"
    lines = list(csv.reader(io.StringIO(text[1:], newline="")))
    return _shipments([[_undo_csv_protection(c) for c in line] for line in lines], entry)


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"), newline="")))


def read_xlsx(data: bytes, entry: dict) -> list[tuple[str, str, str]]:
    """(order_id, courier, number) of every line of a bulk-shipping XLSX; every cell must be a
    text cell (never a number, never a formula)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [entry["sheet"]], book.sheetnames
    lines = []
    for row in book[entry["sheet"]].iter_rows():
        for cell in row:
            assert cell.data_type == "s" and isinstance(cell.value, str), (cell.coordinate, cell.data_type, cell.value)
            assert cell.number_format == "@", (cell.coordinate, cell.number_format)
        lines.append([cell.value for cell in row])
    return _shipments(lines, entry)
