"""Compare the supplier's ship-to with the buyer of the sales order.

A dropshipped parcel must go to the buyer; a purchase order that ships elsewhere (an old
address, another customer's order) is the classic 虚假发货 trap. Pages show the same place
in different forms (浙江省 / 浙江, 广西壮族自治区 / 广西, 西湖区 / 西湖) and mask what they show
(138****0000, 张**), so we compare what both sides show, and only that:

- province / city / district names after removing administrative suffixes;
- phone: digits visible on both sides, aligned from the right (masks compare as unknown);
- name: characters visible on both sides, aligned from the left (``张**`` matches 张三).

Mismatches are level ``review`` (a person decides); the street detail is compared loosely and
only warns, because pages abbreviate and mask it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from helper.convert.checks import check

# longest first: 广西壮族自治区 must lose 壮族自治区, not just 区
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
             "地区", "省", "市", "区", "县", "盟", "旗")
# "city" values that only say "the districts of this municipality"
_NO_CITY = {"市辖区", "城区", "郊县", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_PARTS = (("province", "省份", "province"), ("city", "城市", "city"), ("district", "区县", "district"))
_MASK = "*＊"


_WS = re.compile(r"\s+")


def _clean(text) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", str(text or "")))


@lru_cache(maxsize=8192)
def _region_key(n: str) -> str:
    for suf in _SUFFIXES:
        if n.endswith(suf) and len(n) - len(suf) >= 2:
            return n[: -len(suf)]
    return n


def region_key(name) -> str:
    """浙江省 → 浙江, 广西壮族自治区 → 广西, 西湖区 → 西湖, 香港特别行政区 → 香港."""
    return _region_key(_clean(name))   # region names repeat (a few thousand exist): cached


def same_region(a, b) -> bool:
    """Equal keys, or an autonomous prefecture written with and without its peoples
    (恩施土家族苗族自治州 / 恩施州 / 恩施)."""
    ka, kb = region_key(a), region_key(b)
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if short.endswith("州") and len(short) >= 3:
        short = short[:-1]
    return "族" in long_ and len(short) >= 2 and long_.startswith(short)


def _masked_equal(a: str, b: str, from_right: bool) -> bool | None:
    """Compare position by position, skipping masked positions. None = nothing comparable."""
    if from_right:
        a, b = a[::-1], b[::-1]
    compared = 0
    for x, y in zip(a, b):
        if x in _MASK or y in _MASK:
            continue
        compared += 1
        if x != y:
            return False
    if compared == 0:
        return None
    if len(a) != len(b) and not any(ch in _MASK for ch in a + b):
        return False
    return True


def phone_digits(phone) -> str:
    """Digits and masks of a phone as shown; a virtual-number extension ("[2817]") is dropped."""
    p = _clean(phone)
    p = re.sub(r"[\[(（【].*$", "", p)
    p = re.sub(r"^\+?86-?", "", p) if len(re.sub(r"\D", "", p)) > 11 else p
    return "".join(ch for ch in p if ch.isdigit() or ch in _MASK)


def phone_tail(phone) -> str | None:
    """The last 4 digits when the page shows them (trace queries of 顺丰/中通 need them)."""
    d = phone_digits(phone)
    tail = d[-4:]
    return tail if len(tail) == 4 and tail.isdigit() else None


def compare_phones(a, b) -> bool | None:
    da, db = phone_digits(a), phone_digits(b)
    if not da or not db:
        return None
    return _masked_equal(da, db, from_right=True)


def _name(text) -> str:
    return re.sub(r"[\[(（【].*$", "", _clean(text))


def compare_names(a, b) -> bool | None:
    na, nb = _name(a), _name(b)
    if not na or not nb:
        return None
    return _masked_equal(na, nb, from_right=False)


def _detail_key(text) -> str:
    return re.sub(r"[^\w]", "", _clean(text)).upper()


def compare_addresses(buyer: dict | None, ship_to: dict | None) -> list[dict]:
    """Checks comparing a buyer and a ship-to (MODEL.md shapes)."""
    if not buyer or not ship_to:
        return [check("address_unknown", "warn", "无法比对收货地址（缺少买家或采购收货信息）",
                      "Cannot compare addresses: buyer or purchase ship-to missing")]
    ba, sa = buyer.get("address") or {}, ship_to.get("address") or {}
    differ_zh, differ_en = [], []
    compared = 0
    for key, zh, en in _PARTS:
        x, y = _clean(ba.get(key)), _clean(sa.get(key))
        if not x or not y:
            continue
        if key == "city" and (x in _NO_CITY or y in _NO_CITY):
            continue
        compared += 1
        if not same_region(x, y):
            differ_zh.append(f"{zh}（{x} ≠ {y}）")
            differ_en.append(f"{en} ({x} ≠ {y})")
    same_phone = compare_phones(buyer.get("phone"), ship_to.get("phone"))
    if same_phone is not None:
        compared += 1
        if not same_phone:
            differ_zh.append("手机号")
            differ_en.append("phone")
    same_name = compare_names(buyer.get("name"), ship_to.get("name"))
    if same_name is not None:
        compared += 1
        if not same_name:
            differ_zh.append("收件人姓名")
            differ_en.append("recipient name")
    checks = []
    if differ_zh:
        checks.append(check("address_mismatch", "review",
                            "采购单收货信息与买家不一致：" + "、".join(differ_zh),
                            "Purchase ship-to differs from the buyer: " + ", ".join(differ_en)))
    elif compared == 0:
        checks.append(check("address_unknown", "warn", "收货信息不足，无法比对",
                            "Not enough ship-to information to compare"))
    else:
        checks.append(check("address_match", "ok", "收货地址与采购单一致", "Ship-to matches the purchase order"))
        dx, dy = _detail_key(ba.get("detail")), _detail_key(sa.get("detail"))
        if dx and dy and "*" not in (ba.get("detail") or "") + (sa.get("detail") or "") and dx != dy \
                and dx not in dy and dy not in dx:
            checks.append(check("address_detail_differs", "warn", "详细地址写法不同，请留意",
                                "Street detail is written differently"))
    return checks


def same_person(a: dict | None, b: dict | None) -> bool | None:
    """Do two buyer records name the same recipient? None when nothing can be compared."""
    if not a or not b:
        return None
    result = compare_addresses(a, b)
    codes = {c["code"] for c in result}
    if "address_mismatch" in codes:
        return False
    if "address_match" in codes:
        return True
    return None


__all__ = ["compare_addresses", "region_key", "same_region", "phone_digits", "phone_tail", "compare_phones", "compare_names",
           "same_person"]
