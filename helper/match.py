"""Link each purchase order to the sales order it fulfils.

In order of trust: an explicit link made by the user; a sales order id found in the
purchase remark; then buyer name + phone tail + region, scored. A score that does not
clearly single out one sales order is left for the user ('ambiguous'), never guessed.
"""

from __future__ import annotations

import json
import re

from . import events, order_status

ACCEPT_SCORE = 0.8
MARGIN = 0.15
# Sales order ids as the platforms print them: PDD 261124-123456789012345; Taobao/抖店/快手/JD long digit runs.
_REMARK_IDS = re.compile(r"\d{6}-\d{15}|(?<![0-9A-Za-z])P\d{12,20}(?!\d)|(?<!\d)\d{12,20}(?!\d)")  # P…: 小红书 package ids
_REGION_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市", "区", "县", "盟")


def norm_region(value) -> str:
    if not isinstance(value, str):
        return ""
    value = value.strip()
    for suffix in _REGION_SUFFIXES:
        if value.endswith(suffix) and len(value) > len(suffix) + 1:
            return value[: -len(suffix)]
    return value


def name_score(a, b) -> float:
    """Exact name 0.35; a masked name (张**) that fits the visible part 0.2."""
    if not a or not b:
        return 0.0
    if a == b and "*" not in a:
        return 0.35
    if len(a) == len(b) and all(x == y or "*" in (x, y) for x, y in zip(a, b)):
        return 0.2
    return 0.0


def score(po_row, so_row) -> float:
    total = name_score(po_row["ship_name"], so_row["buyer_name"])
    if po_row["phone_tail"] and po_row["phone_tail"] == so_row["phone_tail"]:
        total += 0.35
    for key in ("province", "city", "district"):
        a, b = norm_region(po_row[key]), norm_region(so_row[key])
        if a and a == b:
            total += 0.1
    return round(total, 3)


def _set_match(db, po_row, sales_site, sales_order_id, method, score_value, operator, extra=None):
    db.execute(
        "UPDATE purchase_orders SET sales_site = ?, sales_order_id = ?, match_method = ?, match_score = ? WHERE id = ?",
        [sales_site, sales_order_id, method, score_value, po_row["id"]],
    )
    if (po_row["match_method"], po_row["sales_order_id"]) != (method, sales_order_id):
        kind = "purchase_order.matched" if method != "ambiguous" else "purchase_order.match_ambiguous"
        events.record(db, kind, site=po_row["site"], order_id=po_row["order_id"], operator=operator,
                      data={"sales_site": sales_site, "sales_order_id": sales_order_id, "method": method,
                            "score": score_value, **(extra or {})})
    # The sales order it now fulfils and the one it left both stand elsewhere.
    order_status.refresh_sales(db, [(sales_site, sales_order_id), (po_row["sales_site"], po_row["sales_order_id"])])


def match_one(db, po_row, operator=None) -> dict | None:
    """Match one purchase_orders row; returns {'site','order_id','method','score'} or None."""
    link = db.execute(
        "SELECT sales_site, sales_order_id FROM links WHERE purchase_site = ? AND purchase_order_id = ?",
        [po_row["site"], po_row["order_id"]],
    ).fetchone()
    if link:
        _set_match(db, po_row, link[0], link[1], "explicit", 1.0, operator)
        return {"site": link[0], "order_id": link[1], "method": "explicit", "score": 1.0}

    for candidate in _REMARK_IDS.findall(po_row["remark"] or ""):
        rows = db.execute("SELECT site, order_id FROM sales_orders WHERE order_id = ?", [candidate]).fetchall()
        if len(rows) == 1:
            _set_match(db, po_row, rows[0][0], rows[0][1], "remark", 1.0, operator)
            return {"site": rows[0][0], "order_id": rows[0][1], "method": "remark", "score": 1.0}

    if not (po_row["phone_tail"] or po_row["ship_name"]):
        return None
    candidates = db.execute(
        "SELECT site, order_id, buyer_name, phone_tail, province, city, district FROM sales_orders "
        "WHERE phone_tail = ? UNION SELECT site, order_id, buyer_name, phone_tail, province, city, district "
        "FROM sales_orders WHERE buyer_name = ? LIMIT 200",
        [po_row["phone_tail"] or "", po_row["ship_name"] or ""],
    ).fetchall()
    scored = sorted(((score(po_row, c), c) for c in candidates), key=lambda t: -t[0])
    if not scored or scored[0][0] < 0.5:
        return None
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= ACCEPT_SCORE and best_score - runner_up >= MARGIN:
        _set_match(db, po_row, best["site"], best["order_id"], "buyer", best_score, operator)
        return {"site": best["site"], "order_id": best["order_id"], "method": "buyer", "score": best_score}
    if po_row["match_method"] not in ("ambiguous",):
        _set_match(db, po_row, None, None, "ambiguous", best_score, operator,
                   extra={"candidates": [{"site": c["site"], "order_id": c["order_id"], "score": s} for s, c in scored[:5]]})
    return None


def match_purchase_orders(db, site: str, order_ids: list[str], operator=None) -> dict:
    counts = {"matched": 0, "ambiguous": 0, "unmatched": 0}
    for oid in order_ids:
        row = db.execute("SELECT * FROM purchase_orders WHERE site = ? AND order_id = ?", [site, oid]).fetchone()
        if row is None:
            continue
        result = match_one(db, row, operator)
        if result:
            counts["matched"] += 1
        else:
            fresh = db.execute("SELECT match_method FROM purchase_orders WHERE id = ?", [row["id"]]).fetchone()
            counts["ambiguous" if fresh[0] == "ambiguous" else "unmatched"] += 1
    return counts


def rematch_for_sales_orders(db, orders: list[dict], operator=None) -> int:
    """New sales orders may be what waiting purchase orders were looking for.

    Only purchase orders still waiting (unmatched or ambiguous) are looked at, and only
    those that share a phone tail, a name or carry one of the new order ids in the remark.
    """
    from .orders import phone_tail

    buyers = [o.get("buyer") for o in orders if isinstance(o.get("buyer"), dict)]
    keys = sorted(({phone_tail(b.get("phone")) for b in buyers} | {b.get("name") for b in buyers}) - {None, ""})
    ids = [o["order_id"] for o in orders]
    waiting = "(match_method IS NULL OR match_method = 'ambiguous')"
    rows = {}
    for start in range(0, len(keys), 400):
        chunk = keys[start:start + 400]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT * FROM purchase_orders WHERE {waiting} AND (phone_tail IN ({marks}) OR ship_name IN ({marks}))",
            chunk + chunk,
        ):
            rows[row["id"]] = row
    for row in db.execute(f"SELECT * FROM purchase_orders WHERE {waiting} AND remark != ''"):
        if any(i in row["remark"] for i in ids):
            rows[row["id"]] = row
    return sum(1 for row in rows.values() if match_one(db, row, operator))


def purchase_orders_for(db, site: str, order_id: str) -> list[dict]:
    rows = db.execute(
        "SELECT site, order_id, data, match_method, match_score FROM purchase_orders "
        "WHERE sales_site = ? AND sales_order_id = ? AND match_method != 'ambiguous' ORDER BY id",
        [site, order_id],
    ).fetchall()
    return [purchase_order_from_row(r) for r in rows]


def purchase_order_from_row(r) -> dict:
    po = json.loads(r["data"])
    po["site"] = r["site"]
    po["match"] = {"method": r["match_method"], "score": r["match_score"]}
    return po
