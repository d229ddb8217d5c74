"""Fill results reported by the extension: what was filled, failed or skipped, and by whom.

The body's shape is checked by `helper.payloads.requests.FillResults`; `record` checks what
only the database knows (the shipment exists and belongs to the order) before writing.
"""

from __future__ import annotations

from . import events, order_status
from .errors import bad_request
from .store import now_iso


def record(db, site: str, results: list[dict], operator=None) -> dict:
    # Unknown shipment ids are refused before anything is written.
    for i, r in enumerate(results):
        if r.get("shipment_id"):
            row = db.execute("SELECT site, order_id FROM shipments WHERE shipment_id = ?", [r["shipment_id"]]).fetchone()
            if row is None:
                raise bad_request("unknown_shipment", f"results[{i}].shipment_id 不存在 / unknown shipment",
                                  field=f"results[{i}].shipment_id")
            if (row[0], row[1]) != (site, r["order_id"]):
                raise bad_request("shipment_mismatch", f"results[{i}] 的订单与运单不符 / order does not own this shipment",
                                  field=f"results[{i}].order_id")
    now = now_iso()
    for r in results:
        submitted = bool(r.get("submitted", False))
        db.execute(
            "INSERT INTO fill_results (shipment_id, site, order_id, result, submitted, reason, operator, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [r.get("shipment_id"), site, r["order_id"], r["result"], int(submitted), r.get("reason") or "", operator, now],
        )
        if r.get("shipment_id"):
            # The upload time starts the platforms' trace clocks (24 h to a first update); a
            # NULL next_check_at puts the shipment first in the refresher's queue.
            db.execute(
                "UPDATE shipments SET fill_result = ?, submitted = MAX(submitted, ?), updated_at = ?, "
                "uploaded_at = CASE WHEN ? AND uploaded_at IS NULL THEN ? ELSE uploaded_at END, "
                "next_check_at = CASE WHEN ? THEN NULL ELSE next_check_at END WHERE shipment_id = ?",
                [r["result"], int(submitted), now, int(submitted), now, int(submitted), r["shipment_id"]],
            )
        events.record(db, f"fill.{r['result']}", site=site, order_id=r["order_id"], operator=operator, at=now,
                      data={"shipment_id": r.get("shipment_id"), "submitted": submitted,
                            "submitted_by": r.get("submitted_by"), "reason": r.get("reason") or "",
                            "number": r.get("number"), "option": r.get("option")})
    order_status.refresh_sales(db, [(site, r["order_id"]) for r in results])
    return {"recorded": len(results)}
