"""The fixed benchmark corpus: tracking numbers in documented formats, generated from a seed.

These are benchmark *inputs*, never product data: the product never makes a number up, the
benchmark needs thousands of well-formed ones to time the engine and the anchor on the same
input. Formats follow the public descriptions in ``helper/couriers/couriers.json`` and the
check-digit standards in ``helper.convert.validate`` (UPU S10, UPS, FedEx, USPS, DHL).

``build(size, seed)`` gives the same list for the same arguments on every machine (only
``random.Random(seed)`` is used, never the global generator or the clock).
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from helper.convert.validate import (dhl_check_digit, fedex12_check_digit, mod10_31_check_digit,
                                     s10_check_digit, ups_check_digit)

DEFAULT_SIZE = 20_000
DEFAULT_SEED = 20261125
_FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_S10_COUNTRIES = ["DE", "GB", "FR", "JP", "AU", "NL", "SG", "HK", "CA", "IT", "ES", "SE", "KR", "BR"]


@dataclass(frozen=True)
class Item:
    raw: str                   # what a page shows (possibly noisy)
    courier_text: str | None   # the supplier's courier text, when the corpus gives one
    kind: str                  # the format it was built from (for reports)
    number: str                # the clean number it was built from


def _d(rnd: random.Random, n: int) -> str:
    return f"{rnd.randrange(10 ** n):0{n}d}"


def s10(rnd: random.Random, prefix: str, country: str) -> str:
    serial = _d(rnd, 8)
    return f"{prefix}{serial}{s10_check_digit(serial)}{country}"


def _ups(rnd: random.Random) -> str:
    alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = "".join(rnd.choice(alnum) for _ in range(6)) + _d(rnd, 9)
    return f"1Z{body}{ups_check_digit(body)}"


def _fedex12(rnd):
    body = _d(rnd, 11)
    return body + str(fedex12_check_digit(body))


def _fedex15(rnd):
    body = _d(rnd, 14)
    return body + str(mod10_31_check_digit(body))


def _fedex96(rnd):
    tail = _fedex15(rnd)
    return "96" + _d(rnd, 5) + tail


def _usps22(rnd):
    body = "9" + rnd.choice("12345") + _d(rnd, 19)
    return body + str(mod10_31_check_digit(body))


def _usps20(rnd):
    body = _d(rnd, 19)
    return body + str(mod10_31_check_digit(body))


def _dhl(rnd):
    body = f"{rnd.randrange(10 ** 8, 10 ** 9)}"
    return body + str(dhl_check_digit(body))


# kind → (generator, courier texts a supplier page may show, share of the corpus)
FORMATS: dict[str, tuple] = {
    "zto": (lambda r: "7" + r.choice("3568") + _d(r, 12), ["中通快递", "中通", "ZTO"], 12),
    "yto": (lambda r: "YT" + _d(r, 13), ["圆通速递", "圆通"], 10),
    "sto": (lambda r: "77" + _d(r, 13), ["申通快递", "申通"], 7),
    "yunda": (lambda r: r.choice("34") + _d(r, 14), ["韵达快递", "韵达"], 9),
    "jt": (lambda r: "JT" + _d(r, 13), ["极兔速递", "极兔", "J&T"], 8),
    "sf": (lambda r: "SF" + _d(r, 13), ["顺丰速运", "顺丰"], 7),
    "jd": (lambda r: r.choice(["JD" + r.choice("ABCDEFX") + _d(r, 12), "JDV" + r.choice("ABCDE") + _d(r, 11)]),
           ["京东快递", "京东物流"], 5),
    "ems": (lambda r: r.choice([r.choice("19") + _d(r, 12), s10(r, "E" + r.choice("ABMY"), "CN")]),
            ["EMS", "中国邮政EMS"], 3),
    "chinapost": (lambda r: s10(r, r.choice("RLC") + r.choice("ABRX"), "CN"), ["邮政快递包裹", "中国邮政"], 3),
    "deppon": (lambda r: "DPK" + _d(r, 12), ["德邦快递"], 2),
    "yunexpress": (lambda r: "YT" + _d(r, 16), ["云途物流"], 3),
    "4px": (lambda r: "4PX" + _d(r, 13) + "CN", ["递四方"], 2),
    "cainiao": (lambda r: "LP00" + _d(r, 12), ["菜鸟国际"], 3),
    "s10": (lambda r: s10(r, r.choice(["RR", "RX", "LX", "CP", "UA", "EE"]), r.choice(_S10_COUNTRIES)),
            ["国际小包", "International Mail"], 6),
    "usps_s10": (lambda r: s10(r, r.choice(["EA", "RR", "LZ"]), "US"), ["USPS"], 1),
    "ups": (_ups, ["UPS"], 5),
    "fedex": (lambda r: r.choice([_fedex12, _fedex15, _fedex96])(r), ["FedEx", "联邦快递"], 5),
    "usps": (lambda r: r.choice([_usps22, _usps20])(r), ["USPS", "美国邮政"], 4),
    "dhl": (_dhl, ["DHL"], 4),
}


def _noisy(rnd: random.Random, number: str, texts: list[str]) -> tuple[str, str | None]:
    """Noise as supplier pages show it: grouping spaces, full-width, a courier word, a label."""
    style = rnd.randrange(6)
    if style == 0:                                 # "7301 2345 6789 01"
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4)), None
    if style == 1:                                 # full-width characters (Chinese IME)
        return number.translate(_FULLWIDTH), None
    if style == 2:                                 # courier word glued in front
        return f"{rnd.choice(texts)} {number}", None
    if style == 3:                                 # a label and a full-width colon
        return f"运单号：{number}", rnd.choice(texts)
    if style == 4:                                 # lower case with dashes
        return "-".join(number[i:i + 5] for i in range(0, len(number), 5)).lower(), None
    return f" {number}\u3000", rnd.choice(texts)   # padding with an ideographic space


def build(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, noisy_share: float = 0.25) -> list[Item]:
    """``size`` items: clean numbers in their formats' shares, a quarter of them noisy; about
    a third carry the supplier's courier text as it would arrive with the number."""
    rnd = random.Random(seed)
    kinds = list(FORMATS)
    weights = [FORMATS[k][2] for k in kinds]
    items: list[Item] = []
    for kind in rnd.choices(kinds, weights=weights, k=size):
        make, texts, _ = FORMATS[kind]
        number = make(rnd)
        text = rnd.choice(texts) if rnd.random() < 0.33 else None
        raw = number
        if rnd.random() < noisy_share:
            raw, noisy_text = _noisy(rnd, number, texts)
            text = noisy_text or text
        items.append(Item(raw=raw, courier_text=text, kind=kind, number=number))
    return items


def random_numbers(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED) -> list[str]:
    """Random 10–22 digit numbers: nothing should be *confidently* a courier's number."""
    rnd = random.Random(seed ^ 0x5EED)
    return [_d(rnd, rnd.randint(10, 22)) for _ in range(size)]


__all__ = ["Item", "FORMATS", "build", "random_numbers", "s10", "DEFAULT_SIZE", "DEFAULT_SEED"]
