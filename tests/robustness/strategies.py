"""Hypothesis strategies for malformed requests: valid payloads with one place replaced by junk.

Junk is what the issue's fuzzer sent: wrong types, lists where strings belong, huge and
2^63-sized integers, NaN / ±Infinity, lone surrogates, formula text, one-line addresses,
very long text and deep nesting (`DEEP`, expanded in the JSON text by `encode`).
"""

from __future__ import annotations

import copy
import json

from hypothesis import strategies as st

from tests.api.samples import purchase_order, sales_order

DEEP = "\x00deep\x00"
DROP = object()

_text = st.text(alphabet=st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
                max_size=24)
_special = st.sampled_from([
    "", " ", "=HYPERLINK(\"http://x\")", "+86 138 1234 5678", "-1", "浙江省杭州市西湖区文三路1号", "x" * 5000,
    "2026-11-24T10:31:00+08:00", "2026-13-45T99:99+08:00", "pdd-seller", "alibaba-buyer", "ready", "failed",
    "\ud800", "a\udfffb", DEEP, "null", "NaN",
])
_numbers = st.one_of(st.integers(-2**70, 2**70), st.sampled_from([2**63, 2**63 - 1, -2**63 - 1, 10**30]),
                     st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(st.none(), st.booleans(), _numbers, _text, _special)
junk = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                    max_leaves=6)


def _put(body, path, value):
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is DROP:
        target.pop(path[-1], None) if isinstance(target, dict) else target.pop(path[-1])
    else:
        target[path[-1]] = value
    return body


def mutated(base: dict, paths: list[tuple]):
    """``base`` with one of ``paths`` set to junk (or removed)."""
    return st.builds(_put, st.just(base), st.sampled_from(paths), st.one_of(junk, st.just(DROP)))


def encode(body) -> bytes:
    text = json.dumps(body, ensure_ascii=True, allow_nan=True)
    return text.replace(json.dumps(DEEP), "[" * 3000 + "]" * 3000).encode()


SALES = {"site": "pdd-seller", "page_url": "https://mms.pinduoduo.com/orders/list",
         "orders": [sales_order("261124-500000000000001"), sales_order("261124-500000000000002")]}
SALES_PATHS = [("site",), ("page_url",), ("orders",), ("orders", 0), ("orders", 0, "order_id"),
               *[("orders", 0, k) for k in ("shop", "status", "created_at", "ship_by", "buyer", "items", "amount",
                                             "remark", "url", "shipped_number", "extra")],
               ("orders", 0, "buyer", "name"), ("orders", 0, "buyer", "phone"), ("orders", 0, "buyer", "address"),
               ("orders", 0, "buyer", "address", "province"), ("orders", 0, "buyer", "address", "detail"),
               ("orders", 0, "items", 0), ("orders", 0, "items", 0, "quantity"), ("orders", 0, "items", 0, "price"),
               ("orders", 0, "items", 0, "title")]
PURCHASE = {"site": "alibaba-buyer", "orders": [purchase_order("3900000000000000501",
                                                               remark="PDD 261124-500000000000001")]}
PURCHASE_PATHS = [("site",), ("orders",), ("orders", 0, "order_id"), ("orders", 0, "remark"), ("orders", 0, "supplier"),
                  ("orders", 0, "ship_to"), ("orders", 0, "ship_to", "address"), ("orders", 0, "ship_to", "phone"),
                  ("orders", 0, "packages"), ("orders", 0, "packages", 0), ("orders", 0, "packages", 0, "tracking"),
                  ("orders", 0, "packages", 0, "courier_text"), ("orders", 0, "items", 0, "quantity")]
CONVERT = {"site": "pdd-seller", "order_ids": ["261124-500000000000001"], "options": ["中通快递", "圆通速递"]}
CONVERT_PATHS = [("site",), ("order_ids",), ("order_ids", 0), ("options",), ("options", 0), ("extra",)]
FILLS = {"site": "pdd-seller", "results": [{"order_id": "261124-500000000000001", "result": "failed",
                                            "submitted": False, "reason": "page_changed: 运单号 input not found"}]}
FILL_PATHS = [("site",), ("results",), ("results", 0), *[("results", 0, k) for k in
                                                         ("order_id", "result", "submitted", "reason", "shipment_id",
                                                          "number", "option", "submitted_by")]]
LINK = {"sales_site": "pdd-seller", "sales_order_id": "261124-500000000000002",
        "purchase_site": "alibaba-buyer", "purchase_order_id": "3900000000000000500"}
LINK_PATHS = [*((k,) for k in LINK), ("note",)]
SETTINGS = {"operator": "小王", "refresh_interval_min": "60", "17track_token": "t0ken"}
SETTINGS_PATHS = [("operator",), ("refresh_interval_min",), ("17track_token",), ("17track_url",), ("allowed_hosts",),
                  ("unknown",)]

WRITE_ROUTES = {   # route → (method, base, paths)
    "/api/v1/sales-orders": ("POST", SALES, SALES_PATHS),
    "/api/v1/purchase-orders": ("POST", PURCHASE, PURCHASE_PATHS),
    "/api/v1/convert": ("POST", CONVERT, CONVERT_PATHS),
    "/api/v1/fill-results": ("POST", FILLS, FILL_PATHS),
    "/api/v1/links": ("POST", LINK, LINK_PATHS),
    "/api/v1/settings": ("PUT", SETTINGS, SETTINGS_PATHS),
}


def bodies(route: str):
    """Encoded request bodies for ``route``: mostly one-place mutations, some raw bytes."""
    method, base, paths = WRITE_ROUTES[route]
    return st.one_of(mutated(base, paths).map(encode), mutated(base, paths).map(encode),
                     mutated(base, paths).map(encode), st.binary(max_size=64))


_query_key = st.sampled_from(["page", "site", "status", "q", "due", "order_id", "kind", "since", "limit", "offset",
                              "all", "_method", "_external", "_anchor", "_scheme", "number"])
_query_value = st.one_of(st.binary(max_size=20), st.sampled_from(
    [b"99999999999999999999", b"-5", b"0", b"1e3", b"\xed\xa0\x80", b"POST", b"24h", b"x" * 300, b"NaN"]))


def query_strings():
    from urllib.parse import quote_from_bytes

    pair = st.tuples(_query_key, _query_value).map(lambda kv: f"{kv[0]}={quote_from_bytes(kv[1])}")
    return st.lists(pair, max_size=4).map("&".join)
