"""Identify the courier of a tracking number: ranked candidates with a confidence.

The number's format is the first evidence, the supplier's courier text the second. Number
formats are public heuristics, so the confidence says how sure the *format* makes us:

- a letter-prefixed ("distinct") format that fits exactly one courier: ≥ 0.95
  (0.98 when it also passes a published check digit);
- pure-numeric formats collide (中通/申通/韵达/邮政/FedEx/DHL…): each fitting courier gets
  0.85 × weight / max(Σ weights, 1), so without a courier text nothing numeric reaches 0.9;
- a FedEx/USPS/DHL numeric form counts only when its check digit passes (else the number
  merely resembles it); a distinct form with a failing check digit stays listed at 0.5,
  invalid;
- the courier text (aliases, longest wins) that names a fitting courier lifts it to ≥ 0.92
  and pushes the others down; text naming a courier whose known format does not fit while
  another courier's does is a *conflict* (the shipment goes to review); text naming a
  courier without a published format (freight brands, 丰网…) gives it 0.7, never more;
- a courier that uses another's format (顺丰快运 uses SF numbers) is only considered when
  the text names it; a successor (百世 → 极兔) fits when the text names the predecessor;
- evidence, not a gate: the courier text names a courier whose known patterns do not fit,
  but the number has that courier's plausible *shape* (charset + length range, data in
  ``couriers.json``) and no other courier's letter-prefixed or check-digit-verified format
  fits → that courier first at ``UNUSUAL`` (0.75), ``unusual=True``: the shipment goes to
  review ("中通单号格式少见：79…，请核对"), never blocked; a weak numeric pattern several
  couriers share never outweighs the supplier's text;
- a numeric form whose check digit passes counts ``CHECKED_BOOST`` times its weight (a
  passing check digit is evidence that a bare length match is not).

Speed: candidate patterns come from a (first character, length) index
(:func:`helper.couriers.pattern_buckets`); the regexes of a bucket run as one regex call
(:class:`_Bucket`), check digits only for the formats that fit, and the ranking is computed
once per combination of evidence (``_DECISIONS``). Nothing is cached by number.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from helper import couriers
from helper.convert.normalize import clean_number, normalize_field
from helper.convert.validate import CHECKS

DISTINCT_SINGLE = 0.95
DISTINCT_CHECKED = 0.98
NUMERIC_CAP = 0.85
HINT_DISTINCT = 0.99
HINT_NUMERIC = 0.92
TEXT_ONLY = 0.7
CHECK_FAILED = 0.5
CONFLICT_CAP = 0.85
UNUSUAL = 0.75
CHECKED_BOOST = 3.0


@dataclass(frozen=True)
class Candidate:
    courier: str
    name: str
    confidence: float

    def to_json(self) -> dict:
        return {"courier": self.courier, "name": self.name, "confidence": self.confidence}


@dataclass
class Detection:
    input: str
    number: str | None
    valid: bool
    candidates: list[Candidate] = field(default_factory=list)
    conflict: bool = False
    hint_courier: str | None = None
    pieces: list[str] = field(default_factory=list)
    reason: str | None = None          # why no number was found (normalize's reason code)
    courier_text: str | None = None
    unusual: bool = False              # plausible shape for the named courier, but no known pattern
    check_failed: bool = False         # the best candidate's format fits but its check digit fails

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def to_json(self, full: bool = False) -> dict:
        """The CLI / API dict: input, number, valid, candidates (best first); ``full`` adds
        conflict, hint_courier, pieces and reason."""
        d = {"input": self.input, "number": self.number, "valid": self.valid,
             "candidates": [c.to_json() for c in self.candidates]}
        if full:
            d.update(conflict=self.conflict, hint_courier=self.hint_courier, pieces=list(self.pieces),
                     reason=self.reason, unusual=self.unusual, check_failed=self.check_failed)
        return d


@dataclass(frozen=True)
class _Fit:
    distinct: bool
    weight: float
    check_ok: bool
    checked: bool      # a published check digit was verified


_BUCKETS: dict[str, tuple] | None = None   # first character → per length: _Bucket or None


class _Bucket:
    """The regexes of one (first character, length) bucket of ``couriers.pattern_buckets``.

    ``probe`` is one regex made of an optional lookahead per distinct regex, each followed by
    an empty group: ``probe(number).groups()`` is ``''`` for every regex that matches and None
    for the others, so a single regex call says which formats fit. That tuple (the same for
    every number that fits the same formats) selects a *plan*: the patterns to weigh, and the
    finished result when none of them has a check digit to verify."""

    __slots__ = ("probe", "groups", "plans")

    def __init__(self, groups):
        # per distinct regex: (courier, distinct, weight, check function or None) per pattern
        self.groups = tuple(tuple((p.courier, p.distinct, p.weight, CHECKS[p.check] if p.check else None)
                                  for p in pats) for _compiled, pats in groups)
        self.probe = re.compile("".join(f"(?:(?={compiled.pattern})())?" for compiled, _ in groups)).match
        self.plans: dict[tuple, tuple] = {}

    def plan(self, signature: tuple) -> tuple:
        """(fit items or None, patterns to weigh) for the regexes that matched."""
        pats = tuple(p for hit, group in zip(signature, self.groups) if hit is not None for p in group)
        plan = (_weigh(pats, "") if all(check is None for *_, check in pats) else None, pats)
        self.plans[signature] = plan
        return plan


def _buckets() -> dict[str, tuple]:
    """The (first character, length) dispatch of ``couriers.pattern_buckets``, built once."""
    global _BUCKETS
    if _BUCKETS is None:
        table = couriers.pattern_buckets()
        longest = max(n for n, _ in table)
        out: dict[str, list] = {}
        for (n, ch), groups in table.items():
            row = out.setdefault(ch, [None] * (longest + 1))
            if groups:
                if any(compiled.groups for compiled, _ in groups):   # pragma: no cover - data guard
                    raise ValueError("courier patterns must not capture groups")
                row[n] = _Bucket(groups)
        _BUCKETS = {ch: tuple(row) for ch, row in out.items()}
    return _BUCKETS


def _weigh(pats: tuple, number: str) -> tuple:
    """Fit items of the patterns whose regex matched: ((courier, (check_ok, distinct, weight,
    checked)), …) in pattern order; a courier fitting several patterns keeps the best by
    (check_ok, distinct, weight)."""
    found = None
    for courier, distinct, weight, check in pats:
        if check is None:
            fit = (True, distinct, weight, False)
        elif check(number):
            fit = (True, distinct, weight, True)
        elif distinct:
            fit = (False, distinct, weight, False)
        else:
            continue   # a numeric form with a failing check digit only resembles the courier
        if found is None:
            found = {courier: fit}
        else:
            prev = found.get(courier)
            if prev is None or fit[:3] > prev[:3]:
                found[courier] = fit
    return tuple(found.items()) if found else ()


def _fit_items(number: str) -> tuple:
    """Couriers whose format fits the number, as ((courier, (check_ok, distinct, weight,
    checked)), …): only the regexes of the number's (first character, length) bucket are
    tried, all in one regex call, and only the check digits of the formats that fit run."""
    row = (_BUCKETS or _buckets()).get(number[:1])
    if row is None or len(number) >= len(row):
        return ()
    bucket = row[len(number)]
    if bucket is None:
        return ()
    signature = bucket.probe(number).groups()
    plan = bucket.plans.get(signature) or bucket.plan(signature)
    return plan[0] if plan[0] is not None else _weigh(plan[1], number)


def _fits(number: str) -> dict[str, _Fit]:
    """Couriers whose format fits the number (see :func:`_fit_items`)."""
    return {c: _Fit(distinct, weight, ok, checked) for c, (ok, distinct, weight, checked) in _fit_items(number)}


def _format_scores(fits: dict[str, _Fit]) -> dict[str, float]:
    """Confidence from the format alone (no courier text)."""
    good = {c: f for c, f in fits.items() if f.check_ok}
    scores: dict[str, float] = {}
    distinct = [c for c, f in good.items() if f.distinct]
    numeric = {c: f for c, f in good.items() if not f.distinct}
    if len(distinct) == 1:
        c = distinct[0]
        scores[c] = DISTINCT_CHECKED if good[c].checked else DISTINCT_SINGLE
    else:
        for c in distinct:
            scores[c] = NUMERIC_CAP / len(distinct)
    if numeric:
        weight = {c: f.weight * (CHECKED_BOOST if f.checked else 1.0) for c, f in numeric.items()}
        total = max(sum(weight.values()), 1.0)
        scale = 0.5 if distinct else 1.0
        for c in numeric:
            scores[c] = NUMERIC_CAP * weight[c] / total * scale
    for c, f in fits.items():
        if not f.check_ok:
            scores[c] = CHECK_FAILED
    return scores


def _hint_fit(cid: str, fits: dict[str, _Fit], number: str) -> _Fit | None:
    c = couriers.get(cid)
    if cid in fits:
        return fits[cid]
    if c.format_of:
        return fits.get(c.format_of)
    return None


def _has_format(cid: str) -> bool:
    c = couriers.get(cid)
    return bool(c.patterns or c.format_of)


_SHAPES: dict[str, tuple[int, int, bool]] | None = None   # courier → (min_len, max_len, digits only)


def _plausible(hint_ids, number: str) -> str | None:
    """The one named courier whose plausible shape the number has (None if none or several)."""
    global _SHAPES
    if _SHAPES is None:
        _SHAPES = {cid: (sh.min_len, sh.max_len, sh.charset == "digits") for cid, sh in couriers.shapes().items()}
    n = len(number)
    hit = None
    for h in hint_ids:
        sh = _SHAPES.get(h)
        if sh is not None and sh[0] <= n <= sh[1] and (number.isdigit() if sh[2] else number.isalnum()):
            if hit is not None:
                return None
            hit = h
    return hit


def _strong_other(fits: dict[str, _Fit], cid: str) -> bool:
    """Real evidence against the supplier's text (a conflict, not an unusual number): another
    courier's letter-prefixed or check-digit-verified format fits, or exactly one other
    courier's typical numeric form (weight ≥ 0.5) does. Weak numeric forms that several
    couriers share (old 12/13-digit numbers) are no such evidence."""
    others = {c: f for c, f in fits.items() if c != cid and f.check_ok}
    if any(f.distinct or f.checked for f in others.values()):
        return True
    return len(others) == 1 and next(iter(others.values())).weight >= 0.5


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


_DECISIONS: dict[tuple, tuple] = {}   # (fits, hint ids, plausible) → decision: bounded memo
_DECISIONS_MAX = 50_000


_alias_ids = couriers.alias_ids


def _hint_ids(courier_text: str | None) -> tuple[str, ...]:
    return couriers.alias_ids(courier_text) if courier_text else ()


def detect(raw: str, courier_text: str | None = None) -> Detection:
    """Normalize ``raw`` (first number of the field) and rank the couriers it may belong to.

    ``courier_text``: what the supplier page says about the courier (evidence, not truth).
    Without it, Chinese courier words written into the field itself ("中通 7301…") are that
    evidence: sellers paste such fields as they are.

    The ranking depends only on which formats fit (with their check-digit results), the
    couriers the text names and whether the number has the named courier's plausible shape,
    so that decision is computed once per such combination and reused (the number itself is
    never part of what is reused)."""
    number = clean_number(raw) if raw else None
    pieces: list[str] = []
    reason = None
    if number is None:
        parsed = normalize_field(raw)
        if parsed.numbers:
            first = parsed.numbers[0]
            number = first.number
            pieces = list(first.pieces)
        else:
            reason = parsed.rejected[0][1] if parsed.rejected else "empty"
        if not courier_text and raw and not raw.isascii():
            embedded = "".join(_CJK_RUN.findall(raw))
            if embedded and _alias_ids(embedded):
                courier_text = embedded
    hint_ids = _alias_ids(courier_text) if courier_text else ()
    hint = hint_ids[0] if hint_ids else None
    if number is None:
        return Detection(raw, None, False, [], False, hint, pieces, reason, courier_text, False, False)
    fits = _fit_items(number)
    plausible = _plausible(hint_ids, number) if hint_ids else None
    key = (fits, hint_ids, plausible)
    decision = _DECISIONS.get(key)
    if decision is None:
        decision = _decide({c: _Fit(d, w, ok, chk) for c, (ok, d, w, chk) in fits}, list(hint_ids), plausible)
        if len(_DECISIONS) >= _DECISIONS_MAX:
            _DECISIONS.clear()
        _DECISIONS[key] = decision
    candidates, valid, conflict, unusual, check_failed = decision
    return Detection(raw, number, valid, list(candidates), conflict, hint, pieces, None, courier_text,
                     unusual, check_failed)


def _decide(fits: dict[str, _Fit], hint_ids: list[str], plausible: str | None) -> tuple:
    """(candidates, valid, conflict, unusual, check_failed) from the evidence (module doc)."""
    scores = _format_scores(fits)
    conflict = unusual = check_failed = False
    valid = False
    if hint_ids:
        # successors (百世 → 极兔) count as named, but never create a conflict
        named = list(hint_ids)
        for h in hint_ids:
            succ = couriers.get(h).successor
            if succ and succ not in named:
                named.append(succ)
        hint_fits = {h: f for h in named if (f := _hint_fit(h, fits, "")) is not None and f.check_ok}
        if hint_fits:
            if len(hint_fits) == 1:
                (h, f), = hint_fits.items()
                lifted = {h: HINT_DISTINCT if f.distinct else min(HINT_NUMERIC + 0.05 * f.weight, 0.97)}
            else:
                total = max(sum(f.weight for f in hint_fits.values()), 1.0)
                lifted = {h: NUMERIC_CAP * f.weight / total for h, f in hint_fits.items()}
            scores = {c: s * 0.3 for c, s in scores.items() if c not in lifted}
            scores.update(lifted)
            for h in hint_ids:
                scores.setdefault(h, 0.3)
        else:
            text_only = [h for h in hint_ids if not _has_format(h)]
            if text_only:
                scores = {c: s * 0.6 for c, s in scores.items()}
                for h in text_only:
                    scores[h] = TEXT_ONLY / len(text_only)
            elif plausible and not _strong_other(fits, plausible):
                unusual = True
                scores = {c: s * 0.3 for c, s in scores.items() if c != plausible}
                scores[plausible] = UNUSUAL
                for h in hint_ids:
                    scores.setdefault(h, 0.3)
            else:
                has_good = any(f.check_ok for f in fits.values())
                conflict = has_good
                scores = {c: min(s, CONFLICT_CAP) for c, s in scores.items()}
                for h in hint_ids:
                    scores.setdefault(h, 0.2 if has_good else 0.3)

    order = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    candidates = tuple(Candidate(c, couriers.get(c).name_zh, round(s, 3)) for c, s in order)
    if candidates:
        best = candidates[0].courier
        fit = _hint_fit(best, fits, "")
        if unusual and best in hint_ids:
            valid = True          # plausible, to be checked by a person (review)
        elif fit is not None:
            valid = fit.check_ok
            check_failed = not fit.check_ok
        else:
            # a courier named by text whose number format is not published: nothing to fail
            valid = not _has_format(best)
    return candidates, valid, conflict, unusual, check_failed


__all__ = ["Candidate", "Detection", "detect"]
