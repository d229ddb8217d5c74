"""The shapes of what callers send (MODEL.md), as pydantic v2 models, and one way to check them.

`parse(model, data, prefix="")` → a validated model instance, or `ApiError` 400 whose
`details.field` names the first bad place (`orders[3].buyer.address`) and whose message says
what is wrong, Chinese first then English. `problem(model, data, prefix)` → `None` or
`(field, message)` for callers that reject one item of a batch by itself.

Unknown fields are kept (`extra="allow"`): a newer extension still talks to an older helper.
The body has already been through `helper.jsonbody` (depth, Unicode, number range).
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from ..errors import bad_request

_ZH = {
    "missing": "必填", "string_type": "必须是字符串", "string_too_long": "过长",
    "string_too_short": "不能为空", "string_pattern_mismatch": "格式不对", "int_type": "必须是整数",
    "int_from_float": "必须是整数", "greater_than_equal": "超出范围", "less_than_equal": "超出范围",
    "model_type": "必须是对象", "model_attributes_type": "必须是对象", "dict_type": "必须是对象",
    "list_type": "必须是数组", "too_long": "项数过多", "too_short": "不能为空", "bool_type": "必须是 true 或 false",
    "literal_error": "取值不对",
}


def field_path(loc, prefix: str = "") -> str:
    """('orders', 3, 'buyer') → 'orders[3].buyer' (after ``prefix``)."""
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def _describe(err: dict, prefix: str) -> tuple[str, str, str]:
    field = field_path(err["loc"], prefix)
    if err["type"] == "value_error":   # our own validators already say it in both languages
        text = str(err.get("ctx", {}).get("error", err["msg"]))
        return field, f"{field}: {text}", "invalid_field"
    zh = _ZH.get(err["type"], "不合法")
    code = "missing_field" if err["type"] == "missing" else "invalid_field"
    return field, f"{field} {zh} / {field}: {err['msg']}", code


def problem(model: type[BaseModel], data, prefix: str = ""):
    """(instance, None) when ``data`` fits ``model``, else (None, (field, message))."""
    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        field, message, _code = _describe(exc.errors(include_url=False)[0], prefix)
        return None, (field, message)


def parse(model: type[BaseModel], data, prefix: str = ""):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        field, message, code = _describe(exc.errors(include_url=False)[0], prefix)
        raise bad_request(code, message, field=field)


def dump(instance: BaseModel) -> dict:
    """What was sent, normalised: fields the caller did not send stay absent."""
    return instance.model_dump(exclude_unset=True)
