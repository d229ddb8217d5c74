"""detect(): ranked candidates per courier, hints, conflicts and the confidence rules."""
import pytest
from hypothesis import given, settings, strategies as st

from helper import couriers
from helper.convert import detect
from helper.convert.validate import mod10_31_check_digit, s10_check_digit


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def s10(service: str, serial: str, country: str) -> str:
    return f"{service}{serial}{s10_check_digit(serial)}{country}"


USPS22 = "92001901234567890123" + "4"
USPS22 = USPS22[:21] + str(mod10_31_check_digit(USPS22[:21]))

# courier → (a number of its letter-prefixed format, a courier text naming it)
DISTINCT = {
    "sf": ("SF1234567890123", "顺丰速运"),
    "yto": ("YT1234567890123", "圆通速递"),
    "jt": ("JT3012345678901", "极兔速递"),
    "jd": ("JDA123456789012", "京东快递"),
    "deppon": ("DPK123456789012", "德邦快递"),
    "ems": (s10("EA", "12345678", "CN"), "EMS"),
    "chinapost": (s10("RR", "12345678", "CN"), "邮政快递包裹"),
    "yunexpress": ("YT1234567890123456", "云途物流"),
    "4px": ("4PX1234567890123CN", "递四方"),
    "cainiao": ("LP00123456789012", "菜鸟国际"),
    "s10": (s10("RR", "12345678", "DE"), "国际小包"),
    "usps": (s10("EC", "87654321", "US"), "USPS"),
    "ups": ("1Z999AA10123456784", "UPS"),
}
# courier → (a pure-numeric number of its format, a courier text naming it)
NUMERIC = {
    "zto": ("73012345678901", "中通快递"),
    "sto": ("773012345678901", "申通快递"),
    "yunda": ("431234567890123", "韵达快递"),
    "chinapost": ("1123456789012", "邮政快递包裹"),
    "ems": ("9123456789012", "EMS"),
    "deppon": ("123456789", "德邦快递"),
    "cainiao": ("621123456789012", "菜鸟国际"),
    "fedex": ("797806677146", "FedEx"),
    "usps": (USPS22, "USPS"),
    "dhl": ("3318810025", "DHL"),
    "sf": ("123456789012", "顺丰"),
}
TEXT_ONLY = ["best", "fengwang", "zhongyou", "zjs", "danniao", "tiantian", "zto_freight", "yunda_freight",
             "best_freight", "jd_freight", "deppon_freight"]


def ids(det):
    return [c.courier for c in det.candidates]


@pytest.mark.parametrize("cid", sorted(DISTINCT))
def test_distinct_format_is_confident_without_hint(cid):
    number, _ = DISTINCT[cid]
    det = detect(number)
    assert det.number == number and det.valid
    assert det.best.courier == cid and det.best.confidence >= 0.9
    assert det.best.name == couriers.get(cid).name_zh
    assert all(c.confidence < 0.9 for c in det.candidates[1:])
    assert not det.conflict


@pytest.mark.parametrize("cid", sorted(DISTINCT))
def test_distinct_format_hinted(cid):
    number, text = DISTINCT[cid]
    det = detect(number, text)
    assert det.best.courier == cid and det.best.confidence >= 0.95 and det.valid and not det.conflict
    assert det.hint_courier == cid


@pytest.mark.parametrize("cid", sorted(DISTINCT))
def test_distinct_full_width_and_spaced(cid):
    number, text = DISTINCT[cid]
    assert ids(detect(fullwidth(number))) == ids(detect(number))
    spaced = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    assert detect(spaced).number == number
    assert detect(f"{text} {number}").number == number


@pytest.mark.parametrize("cid", sorted(DISTINCT))
def test_distinct_invalid_variants(cid):
    number, _ = DISTINCT[cid]
    for bad in (number[:-1], number + "7"):
        det = detect(bad)
        assert not (det.best and det.best.courier == cid and det.best.confidence >= 0.9 and det.valid), bad


@pytest.mark.parametrize("cid", sorted(DISTINCT))
def test_distinct_conflicting_text(cid):
    number, _ = DISTINCT[cid]
    other = "中通快递" if cid != "zto" else "圆通速递"
    det = detect(number, other)
    assert det.conflict
    assert det.best.courier == cid and det.best.confidence < 0.9
    assert "zto" in ids(det)


@pytest.mark.parametrize("cid", sorted(NUMERIC))
def test_numeric_never_confident_without_hint(cid):
    number, _ = NUMERIC[cid]
    det = detect(number)
    assert det.valid
    assert cid in ids(det)
    assert all(c.confidence < 0.9 for c in det.candidates)


@pytest.mark.parametrize("cid", sorted(NUMERIC))
def test_numeric_lifted_by_hint(cid):
    number, text = NUMERIC[cid]
    det = detect(number, text)
    assert det.best.courier == cid and det.best.confidence >= 0.9 and det.valid and not det.conflict
    assert all(c.confidence < 0.5 for c in det.candidates[1:])


@pytest.mark.parametrize("cid", sorted(NUMERIC))
def test_numeric_full_width_split_pieces(cid):
    number, text = NUMERIC[cid]
    assert detect(fullwidth(number), text).candidates == detect(number, text).candidates
    det = detect(f"{number}-1-2", text)
    assert det.number == number and det.pieces == ["-1-2"] and det.best.courier == cid
    # a field with two numbers: detect takes the first
    assert detect(f"{number}，{number[:-1]}9", text).number == number


@pytest.mark.parametrize("cid", TEXT_ONLY)
def test_text_only_couriers_never_confident(cid):
    c = couriers.get(cid)
    det = detect("88001234567", c.name_zh)
    assert det.best.courier == cid
    assert det.best.confidence < 0.9
    assert not det.conflict


def test_collisions_give_several_candidates():
    det = detect("1123456789012")  # 13 digits: 邮政/EMS/韵达/申通 all use this form
    assert {"chinapost", "ems", "yunda", "sto"} <= set(ids(det))
    assert max(c.confidence for c in det.candidates) < 0.9
    det = detect("123456789012")   # 12 digits: old 顺丰/中通 numbers and a FedEx check digit that passes
    assert {"sf", "zto", "fedex"} <= set(ids(det))


def test_yt_length_decides():
    assert detect("YT1234567890123").best.courier == "yto"
    assert detect("YT1234567890123456").best.courier == "yunexpress"
    det = detect("YT1234567890123456", "圆通速递")
    assert det.conflict and det.best.courier == "yunexpress"


def test_freight_brand_is_not_the_courier():
    det = detect("73012345678901", "中通快运")
    assert det.best.courier == "zto_freight" and det.best.confidence < 0.9
    assert det.hint_courier == "zto_freight"
    det = detect("SF1234567890123", "顺丰快运")      # 顺丰快运 ships on SF waybill numbers
    assert det.best.courier == "sf_freight" and det.best.confidence >= 0.9
    det = detect("SF1234567890123")
    assert "sf_freight" not in ids(det)            # never without the text naming it


def test_best_becomes_jt_when_the_number_is_jt():
    det = detect("JT3012345678901", "百世快递")
    assert det.best.courier == "jt" and det.best.confidence >= 0.9 and not det.conflict
    assert "best" in ids(det)


def test_ambiguous_hint_stays_ambiguous():
    det = detect("1123456789012", "中国邮政")
    assert set(ids(det)[:2]) == {"chinapost", "ems"}
    assert det.best.confidence < 0.9
    det = detect(s10("EA", "12345678", "CN"), "中国邮政")
    assert det.best.courier == "ems" and det.best.confidence >= 0.9


def test_unknown_text_counts_as_no_hint():
    assert detect("73012345678901", "随便").candidates == detect("73012345678901").candidates
    assert detect("73012345678901", "随便").hint_courier is None


def test_bad_check_digits():
    good = s10("RR", "12345678", "CN")
    bad = good[:10] + str((int(good[10]) + 1) % 10) + "CN"
    det = detect(bad)
    assert not det.valid and det.best.courier == "chinapost" and det.best.confidence < 0.9
    assert not detect("1Z999AA10123456785").valid
    # FedEx/DHL numeric forms only count when the check digit passes
    assert "dhl" not in ids(detect("3318810024"))
    assert "fedex" not in ids(detect("797806677147"))


def test_not_a_number():
    for raw, reason in [("暂无", "not_a_number"), ("13812345678", "phone_number"), ("", "empty")]:
        det = detect(raw)
        assert det.number is None and not det.valid and det.candidates == [] and det.reason == reason
    det = detect("ABCDEFGHIJKL1")
    assert det.number == "ABCDEFGHIJKL1" and det.candidates == [] and not det.valid


def test_to_json_shape():
    d = detect("73012345678901", "中通快递").to_json()
    assert list(d) == ["input", "number", "valid", "candidates"]
    assert d["candidates"][0] == {"courier": "zto", "name": "中通快递", "confidence": d["candidates"][0]["confidence"]}
    full = detect("73012345678901", "圆通").to_json(full=True)
    assert full["conflict"] is True and full["hint_courier"] == "yto"


def test_candidates_sorted_and_bounded():
    for raw in ["1123456789012", "73012345678901", "SF1234567890123", "123456789012"]:
        confs = [c.confidence for c in detect(raw).candidates]
        assert confs == sorted(confs, reverse=True)
        assert all(0 <= c <= 1 for c in confs)


@settings(max_examples=1500)
@given(st.text("0123456789", min_size=10, max_size=22))
def test_random_numeric_never_confident_without_hint(number):
    det = detect(number)
    assert all(c.confidence < 0.9 for c in det.candidates)


@settings(max_examples=300)
@given(st.text("0123456789", min_size=10, max_size=22), st.sampled_from(["云途物流", "极兔速递", "京东快递", "递四方"]))
def test_random_numeric_with_a_letter_format_hint_is_never_confident(number, text):
    # the named courier only has letter-prefixed formats: digits alone cannot fit it (圆通 left
    # this list with its old 12-digit 88… numbers, issue #9)
    det = detect(number, text)
    assert all(c.confidence < 0.9 for c in det.candidates)


def test_chinese_courier_words_in_the_field_are_evidence():
    from helper.convert import detect as _detect

    pasted = _detect("中通 7301 2345 6789 01")
    bare = _detect("73012345678901")
    assert pasted.number == bare.number == "73012345678901"
    assert pasted.candidates[0].courier == "zto" and pasted.candidates[0].confidence >= 0.9
    assert bare.candidates[0].confidence < 0.9
    # words that name no courier give no evidence
    assert _detect("单号 73012345678901").candidates[0].confidence < 0.9
    # the text contradicting the format is a conflict, as with the courier_text argument
    assert _detect("圆通 73012345678901").conflict
