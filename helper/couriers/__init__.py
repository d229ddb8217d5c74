"""Canonical couriers: loaded once from ``couriers.json`` (data, not code).

Everything the conversion engine knows about a courier lives in the data file: names,
aliases seen on supplier pages, number patterns, check-digit rule, per-platform codes.
This module only loads it, precompiles the patterns and builds the indexes that keep
``helper.convert.detect`` fast (patterns bucketed by number length and literal prefix).

Public lookups: :func:`get`, :func:`all_couriers`, :func:`by_alias`, :func:`platform_code`,
:data:`PLATFORM_OF_SITE`.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

try:  # private but stable since 3.11; only used to index patterns, with a safe fallback
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre_parse  # type: ignore[no-redef]

DATA_FILE = Path(__file__).with_name("couriers.json")

_ASCII_WORD = re.compile(r"[A-Z0-9]")


@dataclass(frozen=True)
class Pattern:
    """One number format of a courier."""

    courier: str
    regex: str
    distinct: bool          # letter-prefixed form no other courier uses
    weight: float           # how typical a numeric form is (ranks colliding numeric forms)
    check: str | None       # check-digit rule name (helper.convert.validate.CHECKS)
    note: str
    compiled: re.Pattern = field(compare=False, repr=False)
    prefix: str = ""        # literal prefix every match starts with ("" when none)
    min_len: int = 0
    max_len: int = 0


@dataclass(frozen=True)
class Courier:
    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    check_digit: str | None
    codes: dict
    url: str
    needs_phone: bool
    freight: bool
    successor: str | None
    region: str
    format_of: str | None   # uses another courier's number format (only when the text names it)
    format_note: str | None
    shape: "Shape | None" = None   # plausible charset + length range (evidence, not validity)

    def code(self, platform: str) -> str | None:
        return self.codes.get(platform)

    def tracking_url(self, number: str) -> str:
        return self.url.format(number=number, kuaidi100=self.codes.get("kuaidi100") or "")


@dataclass(frozen=True)
class Shape:
    """The charset and length range a number of a courier plausibly has (``couriers.json``
    ``shape``): ``{"charset": "digits"|"alnum", "min_len": int, "max_len": int}``."""

    charset: str
    min_len: int
    max_len: int

    def fits(self, number: str) -> bool:
        if not self.min_len <= len(number) <= self.max_len:
            return False
        return number.isdigit() if self.charset == "digits" else number.isalnum()


def fold(text: str) -> str:
    """Fold a courier label for comparison: NFKC, upper case, single spaces, and no spaces
    next to Chinese characters ("中通 快递" == "中通快递", "J&T  Express" == "J&T EXPRESS")."""
    t = unicodedata.normalize("NFKC", text or "").upper().strip()
    t = re.sub(r"\s+", " ", t)
    t = re.sub(r"\s*([^\x00-\x7f])\s*", r"\1", t)
    return t


def _literal_prefix_and_width(regex: str) -> tuple[str, int, int]:
    """Literal prefix and length range of a full-match regex, for the speed index."""
    try:
        parsed = _sre_parse.parse(regex)
        lo, hi = parsed.getwidth()
        prefix = []
        for op, arg in parsed:
            name = str(op)
            if name == "AT":  # ^
                continue
            if name == "LITERAL":
                prefix.append(chr(arg))
                continue
            break
        return "".join(prefix), int(lo), int(min(hi, 10_000))
    except Exception:  # pragma: no cover - index degrades to "try every pattern"
        return "", 0, 10_000


_DISPATCH_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _first_chars(regex: str) -> frozenset[str] | None:
    """Characters a match of ``regex`` can start with, or None when that is not simple to tell
    (then the pattern is tried for every first character: the index only ever narrows what a
    regex could match anyway)."""
    try:
        parsed = list(_sre_parse.parse(regex))
    except Exception:  # pragma: no cover
        return None
    return _starts_of([x for x in parsed if str(x[0]) != "AT"])


def _starts_of(items) -> frozenset[str] | None:
    if not items:
        return None
    op, arg = items[0]
    name = str(op)
    if name == "LITERAL":
        return frozenset(chr(arg))
    if name == "IN":
        out = set()
        for sub_op, sub_arg in arg:
            sub = str(sub_op)
            if sub == "LITERAL":
                out.add(chr(sub_arg))
            elif sub == "RANGE":
                out.update(chr(c) for c in range(sub_arg[0], sub_arg[1] + 1))
            elif sub == "CATEGORY" and str(sub_arg) == "CATEGORY_DIGIT":
                out.update("0123456789")   # \d also matches other digits; numbers are ASCII here
            else:
                return None
        return frozenset(out)
    if name in ("MAX_REPEAT", "MIN_REPEAT"):          # x{2}, \d{10,11}: starts like x (if x must occur)
        lo, _hi, sub = arg
        return _starts_of(list(sub)) if lo >= 1 else None
    if name == "SUBPATTERN":                          # (?:…) or (…)
        return _starts_of(list(arg[-1]))
    if name == "BRANCH":                              # a|b: either's first characters
        out = set()
        for alt in arg[1]:
            first = _starts_of(list(alt))
            if first is None:
                return None
            out |= first
        return frozenset(out)
    return None


class _Registry:
    def __init__(self, doc: dict):
        self.doc = doc
        self.platforms: tuple[str, ...] = tuple(doc["platforms"])
        self.platform_of_site: dict[str, str] = dict(doc["platform_of_site"])
        self.not_couriers = {fold(t) for t in doc.get("not_couriers", [])}
        self.couriers: dict[str, Courier] = {}
        for raw in doc["couriers"]:
            pats = []
            for p in raw["patterns"]:
                prefix, lo, hi = _literal_prefix_and_width(p["regex"])
                pats.append(Pattern(courier=raw["id"], regex=p["regex"], distinct=bool(p["distinct"]),
                                    weight=float(p["weight"]), check=p.get("check"), note=p.get("note", ""),
                                    compiled=re.compile(p["regex"]), prefix=prefix, min_len=lo, max_len=hi))
            names = [raw["name_zh"], raw["name_en"], *raw["aliases"]]
            aliases = tuple(dict.fromkeys(fold(a) for a in names if a))
            self.couriers[raw["id"]] = Courier(
                id=raw["id"], name_zh=raw["name_zh"], name_en=raw["name_en"], aliases=aliases,
                patterns=tuple(pats), check_digit=raw.get("check_digit"), codes=dict(raw["codes"]),
                url=raw["url"], needs_phone=bool(raw["needs_phone"]), freight=bool(raw["freight"]),
                successor=raw.get("successor"), region=raw.get("region", "cn"),
                format_of=raw.get("format_of"), format_note=raw.get("format_note"),
                shape=Shape(**raw["shape"]) if raw.get("shape") else None)
        # alias → courier ids (an alias may be shared on purpose: 中国邮政 → ems, chinapost)
        self.alias_index: dict[str, tuple[str, ...]] = {}
        for c in self.couriers.values():
            for a in c.aliases:
                self.alias_index[a] = self.alias_index.get(a, ()) + (c.id,)
        for t in self.not_couriers:
            self.alias_index.setdefault(t, ())
        self.aliases_longest_first = sorted(self.alias_index, key=len, reverse=True)
        self.platform_aliases = {p: {fold(k): v for k, v in m.items()}
                                 for p, m in doc.get("platform_aliases", {}).items()}
        # speed index: length → patterns that can match that length (candidate generation only;
        # format_of couriers are considered separately, when the courier text names them)
        self.by_length: dict[int, tuple[Pattern, ...]] = {}
        all_pats = [p for c in self.couriers.values() for p in c.patterns]
        max_len = max(p.max_len for p in all_pats)
        for n in range(1, max_len + 1):
            self.by_length[n] = tuple(p for p in all_pats if p.min_len <= n <= p.max_len)
        # dispatch on (length, first character) before any regex runs
        firsts = {id(p): _first_chars(p.regex) for p in all_pats}
        self.by_key: dict[tuple[int, str], tuple[Pattern, ...]] = {}
        # the same buckets grouped by regex text: ^\d{12}$ is tried once for 顺丰/中通/申通/FedEx
        self.groups_by_key: dict[tuple[int, str], tuple[tuple[re.Pattern, tuple[Pattern, ...]], ...]] = {}
        self.any_by_key: dict[tuple[int, str], object] = {}
        for n, pats in self.by_length.items():
            for ch in _DISPATCH_CHARS:
                bucket = tuple(p for p in pats if firsts[id(p)] is None or ch in firsts[id(p)])
                self.by_key[(n, ch)] = bucket
                grouped: dict[str, list[Pattern]] = {}
                for p in bucket:
                    grouped.setdefault(p.regex, []).append(p)
                self.groups_by_key[(n, ch)] = tuple((ps[0].compiled, tuple(ps)) for ps in grouped.values())
                # one alternation of the bucket's regexes (each anchored by itself): "does any
                # format fit?" in a single regex call
                self.any_by_key[(n, ch)] = (re.compile("|".join(f"(?:{r})" for r in grouped)).match
                                            if grouped else None)
        self.number_prefixes = frozenset(p.prefix for p in all_pats if p.prefix)


_REGISTRY: _Registry | None = None


def _registry() -> _Registry:
    global _REGISTRY
    if _REGISTRY is None:
        with DATA_FILE.open(encoding="utf-8") as fh:
            _REGISTRY = _Registry(json.load(fh))
    return _REGISTRY


def get(courier_id: str) -> Courier:
    """The courier with this canonical id; KeyError when unknown."""
    return _registry().couriers[courier_id]


def exists(courier_id: str) -> bool:
    return courier_id in _registry().couriers


def all_couriers() -> list[Courier]:
    return list(_registry().couriers.values())


def platforms() -> tuple[str, ...]:
    return _registry().platforms


def patterns_for_length(n: int) -> tuple[Pattern, ...]:
    return _registry().by_length.get(n, ())


def patterns_for(number: str) -> tuple[Pattern, ...]:
    """Patterns that can match ``number``: looked up by (length, first character), so a
    number meets only the few regexes of its own bucket."""
    if not number:
        return ()
    return _registry().by_key.get((len(number), number[0]), ())


def pattern_groups_for(number: str) -> tuple[tuple[re.Pattern, tuple[Pattern, ...]], ...]:
    """``patterns_for`` grouped by regex: (compiled regex, the patterns that share it)."""
    if not number:
        return ()
    return _registry().groups_by_key.get((len(number), number[0]), ())


def pattern_buckets() -> dict[tuple[int, str], tuple[tuple[re.Pattern, tuple[Pattern, ...]], ...]]:
    """The whole (length, first character) → ``pattern_groups_for`` table (for engines that
    build their own dispatch from it once)."""
    return _registry().groups_by_key


def matches_any(number: str) -> bool:
    """True when the normalized number fits at least one courier format (used by normalize)."""
    if not number:
        return False
    match = (_REGISTRY or _registry()).any_by_key.get((len(number), number[0]))
    return match is not None and match(number) is not None


def is_number_prefix(letters: str) -> bool:
    """Letters that begin a known number format (SF, YT, JD/JDV, DPK, LP…): part of the
    number, never a courier word to drop (SF + 12 digits is a broken SF number, not a
    12-digit one)."""
    return any(p == letters or p.startswith(letters) for p in _registry().number_prefixes)


def _alias_hit(text: str, alias: str) -> bool:
    """Alias occurs in text; ASCII aliases only as whole words (``JD`` must not hit ``JDL`` or
    a number, ``SF`` must not hit ``SFX``)."""
    start = text.find(alias)
    while start != -1:
        end = start + len(alias)
        if not _ASCII_WORD.match(alias[0]) or start == 0 or not _ASCII_WORD.match(text[start - 1]):
            if not _ASCII_WORD.match(alias[-1]) or end == len(text) or not _ASCII_WORD.match(text[end]):
                return True
        start = text.find(alias, start + 1)
    return False


@lru_cache(maxsize=4096)
def _by_alias_ids(folded: str) -> tuple[str, ...]:
    reg = _registry()
    if not folded:
        return ()
    if folded in reg.alias_index:
        return reg.alias_index[folded]
    best_len = 0
    hits: list[str] = []
    for alias in reg.aliases_longest_first:
        if len(alias) < best_len:
            break
        if _alias_hit(folded, alias):
            best_len = len(alias)
            hits.extend(i for i in reg.alias_index[alias] if i not in hits)
    return tuple(hits)


def by_alias(text: str | None) -> list[Courier]:
    """Couriers named by a free courier text (supplier page, form option).

    The longest alias found wins, so 中通快运 resolves to the freight brand, never to 中通;
    an alias shared on purpose (中国邮政) or two names of the same length give several
    candidates; an unknown text, or a known non-courier (菜鸟裹裹), gives []."""
    reg = _registry()
    return [reg.couriers[i] for i in _alias_ids_of_text(text or "")]


@lru_cache(maxsize=4096)
def _alias_ids_of_text(text: str) -> tuple[str, ...]:
    # supplier pages repeat the same few courier texts: skip folding them again
    return _by_alias_ids(fold(text))


def alias_ids(text: str | None) -> tuple[str, ...]:
    """The ids of :func:`by_alias` (same rules), without building the list."""
    return _alias_ids_of_text(text or "")


def shapes() -> dict[str, Shape]:
    """Courier id → its plausible shape, for the couriers that have one."""
    return {c.id: c.shape for c in _registry().couriers.values() if c.shape is not None}


def alias_owners(label: str) -> tuple[str, ...]:
    """Courier ids that have exactly this (folded) label as an alias."""
    return _registry().alias_index.get(fold(label), ())


_DECORATION = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")


def strip_decorations(label: str) -> str:
    """A form label without its decorations: ``顺丰速运(常用)`` → ``顺丰速运``,
    ``中通快递（ZTO）`` → ``中通快递``, ``【推荐】圆通速递`` → ``圆通速递``."""
    return _DECORATION.sub("", label or "").strip()


@lru_cache(maxsize=8192)
def resolve_label(label: str, platform: str | None = None) -> str | None:
    """The one courier a live form's option label stands for, or None ("unknown").

    Rules (a label that merely *contains* a courier's short name is not that courier:
    顺丰国际 is not 顺丰速运, 京东酒世界 is not 京东):
    1. the platform's own reading of the label (WeChat: 中国邮政 = EMS);
    2. the whole folded label is an alias of exactly one courier;
    3. decorations stripped (``(常用)``, ``（ZTO）``, ``【推荐】``), the rest is an alias of
       exactly one courier, and the bracketed part, if it names a courier at all, names the
       same one or its successor/predecessor (``极兔速递(原百世快递)`` → 极兔);
    4. anything else → None (several owners, or none)."""
    reg = _registry()
    if platform and (own := platform_alias(platform, label)):
        return own
    folded = fold(label)
    owners = reg.alias_index.get(folded)
    if owners is not None:
        return owners[0] if len(owners) == 1 else None
    core = fold(strip_decorations(label))
    owners = reg.alias_index.get(core, ())
    if len(owners) != 1:
        return None
    cid = owners[0]
    for inner in re.findall(r"[(（\[【<《]([^)）\]】>》]*)[)）\]】>》]", label):
        named = reg.alias_index.get(fold(re.sub(r"^原", "", inner.strip())), ())
        if named and not set(named) <= _family(cid):
            return None
    return cid


def _family(cid: str) -> set[str]:
    reg = _registry()
    c = reg.couriers[cid]
    fam = {cid}
    if c.successor:
        fam.add(c.successor)
    fam.update(o.id for o in reg.couriers.values() if o.successor == cid)
    return fam


def platform_alias(platform: str, label: str) -> str | None:
    """A platform's own reading of an ambiguous label (WeChat: 中国邮政 = EMS)."""
    return _registry().platform_aliases.get(platform, {}).get(fold(label))


def platform_code(courier_id: str, platform: str) -> str | None:
    """The platform's code for the courier, or None when no citable code is known."""
    c = _registry().couriers.get(courier_id)
    return c.codes.get(platform) if c else None


def platform_of(site: str | None) -> str | None:
    """Platform key for a site id (``pdd-seller`` → ``pdd``); a platform key passes through."""
    if not site:
        return None
    reg = _registry()
    if site in reg.platform_of_site:
        return reg.platform_of_site[site]
    return site if site in reg.platforms else None


# seller site id → platform key for courier codes (docs/internals.md); loaded with the data
PLATFORM_OF_SITE: dict[str, str] = dict(_registry().platform_of_site)

__all__ = ["Courier", "Pattern", "get", "exists", "all_couriers", "by_alias", "platform_code",
           "platform_of", "platform_alias", "alias_owners", "alias_ids", "pattern_buckets", "shapes", "resolve_label", "strip_decorations", "patterns_for", "pattern_groups_for", "Shape", "platforms", "PLATFORM_OF_SITE", "fold", "matches_any", "is_number_prefix",
           "patterns_for_length"]
