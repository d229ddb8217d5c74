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


# ------------------------------------------------------------------ known people
# Free text (a remark, a memo, a fill failure's reason) can name the buyer, which no pattern
# finds. Where the person is known (the order the text belongs to), their clear name, phone and
# street address are replaced by the masked forms above wherever they appear.

PERSON_KEYS = {"buyer", "ship_to", "receiver", "consignee"}


def known_strings(person) -> dict[str, str]:
    """{clear string: masked form} for a person's name (2+ characters), phone (7+ digits) and
    street address (4+ characters); values already masked are left out."""
    out: dict[str, str] = {}
    if not isinstance(person, dict):
        return out
    name, phone = person.get("name"), person.get("phone")
    if isinstance(name, str) and len(name.strip()) >= 2 and "*" not in name:
        out[name.strip()] = mask_name(name.strip())
    if isinstance(phone, str) and "*" not in phone and sum(c.isdigit() for c in phone) >= 7:
        out[phone.strip()] = mask_phone(phone.strip())
    address = person.get("address")
    detail = address.get("detail") if isinstance(address, dict) else address if isinstance(address, str) else None
    if isinstance(detail, str) and len(detail.strip()) >= 4 and not detail.endswith("***"):
        out[detail.strip()] = mask_detail(detail.strip())
    return out


def people_in(value, key: str | None = None) -> list[dict]:
    """Every person object (under buyer, ship_to, …, also inside [old, new] change pairs) in a value."""
    found: list[dict] = []
    if isinstance(value, dict):
        if key in PERSON_KEYS:
            found.append(value)
        for k, v in value.items():
            found += people_in(v, k)
    elif isinstance(value, list):
        for v in value:
            found += people_in(v, key)
    return found


def replace_known(text: str, known: dict[str, str]) -> str:
    """``text`` with each known clear string (longest first) replaced by its masked form."""
    for clear in sorted(known, key=len, reverse=True):
        if clear in text:
            text = text.replace(clear, known[clear])
    return text


def scrub_known(value, known: dict[str, str], keep: frozenset | set = frozenset(), key: str | None = None):
    """``value`` with `replace_known` applied to every string, except under the keys in ``keep``."""
    if not known or key in keep:
        return value
    if isinstance(value, dict):
        return {k: scrub_known(v, known, keep, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_known(v, known, keep, key) for v in value]
    if isinstance(value, str):
        return replace_known(value, known)
    return value
