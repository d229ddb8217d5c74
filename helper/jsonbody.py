"""Parse a request body into plain JSON values that every later step can store and echo.

`load(raw) -> dict | list | str | int | float | bool | None`, or `ApiError` 400 with
`details.field` naming where the body went wrong (`$` is the whole body, `orders[3].buyer`
a place inside it). Refused, whatever the route:

- bytes that are not UTF-8, or text that is not JSON (`invalid_json`);
- `NaN`, `Infinity`, `-Infinity` and numbers that overflow to them, such as `1e999`
  (`invalid_number`): they are not JSON and would be echoed as invalid JSON;
- integers outside SQLite's range, −2^63 … 2^63−1 (`number_out_of_range`);
- lone UTF-16 surrogates (`"\\ud800"`) in keys or strings (`invalid_unicode`): they cannot
  be written as UTF-8, neither to SQLite nor to a response;
- nesting deeper than `MAX_DEPTH` arrays/objects (`too_deep`).

The walk is iterative, so a hostile body cannot exhaust Python's recursion limit here.
`load(raw, skip="orders")` leaves the members of the top-level `orders` array unchecked: a
batch route checks each order by itself (`check(order, "orders[3]")`) and rejects only that one.
"""

from __future__ import annotations

import json
import math

from .errors import bad_request

MAX_DEPTH = 32
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class _Refused(Exception):
    def __init__(self, code: str, zh: str, en: str):
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


def _constant(name: str):
    raise _Refused("invalid_number", f"不接受 {name}", f"{name} is not allowed")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("invalid_number", f"数字 {text[:20]} 超出范围", f"number {text[:20]} overflows")
    return value


def load(raw: bytes | str, skip: str | None = None):
    """The body as JSON values, checked as the module docstring says."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw
        value = json.loads(text, parse_constant=_constant, parse_float=_float)
    except _Refused as err:
        raise bad_request(err.code, f"{err.zh} / {err.en}", field="$")
    except RecursionError:
        raise bad_request("too_deep", f"嵌套超过 {MAX_DEPTH} 层 / Nested deeper than {MAX_DEPTH} levels", field="$")
    except (UnicodeDecodeError, ValueError):
        raise bad_request("invalid_json", "请求体不是合法 JSON / The body is not valid JSON", field="$")
    check(value, skip=skip)
    return value


def _bad_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check(value, root: str = "", skip: str | None = None) -> None:
    """Walk ``value`` (already parsed) and raise the first refusal, naming its place; the
    items of the top-level array ``skip`` are left to the caller."""
    stack = [(value, root, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth >= MAX_DEPTH:
            raise bad_request("too_deep", f"{where or '$'} 嵌套超过 {MAX_DEPTH} 层 / nested deeper than {MAX_DEPTH} levels",
                              field=where or "$")
        if isinstance(item, dict):
            for key, sub in item.items():
                place = f"{where}.{key}" if where else str(key)
                if _bad_text(key):
                    raise bad_request("invalid_unicode", "字段名含有无效的 Unicode 代理字符 / A key holds a lone surrogate",
                                      field=where or "$")
                if not (depth == 0 and key == skip and isinstance(sub, list)):
                    stack.append((sub, place, depth + 1))
        elif isinstance(item, list):
            stack.extend((sub, f"{where}[{i}]", depth + 1) for i, sub in enumerate(item))
        elif isinstance(item, str):
            if _bad_text(item):
                raise bad_request("invalid_unicode", f"{where or '$'} 含有无效的 Unicode 代理字符 / holds a lone surrogate",
                                  field=where or "$")
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                raise bad_request("number_out_of_range", f"{where or '$'} 超出整数范围 / integer out of range (±2^63)",
                                  field=where or "$")
