"""Per-provider rate limit and daily quota, enforced locally before any call.

Providers punish bursts (Kuaidi100 and 17TRACK allow about 3 requests a second) and count
calls per day (Kdniao's basic plan: 500 instant queries). Refusing locally is cheaper than
being refused: a spent quota raises ``no_quota`` without touching the network. The clock
and sleep are injectable so tests are instant.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable

from .errors import ProviderError

CN_TZ = timezone(timedelta(hours=8))

# requests per second; burst = one second's worth
DEFAULT_RATES = {"kuaidi100": 3.0, "kdniao": 5.0, "17track": 3.0}
# calls per China calendar day; None = no local quota
DEFAULT_QUOTAS: dict[str, int | None] = {"kuaidi100": None, "kdniao": 500, "17track": None}


class TokenBucket:
    """Classic token bucket. ``acquire`` waits (via ``sleep``) for a token, but refuses
    with ``too_frequent`` rather than wait longer than ``max_wait`` seconds."""

    def __init__(self, provider: str, rate: float, burst: float | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, max_wait: float = 10.0):
        self.provider = provider
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate)
        self.tokens = self.capacity
        self.clock = clock
        self.sleep = sleep
        self.max_wait = max_wait
        self.updated = clock()
        self.waited = 0.0  # total seconds spent waiting, for tests and diagnostics
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def acquire(self) -> None:
        with self._lock:
            self._refill()
            if self.tokens < 1.0:
                wait = (1.0 - self.tokens) / self.rate
                if wait > self.max_wait:
                    raise ProviderError(self.provider, "too_frequent", detail="local rate limit")
                self.sleep(wait)
                self.waited += wait
                self._refill()
                self.tokens = max(self.tokens, 1.0)  # a fake sleep may not move the clock
            self.tokens -= 1.0


class DailyQuota:
    """Counts calls per China calendar day (providers reset at Beijing midnight)."""

    def __init__(self, provider: str, limit: int | None, *, clock: Callable[[], float] = time.time):
        self.provider = provider
        self.limit = limit
        self.clock = clock
        self.day = self._today()
        self.used = 0
        self._lock = threading.Lock()

    def _today(self) -> str:
        return datetime.fromtimestamp(self.clock(), CN_TZ).date().isoformat()

    def remaining(self) -> int | None:
        with self._lock:
            self._roll()
            return None if self.limit is None else max(0, self.limit - self.used)

    def _roll(self) -> None:
        today = self._today()
        if today != self.day:
            self.day, self.used = today, 0

    def take(self) -> None:
        with self._lock:
            self._roll()
            if self.limit is not None and self.used >= self.limit:
                raise ProviderError(self.provider, "no_quota",
                                    detail=f"local daily quota {self.limit} used up")
            self.used += 1
