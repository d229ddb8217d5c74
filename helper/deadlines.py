"""Ship-by deadlines: the page's 承诺发货时间 when the adapter read it, else the platform's default.

Times here are compared as text, so every time this module returns is one format: ISO 8601 in
UTC to the second (``2026-11-25T02:00:00+00:00``). A time without an offset is Beijing time
(the platforms print Beijing time).

Default ship windows, counted from payment (``paid_at``, else the page's order time
``created_at``):

- 拼多多 (pdd-seller): 48 h. The list's own reply carries ``promise_shipping_time`` for each
  order and the page prints it as 承诺发货时间, so the default is only used when neither
  reached the helper; 48 h after the group forms (成团 = paid) is PDD's 发货规则 as sellers
  report it [reported].
- 微信小店 (wechat-seller): 48 h, the platform's default ship window [rule].

Other platforms print their own deadline on the list (承诺发货时间 / 最晚发货时间); without it no
deadline is invented for them (``due_at`` stays empty and the order is in no deadline view).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

UTC = timezone.utc
BEIJING = timezone(timedelta(hours=8), "北京时间")

# site → (hours after payment, where the rule comes from)
DEFAULT_SHIP_HOURS = {
    "pdd-seller": (48, "拼多多发货规则：成团（付款）后 48 小时内发货 [reported] / PDD: ship within 48 h of payment"),
    "wechat-seller": (48, "微信小店默认发货时限 48 小时 [rule] / WeChat shop: 48 h default ship window"),
}


def parse(value) -> datetime | None:
    """An ISO 8601 text (offset or none: none is Beijing time; ``Z`` is UTC) → aware datetime;
    None for anything else (empty, not a time, a year outside 1–9999)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=BEIJING)


def utc_iso(value) -> str | None:
    """Any time the helper stores or receives (text or datetime) → UTC text, or None."""
    dt = value if isinstance(value, datetime) else parse(value)
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=BEIJING)
    try:
        return dt.astimezone(UTC).replace(microsecond=0).isoformat()
    except (OverflowError, ValueError):
        return None


def shift(utc_text: str, hours: float) -> str:
    """``utc_text`` moved by ``hours`` (negative goes back), as UTC text."""
    return utc_iso(parse(utc_text) + timedelta(hours=hours))


def ship_by(site: str, order: dict, paid_utc: str | None, paid_from_page: bool) -> tuple[str | None, str | None]:
    """(deadline as UTC text, source) for one sales order.

    ``source`` is ``"page"`` (the adapter sent ``ship_by``), ``"default"`` (the platform's
    default window after ``paid_utc``, see ``DEFAULT_SHIP_HOURS``) or None (no deadline).
    A default is only counted from a payment or order time the page showed
    (``paid_from_page``), never from when the helper first saw the order."""
    page = utc_iso(order.get("ship_by"))
    if page:
        return page, "page"
    rule = DEFAULT_SHIP_HOURS.get(site)
    if rule and paid_utc and paid_from_page:
        try:
            return shift(paid_utc, rule[0]), "default"
        except (OverflowError, TypeError):
            return None, None
    return None, None
