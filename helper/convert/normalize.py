"""Normalize a tracking-number field as a supplier page shows it.

A field may read "中通快递 7301 2345 6789 01", "ＳＦ１３８５…", "JT30…，JT30…", "JDVA…-1-2-",
"母单SF…子单SF…" or "暂无". This module turns it into main numbers (with their piece /
sub-waybill suffixes) and says why the rest was rejected. It never makes a number up: the
output characters are always the input's own (folded) characters.

Rules, in order:
1. split into chunks on , ， 、 / ; ； | and new lines (several numbers = several shipments);
   a chunk may split further on 子单 (sub-waybills belong to the main number before them);
2. per chunk: NFKC (full-width → ASCII), upper case, everything but letters/digits/dashes
   becomes a space (courier words glued to the number go away);
3. a token like ``JDVA12345678901-1-2-`` keeps ``-1-2`` as a piece; other dashes are grouping;
4. tokens that are all long (≥ 10) are separate numbers; short tokens ("7301 2345 …") join;
   a letter-only token stays only when it is part of a known format ("SF 1385…", "RR … CN");
   a courier word glued in ASCII ("ZTO7301…") is dropped when the rest fits a known format;
5. reject what is not a number: empty / labels (快递单号, 暂无, -), a PDD order id, a phone
   number, a masked number, too short / long, a number equal to one of the given order ids;
6. spreadsheet damage: a chunk that is digits + ``.0`` (Excel turned the number into a
   float) loses the ``.0`` only when what remains is all digits; a chunk in scientific
   notation (``7.3012345678901E+13``) is rejected as ``sci_notation``: its digits are lost
   and must never be rebuilt.

Every number returned is made of the chunk's own characters, in order: its digits are a
subsequence of the input's (NFKC-folded) digits (a hypothesis property in the tests).

``normalize_field`` is idempotent over its canonical text (``FieldResult.text``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from helper import couriers

_SPLIT = re.compile(r"[,，、/／;；|｜\n\r]+")
_CHILD = re.compile(r"子单号?|子件")
_MOTHER = re.compile(r"母单号?|母件")
_NOT_TOKEN = re.compile(r"[^A-Z0-9\-*]+")
_PIECE = re.compile(r"^([A-Z0-9]{8,})((?:-\d{1,3}){1,3})-?$")
_PDD_ORDER = re.compile(r"^\d{6}-\d{15}$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")
_GLUED = re.compile(r"^([A-Z]+)(\d[A-Z0-9]*)$")
_CLEAN = re.compile(r"^[A-Z0-9]{8,34}$")
_EXCEL_FLOAT = re.compile(r"(?<![\d.A-Z])(\d+)\.0+(?![\d.A-Z])")
_SCI = re.compile(r"^[+-]?\d+(?:\.\d+)?E[+-]?\d+$")

MIN_LEN = 8
MAX_LEN = 34   # FedEx 34-digit barcodes, USPS 420 + ZIP9 + 22 digits


@dataclass
class Parsed:
    """One main tracking number found in a field."""

    raw: str                                   # the chunk as the page showed it
    number: str                                # normalized main number
    pieces: list[str] = field(default_factory=list)  # "-1-2" suffixes or sub-waybill numbers

    def text(self, mother: bool = False) -> str:
        """Canonical text of this number with its pieces (re-normalizes to the same result).

        ``mother``: mark it 母单, which ends a run of 子单 chunks before it."""
        head = "母单" if mother else ""
        dash = [p for p in self.pieces if p.startswith("-")]
        child = "".join("子单" + c for c in self.pieces if not p_is_dash(c))
        parts = [head + self.number + p for p in dash]
        if child or not dash:
            parts.append(head + self.number + child)
        return ",".join(parts)


def p_is_dash(piece: str) -> bool:
    return piece.startswith("-")


def _dash_last(piece: str) -> bool:
    return not piece.startswith("-")


@dataclass
class FieldResult:
    numbers: list[Parsed] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)   # (raw chunk, reason code)

    @property
    def text(self) -> str:
        mother = any(not p_is_dash(x) for p in self.numbers for x in p.pieces)
        return ",".join(p.text(mother) for p in self.numbers)


def fold_number(text: str) -> str:
    """NFKC + upper case + only letters/digits (used to compare numbers and order ids)."""
    return re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKC", text or "").upper())


def _split_pieces(token: str) -> tuple[str, list[str]]:
    if "-" not in token:      # a piece suffix starts with a dash
        return token, []
    m = _PIECE.match(token)
    if m:
        return m.group(1), [m.group(2)]
    return token.replace("-", ""), []


def _strip_glued_word(number: str) -> str:
    """ZTO73012345678901 → 73012345678901, only when the letters are a courier word and the
    rest fits a known format (SF1385… keeps its SF: the whole thing fits)."""
    m = _GLUED.match(number)
    if m is None or couriers.matches_any(number):
        return number
    if not couriers.is_number_prefix(m.group(1)) and couriers.by_alias(m.group(1)) \
            and couriers.matches_any(m.group(2)):
        return m.group(2)
    return number


_symbol_words: re.Pattern | None = None
_symbol_chars: frozenset[str] = frozenset()


def _symbol_courier_words() -> re.Pattern:
    """Courier names written with symbols ("J&T", "J&T EXPRESS"): once the symbols became
    spaces their letters would look like the start of a number ("J" + "JT…"), so they go first."""
    global _symbol_words, _symbol_chars
    if _symbol_words is None:
        words = {c.name_en.upper() for c in couriers.all_couriers() if c.name_en}
        for c in couriers.all_couriers():
            words.update(a.upper() for a in c.aliases)
        words = sorted((w for w in words if w.isascii() and re.search(r"[^A-Z0-9 ]", w)), key=len, reverse=True)
        # every such word holds at least one of these symbols: text without any cannot hold a word
        _symbol_chars = frozenset(ch for w in words for ch in re.findall(r"[^A-Z0-9 ]", w))
        _symbol_words = re.compile("|".join(re.escape(w) for w in words) if words else r"(?!x)x")
    return _symbol_words


def _numbers_in_chunk(chunk: str) -> tuple[list[tuple[str, list[str]]], str | None]:
    """Main numbers (with pieces) in one chunk, or a rejection reason."""
    t = unicodedata.normalize("NFKC", chunk).upper()
    if "E" in t and _SCI.match(t.strip()):
        return [], "sci_notation"
    if "." in t:
        t = _EXCEL_FLOAT.sub(r"\1", t)
    symbols = _symbol_words or _symbol_courier_words()
    if not _symbol_chars.isdisjoint(t):
        t = symbols.sub(" ", t)
    t = _NOT_TOKEN.sub(" ", t)
    raw_tokens = t.split()
    if not raw_tokens:
        return [], "not_a_number"
    if len(raw_tokens) == 1 and _PDD_ORDER.match(raw_tokens[0]):
        return [], "order_id"
    if "*" in t:
        return [], "masked_number"
    tokens: list[str] = []
    pieces: list[list[str]] = []
    for tok in raw_tokens:
        main, ps = _split_pieces(tok)
        if main:
            tokens.append(main)
            pieces.append(ps)
    # tokens are ASCII letters and digits here: "holds a digit" is "not only letters"
    digit_idx = [i for i, tok in enumerate(tokens) if not tok.isalpha()]
    if not digit_idx:
        return [], "not_a_number"
    out: list[tuple[str, list[str]]] = []
    if len(digit_idx) > 1 and all(len(tokens[i]) >= 10 for i in digit_idx):
        # several full numbers separated by spaces or words
        for i in digit_idx:
            num = tokens[i]
            if i > 0 and tokens[i - 1].isalpha() and couriers.matches_any(tokens[i - 1] + num):
                num = tokens[i - 1] + num
            if i + 1 < len(tokens) and tokens[i + 1].isalpha() and couriers.matches_any(num + tokens[i + 1]):
                num = num + tokens[i + 1]
            out.append((_strip_glued_word(num), pieces[i]))
        return out, None
    joined = "".join(tokens)
    all_pieces = [p for ps in pieces for p in ps]
    if couriers.matches_any(joined):
        return [(joined, all_pieces)], None      # fits a format: no glued word to strip either
    # drop courier words ("ZTO 7301…"), but never letters a number format starts with
    joined = "".join(tok for i, tok in enumerate(tokens)
                     if i in digit_idx or couriers.is_number_prefix(tok))
    return [(_strip_glued_word(joined), all_pieces)], None


_NO_IDS: frozenset[str] = frozenset()


def _reject_reason(number: str, order_ids: frozenset[str]) -> str | None:
    n = len(number)
    if n < MIN_LEN:
        return "too_short"
    if n > MAX_LEN:
        return "too_long"
    if n == 11 and _PHONE.match(number):     # a phone number has 11 characters
        return "phone_number"
    if order_ids and number in order_ids:
        return "order_id"
    return None


def normalize_field(text: str | None, order_ids: Iterable[str] = ()) -> FieldResult:
    """Parse a tracking field into main numbers and rejected chunks.

    ``order_ids``: the order ids in context (sales and purchase order); a "number" equal to
    one of them is an order id pasted in the wrong field, never a tracking number."""
    result = FieldResult()
    if not text:
        return result
    ids = frozenset(fold_number(o) for o in order_ids if o) if order_ids else _NO_IDS
    # fast path: an already clean number (the common case in detect / the API)
    if not ids and text.isascii() and _CLEAN.match(text):
        reason = _reject_reason(text, ids)
        if reason:
            result.rejected.append((text, reason))
        else:
            result.numbers.append(Parsed(raw=text, number=_strip_glued_word(text)))
        return result
    by_number: dict[str, Parsed] = {}
    child_run = False   # after 子单, further chunks are sub-waybills until a 母单 marker
    for chunk in _SPLIT.split(text):
        if not chunk.strip():
            continue
        if "母" in chunk and _MOTHER.search(chunk):
            child_run = False
        parts = _CHILD.split(chunk) if "子" in chunk else (chunk,)
        for k, part in enumerate(parts):
            if k > 0:
                child_run = True
            raw = part.strip()
            if not raw:
                continue
            is_child = child_run
            found, reason = _numbers_in_chunk(raw)
            if reason:
                if not (is_child and reason == "not_a_number"):
                    result.rejected.append((raw, reason))
                continue
            for number, pieces in found:
                bad = _reject_reason(number, ids)
                if bad:
                    result.rejected.append((raw, bad))
                    continue
                if is_child and result.numbers and number != result.numbers[-1].number:
                    parent = result.numbers[-1]
                    if number not in parent.pieces:
                        parent.pieces.append(number)
                    continue
                if number in by_number:
                    existing = by_number[number]
                    existing.pieces.extend(p for p in pieces if p not in existing.pieces)
                    continue
                p = Parsed(raw=raw, number=number, pieces=list(dict.fromkeys(pieces)))
                by_number[number] = p
                result.numbers.append(p)
    for p in result.numbers:   # canonical order: "-1-2" suffixes first, then sub-waybill numbers
        if len(p.pieces) > 1:
            p.pieces.sort(key=_dash_last)
    return result


def clean_number(text: str) -> str | None:
    """The number when ``text`` is already one clean ASCII number that ``normalize_field``
    would return unchanged (the common case: detect's fast path), else None."""
    if text.isascii() and _CLEAN.match(text) and _reject_reason(text, _NO_IDS) is None:
        return _strip_glued_word(text) if text[0] > "9" else text   # only letters can be a glued word
    return None


def normalize_number(text: str | None) -> str | None:
    """The first main number of a field, or None."""
    r = normalize_field(text)
    return r.numbers[0].number if r.numbers else None


__all__ = ["Parsed", "FieldResult", "normalize_field", "normalize_number", "clean_number", "fold_number", "MIN_LEN", "MAX_LEN"]
