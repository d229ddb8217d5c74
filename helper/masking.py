"""Masking of buyer data before it reaches the event log or any log line.

Stored orders keep what the page showed (the user needs it to ship); the event log and
log output only ever carry masked copies.
"""

from __future__ import annotations

import re

_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_PHONE_KEYS = {"phone", "mobile", "tel", "telephone", "buyer_phone", "ship_phone"}
_NAME_KEYS = {"name", "buyer_name", "ship_name", "receiver"}
_DETAIL_KEYS = {"detail", "address_detail", "street"}


def mask_phone(value: str) -> str:
    """Keep the first 3 and last 4 digits, as the platforms themselves show phones."""
    if not isinstance(value, str):
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7 and "*" not in value:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return value


def mask_name(value: str) -> str:
    if not isinstance(value, str) or not value:
        return value
    return value[0] + "*" * max(1, len(value) - 1)


def mask_detail(value: str) -> str:
    if not isinstance(value, str) or not value:
        return value
    return value[:2] + "***"


def mask_text(value: str) -> str:
    """Free text (remarks, reasons) may carry a phone number: hide its middle digits."""
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), value)


def mask(value, key: str | None = None, in_person: bool = False):
    """Recursively mask phones, names (inside buyer/ship_to) and street details."""
    if isinstance(value, dict):
        person = in_person or key in {"buyer", "ship_to", "receiver", "consignee"}
        return {k: mask(v, k, person) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, key, in_person) for v in value]
    if isinstance(value, str):
        if key in _PHONE_KEYS:
            return mask_phone(value)
        if key in _DETAIL_KEYS:
            return mask_detail(value)
        if key == "address" and in_person:
            return mask_detail(value)
        if key in _NAME_KEYS and (in_person or key != "name"):
            return mask_name(value)
        return mask_text(value)
    return value
