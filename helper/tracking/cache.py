"""Trace cache: one number is not asked again within 30 minutes.

Kuaidi100 may lock a number that is queried more often than every 30 minutes, and every
provider counts calls, so repeated looks at the same shipment are served from here. The
store owner may pass any object with ``get(key) -> dict | None`` and
``set(key, value, ttl_s)`` (e.g. backed by SQLite so the cache survives restarts).
"""
from __future__ import annotations

import threading
import time
from typing import Callable

DEFAULT_TTL_S = 30 * 60


def cache_key(provider: str, courier: str | None, number: str) -> str:
    return f"trace:{provider}:{courier or 'auto'}:{number}"


class MemoryCache:
    def __init__(self, clock: Callable[[], float] = time.time):
        self.clock = clock
        self._data: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is None:
                return None
            expires, value = hit
            if self.clock() >= expires:
                del self._data[key]
                return None
            return value

    def set(self, key: str, value: dict, ttl_s: float) -> None:
        with self._lock:
            self._data[key] = (self.clock() + ttl_s, value)
