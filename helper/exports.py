"""The platforms' bulk-shipping files (批量发货), for when a ship form cannot be filled.

Only `ready` shipments that were not confirmed yet go into the file: the same rules as
filling, so the file never carries a number that filling would have held back.

The column layouts are informed guesses from sellers' descriptions of each platform's
template (no public specification was found): compare with the template the platform lets
you download before uploading, and tell us if a column differs.
"""

from __future__ import annotations

import io
import json

from .csvsafe import as_text, writer as csv_writer

TEMPLATES = {
    "pdd-seller": ["订单号", "物流公司", "运单号"],
    "taobao-seller": ["订单编号", "物流公司", "运单号"],
    "douyin-seller": ["订单编号", "快递公司", "快递单号"],
    "kuaishou-seller": ["订单编号", "快递公司", "快递单号"],
    "jd-seller": ["订单号", "物流公司", "运单号"],
    "xhs-seller": ["订单号", "快递公司", "快递单号"],
    "wechat-seller": ["订单号", "快递公司", "快递单号"],
}


def bulk_shipping_rows(db, site: str) -> list[dict]:
    rows = []
    for r in db.execute(
        "SELECT data FROM shipments WHERE site = ? AND status = 'ready' AND submitted = 0 AND number IS NOT NULL "
        "ORDER BY order_id, shipment_id", [site]):
        shipment = json.loads(r[0])
        target = shipment.get("target") or {}
        courier = shipment.get("courier") or {}
        rows.append({"order_id": shipment["order_id"], "courier": target.get("option") or courier.get("name") or "",
                     "number": shipment["number"], "shipment_id": shipment["shipment_id"]})
    return rows


def bulk_shipping_csv(rows: list[dict], site: str) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel and the platforms' importers read UTF-8 only with a BOM
    writer = csv_writer(buffer, lineterminator="\r\n")   # cells never start a formula (helper/csvsafe.py)
    writer.writerow(TEMPLATES[site])
    seen_orders = set()
    for row in rows:
        if row["order_id"] in seen_orders:
            continue  # one number per order line: extra packages are added on the platform by hand
        seen_orders.add(row["order_id"])
        # A leading tab keeps Excel from turning long digit strings into 1.23E+14.
        writer.writerow([as_text(row["order_id"]), row["courier"], as_text(row["number"])])
    return buffer.getvalue()
