"""HTTP plumbing shared by the provider clients.

One ``requests.Session`` per provider (connection reuse, its own headers), connect and read
timeouts on every call, and retries with exponential backoff **only** on timeouts and 5xx:
a 4xx or a business error (bad key, no quota...) would fail the same way again and a retry
would only burn quota. ``sleep`` is injectable so tests never wait for real backoff.
Before every attempt (retries included, since each one reaches the provider) the
``before_attempt`` hook runs: the rate limiter and the daily quota live there.
"""
from __future__ import annotations

import time
from typing import Callable

import requests

from .errors import ProviderError

USER_AGENT = "danhao-helper/0.1 (+tracking)"
DEFAULT_TIMEOUT = (3.05, 10.0)   # (connect, read) seconds


class ProviderHTTP:
    def __init__(self, provider: str, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 retries: int = 2, backoff: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep,
                 before_attempt: Callable[[], None] | None = None):
        self.provider = provider
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.before_attempt = before_attempt
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.attempts = 0   # upstream attempts made, for diagnostics

    def post(self, url: str, **kwargs) -> requests.Response:
        """POST with retries; returns a 2xx/3xx response or raises ProviderError."""
        last: ProviderError | None = None
        for attempt in range(self.retries + 1):
            if self.before_attempt:
                self.before_attempt()
            self.attempts += 1
            try:
                resp = self.session.post(url, timeout=self.timeout, **kwargs)
            except requests.Timeout:
                last = ProviderError(self.provider, "timeout")
            except requests.RequestException as exc:
                # Refused / reset / DNS: not a timeout nor a 5xx, so no local retry; the
                # scheduler may try again later (retryable). Only the class name is kept:
                # a requests message can carry the URL.
                raise ProviderError(self.provider, "server_error",
                                    detail=type(exc).__name__) from None
            else:
                status = resp.status_code
                if status >= 500:
                    last = ProviderError(self.provider, "server_error", detail=f"HTTP {status}")
                elif status in (401, 403):
                    raise ProviderError(self.provider, "bad_key", detail=f"HTTP {status}")
                elif status == 429:
                    raise ProviderError(self.provider, "too_frequent", detail="HTTP 429")
                elif status >= 400:
                    raise ProviderError(self.provider, "bad_response", detail=f"HTTP {status}")
                else:
                    return resp
            if attempt < self.retries:
                self.sleep(self.backoff * (2 ** attempt))
        assert last is not None
        raise last

    def close(self) -> None:
        self.session.close()


def json_body(provider: str, resp: requests.Response):
    """Decode a JSON answer; anything else is bad_response (never echo the body)."""
    try:
        return resp.json()
    except ValueError:
        raise ProviderError(provider, "bad_response", detail="invalid JSON") from None


def require_texts(provider: str, item: dict, *keys: str) -> None:
    """Each of these keys, when present, holds text (or null). A number, a list or an object
    where the provider documents text is a broken answer (bad_response), never a trace to keep
    in place of the last good one."""
    for k in keys:
        value = item.get(k)
        if value is not None and not isinstance(value, str):
            raise ProviderError(provider, "bad_response", detail=f"{k} is not text")
