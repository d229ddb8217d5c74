"""TrackingService: the one entry point the helper uses to get a trace.

It picks the provider (the first configured one that knows the courier, falling over to
the next on a failure), serves repeated questions from the 30-minute cache, and owns the
per-provider session, rate limit and daily quota for as long as it lives; so the helper
should keep one service, not build one per request.

"No result yet" is a state of the parcel, not a failure: it comes back as a Trace with
status ``none`` (and is cached like any trace, since asking again within 30 minutes only
risks a Kuaidi100 lock).
"""
from __future__ import annotations

import logging
import re
import threading
import time
from datetime import datetime
from typing import Callable

from helper.couriers import platform_code

from .cache import DEFAULT_TTL_S, MemoryCache, cache_key
from .config import PROVIDERS, TrackingConfig
from .errors import ProviderError
from .http import DEFAULT_TIMEOUT, ProviderHTTP
from .kdniao import KdniaoClient
from .kuaidi100 import Kuaidi100Client
from .limits import DEFAULT_QUOTAS, DEFAULT_RATES, DailyQuota, TokenBucket
from .model import CN_TZ, Trace
from .track17 import Track17Client

log = logging.getLogger("danhao.tracking")


def provider_code(courier_id: str | None, provider: str) -> str | None:
    """The provider's own courier code from the courier data (helper/couriers), or None."""
    if not courier_id:
        return None
    code = platform_code(courier_id, provider)
    return str(code) if code not in (None, "", "?") else None


def normalize_phone_tail(phone: str | None) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else None


class TrackingService:
    def __init__(self, config: TrackingConfig, cache=None, clock: Callable[[], float] = time.time, *,
                 sleep: Callable[[float], None] = time.sleep, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 retries: int = 2, backoff: float = 0.5, ttl_s: float = DEFAULT_TTL_S,
                 rates: dict[str, float] | None = None, quotas: dict[str, int | None] | None = None):
        self.config = config
        self.clock = clock
        self.cache = cache if cache is not None else MemoryCache(clock)
        self.ttl_s = ttl_s
        self._sleep, self._timeout, self._retries, self._backoff = sleep, timeout, retries, backoff
        self.rates = dict(DEFAULT_RATES, **(rates or {}))
        self.quotas = dict(DEFAULT_QUOTAS, kdniao=config.kdniao_daily_quota)
        self.quotas.update(quotas or {})
        self._clients: dict[str, object] = {}
        self.limiters: dict[str, TokenBucket] = {}
        self.daily: dict[str, DailyQuota] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TrackingService(configured={self.config.configured()})"

    # ------------------------------------------------------------ clients

    def client(self, provider: str):
        """The provider's client, built once (session, limiter, quota live with it)."""
        if provider not in PROVIDERS:
            raise ValueError(f"unknown provider {provider!r}")
        if provider not in self.config.configured():
            raise ProviderError(provider, "not_configured")
        with self._lock:
            if provider in self._clients:
                return self._clients[provider]
            bucket = TokenBucket(provider, self.rates[provider], clock=self.clock, sleep=self._sleep)
            quota = DailyQuota(provider, self.quotas.get(provider), clock=self.clock)
            self.limiters[provider], self.daily[provider] = bucket, quota

            def before_attempt():
                quota.take()       # refuse locally first: no quota, no call
                bucket.acquire()

            http = ProviderHTTP(provider, timeout=self._timeout, retries=self._retries,
                                backoff=self._backoff, sleep=self._sleep, before_attempt=before_attempt)
            c = self.config
            if provider == "kuaidi100":
                cl = Kuaidi100Client(c.kuaidi100_url, c.kuaidi100_customer, c.kuaidi100_key, http)
            elif provider == "kdniao":
                cl = KdniaoClient(c.kdniao_url, c.kdniao_ebusiness_id, c.kdniao_app_key, http)
            else:
                cl = Track17Client(c.track17_url, c.track17_token, http)
            self._clients[provider] = cl
            return cl

    def close(self) -> None:
        for cl in self._clients.values():
            cl.http.close()

    # ------------------------------------------------------------ query

    def candidates(self, courier_id: str | None) -> list[tuple[str, str | None]]:
        """(provider, code) pairs to try, in order. 17TRACK can detect the carrier, so it
        is a candidate even without a code (last)."""
        out, fallback = [], []
        for p in self.config.configured():
            code = provider_code(courier_id, p)
            if code:
                out.append((p, code))
            elif p == "17track":
                fallback.append((p, None))
        return out + fallback

    def query(self, number: str, courier_id: str | None, phone_tail: str | None = None,
              provider: str | None = None) -> Trace:
        number = re.sub(r"\s+", "", number or "")
        if not number:
            raise ValueError("empty tracking number")
        phone = normalize_phone_tail(phone_tail)
        if provider is not None:
            if provider not in PROVIDERS:
                raise ValueError(f"unknown provider {provider!r}")
            if provider not in self.config.configured():
                raise ProviderError(provider, "not_configured")
            code = provider_code(courier_id, provider)
            if code is None and provider != "17track":
                raise ProviderError(provider, "unsupported_courier",
                                    detail=f"no {provider} code for courier {courier_id!r}")
            return self._query_one(provider, code, number, courier_id, phone)
        cands = self.candidates(courier_id)
        if not cands:
            configured = self.config.configured()
            if not configured:
                raise ProviderError("any", "not_configured")
            raise ProviderError(configured[0], "unsupported_courier",
                                detail=f"no provider code for courier {courier_id!r}")
        first_error: ProviderError | None = None
        for p, code in cands:
            try:
                return self._query_one(p, code, number, courier_id, phone)
            except ProviderError as exc:   # fall over to the next configured provider
                first_error = first_error or exc
        assert first_error is not None
        raise first_error

    def _query_one(self, provider: str, code: str | None, number: str, courier_id: str | None,
                   phone: str | None) -> Trace:
        key = cache_key(provider, courier_id, number)
        hit = self.cache.get(key)
        if hit is not None:
            return Trace.from_json(hit)
        client = self.client(provider)
        try:
            trace = client.fetch(number, code, phone)
        except ProviderError as exc:
            if exc.code != "no_result":
                raise   # clients already scrubbed provider texts of secrets
            trace = None
        except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
            # An answer of a shape no client foresaw: a provider failure like any other (the
            # last good trace stays), never a crash of the convert or refresh that asked.
            log.warning("%s: unreadable answer (%s)", provider, type(exc).__name__)
            raise ProviderError(provider, "bad_response", detail=type(exc).__name__) from None
        if trace is None:
            trace = Trace(number=number, courier=courier_id, provider=provider, status="none",
                          provider_state="no_result")
        trace.courier = courier_id
        trace.fetched_at = datetime.fromtimestamp(self.clock(), CN_TZ).replace(microsecond=0).isoformat()
        self.cache.set(key, trace.to_json(), self.ttl_s)
        return trace
