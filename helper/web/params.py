"""The query parameters of the review pages, checked once for every page.

`page_args()` → `{"site", "status", "q", "due", "order_id", "kind", "since", "operator": str}` (the ones
given), holding only the names the pages know (others, such as `_method`, are dropped, so
they never reach `url_for`), each at most `MAX_TEXT` characters. `page_number()` → `?page=`
as a whole number 1 … `MAX_PAGE` (1 when absent). Anything else is `ApiError` 400 naming
the parameter.
"""

from __future__ import annotations

from flask import request

from ..errors import bad_request

MAX_TEXT = 200
MAX_PAGE = 100_000
TEXT_PARAMS = ("site", "status", "q", "due", "order_id", "kind", "since", "operator", "shop", "lost")


def page_args() -> dict:
    args: dict = {}
    for name in TEXT_PARAMS:
        value = request.args.get(name, "")
        if len(value) > MAX_TEXT:
            raise bad_request("invalid_param", f"{name} 过长（最多 {MAX_TEXT} 字符）/ {name} is longer than {MAX_TEXT} characters",
                              field=name)
        if value:
            args[name] = value
    return args


def page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6 and 1 <= int(raw) <= MAX_PAGE):
        raise bad_request("invalid_param", f"page 必须是 1–{MAX_PAGE} 的整数 / page must be a whole number 1–{MAX_PAGE}",
                          field="page")
    return int(raw)
