"""Strict checks of what adapters send: required fields and the types of known fields.

Unknown fields are kept, not rejected (a newer extension still talks to an older helper);
a known field of the wrong type is a 400 that names the field, and nothing is written.
"""

from __future__ import annotations

import re

from .errors import bad_request

SELLER_SITES = {
    "pdd-seller", "taobao-seller", "douyin-seller", "kuaishou-seller",
    "jd-seller", "xhs-seller", "wechat-seller",
}
SUPPLIER_SITES = {"alibaba-buyer", "pdd-buyer", "taobao-buyer", "aliexpress-buyer"}
MAX_ORDERS_PER_BATCH = 1000
_ID_RE = re.compile(r"^[\w\-.:/#]{1,64}$")
_MONEY_RE = re.compile(r"^-?\d+(\.\d{1,4})?$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")

_STRING_FIELDS = ("shop", "status", "remark", "url", "supplier", "amount")
_TIME_FIELDS = ("created_at", "ship_by", "paid_at", "shipped_at")


def require_object(body, what: str = "body") -> dict:
    if not isinstance(body, dict):
        raise bad_request("invalid_body", f"请求体必须是 JSON 对象 / {what} must be a JSON object", field=what)
    return body


def require_site(body: dict, allowed: set[str]) -> str:
    site = body.get("site")
    if not isinstance(site, str) or not site:
        raise bad_request("missing_field", "缺少 site / Field 'site' is required", field="site")
    if site not in allowed:
        raise bad_request(
            "unknown_site", f"不支持的站点 {site} / Unknown site id '{site}'",
            field="site", allowed=sorted(allowed),
        )
    return site


def order_id(value, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        raise bad_request(
            "invalid_field",
            f"{field} 必须是字符串（长数字会丢精度）/ {field} must be a string (long numbers lose precision)",
            field=field,
        )
    value = value.strip()
    if not _ID_RE.match(value):
        raise bad_request("invalid_field", f"{field} 格式不对 / {field} is not a valid id", field=field)
    return value


def _person(value, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise bad_request("invalid_field", f"{field} 必须是对象 / {field} must be an object", field=field)
    for key in ("name", "phone"):
        if key in value and value[key] is not None and not isinstance(value[key], str):
            raise bad_request("invalid_field", f"{field}.{key} 必须是字符串 / must be a string", field=f"{field}.{key}")
    address = value.get("address")
    if address is not None and not isinstance(address, (dict, str)):
        raise bad_request("invalid_field", f"{field}.address 必须是对象 / must be an object", field=f"{field}.address")


def _items(value, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise bad_request("invalid_field", f"{field} 必须是数组 / {field} must be an array", field=field)
    for i, item in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise bad_request("invalid_field", f"{where} 必须是对象 / must be an object", field=where)
        qty = item.get("quantity")
        if qty is not None and (isinstance(qty, bool) or not isinstance(qty, int) or qty < 0):
            raise bad_request("invalid_field", f"{where}.quantity 必须是非负整数 / must be a whole number", field=f"{where}.quantity")
        price = item.get("price")
        if price is not None and not (isinstance(price, str) and _MONEY_RE.match(price)):
            raise bad_request("invalid_field", f"{where}.price 必须是金额字符串 / must be a decimal string", field=f"{where}.price")


def _packages(value, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise bad_request("invalid_field", f"{field} 必须是数组 / {field} must be an array", field=field)
    for i, pkg in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(pkg, dict):
            raise bad_request("invalid_field", f"{where} 必须是对象 / must be an object", field=where)
        for key in ("courier_text", "tracking"):
            if pkg.get(key) is not None and not isinstance(pkg[key], str):
                raise bad_request("invalid_field", f"{where}.{key} 必须是字符串 / must be a string", field=f"{where}.{key}")


def orders_batch(body, allowed_sites: set[str]) -> tuple[str, list[dict]]:
    body = require_object(body)
    site = require_site(body, allowed_sites)
    orders = body.get("orders")
    if not isinstance(orders, list):
        raise bad_request("missing_field", "缺少 orders 数组 / Field 'orders' must be an array", field="orders")
    if len(orders) > MAX_ORDERS_PER_BATCH:
        raise bad_request(
            "too_many_orders", f"一次最多 {MAX_ORDERS_PER_BATCH} 个订单 / At most {MAX_ORDERS_PER_BATCH} orders a batch",
            field="orders", limit=MAX_ORDERS_PER_BATCH,
        )
    seen: dict[str, int] = {}
    clean = []
    for i, order in enumerate(orders):
        where = f"orders[{i}]"
        if not isinstance(order, dict):
            raise bad_request("invalid_field", f"{where} 必须是对象 / must be an object", field=where)
        if "order_id" not in order:
            raise bad_request("missing_field", f"{where}.order_id 必填 / is required", field=f"{where}.order_id")
        oid = order_id(order["order_id"], f"{where}.order_id")
        if oid in seen:
            raise bad_request(
                "duplicate_order", f"{where} 与 orders[{seen[oid]}] 重复 / repeats orders[{seen[oid]}]",
                field=f"{where}.order_id",
            )
        seen[oid] = i
        for key in _STRING_FIELDS:
            if order.get(key) is not None and not isinstance(order[key], str):
                raise bad_request("invalid_field", f"{where}.{key} 必须是字符串 / must be a string", field=f"{where}.{key}")
        for key in _TIME_FIELDS:
            value = order.get(key)
            if value not in (None, "") and not (isinstance(value, str) and _ISO_RE.match(value)):
                raise bad_request(
                    "invalid_field", f"{where}.{key} 必须是带时区的 ISO 8601 时间 / must be ISO 8601 with an offset",
                    field=f"{where}.{key}",
                )
        _person(order.get("buyer"), f"{where}.buyer")
        _person(order.get("ship_to"), f"{where}.ship_to")
        _items(order.get("items"), f"{where}.items")
        _packages(order.get("packages"), f"{where}.packages")
        clean.append({**order, "order_id": oid})
    return site, clean


def string_list(value, field: str, max_len: int = 1000) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_request("invalid_field", f"{field} 必须是字符串数组 / {field} must be an array of strings", field=field)
    if len(value) > max_len:
        raise bad_request("too_many_items", f"{field} 最多 {max_len} 项 / at most {max_len} items", field=field)
    return value
