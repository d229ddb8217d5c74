"""normalize_field: what supplier pages show → main numbers, pieces and rejections."""
import pytest
from hypothesis import given, settings, strategies as st

from helper.convert import normalize_field, normalize_number


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def numbers(text, **kw):
    return [p.number for p in normalize_field(text, **kw).numbers]


@pytest.mark.parametrize("text,expected", [
    ("73012345678901", ["73012345678901"]),
    ("7301 2345 6789 01", ["73012345678901"]),
    ("7301-2345-6789-01", ["73012345678901"]),
    ("中通快递 7301 2345 6789 01", ["73012345678901"]),
    ("中通73012345678901", ["73012345678901"]),
    ("ZTO 73012345678901", ["73012345678901"]),
    ("ZTO73012345678901", ["73012345678901"]),
    ("运单号码：73012345678901", ["73012345678901"]),
    ("sf1234567890123", ["SF1234567890123"]),
    ("SF 1234 5678 90123", ["SF1234567890123"]),
    ("顺丰 SF1234567890123", ["SF1234567890123"]),
    (fullwidth("SF1234567890123"), ["SF1234567890123"]),
    ("ＳＦ１２３４５６７８９０１２３", ["SF1234567890123"]),
    ("RR 123 456 785 CN", ["RR123456785CN"]),
    ("  JT3012345678901\t", ["JT3012345678901"]),
    ("JT3012345678901，JT3012345678902", ["JT3012345678901", "JT3012345678902"]),
    ("JT3012345678901,JT3012345678902", ["JT3012345678901", "JT3012345678902"]),
    ("JT3012345678901、JT3012345678902", ["JT3012345678901", "JT3012345678902"]),
    ("JT3012345678901/JT3012345678902", ["JT3012345678901", "JT3012345678902"]),
    ("JT3012345678901；JT3012345678902", ["JT3012345678901", "JT3012345678902"]),
    ("JT3012345678901\nJT3012345678902", ["JT3012345678901", "JT3012345678902"]),
    ("73012345678901 73012345678902", ["73012345678901", "73012345678902"]),
    ("SF 1234567890123 SF 1234567890124", ["SF1234567890123", "SF1234567890124"]),
    ("73012345678901,73012345678901", ["73012345678901"]),
    ("7301…，暂无", []),
])
def test_numbers(text, expected):
    assert numbers(text) == expected


@pytest.mark.parametrize("text,reason", [
    ("快递单号", "not_a_number"), ("暂无", "not_a_number"), ("-", "not_a_number"), ("无", "not_a_number"),
    ("240101-123456789012345", "order_id"), ("13812345678", "phone_number"), ("138 1234 5678", "phone_number"),
    ("SF12****5678", "masked_number"), ("12345", "too_short"), ("A" * 5 + "1" * 40, "too_long"),
])
def test_rejections(text, reason):
    r = normalize_field(text)
    assert r.numbers == []
    assert r.rejected == [(text.strip(), reason)]


def test_order_id_with_context():
    assert numbers("3912345678901234567") == ["3912345678901234567"]
    r = normalize_field("3912345678901234567", order_ids=["3912345678901234567"])
    assert r.numbers == [] and r.rejected == [("3912345678901234567", "order_id")]


def test_mixed_field_keeps_numbers_and_reports_the_rest():
    r = normalize_field("73012345678901，暂无，13812345678")
    assert [p.number for p in r.numbers] == ["73012345678901"]
    assert r.rejected == [("暂无", "not_a_number"), ("13812345678", "phone_number")]


@pytest.mark.parametrize("text,number,pieces", [
    ("JDVA12345678901-1-2-", "JDVA12345678901", ["-1-2"]),
    ("JDVA12345678901-1-2", "JDVA12345678901", ["-1-2"]),
    ("DPK123456789012-1", "DPK123456789012", ["-1"]),
    ("JDVA12345678901-1-2,JDVA12345678901-2-2", "JDVA12345678901", ["-1-2", "-2-2"]),
    ("母单SF1234567890123 子单SF1234567890124", "SF1234567890123", ["SF1234567890124"]),
    ("母单号：SF1234567890123，子单号：SF1234567890124、SF1234567890125", "SF1234567890123",
     ["SF1234567890124", "SF1234567890125"]),
])
def test_pieces_belong_to_one_main_number(text, number, pieces):
    r = normalize_field(text)
    assert len(r.numbers) == 1
    assert r.numbers[0].number == number
    assert r.numbers[0].pieces == pieces


def test_raw_is_the_chunk_as_shown():
    r = normalize_field("中通快递 7301 2345 6789 01， JT3012345678901")
    assert [p.raw for p in r.numbers] == ["中通快递 7301 2345 6789 01", "JT3012345678901"]


def test_never_invents_characters():
    # every output character comes from the (folded) input
    for text in ["中通73012345678901", "ＳＦ１２３４５６７８９０１２３", "JDVA12345678901-1-2"]:
        folded = fullwidth(text).upper()
        for p in normalize_field(text).numbers:
            assert all(ch in text.upper() or ch in folded or chr(ord(ch) + 0xFEE0) in text for ch in p.number)


def test_normalize_number_and_empty():
    assert normalize_number("中通 73012345678901") == "73012345678901"
    assert normalize_number("暂无") is None
    assert normalize_field(None).numbers == [] and normalize_field("").rejected == []


PIECES = ["", "-1", "-1-2", "-2-3-"]
WORDS = ["", "中通", "顺丰快递", "运单号：", "ZTO ", "暂无", "快递单号", "子单", "母单"]
SEPS = [",", "，", "、", "/", ";", "\n", " ", "  ", "-", "：", "\u3000"]
alphabet = st.sampled_from(list("0123456789SFJTYDPKRCNZ") + ["０", "Ｓ", "ｆ", "*", "-", " ", "中", "通"])
fragment = st.one_of(
    st.text(alphabet, min_size=0, max_size=24),
    st.builds(lambda w, n, p: w + n + p, st.sampled_from(WORDS), st.text("0123456789", min_size=8, max_size=20),
              st.sampled_from(PIECES)),
    st.builds(lambda pre, n: pre + n, st.sampled_from(["SF", "JT", "YT", "JDV", "DPK", "sf", "ＳＦ"]),
              st.text("0123456789", min_size=11, max_size=16)),
)
field_text = st.builds(lambda parts, seps: "".join(p + s for p, s in zip(parts, seps)),
                       st.lists(fragment, min_size=1, max_size=4), st.lists(st.sampled_from(SEPS), min_size=4, max_size=4))


@settings(max_examples=400)
@given(field_text)
def test_idempotent(text):
    first = normalize_field(text)
    again = normalize_field(first.text)
    assert [(p.number, p.pieces) for p in again.numbers] == [(p.number, p.pieces) for p in first.numbers]
    assert again.rejected == []
    assert again.text == first.text


@given(st.text(max_size=40))
def test_never_crashes_on_any_text(text):
    r = normalize_field(text)
    for p in r.numbers:
        assert p.number.isascii() and p.number.isalnum() and p.number == p.number.upper()
        assert 8 <= len(p.number) <= 34


@pytest.mark.parametrize("text,expected", [
    # letters a format starts with are part of the number: a broken SF number stays broken
    ("SF123456789012", "SF123456789012"), ("SF 123456789012", "SF123456789012"),
    ("JD73012345678901", "JD73012345678901"), ("YT 73012345678901", "YT73012345678901"),
    # courier words are dropped
    ("EMS 1123456789012", "1123456789012"), ("EMS1123456789012", "1123456789012"),
    ("运单 NO 73012345678901", "73012345678901"),
])
def test_number_prefix_letters_are_never_dropped(text, expected):
    assert numbers(text) == [expected]


def test_courier_names_written_with_symbols_are_not_part_of_the_number():
    from helper.convert import normalize_field as nf

    for text in ("J&T JT2721047157140", "J&T Express: JT2721047157140", "j&t JT2721047157140"):
        assert [p.number for p in nf(text).numbers] == ["JT2721047157140"], text


# --- issue #9: never a new number ---
import re as _re  # noqa: E402
import unicodedata as _ud  # noqa: E402


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@settings(max_examples=600)
@given(st.one_of(field_text, st.text(max_size=40),
                 st.builds(lambda n, z: n + "." + z, st.text("0123456789", min_size=8, max_size=20),
                           st.sampled_from(["0", "00", "5", "01"]))))
def test_no_transformation_makes_digits_that_were_not_there_in_order(text):
    digits_in = "".join(_re.findall(r"\d", _ud.normalize("NFKC", text)))
    for p in normalize_field(text).numbers:
        assert _is_subsequence("".join(_re.findall(r"\d", p.number)), digits_in), (text, p.number)


@pytest.mark.parametrize("text,expected", [
    ("73012345678903.0", ["73012345678903"]), ("73012345678903.00", ["73012345678903"]),
    ("中通 73012345678903.0", ["73012345678903"]),
])
def test_excel_float_suffix_is_dropped_only_from_digits(text, expected):
    assert numbers(text) == expected


@pytest.mark.parametrize("text", ["7.3012345678901E+13", "7.3012345678901e13", "7.30123E+13"])
def test_scientific_notation_is_rejected_with_its_own_reason(text):
    r = normalize_field(text)
    assert r.numbers == [] and r.rejected == [(text, "sci_notation")]
