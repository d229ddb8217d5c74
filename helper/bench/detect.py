"""`detect`: Danhao's engine beside the `tracking-numbers` anchor on the same corpus."""
from __future__ import annotations

import time

from helper.convert import detect as danhao_detect

from . import corpus

CONFIDENT = 0.9


def _anchor():
    try:
        from tracking_numbers import get_tracking_number
    except ImportError:   # the `bench` extra is not installed
        return None
    return get_tracking_number


def run(size: int = corpus.DEFAULT_SIZE, seed: int = corpus.DEFAULT_SEED, rounds: int = 3) -> dict:
    items = corpus.build(size, seed)
    pairs = [(it.raw, it.courier_text) for it in items]
    randoms = corpus.random_numbers(size, seed)

    def danhao_pass():
        for raw, text in pairs:
            danhao_detect(raw, text)

    best = min(_timed(danhao_pass) for _ in range(rounds))
    result = {"per_s": round(len(pairs) / best), "corpus_size": len(pairs)}
    confident = sum(1 for n in randoms if any(c.confidence >= CONFIDENT for c in danhao_detect(n).candidates))
    result["false_confident_rate"] = round(confident / len(randoms), 5)

    anchor = _anchor()
    if anchor is None:
        result.update(anchor_per_s=None, speedup=None, anchor_false_valid_rate=None,
                      note="pip install '.[bench]' for the tracking-numbers anchor")
        return result
    raws = [raw for raw, _ in pairs]

    def anchor_pass():
        for raw in raws:
            anchor(raw)   # documented API: a valid TrackingNumber or None

    anchor_best = min(_timed(anchor_pass) for _ in range(rounds))
    result["anchor_per_s"] = round(len(raws) / anchor_best)
    result["speedup"] = round(anchor_best / best, 2)
    result["anchor_false_valid_rate"] = round(sum(1 for n in randoms if anchor(n) is not None) / len(randoms), 5)
    return result


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t
