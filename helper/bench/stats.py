"""Small statistics helpers shared by the sections."""
from __future__ import annotations

import math
import statistics


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100): with few samples p99 is the slowest one."""
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def median(values):
    return statistics.median(values)
