"""Field types shared by the payload models: bounded text, ids, money, times, counts.

Each is an `Annotated` type; a wrong value fails with a message in Chinese and English.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, StringConstraints

_ID_RE = re.compile(r"^[\w\-.:/#]{1,64}$")
_MONEY_RE = re.compile(r"^-?\d{1,12}(\.\d{1,4})?$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")

Short = Annotated[str, StringConstraints(max_length=200)]        # names, statuses, couriers
Text = Annotated[str, StringConstraints(max_length=4000)]        # remarks, urls, street details
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]


def _order_id(value):
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError("必须是字符串（长数字会丢精度）/ must be a string (long numbers lose precision)")
    value = value.strip()
    if not _ID_RE.match(value):
        raise ValueError("格式不对（1–64 个字母、数字或 -_.:/#）/ not a valid id (1–64 letters, digits or -_.:/#)")
    return value


def _money(value: str) -> str:
    if not _MONEY_RE.match(value):
        raise ValueError("必须是金额字符串，如 \"19.90\" / must be a decimal string such as \"19.90\"")
    return value


def _time(value: str) -> str:
    if value == "":
        return value
    try:
        ok = bool(_ISO_RE.match(value)) and datetime.fromisoformat(value.replace("Z", "+00:00")) is not None
    except ValueError:
        ok = False
    if not ok:
        raise ValueError("必须是带时区的 ISO 8601 时间 / must be ISO 8601 with an offset")
    return value


OrderId = Annotated[str, BeforeValidator(_order_id)]
Money = Annotated[str, AfterValidator(_money)]
IsoTime = Annotated[str, StringConstraints(max_length=40), AfterValidator(_time)]
