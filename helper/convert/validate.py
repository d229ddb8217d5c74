"""Check-digit rules that have a published standard.

Only these rules can make a number *valid*; everything else is a pattern heuristic. A
numeric number that merely resembles a FedEx/USPS/DHL number without passing their check
digit never becomes a candidate for them (it only resembles them).

Rules (names used by ``couriers.json``):
- ``s10``     UPU S10: 2 letters, 8 digits, check digit, ISO country. Weights 8,6,4,2,3,5,9,7;
              r = sum mod 11; check = 11 − r, with r = 0 → 5 and r = 1 → 0.
- ``ups``     1Z + 15 characters + check: letters map to (ord − 3) mod 10, odd positions ×2, mod 10.
- ``fedex12`` FedEx Express 12 digits: weights 3,1,7 (repeating) over the first 11; sum mod 11 mod 10.
- ``fedex15`` FedEx Ground 15 digits: from the right ×3, ×1 alternating over the first 14; mod 10.
- ``fedex96`` FedEx Ground "96" 22-digit barcode: the last 15 digits follow ``fedex15``.
- ``usps``    USPS 20/22 digits: from the right ×3, ×1 alternating; mod 10.
- ``dhl``     DHL Express 10 or 11 digits: all but the last as a number, mod 7.
- ``ups_waybill`` UPS waybill: service letter (A H J K T V), 9 digits, check as ``ups``.
- ``fedex34`` FedEx 34-digit barcodes (Express 34 and Ground GSN "96…"): digits 21–33 with
              weights 1,7,3 (repeating), sum mod 11 mod 10 = digit 34.
- ``fedex32`` FedEx ASTRA 32 digits: digits 17–27 with ``fedex12``'s weights; check = digit 28.
- ``sscc18``  GS1 SSCC-18 (FedEx Ground): digits 3–17, from the left ×3, ×1; mod 10.
- ``usps``    also IMpb 22/26 digits, with or without the ``420`` + ZIP (5 or 9) routing
              prefix AliExpress shows (30/34 digits); a 20-digit legacy number may carry an
              implied ``91`` application identifier.
- ``s10_body`` the S10 check digit alone, any suffix letters (燕文 ``…YP``/``…YN`` ids).

Sources: UPU S10 standard; USPS Publication 199 (IMpb, mod 10); FedEx and UPS rules as
published in jkeen/tracking_number_data (CHECKSUM_ALGORITHMS.md, couriers/*.json, MIT);
GS1 General Specifications (SSCC check digit).
"""
from __future__ import annotations

import re
from operator import mul
from typing import Callable

# ISO 3166-1 alpha-2, the country codes UPU S10 identifiers end with.
ISO_COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_S10_WEIGHT_SUM = sum(S10_WEIGHTS)
_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")


def _ascii_digits(text: str) -> bool:
    """Only 0-9 (the fast sums below read the characters as bytes; other digits, such as
    full-width or Arabic-Indic ones, take the general path with ``int``)."""
    return text.isascii() and text.isdigit()


def s10_check_digit(serial: str) -> int:
    """Check digit for the 8-digit S10 serial number."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError("S10 serial must be 8 digits")
    if serial.isascii():
        r = (sum(map(mul, serial.encode(), S10_WEIGHTS)) - 48 * _S10_WEIGHT_SUM) % 11
    else:
        r = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS)) % 11
    if r == 0:
        return 5
    if r == 1:
        return 0
    return 11 - r


def is_valid_s10(number: str) -> bool:
    m = _S10.match(number)
    if not m:
        return False
    _, serial, check, country = m.groups()
    return country in ISO_COUNTRIES and s10_check_digit(serial) == int(check)


def _ups_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else (ord(ch) - 3) % 10


# every ASCII character's value (as ``_ups_value``), as a bytes translation table
_UPS_TABLE = bytes(_ups_value(chr(i)) for i in range(128)) + bytes(128)


def ups_check_digit(body: str) -> int:
    """Check digit for the 15 characters after ``1Z``: odd positions (1-based) ×1, even ×2."""
    if body.isascii():
        values = body.encode().translate(_UPS_TABLE)
        total = sum(values[0::2]) + 2 * sum(values[1::2])
    else:
        total = sum(_ups_value(c) * (2 if i % 2 else 1) for i, c in enumerate(body))
    return (10 - total % 10) % 10


def is_valid_ups(number: str) -> bool:
    if len(number) != 18 or not number.startswith("1Z") or not number[-1].isdigit():
        return False
    body = number[2:-1]
    if not body.isalnum() or not body.isascii():
        return False
    return ups_check_digit(body) == int(number[-1])


def fedex12_check_digit(body: str) -> int:
    """FedEx Express: weights 3,1,7 left to right over 11 digits, sum mod 11 mod 10."""
    if _ascii_digits(body):
        b = body.encode()
        total = 3 * sum(b[0::3]) + sum(b[1::3]) + 7 * sum(b[2::3]) - 48 * (3 * len(b[0::3]) + len(b[1::3]) + 7 * len(b[2::3]))
    else:
        total = 3 * sum(map(int, body[0::3])) + sum(map(int, body[1::3])) + 7 * sum(map(int, body[2::3]))
    return total % 11 % 10


def is_valid_fedex12(number: str) -> bool:
    return len(number) == 12 and number.isdigit() and fedex12_check_digit(number[:11]) == int(number[11])


def mod10_31_check_digit(body: str) -> int:
    """Rightmost body digit ×3, next ×1, alternating; check = (10 − sum mod 10) mod 10."""
    if _ascii_digits(body):
        b = body.encode()
        tripled = b[len(b) - 1::-2] if b else b      # the rightmost digit and every second one left of it
        single = b[len(b) - 2::-2] if len(b) > 1 else b""
        total = 3 * (sum(tripled) - 48 * len(tripled)) + sum(single) - 48 * len(single)
    else:
        rev = body[::-1]
        total = 3 * sum(map(int, rev[0::2])) + sum(map(int, rev[1::2]))
    return (10 - total % 10) % 10


def is_valid_fedex15(number: str) -> bool:
    return len(number) == 15 and number.isdigit() and mod10_31_check_digit(number[:14]) == int(number[14])


def is_valid_fedex96(number: str) -> bool:
    return len(number) == 22 and number.isdigit() and number.startswith("96") and is_valid_fedex15(number[7:])


def _usps_serial_ok(serial: str) -> bool:
    if len(serial) not in (20, 22, 26) or not serial.isdigit():
        return False
    if mod10_31_check_digit(serial[:-1]) == int(serial[-1]):
        return True
    # a 20-digit legacy number is checked as if it carried the implied "91" identifier
    return len(serial) == 20 and mod10_31_check_digit("91" + serial[:-1]) == int(serial[-1])


def is_valid_usps(number: str) -> bool:
    """USPS 20/22/26-digit serials, optionally behind ``420`` + a 5- or 9-digit ZIP."""
    if not number.isdigit():
        return False
    if _usps_serial_ok(number):
        return True
    if number.startswith("420"):
        for zip_len in (5, 9):
            serial = number[3 + zip_len:]
            if serial[:1] == "9" and _usps_serial_ok(serial):
                return True
    return False


def dhl_check_digit(body: str) -> int:
    return int(body) % 7


def is_valid_dhl(number: str) -> bool:
    return len(number) in (10, 11) and number.isdigit() and dhl_check_digit(number[:-1]) == int(number[-1])


def is_valid_ups_waybill(number: str) -> bool:
    return (len(number) == 11 and number[0] in "AHJKTV" and number[1:].isdigit()
            and ups_check_digit(number[1:10]) == int(number[10]))


def _weighted_mod11(body: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * weights[i % len(weights)] for i, d in enumerate(body)) % 11 % 10


def is_valid_fedex34(number: str) -> bool:
    return len(number) == 34 and number.isdigit() and _weighted_mod11(number[20:33], (1, 7, 3)) == int(number[33])


def is_valid_fedex32(number: str) -> bool:
    return len(number) == 32 and number.isdigit() and _weighted_mod11(number[16:27], (3, 1, 7)) == int(number[27])


def is_valid_sscc18(number: str) -> bool:
    if len(number) != 18 or not number.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(number[2:17]))
    return (10 - total % 10) % 10 == int(number[17])


def is_valid_s10_body(number: str) -> bool:
    if len(number) != 13 or not number[2:11].isdigit():
        return False
    return s10_check_digit(number[2:10]) == int(number[10])


CHECKS: dict[str, Callable[[str], bool]] = {
    "s10": is_valid_s10,
    "ups": is_valid_ups,
    "fedex12": is_valid_fedex12,
    "fedex15": is_valid_fedex15,
    "fedex96": is_valid_fedex96,
    "usps": is_valid_usps,
    "dhl": is_valid_dhl,
    "ups_waybill": is_valid_ups_waybill,
    "fedex34": is_valid_fedex34,
    "fedex32": is_valid_fedex32,
    "sscc18": is_valid_sscc18,
    "s10_body": is_valid_s10_body,
}


def passes(check: str | None, number: str) -> bool:
    """True when the number passes the named rule (no rule = nothing to fail)."""
    if not check:
        return True
    return CHECKS[check](number)


def is_valid_for(number: str, courier_id: str) -> bool:
    """Is the normalized number a well-formed number of this courier (pattern + check digit)?

    Couriers without a known format (freight brands, 丰网…) cannot be validated: False."""
    from helper import couriers

    c = couriers.get(courier_id)
    pats = c.patterns or (couriers.get(c.format_of).patterns if c.format_of else ())
    return any(p.compiled.fullmatch(number) and passes(p.check, number) for p in pats)


__all__ = ["CHECKS", "ISO_COUNTRIES", "S10_WEIGHTS", "s10_check_digit", "is_valid_s10", "ups_check_digit",
           "is_valid_ups", "fedex12_check_digit", "is_valid_fedex12", "mod10_31_check_digit",
           "is_valid_fedex15", "is_valid_fedex96", "is_valid_usps", "dhl_check_digit", "is_valid_dhl",
           "passes", "is_valid_for"]
