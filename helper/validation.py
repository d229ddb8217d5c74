"""The checks every write route goes through, on top of `helper.jsonbody` and the payload models.

- `require_site(site, allowed)` → the site, or 400 `unknown_site` listing the allowed ids.
- `orders_batch(body, allowed)` → `(site, orders, rejected)`. The envelope
  (`{"site", "page_url"?, "orders": [...]}`) is checked whole: a bad envelope is a 400 and
  nothing is written. Each order is then checked by itself (`helper.jsonbody.check`, then
  `helper.payloads.orders.Order`):
  a bad one lands in `rejected` as `{"order_id", "field", "message", "index"}` and the others
  go on, normalised to the MODEL.md shape. An order id repeated in one batch is rejected the
  second time.
"""

from __future__ import annotations

from .errors import ApiError, bad_request
from .jsonbody import check as check_json
from .payloads import dump, parse, problem
from .payloads.orders import Order
from .payloads.requests import MAX_ORDERS_PER_BATCH, Batch

SELLER_SITES = {
    "pdd-seller", "taobao-seller", "douyin-seller", "kuaishou-seller",
    "jd-seller", "xhs-seller", "wechat-seller",
}
SUPPLIER_SITES = {"alibaba-buyer", "pdd-buyer", "taobao-buyer", "aliexpress-buyer"}

__all__ = ["SELLER_SITES", "SUPPLIER_SITES", "MAX_ORDERS_PER_BATCH", "require_site", "orders_batch"]


def require_site(site: str, allowed: set[str], field: str = "site") -> str:
    if site not in allowed:
        raise bad_request(
            "unknown_site", f"不支持的站点 {site[:40]} / Unknown site id '{site[:40]}'",
            field=field, allowed=sorted(allowed),
        )
    return site


def _shown_id(order) -> str | None:
    """The order id as the caller sent it, for the rejection notice (None when unusable)."""
    value = order.get("order_id") if isinstance(order, dict) else None
    if not isinstance(value, str):
        return None
    return value.strip()[:64].encode("utf-8", "replace").decode("utf-8")   # a lone surrogate becomes "?"


def orders_batch(body, allowed_sites: set[str]) -> tuple[str, list[dict], list[dict]]:
    envelope = parse(Batch, body)
    site = require_site(envelope.site, allowed_sites)
    if len(envelope.orders) > MAX_ORDERS_PER_BATCH:
        raise bad_request("too_many_orders", f"一次最多 {MAX_ORDERS_PER_BATCH} 个订单 / At most "
                          f"{MAX_ORDERS_PER_BATCH} orders a batch", field="orders", limit=MAX_ORDERS_PER_BATCH)
    seen: dict[str, int] = {}
    clean, rejected = [], []
    for i, raw in enumerate(envelope.orders):
        where = f"orders[{i}]"
        try:
            check_json(raw, where)    # depth, Unicode, number range: the body left these to us
        except ApiError as err:
            order, trouble = None, (err.details["field"], err.message)
        else:
            order, trouble = problem(Order, raw, where)
        if order is not None and order.order_id in seen:
            first = seen[order.order_id]
            trouble = (f"{where}.order_id", f"{where} 与 orders[{first}] 重复 / repeats orders[{first}]")
        if trouble:
            field, message = trouble
            rejected.append({"order_id": _shown_id(raw), "field": field, "message": message, "index": i})
            continue
        seen[order.order_id] = i
        clean.append(dump(order))
    return site, clean, rejected
